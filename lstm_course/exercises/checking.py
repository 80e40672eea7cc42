"""The machinery every exercise check shares; the misconceptions live in one module per topic.

A check runs the student's function on hidden cases and returns a ``Feedback``. This module
does everything that is the same for every check: call the student's code safely (copies of
the arguments; an exception, a missing ``return`` or a result that is not numbers becomes a
sentence, never a traceback), explain numpy's shape errors, compare, and name a misconception.

Two levels of feedback
----------------------
1. By default a failed check **names the misconception and gives a hint**: what is wrong and
   where, in the article's words (``named(key, where, hint)``).
2. The **fix** — the line of code that is right — only when the student asks for it:
   ``check_forget_gate(compute_f_t, show_fix=True)``. Every check takes ``show_fix``; its
   fix is the ``fix`` passed to ``run_check`` (or to ``named`` for one misconception).

Writing a check for a new exercise (the pattern every topic module follows)::

    MISCONCEPTIONS = {"bias_missing": "The bias left out", ...}   # key -> its name in words
                                                                   # (or a Misconception)
    RECOGNISED = {"check_forget_gate": ("bias_missing", ...)}      # which keys each check names

    def check_forget_gate(compute_f_t, show_fix: bool = False) -> Feedback:
        def check() -> Feedback:
            require_function(compute_f_t, "compute_f_t(h_prev, x_t, W_f, b_f)")
            for case in cases:
                result = call_student(compute_f_t, case.args, case.where)
                f_t = as_array(result, "f_t", case.where)
                if close(f_t, sigmoid(W_f @ hx)):   # a known mistake, recomputed
                    hint = "the layer adds b_f inside σ."
                return named("bias_missing", case.where, hint, MISCONCEPTIONS)
                ...
            return correct("Correct: …")
        fix = "f_t = sigmoid(W_f @ np.concatenate([h_prev, x_t]) + b_f)"
        return run_check(check, show_fix, fix)

``recognised(check)`` then lists, in words, the misconceptions a check names (it reads the
``MISCONCEPTIONS`` and ``RECOGNISED`` tables of the check's own module), and the tests feed
every one of them to its check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np

from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.exercises.forbidding import PackageAnswerUsedError
from lstm_course.i18n import N_, _

TOLERANCE = 1e-6

__all__ = [
    "CheckEndedError",
    "NotWrittenError",
    "ErrorHints",
    "check_cases",
    "Feedback",
    "Misconception",
    "as_array",
    "call_student",
    "close",
    "correct",
    "misconception_name",
    "mistake",
    "named",
    "one_array_stored",
    "recognised",
    "require_function",
    "run_check",
    "two_results",
]


# --- Naming a misconception --------------------------------------------------------------------


class Misconception(NamedTuple):
    """A misconception a topic knows: its name in words, a hint without code, and the fix.

    A topic's ``MISCONCEPTIONS`` maps each key to its name (a str) or to a Misconception.
    """

    name: str
    hint: str = ""
    fix: str = ""


def named(
    key: str,
    where: str,
    hint: str,
    misconceptions: Mapping[str, str | Misconception],
    fix: str = "",
) -> Feedback:
    """A failed check: the misconception's name, where it showed, then the hint.

    ``misconceptions`` is the topic module's table; ``hint`` (what is wrong, in the article's
    words, no code) and ``fix`` (the right code, shown only with ``show_fix=True``) default to
    the Misconception's own when the table holds one and they are given as "".
    """
    entry = misconceptions[key]
    if isinstance(entry, Misconception):
        hint, fix = hint or entry.hint, fix or entry.fix
    message = _("{name} ({where}): {hint}").format(
        name=_(misconception_name(entry)), where=_(where), hint=_(hint) if hint else ""
    )
    return Feedback(False, message, fix)


def misconception_name(entry: str | Misconception) -> str:
    """The name in words of a table entry (a str, or a Misconception's name), in English."""
    return entry.name if isinstance(entry, Misconception) else entry


def recognised(
    check: Callable[..., Feedback] | str,
    misconceptions: Mapping[str, str | Misconception] | None = None,
    by_check: Mapping[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """The misconceptions ``check`` recognises, in words (in the package's language).

    ``check`` is a check function (its module's tables are read) or a check's name with the
    tables given.
    """
    if not isinstance(check, str):
        module = sys.modules[check.__module__]
        misconceptions = misconceptions or module.MISCONCEPTIONS
        by_check = by_check or module.RECOGNISED
        check = check.__name__
    if misconceptions is None or by_check is None:
        raise ValueError(f"recognised({check!r}): give the check itself, or its module's tables")
    return [_(misconception_name(misconceptions[key])) for key in by_check[check]]


# --- Calling the student's function safely -----------------------------------------------------


class CheckEndedError(Exception):
    """Carries a Feedback out of a helper: the student's code cannot go further."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.message)
        self.feedback = feedback


class NotWrittenError(CheckEndedError):
    """Ends a check whose function is not written yet: its verdict carries no fix."""


NOT_WRITTEN = N_("Not written yet: define {signature} and pass it to the check.")


def require_function(function: object, signature: str, missing: str = NOT_WRITTEN) -> None:
    """End the check with a sentence unless ``function`` is a function (None: not written yet).

    ``missing`` is what a student who has not started reads (English, marked ``N_``, translated
    here); ``{signature}`` is filled in.
    """
    if function is None:
        raise NotWrittenError(mistake(_(missing).format(signature=signature)))
    if not callable(function):
        raise CheckEndedError(
            mistake(
                _(
                    "Pass the function itself, not its result: got a {kind}. Expected {signature}."
                ).format(kind=type(function).__name__, signature=signature)
            )
        )


class ErrorHints(NamedTuple):
    """How a topic reads numpy's errors. ``{error}`` and ``{where}`` are filled in.

    The defaults are English templates (marked ``N_``) translated where the message is built;
    a topic's own templates are translated when the topic builds them (``_()`` again is a no-op).

    ``diagnose(error_text, where)`` may name the misconception behind a broadcast error (it
    knows the hidden case's sizes); when it returns None, ``broadcast`` is the hint.
    """

    matmul: str = N_(
        "A matrix product failed ({where}): {error}. W (rows, columns) @ v needs v to have "
        "one value per column of W."
    )
    broadcast: str = N_("The shapes do not fit ({where}): {error}.")
    diagnose: Callable[[str, str], Feedback | None] | None = None


def call_student(
    function: Callable[..., Any], args: tuple, where: str, hints: ErrorHints | None = None
) -> Any:
    """The student's result on ``args`` (copies, so an in-place edit cannot leak between cases).

    An exception or a missing ``return`` ends the check with a sentence (``explain_error``).
    """
    copies = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
    try:
        result = function(*copies)
    except Exception as exc:  # the student's code may raise anything
        ended = NotWrittenError if isinstance(exc, NotImplementedError) else CheckEndedError
        raise ended(explain_error(exc, where, hints or ErrorHints())) from None
    if result is None:
        raise CheckEndedError(
            mistake(
                _("Your function returned None ({where}): did you forget `return`?").format(
                    where=where
                )
            )
        )
    return result


def explain_error(exc: Exception, where: str, hints: ErrorHints) -> Feedback:
    """The one reader of numpy's error text: a failed product, a broadcast, or anything else."""
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, PackageAnswerUsedError):  # its message is the whole sentence
        return mistake(_("{message} ({where})").format(message=exc, where=where))
    if isinstance(exc, NotImplementedError):
        return mistake(
            _("Not written yet ({where}): replace the `raise NotImplementedError`.").format(
                where=where
            )
        )
    if isinstance(exc, ValueError) and ("matmul" in text or "aligned" in text):
        return mistake(_(hints.matmul).format(error=text, where=where))
    if isinstance(exc, ValueError) and "broadcast" in text:
        named_mistake = hints.diagnose(text, where) if hints.diagnose is not None else None
        return named_mistake or mistake(_(hints.broadcast).format(error=text, where=where))
    return mistake(_("Your function raised {error} ({where}).").format(error=text, where=where))


GIVEN_BY = (N_("Your function returned"), N_("You set"))
"""The usual ``given_by`` of ``as_array`` (English; translated where the message is built)."""


def as_array(
    result: Any, symbol: str, where: str, given_by: str = "Your function returned"
) -> np.ndarray:
    """The result as a float array (a torch tensor is accepted too), or a sentence.

    ``given_by`` says where the value came from ("You set" for a value the student sets); it
    is translated here, so a caller passes the English words.
    """
    if hasattr(result, "detach"):  # a torch tensor
        result = result.detach().cpu().numpy()
    try:
        return np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        kind = type(result).__name__
        message = _(
            "{given_by} a {kind}, not an array of numbers: {symbol} ({where}) is a {kind}."
        ).format(given_by=_(given_by), kind=kind, symbol=_(symbol), where=where)
        raise CheckEndedError(mistake(message)) from None


def two_results(result: Any, names: tuple[str, str], where: str) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays from a function that must return two results."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise CheckEndedError(
            mistake(
                _("Return two results, `return {first}, {second}` ({where}); got a {kind}.").format(
                    first=names[0], second=names[1], where=where, kind=type(result).__name__
                )
            )
        )
    return as_array(result[0], names[0], where), as_array(result[1], names[1], where)


def one_array_stored(result: np.ndarray, expected: np.ndarray) -> bool:
    """The same array appended at every step: every row of ``result`` equals its last row
    (a state updated in place, ``h *= …`` or ``h[:] = …``, then ``hs.append(h)``), where the
    ``expected`` rows differ."""
    rows = np.asarray(result)
    return (
        rows.shape == np.shape(expected)
        and rows.ndim >= 2
        and len(rows) >= 2
        and bool(np.all(rows == rows[-1]))
        and not bool(np.allclose(expected, expected[-1]))
    )


def close(a: np.ndarray, b: np.ndarray, atol: float = TOLERANCE) -> bool:
    """Same shape and equal to ``atol``."""
    return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, atol=atol))


# --- Running a check ----------------------------------------------------------------------------


def check_cases(
    student: object,
    signature: str,
    cases: Iterable[Any],
    judge: Callable[[Any], Feedback | None],
    success: str,
    show_fix: bool = False,
    fix: str = "",
) -> Feedback:
    """The loop most checks are: ``student`` must be a function (``signature``); each hidden
    case is judged in turn (``judge(case)`` calls the student and returns None when right, a
    Feedback naming the mistake when not); the first mistake is the verdict, else
    ``correct(success)``. ``show_fix`` and ``fix`` as in ``run_check``."""

    def check() -> Feedback:
        require_function(student, signature)
        for case in cases:
            verdict = judge(case)
            if verdict is not None:
                return verdict
        return correct(success)

    return run_check(check, show_fix, fix)


def run_check(check: Callable[[], Feedback], show_fix: bool = False, fix: str = "") -> Feedback:
    """``check()``, or the Feedback a helper ended it with (``CheckEndedError``).

    A failed Feedback carries ``fix`` (unless it names its own); with ``show_fix`` the
    message ends with it — the second level of feedback, given only when asked for. A
    function not written yet (None, or a stub raising NotImplementedError) gets no fix.
    """
    try:
        feedback = check()
    except NotWrittenError as failed:  # nothing to fix yet: no fix, also with show_fix
        return failed.feedback
    except CheckEndedError as failed:
        feedback = failed.feedback
    if feedback.passed:
        return feedback
    feedback = feedback._replace(fix=feedback.fix or fix)
    return feedback.with_fix() if show_fix else feedback
