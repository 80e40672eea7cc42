"""Checking inputs on the way in, so a wrong shape fails with the article's symbol.

A student who passes W_f of shape (3, 3) reads
``W_f has shape (3, 3); expected (3, 6) = (hidden, hidden + input)``,
not a matmul traceback three frames down.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np


def as_float_array(name: str, value: object) -> np.ndarray:
    """``value`` as a float64 array; a ValueError naming ``name`` if it is not finite numbers."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers; got {type(value).__name__}") from exc
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains non-finite values (nan or inf): {array}")
    return array


def check_shape(name: str, value: np.ndarray, expected: tuple[int, ...], meaning: str = "") -> None:
    """A ValueError naming ``name`` and both shapes unless ``value`` has shape ``expected``."""
    if np.shape(value) != tuple(expected):
        hint = f" = {meaning}" if meaning else ""
        raise ValueError(f"{name} has shape {np.shape(value)}; expected {tuple(expected)}{hint}")


def checked(name: str, value: object, expected: tuple[int, ...], meaning: str = "") -> np.ndarray:
    """``as_float_array`` then ``check_shape``: the one call every public function makes."""
    array = as_float_array(name, value)
    check_shape(name, array, expected, meaning)
    return array


def vector(name: str, value: object) -> np.ndarray:
    """A finite 1-D float array of any length (the length is checked against others later)."""
    array = as_float_array(name, value)
    if array.ndim != 1:
        raise ValueError(f"{name} has shape {array.shape}; expected a vector (n,)")
    return array


def matrix(name: str, value: object) -> np.ndarray:
    """A finite 2-D float array of any shape."""
    array = as_float_array(name, value)
    if array.ndim != 2:
        raise ValueError(f"{name} has shape {array.shape}; expected a matrix (rows, columns)")
    return array


def frozen(array: np.ndarray) -> np.ndarray:
    """A read-only copy, so a frozen parameter set cannot be changed in place."""
    copy = np.array(array, dtype=np.float64, copy=True)
    copy.setflags(write=False)
    return copy


def freeze_fields(params: object) -> None:
    """Turn every field of a frozen parameter dataclass into a finite, read-only float array."""
    for field in dataclasses.fields(params):
        value = as_float_array(field.name, getattr(params, field.name))
        object.__setattr__(params, field.name, frozen(value))


def recurrent_sizes(params: object, pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """(H, D) of a recurrent cell whose weights W (H, H + D) act on [h_{t-1}, x_t].

    ``pairs`` names each (W, b) block, e.g. [("W_f", "b_f"), ("W_i", "b_i"), ...]. H and D
    are those most of the blocks agree on, so the message names the block that is off:
    ``W_i has shape (3, 5); expected (3, 6) = (hidden, hidden + input)``.
    """
    Ws = {W_name: getattr(params, W_name) for W_name, _ in pairs}
    bs = {b_name: getattr(params, b_name) for _, b_name in pairs}
    for name, b in bs.items():
        if b.ndim != 1:
            raise ValueError(f"{name} has shape {b.shape}; expected a vector (hidden,)")
    for name, W in Ws.items():
        if W.ndim != 2:
            raise ValueError(f"{name} has shape {W.shape}; expected (hidden, hidden + input)")
    hidden = Counter(b.size for b in bs.values()).most_common(1)[0][0]
    columns = Counter(W.shape[1] for W in Ws.values()).most_common(1)[0][0]
    if hidden == 0 or columns <= hidden:
        W_name, b_name = pairs[0]
        raise ValueError(
            f"{W_name} has shape {Ws[W_name].shape} and {b_name} has shape {bs[b_name].shape}; "
            f"expected ({hidden}, {hidden} + input) = (hidden, hidden + input) with input ≥ 1"
        )
    for W_name, b_name in pairs:
        check_shape(b_name, bs[b_name], (hidden,), "(hidden,)")
        check_shape(W_name, Ws[W_name], (hidden, columns), "(hidden, hidden + input)")
    return hidden, columns - hidden
