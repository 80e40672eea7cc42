"""Parameter counts: the closed forms against what the numpy params and PyTorch modules hold."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from lstm_course.counting import (
    BLOCKS,
    module_parameter_count,
    parameter_count,
    params_parameter_count,
)
from lstm_course.lstm import LSTMParams
from lstm_course.rnn import RNNParams
from lstm_course.variants import (
    CoupledLSTMParams,
    GRUParams,
    PeepholeLSTMParams,
    TorchGRUParams,
)

sizes = st.integers(min_value=1, max_value=12)

TORCH_MODULES = {
    "rnn": (nn.RNN, nn.RNNCell),
    "lstm": (nn.LSTM, nn.LSTMCell),
    "gru": (nn.GRU, nn.GRUCell),
}
NUMPY_PARAMS = {
    "rnn": RNNParams,
    "lstm": LSTMParams,
    "peephole": PeepholeLSTMParams,
    "coupled": CoupledLSTMParams,
    "gru": GRUParams,
}


# --- hand cases ---------------------------------------------------------------------------


def test_article_sizes_d3_h3():
    # The worked example: D = H = 3, so each block is 3×6 + 3 = 21 numbers.
    assert parameter_count("rnn", 3, 3).total == 21
    assert parameter_count("lstm", 3, 3).total == 84
    assert parameter_count("gru", 3, 3).total == 63
    assert parameter_count("coupled", 3, 3).total == 63
    assert parameter_count("peephole", 3, 3).total == 84 + 9
    assert parameter_count("peephole", 3, 3, peepholes="full").total == 84 + 27


def test_article_experiment_lstm_1_16_plus_linear_is_1233():
    # COURSE.md: nn.LSTM(1, 16) + nn.Linear(16, 1) has 1,233 parameters.
    lstm = parameter_count("lstm", 1, 16, torch_biases=True).total
    assert lstm + 16 + 1 == 1233


def test_lstm_to_gru_ratio_is_four_to_three():
    lstm, gru = parameter_count("lstm", 5, 7), parameter_count("gru", 5, 7)
    assert (lstm.blocks, gru.blocks) == (4, 3)
    assert lstm.total * 3 == gru.total * 4


def test_fields_add_up():
    count = parameter_count("peephole", 2, 4, peepholes="full")
    assert count.weights == 4 * 4 * 6
    assert count.biases == 4 * 4
    assert count.peepholes == 3 * 4 * 4
    assert count.total == count.weights + count.biases + count.peepholes
    assert (count.cell, count.input_size, count.hidden_size) == ("peephole", 2, 4)


def test_torch_biases_add_one_bias_per_block():
    for cell in ("rnn", "lstm", "gru"):
        article = parameter_count(cell, 4, 5)
        torch_count = parameter_count(cell, 4, 5, torch_biases=True)
        assert torch_count.total - article.total == BLOCKS[cell] * 5


# --- equivalence: closed form == what the modules and params hold ----------------------------


@settings(max_examples=25, deadline=None)
@given(D=sizes, H=sizes)
def test_closed_form_matches_pytorch_modules(D, H):
    for cell, (sequence_module, cell_module) in TORCH_MODULES.items():
        expected = parameter_count(cell, D, H, torch_biases=True).total
        assert module_parameter_count(sequence_module(D, H)) == expected
        assert module_parameter_count(cell_module(D, H)) == expected


@settings(max_examples=25, deadline=None)
@given(D=sizes, H=sizes)
def test_closed_form_matches_numpy_params(D, H):
    rng = np.random.default_rng(0)
    for cell, params_type in NUMPY_PARAMS.items():
        params = params_type.random(D, H, rng)
        assert params_parameter_count(params) == parameter_count(cell, D, H).total, cell


def test_torch_gru_params_hold_four_free_biases_per_unit():
    # r and z biases are summed (redundant pairs); b_in and b_hn stay apart: 4·H, not 6·H.
    rng = np.random.default_rng(1)
    D, H = 3, 5
    torch_params = TorchGRUParams.from_article(GRUParams.random(D, H, rng))
    weights = parameter_count("gru", D, H).weights
    assert params_parameter_count(torch_params) == weights + 4 * H


def test_module_count_of_bias_free_lstm():
    assert (
        module_parameter_count(nn.LSTM(2, 3, bias=False)) == parameter_count("lstm", 2, 3).weights
    )


def test_module_count_of_a_float64_cell_is_unchanged():
    module = nn.GRUCell(2, 3).to(torch.float64)
    assert module_parameter_count(module) == parameter_count("gru", 2, 3, torch_biases=True).total


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("lstn", 3, 3), {}, "cell must be one of"),
        (("lstm", 0, 3), {}, "input_size must be a whole number ≥ 1; got 0"),
        (("lstm", 3, 2.5), {}, "hidden_size must be a whole number ≥ 1; got 2.5"),
        (("lstm", True, 3), {}, "input_size must be a whole number"),
        (("peephole", 3, 3), {"torch_biases": True}, "PyTorch has no peephole LSTM module"),
        (("coupled", 3, 3), {"torch_biases": True}, "PyTorch has no coupled LSTM module"),
        (("lstm", 3, 3), {"peepholes": "full"}, "only applies to the peephole LSTM"),
        (("peephole", 3, 3), {"peepholes": "some"}, 'peepholes must be "diagonal" or "full"'),
    ],
)
def test_bad_arguments_raise(args, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parameter_count(*args, **kwargs)


def test_params_count_rejects_non_params():
    with pytest.raises(ValueError, match="params must be a parameter dataclass; got dict"):
        params_parameter_count({"W": np.zeros((3, 6))})


def test_module_count_rejects_non_modules():
    with pytest.raises(ValueError, match="module must be a torch.nn.Module; got list"):
        module_parameter_count([1, 2])
