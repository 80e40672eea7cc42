"""Build it yourself: while a check runs the student's function, the package's answer is off-limits.

A notebook imports the package's finished functions to show them at work — ``rnn_unroll``,
``lstm_cell``, ``hidden_jacobians`` — and a build-it exercise then asks the student to write the
same thing. ``return rnn_unroll(xs, params)`` — or ``carry_state = fading_memory`` — would pass
any check that compares results. So a check names the package functions its exercise *is*, and
runs the student's function while they are disabled::

    with forbidden(compute, {"lstm_course.rnn.rnn_unroll": "the RNN unroll"}):
        result = call_student(compute, args, where)

Within the block, calling a named function raises ``PackageAnswerUsedError`` — under any name,
through its module, from a closure, or as the student's function itself: the function object's
code is swapped for a trap and put back afterwards, also when the student's code raises.
``call_student`` turns the error into the sentence "Write it yourself: …". The check's own
reference values are computed outside the block.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from lstm_course.i18n import _

__all__ = ["PackageAnswerUsedError", "forbidden", "trip"]


class PackageAnswerUsedError(Exception):
    """The student's function called the package function its exercise asks them to write."""


_forbidden_now: list[dict[str, str]] = []
"""The answers of the checks running now (nested blocks stack), as name -> what it computes."""


def trip() -> None:
    """Raise the sentence for the package functions forbidden now (called by the trap)."""
    answers = {name: what for block in _forbidden_now for name, what in block.items()}
    names = ", ".join(answers)
    whats = "; ".join(_(what) for what in answers.values())
    raise PackageAnswerUsedError(
        _(
            "Write it yourself: your function called the package's {name}, which is "
            "{what} — the very thing this exercise asks you to build."
        ).format(name=names, what=whats)
    )


def _trap(*args: Any, **kwargs: Any) -> Any:
    # Runs with the *forbidden* function's globals: reach this module through builtins only.
    __import__("lstm_course.exercises.forbidding", fromlist=["trip"]).trip()


def _resolve(qualified: str) -> tuple[Any, str]:
    """The object ``"module.function"`` (or ``"module.Class.method"``) names, and its name
    without the module (``"function"``, ``"Class.method"``)."""
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found, ".".join(parts[cut:])
    raise ImportError(f"forbidden(): no module in {qualified}")


@contextmanager
def forbidden(function: object, answers: Mapping[str, str]) -> Iterator[None]:
    """Within the block, each ``"module.function"`` (or ``"module.Class.method"``) of
    ``answers`` raises PackageAnswerUsedError when called, however it is reached. ``answers``
    maps the qualified name to what it computes, in words. (``function``, the student's, is not
    needed to disable them; it is named so that a check reads "forbidden(the student's
    function, these answers)".)"""
    swapped: list[tuple[types.FunctionType, types.CodeType]] = []
    block = {}
    try:
        for qualified, what in answers.items():
            original, name = _resolve(qualified)
            if not isinstance(original, types.FunctionType) or original.__code__.co_freevars:
                raise TypeError(f"forbidden(): {qualified} is not a plain function")
            block[name] = what
            swapped.append((original, original.__code__))
            original.__code__ = _trap.__code__
        _forbidden_now.append(block)
        yield
    finally:
        if _forbidden_now and _forbidden_now[-1] is block:
            _forbidden_now.pop()
        for original, code in reversed(swapped):
            original.__code__ = code
