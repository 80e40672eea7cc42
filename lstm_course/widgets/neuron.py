"""Widgets for notebook 01: one neuron's curve under w and b, and the sigmoid layer's numbers.

Wiring only: ``lstm_course.neuron`` computes, ``lstm_course.plots.activations`` draws.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course import worked_example
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.i18n import _
from lstm_course.plots.activations import draw_neuron_curve, draw_sigmoid_layer
from lstm_course.widgets.playground import Playground, register, slider

ACTIVATIONS = {"σ": sigmoid, "tanh": tanh, "ReLU": relu}


@register
def neuron_playground() -> Playground:
    """One neuron with one input, y = a(w·x + b): sliders for w, b and x, a choice of a.

    w stretches the curve (and flips it when negative), b shifts it; the red point is the
    output for the chosen input x.
    """
    controls = {
        "activation": widgets.ToggleButtons(options=list(ACTIVATIONS), description="a"),
        "w": slider("w", 1.0, -5.0, 5.0),
        "b": slider("b", 0.0, -5.0, 5.0),
        "x": slider("x", 1.0, -6.0, 6.0),
    }
    figure = Figure(figsize=(6.5, 3.6), layout="constrained")
    curve = draw_neuron_curve(figure.subplots(), w=1.0, b=0.0, activation=sigmoid, x=1.0)

    def update(values: dict) -> str:
        name = values["activation"]
        y = curve.update(values["w"], values["b"], ACTIVATIONS[name], values["x"])
        z = values["w"] * values["x"] + values["b"]
        curve.curve.set_label(f"{name}(w·x + b)")
        curve.ax.legend(loc="upper left")
        a, w, b, x = html.escape(name), values["w"], values["b"], values["x"]
        return f"<code>y = {a}({w:.1f}·{x:.1f} + {b:.1f}) = {a}({z:.2f}) = {y:.3f}</code>"

    return Playground(controls, update, figure, title=_("One neuron: y = a(w·x + b)"))


@register
def sigmoid_layer_playground() -> Playground:
    """The article's sigmoid layer σ(W·[h_{t-1}, x_t] + b) on its 6-vector, 3 values out.

    A slider scales all of W (seeded weights, as in notebook 01's picture) and three sliders
    set b, starting from b = logit(f_t) of the article. At scale 0 the layer returns σ(b) ≈
    the article's f_t = [0.5, 0.1, 0.8]; whatever the sliders, 6 values go in and 3 come out.
    """
    W_demo = demo_weights()
    hx = worked_example.hx
    controls = {
        "scale": slider(_("scale W"), 1.0, -3.0, 3.0),
        **{
            f"b{k}": slider(f"b[{k}]", round(float(worked_example.b_f[k]), 2), -4.0, 4.0, 0.01)
            for k in range(3)
        },
    }
    figure = Figure(figsize=(9.0, 3.4), layout="constrained")
    picture = draw_sigmoid_layer(figure.subplots(), W_demo, worked_example.b_f, hx)

    def update(values: dict) -> str:
        W = values["scale"] * W_demo
        b = np.array([values[f"b{k}"] for k in range(3)])
        out = picture.update(W, b, hx)
        return (
            f"<code>σ(W·[h, x] + b) = {np.array2string(out, precision=3)}  "
            + _("({n_in} values in, {n_out} out)").format(n_in=hx.size, n_out=out.size)
            + "</code>"
        )

    return Playground(controls, update, figure, title=_("A sigmoid layer: 6 in, 3 out"))


def demo_weights() -> np.ndarray:
    """The seeded 3×6 weights notebook 01 draws: N(0, 0.5²) from seed 0, rounded to 0.01."""
    return np.round(np.random.default_rng(0).normal(0.0, 0.5, (3, 6)), 2)
