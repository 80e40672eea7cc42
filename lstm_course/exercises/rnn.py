"""Checks for notebooks 03 and 04: unrolling an RNN, counting its weights, and a gradient.

Each check runs the student's function on hidden cases, compares with the package (or with
PyTorch autograd) and returns a ``Feedback`` that names the misconception it recognised;
``show_fix=True`` adds the right code (the machinery is ``exercises.checking``'s).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from lstm_course.exercises.checking import as_array, call_student, require_function, run_check
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.rnn import RNNParams, rnn_cell, rnn_unroll

TOLERANCE = 1e-8

FIXES = {
    "check_unroll": (
        "h_t = np.zeros(params.hidden_size); hs = []; for x_t in xs: "
        "h_t = rnn_cell(x_t, h_t, params); hs.append(h_t); return np.stack(hs)"
    ),
    "check_parameter_count": "return H * (H + D) + H",
    "check_linear_jacobian": "return np.linalg.matrix_power(W_hh, T)",
}
"""The right code for each check: the second level of feedback, shown with ``show_fix=True``."""


NOT_ANSWERED = "Not answered yet: replace None with your function."


def _call(function: Callable | None, args: tuple, signature: str, where: str) -> object:
    """The student's answer on ``args``; the check ends with a sentence if there is none."""
    require_function(function, signature, missing=NOT_ANSWERED)
    return call_student(function, args, where)


def _unroll_cases() -> list[tuple[np.ndarray, RNNParams]]:
    rng = np.random.default_rng(2024)
    return [
        (rng.normal(size=(5, 2)), RNNParams.random(2, 3, rng)),
        (rng.normal(size=(7, 1)), RNNParams.random(1, 4, rng)),
    ]


def check_unroll(
    my_rnn_unroll: Callable[[np.ndarray, RNNParams], np.ndarray] | None, show_fix: bool = False
) -> Feedback:
    """Check ``my_rnn_unroll(xs, params) -> hs``: xs (T, D) -> hs (T, H), h_0 = 0.

    Recognises: returning only h_T; stacking h_0 too (T + 1 rows); starting every step from
    h_0 = 0 (the state is not carried); feeding x_1 at every step.
    """
    return run_check(lambda: _check_unroll(my_rnn_unroll), show_fix, FIXES["check_unroll"])


def _check_unroll(my_rnn_unroll) -> Feedback:
    for k, (xs, params) in enumerate(_unroll_cases()):
        where = f"hidden case {k + 1}"
        hs = _call(my_rnn_unroll, (xs, params), "my_rnn_unroll(xs, params)", where)
        hs = as_array(hs, "hs", where)
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


def check_parameter_count(
    count: Callable[[int, int, int], int] | None, show_fix: bool = False
) -> Feedback:
    """Check ``count(D, H, T)``: the number of trainable numbers of an RNN read over T steps.

    Recognises: multiplying by T (weights are shared across time), forgetting b, forgetting
    the recurrent block W_hh, or counting PyTorch's two biases.
    """
    return run_check(lambda: _check_count(count), show_fix, FIXES["check_parameter_count"])


def _check_count(count) -> Feedback:
    for D, H, T in [(3, 3, 5), (1, 16, 100), (10, 4, 7)]:
        answer = _call(count, (D, H, T), "count(D, H, T)", f"D={D}, H={H}, T={T}")
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


def check_linear_jacobian(
    jacobian: Callable[[np.ndarray, int], np.ndarray] | None, show_fix: bool = False
) -> Feedback:
    """Check ``jacobian(W_hh, T)`` = ∂h_T/∂h_0 for h_t = W_hh·h_{t-1}, against autograd.

    The answer is the matrix power W_hh^T. Recognises: the elementwise power W_hh ** T,
    T·W_hh, the transpose, and a power off by one.
    """
    return run_check(lambda: _check_jacobian(jacobian), show_fix, FIXES["check_linear_jacobian"])


def _check_jacobian(jacobian) -> Feedback:
    rng = np.random.default_rng(7)
    for H, T in [(3, 5), (4, 8)]:
        W_hh = rng.normal(0.0, 0.6, (H, H))
        where = f"H={H}, T={T}"
        answer = as_array(
            _call(jacobian, (W_hh, T), "jacobian(W_hh, T)", where), "∂h_T/∂h_0", where
        )
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
