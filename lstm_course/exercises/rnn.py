"""Checks for notebooks 03 and 04: unrolling an RNN, counting its weights, and its gradients.

    03  my_rnn_unroll(xs, params) -> hs      h_t = tanh(W·[h_{t-1}, x_t] + b), h_0 = 0:
                                             xs (T, D) -> hs (T, H), every h_t stacked
        count_parameters(D, H, T) -> int     H·(H + D) + H, whatever T is
    04  chain_rule(xs, params) -> J          ∂h_t/∂h_0 for t = 1 … T, (T, H, H): the product
                                             of the step Jacobians diag(1 − h_t²)·W_hh
        linear_jacobian(W_hh, T) -> (H, H)   ∂h_T/∂h_0 of h_t = W_hh·h_{t-1}: W_hh^T

Each check runs the student's function on hidden cases — seed 0: the cases the notebook
describes; any other seed: other sizes (H ≠ D, other T) and values drawn from
``np.random.default_rng(seed)`` — compares with the package (or with PyTorch autograd) and,
when the answer is wrong, recomputes it with each known mistake to name the misconception.
A wrong answer's message starts with the misconception's name from ``MISCONCEPTIONS`` and gives
a hint in the article's words, without code; ``show_fix=True`` adds the right code (the
machinery is ``exercises.checking``'s). ``RECOGNISED[check name]`` lists what each check names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import torch

from lstm_course.activations import sigmoid
from lstm_course.exercises.checking import (
    ErrorHints,
    Misconception,
    as_array,
    call_student,
    named,
    one_array_stored,
    recognised,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.gradients import hidden_jacobians
from lstm_course.i18n import N_, _
from lstm_course.rnn import RNNParams, rnn_cell, rnn_unroll, with_spectral_radius

TOLERANCE = 1e-8

FIXES = {
    "check_unroll": "",
    "check_parameter_count": "",
    "check_chain_rule": "",
    "check_linear_jacobian": "",
}
"""No check-wide fix: a failure that names no misconception gets a pointer (which step or value
to compare by hand) and no code; each misconception carries its own fix, the line(s) of that
mistake only, shown with ``show_fix=True``."""

ANSWERS = {
    "check_unroll": {"lstm_course.rnn.rnn_unroll": N_("the RNN unrolled over a sequence")},
    "check_chain_rule": {
        "lstm_course.gradients.hidden_jacobians": N_("∂h_t/∂h_0 for every t, by the chain rule")
    },
}
"""The package's answers, off-limits while a check runs the student's function (``forbidden``)."""

M = Misconception
MISCONCEPTIONS: dict[str, str | Misconception] = {
    # 03, the unrolled loop
    "last_state_only": M(
        N_("Only the last state returned"),
        N_("the RNN emits an h_t at every step; return all of them, one row per step."),
        "return np.stack(hs)  # every h_t, not only the last",
    ),
    "initial_state_stacked": M(
        N_("h_0 stacked as an output"),
        N_("h_0 is the starting state, not an output: return h_1 … h_T, one row per input."),
        "hs = []  # h_0 is the start, not an output: append only the new h_t",
    ),
    "step_missing": M(
        N_("One step too few"),
        N_(
            "there is one step per input x_t, so T inputs give T states; check where the loop "
            "starts and stops."
        ),
        "for x_t in xs:  # one step per input, all T of them",
    ),
    "state_not_carried": M(
        N_("The state not carried from step to step"),
        N_(
            "every step started from h_0 = 0. The arrow from A back to A says: this step's h_t is "
            "the next step's h_{t-1}. Without it the RNN has no memory at all."
        ),
        "np.concatenate([h_t, x_t])  # h_t from the step before; zeros once, before the loop",
    ),
    "first_input_repeated": M(
        N_("x_1 read at every step"),
        N_("step t must read its own input x_t, the t-th row of xs."),
        "for x_t in xs:  # each step reads its own row x_t",
    ),
    "concat_order": M(
        N_("[x_t, h_{t-1}] concatenated in the wrong order"),
        N_(
            "the first H columns of W act on h_{t-1}, the last D on x_t: the state comes first, "
            "[h_{t-1}, x_t]."
        ),
        "np.concatenate([h_t, x_t])  # the state first, then the input",
    ),
    "tanh_forgotten": M(
        N_("tanh forgotten"),
        N_(
            "the cell is a tanh layer: the weighted sum W·[h_{t-1}, x_t] + b goes through tanh, "
            "so every h_t lies in (−1, 1)."
        ),
        "np.tanh(params.W @ hx + params.b)  # tanh around the weighted sum",
    ),
    "sigma_for_tanh": M(
        N_("σ where tanh belongs"),
        N_("the RNN's cell squashes with tanh, into (−1, 1); σ squashes into (0, 1)."),
        "np.tanh(…)  # not sigmoid(…)",
    ),
    "bias_missing": M(
        N_("The bias left out"),
        N_("the cell is tanh(W·[h_{t-1}, x_t] + b): b is added to the weighted sum, inside tanh."),
        "params.W @ hx + params.b  # b inside tanh",
    ),
    "bias_outside": M(
        N_("The bias added after tanh"),
        N_(
            "the cell is tanh(W·[h_{t-1}, x_t] + b): b is added to the weighted sum inside tanh, "
            "so every h_t lies in (−1, 1)."
        ),
        "np.tanh(params.W @ hx + params.b)  # b inside tanh, not after it",
    ),
    "states_one_step_late": M(
        N_("The states one step late (an off-by-one in the loop)"),
        N_(
            "your first row is h_0 = 0 and h_T is missing: store h_t after the step has computed "
            "it from x_t, so that row t is the state that has read x_1 … x_t."
        ),
        "hs.append(h_t)  # after computing h_t, not before",
    ),
    "one_array_stored": M(
        N_("The same array stored T times"),
        N_(
            "every row you returned is the last state: the state was overwritten in place "
            "(h[:] = …) and the list holds T references to one array. Make a new h_t at each "
            "step, or append a copy."
        ),
        "hs.append(h_t.copy())  # or h_t = np.tanh(…), a new array each step",
    ),
    "later_steps_wrong": M(
        N_("h_1 right, later steps not"),
        N_("the first step is right; check how h_{t-1} reaches step t."),
    ),
    "first_step_wrong": M(
        N_("The first step already wrong"),
        N_(
            "your h_1 differs from tanh(W·[h_0, x_1] + b) with h_0 = 0. Compute that one step "
            "first, and compare it with the package's rnn_cell."
        ),
    ),
    # 03, the parameter count
    "counted_per_step": M(
        N_("Weights counted once per step"),
        N_("the T unrolled copies share one W and one b, so T does not count."),
        "# no factor T: the T steps share one W and one b",
    ),
    "bias_not_counted": M(
        N_("The bias not counted"),
        N_("add the H entries of b to those of W."),
        "+ H  # the H entries of b",
    ),
    "recurrent_block_forgotten": M(
        N_("The recurrent block forgotten"),
        N_("that is a feed-forward layer; W also has the H×H block acting on h_{t-1}."),
        "H * (H + D)  # W is (H, H + D): the H×H block on h_{t-1} too",
    ),
    "two_biases": M(
        N_("PyTorch's two biases counted"),
        N_("PyTorch keeps two biases (bias_ih, bias_hh), but the article's one b is their sum."),
        "+ H  # one b, not PyTorch's two",
    ),
    # 04, the chain rule by hand
    "tanh_derivative_forgotten": M(
        N_("tanh' left out of the step Jacobian"),
        N_(
            "each step's factor is diag(1 − h_t²)·W_hh, not W_hh alone: the chain rule goes "
            "through tanh too, and tanh' = 1 − h_t² is at most 1."
        ),
        "np.diag(1 - h_t**2) @ W_hh  # tanh' times W_hh, not W_hh alone",
    ),
    "factors_reversed": M(
        N_("The step Jacobians multiplied in the wrong order"),
        N_(
            "the newest step's factor goes on the left: ∂h_t/∂h_0 = ∂h_t/∂h_{t-1} · ∂h_{t-1}/∂h_0. "
            "Matrices do not commute."
        ),
        "J = step @ J  # the newest factor on the left",
    ),
    "previous_state_derivative": M(
        N_("tanh' taken at h_{t-1} instead of h_t"),
        N_(
            "the factor of step t is diag(1 − h_t²)·W_hh: tanh' at the state that step produced, "
            "h_t = tanh(…), not the one it read."
        ),
        "np.diag(1 - h_t**2)  # h_t, the state this step produced",
    ),
    "tanh_applied_twice": M(
        N_("tanh applied to h_t again"),
        N_(
            "h_t is already tanh of the weighted sum, so tanh' there is 1 − h_t², not 1 − "
            "tanh(h_t)²."
        ),
        "1 - h_t**2  # not 1 - np.tanh(h_t)**2",
    ),
    "elementwise_jacobian": M(
        N_("Jacobians multiplied value by value"),
        N_(
            "the chain rule multiplies the step Jacobians as matrices (rows against columns), "
            "not entry by entry."
        ),
        "step @ J  # a matrix product, not step * J",
    ),
    "factors_not_multiplied": M(
        N_("Each step's factor returned alone"),
        N_(
            "∂h_t/∂h_0 is the product of all t factors from step 1 to step t; carry the product "
            "from step to step."
        ),
        "J = step @ J  # carry the product from step to step",
    ),
    "extra_factor": M(
        N_("One factor too many"),
        N_(
            "t steps back take exactly t factors; start the product from the identity "
            "(∂h_0/∂h_0 = I), not from W_hh."
        ),
        "J = np.eye(H)  # start from ∂h_0/∂h_0 = I",
    ),
    "product_one_step_late": M(
        N_("The products one step late"),
        N_(
            "the first entry must be ∂h_1/∂h_0, one factor; you stored the product before "
            "multiplying in each step's factor."
        ),
        "J = step @ J  # multiply first, then store J",
    ),
    "tanh_derivative_on_columns": M(
        N_("tanh' on the wrong side of W_hh"),
        N_(
            "the factor is diag(1 − h_t²)·W_hh: tanh' scales the rows of W_hh (row i belongs to "
            "unit i of h_t). Multiplying W_hh value by value by the vector 1 − h_t² scales its "
            "columns instead, W_hh·diag(1 − h_t²)."
        ),
        "(1 - h_t**2)[:, None] * W_hh  # scales rows, = np.diag(1 - h_t**2) @ W_hh",
    ),
    "W_hh_transposed": M(
        N_("W_hh transposed"),
        N_(
            "∂h_t/∂h_{t-1} has row i for unit i of h_t and column j for unit j of h_{t-1}, like "
            "W_hh itself: the block of W, not its transpose."
        ),
        "W_hh = params.W[:, :H]  # not its transpose",
    ),
    "wrong_block": M(
        N_("The wrong block of W"),
        N_(
            "W·[h_{t-1}, x_t] puts h_{t-1} first: the first H columns of W act on h_{t-1}, the "
            "last D on x_t."
        ),
        "W_hh = params.W[:, :H]  # the first H columns, not the last",
    ),
    "whole_W": M(
        N_("All of W used instead of W_hh"),
        N_("∂h_t/∂h_{t-1} is (H, H): only the first H columns of W act on h_{t-1}."),
        "W_hh = params.W[:, :H]  # the first H columns",
    ),
    # 04, the linear RNN
    "elementwise_power": M(
        N_("Each entry of W_hh raised to the power T"),
        N_("the chain rule multiplies matrices: W_hh · W_hh · … (T times), a matrix power."),
        "W_hh @ W_hh @ …  # T matrix factors, not W_hh ** T",
    ),
    "sum_not_product": M(
        N_("The steps added up"),
        N_(
            "T · W_hh adds the steps up; the chain rule multiplies them: W_hh · W_hh · … (T times)."
        ),
        "W_hh @ W_hh @ …  # T matrix factors, not T * W_hh",
    ),
    "transposed": M(
        N_("The transpose"),
        N_(
            "row i should hold ∂h_T[i]/∂h_0: W_hh to the power T (T matrix factors), not its "
            "transpose."
        ),
        "W_hh @ W_hh @ …  # T factors of W_hh itself, not of its transpose",
    ),
    "power_off_by_one": M(
        N_("A power off by one"),
        N_("T steps take exactly T factors, one per step from h_0 to h_T."),
        "# exactly T factors: one per step from h_0 to h_T",
    ),
}
"""Every mistake the checks of notebooks 03 and 04 name: its name, a hint without code."""
del M

RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_unroll": (
        "last_state_only",
        "initial_state_stacked",
        "step_missing",
        "state_not_carried",
        "first_input_repeated",
        "concat_order",
        "tanh_forgotten",
        "sigma_for_tanh",
        "bias_missing",
        "bias_outside",
        "states_one_step_late",
        "one_array_stored",
        "later_steps_wrong",
        "first_step_wrong",
    ),
    "check_parameter_count": (
        "counted_per_step",
        "bias_not_counted",
        "recurrent_block_forgotten",
        "two_biases",
    ),
    "check_chain_rule": (
        "tanh_derivative_forgotten",
        "factors_reversed",
        "previous_state_derivative",
        "tanh_applied_twice",
        "elementwise_jacobian",
        "factors_not_multiplied",
        "extra_factor",
        "product_one_step_late",
        "tanh_derivative_on_columns",
        "W_hh_transposed",
        "wrong_block",
        "whole_W",
    ),
    "check_linear_jacobian": (
        "elementwise_power",
        "sum_not_product",
        "transposed",
        "power_off_by_one",
    ),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""

NOT_ANSWERED = N_("Not answered yet: replace None with your function.")

__all__ = [
    "FIXES",
    "MISCONCEPTIONS",
    "RECOGNISED",
    "check_chain_rule",
    "check_linear_jacobian",
    "check_parameter_count",
    "check_unroll",
    "predict_gradient_at_rho_1",
    "predict_same_input_twice",
    "recognised_mistakes",
    "rnn_parameter_count",
]


def recognised_mistakes(check: Callable[..., Feedback] | str) -> list[str]:
    """The misconceptions ``check`` (a check of this module, or its name) recognises, in words."""
    return recognised(check, MISCONCEPTIONS, RECOGNISED)


def _named(key: str, where: str, hint: str = "") -> Feedback:
    return named(key, where, hint, MISCONCEPTIONS)


def _call(function: Callable | None, args: tuple, signature: str, where: str, hints=None):
    """The student's answer on ``args``; the check ends with a sentence if there is none."""
    require_function(function, signature, missing=NOT_ANSWERED)
    return call_student(function, args, where, hints)


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 0.0) -> bool:
    return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, atol=TOLERANCE, rtol=rtol))


# --- Predict before you run ---------------------------------------------------------------------

predict_same_input_twice = Prediction(
    question=(
        N_(
            "Feed the RNN the same input twice, x_1 = x_2 = 0.783, from h_0 = 0. "
            "Is h_2 equal to h_1? Answer True or False."
        )
    ),
    answer=False,
    choices=(True, False),
    wrong={
        True: N_(
            "h_2 = tanh(W·[h_1, x_2] + b) reads h_1, not h_0: the same input meets another "
            "state, so the RNN's output depends on what came before."
        )
    },
)
"""Notebook 03, before the loop: h_2 ≠ h_1 because the state changed from h_0 to h_1."""

predict_gradient_at_rho_1 = Prediction(
    question=(
        N_(
            "The RNN with spectral radius ρ(W_hh) = 1.0: after 40 steps, is ‖∂h_40/∂h_0‖ above 1 "
            '("grows"), between 0.1 and 1 ("holds") or below 0.1 ("vanishes")?'
        )
    ),
    answer="vanishes",
    choices=("grows", "holds", "vanishes"),
    wrong={
        "holds": N_(
            "ρ = 1 keeps the bare matrix power, W_hh to the power T, from shrinking in the long "
            "run, but every step also multiplies by diag(1 − h_t²), whose entries are at most "
            "1: tanh shaves a little off at every step, and 40 steps compound it."
        ),
        "grows": N_(
            "σ_max > 1 allows growth, it does not force it; and tanh' = 1 − h_t² ≤ 1 at "
            "every step pulls the other way."
        ),
    },
)
"""Notebook 04, before the table of gradient norms: ρ = 1 gives ‖∂h_40/∂h_0‖ ≈ 4·10⁻³."""


# --- 03: unrolling ------------------------------------------------------------------------------


class UnrollCase(NamedTuple):
    """One hidden test of the unroll: xs (T, D) and an RNN of input size D."""

    where: str
    xs: np.ndarray
    params: RNNParams


def unroll_cases(seed: int = 0) -> list[UnrollCase]:
    """Seed 0: the cases the check has always used (D = 2, H = 3, T = 5; D = 1, H = 4, T = 7);
    another seed: two other sizes (H ≠ D, T ≠ H) and values from ``default_rng(seed)``."""
    if seed == 0:
        rng = np.random.default_rng(2024)
        sizes = [(5, 2, 3), (7, 1, 4)]
    else:
        rng = np.random.default_rng(seed)
        sizes = []
        for _k in range(2):
            D = int(rng.integers(1, 5))
            H = int(rng.choice([h for h in range(2, 7) if h != D]))
            T = int(rng.choice([t for t in range(3, 10) if t != H]))
            sizes.append((T, D, H))
    return [
        UnrollCase(
            _("hidden case {k}: T={T}, D={D}, H={H}").format(k=k + 1, T=T, D=D, H=H),
            rng.normal(size=(T, D)),
            params,
        )
        for k, (T, D, H) in enumerate(sizes)
        for params in [RNNParams.random(D, H, rng)]
    ]


def _unroll_with(xs: np.ndarray, params: RNNParams, step: Callable) -> np.ndarray:
    h_t, hs = np.zeros(params.hidden_size), []
    for x_t in xs:
        h_t = step(h_t, x_t)
        hs.append(h_t)
    return np.stack(hs)


def _unroll_mistakes(xs: np.ndarray, p: RNNParams) -> dict[str, np.ndarray]:
    """What the unroll returns with each known mistake (the same shape as the right answer)."""
    W, b, H = p.W, p.b, p.hidden_size
    return {
        "state_not_carried": np.stack([rnn_cell(x_t, np.zeros(H), p) for x_t in xs]),
        "first_input_repeated": rnn_unroll(np.repeat(xs[:1], len(xs), axis=0), p),
        "concat_order": _unroll_with(xs, p, lambda h, x: np.tanh(W @ np.concatenate([x, h]) + b)),
        "tanh_forgotten": _unroll_with(xs, p, lambda h, x: W @ np.concatenate([h, x]) + b),
        "sigma_for_tanh": _unroll_with(xs, p, lambda h, x: sigmoid(W @ np.concatenate([h, x]) + b)),
        "bias_missing": _unroll_with(xs, p, lambda h, x: np.tanh(W @ np.concatenate([h, x]))),
        "bias_outside": _unroll_with(xs, p, lambda h, x: np.tanh(W @ np.concatenate([h, x])) + b),
        "states_one_step_late": np.vstack([np.zeros((1, H)), rnn_unroll(xs, p)[:-1]]),
    }


def check_unroll(
    my_rnn_unroll: Callable[[np.ndarray, RNNParams], np.ndarray] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Check ``my_rnn_unroll(xs, params) -> hs``: xs (T, D) -> hs (T, H), h_0 = 0, each
    h_t = tanh(W·[h_{t-1}, x_t] + b), on the cases of ``seed``.

    Recognises the misconceptions of ``RECOGNISED["check_unroll"]``: returning only h_T,
    stacking h_0 too, a step too few, the state not carried, x_1 at every step, [x_t, h_{t-1}],
    tanh forgotten or σ instead, the bias left out.
    """
    return run_check(lambda: _check_unroll(my_rnn_unroll, seed), show_fix, FIXES["check_unroll"])


def _check_unroll(my_rnn_unroll, seed: int) -> Feedback:
    for case in unroll_cases(seed):
        xs, params, where = case.xs, case.params, case.where
        with forbidden(my_rnn_unroll, ANSWERS["check_unroll"]):
            hs = _call(my_rnn_unroll, (xs, params), "my_rnn_unroll(xs, params)", where)
        hs = as_array(hs, "hs", where)
        expected = rnn_unroll(xs, params)
        T, H = expected.shape
        if hs.shape == (H,):
            return _named(
                "last_state_only",
                where,
                _(
                    "you returned one vector of shape ({H},), the last h_T only; return every h_t "
                    "stacked: shape ({T}, {H}) = (T, H)."
                ).format(H=H, T=T),
            )
        if hs.shape == (T + 1, H):
            return _named(
                "initial_state_stacked",
                where,
                _(
                    "you returned {T_1} rows. h_0 is the starting state, not an output: return "
                    "h_1 … "
                    "h_T, shape ({T}, {H})."
                ).format(T_1=T + 1, T=T, H=H),
            )
        if hs.shape == (T - 1, H):
            return _named(
                "step_missing",
                where,
                _(
                    "you returned {T_1} rows for T = {T} inputs: there is one step, and one "
                    "h_t, per "
                    "input x_t; check where the loop starts and stops."
                ).format(T_1=T - 1, T=T),
            )
        if hs.shape != (T, H):
            return mistake(
                _("hs has shape {hs_shape} ({where}); expected ({T}, {H}) = (T, H).").format(
                    hs_shape=hs.shape, where=where, T=T, H=H
                )
            )
        if _close(hs, expected):
            continue
        for key, wrong in _unroll_mistakes(xs, params).items():
            if _close(hs, wrong):
                return _named(key, where)
        if one_array_stored(hs, expected):
            return _named("one_array_stored", where)
        if _close(hs[0], expected[0]):
            return _named("later_steps_wrong", where)
        return _named("first_step_wrong", where)
    return correct(_("Correct: one cell, the same W and b at every step, h_t carried forward."))


# --- 03: the parameter count --------------------------------------------------------------------


def rnn_parameter_count(input_size: int, hidden_size: int) -> int:
    """H·(H + D) + H: W (H, H + D) and b (H,), the same for every step."""
    return hidden_size * (hidden_size + input_size) + hidden_size


def count_cases(seed: int = 0) -> list[tuple[int, int, int]]:
    """(D, H, T) triples: seed 0 the check's three; another seed three drawn from its rng."""
    if seed == 0:
        return [(3, 3, 5), (1, 16, 100), (10, 4, 7)]
    rng = np.random.default_rng(seed)
    return [
        (int(rng.integers(1, 40)), int(rng.integers(2, 60)), int(rng.integers(2, 500)))
        for _k in range(3)
    ]


def check_parameter_count(
    count: Callable[[int, int, int], int] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``count(D, H, T)``: the number of trainable numbers of an RNN read over T steps.

    Recognises: multiplying by T (weights are shared across time), forgetting b, forgetting
    the recurrent block W_hh, or counting PyTorch's two biases.
    """
    return run_check(lambda: _check_count(count, seed), show_fix, FIXES["check_parameter_count"])


def _check_count(count, seed: int) -> Feedback:
    for D, H, T in count_cases(seed):
        where = _("D={D}, H={H}, T={T}").format(D=D, H=H, T=T)
        answer = _call(count, (D, H, T), "count(D, H, T)", where)
        expected = rnn_parameter_count(D, H)
        try:
            if answer == expected:
                continue
        except (TypeError, ValueError):  # an array, or something that is no number
            return mistake(
                _("count({where}) returned a {kind}; expected a number.").format(
                    where=where, kind=type(answer).__name__
                )
            )
        known = {
            "counted_per_step": (
                expected * T,
                _("you counted {answer} = {expected} × T").format(answer=answer, expected=expected),
            ),
            "bias_not_counted": (
                H * (H + D),
                _("you counted {answer}, W only").format(answer=answer),
            ),
            "recurrent_block_forgotten": (
                H * D + H,
                _("you counted {answer}").format(answer=answer),
            ),
            "two_biases": (expected + H, _("you counted {answer}").format(answer=answer)),
        }
        for key, (wrong, counted) in known.items():
            if answer == wrong:
                return _named(
                    key,
                    where,
                    _("{counted}: {hint}").format(
                        counted=counted, hint=_(MISCONCEPTIONS[key].hint)
                    ),
                )
        return mistake(
            _(
                "For {where} you counted {answer}; count the entries of W (H, H + D) and of b (H,)."
            ).format(where=where, answer=answer)
        )
    return correct(
        _("Correct on every case: T does not count, the weights are shared across time.")
    )


# --- 04: the chain rule by hand -----------------------------------------------------------------


class JacobianCase(NamedTuple):
    """One hidden test of the chain rule: an RNN and its inputs xs (T, D)."""

    where: str
    xs: np.ndarray
    params: RNNParams


def chain_rule_cases(seed: int = 0) -> list[JacobianCase]:
    """Seed 0: an RNN like notebook 04's of section 4 (D = 4, H = 16, ρ(W_hh) = 0.9, T = 10 standard
    normal inputs); another seed: two smaller RNNs (H ≠ D, other T, ρ between 0.5 and 1.5)."""
    if seed == 0:
        rng = np.random.default_rng(0)
        params = with_spectral_radius(RNNParams.random(4, 16, rng), 0.9)
        xs = np.random.default_rng(0).normal(size=(10, 4))
        return [JacobianCase(_("an RNN like section 4's: T=10, D=4, H=16, ρ=0.9"), xs, params)]
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(2):
        D = int(rng.integers(1, 5))
        H = int(rng.choice([h for h in range(2, 7) if h != D]))
        T = int(rng.integers(3, 9))
        rho = float(rng.uniform(0.5, 1.5))
        params = with_spectral_radius(RNNParams.random(D, H, rng), rho)
        where = _("hidden case {k_1}: T={T}, D={D}, H={H}, ρ={rho:.2f}").format(
            k_1=k + 1, T=T, D=D, H=H, rho=rho
        )
        cases.append(JacobianCase(where, rng.normal(size=(T, D)), params))
    return cases


def _products(factors: list[np.ndarray], left: bool = True) -> np.ndarray:
    """The running products of ``factors``, each new one on the left (or on the right)."""
    product, out = np.eye(factors[0].shape[0]), []
    for factor in factors:
        product = factor @ product if left else product @ factor
        out.append(product)
    return np.stack(out)


def _chain_rule_mistakes(xs: np.ndarray, p: RNNParams) -> dict[str, np.ndarray]:
    H = p.hidden_size
    W_hh = p.W[:, :H]
    hs = rnn_unroll(xs, p)
    previous = np.vstack([np.zeros(H), hs[:-1]])
    step = [np.diag(1 - h**2) @ W_hh for h in hs]
    right = _products(step)
    elementwise, product = [], np.eye(H)
    for factor in step:
        product = factor * product
        elementwise.append(product)
    return {
        "tanh_derivative_forgotten": _products([W_hh] * len(hs)),
        "factors_reversed": _products(step, left=False),
        "previous_state_derivative": _products([np.diag(1 - h**2) @ W_hh for h in previous]),
        "tanh_applied_twice": _products([np.diag(1 - np.tanh(h) ** 2) @ W_hh for h in hs]),
        "elementwise_jacobian": np.stack(elementwise),
        "factors_not_multiplied": np.stack(step),
        "extra_factor": right @ W_hh,
        "product_one_step_late": np.concatenate([np.eye(H)[None], right[:-1]]),
        "tanh_derivative_on_columns": _products([W_hh @ np.diag(1 - h**2) for h in hs]),
        "W_hh_transposed": _products([np.diag(1 - h**2) @ W_hh.T for h in hs]),
        "wrong_block": _products([np.diag(1 - h**2) @ p.W[:, -H:] for h in hs]),
    }


def _chain_rule_hints(case: JacobianCase) -> ErrorHints:
    whole = MISCONCEPTIONS["whole_W"]
    H, D = case.params.hidden_size, case.params.input_size
    hint = whole.hint.replace("{", "{{").replace("}", "}}")  # it goes through str.format
    return ErrorHints(
        matmul=(
            _(
                "{whole_name} ({{where}}): a matrix product failed ({{error}}). W is ({H}, "
                "{H_D}); {hint}"
            ).format(whole_name=_(whole.name), H=H, H_D=H + D, hint=hint)
        ),
        broadcast=(
            _(
                "{whole_name}? The shapes do not fit ({{where}}): {{error}}. Every factor diag(1 "
                "− h_t²)·W_hh and every product is ({H}, {H})."
            ).format(whole_name=_(whole.name), H=H)
        ),
    )


def check_chain_rule(
    chain_rule: Callable[[np.ndarray, RNNParams], np.ndarray] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Check ``chain_rule(xs, params) -> J`` (T, H, H), J[t - 1] = ∂h_t/∂h_0 for the RNN
    h_t = tanh(W·[h_{t-1}, x_t] + b) from h_0 = 0, against PyTorch autograd.

    Recognises the misconceptions of ``RECOGNISED["check_chain_rule"]``: tanh' forgotten, the
    factors in the wrong order, tanh' at h_{t-1}, tanh applied twice, an elementwise product,
    the factors not multiplied together, a factor too many or a product one step late, all of
    W used.
    """
    return run_check(
        lambda: _check_chain_rule(chain_rule, seed), show_fix, FIXES["check_chain_rule"]
    )


def _check_chain_rule(chain_rule, seed: int) -> Feedback:
    for case in chain_rule_cases(seed):
        xs, params, where = case.xs, case.params, case.where
        with forbidden(chain_rule, ANSWERS["check_chain_rule"]):
            answer = _call(
                chain_rule, (xs, params), "chain_rule(xs, params)", where, _chain_rule_hints(case)
            )
        jacobians = as_array(answer, "∂h_t/∂h_0", where)
        expected = hidden_jacobians(params, xs)
        T, H = len(xs), params.hidden_size
        if jacobians.shape == (H, H):
            return mistake(
                _(
                    "You returned one ({H}, {H}) matrix ({where}): return ∂h_t/∂h_0 for every "
                    "t = 1 "
                    "… {T}, stacked: shape ({T}, {H}, {H})."
                ).format(H=H, where=where, T=T)
            )
        if jacobians.shape == (T + 1, H, H):
            return _named(
                "product_one_step_late",
                where,
                _(
                    "you returned {T_1} matrices: leave out ∂h_0/∂h_0 = I and return t = 1 … {T}."
                ).format(T_1=T + 1, T=T),
            )
        if jacobians.shape != (T, H, H):
            return mistake(
                _(
                    "Your result has shape {jacobians_shape} ({where}); expected ({T}, {H}, {H})."
                ).format(jacobians_shape=jacobians.shape, where=where, T=T, H=H)
            )
        if _close(jacobians, expected, rtol=1e-6):
            continue
        for key, wrong in _chain_rule_mistakes(xs, params).items():
            if _close(jacobians, wrong, rtol=1e-6):
                return _named(key, where)
        return mistake(
            _(
                "Your ∂h_t/∂h_0 differ from autograd's ({where}). Unroll by hand for t = 2: "
                "∂h_2/∂h_0 = diag(1 − h_2²)·W_hh · diag(1 − h_1²)·W_hh."
            ).format(where=where)
        )
    return correct(
        _(
            "Correct, and equal to autograd: ∂h_t/∂h_0 is the product of the t step Jacobians "
            "diag(1 − h_t²)·W_hh, the newest on the left."
        )
    )


# --- 04: the linear RNN -------------------------------------------------------------------------


def _autograd_jacobian(W_hh: np.ndarray, T: int) -> np.ndarray:
    """∂h_T/∂h_0 of the linear recurrence h_t = W_hh·h_{t-1}, by PyTorch autograd."""
    W = torch.from_numpy(W_hh)

    def unroll(h_0: torch.Tensor) -> torch.Tensor:
        h_t = h_0
        for _k in range(T):
            h_t = W @ h_t
        return h_t

    h_0 = torch.zeros(W_hh.shape[0], dtype=torch.float64)
    return torch.autograd.functional.jacobian(unroll, h_0).numpy()


def linear_jacobian_cases(seed: int = 0) -> list[tuple[np.ndarray, int]]:
    """(W_hh, T) pairs: seed 0 the check's two (H = 3, T = 5; H = 4, T = 8); another seed two
    other sizes and values from its rng (T ≥ 3, so that no mistake coincides with the answer)."""
    rng = np.random.default_rng(7 if seed == 0 else seed)
    if seed == 0:
        sizes = [(3, 5), (4, 8)]
    else:
        sizes = [(int(rng.integers(2, 7)), int(rng.integers(3, 12))) for _k in range(2)]
    return [(rng.normal(0.0, 0.6, (H, H)), T) for H, T in sizes]


def check_linear_jacobian(
    jacobian: Callable[[np.ndarray, int], np.ndarray] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Check ``jacobian(W_hh, T)`` = ∂h_T/∂h_0 for h_t = W_hh·h_{t-1}, against autograd.

    The answer is the matrix power W_hh^T. Recognises: the elementwise power W_hh ** T,
    T·W_hh, the transpose, and a power off by one.
    """
    return run_check(
        lambda: _check_jacobian(jacobian, seed), show_fix, FIXES["check_linear_jacobian"]
    )


def _check_jacobian(jacobian, seed: int) -> Feedback:
    for W_hh, T in linear_jacobian_cases(seed):
        H = W_hh.shape[0]
        where = _("H={H}, T={T}").format(H=H, T=T)
        answer = as_array(
            _call(jacobian, (W_hh, T), "jacobian(W_hh, T)", where), "∂h_T/∂h_0", where
        )
        expected = _autograd_jacobian(W_hh, T)
        if answer.shape != (H, H):
            return mistake(
                _(
                    "For H={H} your result has shape {answer_shape}; ∂h_T/∂h_0 is ({H}, {H}): one "
                    "row per unit of h_T, one column per unit of h_0."
                ).format(H=H, answer_shape=answer.shape)
            )
        if _close(answer, expected, rtol=1e-9):
            continue
        known = {
            "elementwise_power": W_hh**T,
            "sum_not_product": T * W_hh,
            "transposed": expected.T,
        }
        for key, wrong in known.items():
            if _close(answer, wrong, rtol=1e-9):
                return _named(key, where)
        for off in (-1, 1):
            if _close(answer, np.linalg.matrix_power(W_hh, T + off), rtol=1e-9):
                return _named(
                    "power_off_by_one",
                    where,
                    _(
                        "that is W_hh to the power {T_off}: T steps take exactly T factors, "
                        "one per step "
                        "from h_0 to h_T."
                    ).format(T_off=T + off),
                )
        return mistake(
            _(
                "Your matrix differs from autograd's ∂h_T/∂h_0 ({where}). Unroll by hand for T = "
                "2: h_2 = W_hh·(W_hh·h_0)."
            ).format(where=where)
        )
    return correct(
        _(
            "Correct, and equal to autograd: ∂h_T/∂h_0 is W_hh to the power T, a matrix power. "
            "Its size goes like ρ(W_hh)^T."
        )
    )
