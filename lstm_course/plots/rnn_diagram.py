"""The RNN of the article's §2.1, drawn: the loop, and the same cell unrolled over T steps.

    loop                    unrolled (the same A, i.e. the same W and b, at every step)

     h_t                     h_1        h_2        h_3
      ↑                       ↑          ↑          ↑
    ┌─A─┐◀┐            h_0 → [A] ─h_1→ [A] ─h_2→ [A] → …
    └───┘─┘                   ↑          ↑          ↑
      ↑                      x_1        x_2        x_3
     x_t

``draw_rnn_diagram(ax, steps, ...)`` draws both into one Axes and returns an ``RNNDiagram``
whose ``update(t, hs, xs)`` highlights step t and writes the values of h_1 … h_t (and x_t)
in place: no artist is created after the first drawing, so a widget can call it on every
slider move. ``HiddenTrace`` plots h_t against t and reveals it up to step t.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, PathPatch
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from lstm_course.i18n import _
from lstm_course.plots.cell_drawing import EMPTY, PathText, outline
from lstm_course.shapes import as_float_array

CELL_COLOUR = "#dbe9f6"  # every copy of A: one colour, because it is one set of weights
HIGHLIGHT_COLOUR = "#ffb347"  # the step being computed
DONE_COLOUR = "#b7d7a8"  # steps already computed
EDGE_COLOUR = "#2f4b7c"
SPACING = 2.4  # horizontal distance between two unrolled steps, in data units
BOX = 1.0  # side of a cell box
UNROLLED_X0 = 5.2  # x of the first unrolled box
MAX_STEPS = 12
# Text sizes in data units (one unit ≈ 30 pt on the stepper's figure). Text is drawn as
# outlines (plots.cell_drawing.PathText): laying out ~50 matplotlib Texts on every frame would
# cost most of a widget's redraw.
LABEL_SIZE = 0.42
VALUE_SIZE = 0.27
NOTE_SIZE = 0.34
CURRENT_COLOUR = "#b35900"  # labels and values of the step being computed
TEXT_COLOUR = "#222222"
# Labels use Unicode subscripts (h₁, xₜ, hₜ₋₁), not mathtext: the same look in DejaVu Sans
# and no TeX parsing each time a widget redraws the figure.
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(n: int) -> str:
    """n written with subscript digits: subscript(12) == "₁₂"."""
    return str(n).translate(_SUBSCRIPTS)


def _arrow(ax: Axes, start, end, **kwargs) -> FancyArrowPatch:
    style = {"arrowstyle": "-|>", "mutation_scale": 12, "color": EDGE_COLOUR, "lw": 1.4}
    style |= {"shrinkA": 0, "shrinkB": 0}  # ends exactly where given: no path clipping per draw
    style.update(kwargs)
    patch = FancyArrowPatch(start, end, **style)
    ax.add_patch(patch)
    return patch


def _box(ax: Axes, x: float, y: float, label: str) -> FancyBboxPatch:
    patch = FancyBboxPatch(
        (x - BOX / 2, y - BOX / 2),
        BOX,
        BOX,
        boxstyle="round,pad=0.08",
        facecolor=CELL_COLOUR,
        edgecolor=EDGE_COLOUR,
        lw=1.6,
    )
    ax.add_patch(patch)
    ax.add_patch(PathText(x, y, label, 0.46, color=TEXT_COLOUR))
    return patch


def _label(ax: Axes, x: float, y: float, s: str, size: float = LABEL_SIZE, **style) -> PathText:
    return ax.add_patch(PathText(x, y, s, size, color=style.pop("color", TEXT_COLOUR), **style))


class ColumnText(PathPatch):
    """Lines of text as one outline, left-aligned at x: a vector written as a column.

    va="bottom" stacks the lines upward from y (the last line on y); va="top" hangs them
    down from y. ``set_text("0.12\n-0.40")`` swaps the outline in place.
    """

    def __init__(self, x: float, y: float, size: float = VALUE_SIZE, va: str = "bottom") -> None:
        super().__init__(EMPTY, facecolor=TEXT_COLOUR, edgecolor="none", zorder=6)
        self._x, self._y, self._size, self._va = x, y, size, va
        self._text = ""

    def get_text(self) -> str:
        return self._text

    def set_text(self, s: str) -> None:
        if s == self._text:
            return
        self._text = s
        lines = s.split("\n") if s else []
        step = 1.3 * self._size  # line spacing
        placed = []
        for k, line in enumerate(lines):
            path, half_width, _height = outline(line, self._size, False)
            if self._va == "bottom":
                centre = self._y + (len(lines) - 1 - k) * step + self._size / 2
            else:
                centre = self._y - k * step - self._size / 2
            placed.append(path.transformed(Affine2D().translate(self._x + half_width, centre)))
        self.set_path(Path.make_compound_path(*placed) if placed else EMPTY)


def _column(values: np.ndarray | None) -> str:
    """A vector as a column of rounded numbers, the way h_t is written on paper."""
    if values is None:
        return ""
    return "\n".join(f"{v:+.2f}" for v in np.atleast_1d(values))


@dataclass
class RNNDiagram:
    """The artists of one drawn RNN diagram, updated in place by ``update``.

    boxes[k], x_labels[k], h_labels[k], h_values[k], x_values[k] belong to step k + 1.
    """

    ax: Axes
    steps: int
    loop_box: FancyBboxPatch
    loop_x: PathText
    loop_h: PathText
    loop_value: ColumnText
    boxes: list[FancyBboxPatch] = field(default_factory=list)
    x_labels: list[PathText] = field(default_factory=list)
    h_labels: list[PathText] = field(default_factory=list)
    h_values: list[ColumnText] = field(default_factory=list)
    x_values: list[ColumnText] = field(default_factory=list)

    def _per_step(self, name: str, values: np.ndarray, meaning: str) -> np.ndarray:
        """values as (T, n), one row a step; a ValueError naming ``name`` if T is not ours."""
        array = as_float_array(name, values)
        if array.ndim == 1 and array.shape[0] == self.steps:
            return array[:, None]  # one number a step
        if array.ndim != 2 or array.shape[0] != self.steps:
            raise ValueError(
                f"{name} has shape {array.shape}; expected ({self.steps}, n) {meaning}"
            )
        return array

    def update(
        self, t: int | None, hs: np.ndarray | None = None, xs: np.ndarray | None = None
    ) -> None:
        """Highlight step t (1 … T; None for none) and show the values computed so far.

        hs (T, H) and xs (T, D), if given, are the whole sequence's hidden states and inputs;
        h_k and x_k are written for the steps k ≤ t, the later ones show "?" (not computed
        yet). The loop on the left shows step t's own x_t and h_t.
        """
        if t is not None and not 1 <= t <= self.steps:
            raise ValueError(f"t must be in 1 … {self.steps}; got {t}")
        hs = None if hs is None else self._per_step("hs", hs, "(T, H) = (steps, hidden)")
        xs = None if xs is None else self._per_step("xs", xs, "(T, D) = (steps, input)")
        for k in range(self.steps):
            step = k + 1
            is_current = step == t
            computed = t is not None and step <= t
            colour = HIGHLIGHT_COLOUR if is_current else DONE_COLOUR if computed else CELL_COLOUR
            self.boxes[k].set_facecolor(colour)
            self.boxes[k].set_linewidth(3.0 if is_current else 1.6)
            for label in (self.x_labels[k], self.h_labels[k]):
                label.set_facecolor(CURRENT_COLOUR if is_current else TEXT_COLOUR)
            if hs is None:
                self.h_values[k].set_text("")  # a bare diagram: no numbers at all
            else:
                self.h_values[k].set_text(_column(hs[k]) if computed or t is None else "?")
            self.x_values[k].set_text(_column(xs[k]) if xs is not None else "")
            self.h_values[k].set_facecolor(CURRENT_COLOUR if is_current else TEXT_COLOUR)
        self.loop_box.set_facecolor(HIGHLIGHT_COLOUR if t is not None else CELL_COLOUR)
        label = "ₜ" if t is None else subscript(t)
        self.loop_x.set_text(f"x{label}")
        self.loop_h.set_text(f"h{label}")
        value = hs[t - 1] if hs is not None and t is not None else None
        self.loop_value.set_text(_column(value))


def draw_rnn_diagram(
    ax: Axes,
    steps: int,
    t: int | None = None,
    hs: np.ndarray | None = None,
    xs: np.ndarray | None = None,
) -> RNNDiagram:
    """Draw the RNN loop and its unrolling over ``steps`` (1 … 12) steps into ``ax``.

    t: the highlighted step (1 … steps) or None; hs (steps, H) and xs (steps, D): values to
    write beside h_k and x_k (optional). Every unrolled box is the same cell A, i.e.
    h_t = tanh(W·[h_{t-1}, x_t] + b) with one W and one b shared by all steps.
    Returns the ``RNNDiagram``, whose ``update`` redraws the highlight and values in place.
    """
    if not isinstance(steps, (int, np.integer)) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be an integer in 1 … {MAX_STEPS}; got {steps!r}")
    # The loop: A feeds its own h_t back as h_{t-1} of the next step.
    loop_box = _box(ax, 0.0, 0.0, "A")
    _arrow(ax, (0.0, -1.55), (0.0, -0.6))
    _arrow(ax, (0.0, 0.6), (0.0, 1.45))
    loop_path = Path(
        [(0.6, 0.15), (1.3, 0.15), (1.3, 1.0), (-1.3, 1.0), (-1.3, -0.15), (-0.6, -0.15)],
        [Path.MOVETO] + [Path.LINETO] * 5,
    )
    _arrow(ax, None, None, path=loop_path, connectionstyle="arc3")
    _label(ax, -1.45, 0.45, "hₜ₋₁", NOTE_SIZE, ha="right", color=EDGE_COLOUR)
    loop_x = _label(ax, 0.0, -1.8, "xₜ", va="top")
    loop_h = _label(ax, 0.0, 1.6, "hₜ", va="bottom")
    loop_value = ax.add_patch(ColumnText(0.38, 1.6))
    _label(ax, 2.3, 0.0, "=", 0.75)

    diagram = RNNDiagram(ax, int(steps), loop_box, loop_x, loop_h, loop_value)
    _arrow(ax, (UNROLLED_X0 - 1.5, 0.0), (UNROLLED_X0 - 0.6, 0.0))
    _label(ax, UNROLLED_X0 - 1.6, 0.0, "h₀", ha="right")
    for k in range(steps):
        x = UNROLLED_X0 + k * SPACING
        diagram.boxes.append(_box(ax, x, 0.0, "A"))
        _arrow(ax, (x, -1.55), (x, -0.6))
        _arrow(ax, (x, 0.6), (x, 1.45))
        if k + 1 < steps:
            _arrow(ax, (x + 0.6, 0.0), (x + SPACING - 0.6, 0.0))
        diagram.x_labels.append(_label(ax, x, -1.8, f"x{subscript(k + 1)}", va="top"))
        diagram.h_labels.append(_label(ax, x, 1.6, f"h{subscript(k + 1)}", va="bottom"))
        diagram.h_values.append(ax.add_patch(ColumnText(x + 0.42, 1.6, va="bottom")))
        diagram.x_values.append(ax.add_patch(ColumnText(x + 0.42, -1.8, va="top")))
    last = UNROLLED_X0 + (steps - 1) * SPACING
    ax.plot([UNROLLED_X0 - 0.7, last + 0.7], [-2.9, -2.9], color="#888888", lw=1.0)
    note = _("one cell A: the same W and b at every step")
    _label(ax, (UNROLLED_X0 + last) / 2, -3.1, note, NOTE_SIZE, va="top", color="#555555")
    ax.set_xlim(-2.4, last + 1.6)
    ax.set_ylim(-3.7, 2.9)
    ax.set_aspect("equal")
    ax.axis("off")
    diagram.update(t, hs, xs)
    return diagram


@dataclass
class HiddenTrace:
    """h_t against t, one line a unit, revealed up to step t by ``update(t)``."""

    ax: Axes
    ts: np.ndarray
    hs: np.ndarray
    lines: list[Line2D]
    marker: Line2D

    def update(self, t: int) -> None:
        """Show h_1 … h_t (the steps computed so far) and mark step t."""
        if not 1 <= t <= len(self.ts):
            raise ValueError(f"t must be in 1 … {len(self.ts)}; got {t}")
        for unit, line in enumerate(self.lines):
            line.set_data(self.ts[:t], self.hs[:t, unit])
        self.marker.set_xdata([t, t])

    def set_sequence(self, hs: np.ndarray, t: int) -> None:
        """Swap in a new sequence of hidden states hs (T, H), same T and H, shown up to t."""
        hs = as_float_array("hs", hs)
        if hs.shape != self.hs.shape:
            raise ValueError(f"hs has shape {hs.shape}; expected {self.hs.shape} = (T, H)")
        self.hs = hs
        self.update(t)


def plot_hidden_trace(ax: Axes, hs: np.ndarray, t: int | None = None) -> HiddenTrace:
    """Plot each unit of hs (T, H) against t = 1 … T; show it up to step t (all if None)."""
    hs = as_float_array("hs", hs)
    if hs.ndim != 2:
        raise ValueError(f"hs has shape {hs.shape}; expected (T, H) = (steps, hidden)")
    T, H = hs.shape
    ts = np.arange(1, T + 1)
    lines = [ax.plot([], [], "o-", lw=1.8, label=f"hₜ[{unit}]")[0] for unit in range(H)]
    marker = ax.axvline(1, color=HIGHLIGHT_COLOUR, lw=6, alpha=0.5, zorder=0)
    ax.axhline(0, color="#999999", lw=0.8)
    ax.set_xlim(0.5, T + 0.5)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, 0, 1])  # tanh's range: its two bounds and 0
    ax.set_xticks(ts)
    ax.set_xlabel(_("step t"))
    ax.set_ylabel(_("hₜ (each unit in (−1, 1))"))
    ax.legend(loc="upper left", fontsize=8, ncols=H)
    trace = HiddenTrace(ax, ts, hs, lines, marker)
    trace.update(T if t is None else t)
    return trace
