"""Backpropagation through time (随时间反向传播) by hand, in numpy, for the RNN and the LSTM.

One example, no batch axis, float64, the article's layout: every W acts on [h_{t-1}, x_t],
h first. The loss the sequence sees is

    L = Σ_t dhs[t] · h_t

so ``dhs`` (T, H) is ∂L/∂h_t arriving from above (an output layer), not through the recurrence.
Each derivative is written from the forward *outputs* (micrograd's habit: the derivative sits
beside its equation):

    y = σ(z)     ->  ∂y/∂z = σ′(z) = y ⊙ (1 − y)
    y = tanh(z)  ->  ∂y/∂z = tanh′(z) = 1 − y²

Going backwards through time, every step receives two gradients: the one from above (dhs[t])
and the one its successor hands back through the recurrence (dh_{t-1} of step t + 1, and for
the LSTM also dC_{t-1}). The weights are shared by every step, so their gradient is a sum over
time.

- ``rnn_cell_backward``, ``rnn_unroll_backward`` -> ``RNNGradients(params, dxs, dh0)``
- ``lstm_cell_backward``, ``lstm_unroll_backward`` -> ``LSTMGradients(params, dxs, dh0, dC0)``
- ``lstm_forward``: the forward values the backward pass needs, all T steps at once
- ``numerical_gradient``, ``relative_error``: the gradient check (centred differences, CS231n)
- ``global_norm``, ``clip_by_global_norm``: gradient clipping (梯度裁剪) by the global norm
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import NamedTuple, TypeVar

import numpy as np

from lstm_course.activations import sigmoid, tanh
from lstm_course.i18n import N_, _
from lstm_course.lstm import LSTMParams, LSTMStep
from lstm_course.params import CellParams
from lstm_course.rnn import RNNParams, rnn_unroll
from lstm_course.shapes import as_float_array, checked, initial_state, sequence

ParamsT = TypeVar("ParamsT", bound=CellParams)

FINITE_DIFFERENCE_STEP = 1e-5  # ε of the centred difference (f(x + ε) − f(x − ε)) / 2ε
RELATIVE_ERROR_FLOOR = 1e-8  # CS231n's max(1e-8, |a| + |n|): two zeros agree perfectly


def sigmoid_derivative(s: np.ndarray) -> np.ndarray:
    """σ′ from σ's *output* s = σ(z): σ′(z) = s ⊙ (1 − s), at most 0.25 (at s = 0.5)."""
    return s * (1.0 - s)


def tanh_derivative(y: np.ndarray) -> np.ndarray:
    """tanh′ from tanh's *output* y = tanh(z): tanh′(z) = 1 − y², at most 1 (at y = 0)."""
    return 1.0 - y**2


# --- The RNN: h_t = tanh(W·[h_{t-1}, x_t] + b) ---------------------------------------------


class RNNGradients(NamedTuple):
    """∂L/∂W and ∂L/∂b (as an ``RNNParams``), ∂L/∂x_t for every t (T, D), ∂L/∂h_0 (H,)."""

    params: RNNParams
    dxs: np.ndarray
    dh0: np.ndarray


class RNNCellGradients(NamedTuple):
    """One RNN step backward: dz = ∂L/∂z_t (H,) (also this step's ∂L/∂b), dh_prev, dx_t."""

    dz: np.ndarray
    dh_prev: np.ndarray
    dx_t: np.ndarray


def rnn_cell_backward(
    dh_t: np.ndarray, h_t: np.ndarray, h_prev: np.ndarray, x_t: np.ndarray, params: RNNParams
) -> RNNCellGradients:
    """One step backward through h_t = tanh(z_t), z_t = W·[h_{t-1}, x_t] + b.

    dh_t (H,): the whole ∂L/∂h_t (from above plus from step t + 1); h_t (H,) this step's
    output; h_prev (H,), x_t (D,) its inputs. This step's share of ∂L/∂W is outer(dz, hx).

        dz      = dh_t ⊙ (1 − h_t²)            h_t = tanh(z_t)
        dhx     = Wᵀ·dz                        z_t = W·[h_{t-1}, x_t] + b
        dh_prev, dx_t = dhx[:H], dhx[H:]       [h_{t-1}, x_t], h first
    """
    H, D = params.hidden_size, params.input_size
    dh_t = checked("dh_t", dh_t, (H,), "(hidden,)")
    h_t = checked("h_t", h_t, (H,), "(hidden,)")
    checked("h_prev", h_prev, (H,), "(hidden,)")
    checked("x_t", x_t, (D,), "(input,)")
    return _rnn_cell_backward(dh_t, h_t, params.W)


def _rnn_cell_backward(dh_t: np.ndarray, h_t: np.ndarray, W: np.ndarray) -> RNNCellGradients:
    """The step for dh_t (H,), or for n upstream gradients at once as rows of dh_t (n, H)."""
    H = h_t.size
    dz = dh_t * (1 - h_t**2)  # h_t = tanh(z_t): tanh′ = 1 − h_t², from the output
    dhx = dz @ W  # z_t = W·[h_{t-1}, x_t] + b: Wᵀ·dz, written dz·W so rows work too
    return RNNCellGradients(dz, dhx[..., :H], dhx[..., H:])


def rnn_unroll_backward(
    xs: np.ndarray, params: RNNParams, dhs: np.ndarray, h0: np.ndarray | None = None
) -> RNNGradients:
    """∂L/∂W, ∂L/∂b, ∂L/∂x_t and ∂L/∂h_0 of L = Σ_t dhs[t]·h_t, h_t from ``rnn_unroll``.

    xs (T, D); dhs (T, H); h0 (H,) defaults to zeros. From t = T down to 1:

        dh_t  = dhs[t] + dh_t^{(from t+1)}        two roads into h_t: above, and the future
        dz_t  = dh_t ⊙ (1 − h_t²)
        ∂L/∂W = Σ_t outer(dz_t, [h_{t-1}, x_t])   one W shared by every step: a sum over time
        ∂L/∂b = Σ_t dz_t
        dh_{t-1}^{(from t)}, dx_t = Wᵀ·dz_t split at H
    """
    xs = sequence(xs, params.input_size)
    T, H = xs.shape[0], params.hidden_size
    dhs = checked("dhs", dhs, (T, H), "(steps, hidden) = ∂L/∂h_t from above")
    h0 = initial_state("h0", h0, H)
    hs = rnn_unroll(xs, params, h0)
    h_prevs = np.vstack([h0, hs[:-1]])
    dzs, dxs = np.empty((T, H)), np.empty_like(xs)
    dh_next = np.zeros(H)  # ∂L/∂h_T through the recurrence: nothing comes after step T
    for t in reversed(range(T)):
        step = _rnn_cell_backward(dhs[t] + dh_next, hs[t], params.W)
        dzs[t], dxs[t], dh_next = step.dz, step.dx_t, step.dh_prev
    hxs = np.hstack([h_prevs, xs])  # row t is [h_{t-1}, x_t]
    dW = dzs.T @ hxs  # Σ_t outer(dz_t, [h_{t-1}, x_t]), the sum over time as one product
    return RNNGradients(RNNParams(W=dW, b=dzs.sum(axis=0)), dxs, dh_next)


# --- The LSTM --------------------------------------------------------------------------------


class LSTMGradients(NamedTuple):
    """∂L/∂W_f … ∂L/∂b_o (as an ``LSTMParams``), dxs (T, D), dh0 (H,), dC0 (H,)."""

    params: LSTMParams
    dxs: np.ndarray
    dh0: np.ndarray
    dC0: np.ndarray


class LSTMCellGradients(NamedTuple):
    """One LSTM step backward, each (H,) but dx_t (D,).

    d_f, d_i, d_C_tilde, d_o are ∂L/∂ of each layer's pre-activation (W_g·[h_{t-1}, x_t] + b_g):
    they are this step's ∂L/∂b_g, and this step's ∂L/∂W_g is outer(d_g, [h_{t-1}, x_t]).
    dC_t is the whole ∂L/∂C_t (along the cell state plus through h_t).
    """

    d_f: np.ndarray
    d_i: np.ndarray
    d_C_tilde: np.ndarray
    d_o: np.ndarray
    dC_t: np.ndarray
    dh_prev: np.ndarray
    dC_prev: np.ndarray
    dx_t: np.ndarray


def lstm_cell_backward(
    dh_t: np.ndarray,
    dC_carried: np.ndarray,
    step: LSTMStep,
    h_prev: np.ndarray,
    C_prev: np.ndarray,
    x_t: np.ndarray,
    params: LSTMParams,
) -> LSTMCellGradients:
    """One LSTM step backward. Each line undoes one forward equation (right-hand comment).

    dh_t (H,): the whole ∂L/∂h_t (from above plus from step t + 1); dC_carried (H,): ∂L/∂C_t
    handed back along the cell state by step t + 1 (zeros at the last step); step: this
    step's ``lstm_cell`` output; h_prev, C_prev (H,), x_t (D,): its inputs.

        dC_t      = dC_carried + dh_t ⊙ o_t ⊙ (1 − tanh²(C_t))   h_t = o_t ⊙ tanh(C_t)
        d_o       = dh_t ⊙ tanh(C_t) ⊙ o_t ⊙ (1 − o_t)            o_t = σ(W_o·[h_{t-1}, x_t] + b_o)
        d_f       = dC_t ⊙ C_{t-1} ⊙ f_t ⊙ (1 − f_t)             C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t
        d_i       = dC_t ⊙ C̃_t ⊙ i_t ⊙ (1 − i_t)
        d_C_tilde = dC_t ⊙ i_t ⊙ (1 − C̃_t²)
        dC_{t-1}  = dC_t ⊙ f_t                                   the constant error carousel
        dhx       = W_fᵀ·d_f + W_iᵀ·d_i + W_Cᵀ·d_C_tilde + W_oᵀ·d_o
        dh_{t-1}, dx_t = dhx[:H], dhx[H:]                        [h_{t-1}, x_t], h first
    """
    H, D = params.hidden_size, params.input_size
    hidden = (H,)
    dh_t = checked("dh_t", dh_t, hidden, "(hidden,)")
    dC_carried = checked("dC_carried", dC_carried, hidden, "(hidden,)")
    C_prev = checked("C_prev", C_prev, hidden, "(hidden,)")
    checked("h_prev", h_prev, hidden, "(hidden,)")
    checked("x_t", x_t, (D,), "(input,)")
    if not isinstance(step, LSTMStep):
        raise ValueError(
            _("step must be the LSTMStep lstm_cell returned; got {kind}").format(
                kind=type(step).__name__
            )
        )
    for name, value in step._asdict().items():
        checked(name, value, hidden, N_("(hidden,), one step of lstm_cell"))
    return _lstm_cell_backward(dh_t, dC_carried, C_prev, step, params)


def _lstm_cell_backward(
    dh_t: np.ndarray, dC_carried: np.ndarray, C_prev: np.ndarray, step: LSTMStep, p: LSTMParams
) -> LSTMCellGradients:
    """The step for dh_t, dC_carried (H,), or for n upstream gradients at once as rows (n, H)."""
    f_t, i_t, C_tilde, C_t, o_t, _h_t = step
    H = C_t.size
    tanh_C_t = tanh(C_t)
    dC_t = dC_carried + dh_t * o_t * (1 - tanh_C_t**2)  # h_t = o_t ⊙ tanh(C_t)
    d_o = dh_t * tanh_C_t * o_t * (1 - o_t)  # o_t = σ(W_o·[h_{t-1}, x_t] + b_o)
    d_f = dC_t * C_prev * f_t * (1 - f_t)  # C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, f_t = σ(…)
    d_i = dC_t * C_tilde * i_t * (1 - i_t)  # … + i_t ⊙ C̃_t, i_t = σ(…)
    d_C_tilde = dC_t * i_t * (1 - C_tilde**2)  # C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    dC_prev = dC_t * f_t  # C_t = f_t ⊙ C_{t-1} + …: the constant error carousel
    dhx = d_f @ p.W_f + d_i @ p.W_i + d_C_tilde @ p.W_C + d_o @ p.W_o  # W_fᵀ·d_f + …
    return LSTMCellGradients(d_f, d_i, d_C_tilde, d_o, dC_t, dhx[..., :H], dC_prev, dhx[..., H:])


def lstm_forward(
    xs: np.ndarray,
    params: LSTMParams,
    h0: np.ndarray | None = None,
    C0: np.ndarray | None = None,
) -> LSTMStep:
    """``lstm_unroll``'s result (an LSTMStep of (T, H) fields), computed the fast way.

    The backward pass needs every step's f_t, i_t, C̃_t, C_t, o_t, h_t. Training calls it
    thousands of times, so here the four layers are stacked into one (4H, H + D) matrix, as
    PyTorch stores them, and the inputs' part W·x_t of every step is computed at once. The
    equations are ``lstm_cell``'s; the tests hold the two equal to 1e-12.
    """
    xs = sequence(xs, params.input_size)
    H, T = params.hidden_size, xs.shape[0]
    h_t = initial_state("h0", h0, H)
    C_t = initial_state("C0", C0, H)
    W = np.vstack([params.W_f, params.W_i, params.W_C, params.W_o])  # (4H, H + D)
    b = np.concatenate([params.b_f, params.b_i, params.b_C, params.b_o])
    from_x = xs @ W[:, H:].T + b  # (T, 4H): W·[0, x_t] + b for every t at once
    W_h = W[:, :H]
    out = np.empty((6, T, H))
    for t in range(T):
        z = W_h @ h_t + from_x[t]  # W·[h_{t-1}, x_t] + b, the four layers stacked
        gates = sigmoid(z)  # rows 2H:3H (the candidate's) are not used: it takes tanh
        f_t, i_t, o_t = gates[:H], gates[H : 2 * H], gates[3 * H :]
        C_tilde = tanh(z[2 * H : 3 * H])
        C_t = f_t * C_t + i_t * C_tilde
        h_t = o_t * tanh(C_t)
        out[:, t] = f_t, i_t, C_tilde, C_t, o_t, h_t
    return LSTMStep(*out)


def lstm_unroll_backward(
    xs: np.ndarray,
    params: LSTMParams,
    dhs: np.ndarray,
    h0: np.ndarray | None = None,
    C0: np.ndarray | None = None,
) -> LSTMGradients:
    """Every gradient of L = Σ_t dhs[t]·h_t through the LSTM unrolled over xs.

    xs (T, D); dhs (T, H); h0, C0 (H,) default to zeros. From t = T down to 1, each step
    gets dh_t = dhs[t] + (dh_{t-1} handed back by step t + 1) and dC_carried = (dC_{t-1} of
    step t + 1), runs ``lstm_cell_backward``, and hands back its own dh_{t-1} and dC_{t-1}.
    The shared weights' gradient is the sum over time: ∂L/∂W_g = Σ_t outer(d_g, [h_{t-1}, x_t]).
    """
    xs = sequence(xs, params.input_size)
    T, H = xs.shape[0], params.hidden_size
    dhs = checked("dhs", dhs, (T, H), "(steps, hidden) = ∂L/∂h_t from above")
    h0 = initial_state("h0", h0, H)
    C0 = initial_state("C0", C0, H)
    steps = lstm_forward(xs, params, h0, C0)
    return _lstm_backward(xs, params, dhs, steps, h0, C0)


def _lstm_backward(
    xs: np.ndarray,
    params: LSTMParams,
    dhs: np.ndarray,
    steps: LSTMStep,
    h0: np.ndarray,
    C0: np.ndarray,
) -> LSTMGradients:
    """The loop of ``lstm_unroll_backward`` on a forward pass already made (checked inputs)."""
    T, H = dhs.shape
    h_prevs = np.vstack([h0, steps.h_t[:-1]])
    C_prevs = np.vstack([C0, steps.C_t[:-1]])
    d_gates = np.empty((4, T, H))  # d_f, d_i, d_C_tilde, d_o of every step
    dxs = np.empty_like(xs)
    dh_next, dC_next = np.zeros(H), np.zeros(H)  # nothing comes back from after step T
    for t in reversed(range(T)):
        step_t = LSTMStep(*(field[t] for field in steps))
        g = _lstm_cell_backward(dhs[t] + dh_next, dC_next, C_prevs[t], step_t, params)
        d_gates[:, t] = g.d_f, g.d_i, g.d_C_tilde, g.d_o
        dxs[t], dh_next, dC_next = g.dx_t, g.dh_prev, g.dC_prev
    hxs = np.hstack([h_prevs, xs])  # row t is [h_{t-1}, x_t]
    grads = {}
    for d_g, (W_name, b_name) in zip(d_gates, LSTMParams.BLOCKS, strict=True):
        grads[W_name] = d_g.T @ hxs  # Σ_t outer(d_g, [h_{t-1}, x_t]): the sum over time
        grads[b_name] = d_g.sum(axis=0)
    return LSTMGradients(LSTMParams(**grads), dxs, dh_next, dC_next)


# --- How far back the gradient reaches: Jacobians by BPTT -----------------------------------


class LSTMJacobians(NamedTuple):
    """Each (T, H, H): row t − 1 holds ∂(h_t or C_t)[i] / ∂(h_0 or C_0)[j] at [i, j]."""

    h_h0: np.ndarray
    h_C0: np.ndarray  # noqa: N815 (the article's C)
    C_h0: np.ndarray
    C_C0: np.ndarray


def rnn_jacobians(xs: np.ndarray, params: RNNParams, h0: np.ndarray | None = None) -> np.ndarray:
    """∂h_t/∂h_0 for t = 1 … T, (T, H, H), by one backward pass through the whole sequence.

    Row i of ∂h_t/∂h_0 is ∂L/∂h_0 for L = h_t[i], i.e. dhs = 0 except e_i at step t. All T·H
    of these losses go back together, as the rows of one matrix: a row joins at its step t
    and rides the same recursion dh_{t-1} = Wᵀ·(dh_t ⊙ (1 − h_t²)) down to h_0.
    (``gradients.hidden_jacobians`` computes the same with PyTorch autograd.)
    """
    xs = sequence(xs, params.input_size)
    T, H = xs.shape[0], params.hidden_size
    hs = rnn_unroll(xs, params, initial_state("h0", h0, H))
    rows = np.tile(np.eye(H), (T, 1))  # block k: L = h_t[i] for t = T − k, ∂L/∂h_t = e_i
    for k, t in enumerate(reversed(range(T))):
        n = (k + 1) * H  # the rows whose loss is at step t or later ride this step back
        rows[:n] = _rnn_cell_backward(rows[:n], hs[t], params.W).dh_prev
    return rows.reshape(T, H, H)[::-1]


def lstm_jacobians(
    xs: np.ndarray,
    params: LSTMParams,
    h0: np.ndarray | None = None,
    C0: np.ndarray | None = None,
) -> LSTMJacobians:
    """∂h_t/∂h_0, ∂h_t/∂C_0, ∂C_t/∂h_0, ∂C_t/∂C_0 for t = 1 … T, each (T, H, H), by BPTT.

    As ``rnn_jacobians``: the losses L = h_t[i] (∂L/∂h_t = e_i) and L = C_t[i] (∂L/∂C_t = e_i,
    entering along the cell state) join at step t and go back together as rows.
    """
    xs = sequence(xs, params.input_size)
    T, H = xs.shape[0], params.hidden_size
    h0 = initial_state("h0", h0, H)
    C0 = initial_state("C0", C0, H)
    steps = lstm_forward(xs, params, h0, C0)
    C_prevs = np.vstack([C0, steps.C_t[:-1]])
    dh, dC = np.zeros((T, 2, H, H)), np.zeros((T, 2, H, H))  # block k: the losses at t = T − k
    dh[:, 0] = np.eye(H)  # L = h_t[i]: ∂L/∂h_t = e_i
    dC[:, 1] = np.eye(H)  # L = C_t[i]: ∂L/∂C_t = e_i
    dh, dC = dh.reshape(T * 2 * H, H), dC.reshape(T * 2 * H, H)
    for k, t in enumerate(reversed(range(T))):
        n = (k + 1) * 2 * H  # the rows whose loss is at step t or later ride this step back
        step_t = LSTMStep(*(field[t] for field in steps))
        g = _lstm_cell_backward(dh[:n], dC[:n], C_prevs[t], step_t, params)
        dh[:n], dC[:n] = g.dh_prev, g.dC_prev
    dh = dh.reshape(T, 2, H, H)[::-1]
    dC = dC.reshape(T, 2, H, H)[::-1]
    return LSTMJacobians(h_h0=dh[:, 0], h_C0=dC[:, 0], C_h0=dh[:, 1], C_C0=dC[:, 1])


def spectral_norms(jacobians: np.ndarray) -> np.ndarray:
    """‖J_t‖₂ (the largest singular value) of each of T Jacobians (T, H, H) -> (T,).

    It is the largest ‖∂L/∂h_0‖ over losses L = u·h_t with ‖u‖ = 1.
    """
    return np.linalg.norm(as_float_array("jacobians", jacobians), ord=2, axis=(1, 2))


# --- Gradient checking --------------------------------------------------------------------


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, step: float = FINITE_DIFFERENCE_STEP
) -> np.ndarray:
    """∂f/∂x by centred differences, one entry at a time: (f(x + εe_k) − f(x − εe_k)) / 2ε.

    Its error is O(ε²) (the first-order terms cancel) plus rounding of about machine ε·|f|/ε,
    which is why it is done in float64: in float32 the rounding alone would be ~1e-3.
    x is not changed; f receives a float64 copy of the same shape.
    """
    x = as_float_array("x", x)
    if not (np.isfinite(step) and step > 0):
        raise ValueError(_("step must be a positive number; got {step}").format(step=step))
    grad = np.empty_like(x)
    moved = x.copy()
    for k in np.ndindex(x.shape):
        moved[k] = x[k] + step
        above = f(moved.copy())
        moved[k] = x[k] - step
        below = f(moved.copy())
        moved[k] = x[k]
        grad[k] = (above - below) / (2 * step)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """CS231n's relative error: max over entries of |a − n| / max(1e-8, |a| + |n|).

    Scale-free, so it reads the same for a gradient of 1e3 and of 1e-3. In float64 a correct
    backward pass gives ~1e-7 or less; above ~1e-4 something is wrong.
    """
    a = as_float_array("analytic", analytic)
    n = checked("numeric", numeric, a.shape, N_("the analytic gradient's shape"))
    return float(np.max(np.abs(a - n) / np.maximum(RELATIVE_ERROR_FLOOR, np.abs(a) + np.abs(n))))


def parameter_gradient_check(
    loss: Callable[[ParamsT], float], params: ParamsT, analytic: ParamsT
) -> dict[str, float]:
    """The relative error of every field of ``analytic`` against centred differences of ``loss``.

    loss: params -> a number; params: where to differentiate; analytic: the backward pass's
    gradients, the same type as params. Returns field name -> relative error.
    """
    if type(analytic) is not type(params):
        raise ValueError(
            _("analytic must be {kind} like params; got {got}").format(
                kind=type(params).__name__, got=type(analytic).__name__
            )
        )
    errors = {}
    for field in dataclasses.fields(params):
        name = field.name

        def loss_of(value: np.ndarray, name: str = name) -> float:
            return loss(dataclasses.replace(params, **{name: value}))

        numeric = numerical_gradient(loss_of, getattr(params, name))
        errors[name] = relative_error(getattr(analytic, name), numeric)
    return errors


# --- Gradient clipping by the global norm -------------------------------------------------


def _arrays(grads: CellParams | Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    if isinstance(grads, CellParams):
        return {f.name: getattr(grads, f.name) for f in dataclasses.fields(grads)}
    if isinstance(grads, Mapping):
        return {name: as_float_array(name, value) for name, value in grads.items()}
    raise ValueError(
        _("grads must be a parameter dataclass or a dict of arrays; got {kind}").format(
            kind=type(grads).__name__
        )
    )


def global_norm(grads: CellParams | Mapping[str, np.ndarray]) -> float:
    """‖g‖ = √(Σ over every array of Σ entry²): all the gradients as one long vector."""
    return float(np.sqrt(sum(np.sum(g**2) for g in _arrays(grads).values())))


def clip_by_global_norm(grads: ParamsT | Mapping[str, np.ndarray], max_norm: float) -> ParamsT:
    """Every gradient times min(1, max_norm / ‖g‖), ‖g‖ the global norm (Pascanu et al., 2013).

    One factor for all: the direction of the whole update is kept, only its length is capped.
    (Clipping each array by its own norm would turn the update.) Returns the same type as
    ``grads`` (a parameter dataclass, or a dict). PyTorch's ``clip_grad_norm_`` divides by
    ‖g‖ + 1e-6 instead of ‖g‖.
    """
    if not (np.isfinite(max_norm) and max_norm > 0):
        raise ValueError(
            _("max_norm must be a positive number; got {max_norm}").format(max_norm=max_norm)
        )
    arrays = _arrays(grads)
    norm = global_norm(arrays)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    clipped = {name: g * scale for name, g in arrays.items()}
    if isinstance(grads, CellParams):
        return type(grads)(**clipped)
    return clipped
