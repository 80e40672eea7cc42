"""The gradient-norm sliders: ρ moves the RNN curve, b_f moves the LSTM curve."""

import numpy as np
import pytest

from lstm_course.activations import sigmoid
from lstm_course.gradients import lstm_gradient_norms, rnn_gradient_norms
from lstm_course.widgets.dependencies import (
    STEPS,
    gradient_norm_playground,
    lstm_guide,
    rnn_guide,
)
from lstm_course.widgets.playground import _REGISTRY


@pytest.fixture(scope="module")
def playground():
    return gradient_norm_playground()


def _curves(playground):
    lines = {line.get_label(): line for line in playground.figure.axes[0].get_lines()}
    return np.array(lines["RNN"].get_ydata()), np.array(lines["LSTM"].get_ydata())


def test_it_is_registered():
    assert (
        "lstm_course.widgets.dependencies.gradient_norm_playground" in _REGISTRY
    )  # what all_playgrounds() lists


def test_radius_moves_the_rnn_curve_only(playground):
    rnn_before, lstm_before = _curves(playground)
    readout, image = playground.readout.value, playground.live.image.value
    playground.controls["radius"].value = 1.3
    rnn_after, lstm_after = _curves(playground)
    np.testing.assert_allclose(rnn_after, np.clip(rnn_gradient_norms(1.3, STEPS), 1e-12, None))
    assert rnn_after[-1] > 100 * rnn_before[-1]
    np.testing.assert_array_equal(lstm_after, lstm_before)
    assert "ρ(W_hh) = 1.30" in playground.readout.value
    assert playground.readout.value != readout
    assert playground.live.image.value != image


def test_forget_bias_moves_the_lstm_curve(playground):
    playground.controls["forget_bias"].value = 0.0
    _, closed = _curves(playground)
    playground.controls["forget_bias"].value = 4.0
    rnn, opened = _curves(playground)
    assert opened[-1] > 1e3 * closed[-1]
    np.testing.assert_allclose(opened, np.clip(lstm_gradient_norms(4.0, STEPS), 1e-12, None))
    assert f"{float(sigmoid(4.0)):.3f}" in playground.readout.value


def test_the_lstm_curve_is_autograd_s_at_every_slider_position(playground):
    """The playground draws the LSTM's norms by numpy's BPTT (cheaper): autograd's, to rounding."""
    slider = playground.controls["forget_bias"]
    for forget_bias in np.arange(slider.min, slider.max + slider.step / 2, slider.step):
        slider.value = float(forget_bias)
        _, lstm = _curves(playground)
        expected = np.clip(lstm_gradient_norms(float(forget_bias), STEPS), 1e-12, None)
        np.testing.assert_allclose(lstm, expected, rtol=1e-10)


def test_guides():
    np.testing.assert_allclose(rnn_guide(0.5, 3), [0.5, 0.25, 0.125])
    np.testing.assert_allclose(lstm_guide(0.0, 2.0, 3), [2.0, 1.0, 0.5])
