"""Notebook 05's check: gates set by hand, every misconception it names fed to it once."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course import worked_example as we
from lstm_course.exercises import gates
from lstm_course.exercises.cell_state import (
    CASES,
    MISCONCEPTIONS,
    RECOGNISED,
    check_gate_settings,
    recognised_mistakes,
)
from lstm_course.exercises.feedback import Feedback
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
}


def test_the_reference_passes_and_reaches_every_target():
    feedback = check_gate_settings(*RIGHT)
    assert feedback.passed, feedback.message
    C_t = gate_values_step(we.C_prev, *RIGHT, DEMO_C_TILDE, 1.0).C_t
    np.testing.assert_array_equal(C_t, [DEMO_C_TILDE[0], we.C_prev[1], 0.0])
    assert "[0.9 0.6 0. ]" in feedback.message


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
    assert recognised_mistakes(check_gate_settings) == list(MISCONCEPTIONS.values())


def test_shared_names_are_the_gate_checks_words():
    for key in ("gates_swapped", "coupled_update"):
        assert MISCONCEPTIONS[key] == gates.MISCONCEPTIONS[key]


def test_the_first_attempt_names_the_units_still_wrong():
    message = check_gate_settings(*STUDENTS["left_unchanged"]).message
    assert "(unit 1, to overwrite)" in message
    assert "units 1, 3 not yet" in message
    assert "f_t = 0, i_t = 1" in message  # the recipe for overwriting


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
