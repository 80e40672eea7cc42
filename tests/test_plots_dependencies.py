"""Accuracy-vs-gap, loss histories and gradient-norm plots."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course.plots.dependencies import (
    NORM_FLOOR,
    plot_accuracy_vs_gap,
    plot_gradient_norms,
    plot_loss_histories,
    power_of_ten,
)


def test_accuracy_plot_draws_one_line_a_model_and_the_chance_level():
    ax = Figure().add_subplot()
    accuracies = {"RNN": [1.0, 0.5, 0.25], "LSTM": [1.0, 1.0, 0.97]}
    plot_accuracy_vs_gap(ax, [2, 10, 30], accuracies, chance=0.25)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["RNN"].get_ydata(), [1.0, 0.5, 0.25])
    np.testing.assert_array_equal(lines["LSTM"].get_xdata(), [2, 10, 30])
    chance_lines = [line for line in ax.get_lines() if list(line.get_ydata()) == [0.25, 0.25]]
    assert len(chance_lines) == 1
    assert lines["RNN"].get_color() != lines["LSTM"].get_color()


def test_accuracy_plot_rejects_a_length_mismatch():
    with pytest.raises(ValueError, match=r"accuracies\['RNN'\] has shape \(2,\); expected \(3,\)"):
        plot_accuracy_vs_gap(Figure().add_subplot(), [2, 10, 30], {"RNN": [1.0, 0.5]}, 0.25)


def test_loss_histories():
    ax = Figure().add_subplot()
    plot_loss_histories(ax, {"RNN": [1.4, 1.39], "LSTM": [1.4, 0.2]}, chance_loss=np.log(4))
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["LSTM"].get_ydata(), [1.4, 0.2])
    np.testing.assert_array_equal(lines["LSTM"].get_xdata(), [1, 2])
    assert any(np.allclose(line.get_ydata(), np.log(4)) for line in ax.get_lines())


def test_gradient_plot_is_log_scaled_and_updates_in_place():
    ax = Figure().add_subplot()
    plot = plot_gradient_norms(
        ax,
        {"RNN": 0.5 ** np.arange(1, 6), "LSTM": np.full(5, 0.3)},
        guides={"RNN": 0.5 ** np.arange(1, 6)},
        guide_labels={"RNN": "rho^T"},
    )
    assert ax.get_yscale() == "log"
    assert set(plot.lines) == {"RNN", "LSTM"} and set(plot.guides) == {"RNN"}
    assert plot.guides["RNN"].get_label() == "rho^T"
    n_lines = len(ax.get_lines())
    plot.update("RNN", np.array([1.0, 2.0, 0.0, 4.0, 5.0]), guide=np.ones(5))
    assert len(ax.get_lines()) == n_lines
    np.testing.assert_array_equal(plot.lines["RNN"].get_ydata(), [1.0, 2.0, NORM_FLOOR, 4.0, 5.0])
    np.testing.assert_array_equal(plot.guides["RNN"].get_ydata(), np.ones(5))
    np.testing.assert_array_equal(plot.lines["LSTM"].get_ydata(), np.full(5, 0.3))


def test_gradient_plot_update_errors():
    plot = plot_gradient_norms(Figure().add_subplot(), {"RNN": np.ones(4)})
    with pytest.raises(ValueError, match="no curve named 'GRU'"):
        plot.update("GRU", np.ones(4))
    with pytest.raises(ValueError, match=r"norms has shape \(3,\); expected \(4,\)"):
        plot.update("RNN", np.ones(3))


def test_log_ticks_are_plain_unicode_powers_of_ten():
    assert [power_of_ten(v) for v in (1e-12, 1e-2, 1.0, 100.0)] == ["10⁻¹²", "10⁻²", "10⁰", "10²"]
    assert power_of_ten(3e-3) == "" and power_of_ten(0.0) == ""
