"""The "be the feed-forward net" check: the floor passes, confident branches are named."""

import numpy as np

from lstm_course.exercises.sequences import check_cos_guess


def test_the_floor_passes_as_an_array_or_a_constant():
    for guess in (lambda s: np.zeros_like(s), lambda s: 0.0):
        feedback = check_cos_guess(guess)
        assert feedback.passed and "0.502" in feedback.message


def test_the_confident_branches_are_named():
    plus = check_cos_guess(lambda s: np.sqrt(1 - s**2))
    minus = check_cos_guess(lambda s: -np.sqrt(1 - s**2))
    assert not plus.passed and "+√(1 − sin² t)" in plus.message and "0.99" in plus.message
    assert not minus.passed and "−√(1 − sin² t)" in minus.message


def test_other_mistakes():
    assert "above the floor" in check_cos_guess(lambda s: s).message
    assert "shape" in check_cos_guess(lambda s: s[:3]).message
    assert "nan or inf" in check_cos_guess(lambda s: np.full_like(s, np.nan)).message
    assert "returned None" in check_cos_guess(lambda s: None).message
    assert "raised KeyError" in check_cos_guess(lambda s: {}["x"]).message
    assert "Not written yet" in check_cos_guess(None).message
    assert "Pass the function itself" in check_cos_guess(0.0).message
