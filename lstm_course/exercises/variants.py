"""The checks for notebook 09: the article's GRU cell, built from a stub, and nn.GRU's size.

    09  article_gru_cell(x_t, h_prev, p) -> (z_t, r_t, h_tilde, h_t)       p: GRUParams
            z_t = σ(W_z·[h_{t-1}, x_t] + b_z)                 update gate
            r_t = σ(W_r·[h_{t-1}, x_t] + b_r)                 reset gate
            h̃_t = tanh(W_h·[r_t ⊙ h_{t-1}, x_t] + b_h)        the reset acts *before* W_h
            h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t             z_t is how much is rewritten
    09  gru_parameter_count(D, H) -> int
            3·(H·(H + D) + 2·H): three blocks (r, z, n), each a weight_ih row block (H, D),
            a weight_hh row block (H, H) and two biases, bias_ih and bias_hh (H each)

The GRU check compares with ``lstm_course.variants.gru_cell`` (the article's convention, with
the biases the course adds) and, when the answer is wrong, recomputes the cell with each known
mistake — PyTorch's convention (what ``nn.GRUCell`` computes), its reset placement alone, its
update meaning alone, the gates swapped, an activation or the reset left out, [x_t, h_{t-1}] —
to name the one the student made. The count's expected value is
``counting.parameter_count("gru", D, H, torch_biases=True).total``, which the counting tests
prove equal to sum(p.numel() for p in nn.GRU(D, H).parameters()).

Every check takes ``seed``: 0 the cases the notebook describes (the article's h_{t-1}, x_t; the
article's experiment's sizes), any other seed other sizes (H ≠ D) and values drawn from
``np.random.default_rng(seed)``. A wrong answer's message starts with the misconception's name
(``MISCONCEPTIONS``) and gives a hint without code; ``show_fix=True`` adds the fix.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.activations import sigmoid, tanh
from lstm_course.counting import parameter_count
from lstm_course.exercises.checking import (
    CheckEndedError,
    Misconception,
    as_array,
    call_student,
    close,
    named,
    recognised,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _
from lstm_course.variants import GRUParams, GRUStep, TorchGRUParams, gru_cell, gru_cell_torch

CHECK_SIZES = ((1, 16), (3, 3), (7, 2), (2, 5))  # (D, H) pairs, the article's experiment first

GRU_FIX = ""
"""No whole-cell fix: ``show_fix=True`` shows the line(s) of the misconception the check named
(each Misconception's ``fix``); a mistake it cannot name gets a pointer to the equation to
compare, never the reference."""

PACKAGE_ANSWERS = {
    "lstm_course.variants.gru_cell": N_("the article's GRU cell"),
    "lstm_course.variants.gru_unroll": N_("the GRU run over a sequence"),
}
"""The package functions that ARE the GRU exercise's answer: off-limits while it runs."""

# The fixes (second level of feedback): the line(s) of one misconception, never the whole cell.
_H_TILDE_FIX = "h_tilde = tanh(p.W_h @ np.concatenate([r_t * h_prev, x_t]) + p.b_h)"
_H_T_FIX = "h_t = (1 - z_t) * h_prev + z_t * h_tilde"
_GATES_FIX = "z_t = sigmoid(p.W_z @ hx + p.b_z); r_t = sigmoid(p.W_r @ hx + p.b_r)"

MISCONCEPTIONS: dict[str, str | Misconception] = {
    # nn.GRU's parameter count
    "one_bias": N_("One bias a block, as the article writes it"),
    "biases_missing": N_("The biases left out"),
    "lstm_blocks": N_("The LSTM's four blocks"),
    "recurrent_weights_missing": N_("The recurrent weights weight_hh left out"),
    # the article's GRU cell
    "pytorch_convention": Misconception(
        N_("PyTorch's GRU (nn.GRUCell) instead of the article's"),
        N_(
            "both of PyTorch's changes are in: z_t keeps the old state instead of rewriting it, "
            "and the reset multiplies W_h's product with h_{t-1} instead of h_{t-1} itself. The "
            "article's h̃_t reads [r_t ⊙ h_{t-1}, x_t], and its h_t takes z_t of the candidate."
        ),
        _H_TILDE_FIX + "; " + _H_T_FIX,
    ),
    "reset_after_product": Misconception(
        N_("The reset applied after the product, as PyTorch does"),
        N_(
            "the article resets h_{t-1} *before* W_h sees it: h̃_t = tanh(W_h·[r_t ⊙ h_{t-1}, x_t] "
            "+ b_h). Multiplying the h-part of the product by r_t is PyTorch's n_t, another cell."
        ),
        _H_TILDE_FIX,
    ),
    "update_flipped": Misconception(
        N_("z_t read as how much is kept (PyTorch's and Cho et al.'s meaning)"),
        N_(
            "in the article z_t is how much is *rewritten*: h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ "
            "h̃_t. "
            "Swap which of h_{t-1} and h̃_t gets z_t."
        ),
        _H_T_FIX,
    ),
    "gates_swapped": Misconception(
        N_("The update and reset gates swapped"),
        N_("z_t is the update gate, from W_z and b_z; r_t the reset gate, from W_r and b_r."),
        _GATES_FIX,
    ),
    "reset_missing": Misconception(
        N_("The reset gate left out of the candidate"),
        N_("h̃_t reads the *reset* old state, [r_t ⊙ h_{t-1}, x_t], not [h_{t-1}, x_t]."),
        _H_TILDE_FIX,
    ),
    "concat_order": Misconception(
        N_("[x_t, h_{t-1}] concatenated in the wrong order"),
        N_(
            "every layer of the article reads h first, then x: [h_{t-1}, x_t] (and "
            "[r_t ⊙ h_{t-1}, x_t] for the candidate), because W's first H columns act on h."
        ),
        "hx = np.concatenate([h_prev, x_t])",
    ),
    "candidate_without_tanh": Misconception(
        N_("tanh left out of the candidate"),
        N_(
            "h̃_t = tanh(W_h·[r_t ⊙ h_{t-1}, x_t] + b_h): the candidate is a tanh layer, in (−1, 1)."
        ),
        _H_TILDE_FIX,
    ),
    "sigma_for_tanh": Misconception(
        N_("σ where tanh belongs"),
        N_(
            "the gates z_t and r_t are σ layers (0 to 1, how much); the candidate h̃_t is a tanh "
            "layer (−1 to 1, what value)."
        ),
        _H_TILDE_FIX,
    ),
    "tanh_for_sigma": Misconception(
        N_("tanh where σ belongs"),
        N_("z_t and r_t are gates: σ layers whose values lie between 0 (none) and 1 (all)."),
        _GATES_FIX,
    ),
    "biases_left_out": Misconception(
        N_("The biases left out of the GRU's layers"),
        N_(
            "the article writes the GRU without biases, but the course's GRUParams carry b_z, b_r "
            "and b_h: add each one inside its layer's activation."
        ),
        "z_t = sigmoid(p.W_z @ hx + p.b_z)  # and + p.b_r, + p.b_h likewise",
    ),
    "one_minus_missing": Misconception(
        N_("h_{t-1} kept whole: the (1 − z_t) left out"),
        N_(
            "the update gate mixes: what z_t rewrites is taken away from h_{t-1}, "
            "h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t."
        ),
        _H_T_FIX,
    ),
    "candidate_as_state": Misconception(
        N_("The candidate returned as the new state"),
        N_(
            "h̃_t is only a proposal; the update gate decides how much of it enters h_t, "
            "h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t."
        ),
        _H_T_FIX,
    ),
    "outputs_swapped": Misconception(
        N_("The four results returned in another order"),
        N_("return them in the order the article computes them: z_t, r_t, h̃_t, h_t."),
        "return z_t, r_t, h_tilde, h_t",
    ),
}
RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_torch_gru_count": (
        "one_bias",
        "biases_missing",
        "lstm_blocks",
        "recurrent_weights_missing",
    ),
    "check_gru_cell": (
        "pytorch_convention",
        "reset_after_product",
        "update_flipped",
        "gates_swapped",
        "reset_missing",
        "concat_order",
        "candidate_without_tanh",
        "sigma_for_tanh",
        "tanh_for_sigma",
        "biases_left_out",
        "one_minus_missing",
        "candidate_as_state",
        "outputs_swapped",
    ),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""


def recognised_mistakes(check: Callable[..., Feedback] | str) -> list[str]:
    """The misconceptions ``check`` (a check of this module, or its name) recognises, in words."""
    return recognised(check, MISCONCEPTIONS, RECOGNISED)


# --- The article's GRU cell ------------------------------------------------------------------


class GRUCase(NamedTuple):
    """One hidden test: x_t (D,), h_prev (H,), the article's GRU weights."""

    name: str
    x_t: np.ndarray
    h_prev: np.ndarray
    p: GRUParams


def _scaled(p: GRUParams, scale: float) -> GRUParams:
    """Weights ``scale`` times larger, so each mistake moves the result far beyond rounding."""
    return GRUParams(*(scale * np.asarray(v) for v in (p.W_z, p.b_z, p.W_r, p.b_r, p.W_h, p.b_h)))


def gru_cases(seed: int = 0) -> list[GRUCase]:
    """seed 0: the article's h_{t-1} and x_t with two sets of weights from default_rng(0) — the
    case the notebook describes (H = D = 3). Any other seed: two cases with H ≠ D (one H < D,
    one H > D), every value drawn from default_rng(seed)."""
    rng = np.random.default_rng(seed)
    if seed == 0:
        return [
            GRUCase(
                _("the article's h_{{t-1}}, x_t, weights set {k}").format(k=k),
                worked_example.x_t.copy(),
                worked_example.h_prev.copy(),
                _scaled(GRUParams.random(3, 3, rng), 2.0),
            )
            for k in (1, 2)
        ]
    D = int(rng.integers(2, 6))
    sizes = [(D, int(rng.integers(1, D))), (D, int(rng.integers(D + 1, D + 4)))]
    return [
        GRUCase(
            _("hidden case D = {d}, H = {h}").format(d=d, h=h),
            rng.normal(size=d),
            rng.uniform(-0.9, 0.9, size=h),
            _scaled(GRUParams.random(d, h, rng), 2.0),
        )
        for d, h in sizes
    ]


def _variant(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    p: GRUParams,
    *,
    order: str = "hx",
    reset: str = "before",
    update: str = "article",
    candidate: Callable[[np.ndarray], np.ndarray] = tanh,
    gate: Callable[[np.ndarray], np.ndarray] = sigmoid,
) -> GRUStep:
    """The article's GRU with one or more known mistakes, to name the one a student made.

    order "xh": [x_t, h_{t-1}] everywhere. reset "after": r_t ⊙ (W_h's h-part · h_{t-1});
    "none": no reset. update "flipped": z_t keeps; "no_one_minus": h_{t-1} + z_t ⊙ h̃_t;
    "candidate": h_t = h̃_t.
    """
    H = len(h_prev)

    def join(h: np.ndarray) -> np.ndarray:
        return np.concatenate([h, x_t] if order == "hx" else [x_t, h])

    z_t = gate(p.W_z @ join(h_prev) + p.b_z)
    r_t = gate(p.W_r @ join(h_prev) + p.b_r)
    if reset == "after":  # PyTorch's placement: r_t multiplies W_hn·h_{t-1}
        h_tilde = candidate(p.W_h[:, H:] @ x_t + r_t * (p.W_h[:, :H] @ h_prev) + p.b_h)
    else:
        h_tilde = candidate(p.W_h @ join(r_t * h_prev if reset == "before" else h_prev) + p.b_h)
    h_t = {
        "article": (1.0 - z_t) * h_prev + z_t * h_tilde,
        "flipped": z_t * h_prev + (1.0 - z_t) * h_tilde,
        "no_one_minus": h_prev + z_t * h_tilde,
        "candidate": h_tilde,
    }[update]
    return GRUStep(z_t, r_t, h_tilde, h_t)


def _known_mistakes(case: GRUCase) -> list[tuple[str, GRUStep]]:
    """(misconception, the step it gives) for every mistake ``check_gru_cell`` names."""
    x, h, p = case.x_t, case.h_prev, case.p
    no_bias = replace(p, b_z=0 * p.b_z, b_r=0 * p.b_r, b_h=0 * p.b_h)
    swapped = replace(p, W_z=p.W_r, b_z=p.b_r, W_r=p.W_z, b_r=p.b_z)
    return [
        ("pytorch_convention", gru_cell_torch(x, h, TorchGRUParams.from_article(p))),
        ("reset_after_product", _variant(x, h, p, reset="after")),
        ("update_flipped", _variant(x, h, p, update="flipped")),
        ("gates_swapped", _variant(x, h, swapped)),
        ("reset_missing", _variant(x, h, p, reset="none")),
        ("candidate_without_tanh", _variant(x, h, p, candidate=lambda a: a)),
        ("sigma_for_tanh", _variant(x, h, p, candidate=sigmoid)),
        ("tanh_for_sigma", _variant(x, h, p, gate=tanh)),
        ("biases_left_out", _variant(x, h, no_bias)),
        ("one_minus_missing", _variant(x, h, p, update="no_one_minus")),
        ("candidate_as_state", _variant(x, h, p, update="candidate")),
        ("concat_order", _variant(x, h, p, order="xh")),  # H + D values either way round
    ]


SYMBOLS = ("z_t", "r_t", "h_tilde", "h_t")
EQUATIONS = {
    "z_t": "σ(W_z·[h_{t-1}, x_t] + b_z)",
    "r_t": "σ(W_r·[h_{t-1}, x_t] + b_r)",
    "h_tilde": "tanh(W_h·[r_t ⊙ h_{t-1}, x_t] + b_h)",
    "h_t": "(1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t",
}


def _four_results(result: Any, where: str) -> list[np.ndarray]:
    """The student's (z_t, r_t, h_tilde, h_t) as arrays, or a sentence."""
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        raise CheckEndedError(
            mistake(
                _(
                    "Return the four results, z_t, r_t, h̃_t and h_t, in that order ({where}); "
                    "got a "
                    "{kind}."
                ).format(where=where, kind=type(result).__name__)
            )
        )
    return [as_array(value, symbol, where) for value, symbol in zip(result, SYMBOLS, strict=True)]


def _judge_gru(student: Callable[..., Any], case: GRUCase) -> Feedback | None:
    """None if the student's cell is right on ``case``; otherwise the mistake, named if known."""
    where = _("on {name}").format(name=_(case.name))
    H = len(case.h_prev)
    right = gru_cell(case.x_t, case.h_prev, case.p)
    with forbidden(student, PACKAGE_ANSWERS):
        result = call_student(student, (case.x_t, case.h_prev, case.p), where)
    got = _four_results(result, where)
    if all(close(g, r) for g, r in zip(got, right, strict=True)):
        return None
    for key, step in _known_mistakes(case):
        if all(close(g, s) for g, s in zip(got, step, strict=True)):
            return named(key, where, "", MISCONCEPTIONS)
    if sorted(map(_key, got)) == sorted(map(_key, right)) and all(g.shape == (H,) for g in got):
        return named("outputs_swapped", where, "", MISCONCEPTIONS)
    for value, expected, symbol in zip(got, right, SYMBOLS, strict=True):
        if value.shape != (H,):
            return mistake(
                _(
                    "{symbol} has shape {value_shape} ({where}); expected ({H},), one value per "
                    "hidden unit (H = {H})."
                ).format(symbol=symbol, value_shape=value.shape, where=where, H=H)
            )
        if not close(value, expected):
            return mistake(
                _(
                    "{symbol} is not yet {EQUATIONS_symbol} ({where}): you have {value}, expected "
                    "{expected}. Check that line against the article's equation, symbol by symbol."
                ).format(
                    symbol=symbol,
                    EQUATIONS_symbol=EQUATIONS[symbol],
                    where=where,
                    value=np.round(value, 3),
                    expected=np.round(expected, 3),
                )
            )
    return mistake(
        _("Not yet ({where}): compare each result with the article's equation.").format(where=where)
    )


def _key(a: np.ndarray) -> tuple[float, ...]:
    return tuple(np.round(np.ravel(a), 6))


def check_gru_cell(
    article_gru_cell: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Run ``article_gru_cell(x_t, h_prev, p)`` on ``gru_cases(seed)``; expected the article's
    (z_t, r_t, h̃_t, h_t), each (H,), as ``lstm_course.variants.gru_cell`` computes them."""

    def check() -> Feedback:
        require_function(article_gru_cell, "article_gru_cell(x_t, h_prev, p)")
        for case in gru_cases(seed):
            verdict = _judge_gru(article_gru_cell, case)
            if verdict is not None:
                return verdict
        return correct(
            _(
                "Correct: the article's GRU — z_t rewrites, the reset acts before W_h — equal to "
                "lstm_course.variants.gru_cell on every case tried."
            )
        )

    return run_check(check, show_fix, GRU_FIX)


# --- nn.GRU's parameter count ------------------------------------------------------------------


def _slips(D: int, H: int) -> dict[int, tuple[str, str]]:
    """The count each known slip gives for nn.GRU(D, H): count -> (misconception, explanation)."""
    article = parameter_count("gru", D, H)
    torch_count = parameter_count("gru", D, H, torch_biases=True)
    lstm = parameter_count("lstm", D, H, torch_biases=True)
    return {
        article.total: ("one_bias", _("PyTorch keeps two, bias_ih and bias_hh (3·H more).")),
        torch_count.weights: (
            "biases_missing",
            _("the weights are right; add bias_ih and bias_hh."),
        ),
        lstm.total: ("lstm_blocks", _("the GRU has three blocks (r, z, n), not four.")),
        3 * (H * D + 2 * H): (
            "recurrent_weights_missing",
            _("each block also has a recurrent weight W_h* of H×H, in weight_hh."),
        ),
    }


def count_sizes(seed: int = 0) -> tuple[tuple[int, int], ...]:
    """seed 0: ``CHECK_SIZES`` (the article's nn.GRU(1, 16) first); any other seed four (D, H)
    pairs with H ≠ D drawn from default_rng(seed)."""
    if seed == 0:
        return CHECK_SIZES
    rng = np.random.default_rng(seed)
    sizes = []
    while len(sizes) < 4:
        D, H = (int(n) for n in rng.integers(1, 40, size=2))
        if D != H:
            sizes.append((D, H))
    return tuple(sizes)


FIX = "return 3 * (H * (H + D) + 2 * H)"
"""The right formula: the second level of feedback, shown with ``show_fix=True``."""


def check_torch_gru_count(
    formula: Callable[[int, int], int] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``formula(D, H)`` against what ``nn.GRU(D, H)`` holds, for every size in
    ``count_sizes(seed)``; name the slip (one bias a block, no biases, four blocks, no
    weight_hh)."""
    signature = "gru_parameter_count(D, H)"
    sizes = count_sizes(seed)

    def check() -> Feedback:
        require_function(formula, signature)
        for D, H in sizes:
            where = _("D = {D}, H = {H}").format(D=D, H=H)
            got = call_student(formula, (D, H), where)
            if not isinstance(got, numbers.Real):
                return mistake(
                    _("Return one whole number ({where}); got a {kind}: {got!r}.").format(
                        where=where, kind=type(got).__name__, got=got
                    )
                )
            expected = parameter_count("gru", D, H, torch_biases=True).total
            if got == expected:
                continue
            said = _("nn.GRU({D}, {H}) holds {expected}; you have {got!r}:").format(
                D=D, H=H, expected=expected, got=got
            )
            slip = _slips(D, H).get(got)
            if slip is not None:
                key, explanation = slip
                return named(
                    key,
                    where,
                    _("{said} {explanation}").format(said=said, explanation=explanation),
                    MISCONCEPTIONS,
                )
            return mistake(
                _(
                    "Not yet ({where}): {said} count block by block — which weight matrices and "
                    "biases does each of the GRU's blocks hold, and how many numbers is each?"
                ).format(where=where, said=said)
            )
        return correct(
            _(
                "Right for every size tried {sizes}: every block's weights and both of its "
                "biases counted, as nn.GRU holds them."
            ).format(sizes=sizes)
        )

    return run_check(check, show_fix, FIX)


# --- Predict before you run ----------------------------------------------------------------------

predict_coupled_reach = Prediction(
    question=(
        N_(
            "Five steps of the coupled cell with the same candidate C̃_t = 0.3, from C_0 = 0, "
            "choosing the best f_t at every step: how large can C_t get? Answer 0.0, 0.3 or 1.5."
        )
    ),
    answer=0.3,
    choices=(0.0, 0.3, 1.5),
    wrong={
        1.5: (
            N_(
                "adding 0.3 five times means keeping everything (f_t = 1) *and* writing everything "
                "— the plain LSTM with f_t = i_t = 1. The coupled cell writes only the (1 − f_t) "
                "it forgets."
            )
        ),
        0.0: N_("with f_t = 0 the coupled cell writes the whole candidate at once."),
    },
)
"""Notebook 09, §2: the coupled C_t is a weighted average of C_{t-1} and C̃_t."""
