"""Drive one notebook in JupyterLab the way a student does: menus, the mouse and the keyboard.

Actions go through JupyterLab's own menus and through keyboard focus on the widgets; the test
only *reads* JupyterLab's state (cell outputs, kernel status) through ``window.jupyterapp``
(the server runs with ``expose_app_in_browser``), which is exact where the DOM is ambiguous:
an error output and a warning on stderr look the same on the page.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from playwright.sync_api import ElementHandle, Locator, Page

from browser.discovery import WIDGET_MIME

# A rendered widget view: an output whose child is the widget's top-level view. (JupyterLab gives
# widget outputs no data-mime-type attribute; a view that failed to render has no such child.)
WIDGET_OUTPUT = (
    ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:has(> .jupyter-widgets)"
)
SLIDER_HANDLE = ".widget-slider .noUi-handle"
# A push button (Train, forward ▶), not one of a ToggleButtons' options.
BUTTON = "button.jupyter-button:not(.widget-toggle-button):not([disabled])"
WIDGET_ERROR_TEXT = "Error displaying widget"
# What ipywidgets 8 draws instead of a view it could not create (a broken-page icon).
BROKEN_WIDGET = ".jupyter-widgets-error-widget"

OPEN_TIMEOUT_MS = 90_000
RUN_TIMEOUT_MS = 150_000
RENDER_TIMEOUT_MS = 30_000
KEY_WAIT_MS = 3_000
BUTTON_WAIT_MS = 120_000  # a button may start training
SETTLE_MS = 1_500
POLL_MS = 150
MAX_KEY_PRESSES = 6

# The notebook in the main area, its kernel's status, and what each code cell holds.
_PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
_KERNEL_IDLE = f"""() => {{
    const panel = {_PANEL};
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return Boolean(kernel) && kernel.status === 'idle';
}}"""
_RUN_FINISHED = f"""() => {{
    const panel = {_PANEL};
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (!kernel || kernel.status !== 'idle') return false;
    const prompts = [...panel.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    if (prompts.some(p => p.textContent.includes('*'))) return false;
    const first = panel.content.widgets.find(cell => cell.model.type === 'code');
    return !first || first.model.executionCount !== null;
}}"""
_CODE_CELLS = f"""() => {{
    const panel = {_PANEL};
    return panel.content.widgets
        .map((cell, index) => ({{cell, index}}))
        .filter(({{cell}}) => cell.model.type === 'code')
        .map(({{cell, index}}) => ({{
            index,
            source: cell.model.sharedModel.getSource(),
            execution_count: cell.model.executionCount,
            outputs: cell.model.outputs.toJSON().map(o => ({{
                output_type: o.output_type,
                ename: o.ename || null,
                evalue: o.evalue || null,
                mimetypes: Object.keys(o.data || {{}}),
            }})),
        }}));
}}"""
# What a widget drives, as the page shows it: HTML/Label texts, without the controls' own
# readouts (a slider's number changes by definition), and each image's bytes, as length and
# FNV-1a hash (an Image widget gets a new blob URL on every update, even with the same picture).
_DRIVEN_STATE = """async (output) => {
    const digest = async (src) => {
        const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
        let hash = 2166136261;
        for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
        return `${bytes.length} bytes, ${hash.toString(16)}`;
    };
    const controls = '.widget-slider, .widget-toggle-buttons, .widget-dropdown';
    return {
        texts: [...output.querySelectorAll('.widget-html-content, .widget-label')]
            .filter(node => !node.closest(controls))
            .map(node => node.innerHTML),
        images: await Promise.all([...output.querySelectorAll('img')].map(img => digest(img.src))),
    };
}"""


@dataclass
class SliderMove:
    """One keyboard move of a slider and what it changed on the page."""

    widget_index: int
    label: str
    before: str
    after: str
    changed: list[str]
    clicked: str = ""  # the button clicked to apply the move, for button-driven widgets


class NotebookPage:
    """One JupyterLab tab with one notebook open in it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.locator(".jp-NotebookPanel:visible")
        self.page_errors: list[str] = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def open(self, url: str) -> None:
        """Load JupyterLab on ``url`` and wait until the notebook's kernel is idle."""
        self.page.goto(url)
        self.panel.locator(".jp-Cell").first.wait_for(timeout=OPEN_TIMEOUT_MS)
        self.page.wait_for_function(_KERNEL_IDLE, timeout=OPEN_TIMEOUT_MS)

    def menu(self, menu: str, command: str) -> None:
        """Click ``menu`` in the menu bar, then the entry that runs JupyterLab's ``command``."""
        self.page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").filter(
            has_text=re.compile(f"^{re.escape(menu)}$")
        ).click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def run_all(self) -> None:
        """Clear every stored output, Run → Run All Cells, wait until the kernel is done."""
        self.menu("Edit", "editmenu:clear-all")
        self.panel.locator(".jp-OutputArea-output").first.wait_for(state="detached")
        self.menu("Run", "runmenu:run-all")
        self.page.wait_for_function(_RUN_FINISHED, timeout=RUN_TIMEOUT_MS, polling=250)

    def code_cells(self) -> list[dict]:
        """Every code cell: index, source, execution count, outputs (type, error, mime types)."""
        return self.page.evaluate(_CODE_CELLS)

    def problems(self) -> list[str]:
        """Errors, cells the run skipped, and widgets that failed to display, in plain words."""
        found = []
        for cell in self.code_cells():
            for output in cell["outputs"]:
                if output["output_type"] == "error":
                    found.append(f"cell {cell['index']}: {output['ename']}: {output['evalue']}")
            if cell["source"].strip() and cell["execution_count"] is None:
                found.append(f"cell {cell['index']} was not executed")
        for text in self.panel.locator(".jp-OutputArea").all_inner_texts():
            if WIDGET_ERROR_TEXT in text:
                line = next(line for line in text.splitlines() if WIDGET_ERROR_TEXT in line)
                found.append(line.strip())
        for broken in self.panel.locator(BROKEN_WIDGET).all():
            broken.click()  # ipywidgets shows the JavaScript error in place of its icon
            reason = [line for line in broken.inner_text().splitlines() if line.strip()][1:3]
            found.append(f"{WIDGET_ERROR_TEXT}: {' / '.join(reason) or 'no message'}")
        return found

    def widget_outputs(self) -> list[Locator]:
        """Each widget view the run displayed, once JupyterLab has rendered all of them."""
        expected = sum(
            WIDGET_MIME in output["mimetypes"]
            for cell in self.code_cells()
            for output in cell["outputs"]
        )
        self.page.wait_for_function(
            "([selector, expected]) => document.querySelectorAll(selector).length >= expected",
            arg=[f".jp-NotebookPanel {WIDGET_OUTPUT}", expected],
            timeout=RENDER_TIMEOUT_MS,
        )
        return self.panel.locator(WIDGET_OUTPUT).all()

    def move_first_slider(self, output: Locator, widget_index: int) -> SliderMove | None:
        """Focus the first enabled slider handle in ``output`` and press arrow keys until
        something the slider drives (a readout, a text or the image) changes.

        None if the widget has no enabled slider. Moves right, or left from the maximum.
        A widget whose slider only takes effect through a button (the training widget: set
        the hidden size, then Train) gets its first button clicked after the first key press
        changed nothing; the move counts once the button is enabled again and the output
        differs.
        """
        enabled = [
            handle
            for handle in output.locator(SLIDER_HANDLE).all()
            if handle.evaluate("h => !h.closest('[disabled]') && h.tabIndex >= 0")
        ]
        if not enabled:
            return None
        handle = enabled[0]
        handle.scroll_into_view_if_needed()
        slider = handle.locator("xpath=ancestor::*[contains(@class, 'widget-slider')][1]")
        label = slider.locator(".widget-label").first.inner_text()
        readout = slider.locator(".widget-readout").first
        at_max = handle.evaluate(
            "h => h.getAttribute('aria-valuenow') === h.getAttribute('aria-valuemax')"
        )
        key = "ArrowLeft" if at_max else "ArrowRight"
        before_value = readout.inner_text()
        before = output.evaluate(_DRIVEN_STATE)
        buttons = output.locator(BUTTON)
        clicked = ""
        handle.focus()
        for press in range(MAX_KEY_PRESSES):
            handle.press(key)
            if self._changed(output, before, KEY_WAIT_MS):
                break
            if press == 0 and buttons.count():
                button = buttons.first.element_handle()  # this button, even once disabled
                clicked = button.inner_text().strip()
                self.wait_idle()  # the slider's new value has reached the kernel
                button.click()
                if self._changed(output, before, BUTTON_WAIT_MS, until_enabled=button):
                    self._settle(output)
                break
        self.wait_idle()
        after = output.evaluate(_DRIVEN_STATE)
        changed = [kind for kind in ("texts", "images") if after[kind] != before[kind]]
        return SliderMove(widget_index, label, before_value, readout.inner_text(), changed, clicked)

    def _changed(
        self,
        output: Locator,
        before: dict,
        timeout_ms: int,
        until_enabled: ElementHandle | None = None,
    ) -> bool:
        """Poll until what ``output`` shows differs from ``before`` (and, if given, the button
        is enabled again); False if that did not happen within ``timeout_ms``. (Polled from
        here: ``wait_for_function`` does not await an async predicate, and reading the images'
        bytes is async.)"""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            if output.evaluate(_DRIVEN_STATE) != before and (
                until_enabled is None or until_enabled.is_enabled()
            ):
                return True
            if time.monotonic() > deadline:
                return False
            self.page.wait_for_timeout(POLL_MS)

    def _settle(self, output: Locator) -> None:
        """Wait until what ``output`` shows stays the same for SETTLE_MS: work a button starts
        in a background thread (training) ends with no kernel status to wait for."""
        deadline = time.monotonic() + BUTTON_WAIT_MS / 1000
        state = output.evaluate(_DRIVEN_STATE)
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(SETTLE_MS)
            now = output.evaluate(_DRIVEN_STATE)
            if now == state:
                return
            state = now

    def wait_idle(self) -> None:
        """Wait until the kernel has handled everything sent to it."""
        self.page.wait_for_function(_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS)
