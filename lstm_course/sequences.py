"""Why sequences need memory (the article's §1.2.2 and §4), in two small computations.

1. A feed-forward net fed the words of a sentence one by one, with nothing carried between
   them, can only combine them in an order-blind way, e.g. a sum::

       bag = x_1 + x_2 + … + x_T            the same for every ordering of the x_t

   whereas a state carried from step to step (a fading memory) sees the order::

       h_t = λ·h_{t-1} + x_t                h_T differs when the words are shuffled

   The article's sentence "地球上最高的山是珠穆朗玛峰" ("the highest mountain on Earth is
   Qomolangma") tokenised by hand as it does: 地球 / 上 / 最高的 / 山 / 是 / 珠穆朗玛峰.

2. sin → cos is not a function: every t' with sin t' = sin t gives the same input, yet
   cos t' = +cos t or −cos t. The exact times are t' = t + 2πk and t' = π − t + 2πk.
   Without time, the best any function of sin t alone can predict is the average of the two
   branches, 0, whose mean squared error is mean(cos² t) ≈ 0.5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lstm_course.shapes import as_float_array, checked, matrix, vector

EVEREST_SENTENCE = "地球上最高的山是珠穆朗玛峰"
EVEREST_TOKENS = ("地球", "上", "最高的", "山", "是", "珠穆朗玛峰")
EVEREST_GLOSS = ("Earth", "on", "highest", "mountain", "is", "Qomolangma")

TWO_PI = 2.0 * np.pi
_TIME_TOLERANCE = 1e-9  # two times closer than this are one time (t = π/2 + kπ)


# --- 1. Order: a bag of words against a fading memory -------------------------------------


def word_vectors(
    tokens: Sequence[str], dim: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """A random vector of ``dim`` values for each distinct token (a toy embedding table).

    Returns token -> (dim,). Equal tokens share one vector, as in a real embedding.
    """
    if dim < 1:
        raise ValueError(f"dim must be at least 1; got {dim}")
    if len(tokens) == 0:
        raise ValueError("tokens is empty; expected at least one token")
    distinct = list(dict.fromkeys(tokens))
    return {token: rng.normal(size=dim) for token in distinct}


def embed(tokens: Sequence[str], vectors: dict[str, np.ndarray]) -> np.ndarray:
    """The sentence as a sequence of vectors: xs (T, D), row t is the vector of token t."""
    if len(tokens) == 0:
        raise ValueError("tokens is empty; expected at least one token")
    missing = [token for token in tokens if token not in vectors]
    if missing:
        raise ValueError(f"no vector for the token(s) {missing}; known: {list(vectors)}")
    return np.stack([vectors[token] for token in tokens])


def bag_of_words(xs: np.ndarray) -> np.ndarray:
    """What a feed-forward net can make of words seen one by one: bag = Σ_t x_t.

    xs (T, D) -> (D,). Addition commutes, so every ordering of the rows gives the same bag.
    """
    xs = matrix("xs", xs)
    return xs.sum(axis=0)


def fading_memory(xs: np.ndarray, decay: float) -> np.ndarray:
    """A state carried through time: h_t = λ·h_{t-1} + x_t from h_0 = 0, with λ = ``decay``.

    xs (T, D) -> hs (T, D); hs[-1] = Σ_t λ^{T-t}·x_t weighs recent words most when λ < 1, so
    it changes when the words are reordered; at λ = 1 it is the bag of words again.
    It is the simplest recurrence: notebook 03's RNN cell replaces λ by a learned matrix and
    adds tanh.
    """
    xs = matrix("xs", xs)
    decay = float(checked("decay", decay, ()))
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"decay (λ) must be in [0, 1]; got {decay}")
    hs = np.empty_like(xs)
    h = np.zeros(xs.shape[1])
    for t, x in enumerate(xs):
        h = decay * h + x
        hs[t] = h
    return hs


def shuffled(tokens: Sequence[str], rng: np.random.Generator) -> tuple[str, ...]:
    """The same tokens in a random order that differs from the given one (when one exists)."""
    tokens = tuple(tokens)
    if len(set(tokens)) < 2:
        return tokens
    while True:
        order = rng.permutation(len(tokens))
        candidate = tuple(tokens[k] for k in order)
        if candidate != tokens:
            return candidate


# --- 2. Time: sin t does not determine cos t -----------------------------------------------


def same_sin_times(t: float, t_min: float = 0.0, t_max: float = 6 * TWO_PI) -> np.ndarray:
    """Every t' in [t_min, t_max] with sin t' = sin t exactly, sorted; t itself included.

    The solutions of sin t' = sin t are t' = t + 2πk and t' = π − t + 2πk for integer k.
    Returns (n,). The default range is the article's data, [0, 12π].
    """
    t = float(checked("t", t, ()))
    t_min = float(checked("t_min", t_min, ()))
    t_max = float(checked("t_max", t_max, ()))
    if t_max < t_min:
        raise ValueError(f"t_max ({t_max}) is smaller than t_min ({t_min})")
    times = []
    for base in (t, np.pi - t):
        # a solution at most _TIME_TOLERANCE outside the range is kept (and clipped onto it)
        k_first = np.ceil((t_min - _TIME_TOLERANCE - base) / TWO_PI)
        k_last = np.floor((t_max + _TIME_TOLERANCE - base) / TWO_PI)
        times.extend(base + TWO_PI * np.arange(k_first, k_last + 1))
    times = np.sort(np.clip(times, t_min, t_max))
    if times.size == 0:
        return times
    distinct = np.concatenate([[True], np.diff(times) > _TIME_TOLERANCE])
    return times[distinct]


def sin_only_mse_floor(y: np.ndarray) -> float:
    """The test MSE of predicting 0 for every point: mean(y²) with y = cos t, (N,) -> float.

    Each sin value comes with cos = +√(1 − sin²) as often as with −√(1 − sin²), so the best
    guess from sin t alone is their average, 0. Over whole periods mean(cos² t) = 0.5: the
    floor a feed-forward net fed sin t cannot go below.
    """
    y = vector("y", y)
    return float(np.mean(y**2))


def mean_squared_error(prediction: np.ndarray, y: np.ndarray) -> float:
    """mean((prediction − y)²); prediction and y (N,)."""
    y = vector("y", y)
    prediction = as_float_array("prediction", prediction)
    if prediction.shape != y.shape:
        raise ValueError(f"prediction has shape {prediction.shape}; expected {y.shape} = y's shape")
    return float(np.mean((prediction - y) ** 2))
