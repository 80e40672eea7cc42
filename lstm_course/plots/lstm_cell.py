"""The live LSTM cell diagram: one step of the article's §3, with its current values on every path.

In the spirit of the well-known cell diagrams (colah's "Understanding LSTM Networks", the
article's figures): the cell state C runs along the top from C_{t-1} to C_t; the inputs
h_{t-1} and x_t come in at the bottom-left and are concatenated into [h_{t-1}, x_t]; the
three σ layers and the tanh layer are yellow boxes (the article's 黄色方块, neural-network
layers); the pointwise × and + are pink circles (粉色圆圈, pointwise operations), and so is
the tanh *function* before h_t (a function, not a layer: the article's note in §3.6).

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)          the first σ box, into the × on the C line
    i_t = σ(W_i·[h_{t-1}, x_t] + b_i)          the second σ box
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)       the tanh box; i_t × C̃_t goes up into the +
    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t            the C line: × then +
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)          the third σ box
    h_t = o_t ⊙ tanh(C_t)                      tanh of C_t, times o_t, out to the right

Every path carries a *chip*: one small square per unit, coloured by its value on one
diverging scale (−1 blue, 0 white, +1 red, clipped beyond), with the rounded numbers inside.
A gate of 0 is white (nothing passes), a gate of 1 is red (everything passes).

``draw_lstm_cell(ax, step, C_prev, h_prev, x_t)`` draws it once and returns an
``LSTMCellDiagram``; ``diagram.update(step, C_prev, h_prev, x_t, highlight=...)`` changes the
chips' numbers and colours, the caption and the dimming in place: a widget never builds a new
figure. The marks themselves (boxes, circles, chips, arrows, text as cached outlines, the
dimming) are the picture language shared with the GRU diagram, in ``plots.cell_drawing``; a
re-render at 80 dpi stays well under 50 ms.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Ellipse

from lstm_course.activations import tanh
from lstm_course.i18n import N_, _
from lstm_course.lstm import LSTMStep
from lstm_course.plots.cell_drawing import (
    CAPTION_SIZE,
    DIM_ALPHA,
    FIGSIZE,
    LAYER_COLOUR,
    LINE_COLOUR,
    MAX_UNITS_SHOWN,
    NOTE_COLOUR,
    NOTE_SIZE,
    POINTWISE_COLOUR,
    SYMBOL_SIZE,
    UNIT_W,
    X_RANGE,
    CellDiagram,
    new_cell_figure,
)
from lstm_course.shapes import checked, vector

__all__ = [
    "DIM_ALPHA",
    "FIGSIZE",
    "HIGHLIGHTS",
    "LAYER_COLOUR",
    "PATHS",
    "PEEPHOLE_COLOUR",
    "LSTMCellDiagram",
    "draw_lstm_cell",
    "new_cell_figure",
]

# --- What can be highlighted ---------------------------------------------------------------

HIGHLIGHTS = ("forget", "input", "candidate", "cell", "output", "hidden")
"""The parts ``highlight`` may name; everything outside the chosen part is dimmed."""
ALWAYS = frozenset(HIGHLIGHTS)  # never dimmed: the background, the caption, the colour scale
GATE_INPUT = frozenset({"forget", "input", "candidate", "output"})  # fed by [h_{t-1}, x_t]
PATHS = {
    "C_prev": "C_{t-1}",
    "h_prev": "h_{t-1}",
    "x_t": "x_t",
    "f_t": "f_t",
    "i_t": "i_t (1 − f_t when coupled)",
    "C_tilde": "C̃_t",
    "kept": "f_t ⊙ C_{t-1}, what the forget gate keeps",
    "written": "i_t ⊙ C̃_t, what the input gate writes",
    "C_t": "C_t",
    "o_t": "o_t",
    "tanh_C_t": "tanh(C_t)",
    "h_t": "h_t",
}
"""The paths that carry values, by name, with the symbol each one shows."""

CAPTIONS = {
    None: N_(
        r"$C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t \qquad h_t = o_t \odot \tanh(C_t)$"
    ),
    "forget": N_(r"forget gate:  $f_t = \sigma(W_f \cdot [h_{t-1}, x_t] + b_f)$"),
    "input": N_(r"input gate:  $i_t = \sigma(W_i \cdot [h_{t-1}, x_t] + b_i)$"),
    "candidate": N_(r"candidate:  $\tilde{C}_t = \tanh(W_C \cdot [h_{t-1}, x_t] + b_C)$"),
    "cell": N_(r"cell update:  $C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t$"),
    "output": N_(r"output gate:  $o_t = \sigma(W_o \cdot [h_{t-1}, x_t] + b_o)$"),
    "hidden": N_(r"hidden state:  $h_t = o_t \odot \tanh(C_t)$"),
}
PEEPHOLE_CAPTIONS = {
    "forget": N_(
        r"forget gate:  $f_t = \sigma(W_f \cdot [h_{t-1}, x_t] + p_f \odot C_{t-1} + b_f)$"
    ),
    "input": N_(r"input gate:  $i_t = \sigma(W_i \cdot [h_{t-1}, x_t] + p_i \odot C_{t-1} + b_i)$"),
    "output": N_(r"output gate:  $o_t = \sigma(W_o \cdot [h_{t-1}, x_t] + p_o \odot C_t + b_o)$"),
}
COUPLED_CAPTIONS = {
    None: N_(
        r"$C_t = f_t \odot C_{t-1} + (1 - f_t) \odot \tilde{C}_t"
        r" \qquad h_t = o_t \odot \tanh(C_t)$"
    ),
    "input": N_(r"coupled gates:  $i_t = 1 - f_t$,  no input gate of its own"),
    "cell": N_(r"cell update:  $C_t = f_t \odot C_{t-1} + (1 - f_t) \odot \tilde{C}_t$"),
}

# --- Look: the shared picture language (plots.cell_drawing), plus the peepholes' colour ---

PEEPHOLE_COLOUR = "#7a5195"

# --- Geometry: data units, the Axes spans X_RANGE × Y_RANGE with equal aspect ----------------

X_IN, X_OUT = 0.25, 19.75  # where the lines enter and leave
C_Y = 8.0  # the cell-state line
BUS_Y = 1.6  # [h_{t-1}, x_t], feeding the four layers
X_X = 3.0  # x_t comes up into the bus here
LAYER_Y = 3.6  # the centre of the four layer boxes
LAYER_HALF = (0.6, 0.4)  # half width, half height of a layer box
X_F, X_I, X_C, X_O = 4.5, 7.2, 9.9, 12.0  # the four layers
X_PLUS = 8.55  # the + on the C line, and the × of i_t and C̃_t below it
Y_WRITE = 6.4  # the height of that ×
X_H = 14.6  # the tanh function and the × of h_t
Y_TANH = 6.4
PEEPHOLE_X = 3.3
R = 0.33  # radius of a pointwise circle
CELL_BOX = (2.5, 0.95, 15.6, 8.6)  # x0, y0, x1, y1 of the cell's background


class LSTMCellDiagram(CellDiagram):
    """The artists of one drawn cell, and ``update`` to show another step on them in place.

    Attributes: ``ax``; ``hidden_size`` H and ``input_size`` D (fixed when drawn);
    ``peephole``, ``coupled``; ``highlight``, the part shown undimmed (None: all);
    ``chips``, path name -> its chip, named in ``PATHS``; ``shown(name)`` reads the numbers
    a path shows; ``caption``, the equation over the cell (``caption.get_text()``).
    The drawing marks (``line``, ``chip``, …) are ``plots.cell_drawing.CellDiagram``'s.
    """

    highlights = HIGHLIGHTS

    def __init__(self, ax: Axes, hidden_size: int, input_size: int, peephole: bool, coupled: bool):
        super().__init__(ax)
        self.hidden_size = hidden_size
        self.input_size = input_size
        self.peephole = peephole
        self.coupled = coupled

    def update(
        self,
        step: LSTMStep,
        C_prev: np.ndarray,
        h_prev: np.ndarray,
        x_t: np.ndarray,
        highlight: str | None = None,
    ) -> LSTMCellDiagram:
        """Show ``step`` (computed from C_prev, h_prev, x_t) on the existing artists.

        step: an LSTMStep whose six fields are each (H,); C_prev, h_prev (H,); x_t (D,), with
        H and D as when the diagram was drawn. highlight: None or one of ``HIGHLIGHTS``.
        Nothing is created: the chips' colours and numbers, the caption and the dimming change.
        """
        values = _path_values(step, C_prev, h_prev, x_t, self.hidden_size, self.input_size)
        self.redraw(values, highlight)
        return self

    def caption_text(self, highlight: str | None) -> str:
        """The equation of the lit part, in the peephole's or the coupled cell's form."""
        if self.coupled and highlight in COUPLED_CAPTIONS:
            return _(COUPLED_CAPTIONS[highlight])
        if self.peephole and highlight in PEEPHOLE_CAPTIONS:
            return _(PEEPHOLE_CAPTIONS[highlight])
        return _(CAPTIONS[highlight])

    def layer(self, x: float, symbol: str, name: str, parts) -> None:
        """A yellow box: a neural-network layer (weights, then σ or tanh), named below."""
        self.box(x, LAYER_Y, LAYER_HALF, symbol, parts)
        self.note(x - 0.12, LAYER_Y - LAYER_HALF[1] - 0.08, name, parts, ha="right", va="top")


def _path_values(step, C_prev, h_prev, x_t, H: int | None, D: int | None) -> dict:
    """Every path's values, by chip name, after checking each shape (H, D: None = any)."""
    if not isinstance(step, tuple) or len(step) != len(LSTMStep._fields):
        raise ValueError(f"step must be an LSTMStep {LSTMStep._fields}; got {type(step).__name__}")
    C_prev = vector("C_prev", C_prev)
    H = C_prev.size if H is None else H
    C_prev = checked("C_prev", C_prev, (H,), "(hidden,)")
    h_prev = checked("h_prev", h_prev, (H,), "(hidden,), like C_{t-1}")
    x_t = vector("x_t", x_t)
    x_t = checked("x_t", x_t, (x_t.size if D is None else D,), "(input,)")
    s = LSTMStep(
        *(
            checked(name, value, (H,), "(hidden,), like C_{t-1}")
            for name, value in zip(LSTMStep._fields, step, strict=True)
        )
    )
    return {
        "C_prev": C_prev,
        "h_prev": h_prev,
        "x_t": x_t,
        "f_t": s.f_t,
        "i_t": s.i_t,
        "C_tilde": s.C_tilde,
        "kept": s.f_t * C_prev,  # f_t * C_{t-1}: what the forget gate keeps
        "written": s.i_t * s.C_tilde,  # i_t * C̃_t: what the input gate writes
        "C_t": s.C_t,
        "o_t": s.o_t,
        "tanh_C_t": tanh(s.C_t),  # the tanh function, no weights
        "h_t": s.h_t,
    }


# --- Drawing ------------------------------------------------------------------------------


def draw_lstm_cell(
    ax: Axes,
    step: LSTMStep,
    C_prev: np.ndarray,
    h_prev: np.ndarray,
    x_t: np.ndarray,
    highlight: str | None = None,
    peephole: bool = False,
    coupled: bool = False,
) -> LSTMCellDiagram:
    """Draw one LSTM step on ``ax``, every path labelled with its current values.

    Parameters
    ----------
    ax : the Axes to draw on; its limits, aspect and frame are set here. The diagram is
        made for an Axes filling a figure of ``FIGSIZE`` (10 × 5 in), e.g. ``new_cell_figure()``.
    step : LSTMStep ``(f_t, i_t, C_tilde, C_t, o_t, h_t)``, each (H,), from ``lstm_cell``,
        ``peephole_lstm_cell`` or ``coupled_lstm_cell``.
    C_prev, h_prev : (H,), C_{t-1} and h_{t-1}, the step's state inputs.
    x_t : (D,), the step's input.
    highlight : None, or one of "forget", "input", "candidate", "cell", "output", "hidden":
        that part stays lit and everything else is dimmed.
    peephole : also draw the peephole paths (dashed): C_{t-1} into f_t and i_t, C_t into o_t.
    coupled : draw the (1 − f_t) path in place of an input gate; the step's i_t is then shown
        as 1 − f_t, as ``coupled_lstm_cell`` returns it.

    Returns
    -------
    LSTMCellDiagram, whose ``update(step, C_prev, h_prev, x_t, highlight)`` shows another step
    on the same artists.
    """
    values = _path_values(step, C_prev, h_prev, x_t, None, None)
    H, D = values["C_prev"].size, values["x_t"].size
    d = LSTMCellDiagram(ax, H, D, bool(peephole), bool(coupled))
    d.background(CELL_BOX, ALWAYS)
    _draw_cell_state(d)
    _draw_inputs(d)
    _draw_forget(d)
    _draw_input_and_candidate(d)
    _draw_output(d)
    if d.peephole:
        _draw_peepholes(d)
    _draw_chips(d, H, D)
    _draw_colour_scale(d)
    d.caption = d.text(sum(X_RANGE) / 2, 9.4, "", ALWAYS, CAPTION_SIZE)
    return d.update(step, values["C_prev"], values["h_prev"], values["x_t"], highlight)


def _draw_cell_state(d: LSTMCellDiagram) -> None:
    """The conveyor belt: C_{t-1} → × f_t → + i_t ⊙ C̃_t → C_t."""
    d.line([(X_IN, C_Y), (X_F - R, C_Y)], {"cell", "forget"})
    d.line([(X_F + R, C_Y), (X_PLUS - R, C_Y)], {"cell"})
    d.line([(X_PLUS + R, C_Y), (X_OUT, C_Y)], {"cell"})
    d.pointwise(X_F, C_Y, "×", {"cell", "forget"})
    d.pointwise(X_PLUS, C_Y, "+", {"cell"})


def _readers(d: LSTMCellDiagram) -> frozenset[str]:
    """The parts that read [h_{t-1}, x_t]: every layer (no input gate when coupled)."""
    return GATE_INPUT - {"input"} if d.coupled else GATE_INPUT


def _draw_inputs(d: LSTMCellDiagram) -> None:
    """h_{t-1} from the left and x_t from below join into [h_{t-1}, x_t], copied to each layer."""
    d.line([(X_IN, BUS_Y), (X_O, BUS_Y)], _readers(d), arrow=False)
    d.line([(X_X, 0.1), (X_X, BUS_Y)], _readers(d), arrow=False)
    d.dot(X_X, BUS_Y, _readers(d))
    d.text(
        X_X + 0.15,
        BUS_Y - 0.12,
        r"$[h_{t-1}, x_t]$",
        _readers(d),
        NOTE_SIZE * 1.15,
        ha="left",
        va="top",
        color=NOTE_COLOUR,
    )
    for x, part in ((X_F, "forget"), (X_I, "input"), (X_C, "candidate"), (X_O, "output")):
        if not (d.coupled and part == "input"):
            d.line([(x, BUS_Y), (x, LAYER_Y - LAYER_HALF[1])], {part})


def _draw_forget(d: LSTMCellDiagram) -> None:
    d.layer(X_F, "σ", "forget", {"forget"})
    d.line([(X_F, LAYER_Y + LAYER_HALF[1]), (X_F, C_Y - R)], {"forget", "cell"})


def _draw_input_and_candidate(d: LSTMCellDiagram) -> None:
    top = LAYER_Y + LAYER_HALF[1]
    if d.coupled:
        # No input gate: i_t = 1 − f_t, taken off the forget gate's output.
        y = top + 0.5
        d.dot(X_F, y, {"input", "forget"})
        d.line([(X_F, y), (X_I - R, y)], {"input", "forget"})
        d.pointwise(X_I, y, "1 −", {"input"})
        d.line([(X_I, y + R), (X_I, Y_WRITE), (X_PLUS - R, Y_WRITE)], {"input", "cell"})
        d.note(X_I + 0.45, y - 0.35, "coupled", {"input"}, ha="left")
    else:
        d.layer(X_I, "σ", "input", {"input"})
        d.line([(X_I, top), (X_I, Y_WRITE), (X_PLUS - R, Y_WRITE)], {"input", "cell"})
    d.layer(X_C, "tanh", "candidate", {"candidate"})
    d.line([(X_C, top), (X_C, Y_WRITE), (X_PLUS + R, Y_WRITE)], {"candidate", "cell"})
    d.pointwise(X_PLUS, Y_WRITE, "×", {"input", "candidate", "cell"})
    d.line([(X_PLUS, Y_WRITE + R), (X_PLUS, C_Y - R)], {"cell"})


def _draw_output(d: LSTMCellDiagram) -> None:
    """o_t from its σ box; C_t copied off the belt through the tanh *function*; h_t out."""
    d.layer(X_O, "σ", "output", {"output"})
    d.line([(X_O + LAYER_HALF[0], LAYER_Y), (X_H - R, LAYER_Y)], {"output", "hidden"})
    d.dot(X_H, C_Y, {"hidden", "cell"})
    d.line([(X_H, C_Y), (X_H, Y_TANH + 0.3)], {"hidden"})
    oval = Ellipse(
        (X_H, Y_TANH), 1.2, 0.6, facecolor=POINTWISE_COLOUR, edgecolor=LINE_COLOUR, zorder=3
    )
    d.add(oval, {"hidden"})
    d.text(X_H, Y_TANH, "tanh", {"hidden"}, SYMBOL_SIZE * 0.9, zorder=4)
    d.line([(X_H, Y_TANH - 0.3), (X_H, LAYER_Y + R)], {"hidden"})
    d.pointwise(X_H, LAYER_Y, "×", {"output", "hidden"})
    d.line([(X_H + R, LAYER_Y), (X_OUT, LAYER_Y)], {"hidden"})


def _draw_peepholes(d: LSTMCellDiagram) -> None:
    """Gers & Schmidhuber's peepholes (dashed): C_{t-1} into f_t and i_t, C_t into o_t."""
    w, h = LAYER_HALF
    style = {"color": PEEPHOLE_COLOUR, "linestyle": "--", "linewidth": 1.3}
    both = {"forget"} if d.coupled else {"forget", "input"}  # who reads C_{t-1} here
    d.dot(PEEPHOLE_X, C_Y, both, PEEPHOLE_COLOUR)
    d.line([(PEEPHOLE_X, C_Y), (PEEPHOLE_X, LAYER_Y), (X_F - w, LAYER_Y)], {"forget"}, **style)
    if not d.coupled:
        y, x = LAYER_Y - h - 0.75, X_I - w - 0.35
        path = [(PEEPHOLE_X, C_Y), (PEEPHOLE_X, y), (x, y), (x, LAYER_Y), (X_I - w, LAYER_Y)]
        d.line(path, {"input"}, **style)
    x_tap = X_O + 0.3
    d.dot(x_tap, C_Y, {"output"}, PEEPHOLE_COLOUR)
    d.line([(x_tap, C_Y), (x_tap, LAYER_Y + h)], {"output"}, **style)
    d.text(
        PEEPHOLE_X - 0.1,
        5.0,
        _("peephole"),
        both,
        NOTE_SIZE,
        rotation=90,
        italic=True,
        color=PEEPHOLE_COLOUR,
        ha="right",
    )


def _draw_chips(d: LSTMCellDiagram, H: int, D: int) -> None:
    """The values on each path, named by the article's symbols."""
    peeps = d.peephole and not d.coupled  # the input gate peeps at C_{t-1} too
    C_prev_readers = {"cell", "forget"} | ({"input"} if peeps else set())
    d.chip("C_prev", (1.45, C_Y), H, r"$C_{t-1}$", C_prev_readers, "above")
    d.chip("h_prev", (1.45, BUS_Y), H, r"$h_{t-1}$", _readers(d), "above")
    d.chip("x_t", (X_X, 0.55), D, r"$x_t$", _readers(d), "right")
    f_side = "right" if d.peephole else "left"  # clear of the dashed peephole
    d.chip("f_t", (X_F, 5.9), H, r"$f_t$", {"forget", "cell"}, f_side)
    i_label = r"$1 - f_t$" if d.coupled else r"$i_t$"
    d.chip("i_t", (X_I, 5.0), H, i_label, {"input", "cell"})
    d.chip("C_tilde", (X_C, 5.0), H, r"$\tilde{C}_t$", {"candidate", "cell"}, "right")
    kept = r"$f_t \odot C_{t-1}$"
    d.chip("kept", ((X_F + X_PLUS) / 2, C_Y), H, kept, {"cell", "forget"}, "above")
    written = r"$(1 - f_t) \odot \tilde{C}_t$" if d.coupled else r"$i_t \odot \tilde{C}_t$"
    d.chip(
        "written",
        (X_PLUS + 0.3 + min(H, MAX_UNITS_SHOWN) * UNIT_W / 2, 7.2),
        H,
        written,
        {"cell", "input", "candidate"},
        "right",
    )
    C_t_readers = {"cell", "hidden"} | ({"output"} if d.peephole else set())
    d.chip("C_t", (18.2, C_Y), H, r"$C_t$", C_t_readers, "above")
    d.chip("o_t", ((X_O + X_H) / 2, LAYER_Y + 0.7), H, r"$o_t$", {"output", "hidden"})
    d.chip("tanh_C_t", (X_H, 5.0), H, r"$\tanh(C_t)$", {"hidden"}, "right")
    d.chip("h_t", (18.2, LAYER_Y), H, r"$h_t$", {"hidden"}, "above")


def _draw_colour_scale(d: LSTMCellDiagram) -> None:
    """The one colour scale of every chip, −1 … +1, bottom right."""
    d.colour_scale(16.0, 19.5, 0.75, 1.05, ALWAYS)
