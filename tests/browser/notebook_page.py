"""Drive one notebook in JupyterLab the way a student does: menus, the mouse and the keyboard.

Actions go through JupyterLab's own menus and through keyboard focus on the widgets; the test
only *reads* JupyterLab's state (cell outputs, kernel status) through ``window.jupyterapp``
(the server runs with ``expose_app_in_browser``), which is exact where the DOM is ambiguous:
an error output and a warning on stderr look the same on the page.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from playwright.sync_api import ElementHandle, Locator, Page

from browser.discovery import WIDGET_MIME

# A rendered widget view: an output whose child is the widget's top-level view. (JupyterLab gives
# widget outputs no data-mime-type attribute; a view that failed to render has no such child.)
WIDGET_OUTPUT = (
    ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:has(> .jupyter-widgets)"
)
# A slider (Float, Int, FloatLog, Selection): its label, its noUiSlider handle, its readout.
SLIDER = ".widget-slider"
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
MODE_SETTLE_MS = 500  # a new mode's picture has arrived once the page is quiet this long
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
    """One keyboard move of a slider, in one mode of its widget, and what it changed."""

    widget_index: int
    mode: str
    label: str
    before: str
    after: str
    changed: list[str]
    clicked: str = ""  # the button clicked to apply the move, for button-driven widgets


@dataclass
class WidgetDrive:
    """Everything done to one widget: its sliders, the modes picked, the moves made."""

    widget_index: int
    sliders: dict[int, str]  # every enabled slider, shown or hidden: position -> label
    modes: list[str] = field(default_factory=list)  # picked in turn, after the starting one
    moves: list[SliderMove] = field(default_factory=list)
    moved: set[int] = field(default_factory=set)
    silent_modes: list[str] = field(default_factory=list)  # no slider, and no visible change

    def never_moved(self) -> list[str]:
        """The sliders no mode showed, so none was moved."""
        return [label for index, label in self.sliders.items() if index not in self.moved]


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

    def drive_widget(self, output: Locator, widget_index: int) -> WidgetDrive:
        """Drive every mode of one widget and move every slider it has, each at least once.

        A mode is one option of one of the widget's ToggleButtons or Dropdowns (the forget
        gate's "f_t by hand" / "sigmoid layer", the diagram's "show" menu, a layout...). The
        widget is driven first as it starts, then in each option that is not its starting one,
        picked in turn. In each of these modes every visible slider that has not moved yet is
        moved; if all have, the first visible one moves again, so every mode is shown to
        respond. A slider a mode hides is moved in a mode that shows it (the sigmoid layer's
        b_f and W_f). Each move must change what the widget shows (``move_slider``); a mode
        with no slider must change it by being picked (else it is listed in ``silent_modes``).
        """
        drive = WidgetDrive(widget_index, self._slider_labels(output))
        for mode in ["as it starts", *self._modes(output)]:
            shown_before = output.evaluate(_DRIVEN_STATE)
            if mode != "as it starts":
                self._select(output, mode)
                self.wait_idle()
                self._settle(output, MODE_SETTLE_MS)
                drive.modes.append(mode)
            visible = [
                index
                for index in self._enabled_sliders(output)
                if self._slider(output, index).is_visible()
            ]
            picked = mode != "as it starts"
            if picked and not visible and output.evaluate(_DRIVEN_STATE) == shown_before:
                drive.silent_modes.append(mode)  # no slider to move, and picking it did nothing
            todo = [index for index in visible if index not in drive.moved] or visible[:1]
            for slider_index in todo:
                move = self.move_slider(output, slider_index, widget_index, mode)
                drive.moves.append(move)
                drive.moved.add(slider_index)
        return drive

    def _modes(self, output: Locator) -> list[str]:
        """Every option of the widget's toggle buttons and menus, but the ones it starts on.

        Named "<control>=<option>" (the control's description, or its position if it has none).
        """
        modes = []
        for index, group in enumerate(output.locator(".widget-toggle-buttons").all()):
            name = self._control_name(group, f"toggle {index + 1}")
            for button in group.locator("button.widget-toggle-button").all():
                if "mod-active" not in (button.get_attribute("class") or ""):
                    modes.append(f"{name}={button.inner_text().strip()}")
        for index, menu in enumerate(output.locator(".widget-dropdown").all()):
            name = self._control_name(menu, f"menu {index + 1}")
            select = menu.locator("select")
            current = select.evaluate("s => s.options[s.selectedIndex].text")
            for option in select.locator("option").all_inner_texts():
                if option != current:
                    modes.append(f"{name}={option}")
        return modes

    @staticmethod
    def _control_name(control: Locator, fallback: str) -> str:
        label = control.locator(".widget-label").first
        text = label.inner_text().strip() if label.count() else ""
        return text or fallback

    def _select(self, output: Locator, mode: str) -> None:
        """Pick ``mode`` ("<control>=<option>", from ``_modes``) with the mouse."""
        name, option = mode.split("=", 1)
        for index, group in enumerate(output.locator(".widget-toggle-buttons").all()):
            if self._control_name(group, f"toggle {index + 1}") == name:
                for button in group.locator("button.widget-toggle-button").all():
                    if button.inner_text().strip() == option:
                        button.scroll_into_view_if_needed()
                        button.click()
                        return
        for index, menu in enumerate(output.locator(".widget-dropdown").all()):
            if self._control_name(menu, f"menu {index + 1}") == name:
                menu.scroll_into_view_if_needed()
                menu.locator("select").select_option(label=option)
                return
        raise AssertionError(f"no control {name!r} with the option {option!r}")

    @staticmethod
    def _slider(output: Locator, index: int) -> Locator:
        return output.locator(SLIDER).nth(index)

    def _slider_labels(self, output: Locator) -> dict[int, str]:
        """Every enabled slider of the widget, shown or hidden: position -> its label."""
        return {
            index: self._slider(output, index).locator(".widget-label").first.inner_text().strip()
            or f"slider {index + 1}"
            for index in self._enabled_sliders(output)
        }

    @staticmethod
    def _enabled_sliders(output: Locator) -> list[int]:
        """The positions of the sliders a student can move (not disabled)."""
        return [
            index
            for index, slider in enumerate(output.locator(SLIDER).all())
            if slider.locator(".noUi-handle").evaluate(
                "h => !h.closest('[disabled]') && h.tabIndex >= 0"
            )
        ]

    def move_slider(
        self, output: Locator, slider_index: int, widget_index: int, mode: str
    ) -> SliderMove:
        """Focus the slider's handle and press arrow keys until something the slider drives
        (a readout, a text or the image) changes.

        Moves right, or left from the maximum. A widget whose slider only takes effect
        through a button (the training widget: set the hidden size, then Train) gets its
        first button clicked after the first key press changed nothing; the move counts once
        the button is enabled again and the output differs.
        """
        slider = self._slider(output, slider_index)
        handle = slider.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        label = slider.locator(".widget-label").first.inner_text().strip()
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
        return SliderMove(
            widget_index, mode, label, before_value, readout.inner_text(), changed, clicked
        )

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

    def _settle(self, output: Locator, quiet_ms: int = SETTLE_MS) -> None:
        """Wait until what ``output`` shows stays the same for ``quiet_ms``: work a button
        starts in a background thread (training) ends with no kernel status to wait for, and
        a picture sent by the kernel reaches the page a little after the kernel is idle."""
        deadline = time.monotonic() + BUTTON_WAIT_MS / 1000
        state = output.evaluate(_DRIVEN_STATE)
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(quiet_ms)
            now = output.evaluate(_DRIVEN_STATE)
            if now == state:
                return
            state = now

    def wait_idle(self) -> None:
        """Wait until the kernel has handled everything sent to it."""
        self.page.wait_for_function(_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS)
