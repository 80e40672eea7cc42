"""Notebook 12's pictures: curves and bars in matplotlib, Chinese text as coloured HTML.

Matplotlib ships no font with Chinese characters (and the course installs none), so every
picture with a poem in it is HTML, drawn by the browser's own fonts, like the well-known
cell-activation pictures of character models: each character on a background whose colour is
a value (a unit's activation, a gate, the model's confidence). The numbers alone — losses,
perplexities, form scores, correlations — are matplotlib figures: ``f(ax, …) -> ax``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from lstm_course.i18n import N_, _

MODEL_COLOURS = {
    "LSTM": "#c0392b",
    "RNN": "#2e86c1",
    N_("bigram"): "#7f8c8d",
    N_("training poems"): "#27ae60",
}
DIVERGING = colormaps["RdBu_r"]  # −1 blue, 0 white, +1 red: the course's chip colours
SEQUENTIAL = colormaps["YlGn"]  # 0 … 1: confidence, gates


# --- matplotlib ------------------------------------------------------------------------------


def draw_losses(
    ax: Axes,
    train_loss: Sequence[float],
    held_out_loss: Sequence[float],
    bigram_loss: float | None = None,
    title: str = "",
) -> Axes:
    """Mean cross-entropy per character (nats) against epoch: training and held-out poems.

    The training curve is the mean over the epoch's updates, in training mode (with dropout),
    so it lies above the training loss of the finished model scored without dropout.

    bigram_loss: the bigram baseline's held-out loss, drawn as a dashed level.
    """
    epochs = np.arange(1, len(train_loss) + 1)
    ax.plot(
        epochs, train_loss, color="#34495e", label=_("training poems (with dropout, epoch mean)")
    )
    ax.plot(epochs, held_out_loss, color=MODEL_COLOURS["LSTM"], label=_("held-out poems"))
    if bigram_loss is not None:
        ax.axhline(bigram_loss, color=MODEL_COLOURS["bigram"], ls="--", label=_("bigram, held-out"))
    ax.set_xlabel(_("epoch"))
    ax.set_ylabel(_("cross-entropy (nats / character)"))
    ax.set_title(title)
    ax.legend(frameon=False)
    return ax


def draw_bars(
    ax: Axes,
    values: Mapping[str, float],
    ylabel: str,
    title: str = "",
    fmt: str = "{:.0f}",
    reference: tuple[str, float] | None = None,
) -> Axes:
    """One bar a model (coloured by MODEL_COLOURS), its value written on top.

    reference: (label, value) drawn as a dotted level (e.g. the training poems' own score).
    """
    names = list(values)
    heights = [values[n] for n in names]
    shown = [_(n) for n in names]  # a model's name is its key; the axis shows it translated
    bars = ax.bar(shown, heights, color=[MODEL_COLOURS.get(n, "#95a5a6") for n in names])
    for bar, value in zip(bars, heights, strict=True):
        ax.annotate(
            fmt.format(value),
            (bar.get_x() + bar.get_width() / 2, value),
            ha="center",
            va="bottom",
            xytext=(0, 2),
            textcoords="offset points",
        )
    if reference is not None:
        ax.axhline(
            reference[1], color=MODEL_COLOURS["training poems"], ls=":", label=_(reference[0])
        )
        ax.legend(frameon=False, loc="upper right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.margins(y=0.15)
    return ax


def draw_position_correlations(ax: Axes, correlations: np.ndarray, marked: int = 4) -> Axes:
    """Every unit's correlation with the position in the line, sorted; the strongest marked."""
    order = np.argsort(correlations)
    r = correlations[order]
    strongest = set(np.argsort(-np.abs(correlations))[:marked])
    colours = ["#c0392b" if unit in strongest else "#bdc3c7" for unit in order]
    ax.bar(np.arange(r.size), r, color=colours, width=1.0)
    # the strongest units sit at the two ends of the sorted bars: label them inward, side by side
    placed = {True: 0, False: 0}
    for k, unit in enumerate(order):
        if unit in strongest:
            at_right = k > r.size / 2
            shift = 10 + 45 * placed[at_right]
            placed[at_right] += 1
            ax.annotate(
                _("unit {unit}").format(unit=unit),
                (k, r[k]),
                ha="right" if at_right else "left",
                va="center",
                fontsize=8,
                xytext=(-shift if at_right else shift, 0),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": "#7f8c8d", "lw": 0.5},
            )
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlabel(_("hidden units, sorted by correlation"))
    ax.set_ylabel(_("correlation of $h_t$ with position"))
    ax.set_ylim(-1.1, 1.1)
    return ax


def draw_gate_along_line(
    ax: Axes, gate: np.ndarray, units: Sequence[int], symbol: str = "f_t", labels=None
) -> Axes:
    """A gate's value for a few units at each character of one line (x: 1, 2, …, then the mark).

    gate (L, H): the gate along the line's L characters; labels: the x tick labels (default
    1 … L − 1 and "mark").
    """
    x = np.arange(1, gate.shape[0] + 1)
    for unit in units:
        ax.plot(x, gate[:, unit], marker="o", label=_("unit {unit}").format(unit=unit))
    ax.set_xticks(x, labels if labels is not None else [*map(str, x[:-1]), _("mark")])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(_("character of the line"))
    ax.set_ylabel(f"${symbol}$")
    ax.legend(frameon=False, fontsize=8, ncols=2)
    return ax


# --- HTML: text coloured by a value ---------------------------------------------------------


def _colour(value: float, diverging: bool) -> str:
    if diverging:
        return to_hex(DIVERGING((np.clip(value, -1, 1) + 1) / 2))
    return to_hex(SEQUENTIAL(np.clip(value, 0, 1) * 0.85))


def coloured_text_html(
    text: str,
    values: np.ndarray,
    diverging: bool = True,
    underline: np.ndarray | None = None,
    highlight: int | None = None,
) -> str:
    """Each character on a background of its value's colour; its value in the tooltip.

    diverging: −1 blue … 0 white … +1 red (activations); else 0 white … 1 green (probabilities).
    underline: a boolean mask of characters to underline (given, not drawn); highlight: one
    position framed in black. A newline stays a line break.
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(text),):
        raise ValueError(
            f"values has shape {values.shape}; expected ({len(text)},), one a character"
        )
    spans = []
    for k, (ch, value) in enumerate(zip(text, values, strict=True)):
        if ch == "\n":
            spans.append("<br>")
            continue
        style = f"background:{_colour(value, diverging)};padding:1px 1px;"
        if underline is not None and underline[k]:
            style += "text-decoration:underline;"
        if highlight == k:
            style += "outline:2px solid black;"
        spans.append(f'<span title="{value:.3f}" style="{style}">{html.escape(ch)}</span>')
    return '<span style="font-size:1.25em;line-height:1.8">' + "".join(spans) + "</span>"


def activation_strips_html(
    text: str, values: np.ndarray, units: Sequence[int], symbol: str = "h_t"
) -> str:
    """One row a unit: the text, each character coloured by that unit's value (T, H)."""
    rows = "".join(
        f'<tr><td style="text-align:right;padding-right:8px;font-family:monospace">'
        f"{symbol}[{unit}]</td><td>{coloured_text_html(text, values[:, unit])}</td></tr>"
        for unit in units
    )
    return f"<table>{rows}</table>"


def confidence_poem_html(text: str, confidence: np.ndarray, given: np.ndarray | None = None) -> str:
    """A sampled poem, one couplet a line, each character on the green of its probability.

    Given characters (the start, an acrostic's heads and marks) are underlined.
    """
    lines_text, lines_conf, lines_given = [], [], []
    given = np.zeros(len(text), dtype=bool) if given is None else np.asarray(given, dtype=bool)
    for k, ch in enumerate(text):
        lines_text.append(ch)
        lines_conf.append(confidence[k])
        lines_given.append(given[k])
        if ch in "。？！" and k < len(text) - 1:
            lines_text.append("\n")
            lines_conf.append(0.0)
            lines_given.append(False)
    return coloured_text_html(
        "".join(lines_text), np.array(lines_conf), diverging=False, underline=np.array(lines_given)
    )
