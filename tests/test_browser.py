"""The course's widgets, proved where students use them: JupyterLab in a real Chromium.

For every notebook whose stored outputs show a widget: open it in a fresh JupyterLab workspace,
clear it, Run → Run All Cells, wait for the kernel to go idle, and require no error output, no
skipped cell and no "Error displaying widget". Then drive every widget in every mode: as it
starts, then in each option of each of its toggle buttons and menus, picked in turn with the
mouse (the forget gate's "sigmoid layer", the diagram's "show" menu). In each mode, focus the
handle of every slider not yet moved (or of the first, if all have been), press arrow keys,
and require that what the slider drives (the readout, a text or the figure's image) changed on
the page; every slider must be moved in some mode. A screenshot of each notebook after the
moves, and one of each widget, go to ``test-artifacts/browser/`` with a log of the modes and
moves.

The Chinese edition too: the built notebooks/zh/ versions of 00, 06 and 10
(``ZH_BROWSER_NOTEBOOKS``, those that exist) are opened and driven the same way, their menus
picked by their Chinese labels.

JupyterLab starts once for the whole session (``lab``), from this environment, on 127.0.0.1 with
a random token, serving a temporary copy of ``notebooks/``. Chromium is the system's (Debian's
``/usr/bin/chromium``, or the path in ``LSTM_COURSE_CHROMIUM``); Playwright downloads no browser.
Without Chromium the tests skip, unless ``LSTM_COURSE_REQUIRE_BROWSER=1`` (set by ``.ci/run``),
which makes a missing browser a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest
from browser.discovery import WIDGET_MIME, widget_notebooks, widget_view_count
from browser.lab_server import LabServer

if TYPE_CHECKING:  # playwright may be missing: the tests then skip instead of failing to import
    from browser.notebook_page import NotebookPage
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("LSTM_COURSE_NOTEBOOKS_DIR", REPO / "notebooks"))
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path(
    os.environ.get("LSTM_COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
# Playwright adds --headless itself (headless=True). /dev/shm is tiny in many CI containers;
# --disable-dev-shm-usage keeps Chromium from crashing there.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 1400}
REQUIRE_BROWSER = os.environ.get("LSTM_COURSE_REQUIRE_BROWSER") == "1"

WIDGET_NOTEBOOKS = widget_notebooks(NOTEBOOKS)


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (Debian/Ubuntu: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


def require_browser() -> None:
    """Skip, or fail when LSTM_COURSE_REQUIRE_BROWSER=1, if Chromium or Playwright is missing."""
    reason = browser_missing()
    if reason is None:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason}; LSTM_COURSE_REQUIRE_BROWSER=1 makes a missing browser a failure")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """One JupyterLab server for the session, on a temporary copy of the notebooks."""
    require_browser()
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    with LabServer(NOTEBOOKS, tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, headless, for the whole session."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def notebook_page(lab: LabServer, chromium: Browser) -> Iterator[NotebookPage]:
    """A fresh browser context and page; afterwards every kernel the test started is shut down."""
    from browser.notebook_page import NotebookPage

    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield NotebookPage(page)
    finally:
        context.close()
        lab.shutdown_kernels()


def test_the_course_has_notebooks_with_widgets() -> None:
    """Guards the discovery below: if no stored output shows a widget, nothing would be tested."""
    if not any(NOTEBOOKS.glob("*.ipynb")):
        pytest.skip(f"no notebooks in {NOTEBOOKS} yet")
    assert WIDGET_NOTEBOOKS, (
        f"no notebook in {NOTEBOOKS} has a stored widget output ({WIDGET_MIME}); "
        "were the notebooks committed without outputs?"
    )


def test_widget_discovery_reads_stored_outputs(tmp_path: Path) -> None:
    """A notebook is picked for its widget-view output, not for its name or its source."""
    with_widget = nbformat.v4.new_notebook()
    with_widget.cells = [
        nbformat.v4.new_code_cell(
            "display(playground)",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0}},
                )
            ],
        )
    ]
    without_widget = nbformat.v4.new_notebook()
    without_widget.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets  # mentions widgets, displays none",
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="ok\n")],
        )
    ]
    nbformat.write(with_widget, tmp_path / "02_b.ipynb")
    nbformat.write(without_widget, tmp_path / "01_a.ipynb")
    assert widget_view_count(tmp_path / "02_b.ipynb") == 1
    assert widget_view_count(tmp_path / "01_a.ipynb") == 0
    assert widget_notebooks(tmp_path) == [tmp_path / "02_b.ipynb"]


@pytest.mark.parametrize("notebook", WIDGET_NOTEBOOKS, ids=lambda path: path.stem)
def test_widgets_run_and_respond_in_jupyterlab(
    notebook: Path, lab: LabServer, notebook_page: NotebookPage
) -> None:
    """Run All without errors, every widget displayed; in every mode of every widget a slider
    drives what it shows, and every slider is moved in some mode."""
    run_and_drive(notebook, notebook.name, notebook.stem, lab, notebook_page)


# --- The Chinese edition (notebooks/zh/, built by tools/translations.py) ----------------------

ZH_BROWSER_NOTEBOOKS = ("00_start_here", "06_forget_gate", "10_pytorch_sin_to_cos")
"""The Chinese notebooks opened in the browser (issue 16: at least 00, 06 and 10), once built."""
ZH_WIDGET_NOTEBOOKS = [
    path
    for path in (NOTEBOOKS / "zh" / f"{stem}.ipynb" for stem in ZH_BROWSER_NOTEBOOKS)
    if path.exists()
]


def test_the_chinese_notebooks_to_drive_show_widgets() -> None:
    """Guards the list below: each built Chinese notebook of ZH_BROWSER_NOTEBOOKS stores widget
    views (it was executed), and notebook 00's Chinese edition exists."""
    if not any(NOTEBOOKS.glob("*.ipynb")):
        pytest.skip(f"no notebooks in {NOTEBOOKS} yet")
    assert (NOTEBOOKS / "zh" / "00_start_here.ipynb") in ZH_WIDGET_NOTEBOOKS
    unexecuted = [path.name for path in ZH_WIDGET_NOTEBOOKS if not widget_view_count(path)]
    assert not unexecuted, f"notebooks/zh/ without stored widgets (make zh NB=NN): {unexecuted}"


@pytest.mark.parametrize("notebook", ZH_WIDGET_NOTEBOOKS, ids=lambda path: f"zh-{path.stem}")
def test_chinese_widgets_run_and_respond_in_jupyterlab(
    notebook: Path, lab: LabServer, notebook_page: NotebookPage
) -> None:
    """The Chinese 00, 06 and 10 (those built): Run All, every widget shown, every slider moved
    in every mode, with the widgets' Chinese labels (the menus picked by their Chinese names)."""
    run_and_drive(notebook, f"zh/{notebook.name}", f"zh-{notebook.stem}", lab, notebook_page)


def run_and_drive(
    notebook: Path, name: str, artifact: str, lab: LabServer, notebook_page: NotebookPage
) -> None:
    """Open ``name`` (relative to the served folder), Run All, drive every widget, and assert;
    screenshots and the log of moves go to ``ARTIFACTS/<artifact>*``."""
    notebook_page.open(lab.notebook_url(name))
    notebook_page.run_all()

    outputs = notebook_page.widget_outputs()  # waits until every widget view has rendered
    problems = notebook_page.problems()
    assert not problems, f"{notebook.name} after Run All:\n" + "\n".join(problems)
    assert len(outputs) >= widget_view_count(notebook), (
        f"{notebook.name} displayed {len(outputs)} widget(s) in JupyterLab; "
        f"its stored outputs show {widget_view_count(notebook)}"
    )

    drives = [notebook_page.drive_widget(output, index) for index, output in enumerate(outputs)]
    moves = [move for drive in drives for move in drive.moves]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    notebook_page.page.screenshot(path=ARTIFACTS / f"{artifact}.png")
    for index, output in enumerate(outputs):
        output.screenshot(path=ARTIFACTS / f"{artifact}-widget{index}.png")
    log = [
        f"widget {m.widget_index} [{m.mode}], slider {m.label!r}: {m.before} -> {m.after}"
        + (f", then {m.clicked!r} clicked" if m.clicked else "")
        + f"; changed: {', '.join(m.changed) or 'nothing'}"
        for m in moves
    ]
    summary = [
        f"widget {d.widget_index}: {len(d.sliders)} slider(s), {len(d.modes)} mode(s) picked "
        f"after its start: {', '.join(d.modes) or 'none'}"
        for d in drives
    ]
    (ARTIFACTS / f"{artifact}.txt").write_text("\n".join(summary + log) + "\n")

    assert moves, f"{notebook.name}: none of its {len(outputs)} widget(s) has an enabled slider"
    unchanged = [line for move, line in zip(moves, log, strict=True) if not move.changed]
    assert not unchanged, (
        f"{notebook.name}: a slider moved but nothing it drives changed:\n"
        + "\n".join(unchanged)
        + (f"\npage errors: {notebook_page.page_errors}" if notebook_page.page_errors else "")
    )
    never_moved = [f"widget {d.widget_index}: {d.never_moved()}" for d in drives if d.never_moved()]
    assert not never_moved, f"{notebook.name}: sliders no mode showed:\n" + "\n".join(never_moved)
    silent = [f"widget {d.widget_index}: {d.silent_modes}" for d in drives if d.silent_modes]
    assert not silent, f"{notebook.name}: modes with no slider that changed nothing:\n" + (
        "\n".join(silent)
    )
    problems = notebook_page.problems()
    assert not problems, f"{notebook.name} after driving its widgets:\n" + "\n".join(problems)
