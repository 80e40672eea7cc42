"""Widgets for notebook 02: the times that share a sine, and word order against a bag of words.

Wiring only: ``lstm_course.sequences`` computes, ``lstm_course.plots.sequences`` draws.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lstm_course.i18n import _, language
from lstm_course.plots.sequences import T_RANGE, draw_same_sin, draw_word_order
from lstm_course.sequences import (
    EVEREST_GLOSS,
    EVEREST_TOKENS,
    bag_of_words,
    embed,
    fading_memory,
    shuffled,
    word_vectors,
)
from lstm_course.widgets.playground import Playground, register, slider

ARTICLE_T = 2.5  # the article's first example time (§4)
WORD_DIM = 4  # components of the toy word vectors
WORD_SEED = 0
GLOSS = dict(zip(EVEREST_TOKENS, EVEREST_GLOSS, strict=True))


def _glossed(token: str) -> str:
    """A word of the sentence, with its English gloss in the English edition only (a Chinese
    reader reads the word itself)."""
    if language() == "zh":
        return html.escape(token)
    return f"{html.escape(token)} ({GLOSS[token]})"


@register
def same_sin_playground() -> Playground:
    """A slider over t in [0, 12π]: every t' with sin t' = sin t is marked, with its cos t'.

    The readout lists the times and both values, so the student sees one input (sin) meet
    two targets (cos = ±√(1 − sin²)).
    """
    controls = {
        "t": widgets.FloatSlider(
            value=ARTICLE_T,
            min=T_RANGE[0],
            max=T_RANGE[1],
            step=0.05,
            description="t",
            readout_format=".2f",
            layout=widgets.Layout(width="90%"),
        )
    }
    figure = Figure(figsize=(10.0, 3.4), layout="constrained")
    picture = draw_same_sin(figure.subplots(), ARTICLE_T)

    def update(values: dict) -> str:
        times = picture.update(values["t"])
        cells = {
            "t'": [f"{tp:.3f}" for tp in times],
            "sin t'": [f"{np.sin(tp):+.3f}" for tp in times],
            "cos t'": [f"{np.cos(tp):+.3f}" for tp in times],
        }
        rows = "".join(
            f"<tr><th>{name}</th>{''.join(f'<td>{c}</td>' for c in row)}</tr>"
            for name, row in cells.items()
        )
        return f"<table style='font-family:monospace'>{rows}</table>"

    return Playground(controls, update, figure, title=_("Same sin t, different cos t"))


@register
def word_order_playground() -> Playground:
    """Shuffle "地球上最高的山是珠穆朗玛峰" and compare two summaries of its word vectors.

    A slider picks the shuffle (a seed), another the memory's λ. The bag of words never moves;
    the fading memory h_t = λ·h_{t-1} + x_t does, unless λ = 0 (then it keeps only the last word).
    """
    vectors = word_vectors(EVEREST_TOKENS, WORD_DIM, np.random.default_rng(WORD_SEED))
    xs = embed(EVEREST_TOKENS, vectors)
    controls = {
        "shuffle": widgets.IntSlider(value=1, min=1, max=30, description=_("shuffle #")),
        "decay": slider("λ", 0.5, 0.0, 0.95, 0.05),
    }
    figure = Figure(figsize=(9.5, 3.2), layout="constrained")
    ax_bag, ax_memory = figure.subplots(1, 2)
    first = shuffled(EVEREST_TOKENS, np.random.default_rng(1))
    picture = draw_word_order(ax_bag, ax_memory, xs, embed(first, vectors), 0.5)

    def update(values: dict) -> str:
        order = shuffled(EVEREST_TOKENS, np.random.default_rng(values["shuffle"]))
        xs_shuffled = embed(order, vectors)
        picture.update(xs_shuffled, values["decay"])
        same_bag = np.allclose(bag_of_words(xs), bag_of_words(xs_shuffled))
        same_memory = np.allclose(
            fading_memory(xs, values["decay"])[-1], fading_memory(xs_shuffled, values["decay"])[-1]
        )
        words = " / ".join(_glossed(token) for token in order)
        return (
            _("shuffled: {words}").format(words=words)
            + "<br>"
            + _(
                "bag of words equal: <b>{same_bag}</b>; fading memory equal: <b>{same_memory}</b>"
            ).format(same_bag=same_bag, same_memory=same_memory)
        )

    return Playground(controls, update, figure, title=_("Word order: a bag against a memory"))
