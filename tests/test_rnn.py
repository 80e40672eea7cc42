"""The vanilla RNN cell: hand cases, PyTorch twin per step, errors, properties."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course.rnn import RNNParams, concat_hx, rnn_cell, rnn_unroll

TOL = 1e-10


def test_concat_puts_h_first():
    np.testing.assert_array_equal(concat_hx([1.0, 2.0], [3.0]), [1.0, 2.0, 3.0])


def test_zero_weights_give_zero_state():
    p = RNNParams(np.zeros((2, 5)), np.zeros(2))
    np.testing.assert_array_equal(rnn_cell(np.ones(3), np.ones(2), p), [0.0, 0.0])
    assert (p.hidden_size, p.input_size) == (2, 3)


def test_cell_equals_torch_formula():
    rng = np.random.default_rng(0)
    p = RNNParams.random(3, 4, rng)
    x_t, h_prev = rng.normal(size=3), rng.normal(size=4)
    W = torch.tensor(p.W)
    expected = torch.tanh(
        W @ torch.cat([torch.from_numpy(h_prev), torch.from_numpy(x_t)]) + torch.tensor(p.b)
    )
    np.testing.assert_allclose(rnn_cell(x_t, h_prev, p), expected.numpy(), rtol=0, atol=TOL)


def test_unroll_is_the_cell_in_a_loop_with_shared_weights():
    rng = np.random.default_rng(1)
    p = RNNParams.random(2, 3, rng)
    xs, h = rng.normal(size=(5, 2)), np.zeros(3)
    hs = rnn_unroll(xs, p)
    for t, x_t in enumerate(xs):
        h = rnn_cell(x_t, h, p)
        np.testing.assert_array_equal(hs[t], h)
    assert hs.shape == (5, 3)


def test_params_are_frozen():
    p = RNNParams.random(2, 3, np.random.default_rng(0))
    with pytest.raises(AttributeError):
        p.W = np.zeros((3, 5))
    with pytest.raises(ValueError):
        p.W[0, 0] = 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: RNNParams(np.zeros((3, 3)), np.zeros(3)), r"W has shape \(3, 3\)"),
        (
            lambda p: RNNParams(np.zeros((3, 6)), np.zeros(2)),
            r"^b has shape \(2,\); expected \(3,\) = \(hidden,\)$",
        ),
        (
            lambda p: rnn_cell(np.zeros(3), np.zeros(3), p),
            r"x_t has shape \(3,\); expected \(2,\) = \(input,\)",
        ),
        (
            lambda p: rnn_cell(np.zeros(2), np.zeros(4), p),
            r"h_prev has shape \(4,\); expected \(3,\) = \(hidden,\)",
        ),
        (
            lambda p: rnn_cell(np.zeros((1, 2)), np.zeros(3), p),
            r"x_t has shape \(1, 2\); expected \(2,\)",
        ),
        (lambda p: rnn_cell([np.nan, 0.0], np.zeros(3), p), "x_t contains non-finite"),
        (lambda p: rnn_unroll(np.zeros(4), p), r"xs has shape \(4,\); expected \(T, 2\)"),
        (
            lambda p: rnn_unroll(np.zeros((4, 2)), p, h0=np.zeros(2)),
            r"h0 has shape \(2,\); expected \(3,\)",
        ),
    ],
)
def test_errors_name_the_symbol(call, message):
    p = RNNParams.random(2, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match=message):
        call(p)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 100.0), st.integers(1, 200))
def test_hidden_state_stays_in_minus_one_one(seed, scale, steps):
    rng = np.random.default_rng(seed)
    p = RNNParams(scale * rng.normal(size=(4, 6)), scale * rng.normal(size=4))
    hs = rnn_unroll(scale * rng.normal(size=(steps, 2)), p)
    assert np.all(np.abs(hs) <= 1.0)
