"""What an exercise check returns: passed or not, a message in plain words, and a fix on request.

The message of a failed check names the misconception and gives a hint; ``fix`` holds the
right code, shown only when the student asks (``check_…(f, show_fix=True)``, see
``exercises.checking``).
"""

from __future__ import annotations

from typing import NamedTuple

from lstm_course.i18n import N_, _


class Feedback(NamedTuple):
    """The verdict of a check. Shown in a notebook as one line: ✅ or ❌ and the message."""

    passed: bool
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{'✅' if self.passed else '❌'} {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        return f'<div style="color:{colour};font-weight:600">{self}</div>'

    def with_fix(self) -> Feedback:
        """The same verdict, its message followed by the fix (when there is one)."""
        if not self.fix or self.fix in self.message:
            return self
        return self._replace(
            message=_("{message} Fix: {fix}").format(message=self.message, fix=self.fix)
        )


def correct(message: str = N_("Correct.")) -> Feedback:
    """A passed check (``message`` in the package's language; ``_()`` again is a no-op)."""
    return Feedback(True, _(message) if message else message)


def mistake(message: str, fix: str = "") -> Feedback:
    """A failed check whose message names what went wrong; ``fix``, the right code, on request."""
    return Feedback(False, message, fix)
