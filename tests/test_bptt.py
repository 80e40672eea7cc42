"""Backpropagation through time by hand: PyTorch autograd twins, finite differences, hand cases,
errors and properties of ``lstm_course.bptt``."""

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course import worked_example as we
from lstm_course.activations import logit
from lstm_course.bptt import (
    LSTMCellGradients,
    LSTMGradients,
    RNNGradients,
    clip_by_global_norm,
    global_norm,
    lstm_cell_backward,
    lstm_forward,
    lstm_unroll_backward,
    numerical_gradient,
    parameter_gradient_check,
    relative_error,
    rnn_cell_backward,
    rnn_unroll_backward,
    sigmoid_derivative,
    tanh_derivative,
)
from lstm_course.lstm import LSTMParams, lstm_cell, lstm_unroll
from lstm_course.rnn import RNNParams, rnn_cell, rnn_unroll
from lstm_course.torch_bridge import LSTM_TORCH_ROWS, lstm_params_to_torch, rnn_params_to_torch

AUTOGRAD_TOL = 1e-10
FD_TOL = 1e-7


def _case(T, D=3, H=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng, rng.normal(size=(T, D)), rng.normal(size=(T, H)), rng.normal(size=H)


def _torch_sequence_grads(cell, xs, dhs, h0, C0=None):
    """Autograd of L = Σ_t dhs[t]·h_t through a float64 torch cell: every leaf's gradient."""
    x = torch.tensor(xs, requires_grad=True)
    h = torch.tensor(h0, requires_grad=True)
    C = torch.tensor(C0, requires_grad=True) if C0 is not None else None
    h_t, C_t, hs = h[None], (C[None] if C is not None else None), []
    for t in range(len(xs)):
        if C is None:
            h_t = cell(x[t][None], h_t)
        else:
            h_t, C_t = cell(x[t][None], (h_t, C_t))
        hs.append(h_t[0])
    (torch.stack(hs) * torch.from_numpy(dhs)).sum().backward()
    return x.grad.numpy(), h.grad.numpy(), (C.grad.numpy() if C is not None else None)


@pytest.mark.parametrize("T", [1, 2, 50])
def test_rnn_backward_equals_autograd(T):
    rng, xs, dhs, h0 = _case(T)
    params = RNNParams.random(3, 4, rng)
    grads = rnn_unroll_backward(xs, params, dhs, h0)
    assert isinstance(grads, RNNGradients) and isinstance(grads.params, RNNParams)
    cell = rnn_params_to_torch(params)
    dxs, dh0, _ = _torch_sequence_grads(cell, xs, dhs, h0)
    dW = np.hstack([cell.weight_hh.grad.numpy(), cell.weight_ih.grad.numpy()])
    for ours, theirs in [(grads.params.W, dW), (grads.params.b, cell.bias_ih.grad.numpy())]:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=AUTOGRAD_TOL)
    np.testing.assert_allclose(grads.dxs, dxs, rtol=0, atol=AUTOGRAD_TOL)
    np.testing.assert_allclose(grads.dh0, dh0, rtol=0, atol=AUTOGRAD_TOL)


@pytest.mark.parametrize("T", [1, 2, 50])
def test_lstm_backward_equals_autograd(T):
    rng, xs, dhs, h0 = _case(T, seed=T)
    C0 = rng.normal(size=4)
    params = LSTMParams.random(3, 4, rng)
    grads = lstm_unroll_backward(xs, params, dhs, h0, C0)
    assert isinstance(grads, LSTMGradients) and isinstance(grads.params, LSTMParams)
    cell = lstm_params_to_torch(params)
    dxs, dh0, dC0 = _torch_sequence_grads(cell, xs, dhs, h0, C0)
    H = 4
    for k, gate in enumerate(LSTM_TORCH_ROWS):
        rows = slice(k * H, (k + 1) * H)
        dW = np.hstack([cell.weight_hh.grad[rows].numpy(), cell.weight_ih.grad[rows].numpy()])
        np.testing.assert_allclose(getattr(grads.params, f"W_{gate}"), dW, atol=AUTOGRAD_TOL)
        db = cell.bias_ih.grad[rows].numpy()
        np.testing.assert_allclose(getattr(grads.params, f"b_{gate}"), db, atol=AUTOGRAD_TOL)
    for ours, theirs in [(grads.dxs, dxs), (grads.dh0, dh0), (grads.dC0, dC0)]:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=AUTOGRAD_TOL)


def test_lstm_forward_is_lstm_unroll():
    rng, xs, _, h0 = _case(30, D=2, H=5)
    params, C0 = LSTMParams.random(2, 5, rng), rng.normal(size=5)
    for ours, theirs in zip(
        lstm_forward(xs, params, h0, C0), lstm_unroll(xs, params, h0, C0), strict=True
    ):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


@pytest.mark.parametrize("T", [1, 6])
def test_finite_differences_agree_for_every_parameter(T):
    rng, xs, dhs, h0 = _case(T, D=2, H=3, seed=10 + T)
    C0 = rng.normal(size=3)
    rnn = RNNParams.random(2, 3, rng)
    lstm = LSTMParams.random(2, 3, rng)

    def rnn_loss(p):
        return float(np.sum(rnn_unroll(xs, p, h0) * dhs))

    def lstm_loss(p):
        return float(np.sum(lstm_unroll(xs, p, h0, C0).h_t * dhs))

    rnn_grads = rnn_unroll_backward(xs, rnn, dhs, h0).params
    rnn_errors = parameter_gradient_check(rnn_loss, rnn, rnn_grads)
    lstm_grads = lstm_unroll_backward(xs, lstm, dhs, h0, C0).params
    lstm_errors = parameter_gradient_check(lstm_loss, lstm, lstm_grads)
    assert set(rnn_errors) == {"W", "b"} and len(lstm_errors) == 8
    assert max(rnn_errors.values()) <= FD_TOL, rnn_errors
    assert max(lstm_errors.values()) <= FD_TOL, lstm_errors


def test_finite_differences_for_the_inputs_and_initial_states():
    rng, xs, dhs, h0 = _case(5, D=2, H=3, seed=3)
    params, C0 = LSTMParams.random(2, 3, rng), rng.normal(size=3)
    grads = lstm_unroll_backward(xs, params, dhs, h0, C0)

    def loss(xs_=xs, h0_=h0, c0_=C0):
        return float(np.sum(lstm_unroll(xs_, params, h0_, c0_).h_t * dhs))

    assert relative_error(grads.dxs, numerical_gradient(lambda v: loss(xs_=v), xs)) <= FD_TOL
    assert relative_error(grads.dh0, numerical_gradient(lambda v: loss(h0_=v), h0)) <= FD_TOL
    assert relative_error(grads.dC0, numerical_gradient(lambda v: loss(c0_=v), C0)) <= FD_TOL


def test_a_gradient_check_catches_a_wrong_gradient():
    rng, xs, dhs, h0 = _case(4, D=2, H=3, seed=5)
    params = RNNParams.random(2, 3, rng)
    grads = rnn_unroll_backward(xs, params, dhs, h0).params
    wrong = dataclasses.replace(grads, b=grads.b * 1.01)  # 1 % off

    def loss(p):
        return float(np.sum(rnn_unroll(xs, p, h0) * dhs))

    errors = parameter_gradient_check(loss, params, wrong)
    assert errors["W"] <= FD_TOL and errors["b"] > 1e-3


# --- hand cases ---------------------------------------------------------------------------


def test_derivatives_from_outputs():
    z = np.linspace(-4, 4, 9)
    s, y = 1 / (1 + np.exp(-z)), np.tanh(z)
    np.testing.assert_allclose(sigmoid_derivative(s), np.exp(-z) / (1 + np.exp(-z)) ** 2)
    np.testing.assert_allclose(tanh_derivative(y), 1 / np.cosh(z) ** 2)
    assert sigmoid_derivative(0.5) == 0.25 and tanh_derivative(0.0) == 1.0


def test_one_rnn_step_by_hand():
    # W = 0, b = 0: h_t = tanh(0) = 0, so dz = dh_t and dhx = Wᵀ·dz = 0
    params = RNNParams.zeros(2, 3)
    step = rnn_cell_backward(np.ones(3), np.zeros(3), np.zeros(3), np.zeros(2), params)
    np.testing.assert_array_equal(step.dz, np.ones(3))
    np.testing.assert_array_equal(step.dh_prev, np.zeros(3))
    np.testing.assert_array_equal(step.dx_t, np.zeros(2))


def test_one_lstm_step_on_the_article_numbers():
    """The article's worked step (notebook 08's weights): every W = 0, so nothing reaches
    h_{t-1} or x_t, and the cell state carries dC_{t-1} = dC_t ⊙ f_t back."""
    i_t, C_tilde = np.array([0.8, 0.5, 0.2]), np.array([0.6, -0.4, 0.9])
    o_t = np.array([0.9, 0.3, 0.6])
    zeros = np.zeros((3, 6))
    params = LSTMParams(
        W_f=we.W_f, b_f=we.b_f, W_i=zeros, b_i=logit(i_t),
        W_C=zeros, b_C=np.arctanh(C_tilde), W_o=zeros, b_o=logit(o_t),
    )  # fmt: skip
    step = lstm_cell(we.x_t, we.h_prev, we.C_prev, params)
    g = lstm_cell_backward(np.ones(3), np.zeros(3), step, we.h_prev, we.C_prev, we.x_t, params)
    assert isinstance(g, LSTMCellGradients)
    C_t = we.f_t * we.C_prev + i_t * C_tilde  # [0.73, -0.14, 0.5]
    np.testing.assert_allclose(step.C_t, C_t)
    dC_t = o_t * (1 - np.tanh(C_t) ** 2)
    np.testing.assert_allclose(g.dC_t, dC_t)
    np.testing.assert_allclose(g.dC_prev, dC_t * we.f_t)
    np.testing.assert_allclose(g.d_o, np.tanh(C_t) * o_t * (1 - o_t))
    np.testing.assert_allclose(g.d_f, dC_t * we.C_prev * we.f_t * (1 - we.f_t))
    np.testing.assert_allclose(g.d_i, dC_t * C_tilde * i_t * (1 - i_t))
    np.testing.assert_allclose(g.d_C_tilde, dC_t * i_t * (1 - C_tilde**2))
    np.testing.assert_array_equal(g.dh_prev, np.zeros(3))
    np.testing.assert_array_equal(g.dx_t, np.zeros(3))


def test_a_forget_gate_of_one_carries_the_cell_gradient_unchanged():
    """f_t = 1, i_t = 0, o_t = 0, W = 0: C_t = C_{t-1}, h_t = 0, and ∂L/∂C_0 = ∂L/∂C_T exactly:
    the constant error carousel. Only the last step's h_t path feeds dC_T, and o = 0 shuts it."""
    H, T = 3, 40
    params = dataclasses.replace(
        LSTMParams.zeros(1, H), b_f=np.full(H, 50.0), b_i=np.full(H, -50.0), b_o=np.full(H, 0.0)
    )
    xs, dhs = np.zeros((T, 1)), np.zeros((T, H))
    dhs[-1] = 1.0
    C0 = np.array([0.5, -0.2, 0.1])
    grads = lstm_unroll_backward(xs, params, dhs, C0=C0)
    # dC_T = dh_T ⊙ o_T ⊙ (1 − tanh²C_T); then × f_t ≈ 1 at each of the T steps
    dC_T = 0.5 * (1 - np.tanh(C0) ** 2)
    np.testing.assert_allclose(grads.dC0, dC_T, rtol=1e-12)


def test_the_rnn_gradient_is_a_sum_over_time():
    rng, xs, dhs, h0 = _case(6, D=2, H=3, seed=8)
    params = RNNParams.random(2, 3, rng)
    hs = rnn_unroll(xs, params, h0)
    grads = rnn_unroll_backward(xs, params, dhs, h0)
    # rebuild the sum step by step with rnn_cell_backward
    dW, dh_next = np.zeros_like(params.W), np.zeros(3)
    h_prevs = np.vstack([h0, hs[:-1]])
    for t in reversed(range(6)):
        step = rnn_cell_backward(dhs[t] + dh_next, hs[t], h_prevs[t], xs[t], params)
        dW += np.outer(step.dz, np.concatenate([h_prevs[t], xs[t]]))
        dh_next = step.dh_prev
    np.testing.assert_allclose(grads.params.W, dW, atol=1e-14)
    np.testing.assert_allclose(grads.dh0, dh_next, atol=1e-14)
    np.testing.assert_allclose(rnn_cell(xs[0], h0, params), hs[0])


# --- gradient clipping --------------------------------------------------------------------


def test_clipping_by_the_global_norm_keeps_the_direction():
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}  # ‖g‖ = 5
    assert global_norm(grads) == 5.0
    clipped = clip_by_global_norm(grads, 1.0)
    np.testing.assert_allclose(clipped["W"], [[0.6, 0.0]])
    np.testing.assert_allclose(clipped["b"], [0.8])
    assert global_norm(clipped) == pytest.approx(1.0)
    unchanged = clip_by_global_norm(grads, 10.0)
    np.testing.assert_array_equal(unchanged["W"], grads["W"])


def test_clipping_a_parameter_dataclass_matches_torch():
    rng = np.random.default_rng(4)
    grads = LSTMParams.random(2, 3, rng)
    clipped = clip_by_global_norm(grads, 0.5)
    assert isinstance(clipped, LSTMParams)
    tensors = [torch.tensor(np.array(getattr(grads, f.name))) for f in dataclasses.fields(grads)]
    for t in tensors:
        t.grad = t.clone()
    torch.nn.utils.clip_grad_norm_(tensors, 0.5)
    for f, t in zip(dataclasses.fields(grads), tensors, strict=True):
        # PyTorch divides by ‖g‖ + 1e-6: equal to about 1e-6 relative
        np.testing.assert_allclose(getattr(clipped, f.name), t.grad.numpy(), rtol=1e-5)


# --- errors --------------------------------------------------------------------------------


def test_wrong_shapes_name_the_symbol():
    rng, xs, dhs, h0 = _case(5)
    params = LSTMParams.random(3, 4, rng)
    with pytest.raises(ValueError, match=r"dhs has shape \(5, 3\); expected \(5, 4\)"):
        lstm_unroll_backward(xs, params, dhs[:, :3])
    with pytest.raises(ValueError, match=r"xs has shape \(5, 2\); expected \(T, 3\)"):
        lstm_unroll_backward(xs[:, :2], params, dhs)
    with pytest.raises(ValueError, match=r"C0 has shape \(3,\); expected \(4,\)"):
        lstm_unroll_backward(xs, params, dhs, C0=np.zeros(3))
    with pytest.raises(ValueError, match=r"h0 has shape \(2,\); expected \(4,\)"):
        rnn_unroll_backward(xs, RNNParams.random(3, 4, rng), dhs, h0=np.zeros(2))
    step = lstm_cell(xs[0], h0, np.zeros(4), params)
    with pytest.raises(ValueError, match=r"dC_carried has shape \(3,\); expected \(4,\)"):
        lstm_cell_backward(np.ones(4), np.ones(3), step, h0, np.zeros(4), xs[0], params)
    with pytest.raises(ValueError, match="step must be the LSTMStep"):
        lstm_cell_backward(np.ones(4), np.ones(4), tuple(step), h0, np.zeros(4), xs[0], params)
    with pytest.raises(ValueError, match=r"dh_t has shape \(3,\); expected \(4,\)"):
        rnn_cell_backward(np.ones(3), h0, h0, xs[0], RNNParams.random(3, 4, rng))


def test_bad_values_are_refused():
    rng, xs, dhs, _ = _case(3)
    params = LSTMParams.random(3, 4, rng)
    dhs[1, 2] = np.nan
    with pytest.raises(ValueError, match="dhs contains non-finite"):
        lstm_unroll_backward(xs, params, dhs)
    with pytest.raises(ValueError, match="max_norm must be a positive number"):
        clip_by_global_norm({"b": np.ones(2)}, 0.0)
    with pytest.raises(ValueError, match="grads must be a parameter dataclass or a dict"):
        clip_by_global_norm([np.ones(2)], 1.0)
    with pytest.raises(ValueError, match=r"numeric has shape \(2,\); expected \(3,\)"):
        relative_error(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="analytic must be LSTMParams"):
        parameter_gradient_check(lambda p: 0.0, params, RNNParams.zeros(3, 4))


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    T=st.integers(1, 12),
    forget_bias=st.floats(-5, 5),
    seed=st.integers(0, 2**16),
)
def test_along_the_carousel_alone_the_gradient_is_multiplied_by_f_at_each_step(
    T, forget_bias, seed
):
    """Every W = 0 and b_C = 0: C̃ = 0 and C_t = 0 throughout, so dC_T = dh_T ⊙ o, and each
    step multiplies it by f = σ(b_f): ∂L/∂C_0 = dh_T ⊙ o ⊙ f^T, never larger than dh_T."""
    rng = np.random.default_rng(seed)
    b_o = rng.normal(size=3)
    params = dataclasses.replace(LSTMParams.zeros(1, 3), b_f=np.full(3, forget_bias), b_o=b_o)
    dhs = np.zeros((T, 3))
    dhs[-1] = rng.normal(size=3)
    grads = lstm_unroll_backward(rng.normal(size=(T, 1)), params, dhs)
    f, o = 1 / (1 + np.exp(-forget_bias)), 1 / (1 + np.exp(-b_o))
    np.testing.assert_allclose(grads.dC0, dhs[-1] * o * f**T, rtol=1e-10, atol=1e-300)
    assert np.all(np.abs(grads.dC0) <= np.abs(dhs[-1]))
    np.testing.assert_array_equal(grads.dh0, np.zeros(3))  # W = 0: nothing through h_{t-1}


# --- Jacobians: notebook 04's curves, by BPTT ------------------------------------------------


def test_rnn_jacobians_equal_autograd():
    from lstm_course.bptt import rnn_jacobians
    from lstm_course.gradients import hidden_jacobians

    rng, xs, _, h0 = _case(12, D=2, H=4, seed=21)
    params = RNNParams.random(2, 4, rng)
    np.testing.assert_allclose(
        rnn_jacobians(xs, params, h0), hidden_jacobians(params, xs, h0), rtol=0, atol=1e-12
    )


def test_lstm_jacobians_equal_autograd_and_finite_differences():
    from lstm_course.bptt import lstm_jacobians
    from lstm_course.gradients import hidden_jacobians

    rng, xs, _, h0 = _case(9, D=2, H=3, seed=22)
    params = LSTMParams.random(2, 3, rng)
    jac = lstm_jacobians(xs, params, h0)
    np.testing.assert_allclose(jac.h_h0, hidden_jacobians(params, xs, h0), rtol=0, atol=1e-12)
    C0 = np.zeros(3)
    for t in (1, 9):  # ∂C_t/∂C_0 and ∂h_t/∂C_0 column by column, by centred differences
        for j in range(3):
            e = np.eye(3)[j] * 1e-6
            up, down = lstm_unroll(xs, params, h0, C0 + e), lstm_unroll(xs, params, h0, C0 - e)
            dC = (up.C_t[t - 1] - down.C_t[t - 1]) / 2e-6
            dh = (up.h_t[t - 1] - down.h_t[t - 1]) / 2e-6
            np.testing.assert_allclose(jac.C_C0[t - 1][:, j], dC, atol=1e-8)
            np.testing.assert_allclose(jac.h_C0[t - 1][:, j], dh, atol=1e-8)


def test_one_step_along_the_cell_state_is_diag_f():
    from lstm_course.bptt import lstm_jacobians

    rng, xs, _, h0 = _case(1, D=2, H=3, seed=23)
    params = LSTMParams.random(2, 3, rng)
    step = lstm_unroll(xs, params, h0)
    np.testing.assert_allclose(lstm_jacobians(xs, params, h0).C_C0[0], np.diag(step.f_t[0]))


def test_spectral_norms_are_the_largest_singular_values():
    from lstm_course.bptt import spectral_norms

    jac = np.stack([np.diag([3.0, -4.0]), np.array([[0.0, 2.0], [0.0, 0.0]])])
    np.testing.assert_allclose(spectral_norms(jac), [4.0, 2.0])
