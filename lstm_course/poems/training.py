"""Training a CharModel: stateful batches over the text, truncated BPTT, clipping by global norm.

**Stateful batches.** The training text (N ids) is cut into B equal streams, one per row of a
batch; each batch takes the next T characters of every stream. Row b of one batch continues
exactly where row b of the batch before stopped, so the state it ends with is the right state
to start the next batch with: it is carried over.

**Truncated BPTT.** Carried over, but *detached*: ``state = tuple(s.detach() for s in state)``.
The forward pass keeps the memory of everything read so far; the backward pass stops at the
batch's first step, so each update back-propagates through at most T steps (notebook 11 builds
backpropagation through time by hand).

**Clipping.** Before each step, if the gradient's global norm ‖g‖ = √(Σ over every parameter
of its squared entries) exceeds ``clip``, the whole gradient is scaled by clip / ‖g‖:
``torch.nn.utils.clip_grad_norm_`` (notebook 11 writes the same by hand).

``train`` returns the model and its history and prints nothing; ``on_epoch`` sees each epoch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from lstm_course.i18n import _
from lstm_course.poems.models import CELLS, CharModel, held_out_loss


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run (the shipped models' settings are the defaults)."""

    cell: str = "lstm"
    embedding_size: int = 64  # D
    hidden_size: int = 128  # H
    batch_size: int = 16  # B streams
    bptt: int = 64  # T: steps a gradient flows back through
    lr: float = 5e-3  # Adam
    clip: float = 1.0  # max global gradient norm
    dropout: float = 0.4
    tied: bool = False  # the output layer's weights are the embedding (needs D = H)
    epochs: int = 40
    seed: int = 0
    threads: int = 1

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(
                _("cell must be one of {cells}; got {cell}").format(
                    cells=CELLS, cell=repr(self.cell)
                )
            )
        for name in ("embedding_size", "hidden_size", "batch_size", "bptt", "epochs", "threads"):
            if getattr(self, name) < 1:
                raise ValueError(
                    _("{name} must be at least 1; got {value}").format(
                        name=name, value=getattr(self, name)
                    )
                )
        for name in ("lr", "clip"):
            if not (np.isfinite(getattr(self, name)) and getattr(self, name) > 0):
                raise ValueError(
                    _("{name} must be a positive number; got {value}").format(
                        name=name, value=getattr(self, name)
                    )
                )
        if not 0 <= self.dropout < 1:
            raise ValueError(_("dropout must be in [0, 1); got {p}").format(p=self.dropout))
        if self.seed < 0:
            raise ValueError(_("seed must be ≥ 0; got {seed}").format(seed=self.seed))

    def as_dict(self) -> dict:
        return asdict(self)


def stream_batches(ids: np.ndarray, batch_size: int, bptt: int) -> list[tuple[np.ndarray, ...]]:
    """The text as B streams read T steps at a time: [(inputs (B, T), targets (B, T)), …].

    Stream b is ids[b·L : (b+1)·L] with L = (N − 1) // B; targets are the inputs shifted by one
    character. The last batch may be shorter than T. Row b of batch k+1 continues row b of k.
    """
    ids = np.asarray(ids, dtype=np.int64)
    length = (ids.size - 1) // batch_size
    if length < 1:
        raise ValueError(
            _("{n} ids are too few for {streams} streams").format(n=ids.size, streams=batch_size)
        )
    inputs = ids[: batch_size * length].reshape(batch_size, length)
    targets = ids[1 : batch_size * length + 1].reshape(batch_size, length)
    return [
        (inputs[:, start : start + bptt], targets[:, start : start + bptt])
        for start in range(0, length, bptt)
    ]


def detach(state):
    """The state's values without their history: truncated BPTT's cut."""
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


@dataclass
class EpochReport:
    epoch: int
    epochs: int
    train_loss: float  # mean cross-entropy over the epoch's batches (nats per character)
    held_out_loss: float  # on the held-out text, after the epoch


@dataclass
class TrainResult:
    model: CharModel
    config: TrainConfig
    batch_losses: list[float] = field(default_factory=list)  # every update's loss
    grad_norms: list[float] = field(default_factory=list)  # every update's ‖g‖ before clipping
    epochs: list[EpochReport] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False


def train(
    config: TrainConfig,
    train_ids: np.ndarray,
    held_out_ids: np.ndarray,
    vocab_size: int,
    on_epoch: Callable[[EpochReport], bool | None] | None = None,
) -> TrainResult:
    """Train a fresh CharModel (seeded by ``config.seed``) on ``train_ids``; return its history.

    Each epoch reads the whole training text once in stateful batches, with truncated BPTT
    over ``config.bptt`` steps, Adam, and clipping at ``config.clip``; then measures the
    held-out loss. ``on_epoch(report)`` returning True stops training. Runs on
    ``config.threads`` torch threads, restoring the previous count afterwards; the seed
    (weights, dropout) is set inside ``torch.random.fork_rng``, so the caller's RNG is untouched.
    """
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        with torch.random.fork_rng(devices=[]):  # the seed stays inside this run
            torch.manual_seed(config.seed)
            return _train(config, train_ids, held_out_ids, vocab_size, on_epoch)
    finally:
        torch.set_num_threads(previous_threads)


def _train(config, train_ids, held_out_ids, vocab_size, on_epoch) -> TrainResult:
    model = CharModel(
        vocab_size,
        config.embedding_size,
        config.hidden_size,
        config.cell,
        config.dropout,
        config.tied,
    )
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    batches = [
        (torch.as_tensor(x), torch.as_tensor(y))
        for x, y in stream_batches(train_ids, config.batch_size, config.bptt)
    ]
    result = TrainResult(model, config)
    start = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        state = None  # every stream starts from zeros once an epoch
        losses = []
        for x, y in batches:
            logits, state = model(x, state)
            state = detach(state)  # carry the memory forward, not the gradient
            loss = nn.functional.cross_entropy(logits.reshape(-1, vocab_size), y.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            norm = nn.utils.clip_grad_norm_(model.parameters(), config.clip)
            optimiser.step()
            losses.append(loss.item())
            result.grad_norms.append(float(norm))
        result.batch_losses.extend(losses)
        report = EpochReport(
            epoch, config.epochs, float(np.mean(losses)), held_out_loss(model, held_out_ids)
        )
        result.epochs.append(report)
        if on_epoch is not None and on_epoch(report):
            result.stopped = True
            break
    result.seconds = time.perf_counter() - start
    model.eval()
    return result
