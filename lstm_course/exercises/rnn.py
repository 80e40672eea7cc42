"""Checks for notebooks 03 and 04: unrolling an RNN, counting its weights, and a gradient.

Each check runs the student's function on hidden cases, compares with the package (or with
PyTorch autograd) and returns a ``Feedback`` that names the misconception it recognised.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.rnn import RNNParams, rnn_cell, rnn_unroll

TOLERANCE = 1e-8


def _attempt(fn: Callable | None, *args) -> tuple[object, Feedback | None]:
    """Call the student's fn; a Feedback instead of a result if it is missing or raises."""
    if fn is None:
        return None, mistake("Not answered yet: replace None with your function.")
    try:
        return fn(*args), None
    except Exception as exc:  # any error in the student's code becomes feedback
        return None, mistake(f"Your function raised {type(exc).__name__}: {exc}")


def _as_array(answer: object) -> tuple[np.ndarray | None, Feedback | None]:
    """The student's answer as a float array; a Feedback if it is None or not numbers."""
    if answer is None:
        return None, mistake("Your function returned None: is a `return` missing?")
    try:
        return np.asarray(answer, dtype=float), None
    except (TypeError, ValueError):
        return None, mistake(f"Your function returned a {type(answer).__name__}, not an array.")


def _unroll_cases() -> list[tuple[np.ndarray, RNNParams]]:
    rng = np.random.default_rng(2024)
    return [
        (rng.normal(size=(5, 2)), RNNParams.random(2, 3, rng)),
        (rng.normal(size=(7, 1)), RNNParams.random(1, 4, rng)),
    ]


def check_unroll(my_rnn_unroll: Callable[[np.ndarray, RNNParams], np.ndarray] | None) -> Feedback:
    """Check ``my_rnn_unroll(xs, params) -> hs``: xs (T, D) -> hs (T, H), h_0 = 0.

    Recognises: returning only h_T; stacking h_0 too (T + 1 rows); starting every step from
    h_0 = 0 (the state is not carried); feeding x_1 at every step.
    """
    for xs, params in _unroll_cases():
        hs, failed = _attempt(my_rnn_unroll, xs, params)
        if failed:
            return failed
        hs, failed = _as_array(hs)
        if failed:
            return failed
        expected = rnn_unroll(xs, params)
        T, H = expected.shape
        if hs.shape == (H,):
            return mistake(
                f"You returned one vector of shape ({H},), the last h_T only; "
                f"return every h_t stacked: shape ({T}, {H}) = (T, H)."
            )
        if hs.shape == (T + 1, H):
            return mistake(
                f"You returned {T + 1} rows: h_0 is the starting state, not an output; "
                f"return h_1 … h_T, shape ({T}, {H})."
            )
        if hs.shape != (T, H):
            return mistake(f"hs has shape {hs.shape}; expected ({T}, {H}) = (T, H).")
        if np.allclose(hs, expected, atol=TOLERANCE, rtol=0):
            continue
        fresh = np.stack([rnn_cell(x_t, np.zeros(H), params) for x_t in xs])
        if np.allclose(hs, fresh, atol=TOLERANCE, rtol=0):
            return mistake(
                "Every step started from h_0 = 0: pass each step's h_t on as the next "
                "step's h_{t-1}. Without it the RNN has no memory at all."
            )
        repeated = rnn_unroll(np.repeat(xs[:1], T, axis=0), params)
        if np.allclose(hs, repeated, atol=TOLERANCE, rtol=0):
            return mistake("Every step read x_1: step t must read its own x_t (xs[t - 1]).")
        if np.allclose(hs[0], expected[0], atol=TOLERANCE, rtol=0):
            return mistake(
                "h_1 is right but later steps are not: check how h_{t-1} reaches step t."
            )
        return mistake(
            "Your h_1 already differs from rnn_cell(x_1, zeros, params): use the "
            "package's rnn_cell for each step."
        )
    return correct("Correct: one cell, the same W and b at every step, h_t carried forward.")


def rnn_parameter_count(input_size: int, hidden_size: int) -> int:
    """H·(H + D) + H: W (H, H + D) and b (H,), the same for every step."""
    return hidden_size * (hidden_size + input_size) + hidden_size


def check_parameter_count(count: Callable[[int, int, int], int] | None) -> Feedback:
    """Check ``count(D, H, T)``: the number of trainable numbers of an RNN read over T steps.

    Recognises: multiplying by T (weights are shared across time), forgetting b, forgetting
    the recurrent block W_hh, or counting PyTorch's two biases.
    """
    for D, H, T in [(3, 3, 5), (1, 16, 100), (10, 4, 7)]:
        answer, failed = _attempt(count, D, H, T)
        if failed:
            return failed
        expected = rnn_parameter_count(D, H)
        if answer == expected:
            continue
        if answer == expected * T:
            return mistake(
                f"For D={D}, H={H}, T={T} you counted {answer} = {expected} × T: "
                "the T unrolled copies share one W and one b, so T does not count."
            )
        if answer == H * (H + D):
            return mistake(
                f"For D={D}, H={H} you counted {answer}: W only; add the {H} entries of b."
            )
        if answer == H * D + H:
            return mistake(
                f"For D={D}, H={H} you counted {answer}: that is a feed-forward "
                f"layer; W also has the H×H block acting on h_(t-1)."
            )
        if answer == expected + H:
            return mistake(
                f"For D={D}, H={H} you counted {answer}: PyTorch keeps two biases "
                "(bias_ih, bias_hh), but the article's one b is their sum."
            )
        return mistake(f"For D={D}, H={H}, T={T} you counted {answer}; expected {expected}.")
    return correct("Correct: H·(H + D) + H, whatever T is: the weights are shared across time.")


def _close_to(answer: np.ndarray) -> Callable[[np.ndarray], bool]:
    return lambda candidate: np.allclose(answer, candidate, atol=TOLERANCE, rtol=1e-9)


def _autograd_jacobian(W_hh: np.ndarray, T: int) -> np.ndarray:
    """∂h_T/∂h_0 of the linear recurrence h_t = W_hh·h_{t-1}, by PyTorch autograd."""
    W = torch.from_numpy(W_hh)

    def unroll(h_0: torch.Tensor) -> torch.Tensor:
        h_t = h_0
        for _ in range(T):
            h_t = W @ h_t
        return h_t

    h_0 = torch.zeros(W_hh.shape[0], dtype=torch.float64)
    return torch.autograd.functional.jacobian(unroll, h_0).numpy()


def check_linear_jacobian(jacobian: Callable[[np.ndarray, int], np.ndarray] | None) -> Feedback:
    """Check ``jacobian(W_hh, T)`` = ∂h_T/∂h_0 for h_t = W_hh·h_{t-1}, against autograd.

    The answer is the matrix power W_hh^T. Recognises: the elementwise power W_hh ** T,
    T·W_hh, the transpose, and a power off by one.
    """
    rng = np.random.default_rng(7)
    for H, T in [(3, 5), (4, 8)]:
        W_hh = rng.normal(0.0, 0.6, (H, H))
        answer, failed = _attempt(jacobian, W_hh, T)
        if failed:
            return failed
        answer, failed = _as_array(answer)
        if failed:
            return failed
        expected = _autograd_jacobian(W_hh, T)
        if answer.shape != (H, H):
            return mistake(
                f"For H={H} your result has shape {answer.shape}; ∂h_T/∂h_0 is "
                f"({H}, {H}): one row per unit of h_T, one column per unit of h_0."
            )
        close = _close_to(answer)
        if close(expected):
            continue
        if close(W_hh**T):
            return mistake(
                "W_hh ** T raises each entry to the power T. The chain rule "
                "multiplies matrices: np.linalg.matrix_power(W_hh, T)."
            )
        if close(T * W_hh):
            return mistake(
                "T · W_hh adds the steps up; the chain rule multiplies them: "
                "W_hh · W_hh · … (T times)."
            )
        if close(expected.T):
            return mistake(
                "That is the transpose: row i should hold ∂h_T[i]/∂h_0, i.e. W_hh^T "
                "as a matrix power, not (W_hh^T)ᵀ."
            )
        for off in (-1, 1):
            if close(np.linalg.matrix_power(W_hh, T + off)):
                return mistake(
                    f"That is W_hh to the power {T + off}: T steps take exactly T "
                    "factors, one per step from h_0 to h_T."
                )
        return mistake(
            "Your matrix differs from autograd's ∂h_T/∂h_0. Unroll by hand for "
            "T = 2: h_2 = W_hh·(W_hh·h_0)."
        )
    return correct(
        "Correct, and equal to autograd: ∂h_T/∂h_0 = W_hh^T, a matrix power. Its size "
        "goes like ρ(W_hh)^T."
    )
