"""Notebook 01's pictures draw the package's numbers, and their artists update in place."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course import worked_example as we
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.neuron import dense_layer, neuron
from lstm_course.plots.activations import (
    draw_neuron_curve,
    draw_sigma_function,
    draw_sigmoid_layer,
    plot_activations,
)


def _axes():
    return Figure().subplots()


def test_plot_activations_draws_sigma_tanh_relu():
    ax = plot_activations(_axes())
    lines = {
        line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")
    }
    assert set(lines) == {"σ (sigmoid)", "tanh", "ReLU"}
    for label, function in (("σ (sigmoid)", sigmoid), ("tanh", tanh), ("ReLU", relu)):
        z = lines[label].get_xdata()
        np.testing.assert_allclose(lines[label].get_ydata(), function(z))


def test_neuron_curve_follows_w_b_and_the_activation():
    curve = draw_neuron_curve(_axes(), w=1.0, b=0.0, activation=sigmoid, x=1.0)
    before = curve.curve.get_ydata().copy()
    y = curve.update(-2.0, 1.5, tanh, 0.5)
    assert y == pytest.approx(neuron([0.5], [-2.0], 1.5, tanh))
    np.testing.assert_allclose(curve.curve.get_ydata(), tanh(-2.0 * curve.x_values + 1.5))
    assert not np.allclose(curve.curve.get_ydata(), before)
    assert curve.marker.get_xdata()[0] == 0.5
    assert curve.marker.get_ydata()[0] == pytest.approx(y)
    assert f"{y:.3f}" in curve.label.get_text()


def test_sigmoid_layer_picture_shows_3_outputs_from_6_inputs():
    W = np.random.default_rng(0).normal(size=(3, 6))
    picture = draw_sigmoid_layer(_axes(), W, we.b_f, we.hx)
    assert len(picture.weight_cells) == 18 and len(picture.hx_cells) == 6
    assert len(picture.out_cells) == 3
    expected = dense_layer(we.hx, W, we.b_f)
    shown = [float(text.get_text()) for _, text in picture.out_cells]
    np.testing.assert_allclose(shown, expected, atol=0.005)
    # update in place: W = 0 gives the article's f_t
    colour = picture.weight_cells[0][0].get_facecolor()
    out = picture.update(np.zeros((3, 6)), we.b_f, we.hx)
    np.testing.assert_allclose(out, we.f_t)
    assert [text.get_text() for _, text in picture.out_cells] == ["0.50", "0.10", "0.80"]
    assert picture.weight_cells[0][0].get_facecolor() != colour
    assert all(text.get_text() == "0.00" for _, text in picture.weight_cells)  # no "-0.00"


def test_sigma_function_picture_keeps_all_six_values():
    ax = draw_sigma_function(_axes(), we.hx)
    texts = [t.get_text() for t in ax.texts]
    for value in sigmoid(we.hx):
        assert f"{value:.2f}" in texts
    assert "6 in, 6 out" in ax.get_title()


def test_wrong_shapes_name_the_symbol():
    with pytest.raises(ValueError, match=r"W has shape \(3, 3\); expected \(3, 6\)"):
        draw_sigmoid_layer(_axes(), np.zeros((3, 3)), we.b_f, we.hx)
    with pytest.raises(ValueError, match=r"w has shape \(2,\); expected \(\)"):
        draw_neuron_curve(_axes(), w=np.zeros(2), b=0.0)
