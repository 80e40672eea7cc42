"""Three models of the next character, and the perplexity that compares them.

- ``CharModel``: embedding → ``nn.LSTM`` (or ``nn.RNN``, the vanilla RNN of notebook 03, with
  the same sizes) → linear. For each character of the input it gives the logits of the next one:

      x_t = E[c_t]                       the character's embedding, a learned (D,) vector
      h_t, C_t = LSTM(x_t, h_{t-1}, C_{t-1})
      z_t = W_y·h_t + b_y                (V,) logits, one per character of the vocabulary
      P(c_{t+1} = k) = softmax(z_t)_k

- ``Bigram``: P(next | this character) from counts of character pairs in the training text,
  smoothed by Witten–Bell interpolation with the (add-one) character frequencies, so an unseen
  pair keeps some probability. It has no parameters to tune: the baseline a model must beat.

Perplexity is exp of the mean cross-entropy per character, exp(−(1/N) Σ log P(c_{t+1} | …)):
the number of equally likely characters the model is as unsure as. A model that knew nothing
would score the vocabulary size V; one that knew everything, 1.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from lstm_course.i18n import _

CELLS = ("lstm", "rnn")


class CharModel(nn.Module):
    """Embedding (V, D) → one-layer nn.LSTM or nn.RNN (D → H) → Linear (H → V), batch first.

    ``forward(ids, state)``: ids (B, T) int64 -> logits (B, T, V) and the state after the last
    step (for an LSTM the pair (h, C), each (1, B, H); for an RNN h, (1, B, H)). While training,
    ``dropout`` zeroes that share of x_t's and of h_t's values (a regulariser: 351 poems are few).
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_size: int,
        hidden_size: int,
        cell: str = "lstm",
        dropout: float = 0.0,
        tied: bool = False,
    ) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ValueError(
                _("cell must be one of {cells}; got {cell}").format(cells=CELLS, cell=repr(cell))
            )
        for name, value in (
            ("vocab_size", vocab_size),
            ("embedding_size", embedding_size),
            ("hidden_size", hidden_size),
        ):
            if value < 1:
                raise ValueError(
                    _("{name} must be at least 1; got {value}").format(name=name, value=value)
                )
        self.cell = cell
        self.embedding = nn.Embedding(vocab_size, embedding_size)
        recurrent = nn.LSTM if cell == "lstm" else nn.RNN
        self.rnn = recurrent(embedding_size, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(hidden_size, vocab_size)
        if tied:
            if embedding_size != hidden_size:
                raise ValueError(
                    _(
                        "tied weights need embedding_size = hidden_size; got D = {D}, H = {H}"
                    ).format(D=embedding_size, H=hidden_size)
                )
            self.output.weight = self.embedding.weight  # W_y = E: one vector per character

    @property
    def vocab_size(self) -> int:
        return self.embedding.num_embeddings

    @property
    def hidden_size(self) -> int:
        return self.rnn.hidden_size

    def forward(self, ids: torch.Tensor, state=None):
        if ids.dim() != 2:
            raise ValueError(
                _("ids has shape {shape}; expected (batch, steps)").format(shape=tuple(ids.shape))
            )
        h, state = self.rnn(self.dropout(self.embedding(ids)), state)
        return self.output(self.dropout(h)), state


def model_from_state_dict(state_dict: dict[str, torch.Tensor]) -> CharModel:
    """A CharModel with the sizes and cell that ``state_dict`` was saved from, weights loaded."""
    vocab_size, D = state_dict["embedding.weight"].shape
    rows, H = state_dict["rnn.weight_hh_l0"].shape
    cell = {H: "rnn", 4 * H: "lstm"}.get(rows)
    if cell is None:
        raise ValueError(
            _("rnn.weight_hh_l0 has shape {shape}: neither an LSTM nor an RNN").format(
                shape=(rows, H)
            )
        )
    model = CharModel(vocab_size, D, H, cell)
    model.load_state_dict(state_dict)
    return model.eval()


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def perplexity_from_loss(mean_cross_entropy: float) -> float:
    """exp(mean cross-entropy in nats per character)."""
    return math.exp(mean_cross_entropy)


EVAL_CHUNK = 256  # steps scored at a time: the logits of 23,000 steps at once would take 150 MB


@torch.no_grad()
def held_out_loss(model: CharModel, ids: np.ndarray) -> float:
    """Mean cross-entropy (nats) of predicting ids[1:] from what comes before, one pass from
    a zero state (read EVAL_CHUNK steps at a time, the state carried). ids (N,) int64,
    starting with END."""
    model.eval()
    x = torch.as_tensor(ids[:-1]).unsqueeze(0)
    y = torch.as_tensor(ids[1:])
    state, total = None, 0.0
    for start in range(0, x.shape[1], EVAL_CHUNK):
        logits, state = model(x[:, start : start + EVAL_CHUNK], state)
        target = y[start : start + EVAL_CHUNK]
        total += float(nn.functional.cross_entropy(logits[0], target, reduction="sum"))
    return total / y.numel()


def perplexity(model: CharModel | Bigram, ids: np.ndarray) -> float:
    """Perplexity of ids[1:] given the characters before each: exp(mean cross-entropy)."""
    if isinstance(model, Bigram):
        return perplexity_from_loss(model.loss(ids))
    return perplexity_from_loss(held_out_loss(model, ids))


class Bigram:
    """P(b | a) by Witten–Bell interpolation of pair counts with add-one character frequencies.

        P(b | a) = (n(a, b) + T(a)·P₁(b)) / (n(a) + T(a)),   P₁(b) = (n(b) + 1) / (N + V)

    n(a, b): how often b follows a in the training text; n(a) = Σ_b n(a, b); T(a): how many
    different characters follow a. The more varied a's followers, the more weight P₁ gets.
    """

    def __init__(self, ids: np.ndarray, vocab_size: int) -> None:
        # n(a, b), turned into P(b | a) in place; float32 halves the V × V table (11 MB)
        pairs = np.zeros((vocab_size, vocab_size), dtype=np.float32)
        np.add.at(pairs, (ids[:-1], ids[1:]), 1)
        unigram = (np.bincount(ids, minlength=vocab_size) + 1) / (ids.size + vocab_size)
        n_a = pairs.sum(axis=1, keepdims=True)
        types = np.count_nonzero(pairs, axis=1).reshape(-1, 1).astype(np.float64)
        unseen = (n_a + types).ravel() == 0  # a character never seen in training: P₁
        denominator = np.where(unseen[:, None], 1.0, n_a + types)
        for rows in np.array_split(np.arange(vocab_size), max(1, vocab_size // 256)):
            pairs[rows] += types[rows] * unigram  # a block at a time: no V × V temporary
            pairs[rows] /= denominator[rows]
        pairs[unseen] = unigram
        self.probabilities = pairs
        self.vocab_size = vocab_size

    def next_probabilities(self, previous: np.ndarray) -> np.ndarray:
        """P(next | previous): previous (B,) ids -> (B, V)."""
        return self.probabilities[previous]

    def loss(self, ids: np.ndarray) -> float:
        """Mean cross-entropy (nats) of ids[1:] given ids[:-1]."""
        p = self.probabilities[ids[:-1], ids[1:]].astype(np.float64)
        return float(-np.mean(np.log(p)))
