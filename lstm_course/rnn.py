"""The vanilla RNN cell of the article's §2.1, one example and one time step at a time.

    h_t = tanh(W·[h_{t-1}, x_t] + b)

W is (H, H + D) and acts on the concatenation [h_{t-1}, x_t], h first, exactly as the
article writes it; b is (H,). The same W and b serve every time step (weights are shared
across time): unrolling is a loop, not more parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_course.activations import tanh
from lstm_course.neuron import dense_layer
from lstm_course.params import CellParams
from lstm_course.shapes import checked, vector

WEIGHT_MEANING = "(hidden, hidden + input)"


def concat_hx(h_prev: np.ndarray, x_t: np.ndarray) -> np.ndarray:
    """[h_{t-1}, x_t]: h_{t-1} (H,) then x_t (D,), one vector of H + D values."""
    return np.concatenate([vector("h_prev", h_prev), vector("x_t", x_t)])


@dataclass(frozen=True)
class RNNParams(CellParams):
    """W (H, H + D) acts on [h_{t-1}, x_t]; b (H,)."""

    BLOCKS = (("W", "b"),)

    W: np.ndarray
    b: np.ndarray


def rnn_cell(x_t: np.ndarray, h_prev: np.ndarray, params: RNNParams) -> np.ndarray:
    """One step: h_t = tanh(W·[h_{t-1}, x_t] + b).

    x_t (D,), h_prev (H,); returns h_t (H,).
    """
    x_t = checked("x_t", x_t, (params.input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (params.hidden_size,), "(hidden,)")
    hx = concat_hx(h_prev, x_t)  # [h_{t-1}, x_t]
    return dense_layer(hx, params.W, params.b, tanh, ("[h_{t-1}, x_t]", "W", "b"), WEIGHT_MEANING)


def initial_state(name: str, value: np.ndarray | None, hidden_size: int) -> np.ndarray:
    """The state before the first step: zeros (H,) unless given, checked when given."""
    if value is None:
        return np.zeros(hidden_size)
    return checked(name, value, (hidden_size,), "(hidden,)")


def sequence(xs: np.ndarray, input_size: int) -> np.ndarray:
    """A whole input sequence xs, checked to be (T, D) with T ≥ 1."""
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 2 or xs.shape[1] != input_size or xs.shape[0] == 0:
        raise ValueError(f"xs has shape {xs.shape}; expected (T, {input_size}) = (steps, input)")
    return checked("xs", xs, xs.shape)


def rnn_unroll(xs: np.ndarray, params: RNNParams, h0: np.ndarray | None = None) -> np.ndarray:
    """The same cell applied along a sequence: xs (T, D) -> hs (T, H); h0 defaults to zeros."""
    xs = sequence(xs, params.input_size)
    h_t = initial_state("h0", h0, params.hidden_size)
    hs = []
    for x_t in xs:
        h_t = rnn_cell(x_t, h_t, params)
        hs.append(h_t)
    return np.stack(hs)
