"""Every numpy cell equals its PyTorch twin in float64 to 1e-10: per step, in both directions
of the bridge, and over whole sequences (nn.RNN, nn.LSTM, nn.GRU against the unrolls)."""

import numpy as np
import pytest
import torch
from torch import nn

from lstm_course.lstm import LSTMParams, lstm_cell, lstm_unroll
from lstm_course.rnn import RNNParams, rnn_cell, rnn_unroll
from lstm_course.torch_bridge import (
    gru_params_from_torch,
    gru_params_to_torch,
    lstm_params_from_torch,
    lstm_params_to_torch,
    rnn_params_from_torch,
    rnn_params_to_torch,
)
from lstm_course.variants import GRUParams, TorchGRUParams, gru_cell_torch, gru_unroll

TOL = 1e-10
D, H, T = 3, 4, 12


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def t64(array):
    return torch.tensor(array, dtype=torch.float64)


def as_numpy(tensor):
    return tensor.detach().numpy()


@pytest.mark.parametrize("seed", range(3))
def test_rnn_numpy_to_torch(seed):
    rng = np.random.default_rng(seed)
    p = RNNParams.random(D, H, rng)
    x_t, h_prev = rng.normal(size=D), rng.normal(size=H)
    cell = rnn_params_to_torch(p)
    assert isinstance(cell, nn.RNNCell) and cell.weight_ih.dtype == torch.float64
    expected = as_numpy(cell(t64(x_t)[None], t64(h_prev)[None]))[0]
    np.testing.assert_allclose(rnn_cell(x_t, h_prev, p), expected, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", range(3))
def test_rnn_torch_to_numpy_over_a_sequence(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    module = nn.RNN(D, H).double()
    xs, h0 = rng.normal(size=(T, D)), rng.normal(size=H)
    out, _ = module(t64(xs), t64(h0)[None])
    np.testing.assert_allclose(
        rnn_unroll(xs, rnn_params_from_torch(module), h0), as_numpy(out), rtol=0, atol=TOL
    )
    cell = nn.RNNCell(D, H).double()
    p = rnn_params_from_torch(cell)
    np.testing.assert_allclose(
        rnn_cell(xs[0], h0, p), as_numpy(cell(t64(xs[0])[None], t64(h0)[None]))[0], atol=TOL
    )


@pytest.mark.parametrize("seed", range(3))
def test_lstm_numpy_to_torch_cell(seed):
    rng = np.random.default_rng(seed)
    p = LSTMParams.random(D, H, rng)
    x_t, h_prev, C_prev = rng.normal(size=D), rng.normal(size=H), rng.normal(size=H)
    cell = lstm_params_to_torch(p)
    assert isinstance(cell, nn.LSTMCell) and cell.weight_hh.dtype == torch.float64
    h_t, C_t = cell(t64(x_t)[None], (t64(h_prev)[None], t64(C_prev)[None]))
    step = lstm_cell(x_t, h_prev, C_prev, p)
    np.testing.assert_allclose(step.h_t, as_numpy(h_t)[0], rtol=0, atol=TOL)
    np.testing.assert_allclose(step.C_t, as_numpy(C_t)[0], rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", range(3))
def test_lstm_torch_to_numpy_over_a_sequence(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    module = nn.LSTM(D, H).double()
    xs, h0, C0 = rng.normal(size=(T, D)), rng.normal(size=H), rng.normal(size=H)
    out, (_, C_T) = module(t64(xs), (t64(h0)[None], t64(C0)[None]))
    steps = lstm_unroll(xs, lstm_params_from_torch(module), h0, C0)
    np.testing.assert_allclose(steps.h_t, as_numpy(out), rtol=0, atol=TOL)
    np.testing.assert_allclose(steps.C_t[-1], as_numpy(C_T)[0], rtol=0, atol=TOL)


def test_lstm_round_trip_and_gate_order(rng):
    p = LSTMParams.random(D, H, rng)
    back = lstm_params_from_torch(lstm_params_to_torch(p))
    for name in ("W_f", "b_f", "W_i", "b_i", "W_C", "b_C", "W_o", "b_o"):
        np.testing.assert_array_equal(getattr(back, name), getattr(p, name))
    cell = lstm_params_to_torch(p)
    # PyTorch's rows are i, f, g, o: the forget gate is the second block, h-columns in weight_hh.
    np.testing.assert_array_equal(as_numpy(cell.weight_hh)[H : 2 * H], p.W_f[:, :H])
    np.testing.assert_array_equal(as_numpy(cell.weight_ih)[:H], p.W_i[:, H:])


def test_lstm_from_torch_sums_the_two_biases():
    torch.manual_seed(0)
    cell = nn.LSTMCell(D, H).double()
    p = lstm_params_from_torch(cell)
    expected_b_f = as_numpy(cell.bias_ih)[H : 2 * H] + as_numpy(cell.bias_hh)[H : 2 * H]
    np.testing.assert_array_equal(p.b_f, expected_b_f)


def test_modules_without_bias_give_zero_biases():
    p = lstm_params_from_torch(nn.LSTM(D, H, bias=False))
    np.testing.assert_array_equal(p.b_o, np.zeros(H))


@pytest.mark.parametrize("seed", range(3))
def test_gru_torch_to_numpy_over_a_sequence(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    module = nn.GRU(D, H).double()
    xs, h0 = rng.normal(size=(T, D)), rng.normal(size=H)
    out, _ = module(t64(xs), t64(h0)[None])
    steps = gru_unroll(xs, gru_params_from_torch(module), h0)
    np.testing.assert_allclose(steps.h_t, as_numpy(out), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", range(3))
def test_gru_numpy_to_torch_cell(seed):
    rng = np.random.default_rng(seed)
    p = TorchGRUParams.from_article(GRUParams.random(D, H, rng))
    p = TorchGRUParams(**{**p.__dict__, "b_hn": rng.normal(size=H)})  # a non-zero b_hn too
    x_t, h_prev = rng.normal(size=D), rng.normal(size=H)
    cell = gru_params_to_torch(p)
    assert isinstance(cell, nn.GRUCell) and cell.bias_hh.dtype == torch.float64
    expected = as_numpy(cell(t64(x_t)[None], t64(h_prev)[None]))[0]
    np.testing.assert_allclose(gru_cell_torch(x_t, h_prev, p).h_t, expected, rtol=0, atol=TOL)
    back = gru_params_from_torch(cell)
    for name in ("W_r", "b_r", "W_z", "b_z", "W_in", "b_in", "W_hn", "b_hn"):
        np.testing.assert_array_equal(getattr(back, name), getattr(p, name))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lstm_params_from_torch(nn.GRU(2, 3)), "expected nn.LSTMCell or nn.LSTM; got GRU"),
        (lambda: lstm_params_from_torch(nn.LSTM(2, 3, num_layers=2)), "num_layers=1"),
        (lambda: gru_params_from_torch(nn.GRU(2, 3, bidirectional=True)), "bidirectional=False"),
        (lambda: rnn_params_from_torch(nn.RNN(2, 3, nonlinearity="relu")), "uses relu"),
        (
            lambda: gru_params_to_torch(GRUParams.random(2, 3, np.random.default_rng(0))),
            "takes TorchGRUParams; got GRUParams",
        ),
    ],
)
def test_bridge_errors_are_clear(call, message):
    with pytest.raises(ValueError, match=message):
        call()
