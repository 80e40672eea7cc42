"""Notebook 09's playground: one set of inputs, five cells — switch the cell, watch what changes.

The cell types are the LSTM, the peephole LSTM, the coupled LSTM and the GRU in both
conventions (the article's, PyTorch's). All read the article's worked numbers C_{t-1},
h_{t-1} and x_t (x_t movable by sliders) and fixed, seeded weights: the three LSTMs share
W_f, W_C, W_o (and W_i where they have one), the two GRUs share every number
(``TorchGRUParams.from_article``). The figure holds one diagram per cell type, drawn once,
only the selected one visible, and below them h_t of all five on the same inputs.
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course import worked_example
from lstm_course.lstm import LSTMParams, LSTMStep, lstm_cell, update_cell
from lstm_course.plots.gru_cell import draw_gru_cell
from lstm_course.plots.lstm_cell import draw_lstm_cell
from lstm_course.shapes import checked
from lstm_course.variants import (
    CoupledLSTMParams,
    GRUParams,
    GRUStep,
    PeepholeLSTMParams,
    TorchGRUParams,
    coupled_lstm_cell,
    gru_cell,
    gru_cell_torch,
    peephole_lstm_cell,
)
from lstm_course.widgets.playground import Playground, register

CELL_TYPES = ("LSTM", "peephole LSTM", "coupled LSTM", "GRU (article)", "GRU (PyTorch)")
LSTM_TYPES = CELL_TYPES[:3]  # those with a cell state C_t
SEED = 9  # the weights every cell type uses
X_RANGE = (-2.0, 2.0)
BAR_COLOURS = ("#4c72b0", "#8172b2", "#64b5cd", "#55a868", "#c44e52")
FIGSIZE = (10.0, 7.2)
DIAGRAM_RECT = (0.0, 0.3, 1.0, 0.7)  # left, bottom, width, height
BARS_RECT = (0.07, 0.05, 0.66, 0.21)


class VariantWeights(NamedTuple):
    """One parameter set per cell type, sharing numbers where the cells share a role."""

    lstm: LSTMParams
    peephole: PeepholeLSTMParams
    coupled: CoupledLSTMParams
    gru: GRUParams
    gru_torch: TorchGRUParams

    @classmethod
    def random(cls, input_size: int, hidden_size: int, rng: np.random.Generator):
        """Seeded weights: one LSTM, its peephole and coupled cousins, one GRU read both ways."""
        lstm = LSTMParams.random(input_size, hidden_size, rng)
        bound = 1.0 / np.sqrt(hidden_size)
        p_f, p_i, p_o = rng.uniform(-bound, bound, (3, hidden_size))
        gru = GRUParams.random(input_size, hidden_size, rng)
        return cls(
            lstm=lstm,
            peephole=PeepholeLSTMParams(lstm, p_f, p_i, p_o),
            coupled=CoupledLSTMParams.from_lstm(lstm),
            gru=gru,
            gru_torch=TorchGRUParams.from_article(gru),
        )


def variant_step(
    cell_type: str,
    x_t: np.ndarray,
    h_prev: np.ndarray,
    C_prev: np.ndarray,
    weights: VariantWeights,
) -> LSTMStep | GRUStep:
    """One step of ``cell_type`` (one of CELL_TYPES) on x_t (D,), h_prev and C_prev (H,).

    The LSTMs return an LSTMStep; the GRUs a GRUStep, and ignore C_prev (they have no C).
    """
    x_t = checked("x_t", x_t, (weights.lstm.input_size,), "(input,)")
    if cell_type == "LSTM":
        return lstm_cell(x_t, h_prev, C_prev, weights.lstm)
    if cell_type == "peephole LSTM":
        return peephole_lstm_cell(x_t, h_prev, C_prev, weights.peephole)
    if cell_type == "coupled LSTM":
        return coupled_lstm_cell(x_t, h_prev, C_prev, weights.coupled)
    if cell_type == "GRU (article)":
        return gru_cell(x_t, h_prev, weights.gru)
    if cell_type == "GRU (PyTorch)":
        return gru_cell_torch(x_t, h_prev, weights.gru_torch)
    raise ValueError(f"cell_type must be one of {CELL_TYPES}; got {cell_type!r}")


class VariantsFigure:
    """Five diagrams in one slot (one visible) and a bar chart of every cell's h_t.

    ``show(cell_type, x_t)`` recomputes all five steps, updates every diagram and bar in
    place and makes ``cell_type``'s diagram the visible one; ``figure`` is built once.
    """

    def __init__(
        self,
        weights: VariantWeights,
        h_prev: np.ndarray = worked_example.h_prev,
        C_prev: np.ndarray = worked_example.C_prev,
    ) -> None:
        self.weights = weights
        self.h_prev, self.C_prev = h_prev, C_prev
        self.figure = Figure(figsize=FIGSIZE)
        x_t = worked_example.x_t
        self.diagrams = {}
        for cell_type in CELL_TYPES:
            ax = self.figure.add_axes(DIAGRAM_RECT, label=cell_type)
            step = self.steps(x_t)[cell_type]
            if cell_type in LSTM_TYPES:
                self.diagrams[cell_type] = draw_lstm_cell(
                    ax, step, C_prev, h_prev, x_t,
                    peephole=cell_type == "peephole LSTM", coupled=cell_type == "coupled LSTM",
                )  # fmt: skip
            else:
                convention = "article" if cell_type == "GRU (article)" else "pytorch"
                self.diagrams[cell_type] = draw_gru_cell(
                    ax, step, h_prev, x_t, convention=convention
                )
        self.bars_ax = self.figure.add_axes(BARS_RECT, label="h_t of every cell")
        self._draw_bars()
        self.cell_type = CELL_TYPES[0]

    def steps(self, x_t: np.ndarray) -> dict[str, LSTMStep | GRUStep]:
        """Every cell type's step on the same x_t, h_{t-1}, C_{t-1} and weights."""
        return {
            cell_type: variant_step(cell_type, x_t, self.h_prev, self.C_prev, self.weights)
            for cell_type in CELL_TYPES
        }

    def _draw_bars(self) -> None:
        ax, H = self.bars_ax, self.weights.lstm.hidden_size
        width = 0.8 / len(CELL_TYPES)
        self.bars = {}
        for k, (cell_type, colour) in enumerate(zip(CELL_TYPES, BAR_COLOURS, strict=True)):
            positions = np.arange(H) + (k - (len(CELL_TYPES) - 1) / 2) * width
            self.bars[cell_type] = ax.bar(
                positions, np.zeros(H), width, color=colour, edgecolor="black", linewidth=0,
                label=cell_type,
            )  # fmt: skip
        ax.axhline(0, color="#333333", lw=0.8)
        ax.set_xticks(np.arange(H), [f"unit {j + 1}" for j in range(H)])
        ax.set_ylim(-1, 1)
        ax.set_ylabel("$h_t$")
        ax.set_title("$h_t$ of every cell on the same inputs (the shown one outlined)", fontsize=9)
        ax.legend(fontsize=8, loc="center left", frameon=False, bbox_to_anchor=(1.02, 0.5))
        ax.spines[["top", "right"]].set_visible(False)

    def show(self, cell_type: str, x_t: np.ndarray) -> VariantsFigure:
        """Show ``cell_type``'s diagram on x_t and every cell's h_t; returns self."""
        if cell_type not in CELL_TYPES:
            raise ValueError(f"cell_type must be one of {CELL_TYPES}; got {cell_type!r}")
        steps = self.steps(x_t)
        for name, diagram in self.diagrams.items():
            if name in LSTM_TYPES:
                diagram.update(steps[name], self.C_prev, self.h_prev, x_t)
            else:
                diagram.update(steps[name], self.h_prev, x_t)
            diagram.ax.set_visible(name == cell_type)
            for bar, value in zip(self.bars[name], steps[name].h_t, strict=True):
                bar.set_height(value)
                bar.set_linewidth(1.8 if name == cell_type else 0)
                bar.set_alpha(1.0 if name == cell_type else 0.45)
        self.cell_type = cell_type
        self.last_steps = steps
        return self


def _readout(cell_type: str, steps: dict[str, LSTMStep | GRUStep]) -> str:
    step = steps[cell_type]
    parts = [f"<b>{cell_type}</b>: h<sub>t</sub> = {np.round(step.h_t, 3).tolist()}"]
    if cell_type in LSTM_TYPES:
        parts.append(f"C<sub>t</sub> = {np.round(step.C_t, 3).tolist()}")
    else:
        parts.append("no separate cell state: h<sub>t</sub> is the memory")
    gap = np.max(np.abs(steps["GRU (article)"].h_t - steps["GRU (PyTorch)"].h_t))
    lstm_gap = np.max(np.abs(steps["LSTM"].h_t - step.h_t))
    parts.append(f"max |h<sub>t</sub> − LSTM's h<sub>t</sub>| = {lstm_gap:.3f}")
    parts.append(f"the two GRU conventions differ by up to {gap:.3f} on the same weights")
    return "<br>".join(parts)


@register
def variants_playground() -> Playground:
    """Switch the cell type; the diagram and the outputs redraw for the same inputs."""
    weights = VariantWeights.random(worked_example.INPUT_SIZE, worked_example.HIDDEN_SIZE,
                                    np.random.default_rng(SEED))  # fmt: skip
    view = VariantsFigure(weights)
    controls = {
        "cell_type": widgets.ToggleButtons(
            options=CELL_TYPES, value="LSTM", description="cell"
        ),  # fmt: skip
    }
    for j, value in enumerate(worked_example.x_t):
        controls[f"x_{j + 1}"] = widgets.FloatSlider(
            value=value, min=X_RANGE[0], max=X_RANGE[1], step=0.05,
            description=f"x_t[{j + 1}]", continuous_update=False,
        )  # fmt: skip

    def update(values: dict) -> str:
        x_t = np.array([values[f"x_{j + 1}"] for j in range(worked_example.INPUT_SIZE)])
        view.show(values["cell_type"], x_t)
        return _readout(values["cell_type"], view.last_steps)

    return Playground(controls, update, view.figure, title="One input, five cells")


# --- The coupled gate: one slider for forgetting and writing ----------------------------------


class CoupledFigure:
    """What the coupled gate does with one f_t (shared by all units) on fixed C_{t-1}, C̃_t.

    Left: per unit, the part kept f_t*C_{t-1}, the part written (1 − f_t)*C̃_t and C_t.
    Right, for one unit (by default the one with the largest |C̃_t|): C_t against f_t — the
    coupled cell's line from C̃_t (f_t = 0) to C_{t-1} (f_t = 1), and the band the uncoupled
    LSTM reaches with any i_t in [0, 1]. C_prev, C_tilde (H,); unit in 0 … H − 1.
    """

    def __init__(self, C_prev: np.ndarray, C_tilde: np.ndarray, unit: int | None = None) -> None:
        self.C_prev = checked("C_prev", C_prev, np.shape(C_prev))
        self.C_tilde = checked("C_tilde", C_tilde, self.C_prev.shape, "(hidden,), like C_prev")
        if unit is None:
            unit = int(np.argmax(np.abs(self.C_tilde)))
        if not 0 <= unit < self.C_prev.size:
            raise ValueError(f"unit must be in 0 … {self.C_prev.size - 1}; got {unit}")
        self.unit = unit
        H = self.C_prev.size
        self.figure = Figure(figsize=(10.0, 3.6))
        self.bars_ax, self.line_ax = self.figure.subplots(1, 2, width_ratios=(1.3, 1.0))
        self.figure.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.92, wspace=0.22)
        width = 0.26
        names = ("kept  $f_t * C_{t-1}$", "written  $(1 - f_t) * \\tilde{C}_t$", "$C_t$")
        self.bars = []
        for k, (name, colour) in enumerate(zip(names, ("#4c72b0", "#dd8452", "#333333"),
                                               strict=True)):  # fmt: skip
            positions = np.arange(H) + (k - 1) * width
            self.bars.append(self.bars_ax.bar(positions, np.zeros(H), width, color=colour,
                                              label=name))  # fmt: skip
        self.bars_ax.axhline(0, color="#333333", lw=0.8)
        self.bars_ax.set_xticks(np.arange(H), [f"unit {j + 1}" for j in range(H)])
        self.bars_ax.set_ylim(-1.1, 1.1)
        self.bars_ax.legend(fontsize=8, loc="lower left")
        self.bars_ax.set_title("coupled: what is kept and what is written", fontsize=10)

        f = np.linspace(0, 1, 101)
        c, c_tilde = self.C_prev[unit], self.C_tilde[unit]
        ax = self.line_ax
        ax.fill_between(f, f * c + np.minimum(c_tilde, 0), f * c + np.maximum(c_tilde, 0),
                        color="#bbbbbb", alpha=0.5, label="LSTM: any $i_t$ in [0, 1]")  # fmt: skip
        ax.plot(f, f * c + (1 - f) * c_tilde, color="#dd8452", lw=2,
                label="coupled: $i_t = 1 - f_t$")  # fmt: skip
        (self.marker,) = ax.plot([0], [0], "o", color="#c44e52", ms=8)
        ax.set_xlabel("$f_t$")
        ax.set_ylabel(f"$C_t$ of unit {unit + 1}")
        ax.set_xlim(0, 1)
        ax.legend(fontsize=8, loc="best")
        ax.set_title("coupled $C_t$ stays between $\\tilde{C}_t$ and $C_{t-1}$", fontsize=10)

    def show(self, f_value: float) -> np.ndarray:
        """Set every unit's f_t to ``f_value``; update the bars and the marker; return C_t."""
        f_t = np.full(self.C_prev.shape, float(f_value))
        kept, written = f_t * self.C_prev, (1.0 - f_t) * self.C_tilde
        C_t = update_cell(f_t, self.C_prev, 1.0 - f_t, self.C_tilde)
        for bars, values in zip(self.bars, (kept, written, C_t), strict=True):
            for bar, value in zip(bars, values, strict=True):
                bar.set_height(value)
        self.marker.set_data([f_value], [C_t[self.unit]])
        return C_t


def worked_candidate(weights: VariantWeights) -> np.ndarray:
    """C̃_t of the variants' LSTM on the article's worked numbers: tanh(W_C·[h_{t-1}, x_t] + b_C)."""
    return lstm_cell(
        worked_example.x_t, worked_example.h_prev, worked_example.C_prev, weights.lstm
    ).C_tilde


@register
def coupled_gate_playground() -> Playground:
    """One slider f_t: forgetting (f_t) and writing (1 − f_t) move together."""
    weights = VariantWeights.random(worked_example.INPUT_SIZE, worked_example.HIDDEN_SIZE,
                                    np.random.default_rng(SEED))  # fmt: skip
    view = CoupledFigure(worked_example.C_prev, worked_candidate(weights))
    controls = {
        "f_t": widgets.FloatSlider(
            value=0.5, min=0.0, max=1.0, step=0.01, description="f_t", continuous_update=False
        ),  # fmt: skip
    }

    def update(values: dict) -> str:
        f_value = values["f_t"]
        C_t = view.show(f_value)
        return (
            f"f<sub>t</sub> = {f_value:.2f} forgets {1 - f_value:.0%} of C<sub>t−1</sub> and "
            f"writes {1 - f_value:.0%} of C̃<sub>t</sub>: C<sub>t</sub> = "
            f"{np.round(C_t, 3).tolist()}"
        )

    return Playground(controls, update, view.figure, title="The coupled gate")
