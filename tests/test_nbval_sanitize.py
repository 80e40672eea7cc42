"""What nbval compares: stderr too, less only the kernel start-up lines the sanitize file names.

The rules are read as nbval reads them; then a small notebook runs under nbval with the suite's
conftest.py and sanitize file, so both are exercised exactly as ``make test`` uses them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbval.plugin import get_sanitize_patterns

REPO = Path(__file__).resolve().parents[1]
SANITIZE = REPO / "tests" / "nbval_sanitize.cfg"
FONT_CACHE = "Matplotlib is building the font cache; this may take a moment.\n"
TEMPORARY_CACHE = (
    "Matplotlib created a temporary cache directory at /tmp/matplotlib-k2x_5s0a because there "
    "was an issue with the default path (/home/student/.config/matplotlib); it is highly "
    "recommended to set the MPLCONFIGDIR environment variable to a writable directory, in "
    "particular to speed up the import of Matplotlib and to better support multiprocessing.\n"
)
WARNING = "/lib/site-packages/torch/optim/adam.py:90: UserWarning: lr is deprecated\n"


def sanitize(text: str) -> str:
    """``text`` after every rule of the sanitize file, in its order, as nbval applies them."""
    for regex, replace in get_sanitize_patterns(SANITIZE.read_text()):
        text = re.sub(regex, replace, text)
    return text


def test_every_rule_is_read():
    """A rule nbval cannot read is silently ignored: count the sections against the rules."""
    sections = re.findall(r"^\[.+\]$", SANITIZE.read_text(), flags=re.MULTILINE)
    patterns = get_sanitize_patterns(SANITIZE.read_text())
    assert len(patterns) == len(sections) == 4
    assert [replace for _, replace in patterns] == ["0xADDRESS", "TIME", "", ""]


def test_the_kernel_start_up_lines_are_removed_whole():
    assert sanitize(FONT_CACHE) == ""
    assert sanitize(TEMPORARY_CACHE) == ""
    assert sanitize(FONT_CACHE + TEMPORARY_CACHE) == ""


def test_anything_else_on_stderr_is_kept():
    assert sanitize(WARNING).strip()
    assert sanitize(FONT_CACHE + WARNING).strip().endswith("lr is deprecated")
    assert sanitize("Matplotlib is building the font cache; and more\n").strip()


def _cell(source: str, stored_stdout: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_stdout)]
    return cell


def test_nbval_passes_a_start_up_line_and_fails_a_new_warning(tmp_path):
    """Three cells, stored with stdout only: the one that also prints a start-up line on
    stderr passes, the one that prints a warning fails and the failure shows the warning."""
    nb = nbformat.v4.new_notebook()
    write = "import sys\nsys.stderr.write({!r})\nprint('ok')"
    nb.cells = [
        _cell("print('ok')", "ok\n"),
        _cell(write.format(FONT_CACHE), "ok\n"),
        _cell(write.format(WARNING), "ok\n"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, tmp_path / "case.ipynb")
    shutil.copy(REPO / "conftest.py", tmp_path / "conftest.py")
    shutil.copy(SANITIZE, tmp_path / "sanitize.cfg")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-rA",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with=sanitize.cfg",
            "case.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = completed.stdout
    assert "PASSED case.ipynb::Cell 0" in report, report
    assert "PASSED case.ipynb::Cell 1" in report, report
    assert "FAILED case.ipynb::Cell 2" in report, report
    assert "stderr the stored notebook does not have" in report
    assert "lr is deprecated" in report
