"""Notebook 05's checks: gates set by hand and the belt carried over a sequence, every
misconception they name fed to them once."""

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course import lstm
from lstm_course import worked_example as we
from lstm_course.exercises import cell_state, gates
from lstm_course.exercises.cell_state import (
    CARRY_FIX,
    CARRY_FIXES,
    CASES,
    MISCONCEPTIONS,
    RECOGNISED,
    carry_cases,
    carry_reference,
    check_carry_cell_state,
    check_gate_settings,
    check_set_gates,
    predict_which_unit,
    recognised_mistakes,
)
from lstm_course.exercises.feedback import Feedback
from lstm_course.i18n import set_language
from lstm_course.widgets.lstm_cell import DEMO_C_TILDE, gate_values_step

RIGHT = (np.array([0.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0]))  # overwrite, keep, erase

# One student a misconception: (f_t, i_t) as a student would write them.
STUDENTS = {
    "shared_gate": (0.5, [1.0, 0.0, 0.0]),
    "gate_out_of_range": ([0.0, 1.0, -0.5], [1.0, 0.0, 0.0]),
    "gates_swapped": ([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]),
    "forget_gate_inverted": ([1.0, 0.0, 1.0], [1.0, 0.0, 0.0]),
    "coupled_update": ([0.3, 1.0, 0.0], [0.7, 0.0, 1.0]),
    "left_unchanged": ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),  # the notebook's first attempt
    "keep_and_add": ([1.0, 1.0, 0.0], [1.0, 0.0, 0.0]),
    "forget_is_not_erase": ([0.0, 1.0, 0.0], [1.0, 1.0, 1.0]),  # named after unit 2's slip
    "forgot_to_write": ([0.0, 1.0, 0.0], [0.0, 0.0, 0.0]),
    "kept_unit_forgotten": ([0.0, 0.0, 0.0], [1.0, 0.0, 0.0]),
    "fractional_gate": ([0.5, 1.0, 0.0], [0.5, 0.0, 0.0]),
    "numbers_not_rule": ([0.9, 1.0, 0.0], [0.5, 0.0, 0.0]),  # 0.9·0.5 + 0.5·0.9 = 0.9
    "units_shifted": ([0.0, 0.0, 1.0], [0.0, 1.0, 0.0]),  # unit k read as numpy index k
}


def test_the_reference_passes_and_reaches_every_target():
    feedback = check_gate_settings(*RIGHT)
    assert feedback.passed, feedback.message
    C_t = gate_values_step(we.C_prev, *RIGHT, DEMO_C_TILDE, 1.0).C_t
    np.testing.assert_array_equal(C_t, [DEMO_C_TILDE[0], we.C_prev[1], 0.0])
    assert feedback.message.startswith("Correct: unit 1 overwritten, unit 2 kept, unit 3 erased")


def test_the_success_message_gives_no_gate_values():
    """A graded cell's stored success message says what was checked, never the answer."""
    message = check_set_gates(lambda: RIGHT).message
    assert "[0, 1, 0]" not in message and "[1, 0, 0]" not in message and "f_t =" not in message


def test_real_sigma_gates_pass():
    """σ(±10) is within 5e-5 of 0 or 1: notebook 05 says a real gate is never exactly 0 or 1."""
    from lstm_course.activations import sigmoid

    f_t, i_t = sigmoid(np.array([-10.0, 10.0, -10.0])), sigmoid(np.array([10.0, -10.0, -10.0]))
    for seed in (0, 1, 2):
        assert check_set_gates(lambda: (f_t, i_t), seed=seed).passed


def test_units_in_the_messages_are_counted_from_1():
    message = check_gate_settings([0.0, 1.0, 0.0], [1.5, 0.0, 0.0]).message
    assert "i_t = 1.5 for unit 1" in message and "i_t[1]" not in message


def test_lists_tuples_and_tensors_are_accepted():
    assert check_gate_settings([0, 1, 0], (1, 0, 0)).passed
    assert check_gate_settings(torch.tensor([0.0, 1.0, 0.0]), torch.tensor([1.0, 0, 0])).passed


@pytest.mark.parametrize("key", list(STUDENTS))
def test_each_misconception_is_named(key):
    feedback = check_gate_settings(*STUDENTS[key])
    assert not feedback.passed
    name = MISCONCEPTIONS[key]
    assert feedback.message.startswith(name) or f"Also: {name}" in feedback.message


def test_every_wrong_unit_is_diagnosed():
    message = check_gate_settings(*STUDENTS["forget_is_not_erase"]).message
    assert message.startswith(MISCONCEPTIONS["keep_and_add"] + " (unit 2, to keep)")
    assert f"Also: {MISCONCEPTIONS['forget_is_not_erase']} (unit 3, to erase)" in message
    assert message.endswith("(units 2, 3 not yet).")


def test_every_recognised_misconception_has_a_student():
    assert set(RECOGNISED["check_gate_settings"]) == set(STUDENTS)
    assert RECOGNISED["check_set_gates"] == RECOGNISED["check_gate_settings"]
    assert recognised_mistakes(check_gate_settings) == [MISCONCEPTIONS[k] for k in STUDENTS]


def test_shared_names_are_the_gate_checks_words():
    for key in (
        "gates_swapped",
        "coupled_update",
        "dot_product",
        "input_gate_missing",
        "tanh_on_cell_state",
    ):
        assert MISCONCEPTIONS[key] == gates.MISCONCEPTIONS[key]


def test_the_first_attempt_names_the_units_still_wrong():
    message = check_gate_settings(*STUDENTS["left_unchanged"]).message
    assert "(unit 1, to overwrite)" in message
    assert "units 1, 3 not yet" in message
    assert "forget all of the old value and write all of the candidate" in message  # in words
    assert "f_t = 0, i_t = 1" not in message and "np." not in message  # the numbers: the fix


def test_the_hidden_case_differs_from_the_notebooks():
    assert not np.allclose(CASES[0].C_prev, CASES[1].C_prev)
    assert not np.allclose(CASES[0].C_tilde, CASES[1].C_tilde)


@pytest.mark.parametrize(
    ("f_t", "i_t", "words"),
    [
        (None, None, "Not set yet: give f_t one value per unit"),
        ([0, 1, 0], None, "Not set yet: give i_t"),
        ([0, 1], [1, 0], "f_t has shape (2,); expected (3,)"),
        ("open", [1, 0, 0], "f_t (your gates) is a str"),
        ([0, 1, np.nan], [1, 0, 0], "A gate outside [0, 1]"),
    ],
)
def test_unfinished_work_gets_a_sentence(f_t, i_t, words):
    feedback = check_gate_settings(f_t, i_t)
    assert not feedback.passed
    assert words in feedback.message


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=4),
    st.lists(st.sampled_from([0.0, 0.25, 1.0]), min_size=3, max_size=3),
)
def test_any_gates_get_feedback_and_only_the_rule_passes(f_t, i_t):
    feedback = check_gate_settings(f_t, i_t)
    assert isinstance(feedback, Feedback)
    right = np.allclose(f_t, RIGHT[0]) if len(f_t) == 3 else False
    assert feedback.passed == (right and np.allclose(i_t, RIGHT[1]))


# --- seeds, the function form, two levels ---------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_set_gates_passes_the_reference_and_names_each_misconception(seed):
    assert check_set_gates(lambda: RIGHT, seed=seed).passed
    assert check_gate_settings(*RIGHT, seed=seed).passed
    for key, (f_t, i_t) in STUDENTS.items():
        if key == "numbers_not_rule" and seed:
            continue  # a coincidence of seed 0's hidden case, tested below
        feedback = check_set_gates(lambda f_t=f_t, i_t=i_t: (f_t, i_t), seed=seed)
        name = MISCONCEPTIONS[key]
        assert feedback.message.startswith(name) or f"Also: {name}" in feedback.message


def test_the_seeds_try_other_hidden_numbers():
    hidden = {seed: cell_state.state_cases(seed)[1] for seed in (0, 1, 2)}
    assert not np.allclose(hidden[1].C_prev, hidden[0].C_prev)
    assert not np.allclose(hidden[2].C_tilde, hidden[1].C_tilde)
    coincidence = STUDENTS["numbers_not_rule"]
    assert not any(check_gate_settings(*coincidence, seed=s).passed for s in (0, 1, 2))


def _stub(*args):
    raise NotImplementedError()


def test_set_gates_unfinished_work_gets_a_sentence():
    assert "Not written yet" in check_set_gates(None).message
    assert "Not written yet" in check_set_gates(_stub).message
    assert "Return the two gates" in check_set_gates(lambda: RIGHT[0]).message


def test_the_gates_fix_comes_only_when_asked_and_is_never_the_whole_answer():
    for key, (f_t, i_t) in STUDENTS.items():
        first = check_set_gates(lambda f_t=f_t, i_t=i_t: (f_t, i_t))
        assert "Fix:" not in first.message
        assert "np.array" not in first.message
        shown = check_set_gates(lambda f_t=f_t, i_t=i_t: (f_t, i_t), show_fix=True)
        fix = shown.message.partition("Fix: ")[2]
        assert "np.array([0.0, 1.0, 0.0])" not in fix and "[1.0, 0.0, 0.0]" not in fix
        assert fix.count("f_t[") <= 1, (key, fix)  # one unit's gates at most


# --- the belt over a sequence ---------------------------------------------------------------


def carry(C_0, f, i, C_tilde):
    C_t, out = C_0, []
    for f_t, i_t, C_tilde_t in zip(f, i, C_tilde, strict=True):
        C_t = f_t * C_t + i_t * C_tilde_t
        out.append(C_t)
    return np.stack(out)


def _loop(update):
    def carry_with(C_0, f, i, C_tilde):
        C_t, out = C_0, []
        for f_t, i_t, C_tilde_t in zip(f, i, C_tilde, strict=True):
            C_t = update(f_t, C_t, i_t, C_tilde_t)
            out.append(C_t)
        return np.stack(out)

    return carry_with


def _late(C_0, f, i, C_tilde):
    C_t, out = C_0, []
    for t in range(len(f)):  # step t reads row t - 1: the gates of the step before
        f_t, i_t = (f[t - 1], i[t - 1]) if t else (np.ones_like(C_0), np.zeros_like(C_0))
        C_t = f_t * C_t + i_t * (C_tilde[t - 1] if t else 0.0)
        out.append(C_t)
    return np.stack(out)


CARRY_STUDENTS = {
    "last_state_only": lambda C_0, f, i, C_tilde: carry(C_0, f, i, C_tilde)[-1],
    "initial_state_stacked": lambda C_0, f, i, C_tilde: np.vstack([C_0, carry(C_0, f, i, C_tilde)]),
    "step_missing": lambda C_0, f, i, C_tilde: carry(C_0, f[1:], i[1:], C_tilde[1:]),
    "state_not_carried": lambda C_0, f, i, C_tilde: np.stack(
        [f_t * C_0 + i_t * c for f_t, i_t, c in zip(f, i, C_tilde, strict=True)]
    ),
    "gates_swapped": _loop(lambda f_t, C, i_t, c: i_t * C + f_t * c),
    "coupled_update": _loop(lambda f_t, C, i_t, c: f_t * C + (1 - f_t) * c),
    "dot_product": _loop(lambda f_t, C, i_t, c: f_t @ C + i_t * c),
    "input_gate_missing": _loop(lambda f_t, C, i_t, c: f_t * C + c),
    "tanh_on_cell_state": _loop(lambda f_t, C, i_t, c: np.tanh(f_t * C + i_t * c)),
    "gates_one_step_late": _late,
}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_carry_passes_the_reference(seed):
    assert check_carry_cell_state(carry, seed=seed).passed
    assert check_carry_cell_state(lambda *a: list(carry(*a)), seed=seed).passed


def _rows_minus_one(C_0, f, i, C_tilde):
    C_t, out = C_0, []
    for t in range(len(f)):  # 0-based, but reads row t - 1: step 1 reads the last row
        C_t = f[t - 1] * C_t + i[t - 1] * C_tilde[t - 1]
        out.append(C_t)
    return np.stack(out)


def test_the_natural_off_by_one_is_named():
    feedback = check_carry_cell_state(_rows_minus_one)
    assert feedback.message.startswith(MISCONCEPTIONS["gates_one_step_late"]), feedback.message
    for seed in (1, 2):
        assert check_carry_cell_state(_rows_minus_one, seed=seed).message.startswith(
            MISCONCEPTIONS["gates_one_step_late"]
        )


# a student who calls the package's update_cell / gate_values_step (looked up at call time)
_package_update = _loop(lambda f_t, C, i_t, c: lstm.update_cell(f_t, C, i_t, c))
_package_step = _loop(lambda f_t, C, i_t, c: lstm.gate_values_step(C, f_t, i_t, c, 1.0).C_t)


@pytest.mark.parametrize("student", [carry_reference, _package_update, _package_step])
def test_the_carry_with_the_package_is_refused(student):
    feedback = check_carry_cell_state(student)
    assert not feedback.passed and feedback.message.startswith("Write it yourself"), feedback
    assert check_carry_cell_state(carry).passed  # the package is put back afterwards


@pytest.mark.parametrize("seed", [0, 1, 3])
@pytest.mark.parametrize("key", list(CARRY_STUDENTS))
def test_each_carry_misconception_is_named(key, seed):
    feedback = check_carry_cell_state(CARRY_STUDENTS[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key]), (key, feedback.message)
    assert "Fix:" not in feedback.message and CARRY_FIXES[key] not in feedback.message
    for code in ("np.", "zip(", "append", "* C_t"):
        assert code not in feedback.message, (key, feedback.message)
    shown = check_carry_cell_state(CARRY_STUDENTS[key], show_fix=True, seed=seed)
    assert shown.message.endswith(f"Fix: {CARRY_FIXES[key]}")
    assert CARRY_FIXES[key].count("\n") == 0  # one line of the loop, never the loop


def test_every_carry_misconception_has_a_student():
    assert set(RECOGNISED["check_carry_cell_state"]) == set(CARRY_STUDENTS)
    assert recognised_mistakes(check_carry_cell_state) == [
        MISCONCEPTIONS[k] for k in RECOGNISED["check_carry_cell_state"]
    ]


def test_the_carry_unfinished_work_gets_a_sentence():
    assert "Not written yet" in check_carry_cell_state(None).message
    assert "Not written yet" in check_carry_cell_state(_stub).message
    for unwritten in (None, _stub):  # nothing to fix yet: no fix, not even a pointer
        assert "Fix:" not in check_carry_cell_state(unwritten, show_fix=True).message
    assert "returned None" in check_carry_cell_state(lambda *a: None).message
    wrong = check_carry_cell_state(lambda *a: carry(*a) + 0.01)
    assert "Your C_1 (row 0 of C_seq) differs" in wrong.message
    shown = check_carry_cell_state(lambda *a: carry(*a) + 0.01, show_fix=True)
    assert shown.message.endswith(f"Fix: {CARRY_FIX}") and "C_t =" not in CARRY_FIX


def test_the_carry_seeds_use_other_sizes():
    visible = carry_cases(0)
    assert visible[0].f.shape == (4, 3)
    np.testing.assert_array_equal(visible[0].C_0, we.C_prev)
    answers = [carry_reference(c.C_0, c.f, c.i, c.C_tilde) for c in visible]

    def hard_coded(C_0, f, i, C_tilde):
        return answers[0] if len(f) == 4 else answers[1]

    assert check_carry_cell_state(hard_coded).passed
    for seed in (1, 2, 3):
        assert not check_carry_cell_state(hard_coded, seed=seed).passed
        shapes = {c.f.shape for c in carry_cases(seed)}
        assert shapes != {c.f.shape for c in visible}


# --- the prediction -------------------------------------------------------------------------


def test_the_prediction_answers_none_each_choice_and_each_known_wrong_answer():
    assert "No prediction yet" in predict_which_unit.check(None).message
    for choice in predict_which_unit.choices:
        assert predict_which_unit.check(choice).passed == (choice == 3)
    for wrong, hint in predict_which_unit.wrong.items():
        assert hint in predict_which_unit.check(wrong).message
    assert "numpy's index 2, that is unit 3" in predict_which_unit.check(2).message
    assert "Answer one of" in predict_which_unit.check(0).message


def test_the_prediction_is_what_happens():
    closed = gate_values_step(we.C_prev, np.array([0.5, 0.1, 0.0]), 0.0, DEMO_C_TILDE, 1.0).C_t
    opened = gate_values_step(we.C_prev, np.array([0.5, 0.1, 1.0]), 0.0, DEMO_C_TILDE, 1.0).C_t
    change = np.abs(opened - closed)
    assert int(np.argmax(change)) + 1 == predict_which_unit.answer  # unit 3 = numpy index 2
    assert change[2] == pytest.approx(we.C_prev[2]) and not change[:2].any()


# --- In Chinese -----------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def in_chinese():
    """The package in Chinese for one test (the catalogue only, no font); English after."""
    set_language("zh", font=False)
    try:
        yield
    finally:
        set_language("en")


def test_a_failing_check_speaks_chinese(in_chinese):
    feedback = check_gate_settings(1.0, np.zeros(3))
    assert not feedback.passed and CJK.search(feedback.message)
    assert feedback.message.startswith("所有单元共用一个门值（f_t）：f_t = 1 对 3 个单元一视同仁")
    unchanged = check_gate_settings(np.array([1.0, 1.0, 0.0]), np.zeros(3))
    assert unchanged.message.startswith("某个单元照传送带原样传下去了（单元 1，要覆盖）：")
