"""Pictures for notebook 02: word order against a bag of words, the times that share a sine,
and a feed-forward net's training that stalls at the floor.

Drawing only: the numbers come from ``lstm_course.sequences`` and ``lstm_course.feedforward``.
Functions that a widget animates return an artists object whose ``update`` changes data and
texts in place. Figure text stays in Latin script (the default fonts have no Chinese glyphs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.text import Text

from lstm_course.i18n import N_, _
from lstm_course.sequences import TWO_PI, bag_of_words, fading_memory, same_sin_times
from lstm_course.shapes import checked, matrix, vector

SENTENCE_COLOUR = "tab:blue"
SHUFFLED_COLOUR = "tab:orange"
COS_POSITIVE = "tab:green"
COS_NEGATIVE = "tab:red"
T_RANGE = (0.0, 6 * TWO_PI)  # the article's data: [0, 12π]
CURVE_POINTS = 1200


# --- word order ------------------------------------------------------------------------------


@dataclass
class WordOrderPicture:
    """The artists of ``draw_word_order``; ``update`` takes a new shuffled sentence or λ."""

    xs: np.ndarray
    sentence_memory_bars: BarContainer
    bag_bars: BarContainer
    memory_bars: BarContainer
    memory_title: Text

    def update(self, xs_shuffled: np.ndarray, decay: float) -> None:
        """Redraw for the shuffled sentence xs_shuffled (T, D) and the memory's λ = decay."""
        xs_shuffled = checked("xs_shuffled", xs_shuffled, self.xs.shape, "xs's shape")
        heights = (
            (self.bag_bars, bag_of_words(xs_shuffled)),
            (self.memory_bars, fading_memory(xs_shuffled, decay)[-1]),
            (self.sentence_memory_bars, fading_memory(self.xs, decay)[-1]),
        )
        for bars, values in heights:
            for bar, value in zip(bars, values, strict=True):
                bar.set_height(value)
        self.memory_title.set_text(
            _("final state h_T of h_t = {decay:.2f}·h_(t-1) + x_t  (carried)").format(decay=decay)
        )


def draw_word_order(
    ax_bag: Axes, ax_memory: Axes, xs: np.ndarray, xs_shuffled: np.ndarray, decay: float
) -> WordOrderPicture:
    """Two summaries of a sentence xs (T, D) and of the same words shuffled, side by side.

    Left: the bag of words Σ_t x_t — the bars of the two orders coincide. Right: a fading
    memory h_T = Σ_t λ^{T-t}·x_t with λ = ``decay`` — they differ. One bar pair a component.
    """
    xs = matrix("xs", xs)
    components = np.arange(xs.shape[1])
    width = 0.38
    bars = {}
    for ax, name in ((ax_bag, "bag"), (ax_memory, "memory")):
        zeros = np.zeros(components.size)
        bars[name, "sentence"] = ax.bar(
            components - width / 2, zeros, width, color=SENTENCE_COLOUR, label=_("sentence")
        )
        bars[name, "shuffled"] = ax.bar(
            components + width / 2, zeros, width, color=SHUFFLED_COLOUR, label=_("shuffled")
        )
        ax.axhline(0.0, color="0.5", lw=0.8)
        ax.set_xticks(components, [_("component {d}").format(d=d) for d in components])
        ax.legend(loc="upper right", fontsize=8)
    for bar, value in zip(bars["bag", "sentence"], bag_of_words(xs), strict=True):
        bar.set_height(value)
    limit = 1.2 * float(np.abs(bag_of_words(xs)).max()) + 0.5
    for ax in (ax_bag, ax_memory):
        ax.set_ylim(-limit, limit)
    ax_bag.set_title(_("bag of words  Σ x_t  (one word at a time, nothing kept)"))
    ax_memory.set_title(" ")
    picture = WordOrderPicture(
        xs,
        bars["memory", "sentence"],
        bars["bag", "shuffled"],
        bars["memory", "shuffled"],
        ax_memory.title,
    )
    picture.update(xs_shuffled, decay)
    return picture


# --- sin t does not determine cos t --------------------------------------------------------


@dataclass
class SameSinPicture:
    """The artists of ``draw_same_sin``; ``update(t)`` moves the level and the marked times."""

    level: Line2D
    sin_marks: Line2D
    cos_up: Line2D
    cos_down: Line2D
    links: LineCollection
    chosen: Line2D
    caption: Text
    t_range: tuple[float, float]

    def update(self, t: float) -> np.ndarray:
        """Mark every t' in range with sin t' = sin t; return those times (n,)."""
        t = float(checked("t", t, ()))
        times = same_sin_times(t, *self.t_range)
        cos = np.cos(times)
        up = cos >= 0
        self.level.set_ydata([np.sin(t)] * 2)
        self.sin_marks.set_data(times, np.sin(times))
        self.cos_up.set_data(times[up], cos[up])
        self.cos_down.set_data(times[~up], cos[~up])
        self.links.set_segments([[(tp, np.sin(tp)), (tp, np.cos(tp))] for tp in times])
        self.chosen.set_data([t], [np.cos(t)])
        values = sorted({round(float(c), 3) + 0.0 for c in cos})
        self.caption.set_text(
            _("sin t = {sin:.3f} at {n} times in [0, 12π];  cos there: {cos}").format(
                sin=np.sin(t), n=times.size, cos=", ".join(f"{c:+.3f}" for c in values)
            )
        )
        return times


def draw_same_sin(ax: Axes, t: float, t_range: tuple[float, float] = T_RANGE) -> SameSinPicture:
    """sin and cos over the article's time range; every t' with sin t' = sin t is marked.

    On sin the marks share one height (the input a feed-forward net sees); dotted lines drop
    to cos at the same times, green where cos > 0 and red where cos < 0 (the targets it
    should produce). The chosen t has a ring on cos.
    """
    grid = np.linspace(*t_range, CURVE_POINTS)
    ax.plot(grid, np.sin(grid), color="0.35", lw=1.5, label=_("x = sin t (input)"))
    ax.plot(
        grid, np.cos(grid), color="tab:purple", lw=1.2, alpha=0.6, label=_("y = cos t (target)")
    )
    (level,) = ax.plot(t_range, [0, 0], color="0.35", ls="--", lw=1)
    links = LineCollection([], colors="0.6", linestyles=":", lw=1)
    ax.add_collection(links)
    (sin_marks,) = ax.plot([], [], "o", color="0.2", ms=5)
    (cos_up,) = ax.plot([], [], "o", color=COS_POSITIVE, ms=7, label="cos > 0")
    (cos_down,) = ax.plot([], [], "o", color=COS_NEGATIVE, ms=7, label="cos < 0")
    (chosen,) = ax.plot([], [], "o", mfc="none", mec="black", ms=13, mew=1.5, label=_("chosen t"))
    ax.set_xlim(*t_range)
    ax.set_ylim(-1.2, 1.2)
    ax.set_xticks(np.arange(0, t_range[1] + 1e-9, np.pi), _pi_labels(t_range[1]))
    ax.set_xlabel("t")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    caption = ax.set_title(" ", fontsize=10)
    picture = SameSinPicture(
        level,
        sin_marks,
        cos_up,
        cos_down,
        links,
        chosen,
        caption,
        (float(t_range[0]), float(t_range[1])),
    )
    picture.update(t)
    return picture


def _pi_labels(t_max: float) -> list[str]:
    """Tick labels 0, π, 2π, … up to t_max."""
    count = int(np.floor(t_max / np.pi + 1e-9)) + 1
    return ["0", "π"] + [f"{k}π" for k in range(2, count)] if count > 1 else ["0"]


# --- the feed-forward net stalls -----------------------------------------------------------


def plot_loss_history(
    ax: Axes,
    train_loss: Sequence[float],
    test_loss: Sequence[float],
    floor: float,
    control_loss: Sequence[float] | None = None,
    control_label: str = N_("control: test MSE"),
) -> Axes:
    """Train and test MSE per epoch against the floor mean(cos² t) of any sin-only model.

    ``control_loss`` (same length) adds the test MSE of the same net on a target that *is* a
    function of its input, to show that the trainer is not what fails. Epochs on a log axis,
    so the first few steps are visible.
    """
    train_loss = vector("train_loss", train_loss)
    test_loss = checked("test_loss", test_loss, train_loss.shape, "train_loss's shape")
    epochs = np.arange(1, train_loss.size + 1)
    ax.plot(epochs, train_loss, color=SENTENCE_COLOUR, lw=2, label=_("train MSE"))
    ax.plot(epochs, test_loss, color=SHUFFLED_COLOUR, lw=1.5, ls="--", label=_("test MSE"))
    ax.axhline(
        floor,
        color="black",
        lw=1,
        ls=":",
        label=_("floor mean(cos² t) = {floor:.3f}").format(floor=floor),
    )
    if control_loss is not None:
        control_loss = checked("control_loss", control_loss, train_loss.shape, "train_loss's shape")
        ax.plot(epochs, control_loss, color="tab:green", lw=1.5, label=_(control_label))
    ax.set_xscale("log")
    ax.set_xlabel(_("epoch"))
    ax.set_ylabel("MSE")
    ax.set_ylim(0.0, max(1.0, 1.05 * float(np.max(train_loss))))
    ax.set_title(_("A feed-forward net on sin t → cos t"))
    ax.legend(loc="upper right")
    return ax


def plot_feedforward_fit(ax: Axes, t: np.ndarray, y: np.ndarray, prediction: np.ndarray) -> Axes:
    """The target cos t and the net's guess over the test times; t, y, prediction (N,)."""
    t = vector("t", t)
    y = checked("y", y, t.shape, "t's shape")
    prediction = checked("prediction", prediction, t.shape, "t's shape")
    ax.plot(t, np.sin(t), color="0.6", lw=1, label=_("input sin t"))
    ax.plot(t, y, color="tab:purple", lw=2, label=_("target cos t"))
    ax.plot(t, prediction, color=SHUFFLED_COLOUR, lw=2, ls="--", label=_("feed-forward guess"))
    ax.set_xlabel(_("t (test half)"))
    ax.set_ylim(-1.3, 1.7)
    ax.set_title(_("Its guess on the test half"))
    ax.legend(loc="upper right", ncols=3, fontsize=8)
    return ax
