"""Checks for notebook 11's "build it": the LSTM step backward, the loop through time, clipping.

    lstm_step_backward(dh_t, dC_next, step, h_prev, C_prev, x_t, params)
        -> (d_f, d_i, d_C_tilde, d_o, dh_prev, dC_prev, dx_t)    one step (bptt.lstm_cell_backward)
    lstm_backward(xs, params, dhs) -> (grads, dh0, dC0)          the loop from t = T down to 1
    clip_by_global_norm(grads, max_norm) -> grads                one factor for every array

Each check runs the student's function on hidden cases (H ≠ D, so a split in the wrong place
shows in the shapes too), compares with ``lstm_course.bptt`` and, when an answer is wrong,
recomputes it with each planted bug of ``MISCONCEPTIONS`` to name the one the student made, on
``exercises.checking``'s two levels: the misconception in plain words and a hint first; the fix
only when asked, ``check_…(f, show_fix=True)``.

Every check takes ``seed``: 0 gives the cases the notebook names (H = 3, D = 2 and H = 2, D = 4
for the step; T = 1 and T = 6 for the loop; max_norm a quarter and twice the global norm for
clipping); any other seed draws other sizes (H ≠ D, another T) and other values from
``np.random.default_rng(seed)``, so that an answer hard-coding the visible cases fails the
graded cell's hidden tests.

``predict_other_roads`` is the notebook's predict-before-you-run question (section 4).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from lstm_course.activations import sigmoid, tanh
from lstm_course.bptt import clip_by_global_norm as reference_clip
from lstm_course.bptt import global_norm, lstm_cell_backward, lstm_forward, lstm_unroll_backward
from lstm_course.exercises.checking import (
    CheckEndedError,
    ErrorHints,
    Feedback,
    Misconception,
    call_student,
    correct,
    mistake,
    named,
    recognised,
    require_function,
    run_check,
)
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _
from lstm_course.lstm import LSTMParams, LSTMStep

TOLERANCE = 1e-8

SEED_0 = {"step": 11, "loop": 12, "clip": 13}
"""The generator seeds of the cases the notebook names (a check's ``seed=0``)."""


MISCONCEPTIONS: dict[str, Misconception] = {
    "sigma_prime_missing": Misconception(
        N_("σ′ missing: a gate's derivative stops at the gate's input without σ′"),
        N_("a gate is g = σ(z); the chain rule passes through σ on the way to z."),
        N_(
            "multiply by σ′ = g ⊙ (1 − g), written from the gate's output, "
            "e.g. d_f = dC_t * C_prev * f_t * (1 - f_t)."
        ),
    ),
    "sigma_prime_of_output": Misconception(
        N_("σ′ taken of the gate's output: σ(f_t)(1 − σ(f_t)) applies σ twice"),
        N_("f_t is already σ's output."),
        N_("σ′ = f_t * (1 - f_t), with f_t as it is."),
    ),
    "tanh_prime_of_pre_activation": Misconception(
        N_("tanh′ computed from the pre-activation instead of the output: 1 − C_t² for h_t's tanh"),
        N_("1 − y² is tanh′ when y is tanh's *output*; C_t is what goes *into* tanh in h_t."),
        "dC_t += dh_t * o_t * (1 - np.tanh(C_t) ** 2).",
    ),
    "tanh_prime_of_output": Misconception(
        N_("tanh′ computed as 1 − tanh²(C̃_t): C̃_t is already tanh's output"),
        N_("C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C) is an output; 1 − (output)² is tanh′."),
        "d_C_tilde = dC_t * i_t * (1 - C_tilde ** 2).",
    ),
    "d_f_with_C_t": Misconception(
        N_("δ_f multiplied by C_t instead of C_{t-1}"),
        N_(
            "in C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t the forget gate multiplies C_{t-1}, the cell "
            "state "
            "the step started from: that is the factor f_t's gradient carries."
        ),
        "d_f = dC_t * C_prev * f_t * (1 - f_t).",
    ),
    "d_o_without_tanh": Misconception(
        N_("δ_o multiplied by C_t instead of tanh(C_t)"),
        N_("h_t = o_t ⊙ tanh(C_t): the output gate multiplies tanh(C_t), not C_t itself."),
        "d_o = dh_t * np.tanh(C_t) * o_t * (1 - o_t).",
    ),
    "h_path_missing": Misconception(
        N_("The h_t path not added into dC_t"),
        N_(
            "C_t reaches the loss two ways: along the cell state to step t + 1, and through "
            "h_t = o_t ⊙ tanh(C_t). dC_next is only the first."
        ),
        "dC_t = dC_next + dh_t * o_t * (1 - np.tanh(C_t) ** 2).",
    ),
    "carried_dC_dropped": Misconception(
        N_(
            "dC_t assigned instead of accumulated: the gradient carried along the cell state is "
            "lost"
        ),
        N_("dC_next, handed back by step t + 1, is part of ∂L/∂C_t: the constant error carousel."),
        N_("dC_t = dC_next + dh_t * o_t * (1 - np.tanh(C_t) ** 2) (add, don't replace)."),
    ),
    "forget_gate_not_in_dC_prev": Misconception(
        N_("dC_{t-1} without the forget gate"),
        N_("C_t = f_t ⊙ C_{t-1} + …: ∂C_t/∂C_{t-1} is diag(f_t), not the identity."),
        "dC_prev = dC_t * f_t.",
    ),
    "split_order": Misconception(
        N_("The gradient of [h_{t-1}, x_t] split in the wrong order"),
        N_(
            "the weights act on [h_{t-1}, x_t], h first: the first H entries of dhx belong to "
            "h_{t-1}."
        ),
        "dh_prev, dx_t = dhx[:H], dhx[H:].",
    ),
    "gate_missing_from_dhx": Misconception(
        N_("A layer left out of dhx"),
        N_("h_{t-1} and x_t feed all four layers (f, i, C̃, o); each hands a gradient back."),
        "dhx = W_f.T @ d_f + W_i.T @ d_i + W_C.T @ d_C_tilde + W_o.T @ d_o.",
    ),
    "one_layer_in_dhx": Misconception(
        N_("Only one layer's gradient in dhx: the four layers not summed"),
        N_(
            "h_{t-1} and x_t feed all four layers (f, i, C̃, o); dhx is the sum of what each "
            "of them hands back, not the forget gate's share alone."
        ),
        "dhx = W_f.T @ d_f + W_i.T @ d_i + W_C.T @ d_C_tilde + W_o.T @ d_o.",
    ),
    "W_not_transposed": Misconception(
        N_("dhx computed with W instead of Wᵀ"),
        N_("z = W·hx sends hx's gradient back through the transpose: ∂L/∂hx = Wᵀ·∂L/∂z."),
        N_("dhx = W_f.T @ d_f + … (note the .T)."),
    ),
    "dh_not_carried": Misconception(
        N_("dh_{t-1} not carried to the earlier step"),
        N_("h_{t-1} is used by step t, so step t's dh_prev belongs to step t − 1's dh_t."),
        N_("at step t use dh = dhs[t] + dh_next, and set dh_next = dh_prev after the step."),
    ),
    "dC_not_carried": Misconception(
        N_("dC_{t-1} not carried to the earlier step"),
        N_("step t hands dC_prev back along the cell state; the step before needs it as dC_next."),
        N_("keep dC_next = dC_prev after each step (it starts as zeros after step T)."),
    ),
    "prev_off_by_one": Misconception(
        N_("Step t given h_t and C_t where it reads h_{t-1} and C_{t-1}: the loop is off by one"),
        N_(
            "going forward, step t read [h_{t-1}, x_t] and C_{t-1}, the state the step before "
            "left; "
            "at the first step that is the zero state h_0 = C_0 = 0."
        ),
        N_("h_prev = steps.h_t[t - 1] if t > 0 else np.zeros(H), and the same for C_prev."),
    ),
    "loop_forwards": Misconception(
        N_("The loop runs forwards in time"),
        N_(
            "BPTT starts at the last step, where nothing comes back from later, and hands dh and "
            "dC "
            "to the step before; going from the first step up, each step is handed what a later "
            "step has not computed yet."
        ),
        "for t in reversed(range(T)):",
    ),
    "dW_not_summed": Misconception(
        N_("dW not summed over time: only one step's gradient is kept"),
        N_("one W_f serves every step, so ∂L/∂W_f = Σ_t outer(d_f, [h_{t-1}, x_t])."),
        N_('grads["W_f"] += np.outer(d_f, hx) (start from zeros; += at every step, not =).'),
    ),
    "clip_each_separately": Misconception(
        N_("Each parameter clipped by its own norm instead of by the global norm"),
        N_("clipping each array separately changes the direction of the whole update."),
        N_(
            "norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values())); "
            "multiply every g by min(1, max_norm / norm)."
        ),
    ),
    "clip_scales_up": Misconception(
        N_("Gradients scaled up to max_norm when they are already shorter"),
        N_("clipping only ever shortens: below the threshold the gradient is left alone."),
        N_("the factor is min(1, max_norm / norm)."),
    ),
    "clip_values": Misconception(
        N_("Each value clipped to ±max_norm (np.clip) instead of rescaling the whole vector"),
        N_("np.clip changes the direction and does not bound the norm."),
        N_("scale every array by one factor, min(1, max_norm / global norm)."),
    ),
    "clip_in_place": Misconception(
        N_("The caller's gradients scaled in place"),
        N_(
            "your function changed the arrays of the grads it was given: return new arrays and "
            "leave grads as it was — the notebook clips the same gradients twice."
        ),
        "return {name: g * scale for name, g in grads.items()}",
    ),
    "clip_sum_of_norms": Misconception(
        N_("The global norm taken as the sum of the arrays' norms"),
        N_("the global norm treats all gradients as one long vector: √(Σ every entry²)."),
        "norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values())).",
    ),
}

RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_lstm_step_backward": (
        "sigma_prime_missing",
        "sigma_prime_of_output",
        "tanh_prime_of_pre_activation",
        "tanh_prime_of_output",
        "d_f_with_C_t",
        "d_o_without_tanh",
        "h_path_missing",
        "carried_dC_dropped",
        "forget_gate_not_in_dC_prev",
        "split_order",
        "gate_missing_from_dhx",
        "one_layer_in_dhx",
        "W_not_transposed",
    ),
    "check_lstm_backward": (
        "dh_not_carried",
        "dC_not_carried",
        "dW_not_summed",
        "prev_off_by_one",
        "loop_forwards",
    ),
    "check_clip_by_global_norm": (
        "clip_each_separately",
        "clip_scales_up",
        "clip_values",
        "clip_sum_of_norms",
        "clip_in_place",
    ),
}
"""Which planted bugs each check names (keys of ``MISCONCEPTIONS``)."""

STEP_FIELDS = ("d_f", "d_i", "d_C_tilde", "d_o", "dh_prev", "dC_prev", "dx_t")


__all__ = [
    "MISCONCEPTIONS",
    "RECOGNISED",
    "check_clip_by_global_norm",
    "check_lstm_backward",
    "check_lstm_step_backward",
    "predict_other_roads",
    "recognised",
]

predict_other_roads = Prediction(
    question=N_(
        "Notebook 04's LSTM (f_t ≈ 0.95), 40 steps: along the carousel alone ∂C_40/∂C_0 shrinks "
        "like ∏ f_t. With every road counted (through h_{t-1} and the gates too, each small "
        "beside the carousel for one step), is ‖∂C_40/∂C_0‖ smaller than the carousel alone, "
        "about the same, or larger?"
    ),
    answer="larger",
    choices=("smaller", "about the same", "larger"),
    wrong={
        "smaller": N_(
            "the other roads do not take anything away from the carousel: they add terms of "
            "their own, and their factors are weight matrices, which can grow a gradient as "
            "well as shrink it."
        ),
        "about the same": N_(
            "the other road, measured above, is small for one step, but it is there at every step "
            "and compounds over 40, while the carousel itself decays like ∏ f_t."
        ),
    },
)


def _other_sizes(rng: np.random.Generator, taken: list[tuple[int, int]]) -> tuple[int, int]:
    """(H, D) with H ≠ D, H in 2…5, D in 1…5, and not a pair in ``taken``."""
    while True:
        H, D = int(rng.integers(2, 6)), int(rng.integers(1, 6))
        if H != D and (H, D) not in taken:
            return H, D


def _named(key: str, where: str) -> Feedback:
    """The planted bug ``key`` in words, where it showed, and its hint (its fix on request)."""
    return named(key, where, "", MISCONCEPTIONS)


PACKAGE_ANSWERS = {
    "lstm_course.bptt.lstm_cell_backward": N_("the LSTM step backward"),
    "lstm_course.bptt.lstm_unroll_backward": N_("backpropagation through time for the LSTM"),
    "lstm_course.bptt.clip_by_global_norm": N_("clipping by the global norm"),
}
"""The package functions that ARE the answers of notebook 11's build-it exercises: off-limits
while a check runs the student's function (the checks compute their references outside)."""


def _call(fn: Callable | None, signature: str, args: tuple, where: str) -> Any:
    """The student's result, or CheckEndedError with a sentence (not written, raised, None,
    the package's answer called)."""
    require_function(fn, signature)
    try:
        with forbidden(fn, PACKAGE_ANSWERS):
            return call_student(fn, args, where, _hints())
    except CheckEndedError as ended:  # a failed W·d is the W-for-Wᵀ slip: give it its own fix
        if not ended.feedback.message.startswith(_(MISCONCEPTIONS["W_not_transposed"].name)):
            raise
        fix = MISCONCEPTIONS["W_not_transposed"].fix
        raise CheckEndedError(ended.feedback._replace(fix=fix)) from None


def _hints() -> ErrorHints:
    """A failed matrix product is named as the W-for-Wᵀ slip, in the package's language."""
    slip = MISCONCEPTIONS["W_not_transposed"]
    return ErrorHints(
        matmul=_(
            "{name} ({{where}}): numpy could not multiply the shapes ({{error}}). {hint}"
        ).format(name=_(slip.name), hint=_(slip.hint))
    )


def _close(a: Any, b: np.ndarray) -> bool:
    a = np.asarray(a, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=TOLERANCE))


# --- one step -------------------------------------------------------------------------------


class StepCase(NamedTuple):
    """Everything ``lstm_step_backward`` receives, and the step's forward values."""

    dh_t: np.ndarray
    dC_next: np.ndarray
    step: LSTMStep
    h_prev: np.ndarray
    C_prev: np.ndarray
    x_t: np.ndarray
    params: LSTMParams


STEP_SIZES_0 = [(3, 2), (2, 4)]


def step_cases(seed: int = 0) -> list[StepCase]:
    """Two cases, every input random and non-zero: seed 0 H = 3, D = 2, then H = 2, D = 4;
    any other seed two other (H, D) pairs and other values."""
    if seed == 0:
        rng, sizes = np.random.default_rng(SEED_0["step"]), STEP_SIZES_0
    else:
        rng, sizes = np.random.default_rng(seed), []
        for _case in range(2):
            sizes.append(_other_sizes(rng, STEP_SIZES_0 + sizes))
    cases = []
    for H, D in sizes:
        params = LSTMParams.random(D, H, rng)
        params = dataclasses.replace(params, W_C=params.W_C * 3)  # C̃ away from 0: tanh′ ≠ 1
        h_prev, C_prev, x_t = rng.normal(size=H), rng.normal(size=H), rng.normal(size=D)
        step = lstm_forward(x_t[None], params, h_prev, C_prev)
        step = LSTMStep(*(field[0] for field in step))
        cases.append(
            StepCase(rng.normal(size=H), rng.normal(size=H), step, h_prev, C_prev, x_t, params)
        )
    return cases


def step_with_bug(case: StepCase, bug: str | None = None) -> dict[str, np.ndarray]:
    """The step backward of ``case`` as ``bptt.lstm_cell_backward`` computes it, or with one
    planted bug (a key of ``MISCONCEPTIONS``): name -> array, for the fields of ``STEP_FIELDS``."""
    f_t, i_t, C_tilde, C_t, o_t, _h_t = case.step
    p, H = case.params, case.h_prev.size
    tanh_C_t = tanh(C_t)
    through_h = (
        case.dh_t * o_t * (1 - (C_t**2 if bug == "tanh_prime_of_pre_activation" else tanh_C_t**2))
    )
    dC_t = {"h_path_missing": case.dC_next, "carried_dC_dropped": through_h}.get(
        bug, case.dC_next + through_h
    )

    def sigma_prime(g: np.ndarray) -> np.ndarray:
        if bug == "sigma_prime_missing":
            return np.ones_like(g)
        if bug == "sigma_prime_of_output":
            return sigmoid(g) * (1 - sigmoid(g))
        return g * (1 - g)

    tanh_prime = 1 - (tanh(C_tilde) ** 2 if bug == "tanh_prime_of_output" else C_tilde**2)
    d = {
        "d_f": dC_t * (C_t if bug == "d_f_with_C_t" else case.C_prev) * sigma_prime(f_t),
        "d_i": dC_t * C_tilde * sigma_prime(i_t),
        "d_C_tilde": dC_t * i_t * tanh_prime,
        "d_o": case.dh_t * (C_t if bug == "d_o_without_tanh" else tanh_C_t) * sigma_prime(o_t),
        "dC_prev": dC_t if bug == "forget_gate_not_in_dC_prev" else dC_t * f_t,
    }
    Ws = (p.W_f, p.W_i, p.W_C, p.W_o)
    ds = (d["d_f"], d["d_i"], d["d_C_tilde"], d["d_o"])
    dhx = sum(W.T @ d_g for W, d_g in zip(Ws, ds, strict=True))
    d["dh_prev"], d["dx_t"] = dhx[:H], dhx[H:]
    if bug == "split_order":  # read as [x_t, h_{t-1}]
        D = case.x_t.size
        d["dh_prev"], d["dx_t"] = dhx[D:], dhx[:D]
    return d


def _layer_terms(case: StepCase) -> list[np.ndarray]:
    """The layers' shares of dhx = ∂L/∂[h_{t-1}, x_t]: W_fᵀ·d_f, W_iᵀ·d_i, W_Cᵀ·d_C̃, W_oᵀ·d_o."""
    right, p = step_with_bug(case), case.params
    return [
        p.W_f.T @ right["d_f"],
        p.W_i.T @ right["d_i"],
        p.W_C.T @ right["d_C_tilde"],
        p.W_o.T @ right["d_o"],
    ]


def _one_layer_left_out(case: StepCase) -> list[tuple[np.ndarray, np.ndarray]]:
    """(dh_prev, dx_t) with each of the four layers in turn left out of dhx."""
    terms, H = _layer_terms(case), case.h_prev.size
    sums = [sum(terms[:k] + terms[k + 1 :]) for k in range(4)]
    return [(dhx[:H], dhx[H:]) for dhx in sums]


def _one_layer_only(case: StepCase) -> list[tuple[np.ndarray, np.ndarray]]:
    """(dh_prev, dx_t) with only one of the four layers in dhx, each in turn."""
    H = case.h_prev.size
    return [(dhx[:H], dhx[H:]) for dhx in _layer_terms(case)]


def _diagnose_step(answer: dict[str, np.ndarray], case: StepCase) -> Feedback | None:
    """None if every field is right; else the first wrong field's planted bug, in words."""
    right = step_with_bug(case)
    H, D = case.h_prev.size, case.x_t.size
    for field in STEP_FIELDS:
        value = answer[field]
        if _close(value, right[field]):
            continue
        if value.shape != right[field].shape:
            if field in ("dh_prev", "dx_t") and value.shape == (H + D,):
                return _named(
                    "split_order",
                    _("{field} is the whole dhx, {n} values").format(field=field, n=H + D),
                )
            if (field, value.shape) in (("dh_prev", (D,)), ("dx_t", (H,))):
                return _named(
                    "split_order",
                    _("{field} has shape {shape}").format(field=field, shape=value.shape),
                )
            return mistake(
                _("{field} has shape {shape}; expected {expected}.").format(
                    field=field, shape=value.shape, expected=right[field].shape
                )
            )
        for bug in RECOGNISED["check_lstm_step_backward"]:
            if bug == "gate_missing_from_dhx":
                slot = ("dh_prev", "dx_t").index(field) if field in ("dh_prev", "dx_t") else None
                if slot is not None and any(
                    _close(value, pair[slot]) for pair in _one_layer_left_out(case)
                ):
                    return _named(bug, _("in {field}").format(field=field))
            elif bug == "one_layer_in_dhx":
                slot = ("dh_prev", "dx_t").index(field) if field in ("dh_prev", "dx_t") else None
                if slot is not None and any(
                    _close(value, pair[slot]) for pair in _one_layer_only(case)
                ):
                    return _named(bug, _("in {field}").format(field=field))
            elif bug != "W_not_transposed" and _close(value, step_with_bug(case, bug)[field]):
                return _named(bug, _("in {field}").format(field=field))
        return mistake(
            _(
                "{field} is wrong and matches none of the usual slips. Compare your line for "
                "{field} with its forward equation, one factor at a time."
            ).format(field=field)
        )
    return None


def _step_answer(result: Any, where: str) -> dict[str, np.ndarray]:
    """The seven returned arrays by name, or CheckEndedError with a sentence."""
    expected = _("return the seven arrays ({fields}), in that order").format(
        fields=", ".join(STEP_FIELDS)
    )
    try:
        values = list(result)
    except TypeError:
        raise CheckEndedError(
            mistake(
                _("You returned a {kind} ({where}); {expected}.").format(
                    kind=type(result).__name__, where=where, expected=expected
                )
            )
        ) from None
    if len(values) != len(STEP_FIELDS):
        raise CheckEndedError(
            mistake(
                _("You returned {n} values ({where}); {expected}.").format(
                    n=len(values), where=where, expected=expected
                )
            )
        )
    try:
        return {k: np.asarray(v, dtype=float) for k, v in zip(STEP_FIELDS, values, strict=True)}
    except (TypeError, ValueError):
        raise CheckEndedError(
            mistake(
                _("Every returned value must be an array of numbers ({where}).").format(where=where)
            )
        ) from None


STEP_SIGNATURE = "lstm_step_backward(dh_t, dC_next, step, h_prev, C_prev, x_t, params)"
STEP_FIX = ""  # no whole-step fix: each misconception carries its own line(s)


def check_lstm_step_backward(
    lstm_step_backward: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``lstm_step_backward(dh_t, dC_next, step, h_prev, C_prev, x_t, params)``.

    It must return (d_f, d_i, d_C_tilde, d_o, dh_prev, dC_prev, dx_t), as
    ``bptt.lstm_cell_backward`` computes them, on ``step_cases(seed)``. Recognises the bugs of
    ``RECOGNISED["check_lstm_step_backward"]``; ``show_fix`` adds the fix.
    """

    def check() -> Feedback:
        for k, case in enumerate(step_cases(seed)):
            where = _("case {k}: H = {H}, D = {D}").format(
                k=k + 1, H=case.h_prev.size, D=case.x_t.size
            )
            result = _call(lstm_step_backward, STEP_SIGNATURE, tuple(case), where)
            diagnosis = _diagnose_step(_step_answer(result, where), case)
            if diagnosis is not None:
                return diagnosis
        return correct(
            _(
                "Correct: all seven gradients of the step, equal to the package's on every "
                "case tried."
            )
        )

    return run_check(check, show_fix, STEP_FIX)


# --- the loop through time ------------------------------------------------------------------


def loop_cases(seed: int = 0) -> list[tuple[np.ndarray, LSTMParams, np.ndarray]]:
    """Cases (xs, params, dhs): T = 1 (no loop to get wrong), then a longer sequence. Seed 0:
    T = 6, H = 3, D = 2; any other seed another T (3…8, not 6), H and D (H ≠ D)."""
    if seed == 0:
        rng, (H, D), T = np.random.default_rng(SEED_0["loop"]), (3, 2), 6
    else:
        rng = np.random.default_rng(seed)
        H, D = _other_sizes(rng, [(3, 2)])
        T = int(rng.choice([3, 4, 5, 7, 8]))
    cases = []
    for steps in (1, T):
        params = LSTMParams.random(D, H, rng)
        cases.append((rng.normal(size=(steps, D)), params, rng.normal(size=(steps, H))))
    return cases


def loop_with_bug(
    xs: np.ndarray, params: LSTMParams, dhs: np.ndarray, bug: str | None = None
) -> dict[str, np.ndarray]:
    """``bptt.lstm_unroll_backward`` as a dict (W_f … b_o, dh0, dC0), or with one planted loop
    bug: "dh_not_carried" or "dC_not_carried" (that gradient never handed back: it stays 0),
    "dW_not_summed" (each step overwrites the last: the step the loop visits last, t = 1, stays),
    "prev_off_by_one" (step t given h_t, C_t as its h_{t-1}, C_{t-1}), "loop_forwards" (t = 1 … T).
    """
    if bug is None:
        g = lstm_unroll_backward(xs, params, dhs)
        return {**_as_dict(g.params), "dh0": g.dh0, "dC0": g.dC0}
    T, H = dhs.shape
    steps = lstm_forward(xs, params)
    h_prevs = np.vstack([np.zeros(H), steps.h_t[:-1]])
    C_prevs = np.vstack([np.zeros(H), steps.C_t[:-1]])
    if bug == "prev_off_by_one":
        h_prevs, C_prevs = steps.h_t, steps.C_t
    grads = {name: np.zeros_like(getattr(params, name)) for name in _as_dict(params)}
    dh_next, dC_next = np.zeros(H), np.zeros(H)
    for t in range(T) if bug == "loop_forwards" else reversed(range(T)):
        step_t = LSTMStep(*(field[t] for field in steps))
        g = lstm_cell_backward(
            dhs[t] + dh_next, dC_next, step_t, h_prevs[t], C_prevs[t], xs[t], params
        )
        hx = np.concatenate([h_prevs[t], xs[t]])
        d_gates = (g.d_f, g.d_i, g.d_C_tilde, g.d_o)
        for (W_name, b_name), d_g in zip(LSTMParams.BLOCKS, d_gates, strict=True):
            if bug == "dW_not_summed":
                grads[W_name], grads[b_name] = np.outer(d_g, hx), d_g
            else:
                grads[W_name], grads[b_name] = (
                    grads[W_name] + np.outer(d_g, hx),
                    grads[b_name] + d_g,
                )
        if bug != "dh_not_carried":
            dh_next = g.dh_prev
        if bug != "dC_not_carried":
            dC_next = g.dC_prev
    return {**grads, "dh0": dh_next, "dC0": dC_next}


def _as_dict(params: LSTMParams | Mapping[str, Any]) -> dict[str, np.ndarray]:
    if isinstance(params, LSTMParams):
        return {f.name: getattr(params, f.name) for f in dataclasses.fields(params)}
    return {name: np.asarray(value, dtype=float) for name, value in params.items()}


def _loop_answer(result: Any, where: str) -> dict[str, np.ndarray]:
    shape_hint = _("Return (grads, dh0, dC0): grads a dict (or LSTMParams) of W_f, b_f, …, b_o.")
    try:
        grads, dh0, dC0 = result
        answer = _as_dict(grads)
    except (TypeError, ValueError, AttributeError):
        raise CheckEndedError(
            mistake(_("{hint} ({where})").format(hint=shape_hint, where=where))
        ) from None
    missing = [f.name for f in dataclasses.fields(LSTMParams) if f.name not in answer]
    if missing:
        raise CheckEndedError(
            mistake(
                _("grads has no {missing} ({where}). {hint}").format(
                    missing=", ".join(missing), where=where, hint=shape_hint
                )
            )
        )
    return {**answer, "dh0": np.asarray(dh0, float), "dC0": np.asarray(dC0, float)}


LOOP_SIGNATURE = "lstm_backward(xs, params, dhs)"
LOOP_FIX = ""  # no whole-loop fix: each misconception carries its own line(s)


def check_lstm_backward(
    lstm_backward: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``lstm_backward(xs, params, dhs) -> (grads, dh0, dC0)`` against
    ``bptt.lstm_unroll_backward`` (h_0 = C_0 = 0) on ``loop_cases(seed)``. Recognises the bugs
    of ``RECOGNISED["check_lstm_backward"]``; a wrong T = 1 case points back to the step."""
    return run_check(lambda: _check_loop(lstm_backward, seed), show_fix, LOOP_FIX)


def _check_loop(lstm_backward: Callable[..., Any] | None, seed: int) -> Feedback:
    for k, (xs, params, dhs) in enumerate(loop_cases(seed)):
        where = _("case {k}: T = {T}, H = {H}, D = {D}").format(
            k=k + 1, T=len(xs), H=dhs.shape[1], D=xs.shape[1]
        )
        answer = _loop_answer(_call(lstm_backward, LOOP_SIGNATURE, (xs, params, dhs), where), where)
        right = loop_with_bug(xs, params, dhs)
        wrong = [k for k in right if not _close(answer[k], right[k])]
        if not wrong:
            continue
        weights = [k for k in wrong if k not in ("dh0", "dC0")]
        never_handed_back = [k for k in ("dh0", "dC0") if k in wrong and not answer[k].any()]
        if len(xs) == 1 and never_handed_back and not weights:
            bug = "dh_not_carried" if never_handed_back[0] == "dh0" else "dC_not_carried"
            return _named(
                bug,
                _("{name} is still zeros after the loop").format(name=never_handed_back[0]),
            )
        differ = _("{names} differ").format(names=", ".join(wrong))
        shifted = loop_with_bug(xs, params, dhs, "prev_off_by_one")
        if weights and all(_close(answer[k], shifted[k]) for k in weights):
            return _named("prev_off_by_one", differ)
        if len(xs) == 1:
            return mistake(
                _(
                    "With a single step (T = 1) {names} already differ: nothing is "
                    "carried or summed yet, so the step itself is off. "
                    "Run check_lstm_step_backward."
                ).format(names=", ".join(wrong))
            )
        for bug in RECOGNISED["check_lstm_backward"]:  # the weights' gradients tell them apart
            planted = loop_with_bug(xs, params, dhs, bug)
            if weights and all(_close(answer[k], planted[k]) for k in weights):
                return _named(bug, differ)
        return mistake(
            _(
                "{names} are wrong for T = {T}. Check what each step hands back "
                "(dh_prev, dC_prev) and that every gradient is added up over time."
            ).format(names=", ".join(wrong), T=len(xs))
        )
    return correct(
        _(
            "Correct: dh and dC carried back step by step, and every weight's gradient summed "
            "over time."
        )
    )


# --- clipping -----------------------------------------------------------------------------


def clip_cases(seed: int = 0) -> list[tuple[dict[str, np.ndarray], float]]:
    """Gradients far over the threshold, then under it. Seed 0: W_f (3, 5), b_f (3,), W_y (1, 3),
    max_norm a quarter of their global norm, then twice it; any other seed other shapes and
    other fractions (0.2…0.6, then 1.5…3 times the norm)."""
    if seed == 0:
        rng, (H, D), fractions = np.random.default_rng(SEED_0["clip"]), (3, 2), (0.25, 2.0)
    else:
        rng = np.random.default_rng(seed)
        H, D = _other_sizes(rng, [(3, 2)])
        fractions = (float(rng.uniform(0.2, 0.6)), float(rng.uniform(1.5, 3.0)))
    grads = {
        "W_f": rng.normal(0, 3, (H, H + D)),
        "b_f": rng.normal(0, 0.1, H),
        "W_y": rng.normal(0, 1, (1, H)),
    }
    norm = global_norm(grads)
    return [(grads, norm * fraction) for fraction in fractions]


def _of_the_norm(max_norm: float, norm: float) -> str:
    """ "max_norm = 3.48, a quarter of the global norm 13.9": the case in words."""
    ratio = max_norm / norm
    words = {
        0.25: _("max_norm = {max_norm}, a quarter of the global norm {norm}"),
        0.5: _("max_norm = {max_norm}, half the global norm {norm}"),
        2.0: _("max_norm = {max_norm}, twice the global norm {norm}"),
    }
    other = _("max_norm = {max_norm}, {ratio} times the global norm {norm}")
    said = next((w for r, w in words.items() if np.isclose(ratio, r)), other)
    return said.format(max_norm=f"{max_norm:.3g}", norm=f"{norm:.3g}", ratio=f"{ratio:.2f}")


def clip_with_bug(
    grads: dict[str, np.ndarray], max_norm: float, bug: str | None = None
) -> dict[str, np.ndarray]:
    """The right clipping (``bptt.clip_by_global_norm``) or one of the planted clipping bugs."""
    if bug is None:
        return reference_clip(grads, max_norm)
    if bug == "clip_each_separately":
        return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}
    if bug == "clip_scales_up":
        return {k: g * max_norm / global_norm(grads) for k, g in grads.items()}
    if bug == "clip_values":
        return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
    if bug == "clip_sum_of_norms":
        total = sum(np.linalg.norm(g) for g in grads.values())
        return {k: g * min(1.0, max_norm / total) for k, g in grads.items()}
    raise ValueError(f"no clipping bug named {bug!r}")


CLIP_SIGNATURE = "clip_by_global_norm(grads, max_norm)"
CLIP_FIX = ""  # no whole-function fix: each misconception carries its own line(s)


def check_clip_by_global_norm(
    clip_by_global_norm: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``clip_by_global_norm(grads: dict, max_norm) -> dict`` on ``clip_cases(seed)``.
    Recognises the bugs of ``RECOGNISED["check_clip_by_global_norm"]``."""
    return run_check(lambda: _check_clip(clip_by_global_norm, seed), show_fix, CLIP_FIX)


def _check_clip(clip_by_global_norm: Callable[..., Any] | None, seed: int) -> Feedback:
    for grads, max_norm in clip_cases(seed):
        where = _of_the_norm(max_norm, global_norm(grads))
        copies = {k: g.copy() for k, g in grads.items()}
        result = _call(clip_by_global_norm, CLIP_SIGNATURE, (copies, max_norm), where)
        if not isinstance(result, Mapping) or set(result) != set(grads):
            return mistake(
                _("Return a dict with the same names as grads: {names}.").format(
                    names=sorted(grads)
                )
            )
        if any(not np.array_equal(copies[k], grads[k]) for k in grads):
            return _named("clip_in_place", where)
        right = clip_with_bug(grads, max_norm)
        if all(_close(result[k], right[k]) for k in grads):
            continue
        for bug in RECOGNISED["check_clip_by_global_norm"]:
            if bug == "clip_in_place":  # told apart above, by the caller's arrays
                continue
            planted = clip_with_bug(grads, max_norm, bug)
            if all(_close(result[k], planted[k]) for k in grads):
                return _named(bug, where)
        return mistake(
            _(
                "Your result differs ({where}): every array should be multiplied by one factor, "
                "min(1, max_norm / ‖g‖), with ‖g‖ the norm of all the arrays as one vector."
            ).format(where=where)
        )
    return correct(
        _(
            "Correct: clipped and left alone where they should be, the direction kept and the "
            "caller's gradients untouched, on every case tried."
        )
    )
