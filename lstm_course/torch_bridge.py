"""numpy parameters <-> PyTorch modules, so the numpy cells can be checked against PyTorch's.

PyTorch keeps the input and hidden weights apart and stacks the gates in rows:

    nn.RNN / nn.RNNCell    weight_ih (H, D), weight_hh (H, H), bias_ih (H,), bias_hh (H,)
    nn.LSTM / nn.LSTMCell  weight_ih (4H, D), weight_hh (4H, H): rows i, f, g, o (TORCH_GATE_ORDER)
    nn.GRU / nn.GRUCell    weight_ih (3H, D), weight_hh (3H, H): rows r, z, n

The article's W acts on [h_{t-1}, x_t], h first, so W = [weight_hh | weight_ih] (per gate),
and its one bias b is PyTorch's two biases summed, b = bias_ih + bias_hh. PyTorch's g is the
article's candidate C̃. Going back, ``*_to_torch`` puts b in bias_ih and zeros in bias_hh;
it returns the Cell module in float64. ``*_from_torch`` accepts the Cell module and the
single-layer, one-direction sequence module.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from lstm_course.lstm import LSTMParams
from lstm_course.rnn import RNNParams
from lstm_course.variants import TorchGRUParams

TORCH_GATE_ORDER = ("i", "f", "g", "o")
"""PyTorch's order of an LSTM's four gates in its stacked rows: block k is rows k·H … (k+1)·H."""
ARTICLE_GATE = {"i": "i", "f": "f", "g": "C", "o": "o"}
"""PyTorch's gate letter -> the article's: PyTorch's g is the article's candidate C̃."""
LSTM_TORCH_ROWS = tuple(ARTICLE_GATE[g] for g in TORCH_GATE_ORDER)  # ("i", "f", "C", "o")
GRU_TORCH_ROWS = ("r", "z", "n")


def torch_gate_rows(gate: str, hidden_size: int) -> slice:
    """The rows of PyTorch's stacked LSTM weights that hold ``gate`` (PyTorch's letter i, f, g
    or o, or the article's C for g)."""
    letters = {**{g: g for g in TORCH_GATE_ORDER}, "C": "g"}
    if gate not in letters:
        raise ValueError(
            f"gate must be one of {TORCH_GATE_ORDER} (or the article's C); got {gate!r}"
        )
    k = TORCH_GATE_ORDER.index(letters[gate])
    return slice(k * hidden_size, (k + 1) * hidden_size)


def _numpy(tensor: torch.Tensor | None, shape: tuple[int, ...]) -> np.ndarray:
    if tensor is None:  # a module built with bias=False
        return np.zeros(shape)
    return tensor.detach().to(torch.float64).cpu().numpy().copy()


def _torch_weights(
    module: nn.Module, cell_type: type[nn.Module], sequence_type: type[nn.Module]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(weight_ih, weight_hh, bias_ih, bias_hh) of a Cell or a one-layer sequence module."""
    if isinstance(module, cell_type):
        suffix = ""
    elif isinstance(module, sequence_type):
        if module.num_layers != 1 or module.bidirectional or getattr(module, "proj_size", 0):
            raise ValueError(
                f"{sequence_type.__name__} must have num_layers=1, bidirectional=False and no "
                f"proj_size to match one article cell; got num_layers={module.num_layers}, "
                f"bidirectional={module.bidirectional}"
            )
        suffix = "_l0"
    else:
        raise ValueError(
            f"expected nn.{cell_type.__name__} or nn.{sequence_type.__name__}; "
            f"got {type(module).__name__}"
        )
    W_ih = _numpy(getattr(module, "weight_ih" + suffix), ())
    W_hh = _numpy(getattr(module, "weight_hh" + suffix), ())
    rows = W_ih.shape[0]
    b_ih = _numpy(getattr(module, "bias_ih" + suffix, None), (rows,))
    b_hh = _numpy(getattr(module, "bias_hh" + suffix, None), (rows,))
    return W_ih, W_hh, b_ih, b_hh


def _cell_from_blocks(
    cell: nn.Module, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray, b_hh: np.ndarray
) -> nn.Module:
    cell = cell.to(torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(W_ih))
        cell.weight_hh.copy_(torch.tensor(W_hh))
        cell.bias_ih.copy_(torch.tensor(b_ih))
        cell.bias_hh.copy_(torch.tensor(b_hh))
    return cell


# --- RNN ----------------------------------------------------------------------------------


def rnn_params_from_torch(module: nn.RNNCell | nn.RNN) -> RNNParams:
    """The article's W = [weight_hh | weight_ih] (H, H + D) and b = bias_ih + bias_hh (H,)."""
    if getattr(module, "nonlinearity", "tanh") != "tanh":
        raise ValueError(f"the article's RNN uses tanh; this module uses {module.nonlinearity}")
    W_ih, W_hh, b_ih, b_hh = _torch_weights(module, nn.RNNCell, nn.RNN)
    return RNNParams(W=np.hstack([W_hh, W_ih]), b=b_ih + b_hh)


def rnn_params_to_torch(params: RNNParams) -> nn.RNNCell:
    """An ``nn.RNNCell`` (tanh, float64) computing exactly ``rnn_cell`` with these params."""
    H, D = params.hidden_size, params.input_size
    return _cell_from_blocks(
        nn.RNNCell(D, H, nonlinearity="tanh"),
        W_ih=params.W[:, H:],
        W_hh=params.W[:, :H],
        b_ih=params.b,
        b_hh=np.zeros(H),
    )


# --- LSTM ---------------------------------------------------------------------------------


def lstm_params_from_torch(module: nn.LSTMCell | nn.LSTM) -> LSTMParams:
    """Split PyTorch's i, f, g, o rows into the article's W_f, W_i, W_C, W_o on [h_{t-1}, x_t]."""
    W_ih, W_hh, b_ih, b_hh = _torch_weights(module, nn.LSTMCell, nn.LSTM)
    H = W_hh.shape[1]
    blocks = {}
    for g in TORCH_GATE_ORDER:
        rows, gate = torch_gate_rows(g, H), ARTICLE_GATE[g]
        blocks[f"W_{gate}"] = np.hstack([W_hh[rows], W_ih[rows]])
        blocks[f"b_{gate}"] = b_ih[rows] + b_hh[rows]
    return LSTMParams(**blocks)


def lstm_params_to_torch(params: LSTMParams) -> nn.LSTMCell:
    """An ``nn.LSTMCell`` (float64) computing exactly ``lstm_cell`` with these params."""
    H, D = params.hidden_size, params.input_size
    Ws = [getattr(params, f"W_{gate}") for gate in LSTM_TORCH_ROWS]
    bs = [getattr(params, f"b_{gate}") for gate in LSTM_TORCH_ROWS]
    return _cell_from_blocks(
        nn.LSTMCell(D, H),
        W_ih=np.vstack([W[:, H:] for W in Ws]),
        W_hh=np.vstack([W[:, :H] for W in Ws]),
        b_ih=np.concatenate(bs),
        b_hh=np.zeros(4 * H),
    )


# --- GRU ----------------------------------------------------------------------------------


def gru_params_from_torch(module: nn.GRUCell | nn.GRU) -> TorchGRUParams:
    """PyTorch's GRU weights, in PyTorch's convention (``gru_cell_torch`` reproduces it).

    r and z act on [h_{t-1}, x_t] with summed biases; the candidate keeps W_in, b_in and
    W_hn, b_hn apart, because PyTorch's reset gate multiplies W_hn·h_{t-1} + b_hn.
    """
    W_ih, W_hh, b_ih, b_hh = _torch_weights(module, nn.GRUCell, nn.GRU)
    H = W_hh.shape[1]
    r, z, n = (slice(k * H, (k + 1) * H) for k in range(3))
    return TorchGRUParams(
        W_r=np.hstack([W_hh[r], W_ih[r]]),
        b_r=b_ih[r] + b_hh[r],
        W_z=np.hstack([W_hh[z], W_ih[z]]),
        b_z=b_ih[z] + b_hh[z],
        W_in=W_ih[n],
        b_in=b_ih[n],
        W_hn=W_hh[n],
        b_hn=b_hh[n],
    )


def gru_params_to_torch(params: TorchGRUParams) -> nn.GRUCell:
    """An ``nn.GRUCell`` (float64) computing exactly ``gru_cell_torch`` with these params.

    For the article's GRUParams, convert first with ``TorchGRUParams.from_article`` — and
    expect different outputs: the conventions differ, not only the storage.
    """
    if not isinstance(params, TorchGRUParams):
        raise ValueError(
            f"gru_params_to_torch takes TorchGRUParams; got {type(params).__name__} "
            "(use TorchGRUParams.from_article for the article's GRUParams)"
        )
    p, H, D = params, params.hidden_size, params.input_size
    return _cell_from_blocks(
        nn.GRUCell(D, H),
        W_ih=np.vstack([p.W_r[:, H:], p.W_z[:, H:], p.W_in]),
        W_hh=np.vstack([p.W_r[:, :H], p.W_z[:, :H], p.W_hn]),
        b_ih=np.concatenate([p.b_r, p.b_z, p.b_in]),
        b_hh=np.concatenate([np.zeros(H), np.zeros(H), p.b_hn]),
    )
