"""The checks of notebooks 03 and 04 pass the right answers and name the usual mistakes."""

import numpy as np

from lstm_course.exercises.rnn import (
    check_linear_jacobian,
    check_parameter_count,
    check_unroll,
    rnn_parameter_count,
)
from lstm_course.rnn import rnn_cell, rnn_unroll


def _fails_with(feedback, *fragments):
    assert not feedback.passed, feedback
    for fragment in fragments:
        assert fragment in feedback.message, feedback.message


# --- unrolling ------------------------------------------------------------------------------


def test_unroll_passes_the_package_and_a_hand_loop():
    assert check_unroll(rnn_unroll).passed

    def loop(xs, params):
        h_t, hs = np.zeros(params.hidden_size), []
        for x_t in xs:
            h_t = rnn_cell(x_t, h_t, params)
            hs.append(h_t)
        return hs  # a list of arrays is fine

    assert check_unroll(loop).passed


def test_unroll_mistakes_are_named():
    _fails_with(check_unroll(None), "Not answered yet")
    _fails_with(check_unroll(lambda xs, p: rnn_unroll(xs, p)[-1]), "last h_T only")
    _fails_with(
        check_unroll(lambda xs, p: np.vstack([np.zeros(p.hidden_size), rnn_unroll(xs, p)])),
        "h_0 is the starting state",
    )
    _fails_with(
        check_unroll(lambda xs, p: np.stack([rnn_cell(x, np.zeros(p.hidden_size), p) for x in xs])),
        "started from h_0 = 0",
    )
    _fails_with(
        check_unroll(lambda xs, p: rnn_unroll(np.repeat(xs[:1], len(xs), axis=0), p)),
        "read x_1",
    )
    _fails_with(check_unroll(lambda xs, p: rnn_unroll(xs, p).T), "expected")
    _fails_with(check_unroll(lambda xs, p: 1 / 0), "ZeroDivisionError")
    _fails_with(check_unroll(lambda xs, p: None), "returned None")
    _fails_with(check_unroll(lambda xs, p: [[1.0], [1.0, 2.0]]), "returned a list, not an array")
    _fails_with(check_unroll(lambda xs, p: rnn_unroll(xs, p) + 1e-3), "h_1 already differs")


# --- parameter count ------------------------------------------------------------------------


def test_parameter_count():
    assert rnn_parameter_count(1, 3) == 15
    assert check_parameter_count(lambda D, H, T: H * (H + D) + H).passed
    _fails_with(check_parameter_count(None), "Not answered yet")
    _fails_with(check_parameter_count(lambda D, H, T: T * (H * (H + D) + H)), "share one W")
    _fails_with(check_parameter_count(lambda D, H, T: H * (H + D)), "entries of b")
    _fails_with(check_parameter_count(lambda D, H, T: H * D + H), "feed-forward")
    _fails_with(check_parameter_count(lambda D, H, T: H * (H + D) + 2 * H), "two biases")
    _fails_with(check_parameter_count(lambda D, H, T: 7), "expected")


# --- linear Jacobian ------------------------------------------------------------------------


def test_linear_jacobian():
    assert check_linear_jacobian(lambda W, T: np.linalg.matrix_power(W, T)).passed
    _fails_with(check_linear_jacobian(None), "Not answered yet")
    _fails_with(check_linear_jacobian(lambda W, T: W**T), "matrix_power")
    _fails_with(check_linear_jacobian(lambda W, T: T * W), "multiplies them")
    _fails_with(check_linear_jacobian(lambda W, T: np.linalg.matrix_power(W, T).T), "transpose")
    _fails_with(check_linear_jacobian(lambda W, T: np.linalg.matrix_power(W, T - 1)), "power")
    _fails_with(check_linear_jacobian(lambda W, T: np.eye(2)), "shape (2, 2)")
    _fails_with(check_linear_jacobian(lambda W, T: np.zeros_like(W)), "differs from autograd")
    _fails_with(check_linear_jacobian(lambda W, T: None), "returned None")
