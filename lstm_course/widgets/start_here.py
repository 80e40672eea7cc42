"""The first slider of the course (notebook 00): move z, watch σ(z) move along its curve."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course.activations import sigmoid
from lstm_course.i18n import _
from lstm_course.widgets.playground import Playground, register

Z_RANGE = (-6.0, 6.0)


@register
def sigmoid_slider() -> Playground:
    """A slider for z; the figure marks the point (z, σ(z)) on the σ curve."""
    figure = Figure(figsize=(5, 2.6), layout="constrained")
    ax = figure.add_subplot()
    z = np.linspace(*Z_RANGE, 200)
    ax.plot(z, sigmoid(z), color="tab:blue", label="σ(z)")
    (point,) = ax.plot([0.0], [0.5], "o", color="tab:red", markersize=9)
    label = ax.annotate("", (0.0, 0.5), xytext=(8, -14), textcoords="offset points")
    ax.set(xlabel="z", ylabel="σ(z)", ylim=(-0.05, 1.05), title=_("σ squeezes any z into (0, 1)"))
    ax.axhline(0.5, color="grey", lw=0.5, ls=":")
    ax.legend(loc="upper left")

    def update(values: dict) -> str:
        value = float(values["z"])
        s = float(sigmoid(value))
        point.set_data([value], [s])
        label.xy = (value, s)
        label.set_text(f"σ({value:.1f}) = {s:.3f}")
        return f"z = {value:.1f} &nbsp;→&nbsp; σ(z) = <b>{s:.3f}</b>"

    controls = {
        "z": widgets.FloatSlider(
            value=0.0, min=Z_RANGE[0], max=Z_RANGE[1], step=0.5, description="z"
        )
    }
    return Playground(controls, update, figure, title=_("Your first slider"))
