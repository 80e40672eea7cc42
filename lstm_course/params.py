"""Parameters of a recurrent cell: frozen (W, b) blocks acting on [h_{t-1}, x_t].

Every cell of the course (RNN, LSTM, coupled LSTM, GRU) keeps its weights as pairs
W_g (H, H + D) and b_g (H,), one pair per layer g. ``CellParams`` gives such a frozen
dataclass its checks, its sizes and its initialisers once, for all of them.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np

from lstm_course.shapes import freeze_fields, recurrent_sizes


class CellParams:
    """Mixin for a frozen dataclass whose fields are the (W, b) pairs named in ``BLOCKS``.

    On construction every field becomes a finite, read-only float array and the shapes are
    checked: a ValueError names the block that does not fit,
    e.g. ``W_i has shape (3, 5); expected (3, 6) = (hidden, hidden + input)``.
    """

    BLOCKS: ClassVar[tuple[tuple[str, str], ...]]

    def __post_init__(self) -> None:
        freeze_fields(self)
        recurrent_sizes(self, list(self.BLOCKS))

    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units."""
        return getattr(self, self.BLOCKS[0][1]).size

    @property
    def input_size(self) -> int:
        """D, the number of input features (the length of x_t)."""
        return getattr(self, self.BLOCKS[0][0]).shape[1] - self.hidden_size

    @classmethod
    def random(cls, input_size: int, hidden_size: int, rng: np.random.Generator) -> Self:
        """Every weight and bias uniform in ±1/√H, as PyTorch initialises its recurrent layers."""
        bound = 1.0 / np.sqrt(hidden_size)
        blocks = {}
        for W_name, b_name in cls.BLOCKS:
            blocks[W_name] = rng.uniform(-bound, bound, (hidden_size, hidden_size + input_size))
            blocks[b_name] = rng.uniform(-bound, bound, hidden_size)
        return cls(**blocks)

    @classmethod
    def zeros(cls, input_size: int, hidden_size: int) -> Self:
        """All weights and biases zero: every σ gate is σ(0) = 0.5, every tanh layer 0."""
        blocks = {}
        for W_name, b_name in cls.BLOCKS:
            blocks[W_name] = np.zeros((hidden_size, hidden_size + input_size))
            blocks[b_name] = np.zeros(hidden_size)
        return cls(**blocks)
