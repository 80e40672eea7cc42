"""Gradient-norm sliders (notebook 04): how far back can the gradient reach?

Controls: the spectral radius ρ of the RNN's recurrent weights W_hh, and the LSTM's
forget-gate bias b_f. Pure functions: ``lstm_course.gradients.rnn_gradient_norms`` (autograd
through the unrolled cells) for the RNN; for the LSTM the same norms as ``lstm_gradient_norms``
by the package's backward pass (``widgets.bptt.lstm_reach``, notebook 11's ``bptt``, equal to
autograd's to rounding, tested), a third of autograd's cost, which is what precomputing the b_f
slider's 17 positions costs when the playground opens. Drawing:
``lstm_course.plots.dependencies.plot_gradient_norms``. Dashed guides: ρ^T for the RNN (what
W_hh alone would do, without tanh) and σ(b_f)^(T−1) for the LSTM (what the forget gate alone
would do to the conveyor belt C_t).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course.activations import sigmoid
from lstm_course.gradients import rnn_gradient_norms
from lstm_course.i18n import _
from lstm_course.plots.dependencies import plot_gradient_norms
from lstm_course.widgets.bptt import lstm_reach
from lstm_course.widgets.playground import Playground, register

STEPS = 40  # T = 1 … 40
RADIUS = 0.9  # the RNN's starting ρ(W_hh)
FORGET_BIAS = 3.0  # the LSTM's starting b_f: f_t ≈ σ(3) ≈ 0.95
RNN_LABEL = "RNN"
LSTM_LABEL = "LSTM"


def rnn_guide(radius: float, steps: int = STEPS) -> np.ndarray:
    """ρ^T for T = 1 … steps: the linear RNN's prediction, without tanh."""
    return radius ** np.arange(1, steps + 1)


def lstm_guide(forget_bias: float, first: float, steps: int = STEPS) -> np.ndarray:
    """first · σ(b_f)^(T−1) for T = 1 … steps: the forget gate's product along C_t."""
    return first * sigmoid(forget_bias) ** np.arange(steps)


def norm_readout(radius: float, rnn: np.ndarray, forget_bias: float, lstm: np.ndarray) -> str:
    """Both models' ‖∂h_T/∂h_0‖ at T = 10 and T = ``len(rnn)``."""
    last = len(rnn)
    f_t = float(sigmoid(forget_bias))
    return (
        f"RNN, ρ(W_hh) = {radius:.2f}: ‖∂h<sub>10</sub>/∂h<sub>0</sub>‖ = {rnn[9]:.1e}, "
        f"‖∂h<sub>{last}</sub>/∂h<sub>0</sub>‖ = {rnn[-1]:.1e}<br>"
        f"LSTM, b_f = {forget_bias:.1f} (f<sub>t</sub> ≈ σ(b_f) = {f_t:.3f}): "
        f"‖∂h<sub>10</sub>/∂h<sub>0</sub>‖ = {lstm[9]:.1e}, "
        f"‖∂h<sub>{last}</sub>/∂h<sub>0</sub>‖ = {lstm[-1]:.1e}"
    )


@register
def gradient_norm_playground() -> Playground:
    """‖∂h_T/∂h_0‖ against T for an RNN (slider: ρ) and an LSTM (slider: b_f)."""
    figure = Figure(figsize=(7.2, 4.2))
    ax = figure.subplots(gridspec_kw={"left": 0.11, "right": 0.97, "top": 0.97, "bottom": 0.12})

    # Each slider position is computed once: moving one slider leaves the other's curve cached.
    @lru_cache(maxsize=64)
    def rnn_norms(radius: float) -> np.ndarray:
        return rnn_gradient_norms(radius, STEPS)

    @lru_cache(maxsize=64)
    def lstm_norms(forget_bias: float) -> np.ndarray:
        return lstm_reach(forget_bias, STEPS)[0]  # = lstm_gradient_norms, by numpy's BPTT

    rnn, lstm = rnn_norms(RADIUS), lstm_norms(FORGET_BIAS)
    plot = plot_gradient_norms(
        ax,
        {RNN_LABEL: rnn, LSTM_LABEL: lstm},
        guides={RNN_LABEL: rnn_guide(RADIUS), LSTM_LABEL: lstm_guide(FORGET_BIAS, lstm[0])},
        guide_labels={
            RNN_LABEL: _("ρᵀ (W_hh alone)"),
            LSTM_LABEL: _("σ(b_f)ᵀ⁻¹ (f_t alone)"),
        },
    )

    def update(values: dict[str, Any]) -> str:
        radius, forget_bias = values["radius"], values["forget_bias"]
        rnn, lstm = rnn_norms(radius), lstm_norms(forget_bias)
        plot.update(RNN_LABEL, rnn, rnn_guide(radius))
        plot.update(LSTM_LABEL, lstm, lstm_guide(forget_bias, lstm[0]))
        return norm_readout(radius, rnn, forget_bias, lstm)

    slider_style = {
        "style": {"description_width": "170px"},
        "layout": widgets.Layout(width="480px"),
    }
    controls = {
        "radius": widgets.FloatSlider(
            value=RADIUS, min=0.5, max=1.6, step=0.05, description="RNN: ρ(W_hh)", **slider_style
        ),
        "forget_bias": widgets.FloatSlider(
            value=FORGET_BIAS, min=-2.0, max=6.0, step=0.5, description="LSTM: b_f", **slider_style
        ),
    }
    # The LSTM's Jacobians cost more than a move should take (~10 ms by numpy's BPTT, ~30 ms by
    # autograd): work out the 17 slider positions once, up front, so every move only redraws.
    bias = controls["forget_bias"]
    for forget_bias in np.arange(bias.min, bias.max + bias.step / 2, bias.step):
        lstm_norms(float(forget_bias))
    return Playground(controls, update, figure, title=_("How far back does the gradient reach?"))
