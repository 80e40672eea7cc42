"""Notebook 09's playgrounds: one set of inputs, five cells; and the coupled gate's one slider.

The cell types are the LSTM, the peephole LSTM, the coupled LSTM and the GRU in both
conventions (the article's, PyTorch's). All read the article's worked numbers C_{t-1},
h_{t-1} and x_t (x_t movable by sliders) and fixed, seeded weights: the three LSTMs share
W_f, W_C, W_o (and W_i where they have one), the two GRUs share every number
(``TorchGRUParams.from_article``). Wiring only: ``variant_step`` and ``coupled_step`` compute
with the package's cells, ``plots.variants`` draws (``VariantsFigure``, ``CoupledFigure``).
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from lstm_course import worked_example
from lstm_course.lstm import LSTMParams, LSTMStep, lstm_cell, update_cell
from lstm_course.plots.variants import CELL_TYPES, LSTM_TYPES, CoupledFigure, VariantsFigure
from lstm_course.shapes import checked, vector
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
from lstm_course.widgets.playground import Playground, register, slider

SEED = 9  # the weights every cell type uses
X_RANGE = (-2.0, 2.0)


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


def variant_steps(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, weights: VariantWeights
) -> dict[str, LSTMStep | GRUStep]:
    """Every cell type's step on the same x_t (D,), h_{t-1}, C_{t-1} (H,) and weights."""
    return {
        cell_type: variant_step(cell_type, x_t, h_prev, C_prev, weights) for cell_type in CELL_TYPES
    }


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
    h_prev, C_prev = worked_example.h_prev, worked_example.C_prev
    first = variant_steps(worked_example.x_t, h_prev, C_prev, weights)
    view = VariantsFigure(first, C_prev, h_prev, worked_example.x_t)
    controls = {
        "cell_type": widgets.ToggleButtons(
            options=CELL_TYPES, value="LSTM", description="cell"
        ),  # fmt: skip
    }
    for j, value in enumerate(worked_example.x_t):
        controls[f"x_{j + 1}"] = slider(f"x_t[{j + 1}]", value, *X_RANGE, step=0.05)

    def update(values: dict) -> str:
        x_t = np.array([values[f"x_{j + 1}"] for j in range(worked_example.INPUT_SIZE)])
        steps = variant_steps(x_t, h_prev, C_prev, weights)
        view.show(values["cell_type"], steps, x_t)
        return _readout(values["cell_type"], steps)

    return Playground(
        controls, update, view.figure, title="One input, five cells", animated=view.changing
    )


# --- The coupled gate: one slider for forgetting and writing ----------------------------------


class CoupledStep(NamedTuple):
    """The coupled update split in two: kept + written = C_t, each (H,)."""

    f_t: np.ndarray  # the one slider's value, for every unit
    kept: np.ndarray  # f_t * C_{t-1}
    written: np.ndarray  # (1 − f_t) * C̃_t
    C_t: np.ndarray  # f_t * C_{t-1} + (1 − f_t) * C̃_t


def coupled_step(f_value: float, C_prev: np.ndarray, C_tilde: np.ndarray) -> CoupledStep:
    """The coupled cell update with f_t = ``f_value`` for every unit; C_prev, C_tilde (H,).

    C_t = f_t * C_{t-1} + (1 − f_t) * C̃_t: ``lstm.update_cell`` with i_t = 1 − f_t.
    """
    C_prev = vector("C_prev", C_prev)
    C_tilde = checked("C_tilde", C_tilde, C_prev.shape, "(hidden,), like C_prev")
    if not 0.0 <= f_value <= 1.0:
        raise ValueError(f"f_t must be in [0, 1]; got {f_value}")
    f_t = np.full(C_prev.shape, float(f_value))
    i_t = 1.0 - f_t  # the coupling: write exactly where it forgets
    return CoupledStep(f_t, f_t * C_prev, i_t * C_tilde, update_cell(f_t, C_prev, i_t, C_tilde))


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
    C_tilde = worked_candidate(weights)
    view = CoupledFigure(worked_example.C_prev, C_tilde)
    controls = {
        "f_t": slider("f_t", 0.5, 0.0, 1.0),
    }

    def update(values: dict) -> str:
        f_value = values["f_t"]
        step = coupled_step(f_value, worked_example.C_prev, C_tilde)
        view.show(*step)
        return (
            f"f<sub>t</sub> = {f_value:.2f} forgets {1 - f_value:.0%} of C<sub>t−1</sub> and "
            f"writes {1 - f_value:.0%} of C̃<sub>t</sub>: C<sub>t</sub> = "
            f"{np.round(step.C_t, 3).tolist()}"
        )

    return Playground(
        controls, update, view.figure, title="The coupled gate", animated=view.changing
    )
