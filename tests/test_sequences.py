"""Word order against a bag of words, and the exact times that share a sine."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course.data import sin_cos_data
from lstm_course.sequences import (
    EVEREST_GLOSS,
    EVEREST_SENTENCE,
    EVEREST_TOKENS,
    bag_of_words,
    embed,
    fading_memory,
    mean_squared_error,
    same_sin_times,
    shuffled,
    sin_only_mse_floor,
    word_vectors,
)

TWELVE_PI = 12 * np.pi


def test_the_articles_tokens_spell_its_sentence():
    assert "".join(EVEREST_TOKENS) == EVEREST_SENTENCE
    assert len(EVEREST_TOKENS) == len(EVEREST_GLOSS) == 6


def test_word_vectors_one_per_distinct_token():
    vectors = word_vectors(["a", "b", "a"], 4, np.random.default_rng(0))
    assert sorted(vectors) == ["a", "b"]
    xs = embed(["a", "b", "a"], vectors)
    assert xs.shape == (3, 4)
    np.testing.assert_array_equal(xs[0], xs[2])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_bag_is_the_same_for_every_order_and_the_memory_is_not(seed):
    rng = np.random.default_rng(seed)
    vectors = word_vectors(EVEREST_TOKENS, 4, rng)
    order = shuffled(EVEREST_TOKENS, rng)
    assert order != EVEREST_TOKENS and sorted(order) == sorted(EVEREST_TOKENS)
    xs, xs_shuffled = embed(EVEREST_TOKENS, vectors), embed(order, vectors)
    np.testing.assert_allclose(bag_of_words(xs), bag_of_words(xs_shuffled), atol=1e-12)
    assert not np.allclose(fading_memory(xs, 0.5)[-1], fading_memory(xs_shuffled, 0.5)[-1])


def test_fading_memory_hand_cases():
    xs = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    hs = fading_memory(xs, 0.5)
    np.testing.assert_allclose(hs, [[1.0, 0.0], [0.5, 1.0], [2.25, 2.5]])
    # closed form h_T = Σ λ^{T-t} x_t
    np.testing.assert_allclose(hs[-1], 0.25 * xs[0] + 0.5 * xs[1] + xs[2])
    # λ = 0 keeps only the last word; λ = 1 forgets nothing and is the bag of words again
    np.testing.assert_array_equal(fading_memory(xs, 0.0)[-1], xs[-1])
    np.testing.assert_allclose(fading_memory(xs, 1.0)[-1], bag_of_words(xs))
    np.testing.assert_allclose(fading_memory(xs[::-1], 1.0)[-1], fading_memory(xs, 1.0)[-1])


def test_same_sin_times_of_the_articles_t():
    times = same_sin_times(2.5, 0.0, 2 * np.pi)
    np.testing.assert_allclose(times, [np.pi - 2.5, 2.5])
    times = same_sin_times(2.5)  # default range [0, 12π]
    assert times.size == 12
    np.testing.assert_allclose(np.sin(times), np.sin(2.5), atol=1e-12)
    np.testing.assert_allclose(np.unique(np.round(np.cos(times), 6)), [-0.801144, 0.801144])
    assert np.isclose(times, 3 * np.pi - 2.5).any()  # 6.925: the partner the article meant by 6.8


def test_same_sin_times_at_a_peak_has_no_duplicates():
    times = same_sin_times(np.pi / 2)
    np.testing.assert_allclose(times, np.pi / 2 + 2 * np.pi * np.arange(6))


@settings(max_examples=100, deadline=None)
@given(t=st.floats(-50.0, 50.0), t_min=st.floats(-20.0, 20.0), width=st.floats(0.0, 40.0))
def test_same_sin_times_are_exact_complete_and_in_range(t, t_min, width):
    t_max = t_min + width
    times = same_sin_times(t, t_min, t_max)
    assert np.all((times >= t_min) & (times <= t_max))
    np.testing.assert_allclose(np.sin(times), np.sin(t), atol=1e-9)
    assert np.all(np.diff(times) > 0)
    # complete: a fine grid finds no sign change of sin(t') − sin(t) away from the returned times
    grid = np.linspace(t_min, t_max, 4001)
    gap = np.sin(grid) - np.sin(t)
    crossings = grid[:-1][np.sign(gap[:-1]) * np.sign(gap[1:]) < 0]
    for crossing in crossings:
        assert np.min(np.abs(times - crossing)) <= (t_max - t_min) / 4000 + 1e-9


def test_the_sin_only_floor_is_one_half_on_the_articles_data():
    _, _, y = sin_cos_data().test
    assert sin_only_mse_floor(y) == pytest.approx(0.5, abs=0.01)
    assert mean_squared_error(np.zeros_like(y), y) == pytest.approx(sin_only_mse_floor(y))


def test_errors_name_the_symbol():
    with pytest.raises(ValueError, match=r"xs has shape \(6,\); expected a matrix"):
        bag_of_words(np.zeros(6))
    with pytest.raises(ValueError, match=r"decay \(λ\) must be in \[0, 1\]"):
        fading_memory(np.zeros((2, 3)), 1.5)
    with pytest.raises(ValueError, match=r"t has shape \(2,\); expected \(\)"):
        same_sin_times(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="t_max"):
        same_sin_times(1.0, 5.0, 2.0)
    with pytest.raises(ValueError, match="no vector for the token"):
        embed(["unknown"], {"a": np.zeros(2)})
    with pytest.raises(ValueError, match=r"prediction has shape \(3,\); expected \(4,\)"):
        mean_squared_error(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="non-finite"):
        bag_of_words(np.array([[np.nan, 1.0]]))
