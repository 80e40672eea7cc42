"""Tests for lstm_course.exercises.lstm_cell: notebook 08's whole cell and loop, from scratch.

Each check passes a right answer on the visible case (seed 0) and on hidden seeds, names every
misconception it lists in RECOGNISED (a student function written with that mistake), says "Not
written yet" for a stub, keeps code out of its default message, and differs by seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_course.activations import sigmoid, tanh
from lstm_course.exercises import lstm_cell as topic
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.lstm_cell import (
    FIXES,
    MISCONCEPTIONS,
    RECOGNISED,
    check_lstm_cell,
    check_lstm_unroll,
    recognised,
)
from lstm_course.lstm import lstm_cell

SEEDS = [0, 1, 2]


# --- A student's cell, with any of the known mistakes ----------------------------------------


def cell(
    order="hx",
    weights="fiCo",
    gate=sigmoid,
    cand=tanh,
    update="right",
    h_of="right",
    swap_out=False,
):
    """A student's my_lstm_cell written with the given choices (the defaults are right)."""

    def my_lstm_cell(x_t, h_prev, C_prev, params):
        hx = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev])
        W = {
            g: (getattr(params, f"W_{w}"), getattr(params, f"b_{w}"))
            for g, w in zip("fiCo", weights, strict=True)
        }
        f_t = gate(W["f"][0] @ hx + W["f"][1])
        i_t = gate(W["i"][0] @ hx + W["i"][1])
        C_tilde = cand(W["C"][0] @ hx + W["C"][1])
        o_t = gate(W["o"][0] @ hx + W["o"][1])
        if update == "right":
            C_t = f_t * C_prev + i_t * C_tilde
        elif update == "tanh":
            C_t = tanh(f_t * C_prev + i_t * C_tilde)
        else:
            C_t = i_t * C_prev + f_t * C_tilde
        h_t = {
            "right": o_t * tanh(C_t),
            "no_tanh": o_t * C_t,
            "C_prev": o_t * tanh(C_prev),
            "tanh_after": tanh(o_t * C_t),
        }[h_of]
        return (C_t, h_t) if swap_out else (h_t, C_t)

    return my_lstm_cell


CELL_MISTAKES = {
    "concat_order": cell(order="xh"),
    "gate_weights_mixed": cell(weights="oiCf"),
    "tanh_for_sigma": cell(gate=tanh),
    "sigma_for_tanh": cell(cand=sigmoid),
    "gates_swapped": cell(update="swapped"),
    "tanh_on_cell_state": cell(update="tanh"),
    "h_without_tanh": cell(h_of="no_tanh"),
    "C_prev_in_h": cell(h_of="C_prev"),
    "tanh_after_product": cell(h_of="tanh_after"),
    "cell_outputs_swapped": cell(swap_out=True),
}

right_cell = cell()


# --- A student's loop -----------------------------------------------------------------------------


def loop(
    carry_h=True,
    carry_C=True,
    swap=False,
    zeros=False,
    last_only=False,
    before=False,
    with_h0=False,
    skip_first=False,
    drop_last=False,
    cs=False,
):
    """A student's my_lstm_unroll written with the given choices (the defaults are right)."""

    def my_lstm_unroll(xs, h0, C0, params):
        if zeros:
            h0, C0 = np.zeros_like(h0), np.zeros_like(C0)
        h_t, C_t = h0, C0
        hs = [h0] if with_h0 else []
        for t in range(1 if skip_first else 0, len(xs)):
            if before:
                hs.append(h_t)
            h_new, C_new = right_cell(xs[t], h_t if carry_h else h0, C_t if carry_C else C0, params)
            h_t, C_t = (C_new, h_new) if swap else (h_new, C_new)
            if not before:
                hs.append(C_new if cs else h_new)
        if last_only:
            return h_t
        return np.stack(hs[:-1] if drop_last else hs)

    return my_lstm_unroll


UNROLL_MISTAKES = {
    "last_h_only": loop(last_only=True),
    "h_not_carried": loop(carry_h=False),
    "C_not_carried": loop(carry_C=False),
    "states_swapped": loop(swap=True),
    "initial_state_ignored": loop(zeros=True),
    "off_by_one": loop(before=True),
    "cell_states_returned": loop(cs=True),
}

right_loop = loop()

CHECKS = {
    "check_lstm_cell": (check_lstm_cell, right_cell, CELL_MISTAKES),
    "check_lstm_unroll": (check_lstm_unroll, right_loop, UNROLL_MISTAKES),
}

MISTAKE_CASES = [
    pytest.param(check, key, student, seed, id=f"{name}-{key}-seed{seed}")
    for name, (check, _, mistakes) in CHECKS.items()
    for key, student in mistakes.items()
    for seed in SEEDS
]


# --- The reference passes, each mistake is named ---------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CHECKS))
def test_a_right_answer_passes_on_every_seed(name, seed):
    check, right, _ = CHECKS[name]
    feedback = check(right, seed=seed)
    assert feedback.passed, feedback.message
    assert str(feedback).startswith("✅")


def test_an_lstm_step_is_accepted_as_an_answer():
    import types

    # a copy of the package's cell (a student's own that returns an LSTMStep): h_t and C_t read
    my_cell = types.FunctionType(lstm_cell.__code__, lstm_cell.__globals__, "my_cell")

    assert check_lstm_cell(my_cell).passed


def test_the_package_s_cell_and_loop_are_off_limits():
    """Review 05-08 item 3: wrapping the imported lstm_cell or lstm_unroll passed."""
    from lstm_course import lstm

    def wrapped_cell(x_t, h_prev, C_prev, params):
        step = lstm_cell(x_t, h_prev, C_prev, params)
        return step.h_t, step.C_t

    def wrapped_loop(xs, h0, C0, params):
        return lstm.lstm_unroll(xs, params, h0, C0).h_t

    assert "Write it yourself" in check_lstm_cell(wrapped_cell).message
    assert "Write it yourself" in check_lstm_unroll(wrapped_loop).message
    assert check_lstm_cell(right_cell).passed and check_lstm_unroll(right_loop).passed


@pytest.mark.parametrize(("check", "key", "student", "seed"), MISTAKE_CASES)
def test_each_misconception_is_named_with_a_hint_and_no_code(check, key, student, seed):
    feedback = check(student, seed=seed)
    assert not feedback.passed
    assert MISCONCEPTIONS[key] in feedback.message, feedback.message
    assert feedback.fix and feedback.fix not in feedback.message
    for code in ("np.", " @ ", "return ", "append("):
        assert code not in feedback.message, (code, feedback.message)
    with_fix = check(student, show_fix=True, seed=seed)
    assert with_fix.message.endswith(f"Fix: {topic.MISCONCEPTION_FIXES[key]}")
    assert "\n" not in feedback.fix  # one line, never the whole cell or loop


@pytest.mark.parametrize("name", list(CHECKS))
def test_an_unnamed_mistake_gets_a_pointer_not_code(name):
    check, right, _ = CHECKS[name]

    def off(*args):
        result = right(*args)
        if isinstance(result, tuple):
            return tuple(np.asarray(r) + 0.123 for r in result)
        return np.asarray(result) + 0.123

    shown = check(off, show_fix=True)
    assert shown.message.endswith(f"Fix: {FIXES[name]}")
    for code in ("np.", " @ ", "return ", "sigmoid(", "append("):
        assert code not in FIXES[name]


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_tests_cover_every_recognised_misconception(name):
    _, _, mistakes = CHECKS[name]
    assert set(mistakes) == set(RECOGNISED[name])
    assert recognised(CHECKS[name][0]) == [MISCONCEPTIONS[k] for k in RECOGNISED[name]]


def test_the_brief_s_typical_mistakes_are_all_recognised():
    """[x, h] swapped, C_{t-1} for C_t in h_t, tanh missing on C_t, state not carried,
    only the last h returned, the gates' weights mixed up."""
    everything = set(RECOGNISED["check_lstm_cell"]) | set(RECOGNISED["check_lstm_unroll"])
    assert {
        "concat_order",
        "C_prev_in_h",
        "h_without_tanh",
        "h_not_carried",
        "C_not_carried",
        "last_h_only",
        "gate_weights_mixed",
        "off_by_one",
    } <= everything


def test_two_mistakes_in_the_cell_are_both_named():
    message = check_lstm_cell(cell(order="xh", h_of="no_tanh")).message
    assert MISCONCEPTIONS["concat_order"] in message
    assert MISCONCEPTIONS["h_without_tanh"] in message


def test_mixed_weights_say_which_gate_read_which_weights():
    message = check_lstm_cell(cell(weights="oiCf")).message
    assert "your f_t uses W_o and b_o" in message and "your o_t uses W_f and b_f" in message


@pytest.mark.parametrize(
    ("student", "words"),
    [
        (loop(with_h0=True), "T + 1 rows"),
        (loop(skip_first=True), "never read"),
        (loop(drop_last=True), "T − 1 rows"),
        (loop(carry_h=False, carry_C=False), MISCONCEPTIONS["C_not_carried"]),
    ],
    ids=["h0-kept", "first-skipped", "last-dropped", "nothing-carried"],
)
def test_every_off_by_one_and_both_states_forgotten_are_explained(student, words):
    feedback = check_lstm_unroll(student)
    assert not feedback.passed and words in feedback.message, feedback.message


def test_an_unroll_on_a_wrong_cell_points_back_at_the_cell():
    bad_cell = cell(h_of="C_prev")

    def unroll_on_a_wrong_cell(xs, h0, C0, params):
        h_t, C_t, hs = h0, C0, []
        for x_t in xs:
            h_t, C_t = bad_cell(x_t, h_t, C_t, params)
            hs.append(h_t)
        return np.stack(hs)

    message = check_lstm_unroll(unroll_on_a_wrong_cell).message
    assert "Does my_lstm_cell pass its check" in message


def test_returning_hs_and_the_state_asks_for_hs_alone():
    def two(xs, h0, C0, params):
        return right_loop(xs, h0, C0, params), C0

    assert "Return hs alone" in check_lstm_unroll(two).message


# --- Seeds: the visible case and the hidden ones ------------------------------------------------


def test_seed_zero_is_the_article_s_step_and_other_seeds_other_sizes():
    visible = topic.cell_cases(0)
    np.testing.assert_array_equal(visible[0].x_t, [0.2, 1.3, 0.7])
    assert visible[0].params.hidden_size == visible[0].params.input_size == 3
    for seed in (1, 2):
        hidden = topic.cell_cases(seed)
        assert all(c.params.hidden_size != c.params.input_size for c in hidden)
        sizes = {(c.params.hidden_size < c.params.input_size) for c in hidden}
        assert sizes == {True, False}  # one H < D, one H > D
    loops = topic.unroll_cases(0)
    assert loops[0].xs.shape == (topic.UNROLL_STEPS, 3)
    np.testing.assert_array_equal(loops[0].xs[0], [0.2, 1.3, 0.7])
    for case in topic.unroll_cases(1) + topic.unroll_cases(2):
        assert len(case.xs) != topic.UNROLL_STEPS
        assert case.params.hidden_size != case.params.input_size


def test_seeded_cases_repeat():
    a, b = topic.unroll_cases(1), topic.unroll_cases(1)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.xs, y.xs)
        np.testing.assert_array_equal(x.params.W_C, y.params.W_C)


def test_hard_coding_the_visible_case_fails_the_hidden_seeds():
    visible = topic.cell_cases(0)[0]
    answer = right_cell(visible.x_t, visible.h_prev, visible.C_prev, visible.params)
    hard_coded_cell = lambda x_t, h_prev, C_prev, params: answer  # noqa: E731
    assert check_lstm_cell(hard_coded_cell).passed
    assert not check_lstm_cell(hard_coded_cell, seed=1).passed

    case = topic.unroll_cases(0)[0]
    hs = right_loop(case.xs, case.h0, case.C0, case.params)
    hard_coded_loop = lambda xs, h0, C0, params: hs  # noqa: E731
    assert check_lstm_unroll(hard_coded_loop).passed
    assert not check_lstm_unroll(hard_coded_loop, seed=1).passed


# --- Broken code gets a sentence --------------------------------------------------------------


def not_written(*args):
    raise NotImplementedError


def returns_none(*args):
    return None


@pytest.mark.parametrize("name", list(CHECKS))
@pytest.mark.parametrize(
    ("student", "words"),
    [
        (None, "Not written yet"),
        (not_written, "Not written yet"),
        (returns_none, "returned None"),
        (np.zeros(3), "Pass the function itself"),
    ],
    ids=["None", "stub", "returns-None", "array"],
)
def test_broken_code_gets_a_sentence(name, student, words):
    check, _, _ = CHECKS[name]
    feedback = check(student)
    assert isinstance(feedback, Feedback) and not feedback.passed
    assert words in feedback.message, feedback.message


def test_the_student_cannot_change_the_cases():
    def vandal(x_t, h_prev, C_prev, params):
        result = right_cell(x_t, h_prev, C_prev, params)
        C_prev[:] = 0.0
        return result

    assert check_lstm_cell(vandal).passed


def test_a_failed_check_speaks_chinese_in_the_chinese_edition() -> None:
    """With set_language("zh") the misconception's name and the hint are the catalogue's
    Chinese (the code symbols stay); English comes back after."""
    from lstm_course import i18n

    last_h_only = loop(last_only=True)  # the student's own loop, returning h_T alone

    i18n.set_language("zh", font=False)
    try:
        message = check_lstm_unroll(last_h_only).message
    finally:
        i18n.set_language("en")
    assert "只返回了最后一个 h_t" in message  # MISCONCEPTIONS["last_h_only"]
    assert (
        "你只返回了 h_T，形状是 (3,)。循环的输出是每一步的 h_t，每个输入一行：(4, 3)。" in message
    )
    assert check_lstm_unroll(last_h_only).message.startswith("Only the last h_t returned")
