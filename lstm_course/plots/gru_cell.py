"""The live GRU cell diagram, in the article's convention or in PyTorch's.

The same picture language as the LSTM diagram (``plots.lstm_cell``): yellow boxes are
neural-network layers, pink circles pointwise operations, and every path carries a chip —
one square per unit, coloured on the same −1 … +1 scale, with the rounded number inside.
The GRU has no separate cell state: h runs along the top, from h_{t-1} to h_t.

    article (§3.7.3)                          PyTorch (nn.GRU, nn.GRUCell)
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)         r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)         z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    h̃_t = tanh(W_h·[r_t⊙h_{t-1}, x_t] + b_h)  n_t = tanh(W_in·x_t + b_in
                                                         + r_t⊙(W_hn·h_{t-1} + b_hn))
    h_t = (1−z_t)⊙h_{t-1} + z_t⊙h̃_t           h_t = (1−z_t)⊙n_t + z_t⊙h_{t-1}

Both differences are visible. In PyTorch's picture the reset gate multiplies the output of an
extra grey layer, W_hn·h_{t-1} + b_hn, rather than h_{t-1} itself; and the "1−" sits on the
candidate's path instead of the old state's, so z_t is how much of h_{t-1} is *kept*.

``draw_gru_cell(ax, step, h_prev, x_t, convention=...)`` draws it once and returns a
``GRUCellDiagram``; ``diagram.update(step, h_prev, x_t, highlight=...)`` changes the chips'
numbers and colours, the caption and the dimming in place. The marks are those of
``plots.cell_drawing``, which the LSTM diagram draws with too.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from lstm_course.i18n import N_, _
from lstm_course.plots.cell_drawing import (
    DIM_ALPHA,
    FIGSIZE,
    MAX_UNITS_SHOWN,
    NOTE_COLOUR,
    X_RANGE,
    CellDiagram,
)
from lstm_course.shapes import checked, vector
from lstm_course.variants import GRUStep

__all__ = [
    "CONVENTIONS",
    "DIM_ALPHA",
    "FIGSIZE",
    "HIGHLIGHTS",
    "GRUCellDiagram",
    "draw_gru_cell",
]

CONVENTIONS = ("article", "pytorch")
HIGHLIGHTS = ("reset", "update", "candidate", "hidden")
"""The parts ``highlight`` may name; every other part is dimmed."""
ALWAYS = frozenset(HIGHLIGHTS)
GATE_INPUT = frozenset({"reset", "update", "candidate"})  # everything fed by [h_{t-1}, x_t]

CAPTIONS = {
    "article": {
        None: N_(r"$h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t$      (the article)"),
        "reset": N_(r"reset gate:  $r_t = \sigma(W_r \cdot [h_{t-1}, x_t] + b_r)$"),
        "update": N_(r"update gate:  $z_t = \sigma(W_z \cdot [h_{t-1}, x_t] + b_z)$"),
        "candidate": N_(
            r"candidate:  $\tilde{h}_t = \tanh(W_h \cdot [r_t \odot h_{t-1}, x_t] + b_h)$"
        ),
        "hidden": N_(r"new state:  $h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t$"),
    },
    "pytorch": {
        None: N_(r"$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$      (PyTorch)"),
        "reset": N_(r"reset gate:  $r_t = \sigma(W_r \cdot [h_{t-1}, x_t] + b_r)$"),
        "update": N_(r"update gate:  $z_t = \sigma(W_z \cdot [h_{t-1}, x_t] + b_z)$"),
        "candidate": N_(
            r"candidate:  $n_t = \tanh(W_{in} x_t + b_{in}"
            r" + r_t \odot (W_{hn} h_{t-1} + b_{hn}))$"
        ),
        "hidden": N_(r"new state:  $h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$"),
    },
}

LINEAR_COLOUR = "#d9d9d9"  # PyTorch's W_hn·h_{t-1} + b_hn: a layer without an activation
POINTS = 1 / 36  # one point in data units on a FIGSIZE figure: text sizes below are in points

# --- Geometry (data units, equal aspect; the same 20 × 10 frame as the LSTM diagram) -------

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
CELL_BOX = (2.4, 0.55, 14.6, 8.6)


class GRUCellDiagram(CellDiagram):
    """The artists of one drawn GRU, and ``update`` to show a new step on them in place.

    Attributes: ``ax``; ``convention`` ("article" or "pytorch"); ``hidden_size`` H and
    ``input_size`` D (fixed at drawing time); ``highlight`` (the undimmed part, or None);
    ``chips``: path name -> the chip showing its values (``shown(name)`` reads its numbers);
    ``caption``: the equation text. The marks are ``plots.cell_drawing.CellDiagram``'s.
    """

    highlights = HIGHLIGHTS
    unit_size = (0.72, 0.46)  # smaller chips than the LSTM's: the GRU packs more paths
    number_size = 7.5 * POINTS
    label_size = 10 * POINTS
    note_size = 8 * POINTS
    symbol_size = 12 * POINTS

    def __init__(self, ax: Axes, convention: str, hidden_size: int, input_size: int) -> None:
        super().__init__(ax)
        self.convention = convention
        self.hidden_size = hidden_size
        self.input_size = input_size

    def caption_text(self, highlight: str | None) -> str:
        """The lit part's equation, in this diagram's convention."""
        return _(CAPTIONS[self.convention][highlight])

    # -- building (called once, by draw_gru_cell) --

    def build(self) -> None:
        """Every line, box, circle and chip, once; ``update`` fills in the values."""
        article = self.convention == "article"
        self.background(CELL_BOX, ALWAYS)
        self._draw_inputs()
        self._draw_reset(article)
        self._draw_update(article)
        self._draw_candidate()
        self._draw_state()
        self._draw_chips(article)
        self.colour_scale(15.6, 19.5, 0.75, 1.05, ALWAYS)
        self.caption = self.text(sum(X_RANGE) / 2, 9.45, "", ALWAYS, 12 * POINTS)

    def _draw_inputs(self) -> None:
        """h_{t-1} along the top and down; x_t from below; [h_{t-1}, x_t] into the gates."""
        self.line([(X_IN, H_Y), (X_Z - R, H_Y)], {"hidden"} | GATE_INPUT, arrow=False)
        self.dot(X_HB, H_Y, GATE_INPUT)
        self.line([(X_HB, H_Y), (X_HB, BUS_Y), (X_Z, BUS_Y)], GATE_INPUT, arrow=False)
        self.line([(X_X, 0.1), (X_X, BUS_Y)], GATE_INPUT, arrow=False)
        self.dot(X_X, BUS_Y, GATE_INPUT)
        self.text(X_Z + 0.15, BUS_Y - 0.12, r"$[h_{t-1}, x_t]$", {"reset", "update"}, 9 * POINTS,
                  ha="left", va="top", color=NOTE_COLOUR)  # fmt: skip

    def _gate(self, x: float, name: str) -> None:
        """A σ layer fed from the bus below, named beside it."""
        h = LAYER_HALF[1]
        self.line([(x, BUS_Y), (x, LAYER_Y - h)], {name})
        self.box(x, LAYER_Y, LAYER_HALF, "σ", {name}, symbol_size=13 * POINTS)
        self.note(x - 0.7, LAYER_Y - 0.62, name, {name})

    def _draw_reset(self, article: bool) -> None:
        h = LAYER_HALF[1]
        self._gate(X_R, "reset")
        self.line([(X_R, LAYER_Y + h), (X_R, RESET_Y - R)], {"reset"})
        self.pointwise(X_R, RESET_Y, "×", {"reset", "candidate"})
        if article:  # r_t * h_{t-1}: the reset acts on the state itself
            self.dot(X_HB, RESET_Y, {"reset"})
            self.line([(X_HB, RESET_Y), (X_R - R, RESET_Y)], {"reset"})
        else:  # r_t * (W_hn·h_{t-1} + b_hn): the reset acts after the product
            self.dot(X_HB, LINEAR_Y, {"reset"})
            self.line([(X_HB, LINEAR_Y), (X_R - LINEAR_HALF[0], LINEAR_Y)], {"reset"})
            self.box(X_R, LINEAR_Y, LINEAR_HALF, r"$W_{hn} h + b_{hn}$", {"reset", "candidate"},
                     LINEAR_COLOUR, 9 * POINTS)  # fmt: skip
            self.line([(X_R, LINEAR_Y - LINEAR_HALF[1]), (X_R, RESET_Y + R)], {"reset"})
        self.line([(X_R + R, RESET_Y), (X_N, RESET_Y), (X_N, LAYER_Y + h)],
                  {"reset", "candidate"})  # fmt: skip

    def _draw_update(self, article: bool) -> None:
        self._gate(X_Z, "update")
        self.line([(X_Z, LAYER_Y + LAYER_HALF[1]), (X_Z, SPLIT_Y)], {"update"}, arrow=False)
        self.dot(X_Z, SPLIT_Y, {"update"})
        self.line([(X_Z, SPLIT_Y), (X_W - R, SPLIT_Y)], {"update", "hidden"})
        self.line([(X_Z, SPLIT_Y), (X_Z, H_Y - R)], {"update", "hidden"})
        if article:  # 1 − z_t scales the old state
            self.pointwise(X_Z, ONE_MINUS_Y, "1−", {"update", "hidden"})
        else:  # z_t scales the old state; 1 − z_t scales the candidate
            self.pointwise(X_ONE_MINUS_TORCH, SPLIT_Y, "1−", {"update", "hidden"})

    def _draw_candidate(self) -> None:
        w, h = LAYER_HALF
        self.dot(X_X, X_ONLY_Y, {"candidate"})
        self.line([(X_X, X_ONLY_Y), (X_N, X_ONLY_Y), (X_N, LAYER_Y - h)], {"candidate"})
        self.text(X_N - 0.15, X_ONLY_Y + 0.3, r"$x_t$", {"candidate"}, 9 * POINTS, ha="right",
                  color=NOTE_COLOUR)  # fmt: skip
        self.box(X_N, LAYER_Y, LAYER_HALF, "tanh", {"candidate"}, symbol_size=11 * POINTS)
        self.note(X_N - 0.7, LAYER_Y - 0.62, "candidate", {"candidate"})
        self.line([(X_N + w, LAYER_Y), (X_W, LAYER_Y), (X_W, SPLIT_Y - R)],
                  {"candidate", "hidden"})  # fmt: skip

    def _draw_state(self) -> None:
        self.pointwise(X_Z, H_Y, "×", {"hidden", "update"})
        self.pointwise(X_W, SPLIT_Y, "×", {"hidden", "update", "candidate"})
        self.line([(X_Z + R, H_Y), (X_W - R, H_Y)], {"hidden"})
        self.line([(X_W, SPLIT_Y + R), (X_W, H_Y - R)], {"hidden"})
        self.pointwise(X_W, H_Y, "+", {"hidden"})
        self.line([(X_W + R, H_Y), (X_OUT, H_Y)], {"hidden"})

    def _draw_chips(self, article: bool) -> None:
        H, D = self.hidden_size, self.input_size
        self.chip("h_prev", (1.45, H_Y), H, r"$h_{t-1}$", {"hidden"} | GATE_INPUT, "above")
        self.chip("x_t", (X_X, 0.4), D, r"$x_t$", GATE_INPUT, "right")
        self.chip("r_t", (X_R, 4.55), H, r"$r_t$", {"reset", "candidate"}, "left")
        self.chip("z_t", (X_Z, 4.55), H, r"$z_t$", {"update", "hidden"}, "right")
        if article:
            self.chip("reset_product", ((X_Z + X_N) / 2 + 0.2, RESET_Y), H,
                      r"$r_t \odot h_{t-1}$", {"reset", "candidate"}, "above")  # fmt: skip
        else:
            self.text((X_Z + X_N) / 2 + 0.2, RESET_Y + 0.2,
                      r"$r_t \odot (W_{hn} h_{t-1} + b_{hn})$", {"reset", "candidate"},
                      9 * POINTS, va="bottom")  # fmt: skip
        symbol = r"$\tilde{h}_t$" if article else r"$n_t$"
        self.chip("h_tilde", (X_W, 4.8), H, symbol, {"candidate", "hidden"}, "right")
        keep = r"$(1 - z_t) \odot h_{t-1}$" if article else r"$z_t \odot h_{t-1}$"
        write = r"$z_t \odot \tilde{h}_t$" if article else r"$(1 - z_t) \odot n_t$"
        self.chip("keep", ((X_Z + X_W) / 2, H_Y), H, keep, {"hidden", "update"}, "above")
        x_write = X_W + 0.45 + min(H, MAX_UNITS_SHOWN) * self.unit_size[0] / 2
        self.chip("write", (x_write, 7.25), H, write, {"hidden", "update", "candidate"}, "right")
        self.chip("h_t", (18.2, H_Y), H, r"$h_t$", {"hidden"}, "above")

    # -- updating (called on every slider move) --

    def update(
        self, step: GRUStep, h_prev: np.ndarray, x_t: np.ndarray, highlight: str | None = None
    ) -> GRUCellDiagram:
        """Show ``step`` (computed from h_prev and x_t) on the existing artists.

        step: a GRUStep (z_t, r_t, h_tilde, h_t), each (H,) — from ``gru_cell`` for the
        article's convention, ``gru_cell_torch`` for PyTorch's; h_prev (H,); x_t (D,), H and D
        as when drawn. highlight: None or one of ``HIGHLIGHTS``. Nothing is created.
        """
        values = _checked_values(step, h_prev, x_t, self.hidden_size, self.input_size)
        z_t, h_prev, h_tilde = values["z_t"], values["h_prev"], values["h_tilde"]
        if self.convention == "article":
            values["keep"], values["write"] = (1.0 - z_t) * h_prev, z_t * h_tilde
            values["reset_product"] = values["r_t"] * h_prev
        else:
            values["keep"], values["write"] = z_t * h_prev, (1.0 - z_t) * h_tilde
        self.redraw(values, highlight)
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
    convention : "article" — h_t = (1−z_t)⊙h_{t-1} + z_t⊙h̃_t, the reset on h_{t-1} — or
        "pytorch" — h_t = (1−z_t)⊙n_t + z_t⊙h_{t-1}, the reset on W_hn·h_{t-1} + b_hn.

    Returns
    -------
    GRUCellDiagram, whose ``update(step, h_prev, x_t, highlight)`` changes it in place.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}; got {convention!r}")
    h_prev, x_t = vector("h_prev", h_prev), vector("x_t", x_t)
    _checked_values(step, h_prev, x_t, h_prev.size, x_t.size)  # fail before drawing
    diagram = GRUCellDiagram(ax, convention, h_prev.size, x_t.size)
    diagram.build()
    return diagram.update(step, h_prev, x_t, highlight)
