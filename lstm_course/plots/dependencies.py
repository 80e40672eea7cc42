"""Pictures of the long-term dependency problem (notebook 04, the article's §2.2).

``plot_accuracy_vs_gap``: held-out recall accuracy against the gap k, one line a model, with
the chance level. ``plot_loss_histories``: training loss against Adam step. ``plot_gradient_norms``:
‖∂h_T/∂h_0‖ against T on a log scale, one line a model; it returns a ``GradientNormPlot`` whose
``update`` moves a line in place, for the slider widget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from lstm_course.i18n import _
from lstm_course.shapes import as_float_array

COLOURS = {"RNN": "#d62728", "LSTM": "#1f77b4", "GRU": "#2ca02c"}
NORM_FLOOR = 1e-12  # gradients below this are drawn on the floor of the log axis
NORM_CEILING = 1e3


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_of_ten(value: float, _position: int | None = None) -> str:
    """A log-axis tick as 10⁻⁴ in plain Unicode (no mathtext to parse on every redraw)."""
    if value <= 0:
        return ""
    exponent = np.log10(value)
    if not np.isclose(exponent, round(exponent)):
        return ""
    return "10" + str(round(exponent)).translate(_SUPERSCRIPTS)


def _colour(label: str) -> str | None:
    """The course's colour for a model whose label starts with RNN, LSTM or GRU."""
    for name, colour in COLOURS.items():
        if label.startswith(name):
            return colour
    return None


def plot_accuracy_vs_gap(
    ax: Axes,
    gaps: Sequence[int],
    accuracies: Mapping[str, Sequence[float]],
    chance: float,
) -> Axes:
    """Held-out accuracy against the gap k: one line a model, and the chance level.

    gaps (K,); accuracies: label -> (K,) values in [0, 1], one per gap; chance: 1 / n_tokens.
    """
    gaps = np.asarray(gaps)
    for label, values in accuracies.items():
        values = as_float_array(f"accuracies[{label!r}]", values)
        if values.shape != gaps.shape:
            raise ValueError(
                f"accuracies[{label!r}] has shape {values.shape}; expected {gaps.shape} = (gaps,)"
            )
        style = "--" if "b_f" in label else "-"
        ax.plot(gaps, values, "o" + style, lw=2, ms=7, label=label, color=_colour(label))
    ax.axhline(chance, color="#777777", ls=":", lw=1.5)
    ax.text(
        gaps[-1],
        chance + 0.02,
        _("chance = {chance:.2f}").format(chance=chance),
        ha="right",
        va="bottom",
        color="#555",
    )
    ax.set_xticks(gaps)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(_("gap k: steps between the key and the question"))
    ax.set_ylabel(_("held-out accuracy"))
    ax.legend(loc="center left")
    ax.grid(alpha=0.3)
    return ax


def plot_loss_histories(
    ax: Axes, histories: Mapping[str, Sequence[float]], chance_loss: float | None = None
) -> Axes:
    """Training loss against Adam step, one line a model; ``chance_loss`` = ln(n_tokens)."""
    for label, history in histories.items():
        history = as_float_array(f"histories[{label!r}]", history)
        ax.plot(np.arange(1, history.size + 1), history, lw=1.2, label=label, color=_colour(label))
    if chance_loss is not None:
        ax.axhline(chance_loss, color="#777777", ls=":", lw=1.5)
        longest = max(len(history) for history in histories.values())
        ax.text(longest, chance_loss + 0.03, _("guessing: ln(n_tokens)"), ha="right", va="bottom")
    ax.set_xlabel(_("Adam step"))
    ax.set_ylabel(_("training cross-entropy"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="center left")
    ax.grid(alpha=0.3)
    return ax


@dataclass
class GradientNormPlot:
    """‖∂h_T/∂h_0‖ curves on a log axis; ``update(label, norms)`` moves one in place."""

    ax: Axes
    lines: dict[str, Line2D]
    guides: dict[str, Line2D]

    def update(self, label: str, norms: np.ndarray, guide: np.ndarray | None = None) -> None:
        """Replace the curve ``label`` by norms (T,) and its dashed guide by ``guide`` (T,)."""
        if label not in self.lines:
            raise ValueError(f"no curve named {label!r}; curves: {sorted(self.lines)}")
        line = self.lines[label]
        norms = as_float_array("norms", norms)
        expected = np.shape(line.get_xdata())
        if norms.shape != expected:
            raise ValueError(f"norms has shape {norms.shape}; expected {expected} = (T,)")
        line.set_ydata(np.clip(norms, NORM_FLOOR, None))
        if guide is not None and label in self.guides:
            guide = as_float_array("guide", guide)
            self.guides[label].set_ydata(np.clip(guide, NORM_FLOOR, None))


def plot_gradient_norms(
    ax: Axes,
    norms: Mapping[str, np.ndarray],
    guides: Mapping[str, np.ndarray] | None = None,
    guide_labels: Mapping[str, str] | None = None,
) -> GradientNormPlot:
    """‖∂h_T/∂h_0‖ against T = 1 … len(norms), log scale: how far back a gradient reaches.

    norms: label -> (T,) values; guides: label -> (T,) a dashed line of the same colour
    (e.g. ρ^T for the RNN, σ(b_f)^T for the LSTM), named in the legend by ``guide_labels``.
    Values below 1e-12 sit on the floor.
    """
    lines, guide_lines = {}, {}
    for label, values in norms.items():
        values = as_float_array(f"norms[{label!r}]", values)
        T = np.arange(1, values.size + 1)
        colour = _colour(label)
        lines[label] = ax.plot(
            T, np.clip(values, NORM_FLOOR, None), lw=2.2, label=label, color=colour
        )[0]
        if guides is not None and label in guides:
            guide = np.clip(as_float_array(f"guides[{label!r}]", guides[label]), NORM_FLOOR, None)
            guide_lines[label] = ax.plot(
                T,
                guide,
                ls="--",
                lw=1.2,
                color=colour,
                alpha=0.7,
                label=_(guide_labels[label]) if guide_labels and label in guide_labels else None,
            )[0]
    ax.set_yscale("log")
    ax.set_ylim(NORM_FLOOR, NORM_CEILING)
    ax.set_yticks(10.0 ** np.arange(-12, 4, 3))  # every third decade: fewer labels to draw
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.axhline(1.0, color="#999999", lw=0.8)
    ax.set_xlabel(_("T: steps back"))
    ax.set_ylabel("‖∂h_T / ∂h_0‖")
    ax.legend(loc="lower left")
    ax.grid(alpha=0.3, which="major")
    return GradientNormPlot(ax, lines, guide_lines)
