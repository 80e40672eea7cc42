"""The article's data (§4): 200 points of t over [0, 12π]; x = sin t, y = cos t, float32.

The first half trains, the second half tests (the article's ``train_data_ratio = 0.5``;
its comment "Choose 80% of the data for testing" is wrong on both counts).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

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
    n_points: int = N_POINTS, t_end: float = T_END, train_ratio: float = TRAIN_RATIO
) -> SinCosData:
    """The article's dataset: t = linspace(0, t_end, n_points), sin and cos as float32."""
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2; got {n_points}")
    if not 0.0 < train_ratio < 1.0:
        raise ValueError(f"train_ratio must be between 0 and 1; got {train_ratio}")
    t = np.linspace(0.0, t_end, n_points)
    x = np.sin(t).astype(np.float32)
    y = np.cos(t).astype(np.float32)
    return SinCosData(t, x, y, int(n_points * train_ratio))
