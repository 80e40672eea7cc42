"""The Playground pattern every widget follows: controls -> update -> artists -> PNG."""

import io

import ipywidgets as widgets
import numpy as np
import PIL.Image
import pytest
from matplotlib.figure import Figure

from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.playground import LiveFigure, Playground, slider


def make_playground():
    figure = Figure(figsize=(2, 2))
    ax = figure.add_subplot()
    (line,) = ax.plot([0, 1], [0, 0])
    calls = []

    def update(values):
        calls.append(values)
        line.set_ydata([0, values["a"]])
        return f"a = {values['a']:.2f}"

    controls = {"a": slider("a", 0.0, -1.0, 1.0)}
    return Playground(controls, update, figure, title="demo"), line, calls


def test_moving_a_control_calls_update_with_all_values_and_rerenders():
    playground, line, calls = make_playground()
    assert calls == [{"a": 0.0}] and playground.readout.value == "a = 0.00"
    before = bytes(playground.live.image.value)
    playground.controls["a"].value = 0.5
    assert calls[-1] == {"a": 0.5} and playground.readout.value == "a = 0.50"
    assert list(line.get_ydata()) == [0, 0.5]
    assert bytes(playground.live.image.value) != before


def test_view_holds_title_controls_readout_and_image():
    playground, _, _ = make_playground()
    children = playground.view.children
    assert isinstance(children[0], widgets.HTML) and "demo" in children[0].value
    assert playground.controls["a"] in children[1].children
    assert children[2] is playground.readout and children[3] is playground.live.image
    bundle = playground._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_without_figure_only_the_readout_changes():
    playground = Playground({"n": widgets.IntSlider(1)}, lambda v: f"n={v['n']}")
    playground.controls["n"].value = 3
    assert playground.readout.value == "n=3" and playground.figure is None


def test_live_figure_renders_on_refresh_with_its_own_agg_canvas():
    figure = Figure(figsize=(1, 1))
    live = LiveFigure(figure, dpi=50)
    assert bytes(live.image.value) == b""  # nothing rendered twice: the first refresh draws
    live.refresh()
    assert bytes(live.image.value).startswith(b"\x89PNG") and live.png()[:4] == b"\x89PNG"
    assert type(figure.canvas).__name__ == "FigureCanvasAgg"


def test_beside_puts_a_widget_next_to_its_control_and_must_name_one():
    button = widgets.Button(description="+")
    playground = Playground({"n": widgets.IntSlider(1)}, lambda v: "", beside={"n": button})
    (row,) = playground.view.children[0].children
    assert row.children == (playground.controls["n"], button)
    with pytest.raises(ValueError, match="beside names no control"):
        Playground({"n": widgets.IntSlider(1)}, lambda v: "", beside={"m": button})


@pytest.mark.parametrize(
    ("step", "fmt"), [(0.1, ".1f"), (0.05, ".2f"), (0.01, ".2f"), (0.001, ".3f"), (1.0, ".0f")]
)
def test_slider_readout_matches_its_step_and_updates_continuously(step, fmt):
    s = slider("x", 0.0, -1.0, 1.0, step)
    assert s.readout_format == fmt and s.continuous_update and s.step == step


def test_every_registered_builder_makes_a_playground_with_controls():
    builders = all_playgrounds()
    assert len(builders) >= 14  # one or more for every notebook but 10's trainer
    for name, build in builders.items():
        playground = build()
        assert isinstance(playground, Playground), name
        assert playground.controls, name


def test_animated_artists_are_drawn_over_a_background_drawn_once():
    figure = Figure(figsize=(3, 2))
    ax = figure.add_subplot(xlim=(0, 1), ylim=(0, 1))
    ax.set_title("static title")
    (moving,) = ax.plot([0.2], [0.5], "o")
    draws = []
    title_draw = ax.title.draw
    ax.title.draw = lambda renderer: (draws.append(1), title_draw(renderer))

    def update(values):
        moving.set_xdata([values["x"]])
        return ""

    playground = Playground({"x": slider("x", 0.2, 0.0, 1.0)}, update, figure, animated=[moving])
    for x in (0.4, 0.6, 0.8):
        playground.controls["x"].value = x
    assert len(draws) == 1  # the title (like every static artist) was drawn once
    blitted = bytes(playground.live.image.value)

    moving.set_animated(False)  # the same state, drawn in full
    full = LiveFigure(figure)
    full.refresh()
    a = np.asarray(PIL.Image.open(io.BytesIO(blitted)))
    b = np.asarray(PIL.Image.open(io.BytesIO(bytes(full.image.value))))
    assert a.shape == b.shape and np.array_equal(a, b)
