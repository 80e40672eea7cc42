"""lstm_course.data: the article's sin/cos series and the layouts that cut it into sequences."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_course.data import (
    LAYOUTS,
    Layout,
    from_sequences,
    layout_named,
    sin_cos_data,
    to_sequences,
)

# --- the data ------------------------------------------------------------------------------


def test_the_article_data_200_points_over_12_pi_float32_first_half_trains():
    data = sin_cos_data()
    assert data.t.shape == data.x.shape == data.y.shape == (200,)
    assert data.x.dtype == data.y.dtype == np.float32
    assert data.t[0] == 0.0 and data.t[-1] == pytest.approx(12 * np.pi)
    np.testing.assert_allclose(data.x, np.sin(data.t), atol=1e-7)
    np.testing.assert_allclose(data.y, np.cos(data.t), atol=1e-7)
    assert data.split == 100
    assert data.train[1].shape == data.test[1].shape == (100,)
    np.testing.assert_array_equal(np.concatenate([data.train[2], data.test[2]]), data.y)


def test_phase_and_frequency_give_another_sinusoid_on_the_same_times():
    data = sin_cos_data(phase=np.pi / 2, frequency=2.0)
    np.testing.assert_array_equal(data.t, sin_cos_data().t)
    np.testing.assert_allclose(data.x, np.sin(2 * data.t + np.pi / 2), atol=1e-6)
    np.testing.assert_allclose(data.y, np.cos(2 * data.t + np.pi / 2), atol=1e-6)


def test_default_phase_and_frequency_change_nothing():
    default, explicit = sin_cos_data(), sin_cos_data(phase=0.0, frequency=1.0)
    np.testing.assert_array_equal(default.x, explicit.x)
    np.testing.assert_array_equal(default.y, explicit.y)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_points": 1}, "n_points"),
        ({"train_ratio": 1.0}, "train_ratio"),
        ({"frequency": 0.0}, "frequency"),
        ({"phase": np.inf}, "phase"),
    ],
)
def test_bad_data_arguments_raise_naming_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sin_cos_data(**kwargs)


# --- layouts -------------------------------------------------------------------------------


def test_article_layout_is_exactly_the_articles_reshape():
    x = sin_cos_data().train[1]
    np.testing.assert_array_equal(to_sequences(x, "article"), x.reshape(-1, 5, 1))


def test_article_layout_sequences_visit_every_fifth_point_from_a_zero_state():
    index = LAYOUTS["article"].indices(100)
    assert index.shape == (20, 5)  # (seq_len, batch): 20 steps, 5 sequences
    np.testing.assert_array_equal(index[:, 1], np.arange(1, 100, 5))
    np.testing.assert_array_equal(index[0], [0, 1, 2, 3, 4])  # the 5 zero-state starts


def test_chunks_layout_gives_five_blocks_of_consecutive_points():
    index = LAYOUTS["chunks"].indices(100)
    assert index.shape == (20, 5)
    for b in range(5):
        np.testing.assert_array_equal(index[:, b], np.arange(20 * b, 20 * (b + 1)))


def test_sequence_and_one_step_layouts():
    assert LAYOUTS["sequence"].indices(100).shape == (100, 1)
    np.testing.assert_array_equal(LAYOUTS["sequence"].indices(100)[:, 0], np.arange(100))
    assert LAYOUTS["one_step"].indices(100).shape == (1, 100)
    assert to_sequences(np.zeros(100), "one_step").shape == (1, 100, 1)


def test_from_sequences_for_the_article_layout_is_view_minus_one():
    outputs = np.arange(100, dtype=np.float32).reshape(20, 5, 1) * 0.5
    np.testing.assert_array_equal(from_sequences(outputs, "article"), outputs.reshape(-1))


@given(
    name=st.sampled_from(sorted(LAYOUTS)),
    length=st.integers(1, 8),
    seed=st.integers(0, 2**16),
)
def test_from_sequences_undoes_to_sequences(name, length, seed):
    values = np.random.default_rng(seed).normal(size=5 * length).astype(np.float32)
    sequences = to_sequences(values, name)
    assert sequences.shape[2] == 1 and sequences.dtype == np.float32
    np.testing.assert_array_equal(from_sequences(sequences, name), values)


@given(
    arrangement=st.sampled_from(["strided", "contiguous"]),
    n_sequences=st.sampled_from([1, 2, 4, 5, 10, 20, 25, 50, 100]),
)
def test_every_point_lands_in_exactly_one_sequence(arrangement, n_sequences):
    index = Layout(arrangement, n_sequences).indices(100)
    assert index.shape == (100 // n_sequences, n_sequences)
    np.testing.assert_array_equal(np.sort(index.ravel()), np.arange(100))


def test_describe_states_shape_and_step():
    assert (
        LAYOUTS["article"].describe(100) == "(seq_len, batch, feature) = (20, 5, 1), index step 5"
    )
    assert "index step 1" in LAYOUTS["chunks"].describe(100)


def test_layout_errors_name_what_is_wrong():
    with pytest.raises(ValueError, match="cannot be cut into 5 sequences"):
        LAYOUTS["article"].indices(99)
    with pytest.raises(ValueError, match="layout must be one of"):
        layout_named("batch_first")
    with pytest.raises(ValueError, match="arrangement"):
        Layout("diagonal", 5)
    with pytest.raises(ValueError, match="n_sequences"):
        Layout("strided", 0)
    with pytest.raises(ValueError, match=r"values has shape \(10, 10\)"):
        to_sequences(np.zeros((10, 10)), "article")
    with pytest.raises(ValueError, match=r"outputs has shape \(20, 5\)"):
        from_sequences(np.zeros((20, 5)), "article")
    with pytest.raises(ValueError, match=r"expected \(20, 5, 1\)"):
        from_sequences(np.zeros((5, 20, 1)), "article")
