"""Notebook 09's check: nn.GRU's parameter count, every slip named, never a traceback."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from lstm_course.counting import module_parameter_count
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.variants import (
    CHECK_SIZES,
    MISCONCEPTIONS,
    RECOGNISED,
    check_torch_gru_count,
    recognised_mistakes,
)


def right(D, H):
    return 3 * (H * (H + D) + 2 * H)


SLIPS = {
    "one_bias": lambda D, H: 3 * (H * (H + D) + H),
    "biases_missing": lambda D, H: 3 * H * (H + D),
    "lstm_blocks": lambda D, H: 4 * (H * (H + D) + 2 * H),
    "recurrent_weights_missing": lambda D, H: 3 * (H * D + 2 * H),
}


def test_the_right_formula_passes():
    feedback = check_torch_gru_count(right)
    assert feedback.passed
    assert "912" in feedback.message  # nn.GRU(1, 16): 3·(16·17 + 32)


def test_the_right_formula_is_what_torch_holds():
    for D, H in CHECK_SIZES:
        assert module_parameter_count(nn.GRU(D, H)) == right(D, H)


def test_numpy_integers_and_floats_count_too():
    assert check_torch_gru_count(lambda D, H: np.int64(right(D, H))).passed
    assert check_torch_gru_count(lambda D, H: float(right(D, H))).passed


@pytest.mark.parametrize("key", list(SLIPS))
def test_each_slip_is_named(key):
    feedback = check_torch_gru_count(SLIPS[key])
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key])
    assert "nn.GRU(1, 16) holds 912" in feedback.message


def test_every_recognised_slip_has_a_student_here():
    assert set(RECOGNISED["check_torch_gru_count"]) == set(SLIPS)
    assert recognised_mistakes(check_torch_gru_count) == list(MISCONCEPTIONS.values())


def test_an_unknown_count_gets_the_block_by_block_hint():
    feedback = check_torch_gru_count(lambda D, H: 7)
    assert not feedback.passed
    assert "nn.GRU(1, 16) holds 912; you have 7" in feedback.message
    assert "weight_hh (3H, H)" in feedback.message


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        (None, "Not written yet: define gru_parameter_count(D, H)"),
        (912, "Pass the function itself, not its result"),
        (lambda D, H: None, "did you forget `return`"),
        (lambda D, H: 1 / 0, "ZeroDivisionError"),
        (lambda D, H: np.array([1, 2]), "Return one whole number"),
        (lambda D: D, "TypeError"),
    ],
)
def test_unfinished_work_gets_a_sentence(formula, words):
    feedback = check_torch_gru_count(formula)
    assert not feedback.passed
    assert words in feedback.message


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.integers(), st.floats(), st.text(), st.none(), st.lists(st.integers())))
def test_any_return_value_gets_feedback(value):
    feedback = check_torch_gru_count(lambda D, H: value)
    assert isinstance(feedback, Feedback)
    assert not feedback.passed  # no constant is right for every size
