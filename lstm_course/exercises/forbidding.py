"""Build it yourself: while a check runs the student's function, the package's answer is off-limits.

A notebook imports the package's finished functions to show them at work — ``rnn_unroll``,
``lstm_cell``, ``hidden_jacobians`` — and a build-it exercise then asks the student to write the
same thing. ``return rnn_unroll(xs, params)`` would pass any check that compares results. So a
check names the package functions its exercise *is*, and runs the student's function with them
replaced by a trap::

    with forbidden(compute, {"lstm_course.rnn.rnn_unroll": "the RNN unroll"}):
        result = call_student(compute, args, where)

The trap raises ``PackageAnswerUsedError``; ``call_student`` turns it into the sentence "Write it
yourself: …". It replaces the name in the student's function's globals (the notebook's
namespace, whatever the name was imported as) and on the package module itself, and puts both
back afterwards, also when the student's code raises.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from lstm_course.i18n import _

__all__ = ["PackageAnswerUsedError", "forbidden"]


class PackageAnswerUsedError(Exception):
    """The student's function called the package function its exercise asks them to write."""


def _trap(qualified: str, what: str) -> Callable[..., Any]:
    name = qualified.rsplit(".", 1)[1]

    def trap(*args: Any, **kwargs: Any) -> Any:
        raise PackageAnswerUsedError(
            _(
                "Write it yourself: your function called the package's {name}, which is "
                "{what} — the very thing this exercise asks you to build."
            ).format(name=name, what=_(what))
        )

    trap.__name__ = name
    return trap


@contextmanager
def forbidden(function: object, answers: Mapping[str, str]) -> Iterator[None]:
    """Within the block, each ``"module.function"`` of ``answers`` raises PackageAnswerUsedError
    when called — from ``function``'s globals, under any name bound to it, and from its module.
    ``answers`` maps the qualified name to what it computes, in words."""
    restore: list[tuple[dict[str, Any], str, Any]] = []
    student_globals = getattr(function, "__globals__", None)
    try:
        for qualified, what in answers.items():
            module_name, name = qualified.rsplit(".", 1)
            module = importlib.import_module(module_name)
            original = getattr(module, name)
            trap = _trap(qualified, what)
            restore.append((vars(module), name, original))
            setattr(module, name, trap)
            if student_globals is not None:
                for bound, value in list(student_globals.items()):
                    if value is original:
                        restore.append((student_globals, bound, original))
                        student_globals[bound] = trap
        yield
    finally:
        for namespace, name, original in reversed(restore):
            namespace[name] = original
