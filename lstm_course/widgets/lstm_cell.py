"""Widgets for notebooks 05–08: the live LSTM cell diagram under sliders.

Wiring only: ``lstm_course.lstm`` computes (``lstm_cell``, ``gate_values_step``),
``lstm_course.plots.lstm_cell`` draws. Each builder takes no argument and returns a
``Playground`` whose figure is built once; a slider move recomputes the step and updates the
diagram's artists in place. Every frame can be drawn in a static cell with the same calls:
``gate_values_step`` then ``draw_lstm_cell``.

    cell_state_playground()   05  f_t, i_t, o_t set by hand, shared by all units or one per unit
    forget_gate_playground()  06  f_t by hand (no σ computed) or from b_f and W_f ("sigmoid layer")
    cell_update_playground()  07  f_t, i_t, C̃_t by hand on the article's C_{t-1}
    full_cell_playground()    08  seeded weights; sliders for b_f, b_i, b_o and the three x_t
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets
import numpy as np

from lstm_course import worked_example
from lstm_course.i18n import N_, _
from lstm_course.lstm import LSTMParams, gate_values_step, lstm_cell
from lstm_course.plots.lstm_cell import draw_lstm_cell, new_cell_figure
from lstm_course.widgets.neuron import demo_weights
from lstm_course.widgets.playground import Playground, choices, register, slider

H = worked_example.HIDDEN_SIZE  # 3 units, as in the article
D = worked_example.INPUT_SIZE  # 3 inputs
SHARED, PER_UNIT = N_("one value shared by all units"), N_("one value per unit")
VIEWS = {
    N_("whole cell"): None,
    N_("forget gate"): "forget",
    N_("input gate"): "input",
    N_("candidate"): "candidate",
    N_("cell update"): "cell",
    N_("output gate"): "output",
    N_("hidden state"): "hidden",
}
"""The diagram's highlight, by the name a student picks from the "show" menu."""

DEMO_C_TILDE = worked_example.DEMO_C_TILDE  # notebook 05's candidate, fixed there
# Notebook 07's starting values beside the article's f_t = [0.5, 0.1, 0.8]: an input gate
# that writes unit 1 a lot and unit 3 little, and a candidate with both signs.
DEMO_I_T = np.array([0.8, 0.5, 0.2])
DEMO_C_TILDE_07 = np.array([0.6, -0.4, 0.9])
FULL_CELL_SEED = 0  # notebook 08's weights: LSTMParams.random(3, 3, default_rng(0))


# --- Controls ------------------------------------------------------------------------------


LABELS = {"C_tilde": "C̃_t"}  # a control's name -> the symbol its slider shows


def _unit_sliders(
    symbol: str, values, low: float, high: float, step: float = 0.01
) -> dict[str, widgets.FloatSlider]:
    """One slider per unit, keyed "f_t[1]", "f_t[2]", … and labelled "f_t unit 1", … (units
    counted from 1, as in prose; numpy's index of unit k is k − 1)."""
    label = LABELS.get(symbol, symbol)
    digits = 3 if step < 0.01 else 2
    return {
        f"{symbol}[{k + 1}]": slider(
            _("{symbol} unit {k}").format(symbol=label, k=k + 1),
            round(float(v), digits),
            low,
            high,
            step,
        )
        for k, v in enumerate(values)
    }


def _unit_values(values: dict, symbol: str) -> np.ndarray:
    """The (H,) vector the per-unit sliders of ``symbol`` hold."""
    return np.array([values[f"{symbol}[{k + 1}]"] for k in range(H)])


def _toggle(options: list[str], description: str) -> widgets.ToggleButtons:
    return widgets.ToggleButtons(
        options=choices(options), description=_(description), style={"button_width": "auto"}
    )


def _view_menu() -> widgets.Dropdown:
    return widgets.Dropdown(options=choices(VIEWS), value="whole cell", description=_("show"))


def _show_only(controls: dict, names: set[str], toggle: str, choices: dict[str, set[str]]):
    """Show the controls ``choices[toggle value]`` out of ``names``; hide the rest of them.

    Wired to the toggle, so it runs on every change of mode (and once now).
    """

    def apply(_change=None) -> None:
        visible = choices[controls[toggle].value]
        for name in names:
            controls[name].layout.display = None if name in visible else "none"

    controls[toggle].observe(apply, names="value")
    apply()


# --- Readouts ------------------------------------------------------------------------------


def _row(symbol: str, values: np.ndarray) -> str:
    numbers = "".join(f"<td>{v:+.3f}</td>" for v in values)
    return f"<tr><th style='text-align:left;padding-right:1em'>{symbol}</th>{numbers}</tr>"


def _table(rows: list[tuple[str, np.ndarray]], note: str = "") -> str:
    body = "".join(_row(symbol, values) for symbol, values in rows)
    style = "font-family:monospace;border-collapse:collapse"
    tail = f"<div>{note}</div>" if note else ""
    return f"<table style='{style}'>{body}</table>{tail}"


# --- 05: the cell state as a conveyor belt -------------------------------------------------


@register
def cell_state_playground() -> Playground:
    """Notebook 05: set the three gates by hand and watch C_t and h_t on the diagram.

    The article's C_{t-1}, h_{t-1}, x_t and a fixed candidate ``DEMO_C_TILDE``. The toggle
    chooses one value per gate for all units, or one slider per unit. It starts as the
    conveyor belt: f_t = 1, i_t = 0, so C_t = C_{t-1} exactly.
    """
    C_prev, h_prev, x_t = worked_example.C_prev, worked_example.h_prev, worked_example.x_t
    start = {"f_t": 1.0, "i_t": 0.0, "o_t": 1.0}
    shared = {name: slider(name, value, 0.0, 1.0) for name, value in start.items()}
    per_unit = {}
    for name, value in start.items():
        per_unit |= _unit_sliders(name, np.full(H, value), 0.0, 1.0)
    controls = {"units": _toggle([SHARED, PER_UNIT], N_("gates")), **shared, **per_unit}
    controls["show"] = _view_menu()
    choices = {SHARED: set(shared), PER_UNIT: set(per_unit)}
    _show_only(controls, set(shared) | set(per_unit), "units", choices)

    figure, ax = new_cell_figure()
    first = gate_values_step(C_prev, 1.0, 0.0, DEMO_C_TILDE, 1.0)
    diagram = draw_lstm_cell(ax, first, C_prev, h_prev, x_t)

    def update(values: dict) -> str:
        if values["units"] == SHARED:
            f_t, i_t, o_t = (np.full(H, values[name]) for name in ("f_t", "i_t", "o_t"))
        else:
            f_t, i_t, o_t = (_unit_values(values, name) for name in ("f_t", "i_t", "o_t"))
        step = gate_values_step(C_prev, f_t, i_t, DEMO_C_TILDE, o_t)
        diagram.update(step, C_prev, h_prev, x_t, VIEWS[values["show"]])
        kept = np.allclose(step.C_t, C_prev)
        note = _("C_t = C_{t-1}: the belt carries the old state through unchanged.") if kept else ""
        return _table(
            [
                ("C_{t-1}", C_prev),
                ("f_t ⊙ C_{t-1}", f_t * C_prev),
                ("i_t ⊙ C̃_t", i_t * DEMO_C_TILDE),
                ("C_t", step.C_t),
                ("h_t", step.h_t),
            ],
            note,
        )

    return Playground(controls, update, figure, title=_("The cell state: three gates by hand"))


# --- 06: the forget gate -------------------------------------------------------------------

BY_HAND, SIGMOID_LAYER = N_("f_t by hand"), N_("sigmoid layer: set b_f and W_f")


@register
def forget_gate_playground() -> Playground:
    """Notebook 06: the forget gate on the article's numbers, two ways.

    "f_t by hand": three sliders set f_t directly (no σ is computed), starting at the article's
    [0.5, 0.1, 0.8].
    "sigmoid layer": f_t = σ(W_f·[h_{t-1}, x_t] + b_f) with b_f on three sliders (starting
    at logit(f_t) = [0, −2.197, 1.386]) and W_f = scale × notebook 01's seeded 3×6 weights;
    at scale 0 the layer gives the article's f_t exactly. The other layers have zero weights
    and biases (i_t = o_t = 0.5, C̃_t = 0); the forget gate is highlighted.
    """
    ex = worked_example
    W_direction = demo_weights()  # (3, 6), the same weights notebook 01 draws
    f_sliders = _unit_sliders("f_t", ex.f_t, 0.0, 1.0)
    b_sliders = _unit_sliders("b_f", ex.b_f, -5.0, 5.0, step=0.001)  # logit(f_t) to 3 places
    scale = {"W_f scale": slider(_("W_f scale"), 0.0, -3.0, 3.0, 0.05)}
    controls = {"mode": _toggle([BY_HAND, SIGMOID_LAYER], N_("view")), **f_sliders}
    controls |= b_sliders | scale
    names = set(f_sliders) | set(b_sliders) | set(scale)
    choices = {BY_HAND: set(f_sliders), SIGMOID_LAYER: set(b_sliders) | set(scale)}
    _show_only(controls, names, "mode", choices)

    zero = LSTMParams.zeros(D, H)
    figure, ax = new_cell_figure()
    first = lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, replace(zero, W_f=ex.W_f, b_f=ex.b_f))
    diagram = draw_lstm_cell(ax, first, ex.C_prev, ex.h_prev, ex.x_t, highlight="forget")

    def update(values: dict) -> str:
        if values["mode"] == BY_HAND:
            f_t = _unit_values(values, "f_t")
            rest = lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, zero)
            step = gate_values_step(ex.C_prev, f_t, rest.i_t, rest.C_tilde, rest.o_t)
            rows = [("f_t", f_t)]
            note = _("f_t set by hand: one number per unit, nothing computed from the input.")
        else:
            W_f = values["W_f scale"] * W_direction
            b_f = _unit_values(values, "b_f")
            step = lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, replace(zero, W_f=W_f, b_f=b_f))
            rows = [("W_f·[h,x] + b_f", W_f @ ex.hx + b_f), ("f_t = σ(…)", step.f_t)]
            note = _("{n_in} values of [h_{{t-1}}, x_t] in, {n_out} values of f_t out.").format(
                n_in=ex.hx.size, n_out=step.f_t.size
            )
        diagram.update(step, ex.C_prev, ex.h_prev, ex.x_t, highlight="forget")
        rows += [("C_{t-1}", ex.C_prev), ("f_t ⊙ C_{t-1}", step.f_t * ex.C_prev)]
        return _table(rows, note)

    return Playground(controls, update, figure, title=_("The forget gate: f_t ⊙ C_{t-1}"))


# --- 07: the cell update -------------------------------------------------------------------


@register
def cell_update_playground() -> Playground:
    """Notebook 07: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t on the article's C_{t-1}, by hand.

    Per-unit sliders for f_t (starting at the article's [0.5, 0.1, 0.8]), i_t (``DEMO_I_T``)
    and C̃_t (``DEMO_C_TILDE_07``), or one value of each shared by all units. o_t = 1.
    The cell update is highlighted; the readout follows the sum term by term.
    """
    ex = worked_example
    start = {"f_t": ex.f_t, "i_t": DEMO_I_T, "C_tilde": DEMO_C_TILDE_07}
    ranges = {"f_t": (0.0, 1.0), "i_t": (0.0, 1.0), "C_tilde": (-1.0, 1.0)}
    shared = {
        name: slider(LABELS.get(name, name), round(float(np.mean(v)), 2), *ranges[name])
        for name, v in start.items()
    }
    per_unit = {}
    for name, value in start.items():
        per_unit |= _unit_sliders(name, value, *ranges[name])
    controls = {"units": _toggle([PER_UNIT, SHARED], N_("values")), **per_unit, **shared}
    choices = {SHARED: set(shared), PER_UNIT: set(per_unit)}
    _show_only(controls, set(shared) | set(per_unit), "units", choices)

    figure, ax = new_cell_figure()
    first = gate_values_step(ex.C_prev, ex.f_t, DEMO_I_T, DEMO_C_TILDE_07, 1.0)
    diagram = draw_lstm_cell(ax, first, ex.C_prev, ex.h_prev, ex.x_t, highlight="cell")

    def update(values: dict) -> str:
        if values["units"] == SHARED:
            f_t, i_t, C_tilde = (np.full(H, values[name]) for name in start)
        else:
            f_t, i_t, C_tilde = (_unit_values(values, name) for name in start)
        step = gate_values_step(ex.C_prev, f_t, i_t, C_tilde, 1.0)
        diagram.update(step, ex.C_prev, ex.h_prev, ex.x_t, highlight="cell")
        return _table(
            [
                ("C_{t-1}", ex.C_prev),
                ("f_t ⊙ C_{t-1}", f_t * ex.C_prev),
                ("i_t ⊙ C̃_t", i_t * C_tilde),
                ("C_t", step.C_t),
            ],
            _("C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t: what is kept plus what is written."),
        )

    return Playground(controls, update, figure, title=_("The cell update: keep, then write"))


# --- 08: the whole cell --------------------------------------------------------------------


@register
def full_cell_playground() -> Playground:
    """Notebook 08: the whole cell with seeded weights, biases and input on sliders.

    Weights: ``LSTMParams.random(3, 3, np.random.default_rng(FULL_CELL_SEED))``; the sliders
    set b_f, b_i, b_o (one value for all three units each; b_C keeps its seeded value) and
    the three values of x_t (starting at the article's [0.2, 1.3, 0.7]), with the article's
    h_{t-1} and C_{t-1}. The whole diagram updates; "show" highlights one part.
    """
    ex = worked_example
    params = LSTMParams.random(D, H, np.random.default_rng(FULL_CELL_SEED))
    biases = {name: slider(name, 0.0, -4.0, 4.0, 0.05) for name in ("b_f", "b_i", "b_o")}
    inputs = _unit_sliders("x_t", ex.x_t, -2.0, 2.0)
    controls = {**biases, **inputs, "show": _view_menu()}

    figure, ax = new_cell_figure()
    first = lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, params)
    diagram = draw_lstm_cell(ax, first, ex.C_prev, ex.h_prev, ex.x_t)

    def update(values: dict) -> str:
        b = {name: np.full(H, values[name]) for name in biases}
        x_t = _unit_values(values, "x_t")
        step = lstm_cell(x_t, ex.h_prev, ex.C_prev, replace(params, **b))
        diagram.update(step, ex.C_prev, ex.h_prev, x_t, VIEWS[values["show"]])
        return _table(
            [("f_t", step.f_t), ("i_t", step.i_t), ("o_t", step.o_t)]
            + [("C̃_t", step.C_tilde), ("C_t", step.C_t), ("h_t", step.h_t)]
        )

    return Playground(controls, update, figure, title=_("The whole cell: biases and input"))
