"""The proof that sin → cos needs time: a feed-forward net (MLP) that sees only sin t.

    input   x = sin t                       (1 value, no t, no past)
    hidden  a_1 = tanh(W_1·x + b_1)         (H,)
            a_2 = tanh(W_2·a_1 + b_2)       (H,)
    output  ŷ = W_3·a_2 + b_3               (1 value, the guess for cos t)

Trained on the article's data (``lstm_course.data.sin_cos_data``: first half trains, second
half tests) with the article's loss and optimiser (MSE, Adam). However long it trains, its test
MSE stays near mean(cos² t) ≈ 0.5 (``lstm_course.sequences.sin_only_mse_floor``): the same
input sin t comes with two different targets, ±√(1 − sin² t), so the best it can do is their
average. The article's LSTM with seq_len = 1 is in the same position (COURSE.md, erratum 6).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from lstm_course.data import SinCosData, sin_cos_data
from lstm_course.shapes import vector

HIDDEN_SIZE = 32
EPOCHS = 200
LEARNING_RATE = 1e-2  # the article's Adam learning rate


class FeedforwardResult(NamedTuple):
    """A trained MLP and its history, one value an epoch: the training MSE the epoch's step
    was computed from, and the test MSE after that step."""

    model: nn.Module
    train_loss: list[float]
    test_loss: list[float]


def make_mlp(hidden_size: int = HIDDEN_SIZE, seed: int = 0) -> nn.Sequential:
    """The MLP 1 → H → H → 1 with tanh hidden layers, initialised from ``seed``.

    Takes a batch (N, 1) of sin t and returns (N, 1). The global torch RNG is left untouched.
    """
    if hidden_size < 1:
        raise ValueError(f"hidden_size (H) must be at least 1; got {hidden_size}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(
            nn.Linear(1, hidden_size),
            nn.Tanh(),
            nn.Linear(hidden_size, hidden_size),
            nn.Tanh(),
            nn.Linear(hidden_size, 1),
        )


def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """The model's guess for cos t from x = sin t: x (N,) -> (N,), float64."""
    x = vector("x", x)
    with torch.no_grad():
        guess = model(torch.as_tensor(x, dtype=torch.float32).reshape(-1, 1))
    return guess.reshape(-1).double().numpy()


def train_feedforward(
    data: SinCosData | None = None,
    hidden_size: int = HIDDEN_SIZE,
    epochs: int = EPOCHS,
    lr: float = LEARNING_RATE,
    seed: int = 0,
) -> FeedforwardResult:
    """Train ``make_mlp`` on sin t → cos t, full batch, MSE loss, Adam; print nothing.

    ``data`` defaults to the article's (200 points over [0, 12π], first half trains). Returns
    the model and the train/test MSE of every epoch (``epochs`` values each). Deterministic
    for a given seed (full batch: no shuffling); the global torch RNG is left untouched.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1; got {epochs}")
    if lr <= 0:
        raise ValueError(f"lr must be positive; got {lr}")
    data = sin_cos_data() if data is None else data
    (_, x_train, y_train), (_, x_test, y_test) = data.train, data.test

    def column(values: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(values, dtype=np.float32)).reshape(-1, 1)

    x_train, y_train, x_test, y_test = map(column, (x_train, y_train, x_test, y_test))
    model = make_mlp(hidden_size, seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
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
    return FeedforwardResult(model, train_loss, test_loss)
