"""Notebook 11's playground and pictures: it moves, and what it draws is notebook 04's curve."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course.gradients import lstm_gradient_norms, rnn_gradient_norms
from lstm_course.plots.bptt import (
    CURVES,
    LSTM_C,
    LSTM_H,
    RNN_H,
    plot_gradient_reach,
    plot_loss_curves,
)
from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.bptt import carousel_playground, guides, lstm_reach, rnn_reach


@pytest.fixture(scope="module")
def playground():
    return carousel_playground()


def test_registered():
    assert "lstm_course.widgets.bptt.carousel_playground" in all_playgrounds()


def test_numpy_curves_equal_notebook_04s_autograd_curves():
    np.testing.assert_allclose(rnn_reach(0.8, steps=12), rnn_gradient_norms(0.8, 12), rtol=1e-9)
    lstm_h, _ = lstm_reach(3.0, steps=12)
    np.testing.assert_allclose(lstm_h, lstm_gradient_norms(3.0, 12), rtol=1e-9)


def test_moving_each_slider_redraws(playground):
    for name, value in [("forget_bias", 0.0), ("radius", 1.3)]:
        before_text, before_image = playground.readout.value, playground.live.image.value
        playground.controls[name].value = value
        assert playground.readout.value != before_text
        assert playground.live.image.value != before_image
    assert "ρ(W_hh) = 1.30" in playground.readout.value and "b_f = 0.0" in playground.readout.value


def test_the_drawn_lines_are_the_computed_norms(playground):
    playground.controls["forget_bias"].value = 2.0
    playground.controls["radius"].value = 0.7
    lines = {line.get_label(): line for line in playground.figure.axes[0].get_lines()}
    lstm_h, lstm_C = lstm_reach(2.0)
    np.testing.assert_allclose(lines[LSTM_H].get_ydata(), np.clip(lstm_h, 1e-12, None))
    np.testing.assert_allclose(lines[LSTM_C].get_ydata(), np.clip(lstm_C, 1e-12, None))
    np.testing.assert_allclose(lines[RNN_H].get_ydata(), np.clip(rnn_reach(0.7), 1e-12, None))


def test_a_closed_forget_gate_cuts_the_carousel():
    _, open_gate = lstm_reach(4.0)
    _, closed_gate = lstm_reach(-2.0)
    assert open_gate[-1] > 1e-3 > 1e-12 > closed_gate[-1]


def test_plots_refuse_missing_curves_and_draw_loss_curves():
    ax = Figure().subplots()
    with pytest.raises(ValueError, match="norms has no curve"):
        plot_gradient_reach(ax, {RNN_H: np.ones(3)}, guides(0.9, 3.0, 3))
    ax = Figure().subplots()
    plot = plot_gradient_reach(ax, dict.fromkeys(CURVES, np.ones(3)), guides(0.9, 3.0, 3))
    assert set(plot.lines) == set(CURVES)
    ax = Figure().subplots()
    plot_loss_curves(ax, {"numpy": [1.0, 0.1], "PyTorch": [1.0, 0.1, 0.01]}, target=1e-3)
    assert [line.get_label() for line in ax.get_lines()][:2] == ["numpy", "PyTorch"]
    assert ax.get_yscale() == "log"


def test_the_playground_opens_on_the_rnn_of_section_2():
    fresh = carousel_playground()
    assert "ρ(W_hh) = 0.80" in fresh.readout.value
    assert f"= {rnn_reach(0.8)[-1]:.1e}" in fresh.readout.value
