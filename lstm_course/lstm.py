"""The LSTM cell of the article's §3, one example and one time step at a time.

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)          forget gate   遗忘门      (§3.3)
    i_t = σ(W_i·[h_{t-1}, x_t] + b_i)          input gate    记忆门/输入门 (§3.4)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)       candidate     候选状态     (§3.4)
    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t            cell update   细胞状态     (§3.5)
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)          output gate   输出门      (§3.6)
    h_t = o_t ⊙ tanh(C_t)                      hidden state  输出信号     (§3.6)

Every W_* is (H, H + D) and acts on [h_{t-1}, x_t], h first; every b_* is (H,).
W·v is the matrix-vector product (``W @ v`` in the code), ⊙ the pointwise one (``*``).
σ and tanh in the gates are *layers* (a weight matrix, then the function); the tanh in
h_t = o_t ⊙ tanh(C_t) is the plain *function* (the article's note in §3.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import numpy as np

from lstm_course.activations import sigmoid, tanh
from lstm_course.params import CellParams, recurrent_blocks
from lstm_course.shapes import (
    WEIGHT_MEANING,
    as_float_array,
    checked,
    initial_state,
    sequence,
    vector,
)

StepT = TypeVar("StepT", bound=tuple)


@dataclass(frozen=True)
class LSTMParams(CellParams):
    """Every W_* is (H, H + D) and acts on [h_{t-1}, x_t]; every b_* is (H,).

    ``LSTMParams.random(D, H, rng)`` draws them as PyTorch does; ``LSTMParams.zeros(D, H)``
    gives every gate σ(0) = 0.5 and C̃_t = tanh(0) = 0.
    """

    SHAPES = recurrent_blocks(("W_f", "b_f"), ("W_i", "b_i"), ("W_C", "b_C"), ("W_o", "b_o"))

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


def _layer_inputs(hx, W, b, W_name: str, b_name: str) -> tuple[np.ndarray, ...]:
    """hx (H + D,), W (H, H + D), b (H,) checked, so a wrong shape names W_f, b_i, …"""
    hx = vector("[h_{t-1}, x_t]", hx)
    b = vector(b_name, b)
    W = checked(W_name, W, (b.size, hx.size), WEIGHT_MEANING)
    return hx, W, b


def forget_gate(hx: np.ndarray, W_f: np.ndarray, b_f: np.ndarray) -> np.ndarray:
    """f_t = σ(W_f·[h_{t-1}, x_t] + b_f). hx (H + D,), W_f (H, H + D), b_f (H,) -> (H,)."""
    hx, W_f, b_f = _layer_inputs(hx, W_f, b_f, "W_f", "b_f")
    return sigmoid(W_f @ hx + b_f)


def input_gate(hx: np.ndarray, W_i: np.ndarray, b_i: np.ndarray) -> np.ndarray:
    """i_t = σ(W_i·[h_{t-1}, x_t] + b_i). hx (H + D,), W_i (H, H + D), b_i (H,) -> (H,)."""
    hx, W_i, b_i = _layer_inputs(hx, W_i, b_i, "W_i", "b_i")
    return sigmoid(W_i @ hx + b_i)


def candidate(hx: np.ndarray, W_C: np.ndarray, b_C: np.ndarray) -> np.ndarray:
    """C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C). hx (H + D,), W_C (H, H + D), b_C (H,) -> (H,)."""
    hx, W_C, b_C = _layer_inputs(hx, W_C, b_C, "W_C", "b_C")
    return tanh(W_C @ hx + b_C)


def update_cell(
    f_t: np.ndarray, C_prev: np.ndarray, i_t: np.ndarray, C_tilde: np.ndarray
) -> np.ndarray:
    """C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, all (H,), pointwise."""
    C_prev = vector("C_prev", C_prev)
    hidden = (C_prev.size,)
    f_t = checked("f_t", f_t, hidden, "(hidden,), like C_{t-1}")
    i_t = checked("i_t", i_t, hidden, "(hidden,), like C_{t-1}")
    C_tilde = checked("C_tilde", C_tilde, hidden, "(hidden,), like C_{t-1}")
    return f_t * C_prev + i_t * C_tilde


def output_gate(hx: np.ndarray, W_o: np.ndarray, b_o: np.ndarray) -> np.ndarray:
    """o_t = σ(W_o·[h_{t-1}, x_t] + b_o). hx (H + D,), W_o (H, H + D), b_o (H,) -> (H,)."""
    hx, W_o, b_o = _layer_inputs(hx, W_o, b_o, "W_o", "b_o")
    return sigmoid(W_o @ hx + b_o)


def hidden_state(o_t: np.ndarray, C_t: np.ndarray) -> np.ndarray:
    """h_t = o_t ⊙ tanh(C_t), both (H,); tanh here is the function, not a layer."""
    C_t = vector("C_t", C_t)
    o_t = checked("o_t", o_t, C_t.shape, "(hidden,), like C_t")
    return o_t * tanh(C_t)


def step_inputs(x_t, h_prev, C_prev, params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x_t (D,), h_prev (H,), C_prev (H,) checked against ``params``' sizes, once per step."""
    D, H = params.input_size, params.hidden_size
    x_t = checked("x_t", x_t, (D,), "(input,)")
    h_prev = checked("h_prev", h_prev, (H,), "(hidden,)")
    C_prev = checked("C_prev", C_prev, (H,), "(hidden,)")
    return x_t, h_prev, C_prev


def lstm_cell(
    x_t: np.ndarray, h_prev: np.ndarray, C_prev: np.ndarray, params: LSTMParams
) -> LSTMStep:
    """One step. x_t (D,); h_prev, C_prev and every output (H,).

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)
    i_t = σ(W_i·[h_{t-1}, x_t] + b_i)
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)
    h_t = o_t ⊙ tanh(C_t)

    The inputs are checked once, on the way in; the weights were checked when ``params``
    was built. Then the six lines are the article's six equations.
    """
    p = params
    x_t, h_prev, C_prev = step_inputs(x_t, h_prev, C_prev, p)
    hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
    f_t = sigmoid(p.W_f @ hx + p.b_f)
    i_t = sigmoid(p.W_i @ hx + p.b_i)
    C_tilde = tanh(p.W_C @ hx + p.b_C)
    C_t = f_t * C_prev + i_t * C_tilde
    o_t = sigmoid(p.W_o @ hx + p.b_o)
    h_t = o_t * tanh(C_t)
    return LSTMStep(f_t, i_t, C_tilde, C_t, o_t, h_t)


def gate_values_step(
    C_prev: np.ndarray, f_t: np.ndarray, i_t: np.ndarray, C_tilde: np.ndarray, o_t: np.ndarray
) -> LSTMStep:
    """The step a cell takes when its gates and candidate are set by hand, not by weights.

    C_prev, f_t, i_t, C_tilde, o_t: each (H,) (a number is spread over all H units).
    Returns the LSTMStep (f_t, i_t, C̃_t, C_t, o_t, h_t) with

    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
    h_t = o_t ⊙ tanh(C_t)
    """
    C_prev = vector("C_prev", C_prev)
    H = C_prev.size
    f_t, i_t, C_tilde, o_t = (
        _per_unit(name, value, H)
        for name, value in (("f_t", f_t), ("i_t", i_t), ("C_tilde", C_tilde), ("o_t", o_t))
    )
    C_t = f_t * C_prev + i_t * C_tilde
    h_t = o_t * tanh(C_t)
    return LSTMStep(f_t, i_t, C_tilde, C_t, o_t, h_t)


def _per_unit(name: str, value, hidden: int) -> np.ndarray:
    """``value`` as an (H,) vector: a number is spread over the H units."""
    value = as_float_array(name, value)
    if value.ndim == 0:
        value = np.full(hidden, float(value))
    return checked(name, value, (hidden,), "(hidden,), like C_{t-1}")


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
