"""Notebook 01's checks: the sigmoid layer passes the right answer on every seed, names each
recognised misconception with a hint and no code (the fix only on request), and differs by
seed; the neuron prediction answers None, each choice and the known wrong guess."""

import re

import numpy as np
import pytest

from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises.checking import recognised
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.neuron import (
    FIX,
    MISCONCEPTIONS,
    RECOGNISED,
    TWO_LAYERS_FIX,
    check_sigmoid_layer,
    check_two_layers,
    layer_cases,
    predict_neuron_output,
    two_layer_cases,
)
from lstm_course.i18n import set_language
from lstm_course.neuron import dense_layer


def reference(hx, W, b):
    return sigmoid(W @ hx + b)


def square_only_transposed(hx, W, b):  # transposed where it fits: the square hidden case
    return sigmoid((W.T if W.shape[0] == W.shape[1] else W) @ hx + b)


# one function with each misconception the check recognises
MISTAKES = {
    "sigma_function": lambda hx, W, b: sigmoid(hx),
    "elementwise_product": lambda hx, W, b: sigmoid(W * hx),
    "wrong_orientation": lambda hx, W, b: sigmoid(hx @ W + b),
    "bias_on_input": lambda hx, W, b: sigmoid(W @ (hx + b)),
    # W left out: σ(hx + b) fits only a square layer (elsewhere it fails as a misplaced bias)
    "weights_missing": lambda hx, W, b: (
        sigmoid(hx + b) if W.shape[0] == W.shape[1] else reference(hx, W, b)
    ),
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
    assert set(MISTAKES) == set(RECOGNISED["check_sigmoid_layer"])
    assert set(TWO_LAYER_MISTAKES) == set(RECOGNISED["check_two_layers"])
    assert set(MISTAKES) | set(TWO_LAYER_MISTAKES) == set(MISCONCEPTIONS)
    names = recognised(check_sigmoid_layer)
    assert len(names) == len(MISTAKES) and "The bias left out" in names
    assert "The hidden layer's activation left out" in recognised(check_two_layers)


@pytest.mark.parametrize("key", list(MISTAKES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_misconception_is_named_with_a_hint_and_the_fix_on_request(key, seed):
    feedback = check_sigmoid_layer(MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key].name), feedback.message
    fix = MISCONCEPTIONS[key].fix
    assert fix and fix not in feedback.message and "Fix:" not in feedback.message
    assert "@" not in feedback.message  # a hint in the article's words, no code
    with_fix = check_sigmoid_layer(MISTAKES[key], show_fix=True, seed=seed)
    assert with_fix.message.endswith(f"Fix: {fix}")


@pytest.mark.parametrize("key", list(MISCONCEPTIONS))
def test_no_fix_is_the_whole_solution(key):
    fix = MISCONCEPTIONS[key].fix
    assert "sigmoid(W @ hx + b)" not in fix and "return sigmoid" not in fix
    assert not ("tanh(W_1 @ x + b_1)" in fix and "sigmoid(W_2 @ a + b_2)" in fix)
    assert FIX == "" and TWO_LAYERS_FIX == ""  # a failure naming no misconception: no code


def test_a_failure_naming_no_misconception_gets_a_pointer_not_code():
    feedback = check_sigmoid_layer(lambda hx, W, b: sigmoid(W @ hx + 2 * b), show_fix=True)
    assert "differs from σ(W·hx + b)" in feedback.message and "Fix:" not in feedback.message


def test_the_elementwise_product_is_named_before_the_bias_is_blamed():
    feedback = check_sigmoid_layer(lambda hx, W, b: sigmoid(W * hx + b))
    assert feedback.message.startswith(MISCONCEPTIONS["elementwise_product"].name), feedback
    assert "W's shape (3, 6)" in feedback.message


def test_the_package_answer_is_off_limits():
    layer = check_sigmoid_layer(lambda hx, W, b: dense_layer(hx, W, b, sigmoid))
    assert not layer.passed and "Write it yourself" in layer.message
    network = check_two_layers(
        lambda x, W_1, b_1, W_2, b_2: dense_layer(dense_layer(x, W_1, b_1, tanh), W_2, b_2, sigmoid)
    )
    assert not network.passed and "Write it yourself" in network.message
    assert check_sigmoid_layer(reference).passed  # put back afterwards


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


# --- two layers -------------------------------------------------------------------------------


def two_layers(x, W_1, b_1, W_2, b_2):
    a = tanh(W_1 @ x + b_1)
    return sigmoid(W_2 @ a + b_2)


TWO_LAYER_MISTAKES = {
    "hidden_activation_missing": lambda x, W_1, b_1, W_2, b_2: sigmoid(W_2 @ (W_1 @ x + b_1) + b_2),
    "output_activation_missing": lambda x, W_1, b_1, W_2, b_2: W_2 @ tanh(W_1 @ x + b_1) + b_2,
    "activations_swapped": lambda x, W_1, b_1, W_2, b_2: tanh(W_2 @ sigmoid(W_1 @ x + b_1) + b_2),
    "sigma_in_hidden_layer": lambda x, W_1, b_1, W_2, b_2: sigmoid(
        W_2 @ sigmoid(W_1 @ x + b_1) + b_2
    ),
    "hidden_layer_skipped": lambda x, W_1, b_1, W_2, b_2: sigmoid(W_2 @ x + b_2),
    "layer_reads_wrong_vector": lambda x, W_1, b_1, W_2, b_2: sigmoid(
        W_1 @ tanh(W_2 @ x + b_2) + b_1
    ),
    "biases_swapped": lambda x, W_1, b_1, W_2, b_2: sigmoid(W_2 @ tanh(W_1 @ x + b_2) + b_1),
    "tanh_on_output": lambda x, W_1, b_1, W_2, b_2: tanh(W_2 @ tanh(W_1 @ x + b_1) + b_2),
}


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 7])
def test_the_right_network_passes_on_every_seed(seed):
    assert check_two_layers(two_layers, seed=seed).passed


@pytest.mark.parametrize("key", list(TWO_LAYER_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_two_layer_misconception_is_named_with_a_hint_and_the_fix_on_request(key, seed):
    feedback = check_two_layers(TWO_LAYER_MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key].name), feedback.message
    fix = MISCONCEPTIONS[key].fix
    assert fix not in feedback.message and "@" not in feedback.message
    with_fix = check_two_layers(TWO_LAYER_MISTAKES[key], show_fix=True, seed=seed)
    assert with_fix.message.endswith(f"Fix: {fix}")


def test_other_networks_get_a_sentence():
    def stub(x, W_1, b_1, W_2, b_2):
        raise NotImplementedError()

    assert "Not written yet" in check_two_layers(None).message
    assert "Not written yet" in check_two_layers(stub).message
    hidden_only = check_two_layers(lambda x, W_1, b_1, W_2, b_2: tanh(W_1 @ x + b_1))
    assert "shape (3,)" in hidden_only.message and "expected (2,)" in hidden_only.message
    doubled = check_two_layers(lambda x, *p: two_layers(2 * x, *p))
    assert "differs from σ(W_2·tanh(W_1·x + b_1) + b_2)" in doubled.message


def test_two_layer_seeds_use_other_sizes():
    visible = [c.W_1.shape + c.W_2.shape[:1] for c in two_layer_cases(0)]
    assert visible == [(3, 3, 2), (4, 3, 2)]
    for seed in (1, 2, 3):
        (H, n_square, m), (h_2, n, m_2) = (
            c.W_1.shape + c.W_2.shape[:1] for c in two_layer_cases(seed)
        )
        assert H == n_square and len({n, h_2, m_2}) == 3
        assert (H, n_square, m) not in visible
    answer = two_layers(*two_layer_cases(0)[0][1:])
    assert not check_two_layers(lambda *args: answer, seed=1).passed


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
    feedback = check_sigmoid_layer(lambda hx, W, b: sigmoid(W @ hx))
    assert not feedback.passed and CJK.search(feedback.message)
    assert feedback.message.startswith("漏掉了偏置（在文章中的 [h_{t-1}, x_t]上）：")
    assert "每个神经元在 σ 之前加上自己的 b_k" in feedback.message
