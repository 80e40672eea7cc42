"""forbidding: the package's answer is off-limits while a check runs the student's function."""

import numpy as np
import pytest

import lstm_course.rnn
from lstm_course.exercises.forbidding import PackageAnswerUsedError, forbidden
from lstm_course.rnn import rnn_unroll as unroll_under_another_name

ANSWER = {"lstm_course.rnn.rnn_unroll": "the RNN unrolled over a sequence"}


def uses_the_package(xs, params):
    return unroll_under_another_name(xs, params)


def uses_the_module(xs, params):
    return lstm_course.rnn.rnn_unroll(xs, params)


def writes_its_own(xs, params):
    return np.zeros(3)


@pytest.mark.parametrize("student", [uses_the_package, uses_the_module])
def test_calling_the_package_answer_raises_a_sentence_naming_it(student):
    original = lstm_course.rnn.rnn_unroll
    with forbidden(student, ANSWER), pytest.raises(PackageAnswerUsedError, match="rnn_unroll"):
        student(None, None)
    # put back, in the module and under the student's own name
    assert lstm_course.rnn.rnn_unroll is original
    assert unroll_under_another_name is original


def test_a_function_that_writes_its_own_runs_untouched():
    with forbidden(writes_its_own, ANSWER):
        assert writes_its_own(None, None).shape == (3,)


def test_everything_is_put_back_when_the_student_raises():
    original = lstm_course.rnn.rnn_unroll

    def raises(xs, params):
        raise ValueError("the student's own error")

    with pytest.raises(ValueError), forbidden(raises, ANSWER):
        raises(None, None)
    assert lstm_course.rnn.rnn_unroll is original


def test_the_package_function_passed_as_the_answer_itself_is_caught():
    """``my_rnn_unroll = rnn_unroll``: the student's function IS the package's."""
    with forbidden(unroll_under_another_name, ANSWER), pytest.raises(PackageAnswerUsedError):
        unroll_under_another_name(None, None)
    xs = np.zeros((2, 1))
    params = lstm_course.rnn.RNNParams(np.zeros((1, 2)), np.zeros(1))
    assert unroll_under_another_name(xs, params).shape == (2, 1)  # works again afterwards


def test_a_method_named_module_class_method_is_forbidden_too():
    from lstm_course.data import LAYOUTS, Layout

    article = LAYOUTS["article"]
    answers = {"lstm_course.data.Layout.indices": "the time indices of a layout"}
    with forbidden(None, answers):
        with pytest.raises(PackageAnswerUsedError, match="Layout.indices"):
            article.indices(10)  # through an instance, a bound method
        with pytest.raises(PackageAnswerUsedError):
            Layout.indices(article, 10)  # through the class
    assert article.indices(10).shape == (2, 5)  # put back
