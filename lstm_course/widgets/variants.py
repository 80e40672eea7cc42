"""Notebook 09's playgrounds: one set of inputs, five cells; and the coupled gate's one slider.

The cell types are the LSTM, the peephole LSTM, the coupled LSTM and the GRU in both
conventions (the article's, PyTorch's). All read the article's worked numbers C_{t-1},
h_{t-1} and x_t (x_t movable by sliders) and fixed, seeded weights: the three LSTMs share
W_f, W_C, W_o (and W_i where they have one), the two GRUs share every number
(``TorchGRUParams.from_article``). Wiring only: ``lstm_course.variants`` computes
(``variant_steps``, ``coupled_step``); ``plots.variants`` draws (``VariantsFigure``,
``CoupledFigure``).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from lstm_course import worked_example
from lstm_course.i18n import N_, _
from lstm_course.lstm import LSTMStep, lstm_cell
from lstm_course.plots.variants import CoupledFigure, VariantsFigure
from lstm_course.variants import (
    CELL_TYPES,
    LSTM_TYPES,
    CoupledStep,
    GRUStep,
    VariantWeights,
    coupled_step,
    variant_step,
    variant_steps,
)
from lstm_course.widgets.playground import Playground, choices, register, slider

__all__ = [  # the maths lives in lstm_course.variants; its names stay importable from here
    "CELL_TYPES",
    "CoupledStep",
    "VariantWeights",
    "coupled_gate_playground",
    "coupled_step",
    "variant_step",
    "variant_steps",
    "variants_playground",
    "worked_candidate",
]

SEED = 9  # the weights every cell type uses
CELL_TYPE_NAMES = [
    N_("peephole LSTM"),
    N_("coupled LSTM"),
    N_("GRU (article)"),
    N_("GRU (PyTorch)"),
]
"""Not read: marks the cell types' names (lstm_course.variants.CELL_TYPES) for translation."""
X_RANGE = (-2.0, 2.0)


def _readout(cell_type: str, steps: dict[str, LSTMStep | GRUStep]) -> str:
    step = steps[cell_type]
    parts = [f"<b>{_(cell_type)}</b>: h<sub>t</sub> = {np.round(step.h_t, 3).tolist()}"]
    if cell_type in LSTM_TYPES:
        parts.append(f"C<sub>t</sub> = {np.round(step.C_t, 3).tolist()}")
    else:
        parts.append(_("no separate cell state: h<sub>t</sub> is the memory"))
    gap = np.max(np.abs(steps["GRU (article)"].h_t - steps["GRU (PyTorch)"].h_t))
    lstm_gap = np.max(np.abs(steps["LSTM"].h_t - step.h_t))
    parts.append(_("max |h<sub>t</sub> − LSTM's h<sub>t</sub>| = {gap:.3f}").format(gap=lstm_gap))
    parts.append(
        _("the two GRU conventions differ by up to {gap:.3f} on the same weights").format(gap=gap)
    )
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
            options=choices(CELL_TYPES), value="LSTM", description=_("cell")
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
        controls, update, view.figure, title=_("One input, five cells"), animated=view.changing
    )


# --- The coupled gate: one slider for forgetting and writing ----------------------------------


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
        return _(
            "f<sub>t</sub> = {f:.2f} forgets {share:.0%} of C<sub>t−1</sub> and "
            "writes {share:.0%} of C̃<sub>t</sub>: C<sub>t</sub> = {C_t}"
        ).format(f=f_value, share=1 - f_value, C_t=np.round(step.C_t, 3).tolist())

    return Playground(
        controls, update, view.figure, title=_("The coupled gate"), animated=view.changing
    )
