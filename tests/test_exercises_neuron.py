"""Notebook 01's checks: the sigmoid layer passes the right answer on every seed, names each
recognised misconception with a hint and no code (the fix only on request), and differs by
seed; the neuron prediction answers None, each choice and the known wrong guess."""

import numpy as np
import pytest

from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises.checking import recognised
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.neuron import (
    FIX,
    MISCONCEPTIONS,
    RECOGNISED,
    check_sigmoid_layer,
    layer_cases,
    predict_neuron_output,
)


def reference(hx, W, b):
    return sigmoid(W @ hx + b)


def square_only_transposed(hx, W, b):  # transposed where it fits: the square hidden case
    return sigmoid((W.T if W.shape[0] == W.shape[1] else W) @ hx + b)


# one function with each misconception the check recognises
MISTAKES = {
    "sigma_function": lambda hx, W, b: sigmoid(hx),
    "elementwise_product": lambda hx, W, b: sigmoid(W * hx),
    "wrong_orientation": lambda hx, W, b: sigmoid(hx @ W + b),
    "bias_on_input": lambda hx, W, b: sigmoid(hx + b),
    "bias_missing": lambda hx, W, b: sigmoid(W @ hx),
    "bias_outside": lambda hx, W, b: sigmoid(W @ hx) + b,
    "no_activation": lambda hx, W, b: W @ hx + b,
    "tanh_for_sigma": lambda hx, W, b: tanh(W @ hx + b),
    "relu": lambda hx, W, b: relu(W @ hx + b),
}


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 7])
def test_the_right_layer_passes_on_every_seed(seed):
    feedback = check_sigmoid_layer(reference, seed=seed)
    assert isinstance(feedback, Feedback) and feedback.passed, feedback


def test_the_table_covers_every_recognised_mistake():
    assert set(MISTAKES) == set(RECOGNISED["check_sigmoid_layer"]) == set(MISCONCEPTIONS)
    names = recognised(check_sigmoid_layer)
    assert len(names) == len(MISCONCEPTIONS) and "The bias left out" in names


@pytest.mark.parametrize("key", list(MISTAKES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_misconception_is_named_with_a_hint_and_the_fix_on_request(key, seed):
    feedback = check_sigmoid_layer(MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key].name), feedback.message
    assert FIX not in feedback.message and "Fix:" not in feedback.message
    assert "@" not in feedback.message  # a hint in the article's words, no code
    with_fix = check_sigmoid_layer(MISTAKES[key], show_fix=True, seed=seed)
    assert with_fix.message.endswith(f"Fix: {FIX}")


def test_the_transpose_is_named_where_only_the_values_tell():
    feedback = check_sigmoid_layer(square_only_transposed)
    assert feedback.message.startswith("W used the wrong way round (on a square layer")


@pytest.mark.parametrize(
    ("attempt", "phrase"),
    [
        (lambda hx, W, b: sigmoid(hx), "you applied σ to hx: 6 outputs, expected 3"),
        (lambda hx, W, b: sigmoid(np.dot(hx, W) + b), "W is (3, 6) and hx is (6,)"),
        (lambda hx, W, b: reference(hx, W, b)[:2], "shape (2,)"),
        (lambda hx, W, b: None, "returned None"),
        (lambda hx, W, b: sigmoid(W @ hx + 2 * b), "differs from σ(W·hx + b)"),
        (lambda hx, W, b: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_other_answers_get_a_sentence(attempt, phrase):
    feedback = check_sigmoid_layer(attempt)
    assert not feedback.passed and phrase in feedback.message


def test_not_started_stub_and_not_a_function():
    def stub(hx, W, b):
        raise NotImplementedError()

    assert "Not written yet" in check_sigmoid_layer(None).message
    assert "Not written yet" in check_sigmoid_layer(stub).message
    assert "Pass the function itself" in check_sigmoid_layer(np.zeros(3)).message


def test_hidden_seeds_use_other_sizes_so_the_visible_case_cannot_be_hard_coded():
    visible = [c.W.shape for c in layer_cases(0)]
    for seed in (1, 2, 3):
        shapes = [c.W.shape for c in layer_cases(seed)]
        assert shapes[0] not in visible and shapes[0][0] != shapes[0][1]
        assert shapes[1][0] == 1  # a single neuron
    first = layer_cases(0)[0]
    answer = reference(first.hx, first.W, first.b)
    hard_coded = lambda hx, W, b: answer  # noqa: E731
    assert (
        check_sigmoid_layer(hard_coded, seed=0).message
        != check_sigmoid_layer(hard_coded, seed=1).message
    )
    assert not check_sigmoid_layer(hard_coded, seed=1).passed
    assert layer_cases(1)[0].hx.tolist() != layer_cases(2)[0].hx.tolist()


def test_the_students_arrays_cannot_spoil_the_check():
    def mutating(hx, W, b):
        W[:] = 0.0
        return sigmoid(W @ hx + b)

    assert not check_sigmoid_layer(mutating).passed
    assert check_sigmoid_layer(reference).passed


def test_the_neuron_prediction():
    assert "No prediction yet" in predict_neuron_output.check(None).message
    assert predict_neuron_output.check("below").passed
    above = predict_neuron_output.check("above")
    assert not above.passed and "only when z = w·x + b is positive" in above.message
    assert "Answer one of" in predict_neuron_output.check(0.33).message
    x, w, b = np.array([0.5, -1.0, 2.0]), np.array([0.8, 0.2, -0.5]), 0.1
    assert sigmoid(w @ x + b) < 0.5  # the answer is true
