"""The activation functions of the article: σ (sigmoid) and tanh, plus ReLU for comparison.

These are *functions*: they act elementwise, n values in, n values out. A sigmoid *layer*
(W·v + b, then σ) is something else; see ``neuron.dense_layer``.
"""

from __future__ import annotations

import numpy as np

from lstm_course.i18n import _


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}), elementwise, in (0, 1).

    Numerically safe: e^{-|z|} never overflows, so |z| up to 1e4 (and beyond) gives no warning.
    σ(z) = 1 / (1 + e^{-z}) for z ≥ 0 and e^{z} / (1 + e^{z}) for z < 0.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # e^{-|z|} in (0, 1]: cannot overflow
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def tanh(z: np.ndarray | float) -> np.ndarray:
    """tanh(z) = (e^{z} − e^{-z}) / (e^{z} + e^{-z}), elementwise, in (−1, 1)."""
    return np.tanh(np.asarray(z, dtype=np.float64))


def relu(z: np.ndarray | float) -> np.ndarray:
    """ReLU(z) = max(0, z), elementwise."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def logit(p: np.ndarray | float) -> np.ndarray:
    """The inverse of σ: logit(p) = ln(p / (1 − p)), for p in (0, 1).

    It answers "which pre-activation gives this gate value?": σ(logit(0.1)) = 0.1.
    """
    p = np.asarray(p, dtype=np.float64)
    if np.any((p <= 0) | (p >= 1)):
        raise ValueError(_("logit needs values strictly between 0 and 1; got {p}").format(p=p))
    return np.log(p) - np.log1p(-p)
