"""Notebook 12's checks: the student writes the sampling step and the perplexity.

    softmax_with_temperature(z, tau) -> p          p = softmax(z / τ), z (V,) logits
    generate(step, first, n, tau, rng) -> [c_1, …, c_n]
        step(c, state) -> (z, state): the model reads c and says what it expects next;
        each c_k is drawn from softmax(z / τ) and fed back with the state the step returned
    perplexity_of(logits, targets) -> float        exp(−(1/N) Σ log softmax(z_t)[c_{t+1}])

Each check runs the student's function on hidden cases. ``generate`` is run against a small
stand-in model whose step records what it was given (so a state that is not carried, or a
character that is not fed back, is seen directly) and a random generator that records being
used (so the argmax is seen); its temperature is judged from 400 draws, with a margin of many
standard deviations. A wrong answer's message names the misconception (``MISCONCEPTIONS``) and
gives a hint; the fix only with ``show_fix=True``.

Every check takes ``seed``: 0 gives the cases the notebook names (the logits
[2.0, 1.0, 0.1, −1.0] first; a stand-in model of V = 5 characters, n = 12 from character 0;
6 characters of V = 7); any other seed draws other sizes and values from
``np.random.default_rng(seed)``, so that an answer hard-coding the visible cases fails the
graded cell's hidden tests.

``predict_variety`` is the notebook's predict-before-you-run question: what a low temperature
does to the variety of what the model writes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from lstm_course.exercises.checking import (
    CheckEndedError,
    Misconception,
    as_array,
    call_student,
    close,
    correct,
    mistake,
    named,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _

MISCONCEPTIONS: dict[str, Misconception] = {
    "temperature_after_softmax": Misconception(
        N_("The temperature applied after the softmax"),
        N_(
            "τ divides the logits z, before the softmax: softmax(z / τ). Dividing the "
            "probabilities "
            "by τ makes them not sum to 1, and normalising again cancels τ altogether."
        ),
        "p = np.exp(z / tau - np.max(z / tau)); p = p / p.sum()",
    ),
    "temperature_multiplied": Misconception(
        N_("The logits multiplied by τ instead of divided"),
        N_(
            "a low temperature must sharpen p: z / τ makes the gaps between logits larger when τ "
            "< 1."
        ),
        "p = np.exp(z / tau - np.max(z / tau)); p = p / p.sum()",
    ),
    "not_normalised": Misconception(
        N_("The exponentials not normalised"),
        N_("softmax divides each exp(z_k / τ) by their sum, so that p sums to 1."),
        "p = p / p.sum()",
    ),
    "overflow": Misconception(
        N_("exp overflowed on large logits"),
        N_(
            "exp(1000) is inf in floating point. Subtract the largest logit first: softmax is "
            "unchanged by adding a constant to every z_k."
        ),
        "e = np.exp(z / tau - np.max(z / tau))",
    ),
    "argmax": Misconception(
        N_("Sampling by argmax"),
        N_(
            "always taking the most likely character is greedy decoding, not sampling: the model "
            "repeats itself and τ does nothing. Draw the character from p with the generator rng."
        ),
        "c = rng.choice(len(p), p=p)",
    ),
    "global_rng": Misconception(
        N_("Drawn with numpy's global random generator, not the rng you were given"),
        N_(
            "np.random.choice draws from numpy's global generator, which the caller cannot seed: "
            "the same call writes another poem every time. Draw with the generator rng that "
            "generate receives."
        ),
        "c = rng.choice(len(p), p=p)",
    ),
    "state_not_carried": Misconception(
        N_("The hidden state not carried between steps"),
        N_(
            "step returns the new state (h_t, C_t); pass that state to the next call. Without it "
            "every character is read by a model that has forgotten the line so far."
        ),
        "z, state = step(c, state)",
    ),
    "not_fed_back": Misconception(
        N_("The drawn character not fed back"),
        N_("the character you draw at one step is the input of the next step."),
        "c = rng.choice(len(p), p=p); z, state = step(c, state)",
    ),
    "temperature_ignored": Misconception(
        N_("The temperature not used when drawing"),
        N_(
            "draw from softmax(z / τ): at τ = 0.5 the most likely character should come up far "
            "more often than at τ = 1."
        ),
        "p = softmax_with_temperature(z, tau)",
    ),
    "log_of_zero": Misconception(
        N_("The log of a probability of zero"),
        N_(
            "for very unlikely characters the softmax rounds p to exactly 0 and log 0 = −∞. Take "
            "the log-softmax directly: log p_k = z_k − log Σ_j exp(z_j), with the largest z "
            "subtracted inside the log-sum-exp."
        ),
        "m = z.max(axis=1, keepdims=True); "
        "log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))",
    ),
    "probabilities_clipped": Misconception(
        N_("The probabilities floored (clipped) before the log"),
        N_(
            "a floor such as 1e-12 keeps log p finite, but it replaces the true probability of a "
            "very unlikely character by the floor, so the perplexity comes out far too small. Take "
            "the log-softmax directly: log p_k = z_k − log Σ_j exp(z_j), with the largest z "
            "subtracted inside the log-sum-exp."
        ),
        "m = z.max(axis=1, keepdims=True); "
        "log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))",
    ),
    "cross_entropy_not_perplexity": Misconception(
        N_("The cross-entropy returned, not the perplexity"),
        N_("perplexity is exp of the mean cross-entropy."),
        "return np.exp(-np.mean(log_p[np.arange(len(targets)), targets]))",
    ),
    "sum_not_mean": Misconception(
        N_("The cross-entropy summed instead of averaged"),
        N_("perplexity is per character: exp of the *mean* of −log p over the N characters."),
        "return np.exp(-np.mean(log_p[np.arange(len(targets)), targets]))",
    ),
    "sign_flipped": Misconception(
        N_("The sign of the log flipped"),
        N_("−log p is positive; exp(mean log p) is 1 / perplexity, below 1."),
        "return np.exp(-np.mean(log_p[np.arange(len(targets)), targets]))",
    ),
    "logits_as_log_probabilities": Misconception(
        N_("The logits used as log-probabilities"),
        N_("z_k is not log p_k until the softmax has been taken: subtract log Σ_j exp(z_j)."),
        "log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))",
    ),
    "most_likely_not_target": Misconception(
        N_("The most likely character's probability used, not the next character's"),
        N_(
            "perplexity scores the probability the model gave to the character that really came "
            "next, targets[t], whatever the model preferred."
        ),
        "log_p[np.arange(len(targets)), targets]",
    ),
    "mixed_bases": Misconception(
        N_("Logs and powers in different bases"),
        N_("natural log with exp, or log₂ with 2**; mixing them changes the number."),
        "return np.exp(-np.mean(log_p[np.arange(len(targets)), targets]))",
    ),
}

RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_softmax_with_temperature": (
        "temperature_after_softmax",
        "temperature_multiplied",
        "not_normalised",
        "overflow",
    ),
    "check_generate": (
        "argmax",
        "global_rng",
        "state_not_carried",
        "not_fed_back",
        "temperature_ignored",
        "temperature_multiplied",
    ),
    "check_perplexity": (
        "log_of_zero",
        "probabilities_clipped",
        "cross_entropy_not_perplexity",
        "sum_not_mean",
        "sign_flipped",
        "logits_as_log_probabilities",
        "most_likely_not_target",
        "mixed_bases",
    ),
}


predict_variety = Prediction(
    question=N_(
        "The shipped LSTM is about to write a poem's first character. Drawn 200 times at "
        "τ = 0.5 instead of τ = 1, are there more different characters among the 200, about as "
        "many, or fewer?"
    ),
    answer="fewer",
    choices=("more", "about as many", "fewer"),
    wrong={
        "more": N_(
            "dividing the logits by τ < 1 stretches the gaps between them: the likeliest "
            "characters take even more of p, the rare ones less."
        ),
        "about as many": N_(
            "τ does not only rescale the logits: after the softmax a τ below 1 moves "
            "probability from the many unlikely characters to the few likely ones."
        ),
    },
)


def _softmax(z: np.ndarray, tau: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64) / tau
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


PACKAGE_ANSWERS = {
    "softmax_with_temperature": {
        "lstm_course.poems.sampling.softmax_with_temperature": N_("softmax with a temperature"),
    },
    "generate": {
        "lstm_course.poems.sampling.sample": N_("the package's sampling loop"),
        "lstm_course.poems.sampling.draw": N_("drawing a character from p"),
    },
    "perplexity": {
        "lstm_course.poems.models.perplexity": N_("the perplexity of a model"),
        "lstm_course.poems.models.perplexity_from_loss": N_("exp of the mean cross-entropy"),
    },
}
"""The package functions that ARE each exercise's answer: off-limits while a check runs the
student's function (the checks compute their references outside)."""


def _quietly(
    function: Callable[..., Any], args: tuple, where: str, exercise: str | None = None
) -> Any:
    """call_student with numpy's overflow and divide-by-zero warnings silenced: the result
    (inf, nan) is what the check reads; the package's answer to ``exercise`` off-limits."""
    with (
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        forbidden(function, PACKAGE_ANSWERS.get(exercise or "", {})),
    ):
        warnings.simplefilter("ignore")
        return call_student(function, args, where)


# --- softmax with a temperature ------------------------------------------------------------

SOFTMAX_CASES = (
    (np.array([2.0, 1.0, 0.1, -1.0]), 1.0),
    (np.array([2.0, 1.0, 0.1, -1.0]), 0.5),
    (np.array([0.3, -1.2, 2.5, 0.0, 1.1]), 2.0),
    (np.array([1000.0, 998.0, 0.0]), 1.0),
)


def softmax_cases(seed: int = 0) -> tuple[tuple[np.ndarray, float], ...]:
    """(z, τ): at τ = 1, below 1, above 1, then logits large enough to overflow exp. Seed 0:
    ``SOFTMAX_CASES``; any other seed other lengths (3, 6, 7 or 8), logits and temperatures."""
    if seed == 0:
        return SOFTMAX_CASES
    rng = np.random.default_rng(seed)
    first, second, large = (int(v) for v in rng.choice([3, 6, 7, 8], size=3))
    z = rng.normal(0, 1.5, first)
    return (
        (z, 1.0),
        (z, float(rng.uniform(0.3, 0.8))),
        (rng.normal(0, 1.5, second), float(rng.uniform(1.5, 3.0))),
        (rng.uniform(750, 1000, large), 1.0),
    )


def check_softmax_with_temperature(
    softmax_with_temperature: Callable[[np.ndarray, float], Any] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Check p = softmax(z / τ) on ``softmax_cases(seed)``, large logits included."""

    def check() -> Feedback:
        require_function(softmax_with_temperature, "softmax_with_temperature(z, tau)")
        for z, tau in softmax_cases(seed):
            where = _("z = {z}, τ = {tau}").format(z=np.round(z, 2).tolist(), tau=f"{tau:g}")
            p = as_array(
                _quietly(softmax_with_temperature, (z, tau), where, "softmax_with_temperature"),
                "p",
                where,
            )
            expected = _softmax(z, tau)
            if close(p, expected):
                continue
            if p.shape != expected.shape:
                return mistake(
                    _("p has shape {shape}; expected {expected} ({where}).").format(
                        shape=p.shape, expected=expected.shape, where=where
                    )
                )
            if not np.all(np.isfinite(p)):
                return named("overflow", where, "", MISCONCEPTIONS)
            if tau != 1 and (close(p, _softmax(z) / tau) or close(p, _softmax(z))):
                return named("temperature_after_softmax", where, "", MISCONCEPTIONS)
            if tau != 1 and close(p, _softmax(z * tau)):
                return named("temperature_multiplied", where, "", MISCONCEPTIONS)
            if close(p / p.sum(), expected):
                return named(
                    "not_normalised",
                    where,
                    _("yours sums to {total}.").format(total=f"{p.sum():.3f}"),
                    MISCONCEPTIONS,
                )
            shown, right = np.round(p, 4).tolist(), np.round(expected, 4).tolist()
            return mistake(
                _("p is {shown}; expected {right} ({where}).").format(
                    shown=shown, right=right, where=where
                )
            )
        return correct(_("Correct: p = softmax(z / τ), and safe from overflow."))

    return run_check(check, show_fix)  # a fix only for a named misconception


# --- generate: the sampling loop -----------------------------------------------------------


class StandInModel:
    """A tiny model of ``V`` characters with a state: its logits depend on the step count it
    carries and on the character it reads. Records every call, and hands out a fresh state
    object each time."""

    def __init__(self, size: int = 5) -> None:
        self.V = size
        self.calls: list[tuple[int, object]] = []
        self.returned: list[object] = []

    def logits(self, count: int, c: int) -> np.ndarray:
        z = np.zeros(self.V)
        z[(c + count) % self.V] = 1.5  # the favourite: p ≈ 0.53 at τ = 1, ≈ 0.86 at τ = 0.5
        z[(c + count + 2) % self.V] = 0.5
        return z

    def step(self, c: Any, state: object) -> tuple[np.ndarray, object]:
        c = int(c)
        self.calls.append((c, state))
        count = 0 if state is None else int(state[0]) + 1
        new_state = np.array([count])  # a new object every step
        self.returned.append(new_state)
        return self.logits(count, c), new_state


class RecordingGenerator:
    """A numpy Generator that counts how often the student's code uses it."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self.uses = 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._rng, name)
        if not callable(attribute):
            return attribute

        def used(*args: Any, **kwargs: Any) -> Any:
            self.uses += 1
            return attribute(*args, **kwargs)

        return used


def _characters(result: Any, n: int, where: str) -> list[int]:
    try:
        chars = [int(c) for c in np.asarray(result).ravel()]
    except (TypeError, ValueError):
        raise CheckEndedError(
            mistake(
                _("Return the n characters' ids as a list of ints ({where}).").format(where=where)
            )
        ) from None
    if len(chars) != n:
        raise CheckEndedError(
            mistake(
                _("You returned {count} characters; expected n = {n} ({where}).").format(
                    count=len(chars), n=n, where=where
                )
            )
        )
    return chars


GENERATE_STEPS = 12
DRAWS = 400  # first characters drawn at each temperature, to judge the temperature


class GenerateCase(NamedTuple):
    """The stand-in's size V, the first character, n, and the seeds of the generators."""

    V: int
    first: int
    n: int
    rng_seed: int
    draw_seeds: range


def generate_case(seed: int = 0) -> GenerateCase:
    """Seed 0: V = 5, from character 0, n = 12; any other seed another V (4, 6 or 7), first
    character, n (8…16, not 12) and other generator seeds. (The temperature is judged at
    τ = 0.5 and 2 for seed 0, at τ = 0.5 alone for the others: enough to tell τ ignored from τ
    multiplied, at half the cost.)"""
    if seed == 0:
        return GenerateCase(5, 0, GENERATE_STEPS, 0, range(DRAWS))
    rng = np.random.default_rng(seed)
    size = int(rng.choice([4, 6, 7]))
    n = int(rng.choice([8, 9, 10, 11, 13, 14, 15, 16]))
    first = int(rng.integers(1, size))
    return GenerateCase(size, first, n, 1000 * seed, range(DRAWS * seed, DRAWS * (seed + 1)))


def _favourite_share(generate, case: GenerateCase, tau: float, where: str) -> float:
    """How often the first character drawn is the stand-in's favourite, over DRAWS seeds."""
    favourite = int(np.argmax(StandInModel(case.V).logits(0, case.first)))
    hits = 0
    for seed in case.draw_seeds:
        model = StandInModel(case.V)
        args = (model.step, case.first, 1, tau, np.random.default_rng(seed))
        hits += _characters(_quietly(generate, args, where, "generate"), 1, where)[0] == favourite
    return hits / len(case.draw_seeds)


def check_generate(
    generate: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check the sampling loop on ``generate_case(seed)``: draw from softmax(z / τ), feed it
    back with the carried state."""

    def check() -> Feedback:
        require_function(generate, "generate(step, first, n, tau, rng)")
        case = generate_case(seed)
        n, first = case.n, case.first
        where = _("first = {first}, n = {n}, τ = 1").format(first=first, n=n)
        model, rng = StandInModel(case.V), RecordingGenerator(case.rng_seed)
        args = (model.step, first, n, 1.0, rng)
        chars = _characters(_quietly(generate, args, where, "generate"), n, where)
        if len(model.calls) < n:
            return mistake(
                _(
                    "step was called {calls} times for n = {n} characters: call it once "
                    "for the first character and once for each character you draw ({where})."
                ).format(calls=len(model.calls), n=n, where=where)
            )
        for k in range(1, n):
            c, state = model.calls[k]
            if state is not model.returned[k - 1]:
                given = _("None (a fresh zero state)") if state is None else _("an older state")
                hint = _(
                    "at step {k} step got {given}, not the state it returned at step {previous}."
                ).format(k=k + 1, given=given, previous=k)
                return named("state_not_carried", where, hint, MISCONCEPTIONS)
            if c != chars[k - 1]:
                hint = _(
                    "step {k} read {c}, but the character drawn before it was {drawn}."
                ).format(k=k + 1, c=c, drawn=chars[k - 1])
                return named("not_fed_back", where, hint, MISCONCEPTIONS)
        greedy = [
            int(np.argmax(model.logits(k, c))) for k, (c, _state) in enumerate(model.calls[:n])
        ]
        if chars == greedy:
            return named("argmax", where, "", MISCONCEPTIONS)
        if rng.uses == 0:  # drawn, but not with the rng it was given
            return named("global_rng", where, "", MISCONCEPTIONS)
        z_first = StandInModel(case.V).logits(0, first)
        judged = (0.5, 2.0) if seed == 0 else (0.5,)  # the hidden tests: one τ, half the draws
        expected = {tau: _softmax(z_first, tau).max() for tau in judged}
        for tau, p_favourite in expected.items():
            where = _("{draws} first characters at τ = {tau}").format(draws=DRAWS, tau=f"{tau:g}")
            share = _favourite_share(generate, case, tau, where)
            margin = 5 * np.sqrt(p_favourite * (1 - p_favourite) / DRAWS)  # five σ
            if abs(share - p_favourite) < margin:
                continue
            at_one = _softmax(z_first).max()
            multiplied = _softmax(z_first * tau).max()
            said = _("the favourite came up {share} of the time; expected {expected}.").format(
                share=f"{share:.0%}", expected=f"{p_favourite:.0%}"
            )
            if abs(share - at_one) < margin:
                return named("temperature_ignored", where, said, MISCONCEPTIONS)
            if abs(share - multiplied) < margin:
                return named("temperature_multiplied", where, said, MISCONCEPTIONS)
            return mistake(
                _("The draws do not follow softmax(z / τ) ({where}): {said}").format(
                    where=where, said=said
                )
            )
        return correct(
            _(
                "Correct: each character is drawn from softmax(z / τ) and fed back with the state "
                "the step returned."
            )
        )

    return run_check(check, show_fix)  # a fix only for a named misconception


# --- perplexity ----------------------------------------------------------------------------


def _log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def perplexity_cases(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(logits, targets, where): random logits, then a case with a target the model gave
    p ≈ e⁻⁸⁰⁰. Seed 0: 6 characters of V = 7; any other seed another N (4…11, not 6) and V
    (3…9, not 7), and the huge logit elsewhere."""
    if seed == 0:
        rng = np.random.default_rng(12)
        z = rng.normal(0, 2, (6, 7))
        targets = rng.integers(0, 7, 6)
        extreme = np.array([[0.0, 800.0, 1.0], [2.0, 0.0, 1.0], [0.5, 0.5, 3.0], [1.0, 2.0, 0.0]])
        extreme_targets = np.array([0, 0, 2, 1])
    else:
        rng = np.random.default_rng(seed)
        steps = int(rng.choice([4, 5, 7, 8, 9, 10, 11]))
        size = int(rng.choice([3, 4, 5, 6, 8, 9]))
        z = rng.normal(0, 2, (steps, size))
        targets = rng.integers(0, size, steps)
        targets[0] = (np.argmax(z[0]) + 1) % size  # not every target the favourite
        extreme = rng.normal(0, 1, (4, size))
        extreme_targets = rng.integers(0, size, 4)
        row = int(rng.integers(0, 4))
        extreme[row, (extreme_targets[row] + 1) % size] = rng.uniform(750, 900)
    return [
        (z, targets, _("{n} characters, V = {V}").format(n=len(targets), V=z.shape[1])),
        (
            extreme,
            extreme_targets,
            _("a character the model gave p {p}").format(p="≈ e⁻⁸⁰⁰" if seed == 0 else "< e⁻⁷⁰⁰"),
        ),
    ]


def check_perplexity(
    perplexity: Callable[[np.ndarray, np.ndarray], Any] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Check exp(mean −log softmax(z_t)[target_t]) on ``perplexity_cases(seed)``, one extreme
    case included."""

    def check() -> Feedback:
        require_function(perplexity, "perplexity_of(logits, targets)")
        for case_number, (z, targets, where) in enumerate(perplexity_cases(seed)):
            result = _quietly(perplexity, (z, targets), where, "perplexity")
            value = float(as_array(result, _("the perplexity"), where).ravel()[0])
            rows = np.arange(len(targets))
            log_p = _log_softmax(z)[rows, targets]
            expected = float(np.exp(-np.mean(log_p)))
            if np.isclose(value, expected, rtol=1e-6):
                continue
            if not np.isfinite(value):
                return named("log_of_zero", where, "", MISCONCEPTIONS)
            if case_number == 1 and value < expected:  # the extreme case, its p raised to a floor
                said = _("you returned {value}; the perplexity is {expected}.").format(
                    value=f"{value:.4g}", expected=f"{expected:.4g}"
                )
                return named("probabilities_clipped", where, said, MISCONCEPTIONS)
            ce = -np.mean(log_p)
            with np.errstate(all="ignore"):
                candidates = {
                    "cross_entropy_not_perplexity": ce,
                    "sum_not_mean": np.exp(-np.sum(log_p)),
                    "sign_flipped": np.exp(np.mean(log_p)),
                    "logits_as_log_probabilities": np.exp(-np.mean(z[rows, targets])),
                    "most_likely_not_target": np.exp(-np.mean(_log_softmax(z).max(axis=1))),
                    "mixed_bases": 2.0**ce,
                }
            for key, wrong in candidates.items():
                if np.isclose(value, wrong, rtol=1e-6):
                    said = _("you returned {value}; the perplexity is {expected}.").format(
                        value=f"{value:.4g}", expected=f"{expected:.4g}"
                    )
                    return named(key, where, said, MISCONCEPTIONS)
            return mistake(
                _("You returned {value}; expected {expected} ({where}).").format(
                    value=f"{value:.6g}", expected=f"{expected:.6g}", where=where
                )
            )
        return correct(
            _("Correct: exp of the mean cross-entropy, with a log-softmax that never takes log 0.")
        )

    return run_check(check, show_fix)  # a fix only for a named misconception
