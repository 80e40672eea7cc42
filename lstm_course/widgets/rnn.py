"""The RNN time-stepper (notebook 03): step t forward and back through an unrolled RNN.

Controls: the step t, and the input sequence (a sine wave, a single pulse, a constant).
Pure function: ``lstm_course.rnn.rnn_unroll``. Drawing: ``lstm_course.plots.rnn_diagram``.
The diagram highlights step t and writes h_1 … h_t; the trace below plots h_t so far; the
readout spells out h_t = tanh(W·[h_{t-1}, x_t] + b) with the numbers of step t.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course.i18n import _
from lstm_course.plots.rnn_diagram import draw_rnn_diagram, plot_hidden_trace
from lstm_course.rnn import RNNParams, rnn_unroll, with_spectral_radius
from lstm_course.widgets.playground import Playground, register

STEPS = 6  # T of the stepper
HIDDEN_SIZE = 3  # H: three units, so every h_t fits on screen as a column
WEIGHT_SCALE = 1.0  # W is drawn N(0, 1), then its recurrent block rescaled:
SPECTRAL_RADIUS = 0.7  # ρ(W_hh) < 1, so a single pulse fades over a few steps (notebook 04)
SEED = 1


def stepper_inputs(kind: str, steps: int = STEPS) -> np.ndarray:
    """The stepper's input sequences xs (steps, 1): "sine", "pulse" (1 then 0s) or "constant"."""
    t = np.arange(1, steps + 1)
    sequences = {
        "sine": np.sin(0.9 * t),
        "pulse": (t == 1).astype(float),
        "constant": np.ones(steps),
    }
    if kind not in sequences:
        raise ValueError(f"kind must be one of {sorted(sequences)}; got {kind!r}")
    return sequences[kind][:, None]


def stepper_params(seed: int = SEED) -> RNNParams:
    """The stepper's RNN: D = 1 input, H = 3 units, W (3, 4) and b (3,), seeded.

    W is drawn once, then its block W_hh (acting on h_{t-1}) is rescaled to spectral radius
    ``SPECTRAL_RADIUS``; b is small, so with no input h_t settles near 0 (at tanh's fixed
    point h = tanh(W_hh·h + b), within about 0.1 of it).
    """
    rng = np.random.default_rng(seed)
    drawn = RNNParams(
        W=rng.normal(0.0, WEIGHT_SCALE, (HIDDEN_SIZE, HIDDEN_SIZE + 1)),
        b=rng.normal(0.0, 0.05, HIDDEN_SIZE),
    )
    return with_spectral_radius(drawn, SPECTRAL_RADIUS)


def _vector(values: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:+.3f}" for v in values) + "]"


def step_readout(t: int, xs: np.ndarray, hs: np.ndarray) -> str:
    """The readout for step t (1 … T): h_{t-1}, x_t and h_t, from xs (T, D) and hs (T, H)."""
    h_prev = np.zeros(hs.shape[1]) if t == 1 else hs[t - 2]
    return (
        "<b>"
        + _("step t = {t}").format(t=t)
        + f"</b>: h<sub>{t}</sub> = tanh(W·[h<sub>{t - 1}</sub>, "
        f"x<sub>{t}</sub>] + b)<br>"
        f"h<sub>{t - 1}</sub> = {_vector(h_prev)}, x<sub>{t}</sub> = {_vector(xs[t - 1])}"
        f" &rarr; h<sub>{t}</sub> = <b>{_vector(hs[t - 1])}</b>"
    )


@register
def rnn_stepper_playground() -> Playground:
    """Step through an unrolled RNN: the diagram highlights step t and shows h_t."""
    params = stepper_params()
    figure = Figure(figsize=(9.6, 5.8))  # fixed margins: no layout engine to rerun per frame
    ax_diagram, ax_trace = figure.subplots(
        2,
        1,
        height_ratios=[3, 2],
        gridspec_kw={"left": 0.07, "right": 0.98, "top": 0.99, "bottom": 0.08, "hspace": 0.05},
    )
    xs = stepper_inputs("sine")
    hs = rnn_unroll(xs, params)
    diagram = draw_rnn_diagram(ax_diagram, STEPS, t=1, hs=hs, xs=xs)
    trace = plot_hidden_trace(ax_trace, hs, t=1)

    def update(values: dict[str, Any]) -> str:
        t = values["t"]
        xs = stepper_inputs(values["input"])
        hs = rnn_unroll(xs, params)
        diagram.update(t, hs, xs)
        trace.set_sequence(hs, t)
        return step_readout(t, xs, hs)

    controls = {
        "t": widgets.IntSlider(value=1, min=1, max=STEPS, description=_("step t")),
        "input": widgets.ToggleButtons(
            options=[
                (_("sine wave"), "sine"),
                (_("one pulse at t = 1"), "pulse"),
                (_("constant"), "constant"),
            ],
            value="sine",
            description="x_t",
        ),
    }
    slider = controls["t"]
    back = widgets.Button(description=_("◀ back"), layout=widgets.Layout(width="90px"))
    forward = widgets.Button(description=_("forward ▶"), layout=widgets.Layout(width="90px"))
    back.on_click(lambda _: setattr(slider, "value", max(slider.min, slider.value - 1)))
    forward.on_click(lambda _: setattr(slider, "value", min(slider.max, slider.value + 1)))
    step_buttons = widgets.HBox([back, forward])
    return Playground(
        controls, update, figure, title=_("An RNN, one step at a time"), beside={"t": step_buttons}
    )
