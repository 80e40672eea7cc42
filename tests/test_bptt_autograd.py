"""bptt_autograd (nn.RNN / nn.LSTM + backward) against the independent per-cell autograd of
tests/test_bptt.py's reference and against the numpy backward passes."""

import numpy as np
import pytest

from lstm_course.bptt import lstm_unroll_backward, rnn_unroll_backward
from lstm_course.bptt_autograd import largest_difference, lstm_autograd, rnn_autograd
from lstm_course.lstm import LSTMParams
from lstm_course.rnn import RNNParams


@pytest.mark.parametrize("T", [1, 50])
def test_autograd_through_the_sequence_modules_equals_numpy_bptt(T):
    rng = np.random.default_rng(T)
    xs, dhs, h0, C0 = rng.normal(size=(T, 3)), rng.normal(size=(T, 4)), *rng.normal(size=(2, 4))
    lstm, rnn = LSTMParams.random(3, 4, rng), RNNParams.random(3, 4, rng)
    assert (
        largest_difference(
            lstm_unroll_backward(xs, lstm, dhs, h0, C0), lstm_autograd(xs, lstm, dhs, h0, C0)
        )
        < 1e-10
    )
    assert (
        largest_difference(rnn_unroll_backward(xs, rnn, dhs, h0), rnn_autograd(xs, rnn, dhs, h0))
        < 1e-10
    )


def test_largest_difference_sees_every_field_and_refuses_mixed_types():
    rng = np.random.default_rng(0)
    xs, dhs = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    params = RNNParams.random(2, 3, rng)
    ours = rnn_unroll_backward(xs, params, dhs)
    assert largest_difference(ours, ours) == 0.0
    assert largest_difference(ours, ours._replace(dh0=ours.dh0 + 0.5)) == 0.5
    with pytest.raises(ValueError, match="compare like with like"):
        largest_difference(ours, lstm_unroll_backward(xs, LSTMParams.random(2, 3, rng), dhs))
    with pytest.raises(ValueError, match=r"dhs has shape \(4, 2\); expected \(4, 3\)"):
        lstm_autograd(xs, LSTMParams.random(2, 3, rng), dhs[:, :2])
