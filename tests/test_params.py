"""CellParams: the checks, sizes and initialisers every recurrent cell's parameters share."""

import dataclasses

import numpy as np
import pytest

from lstm_course.lstm import LSTMParams
from lstm_course.rnn import RNNParams
from lstm_course.variants import CoupledLSTMParams, GRUParams

CLASSES = [RNNParams, LSTMParams, CoupledLSTMParams, GRUParams]


@pytest.mark.parametrize("cls", CLASSES)
def test_random_draws_every_block_within_pytorchs_bound(cls):
    p = cls.random(5, 4, np.random.default_rng(0))
    assert (p.input_size, p.hidden_size) == (5, 4)
    for W_name, b_name in cls.BLOCKS:
        W, b = getattr(p, W_name), getattr(p, b_name)
        assert W.shape == (4, 9) and b.shape == (4,)
        assert np.all(np.abs(W) <= 0.5) and np.all(np.abs(b) <= 0.5)
        assert np.std(W) > 0.1  # not constant


@pytest.mark.parametrize("cls", CLASSES)
def test_zeros_and_frozen(cls):
    p = cls.zeros(2, 3)
    W_name, _ = cls.BLOCKS[0]
    assert not getattr(p, W_name).any()
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(p, W_name, np.ones((3, 5)))
    with pytest.raises(ValueError, match="read-only"):
        getattr(p, W_name)[0, 0] = 1.0


@pytest.mark.parametrize("cls", CLASSES[1:])
def test_the_odd_block_is_named(cls):
    p = cls.zeros(2, 3)
    W_name, b_name = cls.BLOCKS[-1]
    with pytest.raises(ValueError, match=rf"{W_name} has shape \(3, 4\); expected \(3, 5\)"):
        dataclasses.replace(p, **{W_name: np.zeros((3, 4))})
    with pytest.raises(ValueError, match=rf"{b_name} contains non-finite"):
        dataclasses.replace(p, **{b_name: [0.0, np.nan, 0.0]})


def test_a_single_block_needs_columns_for_the_input():
    with pytest.raises(ValueError, match=r"W has shape \(3, 3\).*with input ≥ 1"):
        RNNParams(np.zeros((3, 3)), np.zeros(3))


def test_same_seed_same_weights():
    a = LSTMParams.random(3, 3, np.random.default_rng(7))
    b = LSTMParams.random(3, 3, np.random.default_rng(7))
    np.testing.assert_array_equal(a.W_C, b.W_C)
