"""Checks for the notebooks' "your turn" exercises, one module a notebook topic.

Every check runs the student's function on hidden cases and returns a ``Feedback``: passed or
not, and a message in plain words that names the misconception it recognised.
"""

from lstm_course.exercises.feedback import Feedback

__all__ = ["Feedback"]
