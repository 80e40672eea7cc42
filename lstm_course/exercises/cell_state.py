"""The check for notebook 05: set the forget and input gates by hand.

    05  f_t, i_t, each (H,) = (3,) with values in [0, 1], such that
            C_t = f_t * C_{t-1} + i_t * C̃_t
        overwrites unit 1 (C_t[1] = C̃_t[1]), keeps unit 2 (C_t[2] = C_{t-1}[2]) and erases
        unit 3 (C_t[3] = 0), on the article's C_{t-1} and the playground's C̃_t.

A unit is overwritten, kept or erased whatever C_{t-1} and C̃_t hold, so the gates are also
tried on a hidden case: gates that hit the targets only by a coincidence of these numbers are
named as such. A wrong answer's message starts with the misconception's name from
``MISCONCEPTIONS`` (``RECOGNISED`` lists them); it shares the names of two of
``exercises.gates``' misconceptions (the swapped gates, the coupled update) and runs on the
machinery of ``exercises.checking`` (``show_fix=True`` adds the right gates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.exercises import gates
from lstm_course.exercises.checking import (
    CheckEndedError,
    as_array,
    named,
    recognised,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.lstm import update_cell

TOLERANCE = 1e-6
TASKS = ("overwrite", "keep", "erase")  # what unit 1, 2, 3 must do
GATES = {"keep": (1.0, 0.0), "add": (1.0, 1.0), "overwrite": (0.0, 1.0), "erase": (0.0, 0.0)}
"""What a unit does with gates (f_t, i_t) of exactly 0 or 1."""

MISCONCEPTIONS: dict[str, str] = {
    "shared_gate": "One gate value shared by all units",
    "gate_out_of_range": "A gate outside [0, 1]",
    "gates_swapped": gates.MISCONCEPTIONS["gates_swapped"],
    "forget_gate_inverted": "f_t = 1 read as 'forget everything'",
    "coupled_update": gates.MISCONCEPTIONS["coupled_update"],
    "left_unchanged": "A unit left as the belt carries it",
    "keep_and_add": "The candidate added on top of the kept value",
    "forget_is_not_erase": "Forgetting taken for erasing",
    "forgot_to_write": "Forgotten, but nothing written",
    "kept_unit_forgotten": "The unit to keep forgotten",
    "fractional_gate": "A gate between 0 and 1",
    "numbers_not_rule": "Right for these numbers, not as a rule",
}
RECOGNISED: dict[str, tuple[str, ...]] = {"check_gate_settings": tuple(MISCONCEPTIONS)}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""

_MISTAKE = {  # (what the unit must do, what the student's gates do) -> misconception
    ("overwrite", "keep"): "left_unchanged",
    ("erase", "keep"): "left_unchanged",
    ("overwrite", "add"): "keep_and_add",
    ("keep", "add"): "keep_and_add",
    ("erase", "add"): "keep_and_add",
    ("erase", "overwrite"): "forget_is_not_erase",
    ("overwrite", "erase"): "forgot_to_write",
    ("keep", "erase"): "kept_unit_forgotten",
    ("keep", "overwrite"): "kept_unit_forgotten",
}
_DOES = {
    "keep": "carry C_{t-1} through unchanged, as the belt does",
    "add": "keep C_{t-1} and add C̃_t on top: C_t = C_{t-1} + C̃_t",
    "overwrite": "drop C_{t-1} and write C̃_t: C_t = C̃_t",
    "erase": "drop C_{t-1} and write nothing: C_t = 0",
}
_RECIPE = {
    "overwrite": "forget all of the old value and write all of the candidate: f_t = 0, i_t = 1",
    "keep": "write nothing and leave the forget gate open: f_t = 1, i_t = 0 (open = remember)",
    "erase": "forget all of it and write nothing: f_t = 0, i_t = 0",
}


def recognised_mistakes(check: Callable[..., Feedback] | str) -> list[str]:
    """The misconceptions ``check`` (a check of this module, or its name) recognises, in words."""
    return recognised(check, MISCONCEPTIONS, RECOGNISED)


class StateCase(NamedTuple):
    """The numbers the gates act on: C_{t-1} and C̃_t, each (H,)."""

    where: str
    C_prev: np.ndarray
    C_tilde: np.ndarray

    def target(self) -> np.ndarray:
        """C_t with unit 1 overwritten, unit 2 kept, unit 3 erased."""
        return np.array([self.C_tilde[0], self.C_prev[1], 0.0])


CASES = (
    StateCase(
        "on the article's C_{t-1} and the playground's C̃_t",
        worked_example.C_prev,
        worked_example.DEMO_C_TILDE,
    ),  # fmt: skip
    StateCase(
        "on a hidden case, C_{t-1} = [−0.7, 0.35, 0.8], C̃_t = [−0.45, 0.95, −0.25]",
        np.array([-0.7, 0.35, 0.8]),
        np.array([-0.45, 0.95, -0.25]),
    ),
)


def _gate(value: Any, symbol: str) -> np.ndarray:
    """The student's gate as an (H,) array in [0, 1], or the check ends with a sentence."""
    H = worked_example.HIDDEN_SIZE
    if value is None:
        raise CheckEndedError(
            mistake(
                f"Not set yet: give {symbol} one value per unit, e.g. np.array([1.0, 1.0, 1.0])."
            )
        )
    gate = as_array(value, symbol, "your gates", given_by="You set")
    if gate.size == 1:
        raise CheckEndedError(
            named(
                "shared_gate",
                symbol,
                f"{symbol} = {gate.ravel()[0]:g} treats all {H} units alike, but unit 1 must be "
                "overwritten, unit 2 kept and unit 3 erased: give each unit its own value, "
                f"{symbol} of shape ({H},) — the playground's 'one value per unit'.",
                MISCONCEPTIONS,
            )
        )
    if gate.shape != (H,):
        raise CheckEndedError(
            mistake(f"{symbol} has shape {gate.shape}; expected ({H},), one value per unit.")
        )
    outside = [k for k in range(H) if not 0.0 <= gate[k] <= 1.0]
    if outside:
        k = outside[0]
        raise CheckEndedError(
            named(
                "gate_out_of_range",
                f"unit {k + 1}",
                f"{symbol}[{k + 1}] = {gate[k]:g}. A gate is the output of σ, a fraction from "
                "0 (nothing passes) to 1 (everything passes).",
                MISCONCEPTIONS,
            )
        )
    return gate


def _wrong_units(f_t: np.ndarray, i_t: np.ndarray, case: StateCase) -> list[int]:
    C_t = update_cell(f_t, case.C_prev, i_t, case.C_tilde)
    return [k for k in range(len(TASKS)) if abs(C_t[k] - case.target()[k]) > TOLERANCE]


def _action(f: float, i: float) -> str | None:
    """What a unit does with gates f, i: a key of ``GATES``, or None for fractions."""
    for action, gate_values in GATES.items():
        if np.allclose((f, i), gate_values, atol=TOLERANCE):
            return action
    return None


def _summary(f_t: np.ndarray, i_t: np.ndarray, wrong: list[int]) -> str:
    case = CASES[0]
    C_t = update_cell(f_t, case.C_prev, i_t, case.C_tilde)
    units = ", ".join(str(k + 1) for k in wrong)
    return (
        f"Your C_t = {np.round(C_t, 3)}, wanted {np.round(case.target(), 3)} "
        f"(unit{'s' if len(wrong) > 1 else ''} {units} not yet)."
    )


def _diagnose_unit(f_t: np.ndarray, i_t: np.ndarray, k: int) -> str:
    """Unit k's misconception, named, where it showed, and how to do its task."""
    task, f, i = TASKS[k], f_t[k], i_t[k]
    where = f"unit {k + 1}, to {task}"
    action = _action(f, i)
    if action is None:
        case = CASES[0]
        detail = (
            f"f_t = {f:g} keeps that fraction of C_{{t-1}} and i_t = {i:g} writes that fraction "
            f"of C̃_t: C_t[{k + 1}] = {f:g}·{case.C_prev[k]:g} + {i:g}·{case.C_tilde[k]:g} = "
            f"{f * case.C_prev[k] + i * case.C_tilde[k]:.3f}. To {task} it, {_RECIPE[task]}."
        )
        return named("fractional_gate", where, detail, MISCONCEPTIONS).message
    detail = f"f_t = {f:g}, i_t = {i:g} {_DOES[action]}. To {task} it, {_RECIPE[task]}."
    return named(_MISTAKE[task, action], where, detail, MISCONCEPTIONS).message


FIX = "f_t = np.array([0.0, 1.0, 0.0]), i_t = np.array([1.0, 0.0, 0.0])"
"""The right gates: the second level of feedback, shown with ``show_fix=True``."""


def check_gate_settings(f_t: Any, i_t: Any, show_fix: bool = False) -> Feedback:
    """Check hand-set gates f_t, i_t, each (H,) = (3,) in [0, 1]: with
    C_t = f_t * C_{t-1} + i_t * C̃_t, unit 1 must be overwritten (C_t = C̃_t), unit 2 kept
    (C_t = C_{t-1}) and unit 3 erased (C_t = 0), on ``CASES`` (notebook 05's numbers, then a
    hidden case)."""

    def check() -> Feedback:
        f, i = _gate(f_t, "f_t"), _gate(i_t, "i_t")
        wrong = _wrong_units(f, i, CASES[0])
        if not wrong:
            hidden = _wrong_units(f, i, CASES[1])
            if not hidden:
                C_t = update_cell(f, CASES[0].C_prev, i, CASES[0].C_tilde)
                return correct(
                    f"C_t = {np.round(C_t, 3)}: unit 1 overwritten, unit 2 kept, unit 3 erased "
                    "— and on a hidden case too: f_t = [0, 1, 0], i_t = [1, 0, 0] do it for "
                    "any C_{t-1} and C̃_t."
                )
            k = hidden[0]
            return named(
                "numbers_not_rule",
                f"unit {k + 1}, {CASES[1].where}",
                f"f_t = {f[k]:g}, i_t = {i[k]:g} reach the target on the notebook's numbers by "
                f"coincidence, not on others. To {TASKS[k]} whatever the cell holds, "
                f"{_RECIPE[TASKS[k]]}.",
                MISCONCEPTIONS,
            )
        summary = _summary(f, i, wrong)
        if not _wrong_units(i, f, CASES[0]):
            return named(
                "gates_swapped",
                "every unit",
                "your gates would be right the other way round. f_t multiplies the old state "
                f"C_{{t-1}}, i_t the candidate C̃_t. {summary}",
                MISCONCEPTIONS,
            )
        if not _wrong_units(1.0 - f, i, CASES[0]):
            return named(
                "forget_gate_inverted",
                "every unit",
                "despite its name, the forget gate says how much to keep: f_t = 1 keeps all of "
                f"C_{{t-1}}, f_t = 0 forgets it. {summary}",
                MISCONCEPTIONS,
            )
        erase = TASKS.index("erase")
        tried_to_erase = erase in wrong and f[erase] < 1.0 - TOLERANCE  # not the belt's f_t = 1
        if tried_to_erase and np.allclose(i, 1.0 - f, atol=TOLERANCE):
            return named(
                "coupled_update",
                "unit 3, to erase",
                "with i_t = 1 − f_t every unit writes exactly as much as it forgets, so none can "
                "be erased. The article's cell has its own input gate: erase with f_t = 0 and "
                f"i_t = 0. {summary}",
                MISCONCEPTIONS,
            )
        first, *rest = (_diagnose_unit(f, i, k) for k in wrong)
        also = "".join(f" Also: {message}" for message in rest)
        return mistake(f"{first}{also} {summary}")

    return run_check(check, show_fix, FIX)
