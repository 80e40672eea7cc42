"""The check for notebook 01's exercise: write the article's sigmoid layer.

The student writes ``sigmoid_layer(hx, W, b)`` returning σ(W·[h_{t-1}, x_t] + b): 6 values in,
3 out. The check runs it on the article's vector and on hidden cases, and names the mistake
it recognises: the σ *function* instead of the layer (6 outputs, expected 3), a missing or
misplaced bias, another activation, no activation, or W used the wrong way round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises.checking import (
    ErrorHints,
    as_array,
    call_student,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake

TOLERANCE = 1e-6

SigmoidLayer = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


class LayerCase(NamedTuple):
    """One hidden test: hx (n,), W (m, n), b (m,)."""

    name: str
    hx: np.ndarray
    W: np.ndarray
    b: np.ndarray


def layer_cases() -> list[LayerCase]:
    """The article's 6-vector with seeded 3×6 weights, then a square case (3 in, 3 out),
    where W and its transpose both fit and only the values tell them apart."""
    rng = np.random.default_rng(2024)
    return [
        LayerCase(
            "the article's [h_{t-1}, x_t]",
            worked_example.hx.copy(),
            np.round(rng.normal(0.0, 0.5, (3, 6)), 2),
            np.array([0.5, -2.0, 1.5]),
        ),
        LayerCase(
            "a square layer (3 in, 3 out)",
            rng.normal(size=3),
            rng.normal(size=(3, 3)),
            rng.normal(size=3),
        ),
    ]


FIX = "return sigmoid(W @ hx + b)"
"""The right layer: the second level of feedback, shown with ``show_fix=True``."""


def check_sigmoid_layer(sigmoid_layer: SigmoidLayer | None, show_fix: bool = False) -> Feedback:
    """Run ``sigmoid_layer(hx, W, b)`` on hidden cases; expected σ(W·hx + b), shape (m,).

    ``None`` (the exercise not started) gets a hint rather than an error.
    """

    def check() -> Feedback:
        require_function(sigmoid_layer, "sigmoid_layer(hx, W, b)")
        for case in layer_cases():
            where = f"on {case.name}"
            result = call_student(sigmoid_layer, (case.hx, case.W, case.b), where, _hints(case))
            verdict = _check_case(as_array(result, "σ(W·hx + b)", where), case)
            if verdict is not None:
                return verdict
        return correct(
            "Correct: σ(W·[h_{t-1}, x_t] + b) turns the 6 values into 3, one neuron per row of W."
        )

    return run_check(check, show_fix, FIX)


def _hints(case: LayerCase) -> ErrorHints:
    """How numpy's errors read for a layer with W (n_out, n_in)."""
    n_out, n_in = case.W.shape
    return ErrorHints(
        matmul=(
            f"Wrong orientation: the product failed ({{error}}). W is ({n_out}, {n_in}) and hx is "
            f"({n_in},): write W @ hx, so each of the {n_out} rows of W meets all {n_in} values."
        ),
        broadcast=(
            f"The shapes do not fit ({{error}}). b has {n_out} values: add it to W @ hx "
            f"({n_out} values), not to hx ({n_in} values)."
        ),
    )


def _check_case(out: np.ndarray, case: LayerCase) -> Feedback | None:
    """None if the student's layer output ``out`` is right on ``case``; otherwise what is wrong."""
    hx, W, b = case.hx, case.W, case.b
    n_out, n_in = W.shape
    if out.shape == hx.shape and np.allclose(out, sigmoid(hx), atol=TOLERANCE):
        return mistake(
            f"You applied the σ function: {out.size} outputs, expected {n_out}. "
            "σ alone works value by value; a sigmoid layer first mixes all "
            f"{n_in} values with W ({n_out}×{n_in}) and adds b, then applies σ."
        )
    if out.shape == W.shape:
        return mistake(
            f"On {case.name}: your output has shape {out.shape}, the shape of W. W * hx "
            "multiplies value by value; the matrix product W @ hx also sums each row."
        )
    if out.shape != (n_out,):
        return mistake(
            f"On {case.name}: your output has shape {out.shape}; expected ({n_out},), "
            f"one value per row of W ({n_out}×{n_in})."
        )
    z = W @ hx + b
    if np.allclose(out, sigmoid(z), atol=TOLERANCE):
        return None
    known = [
        (sigmoid(W @ hx), "the bias is missing: the layer is σ(W·hx + b), not σ(W·hx)."),
        (
            sigmoid(W @ hx) + b,
            "you added b after σ: the bias goes inside, σ(W·hx + b), so outputs stay in (0, 1).",
        ),
        (z, "no activation: you returned z = W·hx + b; apply σ to it."),
        (tanh(z), "wrong activation: you used tanh; a sigmoid layer applies σ to W·hx + b."),
        (relu(z), "wrong activation: you used ReLU; a sigmoid layer applies σ to W·hx + b."),
    ]
    if n_out == n_in:  # only a square W fits both ways round
        known.append(
            (
                sigmoid(W.T @ hx + b),
                "wrong orientation: you used W transposed. Each *row* of W is one neuron, so "
                "compute W @ hx (rows of W meet hx), not hx @ W or W.T @ hx.",
            )
        )
    for candidate, message in known:
        if np.allclose(out, candidate, atol=TOLERANCE):
            return mistake(f"On {case.name}: {message}")
    return mistake(
        f"On {case.name}: your output {np.round(out, 3)} differs from "
        f"σ(W·hx + b) = {np.round(sigmoid(z), 3)}."
    )
