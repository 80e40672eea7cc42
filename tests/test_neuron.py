"""A neuron and the article's sigmoid layer (6 in -> 3 out) against the σ function (6 -> 6)."""

import numpy as np
import pytest
import torch

from lstm_course import worked_example as we
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.neuron import dense_layer, dense_layer_parts, neuron, neuron_response


def test_neuron_hand_case():
    assert neuron([1.0, 2.0], [0.0, 0.0], 0.0) == 0.5
    assert neuron([1.0, 2.0], [1.0, -1.0], 1.0, relu) == 0.0
    assert neuron([1.0, 2.0], [1.0, 1.0], -3.0, tanh) == 0.0


def test_sigmoid_layer_maps_6_to_3_while_the_function_maps_6_to_6():
    W = np.random.default_rng(0).normal(size=(3, 6))
    assert dense_layer(we.hx, W, np.zeros(3), sigmoid).shape == (3,)
    assert sigmoid(we.hx).shape == (6,)


def test_dense_layer_equals_torch_linear():
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=5), rng.normal(size=(4, 5)), rng.normal(size=4)
    layer = torch.nn.Linear(5, 4).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(W))
        layer.bias.copy_(torch.from_numpy(b))
    expected = torch.sigmoid(layer(torch.from_numpy(x))).detach().numpy()
    np.testing.assert_allclose(dense_layer(x, W, b), expected, rtol=0, atol=1e-12)


def test_neuron_is_one_row_of_a_layer():
    rng = np.random.default_rng(2)
    x, W, b = rng.normal(size=6), rng.normal(size=(3, 6)), rng.normal(size=3)
    rows = [neuron(x, W[k], b[k]) for k in range(3)]
    np.testing.assert_allclose(dense_layer(x, W, b), rows, atol=1e-15)


def test_errors_name_the_symbols():
    with pytest.raises(ValueError, match=r"w has shape \(2,\); expected \(3,\)"):
        neuron(np.zeros(3), np.zeros(2), 0.0)
    with pytest.raises(ValueError, match=r"W has shape \(3, 3\); expected \(3, 6\)"):
        dense_layer(np.zeros(6), np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"W_f has shape \(3, 3\); expected \(3, 6\) = \(hidden"):
        dense_layer(
            np.zeros(6),
            np.zeros((3, 3)),
            np.zeros(3),
            sigmoid,
            ("hx", "W_f", "b_f"),
            "(hidden, hidden + input)",
        )
    with pytest.raises(ValueError, match="b must be an array of numbers|b has shape"):
        neuron(np.zeros(3), np.zeros(3), np.zeros(2))


def test_the_layer_in_two_steps_is_the_layer():
    rng = np.random.default_rng(5)
    x, W, b = rng.normal(size=6), rng.normal(size=(3, 6)), rng.normal(size=3)
    z, y = dense_layer_parts(x, W, b, tanh)
    np.testing.assert_allclose(z, torch.tensor(W) @ torch.tensor(x) + torch.tensor(b), atol=1e-12)
    np.testing.assert_array_equal(y, dense_layer(x, W, b, tanh))
    with pytest.raises(ValueError, match=r"W has shape \(3, 6\); expected \(3, 5\)"):
        dense_layer_parts(x[:5], W, b)


def test_a_one_input_neuron_over_many_inputs():
    xs = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(neuron_response(xs, 2.0, 1.0, relu), [0.0, 1.0, 5.0])
    for x, y in zip(xs, neuron_response(xs, -0.5, 0.25), strict=True):
        assert y == neuron([x], [-0.5], 0.25)
    with pytest.raises(ValueError, match=r"w has shape \(2,\); expected \(\)"):
        neuron_response(xs, np.zeros(2), 0.0)
