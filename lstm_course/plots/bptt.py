"""Pictures of backpropagation through time (notebook 11).

``plot_gradient_reach``: how far back a gradient reaches, ‖∂h_T/∂h_0‖ for the RNN and both
‖∂h_T/∂h_0‖ and ‖∂h_T/∂C_0‖ for the LSTM, against T, on notebook 04's log axis (its
``GradientNormPlot``, so a widget moves the lines in place). ``plot_loss_curves``: training
loss against step on a log axis, one line a run (numpy against PyTorch).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullLocator

from lstm_course.i18n import N_, _
from lstm_course.plots.dependencies import GradientNormPlot, plot_gradient_norms, power_of_ten
from lstm_course.shapes import as_float_array

RNN_H = "RNN: ‖∂h_T/∂h_0‖"
LSTM_H = "LSTM: ‖∂h_T/∂h_0‖"
LSTM_C = "LSTM: ‖∂h_T/∂C_0‖"
CURVES = (RNN_H, LSTM_H, LSTM_C)
GUIDE_LABELS = {RNN_H: N_("ρᵀ (W_hh alone, tanh′ = 1)"), LSTM_C: N_("σ(b_f)ᵀ (the carousel alone)")}


def plot_gradient_reach(
    ax: Axes,
    norms: Mapping[str, np.ndarray],
    guides: Mapping[str, np.ndarray],
) -> GradientNormPlot:
    """The three curves of ``CURVES`` (each (T,)) with the dashed guides of ``GUIDE_LABELS``.

    The LSTM's ∂h_T/∂C_0 is dotted in the LSTM's colour; the y label names both derivatives.
    """
    missing = [label for label in CURVES if label not in norms]
    if missing:
        raise ValueError(f"norms has no curve {missing}; expected {list(CURVES)}")
    plot = plot_gradient_norms(ax, {label: norms[label] for label in CURVES}, guides, GUIDE_LABELS)
    plot.lines[LSTM_C].set_linestyle(":")
    plot.lines[LSTM_C].set_linewidth(2.6)
    ax.set_ylabel("‖∂h_T/∂h_0‖, ‖∂h_T/∂C_0‖")
    ax.legend(loc="lower left", fontsize=8, ncols=2)
    return plot


def plot_loss_curves(
    ax: Axes, losses: Mapping[str, np.ndarray], target: float | None = None
) -> Axes:
    """Loss against step (1 … n) for each run, log scale; ``target`` as a grey line.

    Runs of different lengths are fine; a later run is drawn thinner and dashed, so two curves
    that agree are both visible.
    """
    for k, (label, values) in enumerate(losses.items()):
        values = as_float_array(f"losses[{label!r}]", values)
        steps = np.arange(1, values.size + 1)
        ax.plot(steps, values, label=label, lw=2.4 if k == 0 else 1.2, ls="-" if k == 0 else "--")
    if target is not None:
        ax.axhline(
            target, color="#999999", lw=0.8, label=_("loss = {target}").format(target=f"{target:g}")
        )
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
    ax.set_xlabel(_("training step (epoch)"))
    ax.set_ylabel(_("training MSE"))
    ax.grid(alpha=0.3)
    ax.legend()
    return ax
