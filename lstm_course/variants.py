"""The variants of the article's §3.7: peephole connections, coupled gates, and the GRU.

Peephole LSTM (Gers & Schmidhuber 2000). The article writes
f_t = σ(W_f·[C_{t-1}, h_{t-1}, x_t] + b_f). In Gers & Schmidhuber each cell looks only at
its own state, so the C-block of that matrix is diagonal, diag(p_f) with p_f (H,):
W_f·[C_{t-1}, h_{t-1}, x_t] = p_f ⊙ C_{t-1} + W_f·[h_{t-1}, x_t].

    f_t = σ(W_f·[h_{t-1}, x_t] + p_f ⊙ C_{t-1} + b_f)
    i_t = σ(W_i·[h_{t-1}, x_t] + p_i ⊙ C_{t-1} + b_i)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + p_o ⊙ C_t + b_o)          o_t sees the *new* state C_t
    h_t = o_t ⊙ tanh(C_t)

Coupled forget and input gates: no input gate; what is forgotten is what gets written.

    C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t

GRU, as the article writes it (with biases, which the article leaves out):

    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)                  update gate  更新门
    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)                  reset gate   重置门
    h̃_t = tanh(W_h·[r_t ⊙ h_{t-1}, x_t] + b_h)
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t

GRU, as PyTorch computes it (``nn.GRU``, ``nn.GRUCell``): the reset acts *after* the product
with h, and z keeps the old state rather than admitting the new one.

    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    n_t = tanh(W_in·x_t + b_in + r_t ⊙ (W_hn·h_{t-1} + b_hn))
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

Both GRUs are legitimate; on the same weights their outputs differ.

W·v is the matrix-vector product (``W @ v`` in the code), ⊙ the pointwise one (``*``).
``variant_steps`` runs every cell type on the same inputs (notebook 09's playground) and
``coupled_step`` splits the coupled update into what is kept and what is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from lstm_course.activations import sigmoid, tanh
from lstm_course.i18n import _
from lstm_course.lstm import LSTMParams, LSTMStep, lstm_cell, stack_steps, step_inputs
from lstm_course.params import B_SHAPE, HIDDEN, INPUT, CellParams, recurrent_blocks
from lstm_course.shapes import checked, initial_state, sequence, vector

CELL_TYPES = ("LSTM", "peephole LSTM", "coupled LSTM", "GRU (article)", "GRU (PyTorch)")
LSTM_TYPES = CELL_TYPES[:3]  # those with a cell state C_t

# --- Peephole LSTM -------------------------------------------------------------------------


@dataclass(frozen=True)
class PeepholeLSTMParams(CellParams):
    """An LSTM's weights plus the peephole weights p_f, p_i, p_o, each (H,).

    With p_f = p_i = p_o = 0 the peephole LSTM is the plain LSTM.
    """

    SHAPES = {"lstm": LSTMParams, "p_f": B_SHAPE, "p_i": B_SHAPE, "p_o": B_SHAPE}

    lstm: LSTMParams
    p_f: np.ndarray
    p_i: np.ndarray
    p_o: np.ndarray


def peephole_lstm_cell(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, params: PeepholeLSTMParams
) -> LSTMStep:
    """One peephole step. x_t (D,); h_prev, C_prev and every output (H,).

    f_t = σ(W_f·[h_{t-1}, x_t] + p_f ⊙ C_{t-1} + b_f)
    i_t = σ(W_i·[h_{t-1}, x_t] + p_i ⊙ C_{t-1} + b_i)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + p_o ⊙ C_t + b_o)
    h_t = o_t ⊙ tanh(C_t)
    """
    p, q = params.lstm, params
    x_t, h_prev, C_prev = step_inputs(x_t, h_prev, C_prev, params)
    hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
    f_t = sigmoid(p.W_f @ hx + q.p_f * C_prev + p.b_f)
    i_t = sigmoid(p.W_i @ hx + q.p_i * C_prev + p.b_i)
    C_tilde = tanh(p.W_C @ hx + p.b_C)
    C_t = f_t * C_prev + i_t * C_tilde
    o_t = sigmoid(p.W_o @ hx + q.p_o * C_t + p.b_o)
    h_t = o_t * tanh(C_t)
    return LSTMStep(f_t, i_t, C_tilde, C_t, o_t, h_t)


# --- Coupled forget and input gates -------------------------------------------------------


@dataclass(frozen=True)
class CoupledLSTMParams(CellParams):
    """The LSTM without an input gate: W_f, W_C, W_o (H, H + D); b_f, b_C, b_o (H,)."""

    SHAPES = recurrent_blocks(("W_f", "b_f"), ("W_C", "b_C"), ("W_o", "b_o"))

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
    C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)
    h_t = o_t ⊙ tanh(C_t)

    The returned step's i_t is 1 − f_t: the input gate is tied to the forget gate.
    """
    p = params
    x_t, h_prev, C_prev = step_inputs(x_t, h_prev, C_prev, p)
    hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
    f_t = sigmoid(p.W_f @ hx + p.b_f)
    C_tilde = tanh(p.W_C @ hx + p.b_C)
    C_t = f_t * C_prev + (1.0 - f_t) * C_tilde
    o_t = sigmoid(p.W_o @ hx + p.b_o)
    h_t = o_t * tanh(C_t)
    i_t = 1.0 - f_t  # no input gate of its own: it is tied to the forget gate
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

    SHAPES = recurrent_blocks(("W_z", "b_z"), ("W_r", "b_r"), ("W_h", "b_h"))

    W_z: np.ndarray
    b_z: np.ndarray
    W_r: np.ndarray
    b_r: np.ndarray
    W_h: np.ndarray
    b_h: np.ndarray


@dataclass(frozen=True)
class TorchGRUParams(CellParams):
    """PyTorch's GRU: W_r, W_z (H, H + D) on [h_{t-1}, x_t] with b_r, b_z (H,); the candidate
    keeps its input and hidden parts apart, W_in (H, D), b_in (H,), W_hn (H, H), b_hn (H,),
    because the reset gate multiplies W_hn·h_{t-1} + b_hn."""

    SHAPES = {
        **recurrent_blocks(("W_r", "b_r"), ("W_z", "b_z")),
        "W_in": (HIDDEN, INPUT),
        "b_in": B_SHAPE,
        "W_hn": (HIDDEN, HIDDEN),
        "b_hn": B_SHAPE,
    }

    W_r: np.ndarray
    b_r: np.ndarray
    W_z: np.ndarray
    b_z: np.ndarray
    W_in: np.ndarray
    b_in: np.ndarray
    W_hn: np.ndarray
    b_hn: np.ndarray

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


def _gru_inputs(x_t, h_prev, params) -> tuple[np.ndarray, np.ndarray]:
    """x_t (D,) and h_prev (H,) checked against ``params``' sizes, once per step."""
    x_t = checked("x_t", x_t, (params.input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (params.hidden_size,), "(hidden,)")
    return x_t, h_prev


def gru_cell(x_t: np.ndarray, h_prev: np.ndarray, params: GRUParams) -> GRUStep:
    """One GRU step in the article's convention. x_t (D,); h_prev and every output (H,).

    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    h̃_t = tanh(W_h·[r_t ⊙ h_{t-1}, x_t] + b_h)
    h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    """
    p = params
    x_t, h_prev = _gru_inputs(x_t, h_prev, p)
    hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
    z_t = sigmoid(p.W_z @ hx + p.b_z)
    r_t = sigmoid(p.W_r @ hx + p.b_r)
    h_tilde = tanh(p.W_h @ np.concatenate([r_t * h_prev, x_t]) + p.b_h)
    h_t = (1.0 - z_t) * h_prev + z_t * h_tilde
    return GRUStep(z_t, r_t, h_tilde, h_t)


def gru_cell_torch(x_t: np.ndarray, h_prev: np.ndarray, params: TorchGRUParams) -> GRUStep:
    """One GRU step in PyTorch's convention. x_t (D,); h_prev and every output (H,).

    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)
    n_t = tanh(W_in·x_t + b_in + r_t ⊙ (W_hn·h_{t-1} + b_hn))
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
    """
    p = params
    x_t, h_prev = _gru_inputs(x_t, h_prev, p)
    hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
    r_t = sigmoid(p.W_r @ hx + p.b_r)
    z_t = sigmoid(p.W_z @ hx + p.b_z)
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
        raise ValueError(
            _("params must be GRUParams or TorchGRUParams; got {kind}").format(
                kind=type(params).__name__
            )
        )
    xs = sequence(xs, params.input_size)
    h_t = initial_state("h0", h0, params.hidden_size)
    steps = []
    for x_t in xs:
        step = cell(x_t, h_t, params)
        h_t = step.h_t
        steps.append(step)
    return stack_steps(steps)


# --- Every cell type on the same inputs (notebook 09) -------------------------------------


class VariantWeights(NamedTuple):
    """One parameter set per cell type, sharing numbers where the cells share a role."""

    lstm: LSTMParams
    peephole: PeepholeLSTMParams
    coupled: CoupledLSTMParams
    gru: GRUParams
    gru_torch: TorchGRUParams

    @classmethod
    def random(cls, input_size: int, hidden_size: int, rng: np.random.Generator) -> VariantWeights:
        """Seeded weights: one LSTM, its peephole and coupled cousins, one GRU read both ways.

        The three LSTMs share W_f, W_C, W_o (and W_i where they have one); the two GRUs share
        every number (``TorchGRUParams.from_article``).
        """
        peephole = PeepholeLSTMParams.random(input_size, hidden_size, rng)
        gru = GRUParams.random(input_size, hidden_size, rng)
        return cls(
            lstm=peephole.lstm,
            peephole=peephole,
            coupled=CoupledLSTMParams.from_lstm(peephole.lstm),
            gru=gru,
            gru_torch=TorchGRUParams.from_article(gru),
        )


def variant_step(
    cell_type: str,
    x_t: np.ndarray,
    h_prev: np.ndarray,
    C_prev: np.ndarray,
    weights: VariantWeights,
) -> LSTMStep | GRUStep:
    """One step of ``cell_type`` (one of CELL_TYPES) on x_t (D,), h_prev and C_prev (H,).

    The LSTMs return an LSTMStep; the GRUs a GRUStep, and ignore C_prev (they have no C).
    """
    x_t = checked("x_t", x_t, (weights.lstm.input_size,), "(input,)")
    if cell_type == "LSTM":
        return lstm_cell(x_t, h_prev, C_prev, weights.lstm)
    if cell_type == "peephole LSTM":
        return peephole_lstm_cell(x_t, h_prev, C_prev, weights.peephole)
    if cell_type == "coupled LSTM":
        return coupled_lstm_cell(x_t, h_prev, C_prev, weights.coupled)
    if cell_type == "GRU (article)":
        return gru_cell(x_t, h_prev, weights.gru)
    if cell_type == "GRU (PyTorch)":
        return gru_cell_torch(x_t, h_prev, weights.gru_torch)
    raise ValueError(
        _("cell_type must be one of {cell_types}; got {cell_type!r}").format(
            cell_types=CELL_TYPES, cell_type=cell_type
        )
    )


def variant_steps(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, weights: VariantWeights
) -> dict[str, LSTMStep | GRUStep]:
    """Every cell type's step on the same x_t (D,), h_{t-1}, C_{t-1} (H,) and weights."""
    return {
        cell_type: variant_step(cell_type, x_t, h_prev, C_prev, weights) for cell_type in CELL_TYPES
    }


class CoupledStep(NamedTuple):
    """The coupled update split in two: kept + written = C_t, each (H,)."""

    f_t: np.ndarray  # one value for every unit
    kept: np.ndarray  # f_t ⊙ C_{t-1}
    written: np.ndarray  # (1 − f_t) ⊙ C̃_t
    C_t: np.ndarray  # f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t


def coupled_step(f_value: float, C_prev: np.ndarray, C_tilde: np.ndarray) -> CoupledStep:
    """The coupled cell update with f_t = ``f_value`` for every unit; C_prev, C_tilde (H,).

    C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t
    """
    C_prev = vector("C_prev", C_prev)
    C_tilde = checked("C_tilde", C_tilde, C_prev.shape, "(hidden,), like C_prev")
    if not 0.0 <= f_value <= 1.0:
        raise ValueError(_("f_t must be in [0, 1]; got {f_value}").format(f_value=f_value))
    f_t = np.full(C_prev.shape, float(f_value))
    kept = f_t * C_prev
    written = (1.0 - f_t) * C_tilde  # the coupling: write exactly where it forgets
    C_t = kept + written
    return CoupledStep(f_t, kept, written, C_t)
