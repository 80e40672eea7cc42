"""Widgets: wiring only. A control, a pure function from ``lstm_course``, a drawing function
from ``lstm_course.plots``; nothing is computed or drawn here that a static cell could not
compute or draw too.

Every playground is a ``Playground`` (see ``playground.py``) built by a function registered
with ``@register``; ``all_playgrounds()`` lists them all, for the tests and the latency benchmark.
"""

from lstm_course.widgets.playground import (
    LiveFigure,
    Playground,
    all_playgrounds,
    register,
    slider,
)

__all__ = ["LiveFigure", "Playground", "all_playgrounds", "register", "slider"]
