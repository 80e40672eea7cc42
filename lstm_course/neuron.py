"""A neuron and a dense layer: the building blocks of every gate.

neuron:       y = a(w·x + b)          one output
dense_layer:  y = a(W·x + b)          one output per row of W

The article's key distinction (§3.3): a **sigmoid layer** σ(W·v + b) maps the 6 values of
[h_{t-1}, x_t] to 3 values (W is 3×6), while the **σ function** maps 6 values to 6.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lstm_course.activations import sigmoid
from lstm_course.shapes import checked, vector

Activation = Callable[[np.ndarray], np.ndarray]


def neuron(x: np.ndarray, w: np.ndarray, b: float, activation: Activation = sigmoid) -> float:
    """One neuron: y = a(w·x + b).

    x (n,), w (n,), b a number; returns a float.
    """
    x = vector("x", x)
    w = checked("w", w, x.shape, "(inputs,)")
    b = float(checked("b", b, ()))
    return float(activation(w @ x + b))


def dense_layer(
    x: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    activation: Activation = sigmoid,
    names: tuple[str, str, str] = ("x", "W", "b"),
    meaning: str = "",
) -> np.ndarray:
    """A dense layer: y = a(W·x + b), one neuron per row of W.

    x (n,), W (m, n), b (m,); returns (m,). With ``activation=sigmoid`` this is the
    article's "sigmoid layer". ``names`` are the symbols used in error messages, so an
    LSTM gate can report ``W_f`` rather than ``W``; ``meaning`` reads W's expected shape.
    """
    x_name, W_name, b_name = names
    x = vector(x_name, x)
    b = vector(b_name, b)
    W = checked(W_name, W, (b.size, x.size), meaning or f"(len({b_name}), len({x_name}))")
    return activation(W @ x + b)
