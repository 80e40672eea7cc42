"""The checks for notebook 05: the gates set by hand, and the belt carried over a sequence.

    05  set_gates() -> (f_t, i_t), each (H,) = (3,) with values in [0, 1], such that
            C_t = f_t * C_{t-1} + i_t * C̃_t
        overwrites unit 1, keeps unit 2 and erases unit 3 (units counted from 1, as the notebook
        and the playground count them; numpy's index of unit k is k − 1), on the article's C_{t-1}
        and the playground's C̃_t
        (``check_set_gates``; ``check_gate_settings(f_t, i_t)`` checks the two arrays).
    05  carry_cell_state(C_0, f, i, C_tilde) -> C_seq: f, i, C̃ (T, H) one row per step, C_0 (H,);
        C_seq (T, H): step t (t = 1 … T) reads row t − 1 of f, i, C̃ and writes row t − 1 of C_seq,
        the C_t of C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t (``check_carry_cell_state``).

A unit is overwritten, kept or erased whatever C_{t-1} and C̃_t hold, so the gates are also
tried on a hidden case: gates that hit the targets only by a coincidence of these numbers are
named as such. A wrong answer's message starts with the misconception's name from
``MISCONCEPTIONS`` (``RECOGNISED`` lists them); it shares the names of two of
``exercises.gates``' misconceptions (the swapped gates, the coupled update) and runs on the
machinery of ``exercises.checking`` (``show_fix=True`` adds the line of the misconception named —
one unit's gates, one line of the loop — never the whole answer). Gates are σ outputs, so a
value within ``GATE_TOLERANCE`` of 0 or 1 (σ(±10) is) counts as shut or open. Every check
takes ``seed``: 0 the notebook's numbers (and the check's own hidden case), any other seed other
numbers (and, for the sequence, other sizes) from ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.exercises import gates
from lstm_course.exercises.checking import (
    CheckEndedError,
    ErrorHints,
    as_array,
    call_student,
    close,
    named,
    recognised,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _
from lstm_course.lstm import update_cell

TOLERANCE = 1e-6
GATE_TOLERANCE = 1e-3
"""How close to 0 or 1 a gate (and how close to its target a unit of C_t) must be: σ(±10) passes."""
TASKS = ("overwrite", "keep", "erase")  # what unit 1, 2, 3 must do
_TASK_WORDS = (N_("overwrite"), N_("keep"), N_("erase"))  # shown as _(task)
GATES = {"keep": (1.0, 0.0), "add": (1.0, 1.0), "overwrite": (0.0, 1.0), "erase": (0.0, 0.0)}
"""What a unit does with gates (f_t, i_t) of exactly 0 or 1."""

MISCONCEPTIONS: dict[str, str] = {
    "shared_gate": N_("One gate value shared by all units"),
    "gate_out_of_range": N_("A gate outside [0, 1]"),
    "gates_swapped": gates.MISCONCEPTIONS["gates_swapped"],
    "forget_gate_inverted": N_("f_t = 1 read as 'forget everything'"),
    "coupled_update": gates.MISCONCEPTIONS["coupled_update"],
    "left_unchanged": N_("A unit left as the belt carries it"),
    "keep_and_add": N_("The candidate added on top of the kept value"),
    "forget_is_not_erase": N_("Forgetting taken for erasing"),
    "forgot_to_write": N_("Forgotten, but nothing written"),
    "kept_unit_forgotten": N_("The unit to keep forgotten"),
    "fractional_gate": N_("A gate between 0 and 1"),
    "numbers_not_rule": N_("Right for these numbers, not as a rule"),
    "units_shifted": N_("The right jobs on the wrong units"),
    # the belt over a sequence, C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t for t = 1 … T
    "last_state_only": N_("Only the last C_T returned"),
    "initial_state_stacked": N_("C_0 stacked as an output"),
    "step_missing": N_("One step too few"),
    "state_not_carried": N_("The cell state not carried from step to step"),
    "dot_product": gates.MISCONCEPTIONS["dot_product"],
    "input_gate_missing": gates.MISCONCEPTIONS["input_gate_missing"],
    "tanh_on_cell_state": gates.MISCONCEPTIONS["tanh_on_cell_state"],
    "gates_one_step_late": N_("Each step read the gates of the step before"),
}
_GATE_SETTING_KEYS = tuple(MISCONCEPTIONS)[: tuple(MISCONCEPTIONS).index("units_shifted") + 1]
RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_gate_settings": _GATE_SETTING_KEYS,
    "check_set_gates": _GATE_SETTING_KEYS,
    "check_carry_cell_state": (
        "last_state_only",
        "initial_state_stacked",
        "step_missing",
        "state_not_carried",
        "gates_swapped",
        "coupled_update",
        "dot_product",
        "input_gate_missing",
        "tanh_on_cell_state",
        "gates_one_step_late",
    ),
}
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
    "keep": N_("carry C_{t-1} through unchanged, as the belt does"),
    "add": N_("keep C_{t-1} and add C̃_t on top: C_t = C_{t-1} + C̃_t"),
    "overwrite": N_("drop C_{t-1} and write C̃_t: C_t = C̃_t"),
    "erase": N_("drop C_{t-1} and write nothing: C_t = 0"),
}
_RECIPE = {  # in words: the numbers are the fix, shown only with show_fix=True
    "overwrite": N_("forget all of the old value and write all of the candidate"),
    "keep": N_("write nothing and leave the forget gate open (open = remember)"),
    "erase": N_("forget all of it and write nothing"),
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
        N_("on the article's C_{t-1} and the playground's C̃_t"),
        worked_example.C_prev,
        worked_example.DEMO_C_TILDE,
    ),  # fmt: skip
    StateCase(
        N_("on a hidden case, C_{t-1} = [−0.7, 0.35, 0.8], C̃_t = [−0.45, 0.95, −0.25]"),
        np.array([-0.7, 0.35, 0.8]),
        np.array([-0.45, 0.95, -0.25]),
    ),
)


def state_cases(seed: int = 0) -> tuple[StateCase, StateCase]:
    """The numbers the hand-set gates are tried on: seed 0 ``CASES``; another seed the
    notebook's case and a hidden one drawn from ``default_rng(seed)``."""
    if seed == 0:
        return CASES
    rng = np.random.default_rng(seed)
    C_prev, C_tilde = rng.uniform(-0.95, 0.95, (2, worked_example.HIDDEN_SIZE))
    where = _("on a hidden case, C_{{t-1}} = {C_prev}, C̃_t = {C_tilde}").format(
        C_prev=np.round(C_prev, 2), C_tilde=np.round(C_tilde, 2)
    )
    return (CASES[0], StateCase(where, C_prev, C_tilde))


def _gate(value: Any, symbol: str) -> np.ndarray:
    """The student's gate as an (H,) array in [0, 1], or the check ends with a sentence."""
    H = worked_example.HIDDEN_SIZE
    if value is None:
        raise CheckEndedError(
            mistake(
                _(
                    "Not set yet: give {symbol} one value per unit, e.g. np.array([1.0, 1.0, 1.0])."
                ).format(symbol=symbol)
            )
        )
    gate = as_array(value, symbol, _("your gates"), given_by="You set")
    if gate.size == 1:
        raise CheckEndedError(
            named(
                "shared_gate",
                symbol,
                _(
                    "{symbol} = {gate_ravel_0:g} treats all {H} units alike, but unit 1 must be "
                    "overwritten, unit 2 kept and unit 3 erased: give each unit its own value, "
                    "{symbol} of shape ({H},) — the playground's 'one value per unit'."
                ).format(symbol=symbol, gate_ravel_0=gate.ravel()[0], H=H),
                MISCONCEPTIONS,
            )
        )
    if gate.shape != (H,):
        raise CheckEndedError(
            mistake(
                _("{symbol} has shape {gate_shape}; expected ({H},), one value per unit.").format(
                    symbol=symbol, gate_shape=gate.shape, H=H
                )
            )
        )
    outside = [k for k in range(H) if not 0.0 <= gate[k] <= 1.0]
    if outside:
        k = outside[0]
        raise CheckEndedError(
            named(
                "gate_out_of_range",
                _("unit {k_1}").format(k_1=k + 1),
                _(
                    "{symbol} = {gate_k:g} for unit {k_1}. A gate is the output of σ, a fraction "
                    "from 0 (nothing passes) to 1 (everything passes)."
                ).format(symbol=symbol, k_1=k + 1, gate_k=gate[k]),
                MISCONCEPTIONS,
            )
        )
    return gate


def _wrong_units(f_t: np.ndarray, i_t: np.ndarray, case: StateCase) -> list[int]:
    C_t = update_cell(f_t, case.C_prev, i_t, case.C_tilde)
    return [k for k in range(len(TASKS)) if abs(C_t[k] - case.target()[k]) > GATE_TOLERANCE]


def _action(f: float, i: float) -> str | None:
    """What a unit does with gates f, i: a key of ``GATES``, or None for fractions."""
    for action, gate_values in GATES.items():
        if np.allclose((f, i), gate_values, atol=GATE_TOLERANCE):
            return action
    return None


def _summary(f_t: np.ndarray, i_t: np.ndarray, wrong: list[int]) -> str:
    case = CASES[0]
    C_t = update_cell(f_t, case.C_prev, i_t, case.C_tilde)
    units = ", ".join(str(k + 1) for k in wrong)
    if len(wrong) > 1:
        template = _("Your C_t = {C_t}, wanted {target} (units {units} not yet).")
    else:
        template = _("Your C_t = {C_t}, wanted {target} (unit {units} not yet).")
    return template.format(C_t=np.round(C_t, 3), target=np.round(case.target(), 3), units=units)


def _diagnose_unit(f_t: np.ndarray, i_t: np.ndarray, k: int) -> str:
    """Unit k's misconception, named, where it showed, and how to do its task."""
    task, f, i = TASKS[k], f_t[k], i_t[k]
    where = _("unit {k_1}, to {task}").format(k_1=k + 1, task=_(task))
    action = _action(f, i)
    if action is None:
        case = CASES[0]
        detail = _(
            "f_t = {f:g} keeps that fraction of C_{{t-1}} and i_t = {i:g} writes that "
            "fraction of C̃_t: unit {k_1} of C_t = {f:g}·{case_C_prev_k:g} + "
            "{i:g}·{case_C_tilde_k:g} = {value:.3f}. To {task} "
            "it, {RECIPE_task}."
        ).format(
            f=f,
            i=i,
            k_1=k + 1,
            case_C_prev_k=case.C_prev[k],
            case_C_tilde_k=case.C_tilde[k],
            value=f * case.C_prev[k] + i * case.C_tilde[k],
            task=_(task),
            RECIPE_task=_(_RECIPE[task]),
        )
        return named("fractional_gate", where, detail, MISCONCEPTIONS).message
    detail = _("f_t = {f:g}, i_t = {i:g} {DOES_action}. To {task} it, {RECIPE_task}.").format(
        f=f, i=i, DOES_action=_(_DOES[action]), task=_(task), RECIPE_task=_(_RECIPE[task])
    )
    return named(_MISTAKE[task, action], where, detail, MISCONCEPTIONS).message


def unit_fix(k: int) -> str:
    """The right gates of unit k + 1 alone (numpy index k): one unit's line of the answer."""
    f, i = GATES[TASKS[k]]
    return f"f_t[{k}] = {f:g}, i_t[{k}] = {i:g}"


FIX = ""
"""No fix for the whole answer: a named misconception carries its unit's line (``unit_fix``)."""


def check_gate_settings(f_t: Any, i_t: Any, show_fix: bool = False, *, seed: int = 0) -> Feedback:
    """Check hand-set gates f_t, i_t, each (H,) = (3,) in [0, 1]: with
    C_t = f_t * C_{t-1} + i_t * C̃_t, unit 1 must be overwritten (C_t = C̃_t), unit 2 kept
    (C_t = C_{t-1}) and unit 3 erased (C_t = 0), on ``state_cases(seed)`` (notebook 05's
    numbers, then a hidden case)."""
    return run_check(lambda: _check_gates(f_t, i_t, seed), show_fix, FIX)


def check_set_gates(
    set_gates: Callable[[], tuple[Any, Any]] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``set_gates() -> (f_t, i_t)``, the gates of ``check_gate_settings``, returned by a
    function (nbgrader's solution region sits in its body; a stub raises NotImplementedError)."""

    def check() -> Feedback:
        require_function(set_gates, "set_gates()")
        result = call_student(set_gates, (), _("your set_gates()"))
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return mistake(
                _(
                    "Return the two gates, `return f_t, i_t` (your set_gates()); got a {kind}."
                ).format(kind=type(result).__name__)
            )
        return _check_gates(result[0], result[1], seed)

    return run_check(check, show_fix, FIX)


def _check_gates(f_t: Any, i_t: Any, seed: int) -> Feedback:
    """The verdict on the gates (f_t, i_t) on the cases of ``seed``."""
    cases = state_cases(seed)
    f, i = _gate(f_t, "f_t"), _gate(i_t, "i_t")
    wrong = _wrong_units(f, i, CASES[0])
    if not wrong:
        hidden = _wrong_units(f, i, cases[1])
        if not hidden:
            return correct(
                _(
                    "Correct: unit 1 overwritten, unit 2 kept, unit 3 erased — on the notebook's "
                    "numbers and on a hidden case too, so your gates do it whatever C_{t-1} and "
                    "C̃_t hold."
                )
            )
        k = hidden[0]
        return named(
            "numbers_not_rule",
            _("unit {k_1}, {cases_1_where}").format(k_1=k + 1, cases_1_where=_(cases[1].where)),
            _(
                "f_t = {f_k:g}, i_t = {i_k:g} reach the target on the notebook's numbers by "
                "coincidence, not on others. To {TASKS_k} whatever the cell holds, "
                "{RECIPE_TASKS_k}."
            ).format(f_k=f[k], i_k=i[k], TASKS_k=_(TASKS[k]), RECIPE_TASKS_k=_(_RECIPE[TASKS[k]])),
            MISCONCEPTIONS,
            unit_fix(k),
        )
    summary = _summary(f, i, wrong)
    for shift in (1, 2):
        if not _wrong_units(np.roll(f, -shift), np.roll(i, -shift), CASES[0]):
            return named(
                "units_shifted",
                _("every unit"),
                _(
                    "your gates overwrite, keep and erase, but each on the unit {shift} to the "
                    "side of the right one. Units are counted from 1: unit 1 (numpy index 0) is "
                    "overwritten, unit 2 (index 1) kept, unit 3 (index 2) erased. {summary}"
                ).format(shift=shift, summary=summary),
                MISCONCEPTIONS,
            )
    if not _wrong_units(i, f, CASES[0]):
        return named(
            "gates_swapped",
            _("every unit"),
            _(
                "your gates would be right the other way round. f_t multiplies the old state "
                "C_{{t-1}}, i_t the candidate C̃_t. {summary}"
            ).format(summary=summary),
            MISCONCEPTIONS,
            "f_t, i_t = i_t, f_t",
        )
    if not _wrong_units(1.0 - f, i, CASES[0]):
        return named(
            "forget_gate_inverted",
            _("every unit"),
            _(
                "despite its name, the forget gate says how much to keep: f_t = 1 keeps all of "
                "C_{{t-1}}, f_t = 0 forgets it. {summary}"
            ).format(summary=summary),
            MISCONCEPTIONS,
            "f_t = 1 - f_t",
        )
    erase = TASKS.index("erase")
    tried_to_erase = erase in wrong and f[erase] < 1.0 - GATE_TOLERANCE  # not the belt's f_t = 1
    if tried_to_erase and np.allclose(i, 1.0 - f, atol=TOLERANCE):
        return named(
            "coupled_update",
            _("unit 3, to erase"),
            _(
                "with i_t = 1 − f_t every unit writes exactly as much as it forgets, so none can "
                "be erased. The article's cell has its own input gate: erase by forgetting "
                "everything and writing nothing. {summary}"
            ).format(summary=summary),
            MISCONCEPTIONS,
            unit_fix(erase),
        )
    first, *rest = (_diagnose_unit(f, i, k) for k in wrong)
    also = "".join(_(" Also: {message}").format(message=message) for message in rest)
    return mistake(
        _("{first}{also} {summary}").format(first=first, also=also, summary=summary),
        unit_fix(wrong[0]),
    )


# --- The belt over a sequence -------------------------------------------------------------------

CARRY_FIX = N_(
    "compare by hand: take the first row of yours that differs, and compute that step's "
    "f_t ⊙ C_{t-1} + i_t ⊙ C̃_t from the row before it (C_0 for the first)."
)
"""A wrong loop that names no misconception gets this pointer with ``show_fix=True``, no code."""

_UPDATE_LINE = "C_t = f_t * C_t + i_t * C_tilde_t"
CARRY_FIXES = {  # the one line of the loop each misconception gets wrong
    "last_state_only": "C_seq.append(C_t)  # inside the loop; then return np.stack(C_seq)",
    "initial_state_stacked": "C_seq = []  # not [C_0]: the outputs start at C_1",
    "step_missing": "for f_t, i_t, C_tilde_t in zip(f, i, C_tilde):  # every row, once",
    "state_not_carried": _UPDATE_LINE + "  # C_t on the right, not C_0",
    "gates_swapped": _UPDATE_LINE,
    "coupled_update": _UPDATE_LINE,
    "dot_product": _UPDATE_LINE + "  # * is pointwise, @ is not",
    "input_gate_missing": _UPDATE_LINE,
    "tanh_on_cell_state": _UPDATE_LINE + "  # no tanh on the belt",
    "gates_one_step_late": "for f_t, i_t, C_tilde_t in zip(f, i, C_tilde):  # the same row",
}
"""The line of the loop shown with ``show_fix=True`` when a misconception is named."""

_CARRY_HINTS = {
    "last_state_only": N_("return every C_t, one row per step, not only the last."),
    "initial_state_stacked": N_(
        "C_0 is the belt's starting value, not an output: return C_1 … C_T, one row per step."
    ),
    "step_missing": N_(
        "there is one update per row of the gates: T rows give T states; check "
        "where the loop starts and stops."
    ),
    "state_not_carried": N_(
        "every step read C_0. The belt carries its value on: this step's "
        "C_t is the next step's C_{t-1}."
    ),
    "gates_swapped": N_(
        "f_t multiplies the old state C_{t-1} (what to keep), i_t the candidate "
        "C̃_t (what to write)."
    ),
    "coupled_update": N_(
        "the article's cell has its own input gate: the candidate is scaled by i_t, not by 1 − f_t."
    ),
    "dot_product": N_(
        "⊙ is pointwise: unit k of C_t is f_t[k]·C_{t-1}[k] + i_t[k]·C̃_t[k], one "
        "value per unit, not a sum over units."
    ),
    "input_gate_missing": N_(
        "the candidate is added through the input gate, i_t ⊙ C̃_t, not whole."
    ),
    "tanh_on_cell_state": N_(
        "nothing squashes the belt: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t. The "
        "tanh of C_t belongs to h_t (notebook 08), and the belt carries C_t itself."
    ),
    "gates_one_step_late": N_(
        "row t of f, i and C̃ belong to step t: update C_{t-1} into C_t "
        "with the gates of the same row."
    ),
}


CARRY_ANSWERS = {
    "lstm_course.lstm.update_cell": N_("the cell update"),
    "lstm_course.lstm.gate_values_step": N_("one step of the cell from gate values"),
    "lstm_course.lstm.lstm_cell": N_("the whole LSTM cell, o_t and h_t included"),
    "lstm_course.lstm.lstm_unroll": N_("the LSTM cell run over a sequence"),
}
"""The package's answers, off-limits while check_carry_cell_state runs the student's loop."""


class CarryCase(NamedTuple):
    """One hidden test of the belt: C_0 (H,) and the gates f, i and candidates C̃, each (T, H)."""

    where: str
    C_0: np.ndarray
    f: np.ndarray
    i: np.ndarray
    C_tilde: np.ndarray


def carry_cases(seed: int = 0) -> list[CarryCase]:
    """Seed 0: the article's C_{t-1} as C_0 with the article's f_t and the playground's C̃_t
    (i_t = [0.5, 0.5, 0.5]), then the belt (f = 1, i = 0) for two steps, then an overwrite
    (f = 0, i = 1); and 5 steps of random gates on 3 units. Another seed: two other sizes
    (H from 2 to 6, T from 3 to 8) and values from ``default_rng(seed)``."""
    we = worked_example
    H = we.HIDDEN_SIZE
    if seed == 0:
        ones, zeros = np.ones(H), np.zeros(H)
        article = CarryCase(
            N_("the article's numbers, then the belt and an overwrite: T=4, H=3"),
            we.C_prev,
            np.stack([we.f_t, ones, ones, zeros]),
            np.stack([np.full(H, 0.5), zeros, zeros, ones]),
            np.stack([we.DEMO_C_TILDE, -we.DEMO_C_TILDE, we.DEMO_C_TILDE, -we.DEMO_C_TILDE]),
        )
        rng = np.random.default_rng(5)
        sizes = [(5, H)]
        cases = [article]
    else:
        rng = np.random.default_rng(seed)
        sizes = [(int(rng.integers(3, 9)), int(rng.integers(2, 7))) for _k in range(2)]
        cases = []
    for T, H in sizes:
        cases.append(
            CarryCase(
                _("hidden case {k}: T={T}, H={H}").format(k=len(cases) + 1, T=T, H=H),
                rng.uniform(-1, 1, H),
                rng.uniform(0, 1, (T, H)),
                rng.uniform(0, 1, (T, H)),
                rng.uniform(-1, 1, (T, H)),
            )
        )
    return cases


def _carry(C_0: np.ndarray, f: np.ndarray, i: np.ndarray, C_tilde: np.ndarray, step) -> np.ndarray:
    C_t, C_seq = C_0, []
    for f_t, i_t, C_tilde_t in zip(f, i, C_tilde, strict=True):
        C_t = step(f_t, C_t, i_t, C_tilde_t)
        C_seq.append(C_t)
    return np.stack(C_seq)


def carry_reference(
    C_0: np.ndarray, f: np.ndarray, i: np.ndarray, C_tilde: np.ndarray
) -> np.ndarray:
    """C_1 … C_T (T, H) of C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, from C_0."""
    return _carry(C_0, f, i, C_tilde, update_cell)


def _carry_mistakes(case: CarryCase) -> list[tuple[str, np.ndarray]]:
    C_0, f, i, C_tilde = case.C_0, case.f, case.i, case.C_tilde
    late = np.vstack([f[:1] * 0 + 1, f[:-1]]), np.vstack([i[:1] * 0, i[:-1]])
    shifted = np.vstack([C_tilde[:1] * 0, C_tilde[:-1]])
    # f[t - 1], i[t - 1], C_tilde[t - 1] in a loop over t = 0 … T − 1: step 1 reads the last row
    rolled = (np.roll(rows, 1, axis=0) for rows in (f, i, C_tilde))
    return [
        *{
            "state_not_carried": f * C_0 + i * C_tilde,
            "gates_swapped": _carry(C_0, i, f, C_tilde, update_cell),
            "coupled_update": _carry(C_0, f, 1 - f, C_tilde, update_cell),
            "dot_product": _carry(C_0, f, i, C_tilde, lambda f_t, C, i_t, c: f_t @ C + i_t * c),
            "input_gate_missing": _carry(C_0, f, i, C_tilde, lambda f_t, C, i_t, c: f_t * C + c),
            "tanh_on_cell_state": _carry(
                C_0, f, i, C_tilde, lambda f_t, C, i_t, c: np.tanh(f_t * C + i_t * c)
            ),
            "gates_one_step_late": _carry(C_0, *late, shifted, update_cell),
        }.items(),
        ("gates_one_step_late", _carry(C_0, *rolled, update_cell)),
    ]


def _carry_named(key: str, where: str, hint: str = "") -> Feedback:
    return named(key, where, hint or _(_CARRY_HINTS[key]), MISCONCEPTIONS, CARRY_FIXES[key])


def check_carry_cell_state(
    carry_cell_state: Callable[..., np.ndarray] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``carry_cell_state(C_0, f, i, C_tilde) -> C_seq``: C_0 (H,), f, i, C_tilde (T, H);
    C_seq (T, H), row t − 1 the C_t of C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t (steps t = 1 … T), on the
    cases of ``seed``.

    Recognises the misconceptions of ``RECOGNISED["check_carry_cell_state"]``.
    """

    def check() -> Feedback:
        require_function(carry_cell_state, "carry_cell_state(C_0, f, i, C_tilde)")
        for case in carry_cases(seed):
            where = _(case.where)
            T, H = case.f.shape
            hints = ErrorHints(
                broadcast=(
                    _(
                        "The shapes do not fit ({{where}}): {{error}}. Each step takes one row "
                        "of f, i "
                        "and C̃ ({H} values each) and the belt's C_{{t-1}} ({H} values)."
                    ).format(H=H)
                )
            )
            args = (case.C_0, case.f, case.i, case.C_tilde)
            expected = carry_reference(*args)  # outside the block: it runs update_cell
            with forbidden(carry_cell_state, CARRY_ANSWERS):
                result = call_student(carry_cell_state, args, where, hints)
            C_seq = as_array(result, "C_seq", where)
            if C_seq.shape == (H,) and T != H:
                return _carry_named("last_state_only", where)
            if C_seq.shape == (T + 1, H):
                return _carry_named("initial_state_stacked", where)
            if C_seq.shape == (T - 1, H):
                return _carry_named("step_missing", where)
            if C_seq.shape != (T, H):
                return mistake(
                    _(
                        "C_seq has shape {C_seq_shape} ({where}); expected ({T}, {H}) = (T, H)."
                    ).format(C_seq_shape=C_seq.shape, where=where, T=T, H=H)
                )
            if close(C_seq, expected):
                continue
            for key, wrong in _carry_mistakes(case):
                if close(C_seq, wrong):
                    return _carry_named(key, where)
            first = int(np.argmax(~np.isclose(C_seq, expected, atol=TOLERANCE).all(axis=1)))
            return mistake(
                _(
                    "Your C_{first_1} (row {first} of C_seq) differs from "
                    "f_t ⊙ C_{{t-1}} + i_t ⊙ C̃_t ({where}): yours {C_seq_first}, expected "
                    "{expected_first}."
                ).format(
                    first_1=first + 1,
                    first=first,
                    where=where,
                    C_seq_first=np.round(C_seq[first], 3),
                    expected_first=np.round(expected[first], 3),
                )
            )
        return correct(
            _(
                "Correct: one update per step, C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, unit by unit, the "
                "belt's value carried on."
            )
        )

    return run_check(check, show_fix, _(CARRY_FIX))


# --- Predict before you run ---------------------------------------------------------------------

predict_which_unit = Prediction(
    question=(
        N_(
            "On the article's C_{t-1} = [0.5, 0.6, 0.4], with i_t = 0: which unit of C_t changes "
            "most when the forget gate of unit 3 (numpy's f_t[2]) goes from 0 to 1? Answer 1, 2, "
            "3 (the units, counted from 1) or 'all'."
        )
    ),
    answer=3,
    choices=(1, 2, 3, "all"),
    wrong={
        1: N_("⊙ is value by value: unit 3's gate multiplies unit 3 of C_{t-1} and nothing else."),
        2: N_(
            "unit 2 of C_{t-1}, 0.6, is the largest value, but unit 3's gate multiplies only "
            "unit 3 of C_{t-1}: ⊙ is value by value. (If you meant numpy's index 2, that is unit "
            "3: answer with the unit, counted from 1.)"
        ),
        "all": N_(
            "a gate's units do not mix: only a layer's W·[h_{t-1}, x_t] mixes units; "
            "f_t ⊙ C_{t-1} multiplies unit by unit."
        ),
    },
)
"""Notebook 05: unit 3's f_t (numpy f_t[2]) from 0 to 1 changes unit 3 of C_t by 0.4, only it."""
