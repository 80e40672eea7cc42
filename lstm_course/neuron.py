"""A neuron and a dense layer: the building blocks of every gate.

neuron:             y = a(w·x + b)          one output
neuron_response:    y = a(w·x + b)          a one-input neuron, for many inputs x
dense_layer:        y = a(W·x + b)          one output per row of W
dense_layer_parts:  z = W·x + b, y = a(z)   both, for a picture that shows the step between

The article's key distinction (§3.3): a **sigmoid layer** σ(W·v + b) maps the 6 values of
[h_{t-1}, x_t] to 3 values (W is 3×6), while the **σ function** maps 6 values to 6.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

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


def neuron_response(
    x_values: np.ndarray, w: float, b: float, activation: Activation = sigmoid
) -> np.ndarray:
    """A one-input neuron y = a(w·x + b) for every x in ``x_values`` (n,); returns (n,)."""
    x_values = vector("x_values", x_values)
    w = float(checked("w", w, ()))
    b = float(checked("b", b, ()))
    return activation(w * x_values + b)


class LayerParts(NamedTuple):
    """A dense layer's two steps: z = W·x + b, then y = a(z); each (m,)."""

    z: np.ndarray
    y: np.ndarray


def _layer_inputs(x, W, b, names: tuple[str, str, str], meaning: str) -> tuple[np.ndarray, ...]:
    x_name, W_name, b_name = names
    x = vector(x_name, x)
    b = vector(b_name, b)
    W = checked(W_name, W, (b.size, x.size), meaning or f"(len({b_name}), len({x_name}))")
    return x, W, b


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
    x, W, b = _layer_inputs(x, W, b, names, meaning)
    return activation(W @ x + b)


def dense_layer_parts(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, activation: Activation = sigmoid
) -> LayerParts:
    """The dense layer in its two steps, z = W·x + b and y = a(z); x (n,), W (m, n), b (m,)."""
    x, W, b = _layer_inputs(x, W, b, ("x", "W", "b"), "")
    z = W @ x + b
    y = activation(z)
    return LayerParts(z, y)
