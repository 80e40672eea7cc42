"""Notebook 02's checks: the loop that carries a state and the guess of cos t from sin t pass
the right answers on every seed, name each recognised misconception with a hint and no code
(the fix only on request), and differ by seed; the λ = 1 prediction answers each choice."""

import re

import numpy as np
import pytest

from lstm_course.exercises.checking import recognised
from lstm_course.exercises.sequences import (
    CARRY_FIX,
    COS_FIX,
    MISCONCEPTIONS,
    RECOGNISED,
    check_carry_state,
    check_cos_guess,
    cos_guess_series,
    predict_memory_at_one,
    sequence_cases,
)
from lstm_course.i18n import set_language
from lstm_course.sequences import bag_of_words, fading_memory


def carry_state(xs, decay):
    h = np.zeros(xs.shape[1])
    hs = []
    for x_t in xs:
        h = decay * h + x_t
        hs.append(h)
    return np.array(hs)


def one_step_late(xs, decay):
    h = np.zeros(xs.shape[1])
    hs = []
    for x_t in xs:
        hs.append(h)  # stored before it reads x_t
        h = decay * h + x_t
    return np.array(hs)


def state_reset(xs, decay):
    hs = []
    for x_t in xs:
        h = np.zeros(xs.shape[1])  # reset at every step: nothing carried
        h = decay * h + x_t
        hs.append(h)
    return np.array(hs)


def one_array_stored(xs, decay):
    h, hs = np.zeros(xs.shape[1]), []
    for x_t in xs:
        h *= decay  # in place: every entry of hs is this one array
        h += x_t
        hs.append(h)
    return np.array(hs)


CARRY_MISTAKES = {
    "one_array_stored": one_array_stored,
    "state_not_carried": state_reset,
    "nothing_fades": lambda xs, decay: carry_state(xs, 1.0),
    "decay_on_input": lambda xs, decay: np.cumsum(decay * xs, axis=0),
    "decay_after_adding": lambda xs, decay: decay * carry_state(xs, decay),
    "states_one_step_late": one_step_late,
    "decay_fixed": lambda xs, decay: carry_state(xs, 0.5),  # the visible λ, hidden seeds only
    "last_state_only": lambda xs, decay: carry_state(xs, decay)[-1],
}
COS_MISTAKES = {
    "plus_branch": lambda s: np.sqrt(1 - s**2),
    "minus_branch": lambda s: -np.sqrt(1 - s**2),
    "sine_for_cosine": lambda s: s,
}


def test_the_tables_cover_every_recognised_mistake():
    assert set(CARRY_MISTAKES) == set(RECOGNISED["check_carry_state"])
    assert set(COS_MISTAKES) == set(RECOGNISED["check_cos_guess"])
    assert set(CARRY_MISTAKES) | set(COS_MISTAKES) == set(MISCONCEPTIONS)
    assert "The state not carried from step to step" in recognised(check_carry_state)
    assert "The confident guess +√(1 − sin² t)" in recognised(check_cos_guess)


# --- the loop ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 7])
def test_the_right_loop_passes_on_every_seed(seed):
    feedback = check_carry_state(carry_state, seed=seed)
    assert feedback.passed, feedback


@pytest.mark.parametrize("key", list(CARRY_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_loop_misconception_is_named_with_a_hint_and_the_fix_on_request(key, seed):
    if key == "decay_fixed" and seed == 0:
        assert check_carry_state(CARRY_MISTAKES[key], seed=seed).passed  # λ = 0.5 there
        return
    feedback = check_carry_state(CARRY_MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key].name), feedback.message
    fix = MISCONCEPTIONS[key].fix
    assert fix not in feedback.message and "np." not in feedback.message
    with_fix = check_carry_state(CARRY_MISTAKES[key], show_fix=True, seed=seed)
    assert with_fix.message.endswith(f"Fix: {fix}")
    assert "for x_t in xs" not in fix and fix.count(";") == 0  # one line, never the whole loop
    assert CARRY_FIX == ""  # a failure naming no misconception gets no code


def test_the_package_answer_is_off_limits():
    feedback = check_carry_state(lambda xs, decay: fading_memory(xs, decay))
    assert not feedback.passed and "Write it yourself" in feedback.message
    assert "fading_memory" in feedback.message
    assert check_carry_state(carry_state).passed  # put back afterwards


def test_hidden_series_hold_whole_periods():
    for seed in (1, 2, 3, 4, 5):
        _where, s, y = cos_guess_series(seed)
        # sin t meets each sign of cos t equally often: the mean of cos t given |sin t| is ≈ 0
        assert abs(float(np.mean(y))) < 0.03


def test_other_loops_get_a_sentence():
    def stub(xs, decay):
        raise NotImplementedError()

    assert "Not written yet" in check_carry_state(None).message
    assert "Not written yet" in check_carry_state(stub).message
    assert "returned None" in check_carry_state(lambda xs, decay: None).message
    narrow = check_carry_state(lambda xs, decay: carry_state(xs, decay)[:, :2])
    assert "shape (6, 2)" in narrow.message and "expected (6, 4)" in narrow.message
    doubled = check_carry_state(lambda xs, decay: 2 * carry_state(xs, decay))
    assert (
        "differ from h_t = λ·h_{t-1} + x_t" in doubled.message and "from step 1" in doubled.message
    )


def test_hidden_seeds_use_other_sizes_and_decays():
    visible = sequence_cases(0)[0]
    assert visible.xs.shape == (6, 4) and visible.decay == 0.5
    for seed in (1, 2, 3):
        for case in sequence_cases(seed):
            T, D = case.xs.shape
            assert T != D and case.decay != 0.5
    hard_coded_decay = lambda xs, decay: carry_state(xs, 0.5)  # noqa: E731
    assert check_carry_state(hard_coded_decay, seed=0).passed
    assert check_carry_state(hard_coded_decay, seed=1).message.startswith(
        "λ fixed instead of the decay passed in"
    )
    answer = carry_state(visible.xs, 0.5)
    assert not check_carry_state(lambda xs, decay: answer, seed=1).passed


def test_the_seed_0_sentence_is_the_notebooks():
    # the notebook draws its word vectors first from default_rng(0); its λ is 0.5
    xs = sequence_cases(0)[0].xs
    assert np.allclose(bag_of_words(xs), [-4.111, -0.205, -0.178, 1.755], atol=1e-3)
    assert np.allclose(fading_memory(xs, 0.5)[-1], [-1.099, 1.014, -0.747, 0.757], atol=1e-3)


# --- the guess --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_floor_passes_as_an_array_or_a_constant(seed):
    for guess in (lambda s: np.zeros_like(s), lambda s: 0.0):
        feedback = check_cos_guess(guess, seed=seed)
        assert feedback.passed, feedback
    assert "0.502" in check_cos_guess(lambda s: 0.0).message


@pytest.mark.parametrize("key", list(COS_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_guess_misconception_is_named_with_a_hint_and_the_fix_on_request(key, seed):
    feedback = check_cos_guess(COS_MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key].name), feedback.message
    assert COS_FIX not in feedback.message and "zeros" not in feedback.message
    assert "zeros" not in COS_FIX and "0" not in COS_FIX  # a nudge, not the answer
    assert check_cos_guess(COS_MISTAKES[key], show_fix=True, seed=seed).message.endswith(
        f"Fix: {COS_FIX}"
    )


def test_the_confident_guess_scores_twice_the_floor():
    plus = check_cos_guess(COS_MISTAKES["plus_branch"])
    assert "test MSE 0.995 against the floor 0.502" in plus.message


def test_other_guesses():
    assert "above the floor" in check_cos_guess(lambda s: np.full_like(s, 0.5)).message
    assert "shape" in check_cos_guess(lambda s: s[:3]).message
    assert "nan or inf" in check_cos_guess(lambda s: np.full_like(s, np.nan)).message
    assert "returned None" in check_cos_guess(lambda s: None).message
    assert "raised KeyError" in check_cos_guess(lambda s: {}["x"]).message
    assert "Not written yet" in check_cos_guess(None).message
    assert "Pass the function itself" in check_cos_guess(0.0).message


def test_hidden_series_differ_so_a_stored_answer_fails():
    _, s0, _ = cos_guess_series(0)
    _, s1, _ = cos_guess_series(1)
    assert len(s0) == 100 and len(s1) != 100
    zeros_of_the_visible_length = lambda s: np.zeros(100)  # noqa: E731
    assert check_cos_guess(zeros_of_the_visible_length, seed=0).passed
    assert not check_cos_guess(zeros_of_the_visible_length, seed=1).passed


# --- the prediction ---------------------------------------------------------------------------


def test_the_memory_at_one_prediction():
    assert "No prediction yet" in predict_memory_at_one.check(None).message
    assert predict_memory_at_one.check(True).passed
    false = predict_memory_at_one.check(False)
    assert not false.passed and "what weight λ^{T−t}" in false.message
    assert "Answer one of" in predict_memory_at_one.check("maybe").message
    xs = sequence_cases(0)[0].xs
    assert np.allclose(fading_memory(xs, 1.0)[-1], fading_memory(xs[::-1], 1.0)[-1])  # true


# --- In Chinese -----------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def in_chinese():
    """The package in Chinese for one test (the catalogue only, no font); English after."""
    set_language("zh", font=False)
    try:
        yield
    finally:
        set_language("en")


def test_a_failing_check_speaks_chinese(in_chinese):
    feedback = check_carry_state(lambda xs, decay: np.array(xs, dtype=float))
    assert not feedback.passed and CJK.search(feedback.message)
    assert feedback.message.startswith("状态没有从一步传到下一步（在笔记本里的句子，λ = 0.5上）")
