"""The constant error carousel on sliders (notebook 11): how far back does *our* gradient reach?

Controls: the LSTM's forget-gate bias b_f and the RNN's spectral radius ρ(W_hh). Pure
functions: ``lstm_course.bptt.lstm_jacobians`` / ``rnn_jacobians`` (numpy BPTT, every T in one
backward pass) and ``spectral_norms``, on notebook 04's random weights and inputs
(``gradients.with_forget_bias``, ``demo_inputs``; ``rnn.with_spectral_radius``). Drawing:
``lstm_course.plots.bptt.plot_gradient_reach``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course.activations import sigmoid
from lstm_course.bptt import lstm_jacobians, rnn_jacobians, spectral_norms
from lstm_course.gradients import HIDDEN_SIZE, INPUT_SIZE, demo_inputs, with_forget_bias
from lstm_course.i18n import _
from lstm_course.lstm import LSTMParams
from lstm_course.plots.bptt import LSTM_C, LSTM_H, RNN_H, plot_gradient_reach
from lstm_course.rnn import RNNParams, with_spectral_radius
from lstm_course.widgets.playground import Playground, register

STEPS = 40  # T = 1 … 40, as notebook 04
SEED = 0  # notebook 04's weights and inputs
RADIUS = 0.8  # notebook 04's ρ = 0.8 RNN, the one section 2 of notebook 11 reproduces
FORGET_BIAS = 3.0


def rnn_reach(radius: float, steps: int = STEPS, seed: int = SEED) -> np.ndarray:
    """‖∂h_T/∂h_0‖ for T = 1 … steps, (steps,): notebook 04's RNN with ρ(W_hh) = radius, by BPTT."""
    base = RNNParams.random(INPUT_SIZE, HIDDEN_SIZE, np.random.default_rng(seed))
    params = with_spectral_radius(base, radius)
    return spectral_norms(rnn_jacobians(demo_inputs(steps, seed), params))


def lstm_reach(
    forget_bias: float, steps: int = STEPS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """(‖∂h_T/∂h_0‖, ‖∂h_T/∂C_0‖) for T = 1 … steps: notebook 04's LSTM with b_f = forget_bias."""
    base = LSTMParams.random(INPUT_SIZE, HIDDEN_SIZE, np.random.default_rng(seed))
    jacobians = lstm_jacobians(demo_inputs(steps, seed), with_forget_bias(base, forget_bias))
    return spectral_norms(jacobians.h_h0), spectral_norms(jacobians.h_C0)


def guides(radius: float, forget_bias: float, steps: int = STEPS) -> dict[str, np.ndarray]:
    """The dashed guides, T = 1 … steps: one road alone, every squashing derivative left out.

    ρᵀ is the long-run rate of the bare power W_hhᵀ (every tanh′ = 1); σ(b_f)ᵀ is the carousel
    alone with every f_t = σ(b_f). Neither is a bound: tanh′ < 1 pulls the RNN far below ρᵀ
    (the bound is σ_max(W_hh)ᵀ), and the roads through h_{t-1} lift the LSTM above σ(b_f)ᵀ.
    """
    T = np.arange(1, steps + 1)
    return {RNN_H: radius**T, LSTM_C: float(sigmoid(forget_bias)) ** T}


def reach_readout(radius: float, rnn: np.ndarray, forget_bias: float, lstm: tuple) -> str:
    """The three norms at T = 10 and at the last T, as HTML."""
    last = len(rnn)
    lstm_h, lstm_C = lstm
    f = float(sigmoid(forget_bias))
    return (
        f"RNN, ρ(W_hh) = {radius:.2f}: ‖∂h<sub>10</sub>/∂h<sub>0</sub>‖ = {rnn[9]:.1e}, "
        f"‖∂h<sub>{last}</sub>/∂h<sub>0</sub>‖ = {rnn[-1]:.1e}<br>"
        f"LSTM, b_f = {forget_bias:.1f} (σ(b_f) = {f:.3f}): "
        f"‖∂h<sub>{last}</sub>/∂h<sub>0</sub>‖ = {lstm_h[-1]:.1e}, "
        f"‖∂h<sub>{last}</sub>/∂C<sub>0</sub>‖ = {lstm_C[-1]:.1e}"
    )


@register
def carousel_playground() -> Playground:
    """‖∂h_T/∂h_0‖ and ‖∂h_T/∂C_0‖ against T by numpy BPTT; sliders b_f (LSTM) and ρ (RNN)."""
    figure = Figure(figsize=(7.2, 4.2))
    ax = figure.subplots(gridspec_kw={"left": 0.11, "right": 0.97, "top": 0.97, "bottom": 0.12})

    @lru_cache(maxsize=64)
    def rnn(radius: float) -> np.ndarray:
        return rnn_reach(radius)

    @lru_cache(maxsize=64)
    def lstm(forget_bias: float) -> tuple[np.ndarray, np.ndarray]:
        return lstm_reach(forget_bias)

    lstm_h, lstm_C = lstm(FORGET_BIAS)
    plot = plot_gradient_reach(
        ax, {RNN_H: rnn(RADIUS), LSTM_H: lstm_h, LSTM_C: lstm_C}, guides(RADIUS, FORGET_BIAS)
    )

    def update(values: dict[str, Any]) -> str:
        radius, forget_bias = values["radius"], values["forget_bias"]
        rnn_norms, lstm_norms = rnn(radius), lstm(forget_bias)
        guide = guides(radius, forget_bias)
        plot.update(RNN_H, rnn_norms, guide[RNN_H])
        plot.update(LSTM_H, lstm_norms[0])
        plot.update(LSTM_C, lstm_norms[1], guide[LSTM_C])
        return reach_readout(radius, rnn_norms, forget_bias, lstm_norms)

    style = {"style": {"description_width": "170px"}, "layout": widgets.Layout(width="480px")}
    controls = {
        "forget_bias": widgets.FloatSlider(
            value=FORGET_BIAS, min=-2.0, max=6.0, step=0.5, description="LSTM: b_f", **style
        ),
        "radius": widgets.FloatSlider(
            value=RADIUS, min=0.5, max=1.6, step=0.05, description="RNN: ρ(W_hh)", **style
        ),
    }
    animated = [*plot.lines.values(), *plot.guides.values()]
    return Playground(
        controls, update, figure, title=_("The constant error carousel, by our BPTT"),
        animated=animated,
    )  # fmt: skip
