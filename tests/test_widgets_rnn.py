"""The RNN time-stepper: moving t, pressing the buttons and switching the input change the view."""

import numpy as np
import pytest
from matplotlib.colors import to_hex

from lstm_course.plots.rnn_diagram import HIGHLIGHT_COLOUR
from lstm_course.rnn import rnn_unroll
from lstm_course.widgets.playground import _REGISTRY
from lstm_course.widgets.rnn import (
    STEPS,
    rnn_stepper_playground,
    step_readout,
    stepper_inputs,
    stepper_params,
)


@pytest.fixture(scope="module")
def playground():
    return rnn_stepper_playground()


def _highlighted(playground):
    diagram_ax = playground.figure.axes[0]
    boxes = [p for p in diagram_ax.patches if to_hex(p.get_facecolor()) == to_hex(HIGHLIGHT_COLOUR)]
    return len(boxes)


def test_it_is_registered():
    assert (
        "lstm_course.widgets.rnn.rnn_stepper_playground" in _REGISTRY
    )  # what all_playgrounds() lists


def test_moving_t_changes_readout_image_and_highlight(playground):
    playground.controls["t"].value = 1
    readout, image = playground.readout.value, playground.live.image.value
    playground.controls["t"].value = 4
    assert playground.readout.value != readout
    assert "step t = 4" in playground.readout.value
    assert playground.live.image.value != image
    assert _highlighted(playground) == 2  # the unrolled box of step 4 and the loop box
    trace_ax = playground.figure.axes[1]
    assert len(trace_ax.get_lines()[0].get_xdata()) == 4


def test_buttons_step_forward_and_back_within_the_sequence(playground):
    beside_slider = playground.view.children[1].children[0]  # title, then the controls
    assert beside_slider.children == (playground.controls["t"], playground.beside["t"])
    back, forward = playground.beside["t"].children
    playground.controls["t"].value = STEPS - 1
    forward.click()
    assert playground.controls["t"].value == STEPS
    forward.click()
    assert playground.controls["t"].value == STEPS  # stays at the last step
    playground.controls["t"].value = 2
    back.click()
    back.click()
    assert playground.controls["t"].value == 1


def test_switching_the_input_recomputes_h(playground):
    playground.controls["t"].value = 3
    playground.controls["input"].value = "sine"
    sine = playground.readout.value
    playground.controls["input"].value = "pulse"
    assert playground.readout.value != sine
    hs = rnn_unroll(stepper_inputs("pulse"), stepper_params())
    assert f"{hs[2][0]:+.3f}" in playground.readout.value
    np.testing.assert_allclose(playground.figure.axes[1].get_lines()[0].get_ydata(), hs[:3, 0])


def test_readout_spells_out_the_step():
    xs = stepper_inputs("constant")
    hs = rnn_unroll(xs, stepper_params())
    text = step_readout(1, xs, hs)
    assert "h<sub>0</sub> = [+0.000, +0.000, +0.000]" in text
    assert f"{hs[0][1]:+.3f}" in text


def test_the_pulse_fades():
    norms = np.linalg.norm(rnn_unroll(stepper_inputs("pulse"), stepper_params()), axis=1)
    assert np.all(np.diff(norms) < 0)


def test_unknown_input_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        stepper_inputs("noise")
