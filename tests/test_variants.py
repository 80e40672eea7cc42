"""Peephole, coupled and GRU cells: reductions to the plain LSTM, hand cases, the GRU gap."""

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course import worked_example as we
from lstm_course.lstm import LSTMParams, lstm_cell
from lstm_course.torch_bridge import gru_params_to_torch, lstm_params_to_torch
from lstm_course.variants import (
    CoupledLSTMParams,
    GRUParams,
    PeepholeLSTMParams,
    TorchGRUParams,
    coupled_lstm_cell,
    gru_cell,
    gru_cell_torch,
    gru_unroll,
    peephole_lstm_cell,
)

TOL = 1e-10


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_zero_peepholes_are_the_plain_lstm(rng):
    p = LSTMParams.random(3, 3, rng)
    zero = np.zeros(3)
    peep = peephole_lstm_cell(we.x_t, we.h_prev, we.C_prev, PeepholeLSTMParams(p, zero, zero, zero))
    plain = lstm_cell(we.x_t, we.h_prev, we.C_prev, p)
    for a, b in zip(peep, plain, strict=True):
        np.testing.assert_array_equal(a, b)


def test_peephole_equals_the_articles_concatenated_form(rng):
    """σ(W·[C, h, x] + b) with a diagonal C-block is the peephole gate."""
    q = PeepholeLSTMParams.random(3, 3, rng)
    p = q.lstm
    step = peephole_lstm_cell(we.x_t, we.h_prev, we.C_prev, q)
    chx = torch.tensor(np.concatenate([we.C_prev, we.h_prev, we.x_t]))
    W_f_full = torch.tensor(np.hstack([np.diag(q.p_f), p.W_f]))
    f_t = torch.sigmoid(W_f_full @ chx + torch.tensor(p.b_f)).numpy()
    np.testing.assert_allclose(step.f_t, f_t, rtol=0, atol=TOL)
    chx_new = torch.tensor(np.concatenate([step.C_t, we.h_prev, we.x_t]))
    W_o_full = torch.tensor(np.hstack([np.diag(q.p_o), p.W_o]))
    o_t = torch.sigmoid(W_o_full @ chx_new + torch.tensor(p.b_o)).numpy()
    np.testing.assert_allclose(step.o_t, o_t, rtol=0, atol=TOL)


def test_peephole_gates_see_the_cell_state(rng):
    q = PeepholeLSTMParams(LSTMParams.zeros(3, 3), np.ones(3), np.zeros(3), np.zeros(3))
    step = peephole_lstm_cell(we.x_t, we.h_prev, we.C_prev, q)
    np.testing.assert_allclose(step.f_t, 1 / (1 + np.exp(-we.C_prev)), atol=1e-15)


def test_coupled_writes_what_it_forgets(rng):
    """Hand arithmetic: W = 0 and b_f = logit(f) give f_t = f; C̃_t = tanh(b_C) exactly."""
    f, b_C = np.array([0.25, 0.5, 0.9]), np.array([0.3, -0.2, 1.0])
    zero = np.zeros((3, 6))
    p = CoupledLSTMParams(zero, np.log(f / (1 - f)), zero, b_C, zero, np.zeros(3))
    step = coupled_lstm_cell(we.x_t, we.h_prev, we.C_prev, p)
    np.testing.assert_allclose(step.f_t, f, rtol=0, atol=1e-15)
    np.testing.assert_allclose(step.i_t, 1 - f, rtol=0, atol=1e-15)
    expected = f * we.C_prev + (1 - f) * np.tanh(b_C)  # [0.5·0.25 + 0.75·tanh 0.3, …]
    np.testing.assert_allclose(step.C_t, expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(step.h_t, 0.5 * np.tanh(expected), rtol=0, atol=1e-15)


# --- Independent PyTorch twins of the two cells PyTorch has no module for -------------------
# A few lines of torch written from the equations (not from the numpy code), in float64 and
# autograd-ready: equal to the numpy cells to 1e-10, and, where the variant reduces to the
# plain LSTM, equal to nn.LSTMCell in value and in every gradient.


def T(array):
    return torch.tensor(array, dtype=torch.float64, requires_grad=True)


def peephole_twin(x, h, C, W_f, b_f, W_i, b_i, W_C, b_C, W_o, b_o, p_f, p_i, p_o):
    hx = torch.cat([h, x])
    f = torch.sigmoid(W_f @ hx + p_f * C + b_f)
    i = torch.sigmoid(W_i @ hx + p_i * C + b_i)
    g = torch.tanh(W_C @ hx + b_C)
    C_new = f * C + i * g
    o = torch.sigmoid(W_o @ hx + p_o * C_new + b_o)
    return f, i, g, C_new, o, o * torch.tanh(C_new)


def coupled_twin(x, h, C, W_f, b_f, W_C, b_C, W_o, b_o):
    hx = torch.cat([h, x])
    f = torch.sigmoid(W_f @ hx + b_f)
    g = torch.tanh(W_C @ hx + b_C)
    C_new = f * C + (1 - f) * g
    o = torch.sigmoid(W_o @ hx + b_o)
    return f, 1 - f, g, C_new, o, o * torch.tanh(C_new)


def _peephole_arrays(q):
    p = q.lstm
    return (p.W_f, p.b_f, p.W_i, p.b_i, p.W_C, p.b_C, p.W_o, p.b_o, q.p_f, q.p_i, q.p_o)


@pytest.mark.parametrize(("D", "H"), [(3, 3), (2, 5), (6, 1)])
def test_peephole_equals_its_torch_twin(rng, D, H):
    q = PeepholeLSTMParams.random(D, H, rng)
    x, h, C = rng.normal(size=D), rng.normal(size=H), rng.normal(0, 2, size=H)
    step = peephole_lstm_cell(x, h, C, q)
    twin = peephole_twin(T(x), T(h), T(C), *map(T, _peephole_arrays(q)))
    for name, value in zip(step._fields, twin, strict=True):
        np.testing.assert_allclose(getattr(step, name), value.detach().numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize(("D", "H"), [(3, 3), (2, 5), (6, 1)])
def test_coupled_equals_its_torch_twin(rng, D, H):
    p = CoupledLSTMParams.random(D, H, rng)
    x, h, C = rng.normal(size=D), rng.normal(size=H), rng.normal(0, 2, size=H)
    step = coupled_lstm_cell(x, h, C, p)
    arrays = (p.W_f, p.b_f, p.W_C, p.b_C, p.W_o, p.b_o)
    twin = coupled_twin(T(x), T(h), T(C), *map(T, arrays))
    for name, value in zip(step._fields, twin, strict=True):
        np.testing.assert_allclose(getattr(step, name), value.detach().numpy(), rtol=0, atol=TOL)


def _grads(outputs, inputs):
    """d(Σ h_t + Σ C_t)/d(each input), by autograd."""
    h_t, C_t = outputs
    return torch.autograd.grad(h_t.sum() + 2.0 * C_t.sum(), inputs)


def test_the_twins_are_nn_lstmcell_where_the_variants_reduce_to_it(rng):
    """Zero peepholes, and a coupled cell read as an LSTM with W_i = −W_f, b_i = −b_f: the
    twins equal nn.LSTMCell in h_t, C_t and every gradient (inputs and state) to 1e-10."""
    D, H = 3, 4
    p = LSTMParams.random(D, H, rng)
    x, h, C = rng.normal(size=D), rng.normal(size=H), rng.normal(size=H)
    zero = np.zeros(H)
    cases = {
        "peephole": (
            p,
            lambda xs: peephole_twin(
                *xs, *map(T, _peephole_arrays(PeepholeLSTMParams(p, zero, zero, zero)))
            ),
        ),
        "coupled": (
            dataclasses.replace(p, W_i=-p.W_f, b_i=-p.b_f),
            lambda xs: coupled_twin(*xs, *map(T, (p.W_f, p.b_f, p.W_C, p.b_C, p.W_o, p.b_o))),
        ),
    }
    for name, (as_lstm, twin) in cases.items():
        inputs = (T(x), T(h), T(C))
        _, _, _, C_twin, _, h_twin = twin(inputs)
        cell = lstm_params_to_torch(as_lstm)
        module_inputs = tuple(T(v[None]) for v in (x, h, C))
        h_mod, C_mod = cell(module_inputs[0], (module_inputs[1], module_inputs[2]))
        h_module, C_module = h_mod.detach().numpy()[0], C_mod.detach().numpy()[0]
        np.testing.assert_allclose(h_twin.detach().numpy(), h_module, atol=TOL, err_msg=name)
        np.testing.assert_allclose(C_twin.detach().numpy(), C_module, atol=TOL, err_msg=name)
        for twin_grad, module_grad in zip(
            _grads((h_twin, C_twin), inputs),
            _grads((h_mod, C_mod), module_inputs),
            strict=True,
        ):
            np.testing.assert_allclose(
                twin_grad.numpy(), module_grad.numpy()[0], rtol=0, atol=TOL, err_msg=name
            )


def test_numpy_cells_have_the_twins_gradients(rng):
    """The numpy cells' central differences agree with the twins' autograd Jacobians."""
    D, H, eps = 3, 4, 1e-6
    q = PeepholeLSTMParams.random(D, H, rng)
    c = CoupledLSTMParams.random(D, H, rng)
    x, h, C = rng.normal(size=D), rng.normal(size=H), rng.normal(size=H)
    cells = {
        "peephole": (
            lambda x_: peephole_lstm_cell(x_, h, C, q).h_t,
            lambda x_: peephole_twin(x_, T(h), T(C), *map(T, _peephole_arrays(q)))[5],
        ),
        "coupled": (
            lambda x_: coupled_lstm_cell(x_, h, C, c).h_t,
            lambda x_: coupled_twin(
                x_, T(h), T(C), *map(T, (c.W_f, c.b_f, c.W_C, c.b_C, c.W_o, c.b_o))
            )[5],
        ),
    }
    for name, (numpy_cell, twin) in cells.items():
        autograd = torch.autograd.functional.jacobian(twin, torch.tensor(x)).numpy()
        numeric = np.stack(
            [(numpy_cell(x + eps * e) - numpy_cell(x - eps * e)) / (2 * eps) for e in np.eye(D)],
            axis=1,
        )
        np.testing.assert_allclose(numeric, autograd, rtol=0, atol=1e-8, err_msg=name)


def test_coupled_is_the_lstm_with_input_gate_tied_to_one_minus_f(rng):
    p = LSTMParams.random(3, 3, rng)
    coupled = coupled_lstm_cell(we.x_t, we.h_prev, we.C_prev, CoupledLSTMParams.from_lstm(p))
    # An LSTM whose input gate happens to equal 1 − f_t: W_i = −W_f, b_i = −b_f (σ(−z) = 1 − σ(z)).
    tied = dataclasses.replace(p, W_i=-p.W_f, b_i=-p.b_f)
    plain = lstm_cell(we.x_t, we.h_prev, we.C_prev, tied)
    np.testing.assert_allclose(coupled.C_t, plain.C_t, rtol=0, atol=TOL)
    np.testing.assert_allclose(coupled.h_t, plain.h_t, rtol=0, atol=TOL)


def test_article_gru_equals_its_equations_in_torch(rng):
    p = GRUParams.random(3, 4, rng)
    x_t, h_prev = rng.normal(size=3), rng.normal(size=4)
    T = torch.tensor
    hx = T(np.concatenate([h_prev, x_t]))
    z = torch.sigmoid(T(p.W_z) @ hx + T(p.b_z))
    r = torch.sigmoid(T(p.W_r) @ hx + T(p.b_r))
    h_tilde = torch.tanh(T(p.W_h) @ torch.cat([r * T(h_prev), T(x_t)]) + T(p.b_h))
    h_t = (1 - z) * T(h_prev) + z * h_tilde
    step = gru_cell(x_t, h_prev, p)
    np.testing.assert_allclose(step.h_t, h_t.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(step.h_tilde, h_tilde.numpy(), rtol=0, atol=TOL)


def test_article_gru_and_pytorch_gru_differ_on_the_same_weights(rng):
    article = GRUParams.random(3, 4, rng)
    same_weights = TorchGRUParams.from_article(article)
    xs = rng.normal(size=(20, 3))
    gap = np.max(np.abs(gru_unroll(xs, article).h_t - gru_unroll(xs, same_weights).h_t))
    assert gap > 0.05  # measured: the conventions give visibly different states
    # ...and PyTorch's nn.GRUCell agrees with the PyTorch convention, not the article's.
    cell = gru_params_to_torch(same_weights)
    h = torch.zeros(1, 4, dtype=torch.float64)
    h = cell(torch.tensor(xs[0])[None], h)
    torch_h = h.detach().numpy()[0]
    np.testing.assert_allclose(
        gru_cell_torch(xs[0], np.zeros(4), same_weights).h_t, torch_h, atol=TOL
    )
    assert np.max(np.abs(gru_cell(xs[0], np.zeros(4), article).h_t - torch_h)) > 1e-3


def test_gru_update_gate_meaning_is_flipped(rng):
    """z = 1 keeps h_{t-1} in PyTorch's GRU and replaces it in the article's."""
    article = dataclasses.replace(
        GRUParams.random(3, 3, rng), W_z=np.zeros((3, 6)), b_z=np.full(3, 1e4)
    )
    same = TorchGRUParams.from_article(article)
    np.testing.assert_allclose(gru_cell_torch(we.x_t, we.h_prev, same).h_t, we.h_prev, atol=1e-12)
    step = gru_cell(we.x_t, we.h_prev, article)
    np.testing.assert_allclose(step.h_t, step.h_tilde, atol=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: PeepholeLSTMParams(
                LSTMParams.zeros(3, 3), np.zeros(2), np.zeros(3), np.zeros(3)
            ),
            r"p_f has shape \(2,\); expected \(3,\)",
        ),
        (
            lambda: PeepholeLSTMParams("weights", np.zeros(3), np.zeros(3), np.zeros(3)),
            "lstm must be an LSTMParams",
        ),
        (
            lambda: CoupledLSTMParams.from_lstm(LSTMParams.zeros(3, 3)).__class__(
                np.zeros((3, 6)),
                np.zeros(3),
                np.zeros((3, 5)),
                np.zeros(3),
                np.zeros((3, 6)),
                np.zeros(3),
            ),
            r"W_C has shape \(3, 5\); expected \(3, 6\)",
        ),
        (
            lambda: coupled_lstm_cell(
                we.x_t,
                we.h_prev,
                we.C_prev[:2],
                CoupledLSTMParams.random(3, 3, np.random.default_rng(0)),
            ),
            r"C_prev has shape \(2,\); expected \(3,\)",
        ),
        (
            lambda: gru_cell(we.hx, we.h_prev, GRUParams.random(3, 3, np.random.default_rng(0))),
            r"x_t has shape \(6,\); expected \(3,\)",
        ),
        (
            lambda: dataclasses.replace(
                TorchGRUParams.from_article(GRUParams.random(3, 3, np.random.default_rng(0))),
                W_hn=np.zeros((3, 6)),
            ),
            r"W_hn has shape \(3, 6\); expected \(3, 3\) = \(hidden, hidden\)",
        ),
        (
            lambda: gru_unroll(np.zeros((4, 3)), LSTMParams.zeros(3, 3)),
            "GRUParams or TorchGRUParams",
        ),
    ],
)
def test_errors_name_the_symbol(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 1e3), st.integers(1, 200))
def test_gru_states_stay_bounded_and_gates_in_unit_interval(seed, scale, steps):
    rng = np.random.default_rng(seed)
    shapes = {
        f.name: getattr(GRUParams.random(2, 3, rng), f.name).shape
        for f in dataclasses.fields(GRUParams)
    }
    article = GRUParams(**{name: scale * rng.normal(size=shape) for name, shape in shapes.items()})
    xs = scale * rng.normal(size=(steps, 2))
    for out in (gru_unroll(xs, article), gru_unroll(xs, TorchGRUParams.from_article(article))):
        assert np.all((out.z_t >= 0) & (out.z_t <= 1)) and np.all((out.r_t >= 0) & (out.r_t <= 1))
        assert np.all(np.abs(out.h_t) <= 1)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 1e3), st.integers(1, 200))
def test_peephole_and_coupled_gates_in_unit_interval(seed, scale, steps):
    rng = np.random.default_rng(seed)
    base = LSTMParams(
        **{
            f.name: scale * rng.normal(size=getattr(LSTMParams.zeros(2, 3), f.name).shape)
            for f in dataclasses.fields(LSTMParams)
        }
    )
    q = PeepholeLSTMParams(base, *(scale * rng.normal(size=(3, 3))))
    c = CoupledLSTMParams.from_lstm(base)
    h, C, hc, C_coupled = np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3)
    for x_t in scale * rng.normal(size=(steps, 2)):
        s = peephole_lstm_cell(x_t, h, C, q)
        sc = coupled_lstm_cell(x_t, hc, C_coupled, c)
        h, C, hc, C_coupled = s.h_t, s.C_t, sc.h_t, sc.C_t
        for gate in (s.f_t, s.i_t, s.o_t, sc.f_t, sc.o_t):
            assert np.all((gate >= 0) & (gate <= 1))
        assert abs(h).max() <= 1 and abs(hc).max() <= 1
        assert abs(C_coupled).max() <= 1  # a convex mix of C_{t-1} and C̃_t never leaves [−1, 1]
