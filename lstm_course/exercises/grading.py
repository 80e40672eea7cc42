"""The autograded cell of an exercise: its checks run under a time limit, its points all or none.

Every exercise of the course ends in one graded cell (an nbgrader "autograder tests" cell,
locked, with points). It reads like this in the teaching edition::

    grade = Grade("06-forget-gate", points=2)
    grade(check_forget_gate, compute_f_t)            # the cases the notebook shows
    ### BEGIN HIDDEN TESTS
    grade(check_forget_gate, compute_f_t, seed=1)    # other sizes and seeds: hard-coding the
    grade(check_forget_gate, compute_f_t, seed=2)    # visible case earns nothing
    ### END HIDDEN TESTS
    grade.points()

``nbgrader generate_assignment`` removes the hidden lines from the student edition. Each call
prints the check's verdict (the misconception named and a hint, never the fix); the last line's
value is the score, which nbgrader reads as the cell's partial credit: the exercise's points
when every check passed, 0 otherwise. Nothing here raises for a wrong, unfinished, crashing or
looping answer — the cell prints why and scores 0, so a student's "Run all" goes on and a
grader's other exercises are still graded. (A cell whose *name* is missing — the student
deleted the function — raises NameError; nbgrader then gives that exercise 0 and goes on.)
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

from lstm_course.exercises.feedback import Feedback, mistake
from lstm_course.i18n import _

TIME_LIMIT_S = 10.0
"""How long one check may run before the answer is taken to loop forever."""

__all__ = ["Grade", "TIME_LIMIT_S", "TimeLimitExceeded", "run_with_time_limit"]


class TimeLimitExceeded(BaseException):
    """Raised inside the student's code when its time is up.

    A BaseException, so that a check's ``except Exception`` (which turns a student's error into
    a sentence) does not swallow it.
    """


def run_with_time_limit(function: Callable[[], Any], seconds: float) -> Any:
    """``function()``, interrupted with TimeLimitExceeded after ``seconds`` of wall time.

    Uses SIGALRM, so the limit holds only in the main thread of a POSIX process (a notebook's
    kernel, pytest); elsewhere the function runs without one.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not in_main_thread:
        return function()

    def time_up(signum: int, frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Grade:
    """The checks of one exercise and its points: all of them, or none.

    ``exercise`` is the exercise's id (its nbgrader grade_id, e.g. "06-forget-gate"); ``points``
    what it is worth. Call the object with a check, the student's answer and the check's own
    keyword arguments (e.g. ``seed=``); ``points()`` is the score.
    """

    def __init__(self, exercise: str, points: float, time_limit_s: float = TIME_LIMIT_S) -> None:
        if points <= 0:
            raise ValueError(f"Grade({exercise!r}): points must be positive, got {points}")
        self.exercise = exercise
        self.max_points = float(points)
        self.time_limit_s = time_limit_s
        self.verdicts: list[Feedback] = []

    def __call__(self, check: Callable[..., Feedback], answer: Any, **kwargs: Any) -> Feedback:
        """Run ``check(answer, **kwargs)`` within the time limit; print and keep its verdict.

        After the first failure the other checks are skipped (one verdict to act on).
        """
        if self.verdicts and not self.verdicts[-1].passed:
            return self.verdicts[-1]
        try:
            verdict = run_with_time_limit(lambda: check(answer, **kwargs), self.time_limit_s)
        except TimeLimitExceeded:
            verdict = mistake(
                _(
                    "Your answer ran for more than {seconds:g} s on one case and was "
                    "stopped: is there a loop that never ends (a `while` whose condition never "
                    "changes, a step that does not move t)?"
                ).format(seconds=self.time_limit_s)
            )
        except Exception as exc:  # a check must never crash a graded cell
            verdict = mistake(
                _("The check could not run your answer: {kind}: {error}").format(
                    kind=type(exc).__name__, error=exc
                )
            )
        if not isinstance(verdict, Feedback):
            raise TypeError(f"{check!r} returned {type(verdict).__name__}, not a Feedback")
        self.verdicts.append(verdict)
        if len(self.verdicts) == 1 or not verdict.passed:
            print(verdict)  # further checks that pass add no line: one is enough
        return verdict

    @property
    def passed(self) -> bool:
        """True when at least one check ran and every one passed."""
        return bool(self.verdicts) and all(v.passed for v in self.verdicts)

    def points(self) -> float:
        """The score (all the points, or 0), printed as a sentence and returned for nbgrader."""
        score = self.max_points if self.passed else 0.0
        print(
            _("{exercise}: {score:g} of {points:g} points").format(
                exercise=self.exercise, score=score, points=self.max_points
            )
        )
        return score
