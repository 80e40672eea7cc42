"""The vanilla RNN cell of the article's §2.1, one example and one time step at a time.

    h_t = tanh(W·[h_{t-1}, x_t] + b)

W is (H, H + D) and acts on the concatenation [h_{t-1}, x_t], h first, exactly as the
article writes it; b is (H,). The same W and b serve every time step (weights are shared
across time): unrolling is a loop, not more parameters.

The first H columns of W, W_hh = W[:, :H], act on h_{t-1}; notebooks 03 and 04 read how long
a signal lasts from their spectral radius ρ(W_hh) (``spectral_radius``) and their largest
singular value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_course.activations import tanh
from lstm_course.i18n import _
from lstm_course.params import CellParams, recurrent_blocks
from lstm_course.shapes import checked, concat_hx, initial_state, matrix, sequence

__all__ = [  # concat_hx lives with the input checks (shapes); still importable from here
    "RNNParams",
    "concat_hx",
    "rnn_cell",
    "rnn_unroll",
    "spectral_radius",
    "with_spectral_radius",
]


@dataclass(frozen=True)
class RNNParams(CellParams):
    """W (H, H + D) acts on [h_{t-1}, x_t]; b (H,)."""

    SHAPES = recurrent_blocks(("W", "b"))

    W: np.ndarray
    b: np.ndarray


def rnn_cell(x_t: np.ndarray, h_prev: np.ndarray, params: RNNParams) -> np.ndarray:
    """One step: h_t = tanh(W·[h_{t-1}, x_t] + b).

    x_t (D,), h_prev (H,); returns h_t (H,).
    """
    p = params
    x_t = checked("x_t", x_t, (p.input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (p.hidden_size,), "(hidden,)")
    hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
    h_t = tanh(p.W @ hx + p.b)
    return h_t


def rnn_unroll(xs: np.ndarray, params: RNNParams, h0: np.ndarray | None = None) -> np.ndarray:
    """The same cell applied along a sequence: xs (T, D) -> hs (T, H); h0 defaults to zeros."""
    xs = sequence(xs, params.input_size)
    h_t = initial_state("h0", h0, params.hidden_size)
    hs = []
    for x_t in xs:
        h_t = rnn_cell(x_t, h_t, params)
        hs.append(h_t)
    return np.stack(hs)


def spectral_radius(W_hh: np.ndarray) -> float:
    """ρ(W_hh) = max |eigenvalue| of a square matrix W_hh (H, H)."""
    W_hh = matrix("W_hh", W_hh)
    if W_hh.shape[0] != W_hh.shape[1]:
        raise ValueError(
            _("W_hh has shape {shape}; expected a square (hidden, hidden)").format(shape=W_hh.shape)
        )
    return float(np.max(np.abs(np.linalg.eigvals(W_hh))))


def with_spectral_radius(params: RNNParams, radius: float) -> RNNParams:
    """The same RNN with its recurrent block W_hh = W[:, :H] rescaled to ρ(W_hh) = ``radius``.

    W (H, H + D): only the first H columns (those acting on h_{t-1}) change; W_xh and b stay.
    """
    if not np.isfinite(radius) or radius < 0:
        raise ValueError(
            _("radius must be a finite number ≥ 0; got {radius}").format(radius=radius)
        )
    H = params.hidden_size
    W = np.array(params.W)
    current = spectral_radius(W[:, :H])
    if current == 0:
        raise ValueError(_("W_hh is nilpotent (spectral radius 0); it cannot be rescaled"))
    W[:, :H] *= radius / current
    return RNNParams(W=W, b=params.b)
