"""Grade (an exercise's graded cell) and Prediction (predict before you run), unit by unit."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.exercises.grading import Grade, TimeLimitExceeded, run_with_time_limit
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import set_language


def check_double(double, show_fix: bool = False, seed: int = 0) -> Feedback:
    """A tiny check in the course's pattern: double(x) == 2x on a case drawn from the seed."""
    x = float(np.random.default_rng(seed).integers(1, 100))
    try:
        got = double(x)
    except NotImplementedError:
        return mistake("Not written yet: replace the `raise NotImplementedError`.")
    if got == 2 * x:
        return correct("Correct: twice x.")
    if got == x * x:
        return mistake("Squared, not doubled: 2x adds x to itself.", fix="return 2 * x")
    return mistake("Not twice x.", fix="return 2 * x")


def stub(x):
    raise NotImplementedError()


# --- Grade -------------------------------------------------------------------------------------


def test_right_answer_earns_every_point(capsys):
    grade = Grade("99-double", points=3)
    grade(check_double, lambda x: 2 * x)
    grade(check_double, lambda x: 2 * x, seed=1)
    assert grade.passed and grade.points() == 3.0
    out = capsys.readouterr()
    assert out.out == "✅ Correct: twice x.\n99-double: 3 of 3 points\n"  # one verdict, not two
    assert out.err == ""  # nbgrader scores a cell with any stderr 0


def test_a_misconception_is_named_and_scores_zero(capsys):
    grade = Grade("99-double", points=2)
    verdict = grade(check_double, lambda x: x * x)
    assert not verdict.passed and not grade.passed
    assert grade.points() == 0.0
    out = capsys.readouterr().out
    assert "Squared, not doubled" in out and "99-double: 0 of 2 points" in out
    assert "return 2 * x" not in out  # the fix only on request


def test_after_a_failure_the_other_checks_are_skipped(capsys):
    calls = []

    def counted(x):
        calls.append(x)
        return x * x

    grade = Grade("99-double", points=2)
    first = grade(check_double, counted)
    assert grade(check_double, counted, seed=1) is first
    assert len(calls) == 1
    assert capsys.readouterr().out.count("Squared") == 1


def test_a_hidden_case_catches_a_hard_coded_answer():
    visible = float(np.random.default_rng(0).integers(1, 100))
    grade = Grade("99-double", points=2)
    grade(check_double, lambda x: 2 * visible)
    assert grade.passed
    grade(check_double, lambda x: 2 * visible, seed=1)
    assert not grade.passed and grade.points() == 0.0


def test_a_stub_says_not_written_yet(capsys):
    grade = Grade("99-double", points=1)
    grade(check_double, stub)
    assert grade.points() == 0.0
    assert "Not written yet" in capsys.readouterr().out


def test_a_loop_is_stopped_by_the_time_limit(capsys):
    def forever(x):
        while True:
            pass

    grade = Grade("99-double", points=2, time_limit_s=0.2)
    start = time.perf_counter()
    verdict = grade(check_double, forever)
    assert time.perf_counter() - start < 5
    assert not verdict.passed and "ran for more than 0.2 s" in verdict.message
    assert grade.points() == 0.0
    assert capsys.readouterr().err == ""


def test_a_check_that_raises_is_a_verdict_not_a_crash(capsys):
    def broken_check(answer, show_fix=False, seed=0):
        raise KeyError("case")

    grade = Grade("99-double", points=2)
    verdict = grade(broken_check, lambda x: 2 * x)
    assert not verdict.passed
    assert "The check could not run your answer: KeyError" in verdict.message
    assert grade.points() == 0.0


def test_a_check_must_return_feedback():
    grade = Grade("99-double", points=1)
    with pytest.raises(TypeError, match="not a Feedback"):
        grade(lambda answer: True, None)


def test_no_check_run_is_not_a_pass():
    grade = Grade("99-double", points=1)
    assert not grade.passed and grade.points() == 0.0


@pytest.mark.parametrize("points", [0, -1])
def test_points_must_be_positive(points):
    with pytest.raises(ValueError, match="points must be positive"):
        Grade("99-double", points=points)


def test_the_time_limit_restores_the_previous_alarm_handler():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    assert run_with_time_limit(lambda: 7, 1.0) == 7
    with pytest.raises(TimeLimitExceeded):
        run_with_time_limit(lambda: time.sleep(5), 0.1)
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_exceeded_escapes_a_checks_except_exception():
    assert not issubclass(TimeLimitExceeded, Exception)


# --- Prediction --------------------------------------------------------------------------------

WHICH_UNIT = Prediction(
    question="Which unit of C_t changes most when f_t[2] goes from 0 to 1?",
    answer=2,
    choices=(0, 1, 2),
    wrong={0: "f_t[2] multiplies only the third unit of C_{t-1}."},
    hint="⊙ works value by value.",
)


def test_no_prediction_yet_lists_the_choices():
    verdict = WHICH_UNIT.check(None)
    assert not verdict.passed
    assert verdict.message.startswith("No prediction yet") and "one of 0, 1, 2" in verdict.message


def test_the_right_prediction_does_not_explain():
    verdict = WHICH_UNIT.check(2)
    assert verdict.passed and "Run the next cell" in verdict.message


def test_a_known_wrong_prediction_names_its_misconception():
    verdict = WHICH_UNIT.check(0)
    assert not verdict.passed and "only the third unit" in verdict.message


def test_another_wrong_prediction_gets_the_general_hint():
    verdict = WHICH_UNIT.check(1)
    assert not verdict.passed
    assert "value by value" in verdict.message and "third unit" not in verdict.message


def test_an_answer_outside_the_choices_is_refused():
    verdict = WHICH_UNIT.check(7)
    assert not verdict.passed and verdict.message == "Answer one of 0, 1, 2; got 7."


def test_numbers_within_the_tolerance_count_as_right():
    average = Prediction(question="The average of sin over a period?", answer=0.0, tolerance=0.01)
    assert average.check(0.005).passed
    assert not average.check(0.5).passed
    assert "Not what happens." in average.check(0.5).message


def test_no_choices_and_no_hint():
    prediction = Prediction(question="How many?", answer=3)
    assert prediction.check(None).message.startswith(
        "No prediction yet: set my_prediction to your answer and run this cell"
    )
    assert prediction.check(4).message == "Not what happens. Run the next cell to see."


def test_arrays_are_compared_value_by_value():
    shape = Prediction(question="Which units?", answer=np.array([0, 2]))
    assert shape.check(np.array([0, 2])).passed
    assert not shape.check(np.array([0, 1])).passed


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


def test_grade_and_prediction_speak_chinese(in_chinese, capsys):
    grade = Grade("01-sigmoid-layer", points=2)
    grade(lambda answer: mistake("x"), None)
    assert grade.points() == 0
    assert "01-sigmoid-layer：0 / 2 分" in capsys.readouterr().out
    question = Prediction(question="Which?", answer=1, choices=(0, 1))
    assert question.check(None).message.startswith("还没有预测：把 my_prediction 设为 0, 1 之一")
    assert question.check(1).message == "你的预测是对的。运行下一个单元格，看看为什么。"
