"""σ, tanh, ReLU and logit: hand values, PyTorch equality, no overflow."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_course.activations import logit, relu, sigmoid, tanh

finite = st.floats(-1e4, 1e4, allow_nan=False)


def test_hand_values():
    assert sigmoid(0.0) == 0.5
    assert tanh(0.0) == 0.0
    np.testing.assert_array_equal(relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    assert sigmoid(np.log(3.0)) == pytest.approx(0.75)


def test_sigmoid_does_not_overflow_or_warn_up_to_1e4():
    z = np.array([-1e4, -710.0, -50.0, 0.0, 50.0, 710.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert np.all(np.diff(s) >= 0)


@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_equal_to_torch(z):
    t = torch.from_numpy(z)
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(t).numpy(), rtol=0, atol=1e-15)
    np.testing.assert_allclose(tanh(z), torch.tanh(t).numpy(), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(relu(z), torch.relu(t).numpy())


@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_ranges_and_symmetry(z):
    s = sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s + sigmoid(-z), 1.0, atol=1e-15)
    assert np.all(np.abs(tanh(z)) <= 1)


@given(st.floats(1e-6, 1 - 1e-6))
def test_logit_inverts_sigmoid(p):
    assert sigmoid(logit(p)) == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5])
def test_logit_outside_open_interval_is_a_clear_error(p):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        logit(p)
