"""Widgets for notebook 12: the poem playground and one real step of the trained cell.

Wiring only: ``lstm_course.poems`` samples and reads the cell, ``lstm_course.plots.poems``
colours the text, ``lstm_course.plots.lstm_cell`` draws the cell of notebooks 05–08.

    poem_playground()       temperature, a starting text, an acrostic, a seed and Generate:
                            the poem, each character on the green of the model's confidence
    trained_cell_playground()  pick a character of a poem and three hidden units: the trained
                            LSTM's f_t, i_t, C̃_t, C_t, o_t, h_t for that step, on the live diagram
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from lstm_course.i18n import _
from lstm_course.plots.cell_drawing import MAX_UNITS_SHOWN
from lstm_course.plots.lstm_cell import draw_lstm_cell, new_cell_figure
from lstm_course.plots.poems import coloured_text_html, confidence_poem_html
from lstm_course.poems.corpus import LINE_LENGTHS, corpus_vocabulary, load_corpus, position_in_line
from lstm_course.poems.inside import position_correlations, read_text, top_units
from lstm_course.poems.sampling import acrostic, sample
from lstm_course.poems.shipped import load_shipped
from lstm_course.widgets.lstm_cell import VIEWS
from lstm_course.widgets.playground import Playground, register
from lstm_course.widgets.playground import choices as view_choices

DEFAULT_TEMPERATURE = 0.8
UNITS_SHOWN = 3  # three units at a time, like the article's cell (and the diagram's layout)
CELL_POEM = "静夜思"  # the poem whose characters the cell playground steps through


def _poem_readout(text: str, confidence: np.ndarray, given: np.ndarray, note: str) -> str:
    mean = float(np.mean(confidence[~given])) if (~given).any() else float("nan")
    return (
        f"{confidence_poem_html(text, confidence, given)}<br>"
        f"<small>{note} "
        + _(
            "Mean confidence of the drawn characters: {mean:.2f} "
            "(green: the model was sure; underlined: given, not drawn)."
        ).format(mean=mean)
        + "</small>"
    )


@register
def poem_playground() -> Playground:
    """Write with the shipped LSTM: τ, a start or an acrostic, a seed; Generate draws anew."""
    model, vocab = load_shipped("lstm"), corpus_vocabulary()
    controls = {
        # Writing a poem is a loop of up to 120 steps: it waits for the slider's release.
        "temperature": widgets.FloatSlider(
            value=DEFAULT_TEMPERATURE,
            min=0.1,
            max=2.0,
            step=0.05,
            description="τ",
            readout_format=".2f",
            continuous_update=False,
        ),
        "start": widgets.Text(value="", description=_("start"), continuous_update=False),
        "acrostic": widgets.Text(value="", description=_("acrostic"), continuous_update=False),
        "line_length": widgets.ToggleButtons(
            options=list(LINE_LENGTHS),
            value=5,
            description=_("line"),
            style={"button_width": "auto"},
        ),
        "seed": widgets.BoundedIntText(value=0, min=0, max=1_000_000, description=_("seed")),
    }
    generate = widgets.Button(description=_("Generate"), button_style="success", icon="pencil")

    def next_seed(_button) -> None:
        controls["seed"].value += 1  # a new draw; moving the seed back shows the old one again

    generate.on_click(next_seed)

    def update(values: dict) -> str:
        rng = np.random.default_rng(values["seed"])
        try:
            if values["acrostic"]:
                poem = acrostic(
                    model,
                    vocab,
                    values["acrostic"],
                    rng,
                    values["temperature"],
                    values["line_length"],
                )
                note = _("藏头诗 on {head}, {n} a line.").format(
                    head=html.escape(values["acrostic"]), n=values["line_length"]
                )
            else:
                poem = sample(model, vocab, rng, values["temperature"], values["start"])
                note = _("A free poem (the line length is the model's choice).")
        except ValueError as error:
            return f"<span style='color:#cf222e'>{html.escape(str(error))}</span>"
        return _poem_readout(poem.text, poem.confidence, poem.forced, note)

    return Playground(
        controls,
        update,
        title=_("Poem playground: the shipped LSTM writes"),
        beside={"seed": generate},
    )


def cell_poem() -> str:
    """The text of CELL_POEM (静夜思, Li Bai's 'Quiet night thoughts')."""
    return next(p.text for p in load_corpus().poems if p.title == CELL_POEM)


CORRELATION_POEMS = 12  # training poems over which units are correlated with the position


def position_units(model, vocab) -> np.ndarray:
    """The UNITS_SHOWN units whose h_t is most correlated with the position in the line,
    over the first CORRELATION_POEMS training poems."""
    text = "".join(p.text + "\n" for p in load_corpus().train_poems[:CORRELATION_POEMS])
    reading = read_text(model, vocab, text)
    return top_units(position_correlations(reading.steps.h_t, text), UNITS_SHOWN)


def unit_choices(model, vocab, strongest=None) -> dict[str, list[int]]:
    """The diagram's unit sets: the line-position units (``strongest``, or ``position_units``),
    then units 0–2, 3–5, … in order."""
    if strongest is None:
        strongest = position_units(model, vocab)
    strongest_name = _("line-position units {units}").format(units=", ".join(map(str, strongest)))
    choices = {strongest_name: [int(u) for u in strongest]}
    H = model.hidden_size
    for first in range(0, H - UNITS_SHOWN + 1, UNITS_SHOWN):
        choices[_("units {first}–{last}").format(first=first, last=first + UNITS_SHOWN - 1)] = list(
            range(first, first + UNITS_SHOWN)
        )
    return choices


@register
def trained_cell_playground(units=None) -> Playground:
    """One real step of the shipped LSTM on the live diagram: a character of 静夜思, three units.

    units: the line-position units if already found (``position_units``), else found here.
    """
    model, vocab = load_shipped("lstm"), corpus_vocabulary()
    text = cell_poem()
    reading = read_text(model, vocab, text)
    positions = position_in_line(text)
    choices = unit_choices(model, vocab, units)
    controls = {
        "t": widgets.SelectionSlider(
            options=[(f"{k + 1}: {ch}", k) for k, ch in enumerate(text)],
            value=2,
            description=_("character"),
        ),
        "units": widgets.Dropdown(options=list(choices), description=_("units")),
        "show": widgets.Dropdown(
            options=view_choices(VIEWS), value="whole cell", description=_("show")
        ),
    }
    figure, ax = new_cell_figure()

    def step_at(t: int, units: list[int]):
        s = reading.steps
        return (
            type(s)(*(field[t, units] for field in s)),
            reading.C_prev[t, units],
            reading.h_prev[t, units],
            reading.x[t],
        )

    diagram = draw_lstm_cell(ax, *step_at(2, choices[controls["units"].value]))

    def update(values: dict) -> str:
        t, units = values["t"], choices[values["units"]]
        diagram.update(*step_at(t, units), highlight=VIEWS[values["show"]])
        marker = np.zeros(len(text))
        marker[t] = 1.0
        where = (
            _("a punctuation mark")
            if positions[t] >= 5 and text[t] in "，。？！"
            else _("character {n} of its line").format(n=positions[t] + 1)
        )
        return f"{coloured_text_html(text, marker * 0.6, diverging=False, highlight=t)}<br>" + _(
            "Step {t}: the cell reads x_t = the embedding of {char} "
            "({where}; {n} numbers, the first {shown} shown). "
            "Units {units} of {hidden}: every number on the diagram is the trained model's."
        ).format(
            t=t + 1,
            char=html.escape(text[t]),
            where=where,
            n=reading.x.shape[1],
            shown=MAX_UNITS_SHOWN,
            units=units,
            hidden=model.hidden_size,
        )

    return Playground(controls, update, figure, title=_("One real step of the trained LSTM"))
