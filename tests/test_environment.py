"""The environment check of notebook 00."""

import re

import pytest

from lstm_course.environment import REQUIREMENTS, Check, check_environment, check_package
from lstm_course.i18n import set_language


def test_this_environment_is_ready():
    checks = check_environment()
    assert [c.name for c in checks] == ["python"] + [r[0] for r in REQUIREMENTS]
    assert all(c.ok for c in checks), [str(c) for c in checks if not c.ok]


def test_missing_package_says_what_to_do():
    check = check_package("surely-not-installed-package", "1.0", "testing")
    assert not check.ok and check.found == "missing"
    assert "make lab" in str(check) and "❌" in str(check)


def test_too_old_package_is_reported():
    check = check_package("numpy", "999.0", "the numpy cells")
    assert not check.ok and "too old" in check.advice


def test_check_reads_as_one_line():
    line = str(Check("numpy", "2.0.0", "1.26", True, ""))
    assert line.startswith("✅ numpy") and "\n" not in line


# --- In Chinese -----------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def in_chinese():
    """The package in Chinese for one test (the catalogue only, no font); English after."""
    set_language("zh", font=False)
    try:
        yield
    finally:
        set_language("en")


def test_the_check_speaks_chinese(in_chinese):
    line = str(check_package("surely-not-installed-package", "1.0", "the sliders"))
    assert CJK.search(line) and "缺失" in line and "（需要 ≥ 1.0）" in line
    assert "滑块需要它：在课程文件夹里运行 `make lab`" in line
