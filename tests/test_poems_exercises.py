"""lstm_course.exercises.poems: every misconception is fed to its check and named, on the
notebook's cases (seed 0) and on the hidden tests' (seeds 1 and 2); the reference solutions pass
on every seed; the fix appears only when asked for; an answer hard-coding seed 0 fails seed 1;
the predict-before-you-run question answers each guess."""

import numpy as np
import pytest

from lstm_course.exercises import poems as ex
from lstm_course.exercises.checking import recognised
from lstm_course.exercises.poems import (
    MISCONCEPTIONS,
    RECOGNISED,
    check_generate,
    check_perplexity,
    check_softmax_with_temperature,
)

SEEDS = (0, 1, 2)


def softmax_with_temperature(z, tau):
    e = np.exp(z / tau - np.max(z / tau))
    return e / e.sum()


def generate(step, first, n, tau, rng):
    chars, state, c = [], None, first
    for _ in range(n):
        z, state = step(c, state)
        p = softmax_with_temperature(z, tau)
        c = rng.choice(len(p), p=p)
        chars.append(c)
    return chars


def perplexity(logits, targets):
    m = logits.max(axis=1, keepdims=True)
    log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return np.exp(-np.mean(log_p[np.arange(len(targets)), targets]))


def _softmax_raw(z):
    e = np.exp(z)
    return e / e.sum()


SOFTMAX_MISTAKES = {
    "temperature_after_softmax": lambda z, tau: _softmax_raw(z - z.max()) / tau,
    "temperature_multiplied": lambda z, tau: softmax_with_temperature(z * tau * tau, tau),
    "not_normalised": lambda z, tau: np.exp(z / tau - np.max(z / tau)),
    "overflow": lambda z, tau: _softmax_raw(z / tau),
}


def _generate_with(draw=None, state_carried=True, fed_back=True, tau_used=lambda tau: tau):
    def wrong(step, first, n, tau, rng):
        chars, state, c = [], None, first
        for _ in range(n):
            z, new_state = step(c, state)
            state = new_state if state_carried else None
            p = softmax_with_temperature(z, tau_used(tau))
            drawn = draw(p, rng) if draw else rng.choice(len(p), p=p)
            chars.append(drawn)
            c = drawn if fed_back else first
        return chars

    return wrong


GENERATE_MISTAKES = {
    "argmax": _generate_with(draw=lambda p, rng: int(np.argmax(p))),
    "global_rng": _generate_with(draw=lambda p, rng: int(np.random.choice(len(p), p=p))),  # noqa: NPY002
    "state_not_carried": _generate_with(state_carried=False),
    "not_fed_back": _generate_with(fed_back=False),
    "temperature_ignored": _generate_with(tau_used=lambda tau: 1.0),
    "temperature_multiplied": _generate_with(tau_used=lambda tau: 1 / tau),
}


def _log_p(logits, targets):
    m = logits.max(axis=1, keepdims=True)
    return (logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[
        np.arange(len(targets)), targets
    ]


def _naive_log_p(logits, targets):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    return np.log(p[np.arange(len(targets)), targets])


def _clipped_log_p(logits, targets):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    return np.log(np.clip(p, 1e-12, 1))[np.arange(len(targets)), targets]


PERPLEXITY_MISTAKES = {
    "log_of_zero": lambda z, t: np.exp(-np.mean(_naive_log_p(z, t))),
    "probabilities_clipped": lambda z, t: np.exp(-np.mean(_clipped_log_p(z, t))),
    "cross_entropy_not_perplexity": lambda z, t: -np.mean(_log_p(z, t)),
    "sum_not_mean": lambda z, t: np.exp(-np.sum(_log_p(z, t))),
    "sign_flipped": lambda z, t: np.exp(np.mean(_log_p(z, t))),
    "logits_as_log_probabilities": lambda z, t: np.exp(-np.mean(z[np.arange(len(t)), t])),
    "most_likely_not_target": lambda z, t: np.exp(-np.mean(_log_p(z, np.argmax(z, axis=1)))),
    "mixed_bases": lambda z, t: 2.0 ** -np.mean(_log_p(z, t)),
}

CHECKS = {
    "check_softmax_with_temperature": (check_softmax_with_temperature, SOFTMAX_MISTAKES),
    "check_generate": (check_generate, GENERATE_MISTAKES),
    "check_perplexity": (check_perplexity, PERPLEXITY_MISTAKES),
}


def test_every_recognised_misconception_has_a_wrong_answer_here():
    for name, (_, mistakes) in CHECKS.items():
        assert set(mistakes) == set(RECOGNISED[name]), name


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("check", "key", "wrong"),
    [(c, k, w) for c, ms in CHECKS.values() for k, w in ms.items()],
    ids=[f"{n}-{k}" for n, (_, ms) in CHECKS.items() for k in ms],
)
def test_each_mistake_is_named_with_a_hint_and_the_fix_only_on_request(check, key, wrong, seed):
    feedback = check(wrong, seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key].name), feedback.message
    assert MISCONCEPTIONS[key].fix not in feedback.message and "Fix:" not in feedback.message
    assert feedback.fix and feedback.fix in check(wrong, show_fix=True, seed=seed).message


@pytest.mark.parametrize("seed", [*SEEDS, 3, 7])
@pytest.mark.parametrize(
    ("check", "solution"),
    [
        (check_softmax_with_temperature, softmax_with_temperature),
        (check_generate, generate),
        (check_perplexity, perplexity),
    ],
)
def test_the_reference_solutions_pass(check, solution, seed):
    feedback = check(solution, seed=seed)
    assert feedback.passed, feedback.message
    assert str(feedback).startswith("✅")


def test_not_written_and_broken_answers_get_a_sentence():
    assert "Not written yet" in check_generate(None).message

    def raises(*_):
        raise NotImplementedError

    assert "Not written yet" in check_perplexity(raises).message
    assert "return" in check_softmax_with_temperature(lambda z, tau: None).message
    short = check_generate(lambda step, first, n, tau, rng: [0])
    assert "returned 1 characters; expected n = 12" in short.message


def test_recognised_lists_the_names_in_words():
    assert recognised(check_generate)[0] == "Sampling by argmax"


def test_other_seeds_use_other_sizes():
    visible = {len(z) for z, _ in ex.softmax_cases(0)}
    case_0 = ex.generate_case(0)
    assert (case_0.V, case_0.first, case_0.n) == (5, 0, 12)
    shapes_0 = {z.shape for z, _, _ in ex.perplexity_cases(0)}
    for seed in (1, 2):
        assert len(ex.softmax_cases(seed)[0][0]) not in visible
        case = ex.generate_case(seed)
        assert case.V != 5 and case.n != 12 and case.first != 0
        assert not {z.shape for z, _, _ in ex.perplexity_cases(seed)} & shapes_0


def _replaying(answers):
    recorded = iter(answers)
    return lambda *args: next(recorded)


def test_an_answer_hard_coding_seed_0_fails_seed_1():
    softmaxes = [ex._softmax(z, tau) for z, tau in ex.softmax_cases(0)]
    assert check_softmax_with_temperature(_replaying(softmaxes)).passed
    assert not check_softmax_with_temperature(_replaying(softmaxes), seed=1).passed

    values = [perplexity(z, t) for z, t, _ in ex.perplexity_cases(0)]
    assert check_perplexity(_replaying(values)).passed
    assert not check_perplexity(_replaying(values), seed=1).passed

    model = ex.StandInModel()  # the visible case's characters, whatever the model says
    drawn = generate(model.step, 0, 12, 1.0, np.random.default_rng(0))

    def copies_seed_0(step, first, n, tau, rng):
        chars, state, c = [], None, first
        for k in range(n):
            _, state = step(c, state)
            c = drawn[k % len(drawn)]
            rng.random()
            chars.append(c)
        return chars

    assert not check_generate(copies_seed_0, seed=1).passed


def test_the_prediction_answers_every_guess():
    question = ex.predict_variety
    assert "No prediction yet" in question.check(None).message
    for guess in question.choices:
        assert question.check(guess).passed == (guess == "fewer")
    for guess, hint in question.wrong.items():
        verdict = question.check(guess)
        assert not verdict.passed and hint in verdict.message
    assert "Answer one of" in question.check(3).message


def test_a_failed_check_speaks_chinese_in_the_chinese_edition():
    """With set_language("zh") the misconception's name and the hint are the catalogue's
    Chinese; English comes back after."""
    from lstm_course import i18n

    def not_normalised(z, tau):
        return np.exp(z / tau - np.max(z / tau))

    i18n.set_language("zh", font=False)
    try:
        message = check_softmax_with_temperature(not_normalised).message
    finally:
        i18n.set_language("en")
    assert "指数没有归一化" in message  # MISCONCEPTIONS["not_normalised"]
    assert "你的和是" in message  # the hint, with the sum
    assert check_softmax_with_temperature(not_normalised).message.startswith(
        "The exponentials not normalised"
    )


def test_an_unnamed_mistake_gets_no_code_fix():
    """Rule 2: only a named misconception's line(s) is shown; otherwise a pointer, no code."""

    def halved(z, tau):
        e = np.exp(z / tau - np.max(z / tau))
        return 0.5 * e / e.sum() + 0.5 / len(z)

    feedback = check_softmax_with_temperature(halved, show_fix=True)
    assert not feedback.passed and "Fix:" not in feedback.message
    for key in RECOGNISED["check_generate"] + RECOGNISED["check_perplexity"]:
        assert MISCONCEPTIONS[key].fix.count(";") <= 1, key


def test_calling_the_package_s_answer_is_not_building_it():
    """Rule 1: the package's softmax_with_temperature, sample/draw and perplexity are
    off-limits while the checks run the student's function."""
    namespace = {"np": np}
    exec(
        "from lstm_course.poems.sampling import softmax_with_temperature as package_softmax\n"
        "from lstm_course.poems.models import perplexity_from_loss\n"
        "def borrowed_softmax(z, tau):\n"
        "    return package_softmax(z, tau)\n"
        "def borrowed_perplexity(z, t):\n"
        "    m = z.max(axis=1, keepdims=True)\n"
        "    log_p = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))\n"
        "    return perplexity_from_loss(-np.mean(log_p[np.arange(len(t)), t]))\n",
        namespace,
    )
    for check, name in (
        (check_softmax_with_temperature, "borrowed_softmax"),
        (check_perplexity, "borrowed_perplexity"),
    ):
        feedback = check(namespace[name])
        assert not feedback.passed and "Write it yourself" in feedback.message, feedback.message
    from lstm_course.poems.sampling import softmax_with_temperature

    assert softmax_with_temperature(np.zeros(2), 1.0).sum() == 1.0  # put back afterwards
