"""Feed-forward nets (MLPs) on sin t → cos t: one that sees only sin t, one that sees a window.

    input   x = sin t                       (window = 1: one value, no t, no past)
            or the last w values            (window = w: sin t_{n-w+1}, …, sin t_n)
    hidden  a_1 = tanh(W_1·x + b_1)         (H,)
            a_2 = tanh(W_2·a_1 + b_2)       (H,)
    output  ŷ = W_3·a_2 + b_3               (1 value, the guess for cos t_n)

Trained on the article's data (``lstm_course.data.sin_cos_data``: first half trains, second
half tests) with the article's loss and optimiser (MSE, Adam). With window = 1, however long
it trains, its test MSE stays near mean(cos² t) ≈ 0.5
(``lstm_course.sequences.sin_only_mse_floor``): the same input sin t comes with two
different targets, ±√(1 − sin² t), so the best it can do is their average. The article's
LSTM with seq_len = 1 is in the same position (COURSE.md, erratum 6).

With window = 2 the same MLP solves the task: sin(t − Δt) = sin t·cos Δt − cos t·sin Δt, so
cos t = (sin t·cos Δt − sin(t − Δt)) / sin Δt is even a *linear* function of two consecutive
inputs. A window of consecutive inputs is how time-delay networks (Waibel et al. 1989) and 1-D
convolutions see order without a recurrent state. So sin → cos needs two steps of context, not a
long memory.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from lstm_course.data import SinCosData, sin_cos_data
from lstm_course.recall import Adam  # torch.optim.Adam's update, bit for bit
from lstm_course.shapes import vector

HIDDEN_SIZE = 32
EPOCHS = 200
LEARNING_RATE = 1e-2  # the article's Adam learning rate


class FeedforwardResult(NamedTuple):
    """A trained MLP and its history, one value an epoch: the training MSE the epoch's step
    was computed from, and the test MSE after that step. ``window``: how many consecutive
    inputs the MLP reads."""

    model: nn.Module
    train_loss: list[float]
    test_loss: list[float]
    window: int = 1


def sliding_windows(x: np.ndarray, window: int) -> np.ndarray:
    """The last ``window`` values before and at each point: x (N,) -> (N − window + 1, window).

    Row j is x[j], …, x[j + window − 1], oldest first: the input for the point j + window − 1.
    """
    x = vector("x", x)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a whole number ≥ 1; got {window!r}")
    if window > x.size:
        raise ValueError(f"window ({window}) is longer than x ({x.size} values)")
    return np.lib.stride_tricks.sliding_window_view(x, window).copy()


def make_mlp(hidden_size: int = HIDDEN_SIZE, seed: int = 0, window: int = 1) -> nn.Sequential:
    """The MLP window → H → H → 1 with tanh hidden layers, initialised from ``seed``.

    Takes a batch (N, window) of sin values and returns (N, 1). The global torch RNG is left
    untouched.
    """
    if hidden_size < 1:
        raise ValueError(f"hidden_size (H) must be at least 1; got {hidden_size}")
    if window < 1:
        raise ValueError(f"window must be at least 1; got {window}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(
            nn.Linear(window, hidden_size),
            nn.Tanh(),
            nn.Linear(hidden_size, hidden_size),
            nn.Tanh(),
            nn.Linear(hidden_size, 1),
        )


def predict(model: nn.Module, x: np.ndarray, window: int = 1) -> np.ndarray:
    """The model's guess for cos t from a series x = sin t: x (N,) -> (N − window + 1,), float64.

    With window = w the first guess is for x's point w − 1 (the first with a full window).
    """
    inputs = sliding_windows(x, window)
    with torch.no_grad():
        guess = model(torch.as_tensor(inputs, dtype=torch.float32))
    return guess.reshape(-1).double().numpy()


def train_feedforward(
    data: SinCosData | None = None,
    hidden_size: int = HIDDEN_SIZE,
    epochs: int = EPOCHS,
    lr: float = LEARNING_RATE,
    seed: int = 0,
    window: int = 1,
) -> FeedforwardResult:
    """Train ``make_mlp`` on sin t → cos t, full batch, MSE loss, Adam; print nothing.

    ``data`` defaults to the article's (200 points over [0, 12π], first half trains). With
    ``window`` = w the MLP reads the w latest inputs sin t_{n-w+1}, …, sin t_n for the target
    cos t_n. Training targets are the training half's points that have a full window (the
    first w − 1 have none); test targets are every point of the test half, whose first windows
    reach back into the training half's *inputs* (never its targets). Returns the model and the
    train/test MSE of every epoch (``epochs`` values each). Deterministic for a given seed
    (full batch: no shuffling); the global torch RNG is left untouched.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1; got {epochs}")
    if lr <= 0:
        raise ValueError(f"lr must be positive; got {lr}")
    data = sin_cos_data() if data is None else data
    inputs = sliding_windows(data.x, window)  # row n − (w − 1) feeds the target y[n]
    first_test = data.split - (window - 1)
    if first_test < 1:
        raise ValueError(f"window ({window}) leaves no training point with a full window")

    def tensor(values: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(values, dtype=np.float32))

    x_train, x_test = tensor(inputs[:first_test]), tensor(inputs[first_test:])
    y_train = tensor(data.y[window - 1 : data.split]).reshape(-1, 1)
    y_test = tensor(data.y[data.split :]).reshape(-1, 1)
    model = make_mlp(hidden_size, seed, window)
    optimiser = Adam(model.parameters(), lr=lr)  # no torch._dynamo import (recall.Adam)
    loss_fn = nn.MSELoss()
    train_loss, test_loss = [], []
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = loss_fn(model(x_train), y_train)  # before this epoch's step
        loss.backward()
        optimiser.step()
        train_loss.append(loss.item())
        with torch.no_grad():
            test_loss.append(loss_fn(model(x_test), y_test).item())  # after it
    return FeedforwardResult(model, train_loss, test_loss, window)
