"""The sigmoid-layer check recognises each classic mistake and passes the right answer."""

import numpy as np
import pytest

from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.neuron import check_sigmoid_layer


def test_the_right_layer_passes():
    feedback = check_sigmoid_layer(lambda hx, W, b: sigmoid(W @ hx + b))
    assert isinstance(feedback, Feedback) and feedback.passed


@pytest.mark.parametrize(
    ("attempt", "phrase"),
    [
        (lambda hx, W, b: sigmoid(hx), "You applied the σ function: 6 outputs, expected 3"),
        (lambda hx, W, b: sigmoid(W @ hx), "bias is missing"),
        (lambda hx, W, b: sigmoid(W @ hx) + b, "added b after σ"),
        (lambda hx, W, b: tanh(W @ hx + b), "you used tanh"),
        (lambda hx, W, b: relu(W @ hx + b), "you used ReLU"),
        (lambda hx, W, b: W @ hx + b, "no activation"),
        (lambda hx, W, b: sigmoid(hx @ W + b), "Wrong orientation"),
        (lambda hx, W, b: sigmoid(np.dot(hx, W) + b), "Wrong orientation"),
        (  # transposed, but only where it fits: the square hidden case
            lambda hx, W, b: sigmoid((W.T if W.shape[0] == W.shape[1] else W) @ hx + b),
            "wrong orientation: you used W transposed",
        ),
        (lambda hx, W, b: sigmoid(W * hx), "the shape of W"),
        (lambda hx, W, b: sigmoid(hx + b), "add it to W @ hx"),
        (lambda hx, W, b: sigmoid(W @ hx + b)[:2], "shape (2,); expected (3,)"),
        (lambda hx, W, b: None, "returned None"),
        (lambda hx, W, b: sigmoid(W @ hx + 2 * b), "differs from σ(W·hx + b)"),
        (lambda hx, W, b: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_each_mistake_is_named(attempt, phrase):
    feedback = check_sigmoid_layer(attempt)
    assert not feedback.passed
    assert phrase in feedback.message


def test_not_started_and_not_a_function():
    assert "Not written yet" in check_sigmoid_layer(None).message
    assert "Pass the function itself" in check_sigmoid_layer(np.zeros(3)).message


def test_the_students_arrays_cannot_spoil_the_check():
    def mutating(hx, W, b):
        W[:] = 0.0
        return sigmoid(W @ hx + b)

    assert not check_sigmoid_layer(mutating).passed
    assert check_sigmoid_layer(lambda hx, W, b: sigmoid(W @ hx + b)).passed
