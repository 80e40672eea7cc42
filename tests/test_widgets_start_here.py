"""The first slider: moving z moves the readout and the picture."""

import pytest

from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.start_here import sigmoid_slider


def test_moving_z_updates_readout_and_image():
    playground = sigmoid_slider()
    assert "σ(z) = <b>0.500</b>" in playground.readout.value
    before = playground.live.image.value
    playground.controls["z"].value = 2.0
    assert "σ(z) = <b>0.881</b>" in playground.readout.value
    assert playground.live.image.value != before
    assert bytes(playground.live.image.value).startswith(b"\x89PNG")


def test_figure_is_built_once_and_reused():
    playground = sigmoid_slider()
    figure, line = playground.figure, playground.figure.axes[0].lines[1]
    playground.controls["z"].value = -3.0
    assert playground.figure is figure and playground.figure.axes[0].lines[1] is line
    assert line.get_ydata()[0] == pytest.approx(0.047425873)


def test_registered():
    assert "lstm_course.widgets.start_here.sigmoid_slider" in all_playgrounds()
