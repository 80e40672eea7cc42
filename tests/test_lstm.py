"""The LSTM cell, equation by equation: PyTorch twins, hand cases, errors, properties."""

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course import worked_example as we
from lstm_course.lstm import (
    LSTMParams,
    LSTMStep,
    candidate,
    forget_gate,
    gate_values_step,
    hidden_state,
    input_gate,
    lstm_cell,
    lstm_unroll,
    output_gate,
    update_cell,
)

TOL = 1e-10


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def torch_layer(activation, W, b, hx):
    return activation(torch.from_numpy(W) @ torch.from_numpy(hx) + torch.from_numpy(b)).numpy()


@pytest.mark.parametrize(
    ("gate", "activation"),
    [
        (forget_gate, torch.sigmoid),
        (input_gate, torch.sigmoid),
        (candidate, torch.tanh),
        (output_gate, torch.sigmoid),
    ],
)
def test_each_layer_equals_its_torch_twin(rng, gate, activation):
    W, b, hx = rng.normal(size=(4, 7)), rng.normal(size=4), rng.normal(size=7)
    np.testing.assert_allclose(gate(hx, W, b), torch_layer(activation, W, b, hx), rtol=0, atol=TOL)


def test_pointwise_equations_equal_torch(rng):
    f_t, C_prev, i_t, C_tilde, o_t = rng.uniform(-1, 1, size=(5, 4))
    T = torch.from_numpy
    expected_C = (T(f_t) * T(C_prev) + T(i_t) * T(C_tilde)).numpy()
    np.testing.assert_allclose(update_cell(f_t, C_prev, i_t, C_tilde), expected_C, rtol=0, atol=TOL)
    expected_h = (T(o_t) * torch.tanh(T(expected_C))).numpy()
    np.testing.assert_allclose(hidden_state(o_t, expected_C), expected_h, rtol=0, atol=TOL)


def test_cell_is_the_six_equations_in_order(rng):
    """Every field against the six equations written independently in torch (float64)."""
    p = LSTMParams.random(3, 4, rng)
    x_t, h_prev, C_prev = rng.normal(size=3), rng.normal(size=4), rng.normal(size=4)
    step = lstm_cell(x_t, h_prev, C_prev, p)
    assert isinstance(step, LSTMStep)
    assert step._fields == ("f_t", "i_t", "C_tilde", "C_t", "o_t", "h_t")
    T = torch.tensor  # a float64 copy of each array
    hx = torch.cat([T(h_prev), T(x_t)])
    f_t = torch.sigmoid(T(p.W_f) @ hx + T(p.b_f))
    i_t = torch.sigmoid(T(p.W_i) @ hx + T(p.b_i))
    C_tilde = torch.tanh(T(p.W_C) @ hx + T(p.b_C))
    C_t = f_t * T(C_prev) + i_t * C_tilde
    o_t = torch.sigmoid(T(p.W_o) @ hx + T(p.b_o))
    h_t = o_t * torch.tanh(C_t)
    for name, expected in zip(step._fields, (f_t, i_t, C_tilde, C_t, o_t, h_t), strict=True):
        np.testing.assert_allclose(getattr(step, name), expected.numpy(), rtol=0, atol=TOL)


def test_the_gate_functions_are_the_cell_s_equations(rng):
    """forget_gate & co. (what notebooks 06-08 call) give the cell's own fields."""
    p = LSTMParams.random(2, 3, rng)
    x_t, h_prev, C_prev = rng.normal(size=2), rng.normal(size=3), rng.normal(size=3)
    step, hx = lstm_cell(x_t, h_prev, C_prev, p), np.concatenate([h_prev, x_t])
    np.testing.assert_allclose(forget_gate(hx, p.W_f, p.b_f), step.f_t, rtol=0, atol=TOL)
    np.testing.assert_allclose(input_gate(hx, p.W_i, p.b_i), step.i_t, rtol=0, atol=TOL)
    np.testing.assert_allclose(candidate(hx, p.W_C, p.b_C), step.C_tilde, rtol=0, atol=TOL)
    np.testing.assert_allclose(output_gate(hx, p.W_o, p.b_o), step.o_t, rtol=0, atol=TOL)
    C_t = update_cell(step.f_t, C_prev, step.i_t, step.C_tilde)
    np.testing.assert_allclose(C_t, step.C_t, rtol=0, atol=TOL)
    np.testing.assert_allclose(hidden_state(step.o_t, C_t), step.h_t, rtol=0, atol=TOL)


def test_gate_values_step_is_the_update_and_the_output_by_hand():
    step = gate_values_step(we.C_prev, 0.0, 1.0, we.DEMO_C_TILDE, 1.0)
    np.testing.assert_array_equal(step.C_t, we.DEMO_C_TILDE)  # overwritten: f = 0, i = 1
    np.testing.assert_array_equal(step.h_t, np.tanh(we.DEMO_C_TILDE))
    kept = gate_values_step(we.C_prev, [1.0, 0.5, 0.0], 0.0, we.DEMO_C_TILDE, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(kept.C_t, [0.5, 0.3, 0.0])
    np.testing.assert_array_equal(kept.h_t, [np.tanh(0.5), np.tanh(0.3), 0.0])
    with pytest.raises(ValueError, match=r"i_t has shape \(2,\); expected \(3,\)"):
        gate_values_step(we.C_prev, 1.0, [0.0, 0.0], we.DEMO_C_TILDE, 1.0)


def test_zero_weights_give_gates_of_exactly_one_half():
    step = lstm_cell(we.x_t, we.h_prev, we.C_prev, LSTMParams.zeros(3, 3))
    for gate in (step.f_t, step.i_t, step.o_t):
        np.testing.assert_array_equal(gate, [0.5, 0.5, 0.5])
    np.testing.assert_array_equal(step.C_tilde, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(step.C_t, 0.5 * we.C_prev)


def test_forget_one_input_zero_keeps_the_cell_state_exactly(rng):
    p = LSTMParams.random(3, 3, rng)
    saturated = dataclasses.replace(
        p, W_f=np.zeros((3, 6)), b_f=np.full(3, 1e4), W_i=np.zeros((3, 6)), b_i=np.full(3, -1e4)
    )
    C_prev = rng.normal(size=3)
    step = lstm_cell(we.x_t, we.h_prev, C_prev, saturated)
    np.testing.assert_array_equal(step.f_t, 1.0)
    np.testing.assert_array_equal(step.i_t, 0.0)
    np.testing.assert_array_equal(step.C_t, C_prev)


def test_worked_example_forget_gate():
    p = dataclasses.replace(LSTMParams.zeros(3, 3), W_f=we.W_f, b_f=we.b_f)
    step = lstm_cell(we.x_t, we.h_prev, we.C_prev, p)
    np.testing.assert_allclose(step.f_t, we.f_t, atol=1e-15)
    np.testing.assert_allclose(step.f_t * we.C_prev, [0.25, 0.06, 0.32], atol=1e-15)


def test_unroll_stacks_every_field_over_time(rng):
    p = LSTMParams.random(2, 3, rng)
    xs = rng.normal(size=(6, 2))
    steps = lstm_unroll(xs, p)
    assert all(field.shape == (6, 3) for field in steps)
    h, C = np.zeros(3), np.zeros(3)
    for t, x_t in enumerate(xs):
        step = lstm_cell(x_t, h, C, p)
        h, C = step.h_t, step.C_t
        np.testing.assert_array_equal(steps.h_t[t], h)
        np.testing.assert_array_equal(steps.C_t[t], C)


def test_sizes_and_random_init(rng):
    p = LSTMParams.random(5, 2, rng)
    assert (p.input_size, p.hidden_size) == (5, 2)
    assert p.W_o.shape == (2, 7)
    assert np.all(np.abs(p.W_C) <= 1 / np.sqrt(2))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda p: dataclasses.replace(p, W_f=np.zeros((3, 3))),
            r"W_f has shape \(3, 3\); expected \(3, 6\) = \(hidden, hidden \+ input\)",
        ),
        (
            lambda p: dataclasses.replace(p, W_i=np.zeros((3, 5))),
            r"W_i has shape \(3, 5\); expected \(3, 6\) = \(hidden, hidden \+ input\)",
        ),
        (
            lambda p: dataclasses.replace(p, b_o=np.zeros(4)),
            r"b_o has shape \(4,\); expected \(3,\) = \(hidden,\)",
        ),
        (
            lambda p: dataclasses.replace(p, W_C=np.zeros(6)),
            r"W_C has shape \(6,\); expected \(hidden, hidden \+ input\)",
        ),
        (lambda p: dataclasses.replace(p, b_f=[np.inf, 0, 0]), "b_f contains non-finite"),
        (
            lambda p: forget_gate(we.hx, np.zeros((3, 3)), we.b_f),
            r"W_f has shape \(3, 3\); expected \(3, 6\) = \(hidden, hidden \+ input\)",
        ),
        (
            lambda p: input_gate(we.hx, np.zeros((3, 6)), np.zeros(2)),
            r"W_i has shape \(3, 6\); expected \(2, 6\)",
        ),
        (
            lambda p: candidate(we.hx[:5], p.W_C, p.b_C),
            r"W_C has shape \(3, 6\); expected \(3, 5\)",
        ),
        (
            lambda p: update_cell(np.zeros(2), we.C_prev, np.zeros(3), np.zeros(3)),
            r"f_t has shape \(2,\); expected \(3,\)",
        ),
        (
            lambda p: hidden_state(np.zeros(3), np.zeros(4)),
            r"o_t has shape \(3,\); expected \(4,\)",
        ),
        (
            lambda p: lstm_cell(we.hx, we.h_prev, we.C_prev, p),
            r"x_t has shape \(6,\); expected \(3,\) = \(input,\)",
        ),
        (
            lambda p: lstm_cell(we.x_t, we.hx, we.C_prev, p),
            r"h_prev has shape \(6,\); expected \(3,\) = \(hidden,\)",
        ),
        (
            lambda p: lstm_cell(we.x_t, we.h_prev, we.C_prev[:2], p),
            r"C_prev has shape \(2,\); expected \(3,\) = \(hidden,\)",
        ),
        (
            lambda p: lstm_cell(we.x_t, we.h_prev, [0.5, np.nan, 0.4], p),
            "C_prev contains non-finite",
        ),
        (lambda p: lstm_unroll(np.zeros((4, 2)), p), r"xs has shape \(4, 2\); expected \(T, 3\)"),
        (
            lambda p: lstm_unroll(np.zeros((4, 3)), p, C0=np.zeros(2)),
            r"C0 has shape \(2,\); expected \(3,\)",
        ),
    ],
)
def test_errors_name_the_symbol_and_both_shapes(call, message):
    p = LSTMParams.random(3, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match=message):
        call(p)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 1e3), st.integers(1, 300))
def test_gates_in_unit_interval_and_h_bounded_over_long_unrolls(seed, scale, steps):
    rng = np.random.default_rng(seed)
    p = LSTMParams(
        **{
            f.name: scale * rng.normal(size=getattr(LSTMParams.zeros(2, 3), f.name).shape)
            for f in dataclasses.fields(LSTMParams)
        }
    )
    out = lstm_unroll(scale * rng.normal(size=(steps, 2)), p)
    for gate in (out.f_t, out.i_t, out.o_t):
        assert np.all((gate >= 0) & (gate <= 1))
    assert np.all(np.abs(out.C_tilde) <= 1)
    assert np.all(np.abs(out.h_t) <= 1)
    assert np.all(np.isfinite(out.C_t))
    assert np.all(
        np.abs(out.C_t) <= np.arange(1, steps + 1)[:, None]
    )  # |C_t| grows at most 1 a step
