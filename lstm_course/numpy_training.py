"""The article's sin→cos model trained with numpy alone: our BPTT, an MSE loss, Adam by hand.

The model is the article's (§4): the LSTM(1, 16), then a linear output ŷ_t = W_y·h_t + b_y at
every step. The training half of the article's data (100 points, sin t in, cos t out) is read
as one sequence from h_0 = C_0 = 0 (``data.LAYOUTS["sequence"]``). One epoch is:

    ŷ_t = W_y·h_t + b_y                  L = (1/T) Σ_t (ŷ_t − y_t)²      (nn.MSELoss)
    ∂L/∂ŷ_t = (2/T)(ŷ_t − y_t)           ∂L/∂W_y = Σ_t ∂L/∂ŷ_t · h_tᵀ,   ∂L/∂b_y = Σ_t ∂L/∂ŷ_t
    dhs[t] = W_yᵀ · ∂L/∂ŷ_t              the gradient from above, handed to ``bptt``
    then one Adam step (Kingma & Ba, 2015), written as ``torch.optim.Adam`` computes it.

``torch_twin_losses`` trains the same weights with PyTorch (float64, nn.LSTM, autograd and
``torch.optim.Adam``'s update), so the two loss curves can be laid on top of each other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from lstm_course.bptt import _lstm_backward, lstm_forward
from lstm_course.data import sin_cos_data
from lstm_course.lstm import LSTMParams
from lstm_course.recall import Adam  # torch.optim.Adam's update, bit for bit
from lstm_course.shapes import checked, frozen
from lstm_course.torch_bridge import lstm_params_from_torch
from lstm_course.train import SinCosLSTM, new_model

ADAM_BETAS = (0.9, 0.999)  # torch.optim.Adam's defaults, the article's optimiser
ADAM_EPS = 1e-8
LR = 1e-2  # the article's learning rate


@dataclass(frozen=True)
class SinCosParams:
    """The whole model: ``lstm`` (an LSTMParams, D = 1), W_y (1, H) and b_y (1,) of the output."""

    lstm: LSTMParams
    W_y: np.ndarray
    b_y: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.lstm, LSTMParams):
            raise ValueError(f"lstm must be LSTMParams; got {type(self.lstm).__name__}")
        W_y = checked("W_y", self.W_y, (1, self.lstm.hidden_size), "(1, hidden)")
        object.__setattr__(self, "W_y", frozen(W_y))
        object.__setattr__(self, "b_y", frozen(checked("b_y", self.b_y, (1,), "(1,)")))

    def arrays(self) -> dict[str, np.ndarray]:
        """Every parameter by name: W_f, b_f, …, b_o, W_y, b_y."""
        named = {f.name: getattr(self.lstm, f.name) for f in fields(self.lstm)}
        return {**named, "W_y": self.W_y, "b_y": self.b_y}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> SinCosParams:
        """The inverse of ``arrays()``."""
        lstm = {f.name: arrays[f.name] for f in fields(LSTMParams)}
        return cls(LSTMParams(**lstm), arrays["W_y"], arrays["b_y"])


def params_from_torch(model: SinCosLSTM) -> SinCosParams:
    """The numpy twin of a ``train.SinCosLSTM``: the LSTM via ``torch_bridge``, then the output."""
    weight = model.linear.weight.detach().to(torch.float64).numpy()
    bias = model.linear.bias.detach().to(torch.float64).numpy()
    return SinCosParams(lstm_params_from_torch(model.lstm), weight.copy(), bias.copy())


def training_sequence() -> tuple[np.ndarray, np.ndarray]:
    """The article's training half as one sequence: xs (100, 1) = sin t, ys (100,) = cos t.

    float64 copies of the article's float32 values.
    """
    _, x, y = sin_cos_data().train
    return x.astype(np.float64)[:, None], y.astype(np.float64)


def predict(params: SinCosParams, xs: np.ndarray) -> np.ndarray:
    """ŷ_t = W_y·h_t + b_y for every step: xs (T, 1) -> ŷ (T,)."""
    return lstm_forward(xs, params.lstm).h_t @ params.W_y[0] + params.b_y[0]


def loss_and_gradients(
    params: SinCosParams, xs: np.ndarray, ys: np.ndarray
) -> tuple[float, SinCosParams]:
    """The MSE loss over the sequence and its gradient for every parameter (a SinCosParams)."""
    steps = lstm_forward(xs, params.lstm)
    T, H = steps.h_t.shape
    ys = checked("ys", ys, (T,), "(steps,), one target per input")
    residual = steps.h_t @ params.W_y[0] + params.b_y[0] - ys  # ŷ_t − y_t
    loss = float(np.mean(residual**2))
    d_y = 2.0 * residual / T  # ∂L/∂ŷ_t
    dhs = np.outer(d_y, params.W_y[0])  # ∂L/∂h_t from above: W_yᵀ·∂L/∂ŷ_t
    lstm = _lstm_backward(np.asarray(xs, float), params.lstm, dhs, steps, np.zeros(H), np.zeros(H))
    dW_y = (d_y @ steps.h_t)[None, :]  # Σ_t ∂L/∂ŷ_t · h_tᵀ
    return loss, SinCosParams(lstm.params, dW_y, np.array([d_y.sum()]))


class AdamState(NamedTuple):
    """Adam's memory: the step count and, per parameter, the averages m of g and v of g²."""

    step: int
    m: dict[str, np.ndarray]
    v: dict[str, np.ndarray]


def adam_step(
    params: dict[str, np.ndarray],
    grads: dict[str, np.ndarray],
    state: AdamState | None,
    lr: float = LR,
    betas: tuple[float, float] = ADAM_BETAS,
    eps: float = ADAM_EPS,
) -> tuple[dict[str, np.ndarray], AdamState]:
    """One Adam step, in the order of operations ``torch.optim.Adam`` uses:

        m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g ⊙ g
        θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)

    state None starts from m = v = 0. Returns new arrays and a new state (nothing in place).
    """
    beta1, beta2 = betas
    if state is None:
        state = AdamState(0, {k: np.zeros_like(g) for k, g in grads.items()},
                          {k: np.zeros_like(g) for k, g in grads.items()})  # fmt: skip
    step = state.step + 1
    step_size = lr / (1 - beta1**step)
    root_correction = np.sqrt(1 - beta2**step)
    new_params, m, v = {}, {}, {}
    for name, g in grads.items():
        m[name] = state.m[name] + (g - state.m[name]) * (1 - beta1)  # torch's lerp
        v[name] = state.v[name] * beta2 + (1 - beta2) * g * g
        denominator = np.sqrt(v[name]) / root_correction + eps
        new_params[name] = params[name] - step_size * m[name] / denominator
    return new_params, AdamState(step, m, v)


@dataclass
class NumpyTrainResult:
    """The loss before each step (``losses``), the trained ``params``, and what it took: wall
    ``seconds`` and the process's ``cpu_seconds`` (which, on a shared machine, does not grow
    with the neighbours' load)."""

    params: SinCosParams
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def train_numpy(
    params: SinCosParams,
    xs: np.ndarray,
    ys: np.ndarray,
    epochs: int,
    lr: float = LR,
    betas: tuple[float, float] = ADAM_BETAS,
    target_loss: float = 0.0,
) -> NumpyTrainResult:
    """Full-batch training: per epoch the loss, its gradient by BPTT, one Adam step.

    Stops after ``epochs`` steps or when the loss is below ``target_loss`` (before stepping,
    as ``train.train`` does). Prints nothing.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1; got {epochs}")
    result = NumpyTrainResult(params)
    arrays, state = params.arrays(), None
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        loss, grads = loss_and_gradients(SinCosParams.from_arrays(arrays), xs, ys)
        result.losses.append(loss)
        if loss < target_loss:
            break
        arrays, state = adam_step(arrays, grads.arrays(), state, lr, betas)
    result.seconds = time.perf_counter() - start
    result.cpu_seconds = time.process_time() - start_cpu
    result.params = SinCosParams.from_arrays(arrays)
    return result


def torch_twin_losses(
    model: SinCosLSTM,
    xs: np.ndarray,
    ys: np.ndarray,
    epochs: int,
    lr: float = LR,
    betas: tuple[float, float] = ADAM_BETAS,
) -> list[float]:
    """The same training in PyTorch, float64: nn.LSTM, nn.MSELoss, autograd, torch.optim.Adam's
    update (``recall.Adam``: its arithmetic bit for bit, tested, without the ``torch._dynamo``
    import, about 1.5 s, that constructing the first ``torch.optim`` optimiser of a process costs).

    ``model`` is copied to float64 (the caller's is not changed). PyTorch keeps two LSTM biases,
    bias_ih and bias_hh, where the article (and ``SinCosParams``) has one, b = bias_ih + bias_hh:
    Adam moves each by about lr a step, so b by about 2·lr. The twin therefore trains b as one
    tensor (bias_ih holds the sum, bias_hh stays 0), as the numpy model does. Returns the loss
    before each of ``epochs`` steps, to lay beside ``train_numpy``'s.
    """
    twin = SinCosLSTM(model.lstm.hidden_size).to(torch.float64)
    twin.load_state_dict({k: v.to(torch.float64) for k, v in model.state_dict().items()})
    with torch.no_grad():  # the article's one b = bias_ih + bias_hh, trained once
        twin.lstm.bias_ih_l0 += twin.lstm.bias_hh_l0
        twin.lstm.bias_hh_l0.zero_()
    twin.lstm.bias_hh_l0.requires_grad_(False)
    trained = [p for p in twin.parameters() if p.requires_grad]
    x = torch.from_numpy(np.asarray(xs, float)).reshape(-1, 1, 1)  # (seq_len, batch = 1, 1)
    y = torch.from_numpy(np.asarray(ys, float)).reshape(-1, 1, 1)
    optimizer = Adam(trained, lr=lr, betas=betas)
    loss_function = nn.MSELoss()
    losses = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a model this small only loses time to a second thread
    try:
        for _ in range(epochs):
            optimizer.zero_grad()
            loss = loss_function(twin(x), y)
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
    finally:
        torch.set_num_threads(threads)
    return losses


def article_model(seed: int = 0) -> SinCosLSTM:
    """The article's SinCosLSTM(16), initialised by PyTorch from ``seed`` (``train.new_model``)."""
    return new_model(16, seed)
