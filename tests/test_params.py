"""CellParams: the checks, sizes and initialisers every recurrent cell's parameters share."""

import dataclasses

import numpy as np
import pytest

from lstm_course.lstm import LSTMParams
from lstm_course.params import CellParams
from lstm_course.rnn import RNNParams
from lstm_course.variants import CoupledLSTMParams, GRUParams, PeepholeLSTMParams, TorchGRUParams

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


ALL_CLASSES = [*CLASSES, PeepholeLSTMParams, TorchGRUParams]


def _vector_fields(cls):
    return [name for name, shape in cls.SHAPES.items() if shape == ("hidden",)]


def _matrix_fields(cls):
    return [
        name for name, shape in cls.SHAPES.items() if isinstance(shape, tuple) and len(shape) == 2
    ]


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_a_wrong_bias_is_named_as_the_bias(cls):
    """D = 2, H = 3: each vector field one value too long is reported by its own name."""
    p = cls.zeros(2, 3)
    for name in _vector_fields(cls):
        message = rf"^{name} has shape \(4,\); expected \(3,\) = \(hidden,\)$"
        with pytest.raises(ValueError, match=message):
            dataclasses.replace(p, **{name: np.zeros(4)})


@pytest.mark.parametrize("cls", [c for c in ALL_CLASSES if len(c.SHAPES) > 2])
def test_a_weight_with_a_wrong_row_count_is_named_as_that_weight(cls):
    """Where several fields say H, the odd weight is named (a single W and b: see below)."""
    p = cls.zeros(2, 3)
    for name in _matrix_fields(cls):
        W = getattr(p, name)
        message = rf"^{name} has shape \(2, {W.shape[1]}\); expected \(3, {W.shape[1]}\) = "
        with pytest.raises(ValueError, match=message):
            dataclasses.replace(p, **{name: np.zeros((2, W.shape[1]))})


def test_a_single_block_trusts_W_for_the_hidden_size():
    """RNNParams has one W and one b: W's rows say H, so the bias is the one named."""
    with pytest.raises(ValueError, match=r"^b has shape \(3,\); expected \(2,\) = \(hidden,\)$"):
        RNNParams(np.zeros((2, 5)), np.zeros(3))
    with pytest.raises(ValueError, match=r"^b_C has shape \(3,\); expected \(2,\) = \(hidden,\)$"):
        CoupledLSTMParams(
            np.zeros((2, 4)),
            np.zeros(2),
            np.zeros((2, 4)),
            np.zeros(3),
            np.zeros((2, 4)),
            np.zeros(2),
        )


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_every_class_is_one_idiom(cls):
    """One mixin: sizes, random and zeros, frozen read-only arrays, BLOCKS from SHAPES."""
    p = cls.random(2, 3, np.random.default_rng(0))
    assert (p.input_size, p.hidden_size) == (2, 3)
    assert isinstance(p, CellParams)
    for W_name, b_name in cls.BLOCKS:
        assert getattr(p, W_name).shape == (3, 5) and getattr(p, b_name).shape == (3,)
    same = cls.random(2, 3, np.random.default_rng(0))
    for name in cls.SHAPES:
        value, again = getattr(p, name), getattr(same, name)
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable
            np.testing.assert_array_equal(value, again)


def test_a_nested_parameter_set_must_be_of_its_class():
    with pytest.raises(ValueError, match="lstm must be an LSTMParams; got RNNParams"):
        PeepholeLSTMParams(RNNParams.zeros(2, 3), np.zeros(3), np.zeros(3), np.zeros(3))
