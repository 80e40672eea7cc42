"""The LSTM cell of the article's §3, one example and one time step at a time.

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)          forget gate   遗忘门      (§3.3)
    i_t = σ(W_i·[h_{t-1}, x_t] + b_i)          input gate    记忆门/输入门 (§3.4)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)       candidate     候选状态     (§3.4)
    C_t = f_t * C_{t-1} + i_t * C̃_t            cell update   细胞状态     (§3.5)
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)          output gate   输出门      (§3.6)
    h_t = o_t * tanh(C_t)                      hidden state  输出信号     (§3.6)

Every W_* is (H, H + D) and acts on [h_{t-1}, x_t], h first; every b_* is (H,).
σ and tanh in the gates are *layers* (a weight matrix, then the function); the tanh in
h_t = o_t * tanh(C_t) is the plain *function* (the article's note in §3.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import numpy as np

from lstm_course.activations import sigmoid, tanh
from lstm_course.neuron import dense_layer
from lstm_course.params import CellParams
from lstm_course.rnn import WEIGHT_MEANING, concat_hx, initial_state, sequence
from lstm_course.shapes import checked, vector

StepT = TypeVar("StepT", bound=tuple)


@dataclass(frozen=True)
class LSTMParams(CellParams):
    """Every W_* is (H, H + D) and acts on [h_{t-1}, x_t]; every b_* is (H,).

    ``LSTMParams.random(D, H, rng)`` draws them as PyTorch does; ``LSTMParams.zeros(D, H)``
    gives every gate σ(0) = 0.5 and C̃_t = tanh(0) = 0.
    """

    BLOCKS = (("W_f", "b_f"), ("W_i", "b_i"), ("W_C", "b_C"), ("W_o", "b_o"))

    W_f: np.ndarray
    b_f: np.ndarray
    W_i: np.ndarray
    b_i: np.ndarray
    W_C: np.ndarray
    b_C: np.ndarray
    W_o: np.ndarray
    b_o: np.ndarray


class LSTMStep(NamedTuple):
    """Everything one step computes, each (H,) (or (T, H) when stacked by ``lstm_unroll``)."""

    f_t: np.ndarray
    i_t: np.ndarray
    C_tilde: np.ndarray
    C_t: np.ndarray
    o_t: np.ndarray
    h_t: np.ndarray


def _layer(hx, W, b, activation, W_name: str, b_name: str) -> np.ndarray:
    return dense_layer(hx, W, b, activation, ("[h_{t-1}, x_t]", W_name, b_name), WEIGHT_MEANING)


def forget_gate(hx: np.ndarray, W_f: np.ndarray, b_f: np.ndarray) -> np.ndarray:
    """f_t = σ(W_f·[h_{t-1}, x_t] + b_f). hx (H + D,), W_f (H, H + D), b_f (H,) -> (H,)."""
    return _layer(hx, W_f, b_f, sigmoid, "W_f", "b_f")


def input_gate(hx: np.ndarray, W_i: np.ndarray, b_i: np.ndarray) -> np.ndarray:
    """i_t = σ(W_i·[h_{t-1}, x_t] + b_i). hx (H + D,), W_i (H, H + D), b_i (H,) -> (H,)."""
    return _layer(hx, W_i, b_i, sigmoid, "W_i", "b_i")


def candidate(hx: np.ndarray, W_C: np.ndarray, b_C: np.ndarray) -> np.ndarray:
    """C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C). hx (H + D,), W_C (H, H + D), b_C (H,) -> (H,)."""
    return _layer(hx, W_C, b_C, tanh, "W_C", "b_C")


def update_cell(
    f_t: np.ndarray, C_prev: np.ndarray, i_t: np.ndarray, C_tilde: np.ndarray
) -> np.ndarray:
    """C_t = f_t * C_{t-1} + i_t * C̃_t, all (H,), pointwise."""
    C_prev = vector("C_prev", C_prev)
    hidden = (C_prev.size,)
    f_t = checked("f_t", f_t, hidden, "(hidden,), like C_{t-1}")
    i_t = checked("i_t", i_t, hidden, "(hidden,), like C_{t-1}")
    C_tilde = checked("C_tilde", C_tilde, hidden, "(hidden,), like C_{t-1}")
    return f_t * C_prev + i_t * C_tilde


def output_gate(hx: np.ndarray, W_o: np.ndarray, b_o: np.ndarray) -> np.ndarray:
    """o_t = σ(W_o·[h_{t-1}, x_t] + b_o). hx (H + D,), W_o (H, H + D), b_o (H,) -> (H,)."""
    return _layer(hx, W_o, b_o, sigmoid, "W_o", "b_o")


def hidden_state(o_t: np.ndarray, C_t: np.ndarray) -> np.ndarray:
    """h_t = o_t * tanh(C_t), both (H,); tanh here is the function, not a layer."""
    C_t = vector("C_t", C_t)
    o_t = checked("o_t", o_t, C_t.shape, "(hidden,), like C_t")
    return o_t * tanh(C_t)


def lstm_cell(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, params: LSTMParams
) -> LSTMStep:
    """One step. x_t (D,); h_prev, C_prev and every output (H,).

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)
    i_t = σ(W_i·[h_{t-1}, x_t] + b_i)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t * C_{t-1} + i_t * C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)
    h_t = o_t * tanh(C_t)
    """
    p = params
    x_t = checked("x_t", x_t, (p.input_size,), "(input,)")
    h_prev = checked("h_prev", h_prev, (p.hidden_size,), "(hidden,)")
    C_prev = checked("C_prev", C_prev, (p.hidden_size,), "(hidden,)")
    hx = concat_hx(h_prev, x_t)  # [h_{t-1}, x_t]
    f_t = forget_gate(hx, p.W_f, p.b_f)
    i_t = input_gate(hx, p.W_i, p.b_i)
    C_tilde = candidate(hx, p.W_C, p.b_C)
    C_t = update_cell(f_t, C_prev, i_t, C_tilde)
    o_t = output_gate(hx, p.W_o, p.b_o)
    h_t = hidden_state(o_t, C_t)
    return LSTMStep(f_t, i_t, C_tilde, C_t, o_t, h_t)


def stack_steps(steps: list[StepT]) -> StepT:
    """A list of T steps (LSTMStep, or any NamedTuple of (H,) arrays) as one step of (T, H)."""
    return type(steps[0])(*(np.stack(field) for field in zip(*steps, strict=True)))


def lstm_unroll(
    xs: np.ndarray,
    params: LSTMParams,
    h0: np.ndarray | None = None,
    C0: np.ndarray | None = None,
) -> LSTMStep:
    """The cell along a sequence: xs (T, D) -> an LSTMStep whose fields are each (T, H).

    h0 and C0 (H,) default to zeros, as in PyTorch.
    """
    xs = sequence(xs, params.input_size)
    h_t = initial_state("h0", h0, params.hidden_size)
    C_t = initial_state("C0", C0, params.hidden_size)
    steps = []
    for x_t in xs:
        step = lstm_cell(x_t, h_t, C_t, params)
        h_t, C_t = step.h_t, step.C_t
        steps.append(step)
    return stack_steps(steps)
