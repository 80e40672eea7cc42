"""The article's §4 experiment in PyTorch: learn y = cos t from x = sin t with an LSTM.

The model is the article's: ``nn.LSTM(1, 16)`` then ``nn.Linear(16, 1)`` applied at every
time step, 1,233 parameters. Training is full-batch: every epoch feeds all 100 training
points (cut into sequences by a layout, see ``lstm_course.data``), takes the MSE loss (the
article's text says "mean absolute error"; its code uses ``nn.MSELoss``), and makes one Adam
step. It stops when the loss is below the target (the article: 1e-4) or after max_epochs.

A *recipe* is a whole training configuration (a ``TrainConfig``), named in ``RECIPES``; the
*optimiser* is one of its fields, named in ``OPTIMISERS``. Two recipes:

- ``"article"``: the article as written. Adam with lr 1e-2 and default betas (the optimiser
  ``"adam"``), a constant learning rate, PyTorch's default number of threads.
- ``"fast"``: the same model, data, loss and stopping rule, but one thread
  (``torch.set_num_threads(1)``: a model this small spends more time coordinating threads
  than computing); Adam with lr 0.1, β₁ = 0.8 and β₂ = 0.99 (shorter memories of past
  gradients and of their sizes, so the large steps follow the loss as it falls instead of
  overshooting) and its fused update, until the loss is below 3e-3; then L-BFGS (the
  optimiser ``"adam, then L-BFGS"``), a
  quasi-Newton method that uses the last 50 steps to estimate the curvature and finishes
  the last stretch (3e-3 → 1e-4) in a few dozen passes where Adam at lr 1e-2 crawls for
  a thousand. The L-BFGS is ``lstm_course.lbfgs.LBFGS``: torch.optim.LBFGS's algorithm
  (strong-Wolfe line search, history rule, step sizes; in float64 its losses agree with
  torch's to 1e-10, in float32 a run may end an epoch earlier or later), with the
  parameters as views of one flat buffer so that a pass costs little more than an Adam
  epoch.

``train`` returns the loss history and the model and prints nothing; the caller shows
progress through the optional ``on_epoch`` callback, which can also stop training.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from lstm_course.data import (
    LAYOUTS,
    Layout,
    SinCosData,
    from_sequences,
    sin_cos_data,
    to_sequences,
)
from lstm_course.lbfgs import LBFGS  # torch.optim.LBFGS's algorithm, cheap per evaluation
from lstm_course.recall import Adam  # torch.optim.Adam's update, bit for bit

ARTICLE_HIDDEN_SIZE = 16
ARTICLE_LR = 1e-2
ARTICLE_MAX_EPOCHS = 10_000
ARTICLE_TARGET_LOSS = 1e-4


@dataclass(frozen=True)
class Optimiser:
    """How the optimiser runs (one field of a recipe).

    Adam with ``betas`` (β₁, β₂), its fused single-kernel update if ``fused``; then, once the
    loss is below ``finish_below`` (None: never), L-BFGS with ``lbfgs_history`` past steps and
    a strong-Wolfe line search, which converges much faster than Adam near a minimum.
    """

    betas: tuple[float, float]
    fused: bool
    finish_below: float | None = None
    lbfgs_history: int = 50


OPTIMISERS: dict[str, Optimiser] = {
    "adam": Optimiser(betas=(0.9, 0.999), fused=False),  # torch.optim.Adam's defaults
    "adam, then L-BFGS": Optimiser(betas=(0.8, 0.99), fused=True, finish_below=3e-3),
}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; the defaults are the article's.

    threads: ``torch.set_num_threads`` during training, or None for PyTorch's default
    (the number of cores). layout: a name in ``lstm_course.data.LAYOUTS``. optimiser: a name
    in ``OPTIMISERS``. A whole configuration with a name is a recipe (``RECIPES``,
    ``recipe_config``).
    """

    hidden_size: int = ARTICLE_HIDDEN_SIZE
    lr: float = ARTICLE_LR
    max_epochs: int = ARTICLE_MAX_EPOCHS
    target_loss: float = ARTICLE_TARGET_LOSS
    seed: int = 0
    layout: str = "article"
    threads: int | None = None
    optimiser: str = "adam"

    def __post_init__(self) -> None:
        if self.hidden_size < 1:
            raise ValueError(f"hidden_size must be at least 1; got {self.hidden_size}")
        if not (np.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a positive number; got {self.lr}")
        if self.max_epochs < 1:
            raise ValueError(f"max_epochs must be at least 1; got {self.max_epochs}")
        if not self.target_loss >= 0:
            raise ValueError(f"target_loss must be ≥ 0; got {self.target_loss}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {sorted(LAYOUTS)}; got {self.layout!r}")
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"threads must be at least 1 (or None); got {self.threads}")
        if self.optimiser not in OPTIMISERS:
            raise ValueError(
                f"optimiser must be one of {sorted(OPTIMISERS)}; got {self.optimiser!r}"
            )


RECIPES: dict[str, TrainConfig] = {
    "article": TrainConfig(),
    "fast": TrainConfig(lr=0.1, threads=1, optimiser="adam, then L-BFGS"),
}
"""The course's two recipes: whole training configurations, by name."""
PRESETS = RECIPES  # the recipes' earlier name, kept for the command line and old code


def recipe_config(name: str, **overrides: object) -> TrainConfig:
    """The recipe ``name`` ("article" or "fast"), with any field replaced by ``overrides``."""
    if name not in RECIPES:
        raise ValueError(f"recipe must be one of {sorted(RECIPES)}; got {name!r}")
    return replace(RECIPES[name], **overrides)


class SinCosLSTM(nn.Module):
    """The article's ``LstmRNN``: nn.LSTM(1, H), then nn.Linear(H, 1) at every time step.

    Input x (seq_len, batch, 1): sin t, cut into sequences by a layout (nn.LSTM's default
    layout, not batch_first). Output (seq_len, batch, 1): the predicted cos t at every step.
    Each sequence starts from h_0 = C_0 = 0. With H = 16: 1,216 + 17 = 1,233 parameters.
    """

    def __init__(self, hidden_size: int = ARTICLE_HIDDEN_SIZE) -> None:
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size)
        self.linear = nn.Linear(hidden_size, 1)  # the article's forwardCalculation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or x.shape[2] != 1:
            raise ValueError(f"x has shape {tuple(x.shape)}; expected (seq_len, batch, 1)")
        h, _ = self.lstm(x)  # h_t for every step: (seq_len, batch, H)
        return self.linear(h)  # Linear acts on the last axis: (seq_len, batch, 1)


def count_parameters(model: nn.Module) -> int:
    """The number of trainable numbers in ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def new_model(hidden_size: int, seed: int) -> SinCosLSTM:
    """A freshly initialised model; the same seed gives the same weights.

    The seed is used in a forked random state, so PyTorch's global one is left as it was.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return SinCosLSTM(hidden_size)


class EpochReport(NamedTuple):
    """What ``on_epoch`` receives after each epoch (epoch counts from 1)."""

    epoch: int
    loss: float
    max_epochs: int


@dataclass
class TrainResult:
    """The trained model, its loss after every epoch, and how training ended.

    ``reached_target``: the last loss is below the target. ``stopped``: the callback asked
    to stop. ``seconds``: wall time of the training loop alone.
    """

    model: SinCosLSTM
    config: TrainConfig
    losses: list[float] = field(default_factory=list)
    reached_target: bool = False
    stopped: bool = False
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        """How many epochs ran."""
        return len(self.losses)

    @property
    def final_loss(self) -> float:
        """The last epoch's training loss (nan before any epoch)."""
        return self.losses[-1] if self.losses else float("nan")


def _tensor(values: np.ndarray, layout: str | Layout) -> torch.Tensor:
    return torch.from_numpy(to_sequences(values, layout))


class _Finished(Exception):  # noqa: N818 (a signal, not an error)
    """Raised inside a loss evaluation to end training with the weights just evaluated."""


def train(
    config: TrainConfig = RECIPES["article"],
    data: SinCosData | None = None,
    on_epoch: Callable[[EpochReport], bool | None] | None = None,
) -> TrainResult:
    """Train a new ``SinCosLSTM`` on the training half of ``data`` (default: the article's).

    Every epoch is one pass over the training data: output = model(x), loss = MSE(output, y),
    then backward and an Adam step (the article's loop). With the fast recipe, once the loss
    is below ``Optimiser.finish_below`` L-BFGS takes over; each of its iterations may take
    several epochs (its line search evaluates the loss at trial points), and every one is
    counted. Stops when loss < ``config.target_loss`` (before stepping, so the model
    returned is the one with that loss), after ``config.max_epochs``, or when ``on_epoch``
    returns True. Prints nothing. ``config.threads`` applies during training only: the
    previous number of threads is restored afterwards.
    """
    data = sin_cos_data() if data is None else data
    _, train_x, train_y = data.train
    x = _tensor(train_x, config.layout)
    y = _tensor(train_y, config.layout)
    model = new_model(config.hidden_size, config.seed)
    settings = OPTIMISERS[config.optimiser]
    parameters = list(model.parameters())
    # torch.optim's Adam bit for bit, and its L-BFGS's algorithm (lstm_course.lbfgs),
    # without torch.optim.Optimizer's import of torch._dynamo
    optimizer: Adam | LBFGS = Adam(
        parameters, lr=config.lr, betas=settings.betas, fused=settings.fused
    )
    loss_function = nn.MSELoss()
    result = TrainResult(model=model, config=config)

    def epoch() -> torch.Tensor:
        """One pass: the loss and its gradient, or _Finished if training is over."""
        loss = loss_function(model(x), y)
        result.losses.append(loss.item())
        result.reached_target = result.losses[-1] < config.target_loss
        report = EpochReport(result.epochs, result.losses[-1], config.max_epochs)
        if on_epoch is not None and on_epoch(report) and not result.reached_target:
            result.stopped = True
        if result.reached_target or result.stopped or result.epochs >= config.max_epochs:
            raise _Finished  # keep the weights whose loss was measured
        optimizer.zero_grad()
        loss.backward()
        return loss

    threads_before = torch.get_num_threads()
    if config.threads is not None:
        torch.set_num_threads(config.threads)
    start = time.perf_counter()
    try:
        model.train()
        while settings.finish_below is None or not result.final_loss < settings.finish_below:
            epoch()
            optimizer.step()
        optimizer = LBFGS(  # the parameters become views of one flat buffer until release()
            parameters,
            lr=1.0,
            max_iter=config.max_epochs,  # one step() runs to the end; each starts by evaluating
            history_size=settings.lbfgs_history,
            line_search_fn="strong_wolfe",
            tolerance_grad=0.0,  # stop on our rules only
            tolerance_change=0.0,
        )
        while True:
            optimizer.step(epoch)
    except _Finished:
        pass
    finally:
        result.seconds = time.perf_counter() - start
        torch.set_num_threads(threads_before)
        release = getattr(optimizer, "release", None)
        if release is not None:
            release()  # the parameters get their own memory back
        model.eval()
    return result


def predict(model: SinCosLSTM, x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The model's cos t for a series x = sin t (N,), fed as ``layout``; returns (N,)."""
    with torch.no_grad():
        outputs = model(_tensor(np.asarray(x, dtype=np.float32), layout)).numpy()
    return from_sequences(outputs, layout)


class Metrics(NamedTuple):
    """MSE (the loss the code uses) and MAE (the error the article's text names)."""

    train_mse: float
    train_mae: float
    test_mse: float
    test_mae: float


def evaluate(model: SinCosLSTM, layout: str | Layout, data: SinCosData | None = None) -> Metrics:
    """Train and test MSE and MAE of ``model`` on ``data`` (default: the article's)."""
    data = sin_cos_data() if data is None else data
    errors = []
    for _, x, y in (data.train, data.test):
        error = predict(model, x, layout) - y
        errors += [float(np.mean(error**2)), float(np.mean(np.abs(error)))]
    return Metrics(*errors)


def save_model(model: SinCosLSTM, path: str | Path) -> Path:
    """Write the model's state_dict (weights only, no code) to ``path``."""
    path = Path(path)
    torch.save(model.state_dict(), path)
    return path


def load_model(path: str | Path) -> SinCosLSTM:
    """Read a state_dict saved by ``save_model`` (``weights_only=True``: no code is run).

    The hidden size is read from the weights: weight_hh_l0 is (4H, H).
    """
    state = torch.load(Path(path), weights_only=True)
    if "lstm.weight_hh_l0" not in state:
        raise ValueError(f"{path} is not a SinCosLSTM state_dict; keys: {sorted(state)}")
    model = SinCosLSTM(hidden_size=state["lstm.weight_hh_l0"].shape[1])
    model.load_state_dict(state)
    return model.eval()
