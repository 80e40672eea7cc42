"""The check for notebook 02's exercise: be the feed-forward net.

The student writes ``guess_cos(s)``, a prediction of cos t from s = sin t alone (an array
(N,) in, (N,) out), as any feed-forward net fed sin t must. The check scores it on the
article's test half and compares with the floor mean(cos² t) ≈ 0.5 that no function of
sin t alone beats: the two branches cos t = ±√(1 − sin² t) are equally common, so the best
guess is their average, 0. The confident guess +√(1 − s²) scores about 1.0 — twice the floor.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lstm_course.data import sin_cos_data
from lstm_course.exercises.checking import as_array, call_student, require_function, run_check
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.sequences import mean_squared_error, sin_only_mse_floor

FLOOR_MARGIN = 0.02  # a guess within this of the floor passes
TOLERANCE = 1e-6
WHERE = "on the article's test half"

CosGuess = Callable[[np.ndarray], np.ndarray]


FIX = "return np.zeros_like(s)"
"""The best guess: the second level of feedback, shown with ``show_fix=True``."""


def check_cos_guess(guess_cos: CosGuess | None, show_fix: bool = False) -> Feedback:
    """Score ``guess_cos(s)`` on the article's test half against the sin-only floor.

    A constant (a number instead of an array) is broadcast to every point.
    """
    return run_check(lambda: _check(guess_cos), show_fix, FIX)


def _check(guess_cos: CosGuess | None) -> Feedback:
    require_function(guess_cos, "guess_cos(s)")
    _, s, y = sin_cos_data().test
    s = s.astype(np.float64)
    y = y.astype(np.float64)
    result = as_array(call_student(guess_cos, (s,), WHERE), "cos t", WHERE)
    try:
        guess = np.broadcast_to(result, s.shape)
    except ValueError:
        shape = np.shape(result)
        return mistake(f"Your guess has shape {shape}; expected {s.shape}, one value per sin t.")
    if not np.all(np.isfinite(guess)):
        return mistake("Your guess contains nan or inf (√ of a negative number?).")
    mse = mean_squared_error(guess, y)
    floor = sin_only_mse_floor(y)
    branch = np.sqrt(np.clip(1.0 - s**2, 0.0, None))
    if mse <= floor + FLOOR_MARGIN:
        return correct(
            f"Test MSE {mse:.3f}, at the floor mean(cos² t) = {floor:.3f}. No function of "
            "sin t alone does better: each input comes with cos = +√(1 − sin²) and −√(1 − sin²) "
            "equally often, and their average is 0."
        )
    for sign, word in ((1.0, "+"), (-1.0, "−")):
        if np.allclose(guess, sign * branch, atol=TOLERANCE):
            return mistake(
                f"Test MSE {mse:.3f}: you always answered {word}√(1 − sin² t). That is exactly "
                "right half of the time and off by 2·|cos t| the other half — worse than the "
                f"floor {floor:.3f}. Which single number is closest, on average, to both "
                "+√(1 − s²) and −√(1 − s²)?"
            )
    return mistake(
        f"Test MSE {mse:.3f}, above the floor {floor:.3f}. Given s, cos t is +√(1 − s²) or "
        "−√(1 − s²), equally often: what guess minimises the squared error to both?"
    )
