"""The pictures of the article's §4 experiment: the data, the layouts, the loss, the predictions.

- ``draw_sin_cos``: sin t and cos t with the article's markers at t = 2.5 and t = 6.8.
- ``draw_layout``: which points land in which sequence for a layout (one lane a sequence),
  and where each sequence starts from a zero state.
- ``draw_loss`` -> ``LossPlot``: the training loss on a log scale with the target line.
- ``draw_predictions`` -> ``PredictionPlot``: the article's train/test figure with the red
  dashed separator (its colours and labels: sin_trn, ref_cos_trn, pre_cos_trn, ...).

Each takes an Axes, draws and returns it (or an object holding the artists that a widget
updates in place). Nothing here saves, shows or prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from lstm_course.data import Layout, SinCosData, layout_named
from lstm_course.i18n import _

ARTICLE_MARKERS = (2.5, 6.8)  # the article's "sin(t) = 0.5" times (they are 0.598 and 0.494)
ARTICLE_SHOWN_POINTS = 60  # the article plots the first 60 of its 200 points
SEQUENCE_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")


def draw_sin_cos(
    ax: Axes,
    data: SinCosData,
    markers: Sequence[float] = ARTICLE_MARKERS,
    n_shown: int = ARTICLE_SHOWN_POINTS,
) -> Axes:
    """sin t and cos t over the first ``n_shown`` points, a dashed line at each marker time.

    Each marker's label states the exact sin and cos there, e.g. ``t = 2.5: sin 0.598, cos
    -0.801``: close sin values, opposite cos values, so sin alone cannot give cos.
    """
    t, x, y = data.t[:n_shown], data.x[:n_shown], data.y[:n_shown]
    ax.plot(t, x, label="sin(t)")
    ax.plot(t, y, label="cos(t)")
    for when, style in zip(markers, ("r--", "m--", "c--", "y--"), strict=False):
        sin_t, cos_t = np.sin(when), np.cos(when)
        ax.plot(
            [when, when], [-1.2, 1.2], style, label=f"t = {when}: sin {sin_t:.3f}, cos {cos_t:.3f}"
        )
        ax.plot([when, when], [sin_t, cos_t], "ko", markersize=4)
    ax.set_xlabel("t")
    ax.set_ylabel(_("sin(t) and cos(t)"))
    ax.set_ylim(-1.2, 1.2)
    ax.legend(loc="upper right", fontsize="small")
    return ax


LANE_HEIGHT = 0.38  # the amplitude of sin t drawn inside each sequence's lane


@dataclass
class LayoutPlot:
    """The artists of ``draw_layout``; ``update`` redraws them for another layout."""

    ax: Axes
    t: np.ndarray
    x: np.ndarray
    points: PathCollection
    paths: LineCollection
    starts: PathCollection
    title: Text

    def update(self, layout: str | Layout) -> None:
        """Move the points to their sequences' lanes, redraw the paths and the starts."""
        index = layout_named(layout).indices(self.t.size)  # (seq_len, batch)
        seq_len, batch = index.shape
        lane = np.empty(self.t.size, dtype=int)
        lane[index] = np.arange(batch)[np.newaxis, :]  # the sequence each point lands in
        xy = np.column_stack([self.t, lane - LANE_HEIGHT * self.x])  # y grows downwards
        self.points.set_offsets(xy)
        self.points.set_facecolor([SEQUENCE_COLOURS[b % len(SEQUENCE_COLOURS)] for b in lane])
        segments = [xy[column] for column in index.T] if seq_len > 1 else []
        self.paths.set_segments(segments)
        self.paths.set_color(
            [SEQUENCE_COLOURS[b % len(SEQUENCE_COLOURS)] for b in range(len(segments))]
        )
        self.starts.set_offsets(xy[index[0]])
        self.ax.set_ylim(batch - 0.5, -0.5)  # sequence 0 on top
        self.ax.set_yticks(range(batch) if batch <= 10 else [])
        if seq_len > 1:
            step = f"Δt = {(index[1, 0] - index[0, 0]) * (self.t[1] - self.t[0]):.2f}"
        else:
            step = _("no past")
        self.title.set_text(
            _("{batch} sequence(s) of {seq_len} step(s), {step}; rings: zero initial state").format(
                batch=batch, seq_len=seq_len, step=step
            )
        )


def draw_layout(ax: Axes, data: SinCosData, layout: str | Layout) -> LayoutPlot:
    """The training points in lanes, one lane for each sequence a layout makes.

    Each point sits at its time t, in the lane of the sequence it lands in, drawn at height
    sin t within the lane. Lines join the points in the order the hidden state visits them;
    a black ring marks each sequence's first point, where h_0 = C_0 = 0. The article's
    layout shows five coarse, interleaved samplings of the wave (Δt ≈ 0.95).
    """
    t, x, _y = data.train
    paths = LineCollection([], linewidths=1.2, alpha=0.8, zorder=1)
    ax.add_collection(paths)
    points = ax.scatter(t, x, s=16, zorder=2)
    starts = ax.scatter([], [], s=80, facecolors="none", edgecolors="black", zorder=3)
    ax.set_xlabel("t")
    ax.set_ylabel(_("sequence (batch index b)"))
    ax.set_xlim(t[0] - 0.5, t[-1] + 0.5)
    title = ax.set_title("", fontsize="medium")
    plot = LayoutPlot(ax, np.asarray(t), np.asarray(x), points, paths, starts, title)
    plot.update(layout)
    return plot


@dataclass
class LossPlot:
    """The loss curve of ``draw_loss``; ``update`` shows a longer history."""

    ax: Axes
    line: Line2D
    target_loss: float

    def update(self, losses: Sequence[float]) -> None:
        """Show ``losses`` (one a epoch) and widen the x-axis to fit."""
        epochs = np.arange(1, len(losses) + 1)
        self.line.set_data(epochs, losses)
        self.ax.set_xlim(0, max(len(losses), 10))
        if len(losses):
            finite = np.asarray(losses)[np.isfinite(losses)]
            if finite.size:
                self.ax.set_ylim(
                    min(finite.min(), self.target_loss) / 2, max(finite.max(), 1.0) * 2
                )


def draw_loss(ax: Axes, losses: Sequence[float], target_loss: float) -> LossPlot:
    """The MSE loss after every epoch (log scale) and a dashed line at the target."""
    ax.axhline(
        target_loss,
        color="red",
        linestyle="--",
        linewidth=1,
        label=_("target {target:g}").format(target=target_loss),
    )
    (line,) = ax.plot([], [], color="tab:blue", label=_("train loss (MSE)"))
    ax.set_yscale("log")
    ax.set_xlabel(_("epoch"))
    ax.set_ylabel(_("loss"))
    ax.legend(loc="upper right", fontsize="small")
    plot = LossPlot(ax, line, target_loss)
    plot.update(losses)
    return plot


@dataclass
class PredictionPlot:
    """The article's prediction figure; ``update`` swaps in new predictions."""

    ax: Axes
    train_line: Line2D
    test_line: Line2D

    def update(self, train_prediction: np.ndarray, test_prediction: np.ndarray) -> None:
        """Replace the dashed predicted-cos curves (train half, test half)."""
        self.train_line.set_ydata(train_prediction)
        self.test_line.set_ydata(test_prediction)


def draw_predictions(
    ax: Axes, data: SinCosData, train_prediction: np.ndarray, test_prediction: np.ndarray
) -> PredictionPlot:
    """The article's figure: inputs, true and predicted cos on both halves, separator at the split.

    Colours and labels are the article's; y runs to 4 to leave room for the legend and the
    "train" / "test" words, as in the article.
    """
    t_train, x_train, y_train = data.train
    t_test, x_test, y_test = data.test
    ax.plot(t_train, x_train, "g", label="sin_trn")
    ax.plot(t_train, y_train, "b", label="ref_cos_trn")
    (train_line,) = ax.plot(t_train, train_prediction, "y--", label="pre_cos_trn")
    ax.plot(t_test, x_test, "c", label="sin_tst")
    ax.plot(t_test, y_test, "k", label="ref_cos_tst")
    (test_line,) = ax.plot(t_test, test_prediction, "m--", label="pre_cos_tst")
    split_t = data.t[data.split]
    ax.plot([split_t, split_t], [-1.2, 4.0], "r--", label=_("separation line"))
    ax.set_xlabel("t")
    ax.set_ylabel(_("sin(t) and cos(t)"))
    ax.set_xlim(data.t[0], data.t[-1])
    ax.set_ylim(-1.2, 4)
    ax.legend(loc="upper right", fontsize="small", ncol=2)
    ax.text(split_t - 5, 2, _("train"), size=15)
    ax.text(split_t + 1, 2, _("test"), size=15)
    return PredictionPlot(ax, train_line, test_line)
