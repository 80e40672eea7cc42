"""Notebook 10's exercise check: each mix-up of the article's reshape is named."""

import numpy as np
import pytest

from lstm_course.exercises.sin_cos import check_third_sequence, expected_indices


def test_expected_is_every_fifth_point_from_two():
    np.testing.assert_array_equal(expected_indices(), np.arange(2, 100, 5))
    # the same as the article's own reshape, read column b = 2
    np.testing.assert_array_equal(np.arange(100).reshape(-1, 5)[:, 2], expected_indices())


def test_the_right_answer_passes():
    feedback = check_third_sequence(np.arange(2, 100, 5))
    assert feedback.passed and "Δt ≈ 0.95" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (None, "No answer yet"),
        (np.arange(2, 22), "contiguous run"),
        (np.arange(3, 100, 5), "starts at index 2, not 3"),
        (np.arange(1, 100, 5), "starts at index 2, not 1"),
        (np.arange(0, 100, 5), "starts at index 2, not 0"),
        (np.arange(2, 100, 20), "has shape (5,); expected (20,)"),
        (np.r_[np.arange(2, 97, 5), 99], "step 19 visits index 97, not 99"),
        ("two", "has shape ()"),
    ],
)
def test_each_mistake_is_named(answer, words):
    feedback = check_third_sequence(answer)
    assert not feedback.passed and words in feedback.message
