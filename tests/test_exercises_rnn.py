"""The checks of notebooks 03 and 04 pass the right answers and name the usual mistakes."""

import re

import numpy as np
import pytest

from lstm_course.activations import sigmoid
from lstm_course.exercises import rnn
from lstm_course.exercises.rnn import (
    FIXES,
    MISCONCEPTIONS,
    RECOGNISED,
    check_chain_rule,
    check_linear_jacobian,
    check_parameter_count,
    check_unroll,
    predict_gradient_at_rho_1,
    predict_same_input_twice,
    recognised_mistakes,
    rnn_parameter_count,
)
from lstm_course.gradients import hidden_jacobians as _hidden_jacobians
from lstm_course.i18n import set_language
from lstm_course.rnn import rnn_cell, rnn_unroll

SEEDS = (0, 1, 2, 3)


def _fails_with(feedback, *fragments):
    assert not feedback.passed, feedback
    for fragment in fragments:
        assert fragment in feedback.message, feedback.message


def _names(feedback, key):
    assert not feedback.passed, key
    name = MISCONCEPTIONS[key]
    assert feedback.message.startswith(getattr(name, "name", name)), (key, feedback.message)


def _no_code_unless_asked(check, wrong, **kwargs):
    first = check(wrong, **kwargs)
    assert not first.passed and "Fix:" not in first.message
    if not first.fix:  # a failure naming no misconception: a pointer, no code
        assert "Fix:" not in check(wrong, show_fix=True, **kwargs).message
        return
    assert first.fix not in first.message
    assert check(wrong, show_fix=True, **kwargs).message.endswith(f"Fix: {first.fix}")
    # the line(s) of the mistake only, never the whole reference
    assert first.fix.count(";") <= 1 and "np.stack(Js)" not in first.fix
    assert "for x_t in xs: h_t = np.tanh" not in first.fix


def _stub(*args):
    raise NotImplementedError()


# --- unrolling ------------------------------------------------------------------------------


def _loop(step):
    def unroll(xs, params):
        h_t, hs = np.zeros(params.hidden_size), []
        for x_t in xs:
            h_t = step(h_t, x_t, params)
            hs.append(h_t)
        return np.stack(hs)

    return unroll


def _from_scratch(h, x, p):
    return np.tanh(p.W @ np.concatenate([h, x]) + p.b)


_ref = _loop(_from_scratch)  # the unroll written out: the package's rnn_unroll is off-limits


def _one_array(xs, p):
    h, hs = np.zeros(p.hidden_size), []
    for x_t in xs:
        h[:] = np.tanh(p.W @ np.concatenate([h, x_t]) + p.b)  # overwritten in place
        hs.append(h)
    return np.array(hs)


def _one_step_late(xs, p):
    h, hs = np.zeros(p.hidden_size), []
    for x_t in xs:
        hs.append(h)  # stored before the step
        h = np.tanh(p.W @ np.concatenate([h, x_t]) + p.b)
    return np.array(hs)


UNROLL_STUDENTS = {
    "bias_outside": _loop(lambda h, x, p: np.tanh(p.W @ np.concatenate([h, x])) + p.b),
    "states_one_step_late": _one_step_late,
    "one_array_stored": _one_array,
    "last_state_only": lambda xs, p: _ref(xs, p)[-1],
    "initial_state_stacked": lambda xs, p: np.vstack([np.zeros(p.hidden_size), _ref(xs, p)]),
    "step_missing": lambda xs, p: _ref(xs[1:], p),
    "state_not_carried": lambda xs, p: np.stack(
        [rnn_cell(x, np.zeros(p.hidden_size), p) for x in xs]
    ),
    "first_input_repeated": lambda xs, p: _ref(np.repeat(xs[:1], len(xs), axis=0), p),
    "concat_order": _loop(lambda h, x, p: np.tanh(p.W @ np.concatenate([x, h]) + p.b)),
    "tanh_forgotten": _loop(lambda h, x, p: p.W @ np.concatenate([h, x]) + p.b),
    "sigma_for_tanh": _loop(lambda h, x, p: sigmoid(p.W @ np.concatenate([h, x]) + p.b)),
    "bias_missing": _loop(lambda h, x, p: np.tanh(p.W @ np.concatenate([h, x]))),
    "later_steps_wrong": _loop(lambda h, x, p: _from_scratch(0.5 * h, x, p)),
    "first_step_wrong": lambda xs, p: _ref(xs, p) + 1e-3,
}


@pytest.mark.parametrize("seed", SEEDS)
def test_unroll_passes_a_hand_loop_and_fails_the_package_answer(seed):
    assert check_unroll(_loop(_from_scratch), seed=seed).passed
    _fails_with(check_unroll(lambda xs, p: rnn_unroll(xs, p), seed=seed), "Write it yourself")
    assert check_unroll(_ref, seed=seed).passed  # rnn_unroll put back afterwards

    def as_list(xs, params):
        return list(_ref(xs, params))  # a list of arrays is fine

    assert check_unroll(as_list, seed=seed).passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("key", list(UNROLL_STUDENTS))
def test_each_unroll_misconception_is_named(key, seed):
    _names(check_unroll(UNROLL_STUDENTS[key], seed=seed), key)


def test_unroll_unfinished_or_broken_work_gets_a_sentence():
    _fails_with(check_unroll(None), "Not answered yet")
    _fails_with(check_unroll(_stub), "Not written yet")
    _fails_with(check_unroll(lambda xs, p: _ref(xs, p).T), "expected")
    _fails_with(check_unroll(lambda xs, p: 1 / 0), "ZeroDivisionError")
    _fails_with(check_unroll(lambda xs, p: None), "returned None")
    _fails_with(check_unroll(lambda xs, p: [[1.0], [1.0, 2.0]]), "returned a list, not an array")


def test_unroll_messages_keep_their_words():
    assert "last h_T only" in check_unroll(UNROLL_STUDENTS["last_state_only"]).message
    assert (
        "h_0 is the starting state"
        in check_unroll(UNROLL_STUDENTS["initial_state_stacked"]).message
    )
    assert "started from h_0 = 0" in check_unroll(UNROLL_STUDENTS["state_not_carried"]).message


def test_unroll_hard_coding_seed_0_fails_the_other_seeds():
    cases = {seed: rnn.unroll_cases(seed) for seed in SEEDS}
    answers = [_ref(c.xs, c.params) for c in cases[0]]

    def hard_coded(xs, params):
        return answers[0] if len(xs) == len(answers[0]) else answers[1]

    assert check_unroll(hard_coded).passed
    for seed in SEEDS[1:]:
        assert not check_unroll(hard_coded, seed=seed).passed
        shapes = {(c.xs.shape, c.params.hidden_size) for c in cases[seed]}
        assert shapes != {(c.xs.shape, c.params.hidden_size) for c in cases[0]}
        assert all(c.params.hidden_size != c.params.input_size for c in cases[seed])


# --- parameter count ------------------------------------------------------------------------


COUNT_STUDENTS = {
    "counted_per_step": lambda D, H, T: T * (H * (H + D) + H),
    "bias_not_counted": lambda D, H, T: H * (H + D),
    "recurrent_block_forgotten": lambda D, H, T: H * D + H,
    "two_biases": lambda D, H, T: H * (H + D) + 2 * H,
}


@pytest.mark.parametrize("seed", SEEDS)
def test_parameter_count(seed):
    assert rnn_parameter_count(1, 3) == 15
    assert check_parameter_count(lambda D, H, T: H * (H + D) + H, seed=seed).passed
    for key, student in COUNT_STUDENTS.items():
        _names(check_parameter_count(student, seed=seed), key)
    _fails_with(check_parameter_count(lambda D, H, T: 7, seed=seed), "you counted 7")


def test_parameter_count_words_and_sentences():
    _fails_with(check_parameter_count(None), "Not answered yet")
    _fails_with(check_parameter_count(_stub), "Not written yet")
    _fails_with(check_parameter_count(COUNT_STUDENTS["counted_per_step"]), "share one W")
    _fails_with(check_parameter_count(COUNT_STUDENTS["bias_not_counted"]), "entries of b")
    _fails_with(check_parameter_count(COUNT_STUDENTS["recurrent_block_forgotten"]), "feed-forward")
    _fails_with(check_parameter_count(COUNT_STUDENTS["two_biases"]), "two biases")
    _fails_with(check_parameter_count(lambda D, H, T: np.ones(2)), "expected a number")


def test_parameter_count_hard_coding_fails_other_seeds():
    known = {(D, H): rnn_parameter_count(D, H) for D, H, _ in rnn.count_cases(0)}
    hard_coded = lambda D, H, T: known.get((D, H), 0)  # noqa: E731
    assert check_parameter_count(hard_coded).passed
    assert not any(check_parameter_count(hard_coded, seed=s).passed for s in SEEDS[1:])


# --- the chain rule by hand (04) ------------------------------------------------------------


def _chain(factor, left=True, start=None, keep_first=False):
    def chain_rule(xs, params):
        H = params.hidden_size
        W_hh = params.W[:, :H]
        hs = rnn_unroll(xs, params)
        product = np.eye(H) if start is None else start(W_hh)
        out = [product] if keep_first else []
        previous = np.vstack([np.zeros(H), hs[:-1]])
        for h_t, h_prev in zip(hs, previous, strict=True):
            step = factor(h_t, h_prev, W_hh)
            product = step @ product if left else product @ step
            out.append(product)
        return np.stack(out[: len(hs)] if keep_first == "late" else out)

    return chain_rule


RIGHT_CHAIN = _chain(lambda h, h_prev, W_hh: np.diag(1 - h**2) @ W_hh)


def _elementwise(xs, params):
    H = params.hidden_size
    product, out = np.eye(H), []
    for h_t in rnn_unroll(xs, params):
        product = (np.diag(1 - h_t**2) @ params.W[:, :H]) * product
        out.append(product)
    return np.stack(out)


def _whole_w(xs, params):
    product, out = np.eye(params.hidden_size), []
    for h_t in rnn_unroll(xs, params):
        product = np.diag(1 - h_t**2) @ params.W @ product
        out.append(product)
    return np.stack(out)


CHAIN_STUDENTS = {
    "tanh_derivative_forgotten": _chain(lambda h, h_prev, W_hh: W_hh),
    "factors_reversed": _chain(lambda h, h_prev, W_hh: np.diag(1 - h**2) @ W_hh, left=False),
    "previous_state_derivative": _chain(lambda h, h_prev, W_hh: np.diag(1 - h_prev**2) @ W_hh),
    "tanh_applied_twice": _chain(lambda h, h_prev, W_hh: np.diag(1 - np.tanh(h) ** 2) @ W_hh),
    "elementwise_jacobian": _elementwise,
    "factors_not_multiplied": lambda xs, p: np.stack(
        [np.diag(1 - h**2) @ p.W[:, : p.hidden_size] for h in rnn_unroll(xs, p)]
    ),
    "extra_factor": _chain(lambda h, h_prev, W_hh: np.diag(1 - h**2) @ W_hh, start=lambda W: W),
    "product_one_step_late": _chain(
        lambda h, h_prev, W_hh: np.diag(1 - h**2) @ W_hh, keep_first="late"
    ),
    "whole_W": _whole_w,
    "tanh_derivative_on_columns": _chain(lambda h, h_prev, W_hh: (1 - h**2) * W_hh),
    "W_hh_transposed": _chain(lambda h, h_prev, W_hh: np.diag(1 - h**2) @ W_hh.T),
    "wrong_block": lambda xs, p: _chain(
        lambda h, h_prev, W_hh: np.diag(1 - h**2) @ p.W[:, -p.hidden_size :]
    )(xs, p),
}


def test_the_chain_rule_package_answer_is_off_limits():
    from lstm_course.gradients import hidden_jacobians

    package = check_chain_rule(lambda xs, p: _hidden_jacobians(p, xs))
    _fails_with(package, "Write it yourself", "hidden_jacobians")
    assert hidden_jacobians is _hidden_jacobians  # put back afterwards
    assert check_chain_rule(RIGHT_CHAIN).passed


@pytest.mark.parametrize("seed", SEEDS)
def test_the_chain_rule_passes_the_reference(seed):
    assert check_chain_rule(RIGHT_CHAIN, seed=seed).passed
    assert check_chain_rule(lambda xs, p: list(RIGHT_CHAIN(xs, p)), seed=seed).passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("key", list(CHAIN_STUDENTS))
def test_each_chain_rule_misconception_is_named(key, seed):
    _names(check_chain_rule(CHAIN_STUDENTS[key], seed=seed), key)


def test_the_chain_rule_shapes_and_unfinished_work():
    _fails_with(check_chain_rule(None), "Not answered yet")
    _fails_with(check_chain_rule(_stub), "Not written yet")
    _fails_with(check_chain_rule(lambda xs, p: RIGHT_CHAIN(xs, p)[-1]), "one (16, 16) matrix")
    with_identity = _chain(lambda h, h_prev, W_hh: np.diag(1 - h**2) @ W_hh, keep_first=True)
    _names(check_chain_rule(with_identity), "product_one_step_late")
    _fails_with(check_chain_rule(lambda xs, p: RIGHT_CHAIN(xs, p) * 1.01), "differ from autograd")


def test_the_chain_rule_seeds_use_other_sizes():
    (visible,) = rnn.chain_rule_cases(0)
    assert (visible.params.input_size, visible.params.hidden_size, len(visible.xs)) == (4, 16, 10)
    answer = RIGHT_CHAIN(visible.xs, visible.params)
    assert check_chain_rule(lambda xs, p: answer).passed
    for seed in SEEDS[1:]:
        assert not check_chain_rule(lambda xs, p: answer, seed=seed).passed
        assert all(c.params.hidden_size != c.params.input_size for c in rnn.chain_rule_cases(seed))


# --- linear Jacobian ------------------------------------------------------------------------

LINEAR_STUDENTS = {
    "elementwise_power": lambda W, T: W**T,
    "sum_not_product": lambda W, T: T * W,
    "transposed": lambda W, T: np.linalg.matrix_power(W, T).T,
    "power_off_by_one": lambda W, T: np.linalg.matrix_power(W, T - 1),
}


@pytest.mark.parametrize("seed", SEEDS)
def test_linear_jacobian(seed):
    assert check_linear_jacobian(lambda W, T: np.linalg.matrix_power(W, T), seed=seed).passed
    for key, student in LINEAR_STUDENTS.items():
        _names(check_linear_jacobian(student, seed=seed), key)


def test_linear_jacobian_sentences():
    _fails_with(check_linear_jacobian(None), "Not answered yet")
    _fails_with(check_linear_jacobian(_stub), "Not written yet")
    _fails_with(check_linear_jacobian(LINEAR_STUDENTS["elementwise_power"]), "Each entry")
    _fails_with(check_linear_jacobian(LINEAR_STUDENTS["sum_not_product"]), "multiplies them")
    _fails_with(check_linear_jacobian(LINEAR_STUDENTS["transposed"]), "transpose")
    _fails_with(check_linear_jacobian(LINEAR_STUDENTS["power_off_by_one"]), "power 4")
    _fails_with(check_linear_jacobian(lambda W, T: np.eye(2)), "shape (2, 2)")
    _fails_with(check_linear_jacobian(lambda W, T: np.zeros_like(W)), "differs from autograd")
    _fails_with(check_linear_jacobian(lambda W, T: None), "returned None")


def test_linear_jacobian_hard_coding_fails_other_seeds():
    answers = {W.shape: np.linalg.matrix_power(W, T) for W, T in rnn.linear_jacobian_cases(0)}
    hard_coded = lambda W, T: answers.get(W.shape, W)  # noqa: E731
    assert check_linear_jacobian(hard_coded).passed
    assert not any(check_linear_jacobian(hard_coded, seed=s).passed for s in SEEDS[1:])


# --- the tables and the two levels of feedback ----------------------------------------------

STUDENTS = {
    "check_unroll": (check_unroll, UNROLL_STUDENTS),
    "check_parameter_count": (check_parameter_count, COUNT_STUDENTS),
    "check_chain_rule": (check_chain_rule, CHAIN_STUDENTS),
    "check_linear_jacobian": (check_linear_jacobian, LINEAR_STUDENTS),
}


@pytest.mark.parametrize("name", list(STUDENTS))
def test_every_recognised_misconception_has_a_student(name):
    check, students = STUDENTS[name]
    assert set(RECOGNISED[name]) == set(students)
    assert recognised_mistakes(check) == [MISCONCEPTIONS[k].name for k in RECOGNISED[name]]


@pytest.mark.parametrize("name", list(STUDENTS))
def test_no_code_in_a_default_message(name):
    check, students = STUDENTS[name]
    assert FIXES[name] == ""  # no check-wide fix: each misconception carries its own
    for student in students.values():
        _no_code_unless_asked(check, student)
        for fragment in ("np.", "@", "**", "matrix_power", "return np", "rnn_cell("):
            assert fragment not in check(student).message, (name, check(student).message)


# --- predictions ----------------------------------------------------------------------------


def test_the_predictions_answer_none_each_choice_and_each_known_wrong_answer():
    for prediction in (predict_same_input_twice, predict_gradient_at_rho_1):
        assert "No prediction yet" in prediction.check(None).message
        assert prediction.check(prediction.answer).passed
        for choice in prediction.choices:
            assert prediction.check(choice).passed == (choice == prediction.answer)
        for wrong, hint in prediction.wrong.items():
            assert hint in prediction.check(wrong).message
        assert "Answer one of" in prediction.check("maybe").message


def test_the_predictions_are_what_happens():
    from lstm_course.gradients import rnn_gradient_norms

    assert rnn_gradient_norms(1.0, 40)[-1] < 0.1  # "vanishes"
    p = rnn.unroll_cases(0)[1].params  # D = 1
    hs = rnn_unroll(np.full((2, 1), 0.783), p)
    assert not np.allclose(hs[0], hs[1])


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
    def without_tanh(xs, params):
        h, hs = np.zeros(params.hidden_size), []
        for x_t in xs:
            h = params.W @ np.concatenate([h, x_t]) + params.b
            hs.append(h)
        return np.array(hs)

    feedback = check_unroll(without_tanh)
    assert not feedback.passed and CJK.search(feedback.message)
    assert feedback.message.startswith("忘了 tanh（隐藏用例 1：T=5，D=2，H=3）：")
    assert "修正：" in check_unroll(without_tanh, show_fix=True).message
