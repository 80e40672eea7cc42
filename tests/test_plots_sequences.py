"""Notebook 02's pictures: word order, same-sin times, the stalled training."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course.plots.sequences import (
    draw_same_sin,
    draw_word_order,
    plot_feedforward_fit,
    plot_loss_history,
)
from lstm_course.sequences import (
    EVEREST_TOKENS,
    bag_of_words,
    embed,
    fading_memory,
    same_sin_times,
    shuffled,
    word_vectors,
)


def _sentence_and_shuffle(seed=0):
    rng = np.random.default_rng(seed)
    vectors = word_vectors(EVEREST_TOKENS, 4, rng)
    return vectors, embed(EVEREST_TOKENS, vectors), embed(shuffled(EVEREST_TOKENS, rng), vectors)


def _heights(bars):
    return np.array([bar.get_height() for bar in bars])


def test_word_order_bars_coincide_for_the_bag_not_for_the_memory():
    fig = Figure()
    ax_bag, ax_memory = fig.subplots(1, 2)
    _, xs, xs_shuffled = _sentence_and_shuffle()
    picture = draw_word_order(ax_bag, ax_memory, xs, xs_shuffled, 0.5)
    np.testing.assert_allclose(_heights(picture.bag_bars), bag_of_words(xs))
    np.testing.assert_allclose(_heights(picture.memory_bars), fading_memory(xs_shuffled, 0.5)[-1])
    assert not np.allclose(_heights(picture.memory_bars), _heights(picture.sentence_memory_bars))
    picture.update(xs, 0.2)  # the sentence itself: memory bars meet
    np.testing.assert_allclose(
        _heights(picture.memory_bars), _heights(picture.sentence_memory_bars)
    )
    assert "0.20" in picture.memory_title.get_text()


def test_same_sin_marks_every_time_and_moves_with_t():
    ax = Figure().subplots()
    picture = draw_same_sin(ax, 2.5)
    times = same_sin_times(2.5)
    np.testing.assert_allclose(picture.sin_marks.get_xdata(), times)
    assert len(picture.cos_up.get_xdata()) + len(picture.cos_down.get_xdata()) == times.size
    assert np.all(np.asarray(picture.cos_up.get_ydata()) >= 0)
    assert np.all(np.asarray(picture.cos_down.get_ydata()) < 0)
    assert "sin t = 0.598 at 12 times" in picture.caption.get_text()
    returned = picture.update(1.0)
    np.testing.assert_allclose(picture.sin_marks.get_xdata(), returned)
    assert picture.level.get_ydata()[0] == pytest.approx(np.sin(1.0))
    assert "0.841" in picture.caption.get_text()


def test_loss_history_and_fit_plots():
    ax = plot_loss_history(Figure().subplots(), [0.6, 0.51, 0.5], [0.61, 0.5, 0.5], 0.5)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["train MSE", "test MSE"] and "floor" in labels[2]
    ax = plot_loss_history(Figure().subplots(), [0.6, 0.5], [0.6, 0.5], 0.5, [0.4, 0.01], "cos 2t")
    assert ax.get_lines()[-1].get_label() == "cos 2t" and ax.get_xscale() == "log"
    t = np.linspace(0, 6, 50)
    ax = plot_feedforward_fit(Figure().subplots(), t, np.cos(t), np.zeros(50))
    np.testing.assert_array_equal(ax.get_lines()[2].get_ydata(), np.zeros(50))
    with pytest.raises(ValueError, match=r"prediction has shape \(3,\); expected \(50,\)"):
        plot_feedforward_fit(Figure().subplots(), t, np.cos(t), np.zeros(3))
    with pytest.raises(ValueError, match=r"test_loss has shape \(2,\); expected \(3,\)"):
        plot_loss_history(Figure().subplots(), [1, 2, 3], [1, 2], 0.5)
