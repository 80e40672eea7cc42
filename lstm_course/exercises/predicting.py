"""Predict before you run: a question, the student's guess in a variable, checked, then revealed.

A prediction cell in a notebook reads::

    # Which unit of C_t changes most when f_t[2] goes from 0 to 1?  Answer 0, 1 or 2.
    my_prediction = None

    predict_which_unit.check(my_prediction)

and the cell after it computes the answer for everyone to see. The check says whether the guess
is right without explaining it (the next cell does), and for a known wrong guess it names the
misconception behind it with a hint. ``None`` — no guess yet — is a sentence, not an error, so
"Run all" goes on. Predictions are not graded.

Each topic module defines its predictions next to its checks::

    predict_which_unit = Prediction(
        question="Which unit of C_t changes most when f_t[2] goes from 0 to 1?",
        answer=2,
        choices=(0, 1, 2),
        wrong={0: "f_t[2] multiplies only the third unit of C_{t-1} (⊙ is value by value)."},
    )
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.i18n import _

__all__ = ["Prediction"]


class Prediction(NamedTuple):
    """A question with one right answer.

    ``answer`` is compared with ``==`` (numbers within ``tolerance`` when it is > 0); ``choices``,
    when given, are the only answers accepted; ``wrong`` maps a known wrong answer to the hint
    that names its misconception; ``hint`` is said for any other wrong answer. The question and
    hints are English, marked ``N_`` in the topic module, and translated here when shown.
    """

    question: str
    answer: Any
    choices: tuple = ()
    wrong: Mapping[Any, str] = {}
    hint: str = ""
    tolerance: float = 0.0

    def check(self, guess: Any) -> Feedback:
        """The verdict on ``guess`` — right or not, never the reason (the next cell shows it)."""
        choices = ", ".join(map(repr, self.choices))
        if guess is None:
            if self.choices:
                options = _("one of {choices}").format(choices=choices)
            else:
                options = _("your answer")
            return mistake(
                _(
                    "No prediction yet: set my_prediction to {options} and run this cell, "
                    "then run the next cell to see."
                ).format(options=options)
            )
        if self.choices and not any(_same(guess, c, 0.0) for c in self.choices):
            return mistake(
                _("Answer one of {choices}; got {guess!r}.").format(choices=choices, guess=guess)
            )
        if _same(guess, self.answer, self.tolerance):
            return correct(_("Your prediction is right. Run the next cell to see why."))
        for known, hint in self.wrong.items():
            if _same(guess, known, self.tolerance):
                return mistake(
                    _("Not what happens: {hint} Run the next cell to see.").format(hint=_(hint))
                )
        if self.hint:
            return mistake(
                _("Not what happens. {hint} Run the next cell to see.").format(hint=_(self.hint))
            )
        return mistake(_("Not what happens. Run the next cell to see."))


def _same(a: Any, b: Any, tolerance: float) -> bool:
    if tolerance > 0 and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= tolerance
    try:
        return bool(a == b)
    except ValueError:  # arrays: compare value by value
        import numpy as np

        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
