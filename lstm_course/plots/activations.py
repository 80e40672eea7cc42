"""Pictures for notebook 01: the activation curves, one neuron's response, and the article's
sigmoid layer (a 3×6 matrix acting on the 6 values of [h_{t-1}, x_t]) beside the σ function.

Drawing only: the numbers come from ``lstm_course.activations`` and ``lstm_course.neuron``
(``neuron_response``, ``dense_layer_parts``); nothing is computed here.
Functions that a widget animates return an artists object whose ``update`` changes texts,
data and colours in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.i18n import N_, _
from lstm_course.neuron import dense_layer_parts, neuron, neuron_response
from lstm_course.shapes import checked, vector

Activation = Callable[[np.ndarray], np.ndarray]

Z_RANGE = (-6.0, 6.0)
CURVE_POINTS = 241
CURVE_COLOURS = {N_("σ (sigmoid)"): "tab:orange", "tanh": "tab:blue", "ReLU": "tab:green"}
H_COLOUR = "#cfe2f3"  # h_{t-1}'s part of [h_{t-1}, x_t]
X_COLOUR = "#d9ead3"  # x_t's part
OUT_COLOUR = "#fce5cd"  # a layer's or a function's output
WEIGHT_CMAP = "coolwarm"


def plot_activations(ax: Axes, z_range: tuple[float, float] = Z_RANGE) -> Axes:
    """σ(z), tanh(z) and ReLU(z) on one Axes, with their ranges marked: (0, 1), (−1, 1), [0, ∞)."""
    z = np.linspace(*z_range, CURVE_POINTS)
    for (label, colour), function in zip(CURVE_COLOURS.items(), (sigmoid, tanh, relu), strict=True):
        ax.plot(z, function(z), color=colour, lw=2, label=_(label))
    for level in (-1.0, 0.0, 1.0):
        ax.axhline(level, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlim(*z_range)
    ax.set_ylim(-1.3, 2.3)
    ax.set_xlabel(_("z (the weighted sum w·x + b)"))
    ax.set_ylabel("a(z)")
    ax.set_title(_("Activation functions"))
    ax.legend(loc="upper left")
    return ax


@dataclass
class NeuronCurve:
    """The artists of ``draw_neuron_curve``: the curve y = a(w·x + b) over x and one input."""

    ax: Axes
    curve: Line2D
    reference: Line2D
    marker: Line2D
    guide: Line2D
    label: Text
    x_values: np.ndarray

    def update(self, w: float, b: float, activation: Activation, x: float) -> float:
        """Redraw for new w, b, activation and input x; return the output y = a(w·x + b)."""
        x = float(checked("x", x, ()))
        self.curve.set_ydata(neuron_response(self.x_values, w, b, activation))
        self.reference.set_ydata(neuron_response(self.x_values, 1.0, 0.0, activation))
        y = neuron([x], [w], b, activation)
        self.marker.set_data([x], [y])
        self.guide.set_data([x, x, self.x_values[0]], [self.ax.get_ylim()[0], y, y])
        self.label.set_text(f"x = {x:.2f}\nz = w·x + b = {w * x + b:.2f}\ny = a(z) = {y:.3f}")
        return y


def draw_neuron_curve(
    ax: Axes,
    w: float,
    b: float,
    activation: Activation = sigmoid,
    x: float = 1.0,
    x_range: tuple[float, float] = Z_RANGE,
) -> NeuronCurve:
    """One neuron with a single input: y = a(w·x + b) against x, and the point at input x.

    The dashed curve is a(x) itself (w = 1, b = 0): w stretches it, b shifts it.
    """
    x_values = np.linspace(*x_range, CURVE_POINTS)
    (reference,) = ax.plot(x_values, x_values * 0, color="0.6", ls="--", lw=1, label="a(x)")
    (curve,) = ax.plot(x_values, x_values * 0, color="tab:orange", lw=2.5, label="a(w·x + b)")
    (guide,) = ax.plot([], [], color="tab:red", ls=":", lw=1)
    (marker,) = ax.plot([], [], "o", color="tab:red", ms=8, zorder=3)
    ax.set_xlim(*x_range)
    ax.set_ylim(-1.2, 1.8)
    ax.axhline(0.0, color="0.85", lw=0.8, zorder=0)
    ax.set_xlabel(_("input x"))
    ax.set_ylabel(_("output y"))
    ax.legend(loc="upper left")
    label = ax.text(
        0.98, 0.04, "", transform=ax.transAxes, ha="right", va="bottom", family="monospace"
    )
    artists = NeuronCurve(ax, curve, reference, marker, guide, label, x_values)
    artists.update(w, b, activation, x)
    return artists


def _number(value: float) -> str:
    """Two decimals, without the "-0.00" that a tiny negative value would print."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _cell(ax: Axes, x: float, y: float, value: float, facecolor: object) -> tuple[Rectangle, Text]:
    """One boxed number with its lower-left corner at (x, y), one unit wide and high."""
    box = Rectangle((x, y), 1.0, 1.0, facecolor=facecolor, edgecolor="0.3", lw=1)
    ax.add_patch(box)
    text = ax.text(x + 0.5, y + 0.5, _number(value), ha="center", va="center", fontsize=8)
    return box, text


def _column(ax: Axes, x: float, values: np.ndarray, colours: list, top: float) -> list:
    """A column vector drawn downwards from ``top``; returns its (box, text) cells."""
    return [
        _cell(ax, x, top - 1 - k, v, c)
        for k, (v, c) in enumerate(zip(values, colours, strict=True))
    ]


@dataclass
class SigmoidLayerPicture:
    """The artists of ``draw_sigmoid_layer``; ``update`` recolours and renumbers them."""

    weight_cells: list
    hx_cells: list
    b_cells: list
    z_cells: list
    out_cells: list
    norm: Normalize
    cmap: object

    def update(self, W: np.ndarray, b: np.ndarray, hx: np.ndarray) -> np.ndarray:
        """New W (3, 6), b (3,), hx (6,); returns the layer's output σ(W·hx + b) (3,)."""
        z, out = dense_layer_parts(hx, W, b, sigmoid)
        for (box, text), w in zip(self.weight_cells, np.ravel(W), strict=True):
            box.set_facecolor(self.cmap(self.norm(w)))
            text.set_text(_number(w))
            text.set_color("white" if abs(self.norm(w) - 0.5) > 0.35 else "black")
        for cells, values in (
            (self.hx_cells, hx),
            (self.b_cells, b),
            (self.z_cells, z),
            (self.out_cells, out),
        ):
            for (_box, text), v in zip(cells, values, strict=True):
                text.set_text(_number(v))
        return out


def draw_sigmoid_layer(
    ax: Axes, W: np.ndarray, b: np.ndarray, hx: np.ndarray
) -> SigmoidLayerPicture:
    """The sigmoid layer f = σ(W·[h_{t-1}, x_t] + b) as boxes: W (H, H + D) times a column.

    W's cells are coloured by sign and size; [h_{t-1}, x_t] is blue for h, green for x.
    Each row of W meets the whole 6-vector and gives one number: 6 in, H = 3 out.
    """
    hx = vector("hx", hx)
    b = vector("b", b)
    W = checked("W", W, (b.size, hx.size), "(len(b), len(hx)) = (outputs, inputs)")
    H, n = W.shape
    n_h = H  # the layer's outputs are the next h: [h_{t-1}, x_t] starts with H values of h
    top = max(n, H) / 2 + H / 2  # centre W's rows on the vector's column
    mid = top - H / 2
    limit = max(float(np.max(np.abs(W))), 1e-9)
    norm, cmap = Normalize(-limit, limit), colormaps[WEIGHT_CMAP]
    weight_cells = [
        _cell(ax, j, mid + H / 2 - 1 - i, W[i, j], "w") for i in range(H) for j in range(n)
    ]
    x0 = n + 1.0
    v_top = mid + n / 2
    hx_colours = [H_COLOUR if k < n_h else X_COLOUR for k in range(n)]
    hx_cells = _column(ax, x0, hx, hx_colours, v_top)
    b_cells = _column(ax, x0 + 2, b, ["0.93"] * H, mid + H / 2)
    parts = dense_layer_parts(hx, W, b)
    z_cells = _column(ax, x0 + 4, parts.z, ["0.97"] * H, mid + H / 2)
    out_cells = _column(ax, x0 + 6.6, parts.y, [OUT_COLOUR] * H, mid + H / 2)
    y_sign = mid
    for x_sign, sign in ((n + 0.5, "·"), (x0 + 1.5, "+"), (x0 + 3.5, "="), (x0 + 5.8, "σ →")):
        ax.text(x_sign, y_sign, sign, ha="center", va="center", fontsize=13)
    captions = [
        (n / 2, f"W  ({H}, {n})"),
        (x0 + 0.5, f"$[h_{{t-1}}, x_t]$  ({n},)"),
        (x0 + 2.5, f"b  ({H},)"),
        (x0 + 4.5, f"z  ({H},)"),
        (x0 + 7.1, f"σ(z)  ({H},)"),
    ]
    for x_caption, caption in captions:
        ax.text(x_caption, mid - n / 2 - 0.4, caption, ha="center", va="top", fontsize=9)
    ax.text(x0 + 0.5, v_top + 0.3, "$h_{t-1}$ | $x_t$", ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.3, x0 + 8)
    ax.set_ylim(mid - n / 2 - 1.3, v_top + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_("A sigmoid layer: {n} values in, {H} out").format(n=n, H=H))
    picture = SigmoidLayerPicture(weight_cells, hx_cells, b_cells, z_cells, out_cells, norm, cmap)
    picture.update(W, b, hx)
    return picture


def draw_sigma_function(ax: Axes, v: np.ndarray, n_h: int | None = None) -> Axes:
    """The σ *function* on the same vector: each value through σ on its own, n in, n out.

    ``n_h`` colours the first n_h values as h_{t-1} and the rest as x_t.
    """
    v = vector("v", v)
    n = v.size
    n_h = n // 2 if n_h is None else n_h
    colours = [H_COLOUR if k < n_h else X_COLOUR for k in range(n)]
    _column(ax, 0.0, v, colours, n)
    _column(ax, 3.0, sigmoid(v), [OUT_COLOUR] * n, n)
    for k in range(n):
        ax.annotate(
            "", xy=(3.0, n - k - 0.5), xytext=(1.0, n - k - 0.5), arrowprops={"arrowstyle": "->"}
        )
    ax.text(2.0, n + 0.2, "σ", ha="center", va="bottom", fontsize=13)
    ax.text(0.5, -0.4, f"v  ({n},)", ha="center", va="top", fontsize=9)
    ax.text(3.5, -0.4, f"σ(v)  ({n},)", ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, 4.5)
    ax.set_ylim(-1.3, n + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_("The σ function: {n} in, {n} out").format(n=n))
    return ax
