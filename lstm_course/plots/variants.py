"""Notebook 09's pictures: five cells on one input, and the coupled gate's single slider.

``VariantsFigure`` holds one diagram per cell type in one slot — the LSTM, the peephole LSTM,
the coupled LSTM (``plots.lstm_cell``), the GRU in the article's and in PyTorch's convention
(``plots.gru_cell``) — only the selected one visible, and below them a bar chart of every
cell's h_t. ``CoupledFigure`` shows the coupled update C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t
split into what is kept and what is written. Both draw values computed elsewhere (the widget's
pure functions, or a notebook cell), build their figure once and change it in place with
``show``; nothing here shows, saves or prints.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lstm_course.i18n import _
from lstm_course.lstm import LSTMStep
from lstm_course.plots.gru_cell import draw_gru_cell
from lstm_course.plots.lstm_cell import draw_lstm_cell
from lstm_course.shapes import checked, vector
from lstm_course.variants import CELL_TYPES, LSTM_TYPES, GRUStep

GRU_CONVENTIONS = {"GRU (article)": "article", "GRU (PyTorch)": "pytorch"}
BAR_COLOURS = ("#4c72b0", "#8172b2", "#64b5cd", "#55a868", "#c44e52")
FIGSIZE = (10.0, 7.2)
DIAGRAM_RECT = (0.0, 0.3, 1.0, 0.7)  # left, bottom, width, height
BARS_RECT = (0.07, 0.05, 0.66, 0.21)
KEPT_COLOUR, WRITTEN_COLOUR, TOTAL_COLOUR = "#4c72b0", "#dd8452", "#333333"


def _check_steps(steps: Mapping[str, LSTMStep | GRUStep]) -> None:
    missing = [cell_type for cell_type in CELL_TYPES if cell_type not in steps]
    if missing:
        raise ValueError(f"steps must hold one step per cell type {CELL_TYPES}; missing {missing}")


class VariantsFigure:
    """Five diagrams in one slot (one visible) and a bar chart of every cell's h_t.

    steps: cell type (every one of ``CELL_TYPES``) -> its step on the same inputs: an
    LSTMStep for the three LSTMs, a GRUStep for the two GRUs, each field (H,).
    C_prev, h_prev (H,) and x_t (D,): the inputs those steps were computed from.
    ``show(cell_type, steps, x_t)`` updates every diagram and bar in place and makes
    ``cell_type``'s diagram the visible one; ``figure`` is built once. Each diagram's Axes is
    labelled with its cell type; ``bars`` maps cell type -> its H bars.
    """

    def __init__(
        self,
        steps: Mapping[str, LSTMStep | GRUStep],
        C_prev: np.ndarray,
        h_prev: np.ndarray,
        x_t: np.ndarray,
    ) -> None:
        _check_steps(steps)
        self.C_prev, self.h_prev = C_prev, h_prev
        self.figure = Figure(figsize=FIGSIZE)
        self.diagrams = {}
        for cell_type in CELL_TYPES:
            ax = self.figure.add_axes(DIAGRAM_RECT, label=cell_type)
            step = steps[cell_type]
            if cell_type in LSTM_TYPES:
                self.diagrams[cell_type] = draw_lstm_cell(
                    ax, step, C_prev, h_prev, x_t,
                    peephole=cell_type == "peephole LSTM", coupled=cell_type == "coupled LSTM",
                )  # fmt: skip
            else:
                convention = GRU_CONVENTIONS[cell_type]
                self.diagrams[cell_type] = draw_gru_cell(
                    ax, step, h_prev, x_t, convention=convention
                )
        self.bars_ax = self.figure.add_axes(BARS_RECT, label="h_t of every cell")
        self._draw_bars(np.size(h_prev))
        self.show(CELL_TYPES[0], steps, x_t)

    @property
    def changing(self) -> list[Artist]:
        """Every artist ``show`` may change: the diagrams' marks and the bars. The rest (the
        bar chart's axes, title and legend) never changes (see ``widgets.LiveFigure``)."""
        artists: list[Artist] = [bar for bars in self.bars.values() for bar in bars]
        for diagram in self.diagrams.values():
            ax = diagram.ax
            artists += [*ax.patches, *ax.lines, *ax.texts, *ax.collections, *ax.images]
        return artists

    def _draw_bars(self, H: int) -> None:
        ax = self.bars_ax
        width = 0.8 / len(CELL_TYPES)
        self.bars = {}
        for k, (cell_type, colour) in enumerate(zip(CELL_TYPES, BAR_COLOURS, strict=True)):
            positions = np.arange(H) + (k - (len(CELL_TYPES) - 1) / 2) * width
            self.bars[cell_type] = ax.bar(
                positions, np.zeros(H), width, color=colour, edgecolor="black", linewidth=0,
                label=_(cell_type),
            )  # fmt: skip
        ax.axhline(0, color="#333333", lw=0.8)
        ax.set_xticks(np.arange(H), [_("unit {unit}").format(unit=j + 1) for j in range(H)])
        ax.set_ylim(-1, 1)
        ax.set_yticks([-1.0, 0.0, 1.0])  # few labels: each is redrawn every frame
        ax.set_ylabel("hₜ")
        ax.set_title(_("hₜ of every cell, same inputs"), fontsize=9)
        ax.legend(fontsize=8, loc="center left", frameon=False, bbox_to_anchor=(1.02, 0.5))
        ax.spines[["top", "right"]].set_visible(False)

    def show(
        self, cell_type: str, steps: Mapping[str, LSTMStep | GRUStep], x_t: np.ndarray
    ) -> VariantsFigure:
        """Show ``cell_type``'s diagram of ``steps`` (on x_t) and every cell's h_t; returns self.

        Only the visible diagram is redrawn; another is brought up to date when it is shown.
        """
        if cell_type not in CELL_TYPES:
            raise ValueError(f"cell_type must be one of {CELL_TYPES}; got {cell_type!r}")
        _check_steps(steps)
        for name, diagram in self.diagrams.items():
            diagram.ax.set_visible(name == cell_type)
        shown = self.diagrams[cell_type]  # hidden diagrams are brought up to date when shown
        if cell_type in LSTM_TYPES:
            shown.update(steps[cell_type], self.C_prev, self.h_prev, x_t)
        else:
            shown.update(steps[cell_type], self.h_prev, x_t)
        for name in CELL_TYPES:
            for bar, value in zip(self.bars[name], steps[name].h_t, strict=True):
                bar.set_height(value)
                bar.set_linewidth(1.8 if name == cell_type else 0)
                bar.set_alpha(1.0 if name == cell_type else 0.45)
        self.cell_type = cell_type
        return self


class CoupledFigure:
    """What the coupled gate does with one f_t (shared by all units) on fixed C_{t-1}, C̃_t.

    Left: per unit, the part kept f_t*C_{t-1}, the part written (1 − f_t)*C̃_t and C_t.
    Right, for one unit (by default the one with the largest |C̃_t|): C_t against f_t — the
    coupled cell's line from C̃_t (f_t = 0) to C_{t-1} (f_t = 1), and the band the uncoupled
    LSTM reaches with any i_t in [0, 1]. C_prev, C_tilde (H,); unit in 0 … H − 1.
    """

    def __init__(self, C_prev: np.ndarray, C_tilde: np.ndarray, unit: int | None = None) -> None:
        self.C_prev = vector("C_prev", C_prev)
        self.C_tilde = checked("C_tilde", C_tilde, self.C_prev.shape, "(hidden,), like C_prev")
        if unit is None:
            unit = int(np.argmax(np.abs(self.C_tilde)))
        if not 0 <= unit < self.C_prev.size:
            raise ValueError(f"unit must be in 0 … {self.C_prev.size - 1}; got {unit}")
        self.unit = unit
        self.figure = Figure(figsize=(10.0, 3.6))
        self.bars_ax, self.line_ax = self.figure.subplots(1, 2, width_ratios=(1.3, 1.0))
        self.figure.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.92, wspace=0.22)
        self._draw_bars()
        self._draw_line()

    @property
    def changing(self) -> list[Artist]:
        """The artists ``show`` changes (bars and marker); axes, titles and legends never do."""
        return [bar for bars in self.bars for bar in bars] + [self.marker]

    def _draw_bars(self) -> None:
        H, width, ax = self.C_prev.size, 0.26, self.bars_ax
        names = (_("kept  fₜ ⊙ Cₜ₋₁"), _("written  (1 − fₜ) ⊙ C̃ₜ"), "Cₜ")
        colours = (KEPT_COLOUR, WRITTEN_COLOUR, TOTAL_COLOUR)
        self.bars = []
        for k, (name, colour) in enumerate(zip(names, colours, strict=True)):
            positions = np.arange(H) + (k - 1) * width
            self.bars.append(ax.bar(positions, np.zeros(H), width, color=colour, label=name))
        ax.axhline(0, color="#333333", lw=0.8)
        ax.set_xticks(np.arange(H), [_("unit {unit}").format(unit=j + 1) for j in range(H)])
        ax.set_ylim(-1.1, 1.1)
        ax.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])  # few labels: each is redrawn every frame
        ax.legend(fontsize=8, loc="lower left")
        ax.set_title(_("kept + written = Cₜ"), fontsize=10)

    def _draw_line(self) -> None:
        f = np.linspace(0, 1, 101)
        c, c_tilde = self.C_prev[self.unit], self.C_tilde[self.unit]
        ax = self.line_ax
        ax.fill_between(f, f * c + np.minimum(c_tilde, 0), f * c + np.maximum(c_tilde, 0),
                        color="#bbbbbb", alpha=0.5, label=_("LSTM: any iₜ in [0, 1]"))  # fmt: skip
        ax.plot(f, f * c + (1 - f) * c_tilde, color=WRITTEN_COLOUR, lw=2,
                label=_("coupled: iₜ = 1 − fₜ"))  # fmt: skip
        (self.marker,) = ax.plot([0], [0], "o", color="#c44e52", ms=8)
        ax.set_xlabel("fₜ")
        ax.set_ylabel(_("Cₜ of unit {unit}").format(unit=self.unit + 1))
        ax.set_xlim(0, 1)
        ax.set_xticks([0.0, 0.5, 1.0])
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.legend(fontsize=8, loc="upper left")
        ax.set_title(_("Cₜ lies between C̃ₜ and Cₜ₋₁"), fontsize=10)

    def show(
        self, f_t: np.ndarray, kept: np.ndarray, written: np.ndarray, C_t: np.ndarray
    ) -> CoupledFigure:
        """Bars for kept = f_t*C_{t-1}, written = (1 − f_t)*C̃_t and C_t, each (H,), and the
        marker at (f_t, C_t) of the plotted unit; returns self."""
        H = (self.C_prev.size,)
        values = {
            "f_t": checked("f_t", f_t, H, "(hidden,), like C_prev"),
            "kept": checked("kept", kept, H, "(hidden,), like C_prev"),
            "written": checked("written", written, H, "(hidden,), like C_prev"),
            "C_t": checked("C_t", C_t, H, "(hidden,), like C_prev"),
        }
        for bars, name in zip(self.bars, ("kept", "written", "C_t"), strict=True):
            for bar, value in zip(bars, values[name], strict=True):
                bar.set_height(value)
        self.marker.set_data([values["f_t"][self.unit]], [values["C_t"][self.unit]])
        return self
