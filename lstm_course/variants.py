"""The variants of the article's §3.7: peephole connections, coupled gates, and the GRU.

Peephole LSTM (Gers & Schmidhuber 2000). The article writes
f_t = σ(W_f·[C_{t-1}, h_{t-1}, x_t] + b_f). In Gers & Schmidhuber each cell looks only at
its own state, so the C-block of that matrix is diagonal, diag(p_f) with p_f (H,):
W_f·[C_{t-1}, h_{t-1}, x_t] = p_f * C_{t-1} + W_f·[h_{t-1}, x_t].

    f_t = σ(W_f·[h_{t-1}, x_t] + p_f * C_{t-1} + b_f)
    i_t = σ(W_i·[h_{t-1}, x_t] + p_i * C_{t-1} + b_i)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t * C_{t-1} + i_t * C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + p_o * C_t + b_o)          o_t sees the *new* state C_t
    h_t = o_t * tanh(C_t)

Coupled forget and input gates: no input gate; what is forgotten is what gets written.

    C_t = f_t * C_{t-1} + (1 − f_t) * C̃_t

GRU, as the article writes it (with biases, which the article leaves out):

    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)                  update gate  更新门
    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)                  reset gate   重置门
    h̃_t = tanh(W_h·[r_t * h_{t-1}, x_t] + b_h)
    h_t = (1 − z_t) * h_{t-1} + z_t * h̃_t

GRU, as PyTorch computes it (``nn.GRU``, ``nn.GRUCell``): the reset acts *after* the product
with h, and z keeps the old state rather than admitting the new one.

    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    n_t = tanh(W_in·x_t + b_in + r_t * (W_hn·h_{t-1} + b_hn))
    h_t = (1 − z_t) * n_t + z_t * h_{t-1}

Both GRUs are legitimate; on the same weights their outputs differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from lstm_course.activations import sigmoid, tanh
from lstm_course.lstm import (
    LSTMParams,
    LSTMStep,
    candidate,
    hidden_state,
    stack_steps,
    update_cell,
)
from lstm_course.neuron import dense_layer
from lstm_course.params import CellParams
from lstm_course.rnn import WEIGHT_MEANING, concat_hx, initial_state, sequence
from lstm_course.shapes import check_shape, checked, freeze_fields, recurrent_sizes

# --- Peephole LSTM -------------------------------------------------------------------------


@dataclass(frozen=True)
class PeepholeLSTMParams:
    """An LSTM's weights plus the peephole weights p_f, p_i, p_o, each (H,).

    With p_f = p_i = p_o = 0 the peephole LSTM is the plain LSTM.
    """

    lstm: LSTMParams
    p_f: np.ndarray
    p_i: np.ndarray
    p_o: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.lstm, LSTMParams):
            raise ValueError(f"lstm must be an LSTMParams; got {type(self.lstm).__name__}")
        for name in ("p_f", "p_i", "p_o"):
            value = checked(name, getattr(self, name), (self.lstm.hidden_size,), "(hidden,)")
            object.__setattr__(self, name, value)

    @property
    def hidden_size(self) -> int:
        return self.lstm.hidden_size

    @property
    def input_size(self) -> int:
        return self.lstm.input_size

    @classmethod
    def random(
        cls, input_size: int, hidden_size: int, rng: np.random.Generator
    ) -> PeepholeLSTMParams:
        bound = 1.0 / np.sqrt(hidden_size)
        lstm = LSTMParams.random(input_size, hidden_size, rng)
        p_f, p_i, p_o = rng.uniform(-bound, bound, (3, hidden_size))
        return cls(lstm, p_f, p_i, p_o)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


def _gate(hx, W, b, name: str) -> np.ndarray:
    """W·[h_{t-1}, x_t] + b, the pre-activation of a gate (no σ yet)."""
    names = ("[h_{t-1}, x_t]", f"W_{name}", f"b_{name}")
    return dense_layer(hx, W, b, _identity, names, WEIGHT_MEANING)


def _step_inputs(x_t, h_prev, C_prev, input_size: int, hidden_size: int):
    x_t = checked("x_t", x_t, (input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (hidden_size,), "(hidden,)")
    C_prev = checked("C_prev", C_prev, (hidden_size,), "(hidden,)")
    return x_t, h_prev, C_prev


def peephole_lstm_cell(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, params: PeepholeLSTMParams
) -> LSTMStep:
    """One peephole step. x_t (D,); h_prev, C_prev and every output (H,).

    f_t = σ(W_f·[h_{t-1}, x_t] + p_f * C_{t-1} + b_f)
    i_t = σ(W_i·[h_{t-1}, x_t] + p_i * C_{t-1} + b_i)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t * C_{t-1} + i_t * C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + p_o * C_t + b_o)
    h_t = o_t * tanh(C_t)
    """
    p, q = params.lstm, params
    x_t, h_prev, C_prev = _step_inputs(x_t, h_prev, C_prev, p.input_size, p.hidden_size)
    hx = concat_hx(h_prev, x_t)  # [h_{t-1}, x_t]
    f_t = sigmoid(_gate(hx, p.W_f, p.b_f, "f") + q.p_f * C_prev)
    i_t = sigmoid(_gate(hx, p.W_i, p.b_i, "i") + q.p_i * C_prev)
    C_tilde = candidate(hx, p.W_C, p.b_C)
    C_t = update_cell(f_t, C_prev, i_t, C_tilde)
    o_t = sigmoid(_gate(hx, p.W_o, p.b_o, "o") + q.p_o * C_t)
    h_t = hidden_state(o_t, C_t)
    return LSTMStep(f_t, i_t, C_tilde, C_t, o_t, h_t)


# --- Coupled forget and input gates -------------------------------------------------------


@dataclass(frozen=True)
class CoupledLSTMParams(CellParams):
    """The LSTM without an input gate: W_f, W_C, W_o (H, H + D); b_f, b_C, b_o (H,)."""

    BLOCKS = (("W_f", "b_f"), ("W_C", "b_C"), ("W_o", "b_o"))

    W_f: np.ndarray
    b_f: np.ndarray
    W_C: np.ndarray
    b_C: np.ndarray
    W_o: np.ndarray
    b_o: np.ndarray

    @classmethod
    def from_lstm(cls, params: LSTMParams) -> CoupledLSTMParams:
        """An LSTM's weights with its input gate dropped."""
        p = params
        return cls(p.W_f, p.b_f, p.W_C, p.b_C, p.W_o, p.b_o)


def coupled_lstm_cell(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, params: CoupledLSTMParams
) -> LSTMStep:
    """One coupled step. x_t (D,); h_prev, C_prev and every output (H,).

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t * C_{t-1} + (1 − f_t) * C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)
    h_t = o_t * tanh(C_t)

    The returned step's i_t is 1 − f_t: the input gate is tied to the forget gate.
    """
    p = params
    x_t, h_prev, C_prev = _step_inputs(x_t, h_prev, C_prev, p.input_size, p.hidden_size)
    hx = concat_hx(h_prev, x_t)  # [h_{t-1}, x_t]
    f_t = sigmoid(_gate(hx, p.W_f, p.b_f, "f"))
    i_t = 1.0 - f_t
    C_tilde = candidate(hx, p.W_C, p.b_C)
    C_t = update_cell(f_t, C_prev, i_t, C_tilde)
    o_t = sigmoid(_gate(hx, p.W_o, p.b_o, "o"))
    h_t = hidden_state(o_t, C_t)
    return LSTMStep(f_t, i_t, C_tilde, C_t, o_t, h_t)


# --- GRU ----------------------------------------------------------------------------------


class GRUStep(NamedTuple):
    """Everything one GRU step computes, each (H,) (or (T, H) when unrolled).

    h_tilde is the candidate: h̃_t in the article's convention, n_t in PyTorch's.
    """

    z_t: np.ndarray
    r_t: np.ndarray
    h_tilde: np.ndarray
    h_t: np.ndarray


@dataclass(frozen=True)
class GRUParams(CellParams):
    """The article's GRU: W_z, W_r, W_h (H, H + D) act on [h_{t-1}, x_t]; b_z, b_r, b_h (H,)."""

    BLOCKS = (("W_z", "b_z"), ("W_r", "b_r"), ("W_h", "b_h"))

    W_z: np.ndarray
    b_z: np.ndarray
    W_r: np.ndarray
    b_r: np.ndarray
    W_h: np.ndarray
    b_h: np.ndarray


@dataclass(frozen=True)
class TorchGRUParams:
    """PyTorch's GRU: W_r, W_z (H, H + D) on [h_{t-1}, x_t] with b_r, b_z (H,); the candidate
    keeps its input and hidden parts apart, W_in (H, D), b_in (H,), W_hn (H, H), b_hn (H,),
    because the reset gate multiplies W_hn·h_{t-1} + b_hn."""

    W_r: np.ndarray
    b_r: np.ndarray
    W_z: np.ndarray
    b_z: np.ndarray
    W_in: np.ndarray
    b_in: np.ndarray
    W_hn: np.ndarray
    b_hn: np.ndarray

    def __post_init__(self) -> None:
        freeze_fields(self)
        hidden, inputs = recurrent_sizes(self, [("W_r", "b_r"), ("W_z", "b_z")])
        check_shape("b_in", self.b_in, (hidden,), "(hidden,)")
        check_shape("b_hn", self.b_hn, (hidden,), "(hidden,)")
        check_shape("W_in", self.W_in, (hidden, inputs), "(hidden, input)")
        check_shape("W_hn", self.W_hn, (hidden, hidden), "(hidden, hidden)")

    @property
    def hidden_size(self) -> int:
        return self.b_r.size

    @property
    def input_size(self) -> int:
        return self.W_in.shape[1]

    @classmethod
    def from_article(cls, params: GRUParams) -> TorchGRUParams:
        """The same numbers, read in PyTorch's convention: W_h = [W_hn, W_in], b_h = b_in, b_hn = 0.

        Both conventions then hold the same weights; their outputs still differ.
        """
        p, H = params, params.hidden_size
        return cls(
            W_r=p.W_r,
            b_r=p.b_r,
            W_z=p.W_z,
            b_z=p.b_z,
            W_in=p.W_h[:, H:],
            b_in=p.b_h,
            W_hn=p.W_h[:, :H],
            b_hn=np.zeros(H),
        )


def gru_cell(x_t: np.ndarray, h_prev: np.ndarray, params: GRUParams) -> GRUStep:
    """One GRU step in the article's convention. x_t (D,); h_prev and every output (H,).

    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    h̃_t = tanh(W_h·[r_t * h_{t-1}, x_t] + b_h)
    h_t = (1 − z_t) * h_{t-1} + z_t * h̃_t
    """
    p = params
    x_t = checked("x_t", x_t, (p.input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (p.hidden_size,), "(hidden,)")
    hx = concat_hx(h_prev, x_t)  # [h_{t-1}, x_t]
    z_t = sigmoid(_gate(hx, p.W_z, p.b_z, "z"))
    r_t = sigmoid(_gate(hx, p.W_r, p.b_r, "r"))
    h_tilde = tanh(_gate(concat_hx(r_t * h_prev, x_t), p.W_h, p.b_h, "h"))
    h_t = (1.0 - z_t) * h_prev + z_t * h_tilde
    return GRUStep(z_t, r_t, h_tilde, h_t)


def gru_cell_torch(x_t: np.ndarray, h_prev: np.ndarray, params: TorchGRUParams) -> GRUStep:
    """One GRU step in PyTorch's convention. x_t (D,); h_prev and every output (H,).

    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    n_t = tanh(W_in·x_t + b_in + r_t * (W_hn·h_{t-1} + b_hn))
    h_t = (1 − z_t) * n_t + z_t * h_{t-1}
    """
    p = params
    x_t = checked("x_t", x_t, (p.input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (p.hidden_size,), "(hidden,)")
    hx = concat_hx(h_prev, x_t)  # [h_{t-1}, x_t]
    r_t = sigmoid(_gate(hx, p.W_r, p.b_r, "r"))
    z_t = sigmoid(_gate(hx, p.W_z, p.b_z, "z"))
    n_t = tanh(p.W_in @ x_t + p.b_in + r_t * (p.W_hn @ h_prev + p.b_hn))
    h_t = (1.0 - z_t) * n_t + z_t * h_prev
    return GRUStep(z_t, r_t, n_t, h_t)


def gru_unroll(
    xs: np.ndarray, params: GRUParams | TorchGRUParams, h0: np.ndarray | None = None
) -> GRUStep:
    """A GRU along a sequence: xs (T, D) -> a GRUStep whose fields are each (T, H).

    GRUParams run the article's convention (``gru_cell``), TorchGRUParams PyTorch's
    (``gru_cell_torch``). h0 (H,) defaults to zeros.
    """
    if isinstance(params, GRUParams):
        cell = gru_cell
    elif isinstance(params, TorchGRUParams):
        cell = gru_cell_torch
    else:
        raise ValueError(f"params must be GRUParams or TorchGRUParams; got {type(params).__name__}")
    xs = sequence(xs, params.input_size)
    h_t = initial_state("h0", h0, params.hidden_size)
    steps = []
    for x_t in xs:
        step = cell(x_t, h_t, params)
        h_t = step.h_t
        steps.append(step)
    return stack_steps(steps)
