"""‖∂h_T/∂h_0‖ from autograd, checked against the chain rule by hand and finite differences."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course.gradients import (
    demo_inputs,
    gradient_norms,
    hidden_jacobians,
    lstm_gradient_norms,
    rnn_gradient_norms,
    spectral_radius,
    with_forget_bias,
    with_spectral_radius,
)
from lstm_course.lstm import LSTMParams, lstm_unroll
from lstm_course.rnn import RNNParams, rnn_unroll


def test_rnn_jacobians_equal_the_chain_rule_by_hand():
    rng = np.random.default_rng(0)
    params = RNNParams.random(2, 5, rng)
    xs = rng.normal(size=(23, 2))  # longer than JACOBIAN_STEPS: three backward passes
    h0 = rng.normal(size=5) * 0.3
    jac = hidden_jacobians(params, xs, h0)
    assert jac.shape == (23, 5, 5)
    W_hh = params.W[:, :5]
    product = np.eye(5)
    for t, h_t in enumerate(rnn_unroll(xs, params, h0)):
        product = np.diag(1 - h_t**2) @ W_hh @ product
        np.testing.assert_allclose(jac[t], product, atol=1e-12)


def test_lstm_jacobians_equal_finite_differences_of_the_numpy_cell():
    rng = np.random.default_rng(1)
    params = LSTMParams.random(3, 4, rng)
    xs = rng.normal(size=(5, 3))
    h0 = rng.normal(size=4) * 0.5
    jac = hidden_jacobians(params, xs, h0)
    eps = 1e-6
    for j in range(4):
        step = np.zeros(4)
        step[j] = eps
        plus = lstm_unroll(xs, params, h0 + step).h_t
        minus = lstm_unroll(xs, params, h0 - step).h_t
        np.testing.assert_allclose(jac[:, :, j], (plus - minus) / (2 * eps), atol=1e-8)


def test_zero_input_zero_bias_is_a_matrix_power():
    """At h = 0 with no input and no bias, tanh' = 1: ∂h_T/∂h_0 = W_hh^T exactly."""
    rng = np.random.default_rng(2)
    W_hh = rng.normal(size=(3, 3))
    params = RNNParams(W=np.hstack([W_hh, np.zeros((3, 1))]), b=np.zeros(3))
    jac = hidden_jacobians(params, np.zeros((4, 1)))
    for t in range(4):
        np.testing.assert_allclose(jac[t], np.linalg.matrix_power(W_hh, t + 1), atol=1e-12)


def test_norms_are_spectral_norms_of_the_jacobians():
    rng = np.random.default_rng(3)
    params = RNNParams.random(1, 3, rng)
    xs = rng.normal(size=(4, 1))
    jac = hidden_jacobians(params, xs)
    expected = [np.linalg.svd(J_t, compute_uv=False)[0] for J_t in jac]
    np.testing.assert_allclose(gradient_norms(params, xs), expected, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(radius=st.floats(0.05, 3.0), seed=st.integers(0, 1000))
def test_rescaling_hits_the_requested_spectral_radius(radius, seed):
    params = RNNParams.random(2, 4, np.random.default_rng(seed))
    rescaled = with_spectral_radius(params, radius)
    assert spectral_radius(rescaled.W[:, :4]) == pytest.approx(radius, rel=1e-9)
    np.testing.assert_array_equal(rescaled.W[:, 4:], params.W[:, 4:])  # W_xh untouched
    np.testing.assert_array_equal(rescaled.b, params.b)


def test_with_forget_bias_changes_b_f_only():
    params = LSTMParams.random(2, 3, np.random.default_rng(4))
    opened = with_forget_bias(params, 2.5)
    np.testing.assert_array_equal(opened.b_f, [2.5, 2.5, 2.5])
    for name in ("W_f", "W_i", "b_i", "W_C", "b_C", "W_o", "b_o"):
        np.testing.assert_array_equal(getattr(opened, name), getattr(params, name))


def test_rnn_gradient_vanishes_below_radius_one():
    norms = rnn_gradient_norms(0.8, 40)
    assert norms.shape == (40,)
    assert norms[-1] < 1e-4 * norms[0]
    # roughly geometric: the last 20 steps shrink by at least 0.8^20 ≈ 0.012
    assert norms[-1] / norms[19] < 0.8**20 * 10


def test_lstm_gradient_survives_with_an_open_forget_gate_and_vanishes_with_a_closed_one():
    opened = lstm_gradient_norms(3.0, 40)
    closed = lstm_gradient_norms(0.0, 40)
    assert opened[-1] > 0.1 * opened[0]
    assert closed[-1] < 1e-6 * closed[0]
    assert opened[0] == pytest.approx(closed[0])  # C_0 = 0: step 1 does not see f_1


def test_demo_inputs_are_seeded():
    np.testing.assert_array_equal(demo_inputs(5, seed=1), demo_inputs(5, seed=1))
    assert demo_inputs(5).shape == (5, 4)


def test_errors_name_the_symbols():
    params = RNNParams.random(2, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"xs has shape \(4, 3\); expected \(T, 2\)"):
        hidden_jacobians(params, np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"h0 has shape \(2,\); expected \(3,\)"):
        hidden_jacobians(params, np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="params must be RNNParams or LSTMParams"):
        hidden_jacobians("rnn", np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"W_hh has shape \(2, 3\); expected a square"):
        spectral_radius(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="radius must be a finite number"):
        with_spectral_radius(params, -1.0)
    with pytest.raises(ValueError, match="forget_bias must be a finite number"):
        with_forget_bias(LSTMParams.zeros(1, 2), float("nan"))
    with pytest.raises(ValueError, match="steps must be"):
        demo_inputs(0)


def test_the_callers_torch_thread_setting_is_restored():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        rnn_gradient_norms(0.9, 3)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
