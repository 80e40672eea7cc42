"""Notebook 10's exercise: which time indices does the article's sequence b = 2 visit?

The article reshapes 100 training points with ``reshape(-1, 5, 1)`` into nn.LSTM's default
(seq_len, batch, feature) layout: 20 steps × 5 sequences. Row s holds points 5s … 5s + 4, so
column b — one sequence — visits b, b + 5, b + 10, …: every 5th point, Δt ≈ 0.95 apart.
"""

from __future__ import annotations

import numpy as np

from lstm_course.data import LAYOUTS
from lstm_course.exercises.checking import run_check
from lstm_course.exercises.feedback import Feedback, correct, mistake

N_TRAIN = 100
SEQUENCE = 2  # the third column: b = 2


def expected_indices(n_points: int = N_TRAIN, b: int = SEQUENCE) -> np.ndarray:
    """The time indices that the article's sequence ``b`` visits, in order."""
    return LAYOUTS["article"].indices(n_points)[:, b]


FIX = "third_sequence = np.arange(2, 100, 5)"
"""The answer: the second level of feedback, shown with ``show_fix=True``."""


def check_third_sequence(answer: object, show_fix: bool = False) -> Feedback:
    """Check the student's time indices of the article's sequence b = 2, naming the mix-up."""
    return run_check(lambda: _check(answer), show_fix, FIX)


def _check(answer: object) -> Feedback:
    expected = expected_indices()
    if answer is None:
        return mistake("No answer yet: set third_sequence to a numpy array of time indices.")
    try:
        answer = np.asarray(answer)
    except (TypeError, ValueError):
        return mistake(f"third_sequence must be an array of integers; got {type(answer).__name__}")
    if answer.shape != expected.shape:
        return mistake(
            f"third_sequence has shape {answer.shape}; expected {expected.shape}: one index per "
            f"time step, and the reshape makes {expected.size} steps of 5 sequences"
        )
    if np.array_equal(answer, expected):
        return correct("Every 5th point from 2: the hidden state jumps Δt ≈ 0.95 between steps.")
    steps = np.diff(answer)
    if np.all(steps == 1):
        return mistake(
            "You took a contiguous run of points. The reshape fills each row (one time step) "
            "with 5 consecutive points, so one sequence (a column) takes every 5th point."
        )
    if np.all(steps == 5):
        return mistake(
            f"Every 5th point is right, but b = 2 is the third column: it starts at index 2, "
            f"not {answer[0]}."
        )
    wrong = int(np.argmax(answer != expected))
    return mistake(
        f"step {wrong} visits index {expected[wrong]}, not {answer[wrong]}: "
        "rows of the reshape are consecutive points"
    )
