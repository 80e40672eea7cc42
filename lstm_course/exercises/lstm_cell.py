"""The checks for notebook 08's build-it: the whole LSTM cell from scratch, then the loop.

    08  my_lstm_cell(x_t, h_prev, C_prev, params) -> (h_t, C_t)
            the article's six equations (§3.3–3.6), params an LSTMParams
    08  my_lstm_unroll(xs, h0, C0, params) -> hs
            xs (T, D); h0, C0 (H,); hs (T, H), row t the h_t after reading xs[t], with h and C
            carried from each step to the next

Each check compares the student's answer with ``lstm_course.lstm`` on seeded cases: ``seed=0``
(the default) is the case notebook 08 describes — the article's x_t, h_{t-1}, C_{t-1} (the
first of a 4-step sequence for the loop) with weights drawn from ``default_rng(0)``; any other
seed gives hidden cases with H ≠ D, another T and other values, so hard-coding the visible case
fails them. A wrong answer is recomputed under every combination of the known mistakes (fewest
first) and the one that matches is named, from ``MISCONCEPTIONS``; ``RECOGNISED`` lists what
each check names. The default message is a hint in the article's words; the code of the fix
comes only with ``show_fix=True`` (see ``exercises.checking``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.activations import sigmoid, tanh
from lstm_course.exercises import checking
from lstm_course.exercises.checking import (
    CheckEndedError,
    ErrorHints,
    as_array,
    call_student,
    check_cases,
    close,
    two_results,
)
from lstm_course.exercises.feedback import Feedback, mistake
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.gates import MISCONCEPTIONS as GATE_MISCONCEPTIONS
from lstm_course.exercises.gates import other_sizes, random_gate_params
from lstm_course.i18n import N_, _
from lstm_course.lstm import LSTMParams, lstm_cell, lstm_unroll

MISCONCEPTIONS: dict[str, str] = {
    # one step: the six equations
    "concat_order": GATE_MISCONCEPTIONS["concat_order"],
    "gate_weights_mixed": N_("One gate computed with another gate's weights"),
    "tanh_for_sigma": GATE_MISCONCEPTIONS["tanh_for_sigma"],
    "sigma_for_tanh": GATE_MISCONCEPTIONS["sigma_for_tanh"],
    "gates_swapped": GATE_MISCONCEPTIONS["gates_swapped"],
    "tanh_on_cell_state": GATE_MISCONCEPTIONS["tanh_on_cell_state"],
    "h_without_tanh": GATE_MISCONCEPTIONS["h_without_tanh"],
    "C_prev_in_h": N_("C_{t-1} used in h_t where C_t is meant"),
    "tanh_after_product": GATE_MISCONCEPTIONS["tanh_after_product"],
    "cell_outputs_swapped": N_("h_t and C_t returned in the wrong order"),
    # the loop over a sequence
    "last_h_only": N_("Only the last h_t returned"),
    "h_not_carried": N_("h_{t-1} not carried from step to step"),
    "C_not_carried": N_("C_{t-1} not carried from step to step"),
    "states_swapped": N_("h and C swapped when carried to the next step"),
    "initial_state_ignored": N_("h0 and C0 replaced by zeros"),
    "off_by_one": N_("The steps shifted by one (an off-by-one in the loop)"),
    "cell_states_returned": N_("The cell states C_t returned instead of h_t"),
}

RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_lstm_cell": (
        "concat_order",
        "gate_weights_mixed",
        "tanh_for_sigma",
        "sigma_for_tanh",
        "gates_swapped",
        "tanh_on_cell_state",
        "h_without_tanh",
        "C_prev_in_h",
        "tanh_after_product",
        "cell_outputs_swapped",
    ),
    "check_lstm_unroll": (
        "last_h_only",
        "h_not_carried",
        "C_not_carried",
        "states_swapped",
        "initial_state_ignored",
        "off_by_one",
        "cell_states_returned",
    ),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""

FIXES: dict[str, str] = {
    "check_lstm_cell": N_(
        "no code for a mistake the check cannot name: print f_t, i_t, C̃_t, C_t, o_t and h_t of "
        "your cell on the article's inputs and compare them, one by one, with the lstm_cell "
        "step printed in section 1 — the first that differs is your wrong line."
    ),
    "check_lstm_unroll": N_(
        "no code for a mistake the check cannot name: run your cell by hand for the first two "
        "steps and compare each h_t with the row of yours — the first row that differs shows "
        "the step the loop gets wrong."
    ),
}
"""What ``show_fix=True`` adds when no misconception is named: a pointer in words, never code.
A named misconception carries its own line (``MISCONCEPTION_FIXES``), never the whole cell."""

MISCONCEPTION_FIXES: dict[str, str] = {
    "concat_order": "hx = np.concatenate([h_prev, x_t])  # h first",
    "gate_weights_mixed": "f_t = sigmoid(p.W_f @ hx + p.b_f)  # each layer its own W and b",
    "tanh_for_sigma": "f_t = sigmoid(p.W_f @ hx + p.b_f)  # σ for i_t and o_t too",
    "sigma_for_tanh": "C_tilde = tanh(p.W_C @ hx + p.b_C)",
    "gates_swapped": "C_t = f_t * C_prev + i_t * C_tilde",
    "tanh_on_cell_state": "C_t = f_t * C_prev + i_t * C_tilde  # no tanh",
    "h_without_tanh": "h_t = o_t * tanh(C_t)",
    "C_prev_in_h": "h_t = o_t * tanh(C_t)  # C_t, not C_prev",
    "tanh_after_product": "h_t = o_t * tanh(C_t)",
    "cell_outputs_swapped": "return h_t, C_t",
    "last_h_only": "hs.append(h_t)  # every step; then return np.stack(hs)",
    "h_not_carried": "h_t, C_t = my_lstm_cell(x_t, h_t, C_t, params)",
    "C_not_carried": "h_t, C_t = my_lstm_cell(x_t, h_t, C_t, params)",
    "states_swapped": "h_t, C_t = my_lstm_cell(x_t, h_t, C_t, params)",
    "initial_state_ignored": "h_t, C_t = h0, C0",
    "off_by_one": "for x_t in xs:  # one step per row, h_t kept after the step",
    "cell_states_returned": "hs.append(h_t)  # h_t, not C_t",
}
"""The line each named misconception gets wrong: shown with ``show_fix=True`` only."""

ANSWERS: dict[str, dict[str, str]] = {
    "check_lstm_cell": {
        "lstm_course.lstm.lstm_cell": N_("the article's LSTM cell"),
        "lstm_course.lstm.lstm_unroll": N_("the LSTM cell run over a sequence"),
    },
    "check_lstm_unroll": {"lstm_course.lstm.lstm_unroll": N_("the LSTM cell run over a sequence")},
}
"""The package's answers, off-limits while a check runs the student's function (``forbidden``)."""


CELL_SIGNATURE = "my_lstm_cell(x_t, h_prev, C_prev, params)"
UNROLL_SIGNATURE = "my_lstm_unroll(xs, h0, C0, params)"


def recognised(
    check: Callable[..., Feedback] | str,
    misconceptions: Mapping[str, str] = MISCONCEPTIONS,
    by_check: Mapping[str, tuple[str, ...]] = RECOGNISED,
) -> list[str]:
    """The misconceptions ``check`` (a check function or its name) recognises, in words."""
    return checking.recognised(check, misconceptions, by_check)


def named(key: str, where: str, hint: str) -> Feedback:
    """A failed check: the misconception's name, where it showed, then the hint; the key's line
    of ``MISCONCEPTION_FIXES`` only with ``show_fix=True``."""
    return checking.named(key, where, hint, MISCONCEPTIONS, MISCONCEPTION_FIXES[key])


_MATMUL_HINT = N_(
    "A matrix product failed ({where}): {error}. Each W has H + D columns, one per value "
    "of [h_{{t-1}}, x_t]: join h_{{t-1}} and x_t into one vector first, then multiply."
)
_BROADCAST_HINT = N_(
    "The shapes do not fit ({where}): {error}. Every gate, C_t and h_t has H values; "
    "only x_t has D. Is a state being mixed with an input, or a gate with "
    "[h_{{t-1}}, x_t]?"
)


def _error_hints() -> ErrorHints:
    """How numpy's errors read in the cell, in the package's language."""
    return ErrorHints(matmul=_(_MATMUL_HINT), broadcast=_(_BROADCAST_HINT))


# --- Cases ---------------------------------------------------------------------------------------


class CellCase(NamedTuple):
    """One step: x_t (D,), h_{t-1} and C_{t-1} (H,), and the weights."""

    where: str
    x_t: np.ndarray
    h_prev: np.ndarray
    C_prev: np.ndarray
    params: LSTMParams


class UnrollCase(NamedTuple):
    """A sequence: xs (T, D), h0 and C0 (H,), and the weights."""

    where: str
    xs: np.ndarray
    h0: np.ndarray
    C0: np.ndarray
    params: LSTMParams


def cell_cases(seed: int = 0) -> list[CellCase]:
    """seed 0: the article's x_t, h_{t-1}, C_{t-1} with N(0, 1) weights from default_rng(0).
    Any other seed: two hidden cases, H ≠ D (one H < D, one H > D), values from the seed."""
    rng = np.random.default_rng(seed)
    if seed == 0:
        x_t, h_prev = worked_example.x_t.copy(), worked_example.h_prev.copy()
        return [
            CellCase(
                _("on the article's x_t, h_{t-1} and C_{t-1}"),
                x_t,
                h_prev,
                worked_example.C_prev.copy(),
                random_gate_params(rng, h_prev, x_t),
            )
        ]
    cases = []
    for H, D in other_sizes(rng):
        x_t, h_prev = rng.normal(0.0, 1.0, D), rng.normal(0.0, 0.7, H)
        cases.append(
            CellCase(
                _("on a hidden case with H = {H}, D = {D}").format(H=H, D=D),
                x_t,
                h_prev,
                rng.normal(0.0, 1.5, H),
                random_gate_params(rng, h_prev, x_t),
            )
        )
    return cases


UNROLL_STEPS = 4
"""T of the visible case: the article's x_t, then three more inputs."""


def unroll_cases(seed: int = 0) -> list[UnrollCase]:
    """seed 0: T = 4 inputs, the article's x_t first, starting from the article's h_{t-1} and
    C_{t-1}, weights N(0, 1) from default_rng(0). Any other seed: two hidden sequences, H ≠ D,
    T from 2 to 7 (never 4), nonzero h0 and C0, values from the seed."""
    rng = np.random.default_rng(seed)
    if seed == 0:
        h0 = worked_example.h_prev.copy()
        xs = np.vstack([worked_example.x_t, rng.normal(0.0, 1.0, (UNROLL_STEPS - 1, 3))])
        return [
            UnrollCase(
                _("on {T} steps from the article's x_t, h_{{t-1}} and C_{{t-1}}").format(
                    T=UNROLL_STEPS
                ),
                xs,
                h0,
                worked_example.C_prev.copy(),
                random_gate_params(rng, h0, xs[0]),
            )
        ]
    cases = []
    for H, D in other_sizes(rng):
        T = int(rng.choice([2, 3, 5, 6, 7]))
        xs, h0 = rng.normal(0.0, 1.0, (T, D)), rng.normal(0.0, 0.7, H)
        cases.append(
            UnrollCase(
                _("on a hidden sequence with T = {T}, H = {H}, D = {D}").format(T=T, H=H, D=D),
                xs,
                h0,
                rng.normal(0.0, 1.5, H),
                random_gate_params(rng, h0, xs[0]),
            )
        )
    return cases


# --- One step, and every way of getting it wrong ---------------------------------------------

_GATES = ("f", "i", "C", "o")
_SYMBOL = {"f": "f_t", "i": "i_t", "C": "C̃_t", "o": "o_t"}


def _variant_cell(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    C_prev: np.ndarray,
    p: LSTMParams,
    order: str = "hx",
    weights: tuple[str, ...] = _GATES,
    gate_act: Callable = sigmoid,
    candidate_act: Callable = tanh,
    update: str = "right",
    output: str = "right",
) -> tuple[np.ndarray, np.ndarray]:
    """(h_t, C_t) computed with the given choices; the defaults are the article's cell.

    ``weights[k]`` is the gate whose W and b gate ``_GATES[k]`` uses.
    """
    v = np.concatenate([h_prev, x_t]) if order == "hx" else np.concatenate([x_t, h_prev])
    W = {
        g: (getattr(p, f"W_{w}"), getattr(p, f"b_{w}"))
        for g, w in zip(_GATES, weights, strict=True)
    }
    f_t = gate_act(W["f"][0] @ v + W["f"][1])
    i_t = gate_act(W["i"][0] @ v + W["i"][1])
    C_tilde = candidate_act(W["C"][0] @ v + W["C"][1])
    o_t = gate_act(W["o"][0] @ v + W["o"][1])
    C_t = {
        "right": f_t * C_prev + i_t * C_tilde,
        "tanh_on_cell_state": tanh(f_t * C_prev + i_t * C_tilde),
        "gates_swapped": i_t * C_prev + f_t * C_tilde,
    }[update]
    h_t = {
        "right": o_t * tanh(C_t),
        "h_without_tanh": o_t * C_t,
        "C_prev_in_h": o_t * tanh(C_prev),
        "tanh_after_product": tanh(o_t * C_t),
    }[output]
    return h_t, C_t


def _cell_variants(case: CellCase) -> list[tuple[tuple[str, ...], np.ndarray, np.ndarray, tuple]]:
    """(mistakes, h_t, C_t, the weights each gate used) under every combination of at most two
    known mistakes, fewest first."""
    variants = []
    for order, weights, gate_act, candidate_act, update, output in itertools.product(
        ("hx", "xh"),
        itertools.permutations(_GATES),
        (sigmoid, tanh),
        (tanh, sigmoid),
        ("right", "tanh_on_cell_state", "gates_swapped"),
        ("right", "h_without_tanh", "C_prev_in_h", "tanh_after_product"),
    ):
        keys = (
            "concat_order" if order == "xh" else None,
            "gate_weights_mixed" if weights != _GATES else None,
            "tanh_for_sigma" if gate_act is tanh else None,
            "sigma_for_tanh" if candidate_act is sigmoid else None,
            None if update == "right" else update,
            None if output == "right" else output,
        )
        keys = tuple(k for k in keys if k is not None)
        if len(keys) > 2:  # more than two mistakes at once: not worth naming
            continue
        h_t, C_t = _variant_cell(
            case.x_t,
            case.h_prev,
            case.C_prev,
            case.params,
            order,
            weights,
            gate_act,
            candidate_act,
            update,
            output,
        )
        variants.append((keys, h_t, C_t, weights))
    return sorted(variants, key=lambda variant: len(variant[0]))


def _cell_hints(weights: tuple[str, ...]) -> dict[str, str]:
    mixed = ", ".join(
        _("your {symbol} uses W_{used} and b_{used}").format(symbol=_SYMBOL[gate], used=used)
        for gate, used in zip(_GATES, weights, strict=True)
        if gate != used
    )
    return {
        "concat_order": _(
            "the article joins h_{t-1} first, [h_{t-1}, x_t]: the first H columns of every W "
            "are the weights for h_{t-1}."
        ),
        "gate_weights_mixed": _(
            "{mixed}. Each of the four layers has its own weights: f_t reads W_f and b_f, "
            "i_t W_i and b_i, C̃_t W_C and b_C, o_t W_o and b_o."
        ).format(mixed=mixed),
        "tanh_for_sigma": _(
            "the three gates f_t, i_t, o_t are fractions of how much passes, in (0, 1): σ "
            "layers. tanh belongs to the candidate C̃_t."
        ),
        "sigma_for_tanh": _(
            "the candidate C̃_t proposes values that may be negative, in (−1, 1): a tanh layer. "
            "With σ the cell could only ever add to its state."
        ),
        "gates_swapped": _(
            "the forget gate f_t scales the old state C_{t-1}; the input gate i_t scales the "
            "candidate C̃_t."
        ),
        "tanh_on_cell_state": _(
            "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, with no squashing: the tanh comes only in h_t."
        ),
        "h_without_tanh": _(
            "h_t = o_t ⊙ tanh(C_t): the cell state is squashed into (−1, 1) before the output "
            "gate lets part of it out."
        ),
        "C_prev_in_h": _(
            "the output is read from the state just updated: h_t = o_t ⊙ tanh(C_t), the "
            "article's equation (and PyTorch's cell). §3.6's prose slips and says C_{t-1}."
        ),
        "tanh_after_product": _(
            "squash C_t first, then let the gate choose how much passes: o_t ⊙ tanh(C_t)."
        ),
    }


def _judge_cell(student: Callable, case: CellCase) -> Feedback | None:
    p = case.params
    H = p.hidden_size
    with forbidden(student, ANSWERS["check_lstm_cell"]):
        result = call_student(
            student, (case.x_t, case.h_prev, case.C_prev, p), case.where, _error_hints()
        )
    if isinstance(result, tuple) and len(result) == 6 and hasattr(result, "h_t"):
        result = (result.h_t, result.C_t)  # an LSTMStep is accepted too
    h_t, C_t = two_results(result, ("h_t", "C_t"), case.where)
    right = lstm_cell(case.x_t, case.h_prev, case.C_prev, p)
    if close(h_t, right.h_t) and close(C_t, right.C_t):
        return None
    if close(h_t, right.C_t) and close(C_t, right.h_t):
        return named(
            "cell_outputs_swapped",
            case.where,
            _(
                "your first result is C_t and your second h_t: the output h_t comes first, the "
                "cell state second (as PyTorch's nn.LSTMCell returns them)."
            ),
        )
    for name, value in (("h_t", h_t), ("C_t", C_t)):
        if value.shape != (H,):
            return mistake(
                _(
                    "Wrong shape ({where}): your {name} has shape {shape}; expected "
                    "({H},), one value per unit. Every gate, C_t and h_t has H values."
                ).format(where=case.where, name=name, shape=value.shape, H=H)
            )
    for keys, h_v, C_v, weights in _cell_variants(case):
        if keys and close(h_t, h_v) and close(C_t, C_v):
            hints = _cell_hints(weights)
            first, *rest = keys
            also = "".join(
                _(" Also: {name} — {hint}").format(name=_(MISCONCEPTIONS[k]), hint=hints[k])
                for k in rest
            )
            return named(first, case.where, hints[first] + also)
    which = (
        _("your C_t is right, your h_t is not") if close(C_t, right.C_t) else _("your C_t is wrong")
    )
    return mistake(
        _(
            "Not yet ({where}): {which}. Expected h_t = {h_right} and "
            "C_t = {C_right}; yours are {h_yours} and {C_yours}. "
            "Write the six equations one per line, in the article's order, and compare each "
            "with notebooks 06–08."
        ).format(
            where=case.where,
            which=which,
            h_right=np.round(right.h_t, 3),
            C_right=np.round(right.C_t, 3),
            h_yours=np.round(h_t, 3),
            C_yours=np.round(C_t, 3),
        )
    )


def check_lstm_cell(
    my_lstm_cell: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``my_lstm_cell(x_t, h_prev, C_prev, params) -> (h_t, C_t)``, the article's cell.

    x_t (D,); h_prev, C_prev, h_t, C_t (H,); params an LSTMParams (W_* (H, H + D), b_* (H,)).
    seed 0: the article's inputs, seeded weights; any other seed: H ≠ D (``cell_cases``).
    """
    return check_cases(
        my_lstm_cell,
        CELL_SIGNATURE,
        cell_cases(seed),
        lambda case: _judge_cell(my_lstm_cell, case),
        _(
            "Correct: your cell is the article's six equations — three σ gates and a tanh "
            "candidate on [h_{t-1}, x_t], C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, "
            "h_t = o_t ⊙ tanh(C_t) — and equals lstm_course.lstm.lstm_cell."
        ),
        show_fix,
        _(FIXES["check_lstm_cell"]),
    )


# --- The loop over a sequence ------------------------------------------------------------------


def _right_steps(case: UnrollCase) -> tuple[np.ndarray, np.ndarray]:
    """(hs, Cs), each (T, H): the package's unroll from h0, C0."""
    run = lstm_unroll(case.xs, case.params, case.h0, case.C0)
    return run.h_t, run.C_t


def _loop_variants(case: UnrollCase) -> dict[str, np.ndarray]:
    """What a loop with each known mistake returns, by misconception key."""
    p, xs = case.params, case.xs
    H = p.hidden_size

    def run(carry_h: bool = True, carry_C: bool = True, swap: bool = False, h0=None, C0=None):
        h0 = case.h0 if h0 is None else h0
        C0 = case.C0 if C0 is None else C0
        h, C, hs, cs, before = h0, C0, [], [], []
        for x_t in xs:
            before.append(h)
            step = lstm_cell(x_t, h if carry_h else h0, C if carry_C else C0, p)
            h, C = (step.C_t, step.h_t) if swap else (step.h_t, step.C_t)
            hs.append(step.h_t)
            cs.append(step.C_t)
        return np.stack(hs), np.stack(cs), np.stack(before)

    hs, cs, before = run()
    variants = {
        "h_not_carried": run(carry_h=False)[0],
        "C_not_carried": run(carry_C=False)[0],
        "h_and_C_not_carried": run(carry_h=False, carry_C=False)[0],
        "states_swapped": run(swap=True)[0],
        "initial_state_ignored": run(h0=np.zeros(H), C0=np.zeros(H))[0],
        "off_by_one_before": before,  # h appended before the step: h0 … h_{T-2}
        "off_by_one_with_h0": np.vstack([case.h0, hs]),  # h0 … h_{T-1}: T + 1 rows
        "cell_states_returned": cs,
    }
    if len(xs) > 1:
        variants["off_by_one_skip"] = lstm_unroll(xs[1:], p, case.h0, case.C0).h_t
        variants["off_by_one_drop_last"] = hs[:-1]
    return variants


_LOOP_HINTS = {
    "h_not_carried": (
        "h_not_carried",
        N_(
            "every step started from h0: the h_t of one step is the h_{t-1} of the next. Keep it "
            "in a variable that the loop overwrites."
        ),
    ),
    "C_not_carried": (
        "C_not_carried",
        N_(
            "every step started from C0: the cell state C_t of one step is the C_{t-1} of the "
            "next — that is the conveyor belt that carries memory along the sequence."
        ),
    ),
    "h_and_C_not_carried": (
        "h_not_carried",
        N_(
            "every step started from h0 and C0, so each step saw only its own input. Also: "
            "{name} — carry both h_t and C_t to the next step."
        ),
    ),
    "states_swapped": (
        "states_swapped",
        N_(
            "the next step received C_t as its h_{t-1} and h_t as its C_{t-1}. Your cell returns "
            "(h_t, C_t) in that order; unpack them in the same order."
        ),
    ),
    "initial_state_ignored": (
        "initial_state_ignored",
        N_(
            "the first step must start from the h0 and C0 it is given (here nonzero), "
            "not from zeros."
        ),
    ),
    "off_by_one_before": (
        "off_by_one",
        N_(
            "your row t is the h_{t-1} the step read, not the h_t it made: keep each step's output "
            "after the step."
        ),
    ),
    "off_by_one_with_h0": (
        "off_by_one",
        N_("you returned T + 1 rows, h0 first. Row t is the h_t after reading xs[t]: T rows."),
    ),
    "off_by_one_skip": (
        "off_by_one",
        N_("the first input xs[0] was never read: the loop runs once for every one of the T rows."),
    ),
    "off_by_one_drop_last": (
        "off_by_one",
        N_("you returned T − 1 rows: the last step's h_t is missing. One row per input."),
    ),
    "cell_states_returned": (
        "cell_states_returned",
        N_(
            "your rows are the cell states C_t; the loop's outputs are the h_t, what the cell "
            "shows to the next layer."
        ),
    ),
}


def _judge_unroll(student: Callable, case: UnrollCase) -> Feedback | None:
    p = case.params
    T, H = len(case.xs), p.hidden_size
    with forbidden(student, ANSWERS["check_lstm_unroll"]):
        result = call_student(student, (case.xs, case.h0, case.C0, p), case.where, _error_hints())
    if isinstance(result, tuple) and len(result) == 2:
        raise CheckEndedError(
            mistake(
                _(
                    "Return hs alone ({where}): one array of shape (T, H) = ({T}, {H}), row t "
                    "the h_t after reading xs[t]; got two results."
                ).format(where=case.where, T=T, H=H)
            )
        )
    hs = as_array(result, "hs", case.where)
    right_hs = _right_steps(case)[0]
    if close(hs, right_hs):
        return None
    if close(hs, right_hs[-1]):
        return named(
            "last_h_only",
            case.where,
            _(
                "you returned h_T alone, shape ({H},). The loop's output is every step's h_t, "
                "one row per input: ({T}, {H})."
            ).format(H=H, T=T),
        )
    for variant, value in _loop_variants(case).items():
        if close(hs, value):
            key, hint = _LOOP_HINTS[variant]
            hint = _(hint)
            if variant == "h_and_C_not_carried":
                hint = hint.format(name=_(MISCONCEPTIONS["C_not_carried"]))
            return named(key, case.where, hint)
    if hs.shape != (T, H):
        return mistake(
            _(
                "Wrong shape ({where}): your hs has shape {shape}; expected (T, H) = "
                "({T}, {H}), one row h_t per input."
            ).format(where=case.where, shape=hs.shape, T=T, H=H)
        )
    first_wrong = int(np.argmax(~np.all(np.isclose(hs, right_hs, atol=1e-6), axis=1)))
    if first_wrong > 0:
        return mistake(
            _(
                "Not yet ({where}): rows 0 to {last_right} are right, row {row} is "
                "not (expected {expected}, yours {yours}). Does my_lstm_cell pass its check? "
                "Then look at what the loop hands to the next step."
            ).format(
                where=case.where,
                last_right=first_wrong - 1,
                row=first_wrong,
                expected=np.round(right_hs[first_wrong], 3),
                yours=np.round(hs[first_wrong], 3),
            )
        )
    return mistake(
        _(
            "Not yet ({where}): already the first row is wrong (expected "
            "{expected}, yours {yours}). Does my_lstm_cell pass its "
            "check, and does the first step start from h0 and C0?"
        ).format(where=case.where, expected=np.round(right_hs[0], 3), yours=np.round(hs[0], 3))
    )


def check_lstm_unroll(
    my_lstm_unroll: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``my_lstm_unroll(xs, h0, C0, params) -> hs``: the cell along a sequence.

    xs (T, D); h0, C0 (H,); hs (T, H), row t the h_t after reading xs[t], h and C carried.
    seed 0: T = 4 from the article's state; any other seed: H ≠ D, T ≠ 4 (``unroll_cases``).
    """
    return check_cases(
        my_lstm_unroll,
        UNROLL_SIGNATURE,
        unroll_cases(seed),
        lambda case: _judge_unroll(my_lstm_unroll, case),
        _(
            "Correct: one step per input, h_t and C_t carried from each step to the next, every "
            "h_t kept — equal to lstm_course.lstm.lstm_unroll."
        ),
        show_fix,
        _(FIXES["check_lstm_unroll"]),
    )
