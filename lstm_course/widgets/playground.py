"""The one pattern every widget of the course follows: controls -> pure function -> drawing.

A ``Playground`` owns its controls, one matplotlib Figure built once, and a readout. When a
control moves it calls its ``update(values)`` function, which recomputes with the package's
pure functions and updates the figure's artists in place (``line.set_ydata``,
``text.set_text``) and returns the readout's HTML; the figure is then re-rendered into an
``ipywidgets.Image``. No figure is re-created on a slider move and nothing here depends on
pyplot, so it behaves the same under JupyterLab, nbval and a plain Python test.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from typing import Any

import ipywidgets as widgets
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lstm_course.i18n import _

PNG_DPI = 80
PNG_COMPRESS_LEVEL = 1  # fast zlib: a widget's PNG is sent once and thrown away


def choices(options) -> list[tuple[str, str]]:
    """Options for a ToggleButtons or Dropdown: each shown in the package's language, its value
    the English name the code compares (``controls["mode"].value == "f_t by hand"``)."""
    return [(_(option), option) for option in options]


def slider(
    description: str, value: float, low: float, high: float, step: float = 0.01
) -> widgets.FloatSlider:
    """A float slider that redraws while it moves, its readout to the step's precision.

    ``continuous_update`` stays on: every playground redraws well inside the 50 ms a move may
    take (``make slider-latency``). Only genuinely slow work (training) waits for release.
    """
    digits = max(0, math.ceil(-math.log10(step) - 1e-9))
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=f".{digits}f",
    )


class LiveFigure:
    """A matplotlib Figure shown as an ``ipywidgets.Image``, re-rendered on ``refresh()``.

    The figure gets its own Agg canvas at the PNG's dpi, so every render reuses one renderer
    and its caches (text metrics, parsed mathtext); ``savefig`` would build a fresh canvas
    and draw twice. The image is empty until the first ``refresh()``.

    ``animated``: the artists a widget changes, for a figure whose axes limits never change.
    Everything else (ticks, labels, titles, legends: text, the slow part of a frame) is drawn
    once into a background; each refresh restores it and draws only these artists on top.
    """

    def __init__(self, figure: Figure, dpi: int = PNG_DPI, animated: Sequence[Artist] = ()) -> None:
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        figure.set_dpi(dpi)
        self.figure = figure
        self.animated = sorted(animated, key=lambda artist: artist.get_zorder())
        self._background = None
        self.image = widgets.Image(format="png")

    def _draw(self) -> None:
        canvas = self.figure.canvas
        if self._background is not None:
            canvas.restore_region(self._background)
        else:
            for artist in self.animated:
                artist.set_animated(True)  # left out of the full draw: the background
            canvas.draw()
            if self.figure.get_layout_engine() is not None:
                # Solved once; later draws keep these positions instead of solving it again.
                self.figure.set_layout_engine("none")
            if self.animated:
                self._background = canvas.copy_from_bbox(self.figure.bbox)
        for artist in self.animated:
            if artist.get_visible() and (artist.axes is None or artist.axes.get_visible()):
                self.figure.draw_artist(artist)

    def png(self) -> bytes:
        """The figure as it stands, as PNG bytes: one Agg draw, then a fast PNG encoding."""
        self._draw()
        canvas = self.figure.canvas
        width, height = canvas.get_width_height(physical=True)
        image = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba())
        buffer = BytesIO()
        image.save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
        return buffer.getvalue()

    def refresh(self) -> None:
        """Show the figure's current artists."""
        self.image.value = self.png()


class Playground:
    """Controls wired to ``update(values) -> readout HTML`` and a figure that it redraws.

    ``controls``: name -> ipywidgets control (sliders, toggles...); their values reach
    ``update`` as a dict under the same names. ``figure``: built once by the caller, whose
    artists ``update`` changes. ``beside``: control name -> a widget shown next to that
    control (buttons that step it, say). ``animated``: the artists ``update`` changes, when
    the figure's axes limits are fixed (see ``LiveFigure``). ``display(playground)`` shows
    controls, readout and figure.
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        update: Callable[[dict[str, Any]], str],
        figure: Figure | None = None,
        title: str = "",
        beside: Mapping[str, widgets.Widget] | None = None,
        animated: Sequence[Artist] = (),
    ) -> None:
        self.controls = dict(controls)
        self.beside = dict(beside or {})
        unknown = set(self.beside) - set(self.controls)
        if unknown:
            raise ValueError(f"beside names no control: {sorted(unknown)}")
        self._update = update
        self.live = LiveFigure(figure, animated=animated) if figure is not None else None
        self.readout = widgets.HTML()
        parts: list[widgets.Widget] = []
        if title:
            parts.append(widgets.HTML(f"<b>{title}</b>"))
        rows = [
            widgets.HBox([control, self.beside[name]]) if name in self.beside else control
            for name, control in self.controls.items()
        ]
        parts.append(widgets.VBox(rows))
        parts.append(self.readout)
        if self.live is not None:
            parts.append(self.live.image)
        self.view = widgets.VBox(parts)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    @property
    def figure(self) -> Figure | None:
        return self.live.figure if self.live is not None else None

    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self) -> None:
        """Recompute, update the artists and the readout, re-render the figure."""
        self.readout.value = self._update(self.values())
        if self.live is not None:
            self.live.refresh()

    def _on_change(self, _change: dict) -> None:
        self.update()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


_REGISTRY: dict[str, Callable[[], Playground]] = {}


def register(builder: Callable[[], Playground]) -> Callable[[], Playground]:
    """Mark a zero-argument playground builder as part of the course (tests, benchmarks)."""
    _REGISTRY[f"{builder.__module__}.{builder.__name__}"] = builder
    return builder


def all_playgrounds() -> dict[str, Callable[[], Playground]]:
    """Every registered builder, after importing every module of ``lstm_course.widgets``."""
    package = importlib.import_module("lstm_course.widgets")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"lstm_course.widgets.{module.name}")
    return dict(sorted(_REGISTRY.items()))
