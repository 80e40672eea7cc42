"""Notebook 12's widgets (lstm_course.widgets.poems) and pictures (lstm_course.plots.poems)."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course.plots.poems import (
    activation_strips_html,
    coloured_text_html,
    confidence_poem_html,
    draw_bars,
    draw_gate_along_line,
    draw_losses,
    draw_position_correlations,
)
from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.poems import poem_playground, trained_cell_playground


@pytest.fixture(scope="module")
def playground():
    return poem_playground()


def test_both_playgrounds_are_registered():
    names = all_playgrounds()
    assert "lstm_course.widgets.poems.poem_playground" in names
    assert "lstm_course.widgets.poems.trained_cell_playground" in names


def test_generate_draws_a_new_poem_and_the_seed_brings_the_old_one_back(playground):
    first = playground.readout.value
    button = playground.beside["seed"]
    button.click()
    assert playground.controls["seed"].value == 1 and playground.readout.value != first
    playground.controls["seed"].value = 0
    assert playground.readout.value == first


def test_the_acrostic_box_writes_a_hidden_head_poem(playground):
    playground.controls["acrostic"].value = "春夏秋冬"
    assert "藏头诗 on 春夏秋冬" in playground.readout.value
    playground.controls["line_length"].value = 7
    assert "7 a line" in playground.readout.value
    playground.controls["acrostic"].value = "春，"
    assert "heads must be characters of a line" in playground.readout.value
    playground.controls["acrostic"].value = ""


def test_a_start_text_begins_the_poem(playground):
    playground.controls["start"].value = "明月"
    assert "A free poem" in playground.readout.value
    assert playground.readout.value.index(">明<") < playground.readout.value.index(">月<")
    playground.controls["start"].value = ""


def test_the_cell_playground_shows_the_trained_cells_step():
    cell = trained_cell_playground()
    before, image = cell.readout.value, cell.live.image.value
    cell.controls["t"].value = 5
    assert cell.readout.value != before and cell.live.image.value != image
    assert "Step 6" in cell.readout.value
    units = list(cell.controls["units"].options)
    assert units[0].startswith("line-position units") and units[1] == "units 0–2"
    cell.controls["units"].value = units[1]
    assert "Units [0, 1, 2] of 128" in cell.readout.value
    cell.controls["show"].value = "forget gate"
    assert cell.readout.value  # the view changes the dimming only


def test_coloured_text_html_colours_every_character_and_checks_lengths():
    html = coloured_text_html("明月", np.array([-1.0, 1.0]))
    assert html.count("<span title=") == 2 and "#" in html
    with pytest.raises(ValueError, match=r"values has shape \(3,\); expected \(2,\)"):
        coloured_text_html("明月", np.zeros(3))
    assert coloured_text_html("a\nb", np.zeros(3)).count("<br>") == 1
    strips = activation_strips_html("明月", np.zeros((2, 5)), [1, 3])
    assert strips.count("<tr>") == 2 and "h_t[3]" in strips


def test_confidence_poem_html_breaks_after_each_couplet_and_underlines_given():
    text = "白日依山尽，黄河入海流。欲"
    html = confidence_poem_html(text, np.full(len(text), 0.5), np.arange(len(text)) == 0)
    assert html.count("<br>") == 1 and html.count("underline") == 1


def test_the_matplotlib_pictures_draw_on_the_axes_they_are_given():
    figure = Figure()
    ax = draw_losses(figure.add_subplot(2, 2, 1), [3, 2], [3.5, 3], bigram_loss=3.2)
    assert len(ax.lines) == 3
    ax = draw_bars(figure.add_subplot(2, 2, 2), {"LSTM": 180.0, "bigram": 204.0}, "perplexity")
    assert len(ax.patches) == 2 and ax.texts[0].get_text() == "180"
    r = np.array([0.1, -0.9, 0.5, 0.0])
    ax = draw_position_correlations(figure.add_subplot(2, 2, 3), r, marked=2)
    assert {t.get_text() for t in ax.texts} == {"unit 1", "unit 2"}
    ax = draw_gate_along_line(figure.add_subplot(2, 2, 4), np.full((6, 4), 0.5), [0, 2])
    assert len(ax.lines) == 2 and ax.get_xticklabels()[-1].get_text() == "mark"
