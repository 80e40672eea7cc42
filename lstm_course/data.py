"""The article's data (§4): 200 points of t over [0, 12π]; x = sin t, y = cos t, float32.

The first half trains, the second half tests (the article's ``train_data_ratio = 0.5``;
its comment "Choose 80% of the data for testing" is wrong on both counts).

Layouts cut a series of N points into nn.LSTM's input (seq_len, batch, 1). The article's
``reshape(-1, 5, 1)`` is the ``"article"`` layout: 20 time steps of 5 sequences, sequence b
holding every 5th point from b, each starting from a zero state (erratum 3). The others:
``"chunks"`` (5 blocks of neighbours), ``"sequence"`` (one sequence) and ``"one_step"``
(seq_len = 1, no past at all). ``to_sequences`` and ``from_sequences`` go there and back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from lstm_course.i18n import _

N_POINTS = 200
T_END = 12 * np.pi  # six periods of sin
TRAIN_RATIO = 0.5


class SinCosData(NamedTuple):
    """t, x = sin t and y = cos t, each (N,); ``split`` is the first test index."""

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    split: int

    @property
    def train(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, x, y) of the training half."""
        return self.t[: self.split], self.x[: self.split], self.y[: self.split]

    @property
    def test(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, x, y) of the test half."""
        return self.t[self.split :], self.x[self.split :], self.y[self.split :]


def sin_cos_data(
    n_points: int = N_POINTS,
    t_end: float = T_END,
    train_ratio: float = TRAIN_RATIO,
    phase: float = 0.0,
    frequency: float = 1.0,
) -> SinCosData:
    """The article's dataset: t = linspace(0, t_end, n_points), sin and cos as float32.

    ``phase`` φ and ``frequency`` ω give x = sin(ωt + φ), y = cos(ωt + φ) instead, for
    testing a trained model on a series it has not seen (the article uses φ = 0, ω = 1).
    """
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2; got {n_points}")
    if not 0.0 < train_ratio < 1.0:
        raise ValueError(f"train_ratio must be between 0 and 1; got {train_ratio}")
    if not (np.isfinite(phase) and np.isfinite(frequency) and frequency > 0):
        raise ValueError(f"phase must be finite and frequency positive; got {phase}, {frequency}")
    t = np.linspace(0.0, t_end, n_points)
    x = np.sin(frequency * t + phase).astype(np.float32)
    y = np.cos(frequency * t + phase).astype(np.float32)
    return SinCosData(t, x, y, int(n_points * train_ratio))


# --- Layouts: how a series of N points becomes nn.LSTM's (seq_len, batch, feature) ---------
#
# nn.LSTM reads its input as (seq_len, batch, feature) unless batch_first=True. The hidden
# state flows along seq_len, within one column of the batch; every column starts from a zero
# state. A layout is therefore a table of time indices, shape (seq_len, batch): column b lists,
# in order, the points sequence b sees.

ARRANGEMENTS = ("strided", "contiguous")


@dataclass(frozen=True)
class Layout:
    """How N points are cut into ``n_sequences`` sequences for nn.LSTM.

    ``arrangement="strided"`` is ``values.reshape(-1, B, 1)``: sequence b holds the points
    b, b + B, b + 2B, ... (every B-th point). ``"contiguous"`` cuts the series into B blocks of
    consecutive points. ``n_sequences=None`` means one sequence per point (seq_len = 1).
    """

    arrangement: str
    n_sequences: int | None

    def __post_init__(self) -> None:
        if self.arrangement not in ARRANGEMENTS:
            raise ValueError(f"arrangement must be one of {ARRANGEMENTS}; got {self.arrangement!r}")
        if self.n_sequences is not None and self.n_sequences < 1:
            raise ValueError(f"n_sequences must be at least 1; got {self.n_sequences}")

    def indices(self, n_points: int) -> np.ndarray:
        """Time indices (seq_len, batch): column b is sequence b, read top to bottom."""
        batch = n_points if self.n_sequences is None else self.n_sequences
        if n_points < 1 or n_points % batch:
            raise ValueError(
                _("{n_points} points cannot be cut into {batch} sequences of equal length").format(
                    n_points=n_points, batch=batch
                )
            )
        index = np.arange(n_points)
        if self.arrangement == "strided":
            return index.reshape(-1, batch)  # the article's reshape(-1, 5, 1), feature dropped
        return index.reshape(batch, -1).T  # block b = points b·L ... b·L + L - 1

    def describe(self, n_points: int) -> str:
        """One line: seq_len, batch and the step between consecutive points of a sequence."""
        seq_len, batch = self.indices(n_points).shape
        stride = batch if self.arrangement == "strided" else 1
        if seq_len == 1:
            stride = 0
        return _("(seq_len, batch, feature) = ({seq_len}, {batch}, 1), index step {stride}").format(
            seq_len=seq_len, batch=batch, stride=stride
        )


LAYOUTS: dict[str, Layout] = {
    "article": Layout("strided", 5),  # reshape(-1, 5, 1): 20 steps × 5 stride-5 sequences
    "chunks": Layout("contiguous", 5),  # what "batch size 5" meant: 5 blocks of 20 neighbours
    "sequence": Layout("contiguous", 1),  # one sequence of every point, in order
    "one_step": Layout("strided", None),  # seq_len = 1: no past at all (erratum 6)
}


def layout_named(layout: str | Layout) -> Layout:
    """A Layout, given itself or one of the names in ``LAYOUTS``."""
    if isinstance(layout, Layout):
        return layout
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {sorted(LAYOUTS)}; got {layout!r}")
    return LAYOUTS[layout]


def to_sequences(values: np.ndarray, layout: str | Layout) -> np.ndarray:
    """A series (N,) as nn.LSTM's input (seq_len, batch, 1), float32, cut by ``layout``."""
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(f"values has shape {values.shape}; expected a series (N,)")
    index = layout_named(layout).indices(values.size)
    return values[index][..., np.newaxis].astype(np.float32)


def from_sequences(outputs: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Back to a series (N,): undoes ``to_sequences`` for outputs (seq_len, batch, 1).

    For the article's strided layout this is just ``view(-1)`` (the reason its plot looks
    right whatever the reshape did); for the others the indices must be put back in order.
    """
    outputs = np.asarray(outputs)
    if outputs.ndim != 3 or outputs.shape[2] != 1:
        raise ValueError(f"outputs has shape {outputs.shape}; expected (seq_len, batch, 1)")
    n_points = outputs.shape[0] * outputs.shape[1]
    index = layout_named(layout).indices(n_points)
    if index.shape != outputs.shape[:2]:
        raise ValueError(
            f"outputs has shape {outputs.shape}; expected {index.shape + (1,)} for this layout"
        )
    series = np.empty(n_points, dtype=outputs.dtype)
    series[index] = outputs[..., 0]
    return series
