"""The same gradients as ``lstm_course.bptt``, by PyTorch autograd: the reference it is held to.

``rnn_autograd`` and ``lstm_autograd`` build PyTorch's own sequence modules (``nn.RNN``,
``nn.LSTM``, float64, one layer) with the numpy parameters (through ``torch_bridge``), run
L = Σ_t dhs[t]·h_t forward and call ``backward()``. They return the numpy NamedTuples of
``bptt`` (the article's layout: W on [h_{t-1}, x_t], one bias), so the two can be compared
field by field, and time the same work for ``benchmarks/bptt_speed.py``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from lstm_course.bptt import LSTMGradients, RNNGradients
from lstm_course.lstm import LSTMParams
from lstm_course.rnn import RNNParams
from lstm_course.shapes import checked, initial_state, sequence
from lstm_course.torch_bridge import (
    lstm_params_from_torch,
    lstm_params_to_torch,
    rnn_params_from_torch,
    rnn_params_to_torch,
)


def _sequence_module(cell: nn.RNNCell | nn.LSTMCell) -> nn.RNN | nn.LSTM:
    """The one-layer sequence module (float64) holding a cell's weights."""
    kind = nn.LSTM if isinstance(cell, nn.LSTMCell) else nn.RNN
    module = kind(cell.input_size, cell.hidden_size).to(torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(module, f"{name}_l0").copy_(getattr(cell, name))
    return module


def _grads_as_module(module: nn.RNN | nn.LSTM, kind: type[nn.Module]) -> nn.Module:
    """A cell whose weights are ``module``'s gradients, to read back through torch_bridge."""
    cell = kind(module.input_size, module.hidden_size).to(torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih"):
            getattr(cell, name).copy_(getattr(module, f"{name}_l0").grad)
        cell.bias_hh.zero_()  # b = bias_ih + bias_hh: their gradients are equal, count it once
    return cell


def rnn_autograd(
    xs: np.ndarray, params: RNNParams, dhs: np.ndarray, h0: np.ndarray | None = None
) -> RNNGradients:
    """``bptt.rnn_unroll_backward`` computed by ``nn.RNN`` and autograd (float64)."""
    xs = sequence(xs, params.input_size)
    T, H = xs.shape[0], params.hidden_size
    dhs = checked("dhs", dhs, (T, H), "(steps, hidden) = ∂L/∂h_t from above")
    module = _sequence_module(rnn_params_to_torch(params))
    x = torch.from_numpy(xs).requires_grad_(True)
    h = torch.from_numpy(initial_state("h0", h0, H).copy()).requires_grad_(True)
    hs, _ = module(x, h[None])
    (hs * torch.from_numpy(dhs)).sum().backward()
    grads = rnn_params_from_torch(_grads_as_module(module, nn.RNNCell))
    return RNNGradients(grads, x.grad.numpy(), h.grad.numpy())


def lstm_autograd(
    xs: np.ndarray,
    params: LSTMParams,
    dhs: np.ndarray,
    h0: np.ndarray | None = None,
    C0: np.ndarray | None = None,
) -> LSTMGradients:
    """``bptt.lstm_unroll_backward`` computed by ``nn.LSTM`` and autograd (float64)."""
    xs = sequence(xs, params.input_size)
    T, H = xs.shape[0], params.hidden_size
    dhs = checked("dhs", dhs, (T, H), "(steps, hidden) = ∂L/∂h_t from above")
    module = _sequence_module(lstm_params_to_torch(params))
    x = torch.from_numpy(xs).requires_grad_(True)
    h = torch.from_numpy(initial_state("h0", h0, H).copy()).requires_grad_(True)
    C = torch.from_numpy(initial_state("C0", C0, H).copy()).requires_grad_(True)
    hs, _ = module(x, (h[None], C[None]))
    (hs * torch.from_numpy(dhs)).sum().backward()
    grads = lstm_params_from_torch(_grads_as_module(module, nn.LSTMCell))
    return LSTMGradients(grads, x.grad.numpy(), h.grad.numpy(), C.grad.numpy())


def largest_difference(
    ours: RNNGradients | LSTMGradients, theirs: RNNGradients | LSTMGradients
) -> float:
    """max |ours − theirs| over every field: each parameter's gradient, dxs, dh0 (and dC0)."""
    if type(ours) is not type(theirs):
        raise ValueError(
            f"compare like with like; got {type(ours).__name__}, {type(theirs).__name__}"
        )
    gaps = [
        np.max(np.abs(getattr(ours.params, name) - getattr(theirs.params, name)))
        for name in ours.params.__dataclass_fields__
    ]
    gaps += [np.max(np.abs(a - b)) for a, b in zip(ours[1:], theirs[1:], strict=True)]
    return float(max(gaps))
