"""lstm_course.plots.sin_cos: each picture draws what it says, and its update changes it."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course.data import LAYOUTS, sin_cos_data
from lstm_course.plots.sin_cos import draw_layout, draw_loss, draw_predictions, draw_sin_cos


@pytest.fixture
def ax():
    return Figure().subplots()


@pytest.fixture(scope="module")
def data():
    return sin_cos_data()


def test_sin_cos_figure_states_the_exact_values_at_the_markers(ax, data):
    assert draw_sin_cos(ax, data) is ax
    labels = [line.get_label() for line in ax.get_lines()]
    assert "t = 2.5: sin 0.598, cos -0.801" in labels
    assert "t = 6.8: sin 0.494, cos 0.869" in labels
    sin_line = ax.get_lines()[0]
    assert sin_line.get_label() == "sin(t)"
    np.testing.assert_array_equal(sin_line.get_xdata(), data.t[:60])


def test_layout_plot_article_five_interleaved_paths_and_five_starts(ax, data):
    plot = draw_layout(ax, data, "article")
    segments = plot.paths.get_segments()
    assert len(segments) == 5 and all(len(s) == 20 for s in segments)
    np.testing.assert_allclose(segments[1][:, 0], data.t[1:100:5])  # every 5th point
    np.testing.assert_allclose(plot.starts.get_offsets()[:, 0], data.t[:5])
    assert "5 sequence(s) of 20 step(s), Δt = 0.95" in plot.title.get_text()
    lanes = np.rint(plot.points.get_offsets()[:, 1]).astype(int)
    np.testing.assert_array_equal(lanes, np.arange(100) % 5)  # point i in sequence i mod 5


def test_layout_plot_update_redraws_for_another_layout(ax, data):
    plot = draw_layout(ax, data, "article")
    colours_before = plot.points.get_facecolors().copy()
    lanes_before = plot.points.get_offsets().copy()
    plot.update(LAYOUTS["one_step"])
    assert plot.paths.get_segments() == []  # no hidden state flows anywhere
    assert len(plot.starts.get_offsets()) == 100  # every point starts from zero
    plot.update("sequence")
    assert len(plot.paths.get_segments()) == 1 and len(plot.starts.get_offsets()) == 1
    assert not np.array_equal(plot.points.get_facecolors(), colours_before)
    assert not np.array_equal(plot.points.get_offsets(), lanes_before)
    assert plot.ax.get_ylim() == (0.5, -0.5)  # one lane
    plot.update("one_step")
    assert "100 sequence(s) of 1 step(s), no past" in plot.title.get_text()


def test_loss_plot_shows_the_target_and_grows(ax):
    plot = draw_loss(ax, [1.0, 0.5], target_loss=1e-4)
    assert ax.get_yscale() == "log"
    assert ax.get_lines()[0].get_ydata()[0] == pytest.approx(1e-4)
    plot.update([1.0, 0.5, 0.1, 0.01, 1e-3])
    np.testing.assert_array_equal(plot.line.get_xdata(), [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(plot.line.get_ydata(), [1.0, 0.5, 0.1, 0.01, 1e-3])
    assert ax.get_ylim()[0] <= 1e-4 / 2


def test_prediction_plot_is_the_articles_figure(ax, data):
    plot = draw_predictions(ax, data, np.zeros(100), np.zeros(100))
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == [
        "sin_trn",
        "ref_cos_trn",
        "pre_cos_trn",
        "sin_tst",
        "ref_cos_tst",
        "pre_cos_tst",
        "separation line",
    ]
    separator = ax.get_lines()[-1]
    np.testing.assert_allclose(separator.get_xdata(), [data.t[100]] * 2)
    assert [text.get_text() for text in ax.texts] == ["train", "test"]
    assert ax.get_ylim() == (-1.2, 4.0)
    plot.update(np.ones(100), np.full(100, 2.0))
    np.testing.assert_array_equal(plot.train_line.get_ydata(), np.ones(100))
    np.testing.assert_array_equal(plot.test_line.get_ydata(), np.full(100, 2.0))
