"""How far back can a gradient reach? ‖∂h_T/∂h_0‖ against T, measured with PyTorch autograd.

Training changes a weight in proportion to how much the loss at step T depends on what the
network saw at step 0. That dependence runs through the chain of hidden states:

    ∂h_T/∂h_0 = ∂h_T/∂h_{T-1} · ∂h_{T-1}/∂h_{T-2} · … · ∂h_1/∂h_0

For the RNN, h_t = tanh(W·[h_{t-1}, x_t] + b), each factor is diag(1 − h_t²)·W_hh, where
W_hh = W[:, :H] is the block of W acting on h_{t-1}. Since |tanh′| ≤ 1, each factor's norm is
at most σ_max(W_hh), the largest singular value: σ_max < 1 is *sufficient* for the product to
vanish, at least as fast as σ_max^T; σ_max > 1 is only *necessary* for it to explode
(Pascanu, Mikolov & Bengio 2013) — saturated units (1 − h_t² ≈ 0) can make it vanish anyway.
The spectral radius ρ(W_hh) ≤ σ_max (``rnn.spectral_radius``) describes the long-run growth
of W_hh's powers alone. For the LSTM the cell state offers a second road,
C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, whose factor is simply diag(f_t): with the forget-gate bias
b_f large, f_t ≈ 1 and the product over T steps stays near 1.

The numpy parameters are turned into PyTorch cells by ``torch_bridge`` and the Jacobians come
from one ``backward()``: reverse-mode autograd, the same backpropagation through time that
training uses. Norms are spectral norms (the largest singular value).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from lstm_course.lstm import LSTMParams
from lstm_course.rnn import RNNParams, spectral_radius, with_spectral_radius
from lstm_course.shapes import initial_state, sequence
from lstm_course.torch_bridge import lstm_params_to_torch, rnn_params_to_torch

__all__ = [  # spectral_radius and with_spectral_radius live in lstm_course.rnn (numpy only)
    "demo_inputs",
    "gradient_norms",
    "hidden_jacobians",
    "lstm_gradient_norms",
    "rnn_gradient_norms",
    "spectral_radius",
    "with_forget_bias",
    "with_spectral_radius",
]

HIDDEN_SIZE = 16  # H of the course's gradient pictures
INPUT_SIZE = 4  # D
JACOBIAN_STEPS = 10  # Jacobians computed per backward pass (memory ∝ this · T · H)


def with_forget_bias(params: LSTMParams, forget_bias: float) -> LSTMParams:
    """The same LSTM with every entry of b_f set to ``forget_bias`` (so f_t ≈ σ(forget_bias))."""
    if not np.isfinite(forget_bias):
        raise ValueError(f"forget_bias must be a finite number; got {forget_bias}")
    fields = {name: getattr(params, name) for name in params.__dataclass_fields__}
    fields["b_f"] = np.full(params.hidden_size, float(forget_bias))
    return LSTMParams(**fields)


def hidden_jacobians(
    params: RNNParams | LSTMParams, xs: np.ndarray, h0: np.ndarray | None = None
) -> np.ndarray:
    """∂h_t/∂h_0 for t = 1 … T, by reverse-mode autograd through the unrolled cell.

    params: an RNN or LSTM of hidden size H and input size D; xs (T, D) the inputs;
    h0 (H,) the initial state (zeros by default; an LSTM's C_0 is zeros).
    Returns J (T, H, H) with J[t - 1][i, j] = ∂h_t[i] / ∂h_0[j].
    """
    if not isinstance(params, (RNNParams, LSTMParams)):
        raise ValueError(f"params must be RNNParams or LSTMParams; got {type(params).__name__}")
    xs_t = torch.from_numpy(sequence(xs, params.input_size))
    h0_t = torch.from_numpy(initial_state("h0", h0, params.hidden_size))
    if isinstance(params, RNNParams):
        cell = rnn_params_to_torch(params)
    else:
        cell = lstm_params_to_torch(params)

    T, H = xs_t.shape[0], params.hidden_size
    jacobians = np.empty((T, H, H))
    with _one_thread():
        for first in range(0, T, JACOBIAN_STEPS):
            steps = np.arange(first, min(first + JACOBIAN_STEPS, T))
            jacobians[steps] = _jacobian_rows(cell, xs_t, h0_t, steps)
    return jacobians


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run torch on one thread, then restore the caller's setting.

    These graphs are tiny: with several threads torch spends ten times the CPU on waking
    them (measured: ~35 ms against ~900 ms for a 40-step LSTM on 2 cores).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _jacobian_rows(
    cell: nn.RNNCell | nn.LSTMCell, xs: torch.Tensor, h0: torch.Tensor, steps: np.ndarray
) -> np.ndarray:
    """∂h_t/∂h_0 (n, H, H) for the n (0-based) steps t - 1 in ``steps``, one backward pass.

    Run n·H identical copies of h_0 as a batch; copy (t, i) is read only through h_t[i], so
    its gradient is the row ∂h_t[i]/∂h_0, and the copies do not mix. The caller asks for
    JACOBIAN_STEPS steps at a time, which bounds the memory the backward pass holds.
    """
    H = h0.shape[0]
    h0_copies = h0.repeat(steps.size * H, 1).requires_grad_(True)
    hs = _unroll(cell, xs[: steps[-1] + 1], h0_copies)  # (t, n·H, H)
    t_index = torch.from_numpy(steps).repeat_interleave(H)
    i_index = torch.arange(H).repeat(steps.size)
    hs[t_index, torch.arange(steps.size * H), i_index].sum().backward()
    return h0_copies.grad.reshape(steps.size, H, H).numpy()


def _unroll(cell: nn.RNNCell | nn.LSTMCell, xs: torch.Tensor, h_0: torch.Tensor) -> torch.Tensor:
    """The PyTorch twin of ``rnn_unroll`` / ``lstm_unroll`` on a batch: h_0 (B, H) -> (T, B, H)."""
    batch = h_0.shape[0]
    hs = []
    h_t, C_t = h_0, torch.zeros_like(h_0)
    for x_t in xs:
        if isinstance(cell, nn.LSTMCell):
            h_t, C_t = cell(x_t.expand(batch, -1), (h_t, C_t))
        else:
            h_t = cell(x_t.expand(batch, -1), h_t)
        hs.append(h_t)
    return torch.stack(hs)


def gradient_norms(
    params: RNNParams | LSTMParams, xs: np.ndarray, h0: np.ndarray | None = None
) -> np.ndarray:
    """‖∂h_t/∂h_0‖₂ for t = 1 … T: the spectral norm of each Jacobian, shape (T,)."""
    return np.linalg.norm(hidden_jacobians(params, xs, h0), ord=2, axis=(1, 2))


def demo_inputs(steps: int, seed: int = 0, input_size: int = INPUT_SIZE) -> np.ndarray:
    """The inputs the course's gradient pictures use: xs (steps, D), standard normal, seeded."""
    if steps < 1:
        raise ValueError(f"steps must be ≥ 1; got {steps}")
    return np.random.default_rng(seed).normal(size=(steps, input_size))


def rnn_gradient_norms(
    radius: float, steps: int, seed: int = 0, hidden_size: int = HIDDEN_SIZE
) -> np.ndarray:
    """‖∂h_t/∂h_0‖ for t = 1 … steps, shape (steps,), for a random RNN with ρ(W_hh) = radius.

    The random weights and the inputs depend on ``seed`` only, so moving ``radius`` changes
    nothing but the scale of W_hh.
    """
    base = RNNParams.random(INPUT_SIZE, hidden_size, np.random.default_rng(seed))
    return gradient_norms(with_spectral_radius(base, radius), demo_inputs(steps, seed))


def lstm_gradient_norms(
    forget_bias: float, steps: int, seed: int = 0, hidden_size: int = HIDDEN_SIZE
) -> np.ndarray:
    """‖∂h_t/∂h_0‖ for t = 1 … steps, shape (steps,), for a random LSTM with b_f = forget_bias.

    The other weights and the inputs depend on ``seed`` only, as in ``rnn_gradient_norms``.
    """
    base = LSTMParams.random(INPUT_SIZE, hidden_size, np.random.default_rng(seed))
    return gradient_norms(with_forget_bias(base, forget_bias), demo_inputs(steps, seed))
