"""Checking inputs on the way in, so a wrong shape fails with the article's symbol.

A student who passes W_f of shape (3, 3) reads
``W_f has shape (3, 3); expected (3, 6) = (hidden, hidden + input)``,
not a matmul traceback three frames down. The cells call these once, on the way in, and
then compute their equations on plain arrays.

    checked(name, value, expected)   a finite float array of exactly that shape
    concat_hx(h_prev, x_t)           [h_{t-1}, x_t], the vector every layer acts on
    initial_state(name, value, H)    h_0 or C_0: zeros unless given
    sequence(xs, D)                  a whole input sequence (T, D), T ≥ 1
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from lstm_course.i18n import N_, _


def as_float_array(name: str, value: object) -> np.ndarray:
    """``value`` as a float64 array; a ValueError naming ``name`` if it is not finite numbers."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        message = _("{name} must be an array of numbers; got {kind}")
        raise ValueError(message.format(name=name, kind=type(value).__name__)) from exc
    if not _all_finite(array):
        message = _("{name} contains non-finite values (nan or inf): {array}")
        raise ValueError(message.format(name=name, array=array))
    return array


def _all_finite(array: np.ndarray) -> bool:
    """No nan or inf in ``array``. v·v is nan or inf if any value is (one fast product);
    only when it overflows on large finite values does every value get looked at."""
    flat = array.ravel()
    return math.isfinite(flat @ flat) or bool(np.isfinite(flat).all())


def check_shape(name: str, value: np.ndarray, expected: tuple[int, ...], meaning: str = "") -> None:
    """A ValueError naming ``name`` and both shapes unless ``value`` has shape ``expected``."""
    if np.shape(value) != tuple(expected):
        hint = f" = {_(meaning)}" if meaning else ""
        message = _("{name} has shape {shape}; expected {expected}{hint}")
        raise ValueError(
            message.format(name=name, shape=np.shape(value), expected=tuple(expected), hint=hint)
        )


def checked(name: str, value: object, expected: tuple[int, ...], meaning: str = "") -> np.ndarray:
    """``as_float_array`` then ``check_shape``: the one call every public function makes."""
    array = as_float_array(name, value)
    if array.shape != tuple(expected):
        check_shape(name, array, expected, meaning)
    return array


def vector(name: str, value: object) -> np.ndarray:
    """A finite 1-D float array of any length (the length is checked against others later)."""
    array = as_float_array(name, value)
    if array.ndim != 1:
        message = _("{name} has shape {shape}; expected a vector (n,)")
        raise ValueError(message.format(name=name, shape=array.shape))
    return array


def matrix(name: str, value: object) -> np.ndarray:
    """A finite 2-D float array of any shape."""
    array = as_float_array(name, value)
    if array.ndim != 2:
        message = _("{name} has shape {shape}; expected a matrix (rows, columns)")
        raise ValueError(message.format(name=name, shape=array.shape))
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


WEIGHT_MEANING = N_("(hidden, hidden + input)")
"""How an error reads the shape of every W acting on [h_{t-1}, x_t]."""

MEANINGS = (
    N_("(hidden,)"),
    N_("(input,)"),
    N_("(inputs,)"),
    N_("(hidden, input)"),
    N_("(hidden, hidden)"),
    N_("(hidden,), like h_prev"),
    N_("(hidden,), like C_prev"),
    N_("(hidden,), like C_{t-1}"),
    N_("(steps, hidden) = ∂L/∂h_t from above"),
    N_("(T, H) = (steps, hidden)"),
    N_("(T, D) = (steps, input)"),
    N_("(len(b), len(hx)) = (outputs, inputs)"),
    N_("xs's shape"),
    N_("t's shape"),
    N_("train_loss's shape"),
)
"""The shapes in words that the package's checks pass as ``meaning``: an error shows them in the
package's language (``check_shape`` translates ``meaning``; these mark them for extraction)."""


def concat_hx(h_prev: np.ndarray, x_t: np.ndarray) -> np.ndarray:
    """[h_{t-1}, x_t]: h_{t-1} (H,) then x_t (D,), one vector of H + D values."""
    return np.concatenate([vector("h_prev", h_prev), vector("x_t", x_t)])


def initial_state(name: str, value: np.ndarray | None, hidden_size: int) -> np.ndarray:
    """The state before the first step: zeros (H,) unless given, checked when given."""
    if value is None:
        return np.zeros(hidden_size)
    return checked(name, value, (hidden_size,), "(hidden,)")


def sequence(xs: np.ndarray, input_size: int) -> np.ndarray:
    """A whole input sequence xs, checked to be (T, D) with T ≥ 1."""
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 2 or xs.shape[1] != input_size or xs.shape[0] == 0:
        message = _("xs has shape {shape}; expected (T, {D}) = (steps, input)")
        raise ValueError(message.format(shape=xs.shape, D=input_size))
    return checked("xs", xs, xs.shape)
