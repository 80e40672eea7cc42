"""The live GRU cell diagram, in the article's convention or in PyTorch's.

The same picture language as the LSTM diagram (``plots.lstm_cell``): yellow boxes are
neural-network layers, pink circles pointwise operations, and every path carries a chip —
one square per unit, coloured on the same −1 … +1 scale, with the rounded number inside.
The GRU has no separate cell state: h runs along the top, from h_{t-1} to h_t.

    article (§3.7.3)                          PyTorch (nn.GRU, nn.GRUCell)
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)         r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)         z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    h̃_t = tanh(W_h·[r_t*h_{t-1}, x_t] + b_h)  n_t = tanh(W_in·x_t + b_in
                                                         + r_t*(W_hn·h_{t-1} + b_hn))
    h_t = (1−z_t)*h_{t-1} + z_t*h̃_t           h_t = (1−z_t)*n_t + z_t*h_{t-1}

Both differences are visible. In PyTorch's picture the reset gate multiplies the output of an
extra grey layer, W_hn·h_{t-1} + b_hn, rather than h_{t-1} itself; and the "1−" sits on the
candidate's path instead of the old state's, so z_t is how much of h_{t-1} is *kept*.

``draw_gru_cell(ax, step, h_prev, x_t, convention=...)`` draws it once and returns a
``GRUCellDiagram``; ``diagram.update(step, h_prev, x_t, highlight=...)`` changes the chips'
numbers and colours, the caption and the dimming in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text

from lstm_course.plots.lstm_cell import (
    CELL_COLOUR,
    COLORMAP,
    DIM_ALPHA,
    LAYER_COLOUR,
    LINE_COLOUR,
    MAX_UNITS_SHOWN,
    POINTWISE_COLOUR,
    VALUE_SCALE,
)
from lstm_course.shapes import checked, vector
from lstm_course.variants import GRUStep

CONVENTIONS = ("article", "pytorch")
HIGHLIGHTS = ("reset", "update", "candidate", "hidden")
"""The parts ``highlight`` may name; every other part is dimmed."""
ALWAYS = frozenset(HIGHLIGHTS)
GATE_INPUT = frozenset({"reset", "update", "candidate"})  # everything fed by [h_{t-1}, x_t]

CAPTIONS = {
    "article": {
        None: r"$h_t = (1 - z_t) \ast h_{t-1} + z_t \ast \tilde{h}_t$      (the article)",
        "reset": r"reset gate:  $r_t = \sigma(W_r \cdot [h_{t-1}, x_t] + b_r)$",
        "update": r"update gate:  $z_t = \sigma(W_z \cdot [h_{t-1}, x_t] + b_z)$",
        "candidate": r"candidate:  $\tilde{h}_t = \tanh(W_h \cdot [r_t \ast h_{t-1}, x_t] + b_h)$",
        "hidden": r"new state:  $h_t = (1 - z_t) \ast h_{t-1} + z_t \ast \tilde{h}_t$",
    },
    "pytorch": {
        None: r"$h_t = (1 - z_t) \ast n_t + z_t \ast h_{t-1}$      (PyTorch)",
        "reset": r"reset gate:  $r_t = \sigma(W_r \cdot [h_{t-1}, x_t] + b_r)$",
        "update": r"update gate:  $z_t = \sigma(W_z \cdot [h_{t-1}, x_t] + b_z)$",
        "candidate": r"candidate:  $n_t = \tanh(W_{in} x_t + b_{in}"
        r" + r_t \ast (W_{hn} h_{t-1} + b_{hn}))$",
        "hidden": r"new state:  $h_t = (1 - z_t) \ast n_t + z_t \ast h_{t-1}$",
    },
}

LINEAR_COLOUR = "#d9d9d9"  # PyTorch's W_hn·h_{t-1} + b_hn: a layer without an activation
FIGSIZE = (10.0, 5.0)  # as the LSTM diagram's, so the two can share a figure slot

# --- Geometry (data units, equal aspect; the same 20 × 10 frame as the LSTM diagram) -------

X_RANGE, Y_RANGE = (0.0, 20.0), (0.0, 10.0)
H_Y = 8.0  # the state line along the top
BUS_Y = 1.6  # [h_{t-1}, x_t] into the two gates
X_ONLY_Y = 1.0  # x_t on its own into the candidate
LAYER_Y = 3.6
LAYER_HALF = (0.6, 0.4)
LINEAR_HALF = (1.05, 0.38)
RESET_Y = 5.4  # the reset product and the line to the candidate
LINEAR_Y = 6.6  # PyTorch's W_hn·h_{t-1} + b_hn
SPLIT_Y = 6.6  # where z_t splits into keep and write
ONE_MINUS_Y = 7.3  # the article's 1 − z_t, on the way to the state line
X_IN, X_OUT = 0.25, 19.75
X_HB = 2.9  # h_{t-1} comes down from the state line here
X_X = 3.6  # x_t comes up here
X_R, X_Z, X_N, X_W = 4.8, 7.6, 11.0, 13.0  # reset, update, candidate, the write ×
X_ONE_MINUS_TORCH = 9.6  # PyTorch's 1 − z_t, on the way to the write ×
R = 0.33
UNIT_W, UNIT_H = 0.72, 0.46
CELL_BOX = (2.4, 0.55, 14.6, 8.6)


@dataclass
class _Chip:
    """A row of squares, one per unit (at most MAX_UNITS_SHOWN), coloured by value."""

    squares: list[Rectangle]
    numbers: list[Text]

    def show(self, values: np.ndarray) -> None:
        for square, number, value in zip(self.squares, self.numbers, values, strict=False):
            square.set_facecolor(COLORMAP(VALUE_SCALE(value)))
            text = f"{value:.2f}"
            number.set_text("0.00" if text == "-0.00" else text.replace("-", "−"))
            number.set_color("white" if abs(value) > 0.6 else "black")


class GRUCellDiagram:
    """The artists of one drawn GRU, and ``update`` to show a new step on them in place.

    Attributes: ``ax``; ``convention`` ("article" or "pytorch"); ``hidden_size`` H and
    ``input_size`` D (fixed at drawing time); ``highlight`` (the undimmed part, or None);
    ``chips``: path name -> the chip showing its values; ``caption``: the equation text.
    """

    def __init__(self, ax: Axes, convention: str, hidden_size: int, input_size: int) -> None:
        self.ax = ax
        self.convention = convention
        self.hidden_size = hidden_size
        self.input_size = input_size
        self.highlight: str | None = None
        self.chips: dict[str, _Chip] = {}
        self.caption: Text | None = None
        self._parts: list[tuple[Artist, frozenset[str]]] = []

    # -- building (called once, by draw_gru_cell) --

    def _add(self, artist: Artist, parts: frozenset[str] | set[str]) -> Artist:
        self.ax.add_artist(artist)
        self._parts.append((artist, frozenset(parts)))
        return artist

    def _line(self, points: list[tuple[float, float]], parts: set[str], arrow: bool = True):
        patch = FancyArrowPatch(
            path=Path(points), arrowstyle="-|>" if arrow else "-", mutation_scale=11,
            color=LINE_COLOUR, linewidth=1.6, shrinkA=0, shrinkB=0, zorder=1,
        )  # fmt: skip
        self._add(patch, parts)

    def _text(self, x: float, y: float, s: str, parts, **kw) -> Text:
        kw.setdefault("ha", "center")
        kw.setdefault("va", "center")
        return self._add(Text(x, y, s, **kw), parts)

    def _box(self, x, y, half, symbol: str, colour: str, parts: set[str], fontsize=11) -> None:
        w, h = half
        box = FancyBboxPatch(
            (x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=colour, edgecolor=LINE_COLOUR, linewidth=1.2, zorder=3,
        )  # fmt: skip
        self._add(box, parts)
        self._text(x, y, symbol, parts, fontsize=fontsize, zorder=4)

    def _pointwise(self, x: float, y: float, symbol: str, parts: set[str]) -> None:
        circle = Circle((x, y), R, facecolor=POINTWISE_COLOUR, edgecolor=LINE_COLOUR, zorder=3)
        self._add(circle, parts)
        self._text(x, y, symbol, parts, fontsize=12 if len(symbol) == 1 else 9, zorder=4)

    def _dot(self, x: float, y: float, parts) -> None:
        self._add(Circle((x, y), 0.09, color=LINE_COLOUR, zorder=2), parts)

    def _chip(self, name, x, y, size: int, label: str, parts, side: str = "left") -> None:
        shown = min(size, MAX_UNITS_SHOWN)
        x0 = x - shown * UNIT_W / 2
        squares, numbers = [], []
        for k in range(shown):
            square = Rectangle(
                (x0 + k * UNIT_W, y - UNIT_H / 2), UNIT_W, UNIT_H, facecolor="white",
                edgecolor="#555555", linewidth=0.8, zorder=5,
            )  # fmt: skip
            squares.append(self._add(square, parts))
            numbers.append(self._text(x0 + (k + 0.5) * UNIT_W, y, "", parts, fontsize=7.5,
                                      zorder=6))  # fmt: skip
        if size > shown:
            self._text(x0 + shown * UNIT_W + 0.08, y, f"…{size}", parts, ha="left", fontsize=7)
        anchor = {
            "left": (x0 - 0.12, y, "right", "center"),
            "right": (x0 + shown * UNIT_W + 0.12, y, "left", "center"),
            "above": (x, y + UNIT_H / 2 + 0.08, "center", "bottom"),
            "below": (x, y - UNIT_H / 2 - 0.08, "center", "top"),
        }
        lx, ly, ha, va = anchor[side]
        self._text(lx, ly, label, parts, ha=ha, va=va, fontsize=10, zorder=6)
        self.chips[name] = _Chip(squares, numbers)

    def build(self) -> None:
        """Every line, box, circle and chip, once; ``update`` fills in the values."""
        article = self.convention == "article"
        x0, y0, x1, y1 = CELL_BOX
        self._add(FancyBboxPatch(
            (x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.4",
            facecolor=CELL_COLOUR, edgecolor="#9fb3c8", linewidth=1.0, zorder=0,
        ), ALWAYS)  # fmt: skip
        self._draw_inputs()
        self._draw_reset(article)
        self._draw_update(article)
        self._draw_candidate(article)
        self._draw_state(article)
        self._draw_chips(article)
        self._draw_colour_scale()
        self.caption = self._text(sum(X_RANGE) / 2, 9.45, "", ALWAYS, fontsize=12)

    def _draw_inputs(self) -> None:
        """h_{t-1} along the top and down; x_t from below; [h_{t-1}, x_t] into the gates."""
        self._line([(X_IN, H_Y), (X_Z - R, H_Y)], {"hidden"} | GATE_INPUT, arrow=False)
        self._dot(X_HB, H_Y, GATE_INPUT)
        self._line([(X_HB, H_Y), (X_HB, BUS_Y), (X_Z, BUS_Y)], GATE_INPUT, arrow=False)
        self._line([(X_X, 0.1), (X_X, BUS_Y)], GATE_INPUT, arrow=False)
        self._dot(X_X, BUS_Y, GATE_INPUT)
        self._text(X_Z + 0.15, BUS_Y - 0.12, r"$[h_{t-1}, x_t]$", {"reset", "update"}, ha="left",
                   va="top", fontsize=9, color="#555555")  # fmt: skip

    def _draw_reset(self, article: bool) -> None:
        h = LAYER_HALF[1]
        self._line([(X_R, BUS_Y), (X_R, LAYER_Y - h)], {"reset"})
        self._box(X_R, LAYER_Y, LAYER_HALF, "σ", LAYER_COLOUR, {"reset"}, fontsize=13)
        self._text(X_R - 0.7, LAYER_Y - 0.62, "reset", {"reset"}, fontsize=8, style="italic",
                   color="#555555")  # fmt: skip
        self._line([(X_R, LAYER_Y + h), (X_R, RESET_Y - R)], {"reset"})
        self._pointwise(X_R, RESET_Y, "×", {"reset", "candidate"})
        if article:  # r_t * h_{t-1}: the reset acts on the state itself
            self._dot(X_HB, RESET_Y, {"reset"})
            self._line([(X_HB, RESET_Y), (X_R - R, RESET_Y)], {"reset"})
        else:  # r_t * (W_hn·h_{t-1} + b_hn): the reset acts after the product
            self._dot(X_HB, LINEAR_Y, {"reset"})
            self._line([(X_HB, LINEAR_Y), (X_R - LINEAR_HALF[0], LINEAR_Y)], {"reset"})
            self._box(X_R, LINEAR_Y, LINEAR_HALF, r"$W_{hn} h + b_{hn}$", LINEAR_COLOUR,
                      {"reset", "candidate"}, fontsize=9)  # fmt: skip
            self._line([(X_R, LINEAR_Y - LINEAR_HALF[1]), (X_R, RESET_Y + R)], {"reset"})
        self._line([(X_R + R, RESET_Y), (X_N, RESET_Y), (X_N, LAYER_Y + h)],
                   {"reset", "candidate"})  # fmt: skip

    def _draw_update(self, article: bool) -> None:
        h = LAYER_HALF[1]
        self._line([(X_Z, BUS_Y), (X_Z, LAYER_Y - h)], {"update"})
        self._box(X_Z, LAYER_Y, LAYER_HALF, "σ", LAYER_COLOUR, {"update"}, fontsize=13)
        self._text(X_Z - 0.75, LAYER_Y - 0.62, "update", {"update"}, fontsize=8, style="italic",
                   color="#555555")  # fmt: skip
        self._line([(X_Z, LAYER_Y + h), (X_Z, SPLIT_Y)], {"update"}, arrow=False)
        self._dot(X_Z, SPLIT_Y, {"update"})
        self._line([(X_Z, SPLIT_Y), (X_W - R, SPLIT_Y)], {"update", "hidden"})
        if article:  # 1 − z_t scales the old state
            self._line([(X_Z, SPLIT_Y), (X_Z, H_Y - R)], {"update", "hidden"})
            self._pointwise(X_Z, ONE_MINUS_Y, "1−", {"update", "hidden"})
        else:  # z_t scales the old state; 1 − z_t scales the candidate
            self._line([(X_Z, SPLIT_Y), (X_Z, H_Y - R)], {"update", "hidden"})
            self._pointwise(X_ONE_MINUS_TORCH, SPLIT_Y, "1−", {"update", "hidden"})

    def _draw_candidate(self, article: bool) -> None:
        w, h = LAYER_HALF
        self._dot(X_X, X_ONLY_Y, {"candidate"})
        self._line([(X_X, X_ONLY_Y), (X_N, X_ONLY_Y), (X_N, LAYER_Y - h)], {"candidate"})
        self._text(X_N - 0.15, X_ONLY_Y + 0.3, r"$x_t$", {"candidate"}, ha="right", fontsize=9,
                   color="#555555")  # fmt: skip
        self._box(X_N, LAYER_Y, LAYER_HALF, "tanh", LAYER_COLOUR, {"candidate"})
        self._text(X_N - 0.7, LAYER_Y - 0.62, "candidate", {"candidate"}, fontsize=8,
                   style="italic", color="#555555")  # fmt: skip
        self._line([(X_N + w, LAYER_Y), (X_W, LAYER_Y), (X_W, SPLIT_Y - R)],
                   {"candidate", "hidden"})  # fmt: skip

    def _draw_state(self, article: bool) -> None:
        self._pointwise(X_Z, H_Y, "×", {"hidden", "update"})
        self._pointwise(X_W, SPLIT_Y, "×", {"hidden", "update", "candidate"})
        self._line([(X_Z + R, H_Y), (X_W - R, H_Y)], {"hidden"})
        self._line([(X_W, SPLIT_Y + R), (X_W, H_Y - R)], {"hidden"})
        self._pointwise(X_W, H_Y, "+", {"hidden"})
        self._line([(X_W + R, H_Y), (X_OUT, H_Y)], {"hidden"})

    def _draw_chips(self, article: bool) -> None:
        H, D = self.hidden_size, self.input_size
        self._chip("h_prev", 1.45, H_Y, H, r"$h_{t-1}$", {"hidden"} | GATE_INPUT, "above")
        self._chip("x_t", X_X, 0.4, D, r"$x_t$", GATE_INPUT, "right")
        self._chip("r_t", X_R, 4.55, H, r"$r_t$", {"reset", "candidate"}, "left")
        self._chip("z_t", X_Z, 4.55, H, r"$z_t$", {"update", "hidden"}, "right")
        if article:
            self._chip("reset_product", (X_Z + X_N) / 2 + 0.2, RESET_Y, H,
                       r"$r_t \ast h_{t-1}$", {"reset", "candidate"}, "above")  # fmt: skip
        else:
            self._text((X_Z + X_N) / 2 + 0.2, RESET_Y + 0.2,
                       r"$r_t \ast (W_{hn} h_{t-1} + b_{hn})$", {"reset", "candidate"},
                       va="bottom", fontsize=9)  # fmt: skip
        symbol = r"$\tilde{h}_t$" if article else r"$n_t$"
        self._chip("h_tilde", X_W, 4.8, H, symbol, {"candidate", "hidden"}, "right")
        keep = r"$(1 - z_t) \ast h_{t-1}$" if article else r"$z_t \ast h_{t-1}$"
        write = r"$z_t \ast \tilde{h}_t$" if article else r"$(1 - z_t) \ast n_t$"
        self._chip("keep", (X_Z + X_W) / 2, H_Y, H, keep, {"hidden", "update"}, "above")
        self._chip("write", X_W + 0.45 + min(H, MAX_UNITS_SHOWN) * UNIT_W / 2, 7.25, H, write,
                   {"hidden", "update", "candidate"}, "right")  # fmt: skip
        self._chip("h_t", 18.2, H_Y, H, r"$h_t$", {"hidden"}, "above")

    def _draw_colour_scale(self) -> None:
        x0, y0, width, height = 15.6, 0.75, 3.9, 0.3
        scale = self.ax.inset_axes((x0, y0, width, height), transform=self.ax.transData)
        scale.imshow(np.linspace(-1, 1, 128)[None, :], cmap=COLORMAP, norm=VALUE_SCALE,
                     aspect="auto", extent=(-1, 1, 0, 1))  # fmt: skip
        scale.set_yticks([])
        scale.set_xticks([-1, 0, 1], ["−1", "0", "+1"], fontsize=8)
        scale.tick_params(length=2, pad=1)
        self._text(x0 + width / 2, y0 + height + 0.1, "value on each path", ALWAYS, fontsize=8,
                   va="bottom", color="#555555")  # fmt: skip

    # -- updating (called on every slider move) --

    def update(
        self, step: GRUStep, h_prev: np.ndarray, x_t: np.ndarray, highlight: str | None = None
    ) -> GRUCellDiagram:
        """Show ``step`` (computed from h_prev and x_t) on the existing artists.

        step: a GRUStep (z_t, r_t, h_tilde, h_t), each (H,) — from ``gru_cell`` for the
        article's convention, ``gru_cell_torch`` for PyTorch's; h_prev (H,); x_t (D,), H and D
        as when drawn. highlight: None or one of ``HIGHLIGHTS``. Nothing is created.
        """
        if highlight is not None and highlight not in HIGHLIGHTS:
            raise ValueError(f"highlight must be None or one of {HIGHLIGHTS}; got {highlight!r}")
        values = _checked_values(step, h_prev, x_t, self.hidden_size, self.input_size)
        z_t, h_prev, h_tilde = values["z_t"], values["h_prev"], values["h_tilde"]
        if self.convention == "article":
            values["keep"], values["write"] = (1.0 - z_t) * h_prev, z_t * h_tilde
            values["reset_product"] = values["r_t"] * h_prev
        else:
            values["keep"], values["write"] = z_t * h_prev, (1.0 - z_t) * h_tilde
        for name, chip in self.chips.items():
            chip.show(values[name])
        self.highlight = highlight
        for artist, parts in self._parts:
            artist.set_alpha(1.0 if highlight is None or highlight in parts else DIM_ALPHA)
        self.caption.set_text(CAPTIONS[self.convention][highlight])
        return self


def _checked_values(step, h_prev, x_t, hidden_size: int, input_size: int) -> dict:
    if not isinstance(step, GRUStep):
        raise ValueError(f"step must be a GRUStep {GRUStep._fields}; got {type(step).__name__}")
    values = {
        "h_prev": checked("h_prev", h_prev, (hidden_size,), "(hidden,)"),
        "x_t": checked("x_t", x_t, (input_size,), "(input,)"),
    }
    for name in GRUStep._fields:
        values[name] = checked(name, getattr(step, name), (hidden_size,), "(hidden,), like h_prev")
    return values


def draw_gru_cell(
    ax: Axes,
    step: GRUStep,
    h_prev: np.ndarray,
    x_t: np.ndarray,
    highlight: str | None = None,
    convention: str = "article",
) -> GRUCellDiagram:
    """Draw one GRU step on ``ax``, every path labelled with its current values.

    Parameters
    ----------
    ax : the Axes to draw on (limits, aspect and frame are set here); best at ``FIGSIZE``.
    step : GRUStep ``(z_t, r_t, h_tilde, h_t)``, each (H,): from ``gru_cell`` when
        ``convention="article"``, from ``gru_cell_torch`` when ``convention="pytorch"``.
    h_prev : (H,) — h_{t-1}.
    x_t : (D,) — the step's input.
    highlight : None, or one of "reset", "update", "candidate", "hidden": that part stays
        opaque, everything else is dimmed.
    convention : "article" — h_t = (1−z_t)*h_{t-1} + z_t*h̃_t, the reset on h_{t-1} — or
        "pytorch" — h_t = (1−z_t)*n_t + z_t*h_{t-1}, the reset on W_hn·h_{t-1} + b_hn.

    Returns
    -------
    GRUCellDiagram, whose ``update(step, h_prev, x_t, highlight)`` changes it in place.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}; got {convention!r}")
    h_prev, x_t = vector("h_prev", h_prev), vector("x_t", x_t)
    _checked_values(step, h_prev, x_t, h_prev.size, x_t.size)  # fail before drawing
    diagram = GRUCellDiagram(ax, convention, h_prev.size, x_t.size)
    ax.set_xlim(*X_RANGE)
    ax.set_ylim(*Y_RANGE)
    ax.set_aspect("equal")
    ax.set_axis_off()
    diagram.build()
    return diagram.update(step, h_prev, x_t, highlight)
