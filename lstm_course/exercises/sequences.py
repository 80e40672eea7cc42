"""The checks for notebook 02: carry a state through a sequence, then be the feed-forward net.

    02  carry_state(xs, decay) -> hs
            h_t = λ·h_{t-1} + x_t from h_0 = 0, for t = 1 … T; xs and hs (T, D)
    02  guess_cos(s) -> a guess of cos t from s = sin t alone, (N,) -> (N,)

``check_carry_state`` runs the student's loop on hidden sequences — seed 0: the notebook's
sentence (6 words of 4 values, λ = 0.5); any other seed: other lengths T, sizes D and λ — and,
when the states are wrong, recomputes them with each known mistake (the state not carried,
nothing fading, λ on the wrong term or fixed at 0.5, the states one step late, only the last
state) to name
it. ``check_cos_guess`` scores a guess against the floor mean(cos² t) ≈ 0.5 that no function
of sin t alone beats on new times: the two branches cos t = ±√(1 − sin² t) are equally common,
so the best guess is their average, 0; the confident +√(1 − s²) scores about 1.0, twice the
floor. Seed 0 is the article's test half; other seeds other series (length, phase, frequency).

A wrong answer's message starts with the misconception's name from ``MISCONCEPTIONS`` and gives
a hint without code; ``show_fix=True`` adds the right code. ``RECOGNISED[check name]`` lists
what each check names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from lstm_course.data import sin_cos_data
from lstm_course.exercises.checking import (
    CheckEndedError,
    Misconception,
    as_array,
    call_student,
    check_cases,
    close,
    mistake,
    named,
    one_array_stored,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _
from lstm_course.sequences import (
    EVEREST_TOKENS,
    embed,
    fading_memory,
    mean_squared_error,
    sin_only_mse_floor,
    word_vectors,
)

FLOOR_MARGIN = 0.02  # a guess within this of the floor passes
TOLERANCE = 1e-6

CARRY_FIX = ""
"""No fix for a failure that names no misconception (its message names the first step that
differs); each misconception carries its own fix, the line of that mistake only."""

COS_FIX = "np.full_like(s, c)  # one constant c for every s: which c is closest to both roots?"
"""A nudge, not the answer: the second level of feedback, shown with ``show_fix=True``."""

ANSWERS = {
    "lstm_course.sequences.fading_memory": N_("the fading-memory loop h_t = λ·h_{t-1} + x_t")
}
"""The package's answer, off-limits while the check runs the student's loop (``forbidden``)."""

FIX = COS_FIX  # the name notebook 02's first exercise used

MISCONCEPTIONS: dict[str, Misconception] = {
    # the loop, h_t = λ·h_{t-1} + x_t
    "state_not_carried": Misconception(
        N_("The state not carried from step to step"),
        N_(
            "each h_t you returned is x_t alone, as if h_{t-1} were 0 at every step. The state "
            "must live outside the loop: set h_0 = 0 once, then each step starts from the h it "
            "left behind."
        ),
        "h = decay * h + x_t  # h from the step before (h = 0 set once, before the loop)",
    ),
    "nothing_fades": Misconception(
        N_("λ left out: nothing fades"),
        N_(
            "your states are running sums, x_1 + … + x_t: the bag of words again, blind to "
            "order. The old state is multiplied by λ before the new word is added."
        ),
        "decay * h  # the old state fades before x_t is added",
    ),
    "decay_on_input": Misconception(
        N_("λ multiplies the new word instead of the old state"),
        N_(
            "in h_t = λ·h_{t-1} + x_t it is the *old* state that fades; "
            "the new word comes in whole."
        ),
        "decay * h + x_t  # not h + decay * x_t",
    ),
    "decay_after_adding": Misconception(
        N_("λ applied after adding the new word"),
        N_(
            "you faded the new word too, λ·(h_{t-1} + x_t). Only h_{t-1} is multiplied by λ; x_t "
            "is added afterwards."
        ),
        "decay * h + x_t  # not decay * (h + x_t)",
    ),
    "states_one_step_late": Misconception(
        N_("The states one step late (an off-by-one in the loop)"),
        N_(
            "your first state is h_0 = 0 and h_T is missing: store h_t after it has taken in "
            "x_t, so that the state at step t has read words 1 … t."
        ),
        "hs.append(h)  # after the update, so that h_t has read x_t",
    ),
    "decay_fixed": Misconception(
        N_("λ fixed instead of the decay passed in"),
        N_(
            "your states fade by another λ than the one the function is given: use `decay`, "
            "whatever its value, not the notebook's 0.5."
        ),
        "decay * h  # the decay passed in, not 0.5",
    ),
    "one_array_stored": Misconception(
        N_("The same array stored T times"),
        N_(
            "every row you returned is the last state: the state was changed in place "
            "(h *= …, h += …) and the list holds T references to one array. Make a new h at "
            "each step, or append a copy."
        ),
        "hs.append(h.copy())  # or h = decay * h + x_t, a new array each step",
    ),
    "last_state_only": Misconception(
        N_("Only the last state returned"),
        N_("return every state h_1 … h_T, one row per step (T, D), not just h_T."),
        "return np.array(hs)  # every h_t, not only h_T",
    ),
    # the guess of cos t from sin t alone
    "plus_branch": Misconception(
        N_("The confident guess +√(1 − sin² t)"),
        N_(
            "it is exactly right half of the time and off by 2·|cos t| the other half. Which "
            "single number is closest, on average, to both +√(1 − s²) and −√(1 − s²)?"
        ),
        COS_FIX,
    ),
    "minus_branch": Misconception(
        N_("The confident guess −√(1 − sin² t)"),
        N_(
            "it is exactly right half of the time and off by 2·|cos t| the other half. Which "
            "single number is closest, on average, to both +√(1 − s²) and −√(1 − s²)?"
        ),
        COS_FIX,
    ),
    "sine_for_cosine": Misconception(
        N_("sin t passed through as the guess of cos t"),
        N_(
            "sin t and cos t are a quarter period apart: given s, cos t is +√(1 − s²) or "
            "−√(1 − s²), equally often. What guess minimises the squared error to both?"
        ),
        COS_FIX,
    ),
}
"""Every mistake notebook 02's checks name: its name, a hint without code, the fix."""

RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_carry_state": (
        "state_not_carried",
        "nothing_fades",
        "decay_on_input",
        "decay_after_adding",
        "states_one_step_late",
        "decay_fixed",
        "one_array_stored",
        "last_state_only",
    ),
    "check_cos_guess": ("plus_branch", "minus_branch", "sine_for_cosine"),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""

__all__ = [
    "CARRY_FIX",
    "COS_FIX",
    "MISCONCEPTIONS",
    "RECOGNISED",
    "SequenceCase",
    "check_carry_state",
    "check_cos_guess",
    "cos_guess_series",
    "predict_memory_at_one",
    "sequence_cases",
]

CarryState = Callable[[np.ndarray, float], np.ndarray]
CosGuess = Callable[[np.ndarray], np.ndarray]


def _named(key: str, where: str, hint: str = "") -> Feedback:
    return named(key, where, hint, MISCONCEPTIONS)


# --- Predict before you run ---------------------------------------------------------------------

predict_memory_at_one = Prediction(
    question=(
        N_(
            "At λ = 1 nothing fades. Is the memory h_T of the sentence then equal to the memory of "
            "its shuffle? Answer True or False."
        )
    ),
    answer=True,
    choices=(True, False),
    wrong={
        False: N_(
            "with λ = 1, what weight λ^{T−t} does each word keep in h_T? And does a sum "
            "of the same words depend on their order?"
        )
    },
)
"""Notebook 02, after the loop: at λ = 1, h_T = x_1 + … + x_T, the bag of words again."""


# --- 1. The loop that carries a state ---------------------------------------------------------


class SequenceCase(NamedTuple):
    """One hidden test: xs (T, D) and λ."""

    name: str
    xs: np.ndarray
    decay: float


def sequence_cases(seed: int = 0) -> list[SequenceCase]:
    """Seed 0: the notebook's sentence (its word vectors, drawn first from
    ``default_rng(0)``) at λ = 0.5. Any other seed: two sequences of other lengths T and sizes
    D (T ≠ D), with λ drawn from (0.2, 0.9), from ``np.random.default_rng(seed)``."""
    if seed == 0:
        vectors = word_vectors(EVEREST_TOKENS, 4, np.random.default_rng(0))
        return [
            SequenceCase(
                N_("the notebook's sentence, λ = 0.5"), embed(EVEREST_TOKENS, vectors), 0.5
            )
        ]
    rng = np.random.default_rng(seed)
    cases = []
    for _k in range(2):
        T = int(rng.integers(3, 10))
        D = int(rng.choice([d for d in range(2, 7) if d != T]))
        decay = float(np.round(rng.uniform(0.2, 0.9), 2))
        name = _("a sequence of {T} steps of {D} values, λ = {decay}").format(T=T, D=D, decay=decay)
        cases.append(SequenceCase(name, rng.normal(size=(T, D)), decay))
    return cases


def _carry_mistakes(xs: np.ndarray, decay: float) -> dict[str, np.ndarray]:
    """The states each known mistake computes (keys of ``MISCONCEPTIONS``)."""
    hs = fading_memory(xs, decay)
    late = np.vstack([np.zeros((1, xs.shape[1])), hs[:-1]])
    return {
        "state_not_carried": xs.copy(),
        "nothing_fades": np.cumsum(xs, axis=0),
        "decay_on_input": np.cumsum(decay * xs, axis=0),
        "decay_after_adding": decay * hs,  # λ·(h_{t-1} + x_t) unrolls to λ·Σ λ^{t-k} x_k
        "states_one_step_late": late,
        "decay_fixed": fading_memory(xs, 0.5) if decay != 0.5 else hs,  # seed 0's λ
    }


def check_carry_state(
    carry_state: CarryState | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Run ``carry_state(xs, decay)`` on the sequences of ``seed``; expected the states
    h_t = λ·h_{t-1} + x_t from h_0 = 0, (T, D)."""

    def judge(case: SequenceCase) -> Feedback | None:
        where = _("on {name}").format(name=_(case.name))
        with forbidden(carry_state, ANSWERS):
            result = call_student(carry_state, (case.xs, case.decay), where)
        hs = as_array(result, "hs", where)
        expected = fading_memory(case.xs, case.decay)
        T, D = case.xs.shape
        if close(hs, expected):
            return None
        if close(hs, expected[-1]):
            return _named(
                "last_state_only",
                where,
                _("you returned shape {hs_shape}, h_T.").format(hs_shape=hs.shape),
            )
        if hs.shape != (T, D):
            return mistake(
                _(
                    "Your states have shape {hs_shape} ({where}); expected ({T}, {D}): one row h_t "
                    "of {D} values for each of the {T} steps."
                ).format(hs_shape=hs.shape, where=where, T=T, D=D)
            )
        for key, states in _carry_mistakes(case.xs, case.decay).items():
            if close(hs, states):
                return _named(key, where)
        if one_array_stored(hs, expected):
            return _named("one_array_stored", where)
        first = np.argmax(~np.all(np.isclose(hs, expected, atol=TOLERANCE), axis=1))
        return mistake(
            _(
                "Your states differ from h_t = λ·h_{{t-1}} + x_t ({where}) from step {first_1} "
                "on: h_{first_1} is {hs_first}, expected {expected_first}."
            ).format(
                where=where,
                first_1=first + 1,
                hs_first=np.round(hs[first], 3),
                expected_first=np.round(expected[first], 3),
            )
        )

    return check_cases(
        carry_state,
        "carry_state(xs, decay)",
        sequence_cases(seed),
        judge,
        _(
            "Correct: each step fades the state by λ and adds the new word, from h_0 = 0; "
            "the last row is h_T = Σ λ^{T−t}·x_t."
        ),
        show_fix,
        CARRY_FIX,
    )


# --- 2. Be the feed-forward net -----------------------------------------------------------------


def cos_guess_series(seed: int = 0) -> tuple[str, np.ndarray, np.ndarray]:
    """(where, s, y): the sines a guess is fed and the cosines it is scored against.

    Seed 0: the article's test half. Any other seed: the test half of another series —
    its length, phase and frequency drawn from ``np.random.default_rng(seed)``."""
    if seed == 0:
        _t, s, y = sin_cos_data().test
        return _("on the article's test half"), s.astype(np.float64), y.astype(np.float64)
    rng = np.random.default_rng(seed)
    n_points = int(rng.integers(120, 320))
    phase = float(rng.uniform(0.0, 2 * np.pi))
    # whole periods in the test half (6π long): there sin t meets each cos sign equally often
    frequency = int(rng.integers(2, 7)) / 3
    _t, s, y = sin_cos_data(n_points=n_points, phase=phase, frequency=frequency).test
    where = _("on the test half of another series ({len_s} points)").format(len_s=len(s))
    return where, s.astype(np.float64), y.astype(np.float64)


def check_cos_guess(
    guess_cos: CosGuess | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Score ``guess_cos(s)`` on the series of ``seed`` against the sin-only floor.

    A constant (a number instead of an array) is broadcast to every point.
    """
    return run_check(lambda: _check_cos_guess(guess_cos, seed), show_fix, COS_FIX)


def _check_cos_guess(guess_cos: CosGuess | None, seed: int) -> Feedback:
    require_function(guess_cos, "guess_cos(s)")
    where, s, y = cos_guess_series(seed)
    result = as_array(call_student(guess_cos, (s,), where), "cos t", where)
    try:
        guess = np.broadcast_to(result, s.shape)
    except ValueError:
        raise CheckEndedError(
            mistake(
                _(
                    "Your guess has shape {shape_result} ({where}); expected {s_shape}, one value "
                    "per sin t."
                ).format(shape_result=np.shape(result), where=where, s_shape=s.shape)
            )
        ) from None
    if not np.all(np.isfinite(guess)):
        return mistake(
            _("Your guess contains nan or inf ({where}): √ of a negative number?").format(
                where=where
            )
        )
    mse = mean_squared_error(guess, y)
    floor = sin_only_mse_floor(y)
    if mse <= floor + FLOOR_MARGIN:
        return correct(
            _(
                "Test MSE {mse:.3f}, at the floor mean(cos² t) = {floor:.3f}: over whole periods "
                "no function of sin t alone does better."
            ).format(mse=mse, floor=floor)
        )
    branch = np.sqrt(np.clip(1.0 - s**2, 0.0, None))
    score = _("test MSE {mse:.3f} against the floor {floor:.3f}").format(mse=mse, floor=floor)
    known = {"plus_branch": branch, "minus_branch": -branch, "sine_for_cosine": s}
    for key, candidate in known.items():
        if np.allclose(guess, candidate, atol=TOLERANCE):
            return _named(key, _("{where}, {score}").format(where=where, score=score))
    return mistake(
        _(
            "Test MSE {mse:.3f}, above the floor {floor:.3f} ({where}). Given s, cos t is "
            "+√(1 − s²) or −√(1 − s²), equally often: what guess minimises the squared error "
            "to both?"
        ).format(mse=mse, floor=floor, where=where)
    )
