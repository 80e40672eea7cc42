"""The picture language of the cell diagrams (``plots.lstm_cell``, ``plots.gru_cell``).

The marks of the article's figures (§3.1), which colah's "Understanding LSTM Networks" made
familiar: a yellow box (黄色方块) is a neural-network layer, a pink circle (粉色圆圈) a
pointwise operation, an arrow a vector on its way, a dot a vector copied to two places. On top
of them every path carries a *chip*: one small square per unit, coloured by its value on one
diverging scale (−1 blue, 0 white, +1 red, clipped beyond), with the rounded number inside.

``CellDiagram`` holds the artists of one drawn cell and draws these marks on a 20 × 10 Axes
(data units, equal aspect). Each artist belongs to *parts* (e.g. {"forget", "cell"}); lighting
one part dims every artist outside it. ``redraw`` changes the chips' numbers and colours, the
caption and the dimming in place, so a widget never builds a new figure. Text is drawn as cached
outlines (``PathText``) rather than matplotlib Text: laying out and rasterising some 350 glyphs
on every render alone costs ~40 ms, an outline drawn as one filled path ~0.1 ms a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath, text_to_path
from matplotlib.transforms import Affine2D

from lstm_course.i18n import N_, _, text_family

# --- Look ----------------------------------------------------------------------------------

# RdBu_r without its darkest ends, so black numbers stay readable on every colour.
COLORMAP = ListedColormap(colormaps["RdBu_r"](np.linspace(0.12, 0.88, 256)), name="lstm_cell")
VALUE_SCALE = Normalize(vmin=-1.0, vmax=1.0, clip=True)  # one scale for every chip
DIM_ALPHA = 0.13  # what a dimmed part keeps of its opacity
LAYER_COLOUR = "#ffd966"  # the article's yellow boxes: neural-network layers
POINTWISE_COLOUR = "#f4b6c2"  # the article's pink circles: pointwise operations
CELL_COLOUR = "#eef3f8"
CELL_EDGE_COLOUR = "#9fb3c8"
LINE_COLOUR = "#333333"
NOTE_COLOUR = "#555555"
MAX_UNITS_SHOWN = 4  # a chip shows at most this many units, then "…(n)"
FIGSIZE = (10.0, 5.0)  # inches: 800 × 400 px at the widgets' 80 dpi, one notebook width
X_RANGE = (0.0, 20.0)  # the Axes' data units, equal aspect
Y_RANGE = (0.0, 10.0)

# Sizes in data units: ×36 gives points on a FIGSIZE figure (one unit is half an inch).
UNIT_W, UNIT_H = 0.8, 0.5  # one unit (square) of a chip
NUMBER_SIZE = 0.235
LABEL_SIZE = 0.32
NOTE_SIZE = 0.25
SYMBOL_SIZE = 0.34
CAPTION_SIZE = 0.38
POINTWISE_RADIUS = 0.33
DOT_RADIUS = 0.09


def new_cell_figure(figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    """A pyplot-free Figure of ``figsize`` inches, one Axes filling it, for a cell diagram."""
    figure = Figure(figsize=figsize)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    return figure, ax


def format_value(value: float) -> str:
    """Two decimals with a real minus sign; −0.00 reads 0.00."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text.replace("-", "−")


# --- Text as outlines ------------------------------------------------------------------------

EMPTY = Path(np.zeros((1, 2)), [Path.MOVETO])


@lru_cache(maxsize=2048)
def outline(s: str, size: float, italic: bool) -> tuple[Path, float, float]:
    """The outline of ``s`` (mathtext allowed), ``size`` data units tall, centred on (0, 0),
    with its half width and half height."""
    if not s:
        return EMPTY, 0.0, 0.0
    font = FontProperties(family=text_family("DejaVu Sans"), style="italic" if italic else "normal")
    if "$" in s and CJK.search(s):
        path = _mixed_path(s, size, font)
    else:
        path = TextPath((0, 0), s, size=size, prop=font)
    # The box of the outline's points: control points included, so a hair wider than the ink,
    # and far cheaper than Path.get_extents, which solves for every curve's extrema.
    (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
    centred = path.transformed(Affine2D().translate(-(x0 + x1) / 2, -(y0 + y1) / 2))
    return centred, (x1 - x0) / 2, (y1 - y0) / 2


CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Chinese characters and full-width punctuation: mathtext has no glyph for them."""


def _mixed_path(s: str, size: float, font: FontProperties) -> Path:
    """Chinese text with $math$ in it ("遗忘门：$f_t = …$"): mathtext cannot draw Chinese, so
    each piece is outlined on its own (text with the CJK fallback, maths by mathtext), side by
    side on one baseline."""
    pieces, x = [], 0.0
    scale = size / font.get_size_in_points()
    for piece in re.split(r"(\$[^$]+\$)", s):
        if not piece:
            continue
        ismath = piece.startswith("$")
        width = text_to_path.get_text_width_height_descent(piece, font, ismath)[0]
        pieces.append(TextPath((x, 0), piece, size=size, prop=font))
        x += width * scale
    return Path.make_compound_path(*pieces)


NOTE_NAMES = (
    N_("forget"),
    N_("input"),
    N_("candidate"),
    N_("output"),
    N_("coupled"),
    N_("reset"),
    N_("update"),
)
"""The names the diagrams write under their boxes (``note`` shows each translated)."""


class PathText(PathPatch):
    """A text drawn as its outline, anchored at (x, y) like a Text (``ha``, ``va``).

    ``size`` is the font size in data units (0.3 ≈ 11 pt on a ``FIGSIZE`` figure), so the
    text scales with the diagram. ``set_text`` swaps the outline; ``get_text`` and
    ``get_position`` read it back.
    """

    def __init__(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        ha: str = "center",
        va: str = "center",
        rotation: float = 0.0,
        italic: bool = False,
        color: str = LINE_COLOUR,
        zorder: float = 6,
    ) -> None:
        super().__init__(EMPTY, facecolor=color, edgecolor="none", zorder=zorder)
        self._anchor = (x, y, ha, va, rotation)
        self._size, self._italic = size, italic
        self._text = ""
        self.set_text(s)

    def get_text(self) -> str:
        return self._text

    def get_position(self) -> tuple[float, float]:
        """The anchor (x, y) in data units."""
        return self._anchor[0], self._anchor[1]

    def set_text(self, s: str) -> None:
        if s != self._text or not self._text:
            self._text = s
            self.set_path(self._placed(s))

    def _placed(self, s: str) -> Path:
        x, y, ha, va, rotation = self._anchor
        path, half_width, half_height = outline(s, self._size, self._italic)
        if rotation % 180:  # upright or upside down keep the box; a quarter turn swaps it
            half_width, half_height = half_height, half_width
        dx = {"center": 0.0, "left": half_width, "right": -half_width}[ha]
        dy = {"center": 0.0, "bottom": half_height, "top": -half_height}[va]
        return path.transformed(Affine2D().rotate_deg(rotation).translate(x + dx, y + dy))


@dataclass
class Chip:
    """The values of one path: a row of coloured squares with their numbers inside."""

    squares: list[Rectangle]
    numbers: PathPatch
    number_size: float = NUMBER_SIZE
    text: str = ""  # the numbers as shown, e.g. "0.50 0.60 0.40"

    def show(self, values: np.ndarray) -> None:
        shown = values[: len(self.squares)]
        colours = COLORMAP(VALUE_SCALE(shown))  # one colormap call for the whole row
        places = []
        for square, colour, value in zip(self.squares, colours, shown, strict=True):
            square.set_facecolor(colour)
            x = square.get_x() + square.get_width() / 2
            y = square.get_y() + square.get_height() / 2
            number = outline(format_value(value), self.number_size, False)[0]
            places.append(number.transformed(Affine2D().translate(x, y)))
        self.numbers.set_path(Path.make_compound_path(*places))
        self.text = " ".join(format_value(v) for v in shown)


# --- The diagram -----------------------------------------------------------------------------


class CellDiagram:
    """The artists of one drawn cell, each a member of named parts, and the chips on its paths.

    A subclass names its ``highlights`` (the parts that can be lit) and may change the sizes
    below; it draws with ``line``, ``box``, ``pointwise``, ``chip``… once, then shows every new
    step with ``redraw``. Attributes: ``ax``; ``highlight``, the part shown undimmed (None:
    all); ``chips``, path name -> its Chip; ``caption``, the equation over the cell.
    """

    highlights: tuple[str, ...] = ()
    unit_size = (UNIT_W, UNIT_H)  # one square of a chip
    number_size = NUMBER_SIZE  # text sizes, in data units
    label_size = LABEL_SIZE
    note_size = NOTE_SIZE
    symbol_size = SYMBOL_SIZE

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        self.highlight: str | None = None
        self.chips: dict[str, Chip] = {}
        self.caption: PathText | None = None
        self._parts: list[tuple[Artist, frozenset[str]]] = []
        self._lit = False  # whether the dimming has been applied once
        ax.set_xlim(*X_RANGE)
        ax.set_ylim(*Y_RANGE)
        ax.set_aspect("equal")
        ax.set_axis_off()

    def shown(self, path: str) -> str:
        """The numbers shown on ``path`` (a key of ``chips``), e.g. "0.25 0.06 0.32"."""
        if path not in self.chips:
            raise ValueError(f"path must be one of {tuple(self.chips)}; got {path!r}")
        return self.chips[path].text

    # -- updating: on every slider move --

    def caption_text(self, highlight: str | None) -> str:
        """The caption's equation when ``highlight`` is lit; a subclass names its own."""
        return ""

    def redraw(self, values: dict[str, np.ndarray], highlight: str | None) -> None:
        """Every chip shows ``values[its name]``, the caption ``caption_text(highlight)``, and
        ``highlight`` (None or one of ``highlights``) stays lit while the rest is dimmed."""
        if highlight is not None and highlight not in self.highlights:
            raise ValueError(
                f"highlight must be None or one of {self.highlights}; got {highlight!r}"
            )
        for name, chip in self.chips.items():
            chip.show(values[name])
        if self.caption is not None:
            self.caption.set_text(self.caption_text(highlight))
        if highlight != self.highlight or not self._lit:
            for artist, parts in self._parts:
                artist.set_alpha(1.0 if highlight is None or highlight in parts else DIM_ALPHA)
            self.highlight, self._lit = highlight, True

    # -- building: once --

    def add(self, artist: Artist, parts: frozenset[str] | set[str]) -> Artist:
        """Put ``artist`` on the Axes as a member of ``parts`` (it stays lit when they are)."""
        self.ax.add_artist(artist)
        self._parts.append((artist, frozenset(parts)))
        return artist

    def rounded(self, x0, y0, x1, y1, parts, rounding: float, pad: float = 0.0, **look) -> None:
        """A rectangle x0…x1 × y0…y1 with rounded corners; ``look``: facecolor, edgecolor…"""
        style = f"round,pad={pad},rounding_size={rounding}"
        self.add(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle=style, **look), parts)

    def background(self, box: tuple[float, float, float, float], parts) -> None:
        """The cell's rounded background, box = (x0, y0, x1, y1)."""
        self.rounded(*box, parts, 0.4, facecolor=CELL_COLOUR, edgecolor=CELL_EDGE_COLOUR,
                     linewidth=1.0, zorder=0)  # fmt: skip

    def line(self, points: list[tuple[float, float]], parts, arrow: bool = True, **style):
        """A path through ``points``, with an arrowhead at the end unless ``arrow`` is False."""
        patch = FancyArrowPatch(
            path=Path(points),
            arrowstyle="-|>" if arrow else "-",
            mutation_scale=11,
            color=style.pop("color", LINE_COLOUR),
            linewidth=style.pop("linewidth", 1.6),
            shrinkA=0,
            shrinkB=0,
            zorder=1,
            **style,
        )
        return self.add(patch, parts)

    def dot(self, x: float, y: float, parts, color: str = LINE_COLOUR) -> None:
        """A junction: a signal copied to two places."""
        self.add(Circle((x, y), DOT_RADIUS, color=color, zorder=2), parts)

    def text(self, x: float, y: float, s: str, parts, size: float | None = None, **kw) -> PathText:
        """Text (mathtext allowed) at (x, y), centred unless ``ha``/``va`` say otherwise."""
        return self.add(PathText(x, y, s, self.label_size if size is None else size, **kw), parts)

    def note(self, x: float, y: float, words: str, parts, **kw) -> PathText:
        """A small grey italic name, e.g. "forget" under its box."""
        size = self.note_size
        return self.text(x, y, _(words), parts, size, italic=True, color=NOTE_COLOUR, **kw)

    def box(
        self,
        x: float,
        y: float,
        half: tuple[float, float],
        symbol: str,
        parts,
        colour: str = LAYER_COLOUR,
        symbol_size: float | None = None,
    ) -> None:
        """A box centred at (x, y), half width and height ``half``, with ``symbol`` inside:
        yellow for a layer (weights, then σ or tanh)."""
        w, h = half
        self.rounded(x - w, y - h, x + w, y + h, parts, 0.12, pad=0.02, facecolor=colour,
                     edgecolor=LINE_COLOUR, linewidth=1.2, zorder=3)  # fmt: skip
        size = self.symbol_size if symbol_size is None else symbol_size
        self.text(x, y, symbol, parts, size, zorder=4)

    def pointwise(self, x: float, y: float, symbol: str, parts) -> None:
        """A pink circle: a pointwise operation (×, +, 1 −)."""
        circle = Circle(
            (x, y), POINTWISE_RADIUS, facecolor=POINTWISE_COLOUR, edgecolor=LINE_COLOUR, zorder=3
        )
        self.add(circle, parts)
        size = self.symbol_size if len(symbol) == 1 else self.note_size
        self.text(x, y, symbol, parts, size, zorder=4)

    def chip(
        self,
        name: str,
        centre: tuple[float, float],
        size: int,
        label: str,
        parts,
        label_side: str = "left",
    ) -> None:
        """Squares for ``size`` units centred at ``centre``, named ``label`` on ``label_side``
        ("left", "right", "above" or "below"); more than MAX_UNITS_SHOWN end in "…(size)"."""
        x, y = centre
        unit_w, unit_h = self.unit_size
        shown = min(size, MAX_UNITS_SHOWN)
        x0 = x - shown * unit_w / 2
        squares = []
        for k in range(shown):
            square = Rectangle(
                (x0 + k * unit_w, y - unit_h / 2),
                unit_w,
                unit_h,
                facecolor="white",
                edgecolor=NOTE_COLOUR,
                linewidth=0.8,
                zorder=5,
            )
            squares.append(self.add(square, parts))
        numbers = self.add(PathPatch(EMPTY, facecolor="black", edgecolor="none", zorder=6), parts)
        x1 = x0 + shown * unit_w
        if size > shown:
            self.text(x1 + 0.08, y, f"…({size})", parts, self.note_size, ha="left")
            x1 += 0.8
        lx, ly, ha, va = {
            "left": (x0 - 0.12, y, "right", "center"),
            "right": (x1 + 0.12, y, "left", "center"),
            "above": (x, y + unit_h / 2 + 0.08, "center", "bottom"),
            "below": (x, y - unit_h / 2 - 0.08, "center", "top"),
        }[label_side]
        self.text(lx, ly, label, parts, ha=ha, va=va)
        self.chips[name] = Chip(squares, numbers, self.number_size)

    def colour_scale(self, x0: float, x1: float, y0: float, y1: float, parts) -> None:
        """The one colour scale of every chip, −1 … +1, in the box x0…x1, y0…y1."""
        frame = Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            facecolor="none",
            edgecolor=NOTE_COLOUR,
            linewidth=0.6,
            zorder=2,
        )
        self.add(frame, parts)
        gradient = self.ax.imshow(
            np.linspace(-1, 1, 64)[None, :],
            cmap=COLORMAP,
            norm=VALUE_SCALE,
            extent=(x0, x1, y0, y1),
            aspect="auto",
            zorder=1,
        )
        self.ax.set_xlim(*X_RANGE)  # imshow autoscales; put the diagram's limits back
        self.ax.set_ylim(*Y_RANGE)
        self.ax.set_aspect("equal")
        self._parts.append((gradient, frozenset(parts)))
        for x, label in ((x0, "−1"), ((x0 + x1) / 2, "0"), (x1, "+1")):
            self.text(x, y0 - 0.08, label, parts, self.note_size, va="top", color=NOTE_COLOUR)
        self.note((x0 + x1) / 2, y1 + 0.1, _("value on each path"), parts, va="bottom")
