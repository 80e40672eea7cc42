"""What an exercise check returns: passed or not, and a message in plain words."""

from __future__ import annotations

from typing import NamedTuple


class Feedback(NamedTuple):
    """The verdict of a check. Shown in a notebook as one line: ✅ or ❌ and the message."""

    passed: bool
    message: str

    def __str__(self) -> str:
        return f"{'✅' if self.passed else '❌'} {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        return f'<div style="color:{colour};font-weight:600">{self}</div>'


def correct(message: str = "Correct.") -> Feedback:
    """A passed check."""
    return Feedback(True, message)


def mistake(message: str) -> Feedback:
    """A failed check whose message names what went wrong."""
    return Feedback(False, message)
