"""The environment check of notebook 00."""

from lstm_course.environment import REQUIREMENTS, Check, check_environment, check_package


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
