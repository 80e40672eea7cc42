"""The machinery every check shares: two levels of feedback, errors as sentences, one table."""

import re

import numpy as np
import pytest
import torch

from lstm_course.activations import logit
from lstm_course.exercises import cell_state, checking, gates, neuron, rnn, sequences, sin_cos
from lstm_course.exercises import variants as variant_checks
from lstm_course.exercises.checking import (
    ErrorHints,
    Misconception,
    as_array,
    call_student,
    explain_error,
    named,
    recognised,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, mistake
from lstm_course.i18n import set_language

# one wrong answer per check that matches no named misconception: its fix, if any, is a pointer
WRONG = {
    "check_sigmoid_layer": (neuron.check_sigmoid_layer, (lambda hx, W, b: hx,)),
    "check_cos_guess": (sequences.check_cos_guess, (lambda s: np.ones_like(s),)),
    "check_unroll": (rnn.check_unroll, (lambda xs, p: np.zeros((len(xs), 9)),)),
    "check_parameter_count": (rnn.check_parameter_count, (lambda D, H, T: 0,)),
    "check_linear_jacobian": (rnn.check_linear_jacobian, (lambda W, T: W,)),
    "check_gate_settings": (cell_state.check_gate_settings, (np.ones(3), np.zeros(3))),
    "check_forget_gate": (gates.check_forget_gate, (lambda h, x, W, b: b,)),
    "check_input_gate_and_candidate": (
        gates.check_input_gate_and_candidate,
        (lambda h, x, W_i, b_i, W_C, b_C: (b_i, b_C),),
    ),
    "check_cell_update": (gates.check_cell_update, (lambda f, C, i, C_tilde: C,)),
    "check_output_gate_and_hidden_state": (
        gates.check_output_gate_and_hidden_state,
        (lambda h, x, C, W, b: (b, b),),
    ),
    "check_article_weights": (gates.check_article_weights, (lambda cell: {"W_f": 0},)),
    "check_torch_gru_count": (variant_checks.check_torch_gru_count, (lambda D, H: 1,)),
    "check_third_sequence": (sin_cos.check_third_sequence, (np.arange(20),)),
}
LONGEST_FIX_LINES = 2  # a fix is the line(s) of one mistake, never the whole solution


@pytest.mark.parametrize("name", list(WRONG))
def test_the_fix_comes_only_when_asked_and_is_never_the_whole_solution(name):
    check, args = WRONG[name]
    first = check(*args)
    assert not first.passed and "Fix:" not in first.message
    assert len([line for line in first.fix.splitlines() if line.strip()]) <= LONGEST_FIX_LINES
    second = check(*args, show_fix=True)
    assert not second.passed
    assert second.message.startswith(first.message)
    if first.fix:
        assert second.message.endswith(f"Fix: {first.fix}")
    else:
        assert second.message == first.message


def test_a_named_misconception_carries_its_own_line_of_fix():
    """σ(W * hx + b): the product value by value, named, and its one-line fix on request."""
    feedback = neuron.check_sigmoid_layer(lambda hx, W, b: 1 / (1 + np.exp(-(W * hx + b))))
    assert not feedback.passed and "@" in feedback.fix and "Fix:" not in feedback.message
    shown = neuron.check_sigmoid_layer(
        lambda hx, W, b: 1 / (1 + np.exp(-(W * hx + b))), show_fix=True
    )
    assert shown.message.endswith(f"Fix: {feedback.fix}")


def test_check_cases_judges_each_case_until_the_first_mistake():
    seen = []

    def judge(case):
        seen.append(case)
        return mistake(f"wrong on {case}", fix="right") if case == 2 else None

    failed = checking.check_cases(abs, "abs(x)", [1, 2, 3], judge, "all right")
    assert (failed.passed, failed.message, failed.fix, seen) == (
        False,
        "wrong on 2",
        "right",
        [1, 2],
    )
    assert checking.check_cases(abs, "abs(x)", [1, 3], judge, "all right") == (
        True,
        "all right",
        "",
    )
    missing = checking.check_cases(None, "abs(x)", [1], judge, "all right", fix="use abs")
    assert "Not written yet: define abs(x)" in missing.message and missing.fix == ""
    shown = checking.check_cases(None, "abs(x)", [1], judge, "", show_fix=True, fix="use abs")
    assert "Fix:" not in shown.message  # nothing written yet: nothing to fix


def test_a_passed_check_has_no_fix():
    feedback = gates.check_cell_update(lambda f, C, i, C_tilde: f * C + i * C_tilde, show_fix=True)
    assert feedback.passed and feedback.fix == "" and "Fix" not in feedback.message


def test_named_reads_a_plain_name_or_a_misconception_with_its_hint_and_fix():
    table = {
        "plain": "A plain name",
        "full": Misconception("A full one", hint="look at the bias", fix="b = b_f"),
    }
    assert named("plain", "case 1", "a hint", table) == Feedback(
        False, "A plain name (case 1): a hint", ""
    )
    full = named("full", "case 2", "", table)
    assert full.message == "A full one (case 2): look at the bias" and full.fix == "b = b_f"
    assert full.with_fix().message == "A full one (case 2): look at the bias Fix: b = b_f"


def test_recognised_reads_the_check_s_own_module():
    assert recognised(gates.check_forget_gate) == gates.recognised(gates.check_forget_gate)
    assert (
        recognised(variant_checks.check_torch_gru_count)[0]
        == "One bias a block, as the article writes it"
    )
    with pytest.raises(ValueError, match="tables"):
        recognised("check_forget_gate")


def test_errors_become_sentences_read_once():
    hints = ErrorHints(matmul="M {where}: {error}", broadcast="B {where}: {error}")
    matmul = explain_error(ValueError("matmul: Input operand 1 mismatch"), "here", hints)
    assert matmul.message.startswith("M here: ValueError: matmul")
    broadcast = explain_error(ValueError("could not be broadcast together"), "there", hints)
    assert broadcast.message.startswith("B there: ValueError")
    diagnosed = hints._replace(diagnose=lambda text, where: mistake(f"named at {where}"))
    assert explain_error(ValueError("broadcast"), "x", diagnosed).message == "named at x"
    assert "Not written yet" in explain_error(NotImplementedError(), "x", hints).message
    assert (
        explain_error(KeyError("k"), "x", hints).message
        == "Your function raised KeyError: 'k' (x)."
    )


def test_call_student_copies_and_ends_the_check_in_words():
    data = np.zeros(3)

    def spoil(a):
        a[:] = 1.0
        return a

    assert run_check(lambda: Feedback(True, str(call_student(spoil, (data,), "w")))).passed
    assert not data.any()  # the student's edit did not reach the check's array
    ended = run_check(lambda: call_student(lambda: None, (), "case 3"))
    assert not ended.passed and "returned None (case 3)" in ended.message
    ended = run_check(lambda: as_array({"a": 1}, "f_t", "case 4"))
    assert ended.message == (
        "Your function returned a dict, not an array of numbers: f_t (case 4) is a dict."
    )
    assert as_array(torch.ones(2, dtype=torch.float64), "f_t", "w").tolist() == [1.0, 1.0]


def test_every_topic_module_calls_through_the_one_machinery():
    for module in (cell_state, gates, neuron, rnn, sequences, sin_cos, variant_checks):
        runners = [getattr(module, n, None) for n in ("run_check", "check_cases")]
        assert checking.run_check in runners or checking.check_cases in runners, module.__name__
        assert not hasattr(module, "_explain_error"), module.__name__


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


def test_the_shared_sentences_speak_chinese(in_chinese):
    returned_none = neuron.check_sigmoid_layer(lambda hx, W, b: None, show_fix=True)
    assert CJK.search(returned_none.message)
    assert returned_none.message.startswith("你的函数返回了 None（在文章中的 [h_{t-1}, x_t]上）")
    elementwise = neuron.check_sigmoid_layer(
        lambda hx, W, b: 1 / (1 + np.exp(-(W * hx + b))), show_fix=True
    )
    assert CJK.search(elementwise.message) and "修正：" in elementwise.message
    assert elementwise.fix in elementwise.message and "@" in elementwise.fix  # the fix stays code
    assert neuron.check_sigmoid_layer(None).message.startswith("还没写：先定义 sigmoid_layer")
    assert recognised(neuron.check_sigmoid_layer)[0] == "用了 σ 函数，而不是 sigmoid 神经网络层"
    with pytest.raises(ValueError, match="logit 需要严格介于 0 和 1 之间的值"):
        logit(2.0)
