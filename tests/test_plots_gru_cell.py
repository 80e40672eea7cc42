"""The GRU diagram: drawn once, updated in place, true to each convention."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_course import worked_example as we
from lstm_course.plots.cell_drawing import PathText
from lstm_course.plots.gru_cell import (
    DIM_ALPHA,
    FIGSIZE,
    HIGHLIGHTS,
    ONE_MINUS_Y,
    SPLIT_Y,
    GRUCellDiagram,
    draw_gru_cell,
)
from lstm_course.variants import GRUParams, GRUStep, TorchGRUParams, gru_cell, gru_cell_torch


def _shown(diagram: GRUCellDiagram, name: str) -> list[str]:
    return diagram.shown(name).split()


def _as_text(values) -> list[str]:
    return [f"{v:.2f}".replace("-", "−") for v in values]


@pytest.fixture
def params():
    return GRUParams.random(3, 3, np.random.default_rng(0))


def _draw(params, convention="article", highlight=None, x_t=we.x_t, h_prev=we.h_prev):
    ax = Figure(figsize=FIGSIZE).add_subplot()
    if convention == "article":
        step = gru_cell(x_t, h_prev, params)
    else:
        step = gru_cell_torch(x_t, h_prev, TorchGRUParams.from_article(params))
    return draw_gru_cell(ax, step, h_prev, x_t, highlight, convention), step


@pytest.mark.parametrize("convention", ["article", "pytorch"])
def test_chips_show_the_step(params, convention):
    diagram, step = _draw(params, convention)
    assert isinstance(diagram, GRUCellDiagram)
    for name in GRUStep._fields:
        assert _shown(diagram, name) == _as_text(getattr(step, name)), name
    assert _shown(diagram, "h_prev") == _as_text(we.h_prev)
    assert _shown(diagram, "x_t") == _as_text(we.x_t)


def test_article_keeps_one_minus_z_of_the_old_state(params):
    diagram, step = _draw(params, "article")
    assert _shown(diagram, "keep") == _as_text((1 - step.z_t) * we.h_prev)
    assert _shown(diagram, "write") == _as_text(step.z_t * step.h_tilde)
    assert _shown(diagram, "reset_product") == _as_text(step.r_t * we.h_prev)


def test_pytorch_keeps_z_of_the_old_state(params):
    diagram, step = _draw(params, "pytorch")
    assert _shown(diagram, "keep") == _as_text(step.z_t * we.h_prev)
    assert _shown(diagram, "write") == _as_text((1 - step.z_t) * step.h_tilde)
    assert "reset_product" not in diagram.chips  # r_t multiplies W_hn·h + b_hn, not h


def _texts(diagram: GRUCellDiagram) -> dict[str, PathText]:
    return {a.get_text(): a for a in diagram.ax.get_children() if isinstance(a, PathText)}


def test_conventions_draw_their_differences(params):
    article, _ = _draw(params, "article")
    torch_style, _ = _draw(params, "pytorch")
    assert r"$W_{hn} h + b_{hn}$" in _texts(torch_style)
    assert r"$W_{hn} h + b_{hn}$" not in _texts(article)
    # "1−" on the old state's way up (article) versus on the candidate's way right (PyTorch)
    assert _texts(article)["1−"].get_position()[1] == ONE_MINUS_Y
    assert _texts(torch_style)["1−"].get_position()[1] == SPLIT_Y


def test_update_changes_values_in_place(params):
    diagram, _ = _draw(params)
    n_artists = len(diagram.ax.get_children())
    before = _shown(diagram, "h_t")
    colour_before = diagram.chips["z_t"].squares[0].get_facecolor()
    x_new = np.array([-1.0, 0.5, 2.0])
    result = diagram.update(gru_cell(x_new, we.h_prev, params), we.h_prev, x_new)
    assert result is diagram
    assert _shown(diagram, "h_t") != before
    assert _shown(diagram, "x_t") == _as_text(x_new)
    assert diagram.chips["z_t"].squares[0].get_facecolor() != colour_before
    assert len(diagram.ax.get_children()) == n_artists


@pytest.mark.parametrize("highlight", HIGHLIGHTS)
def test_highlight_dims_the_rest(params, highlight):
    diagram, _ = _draw(params, highlight=highlight)
    alphas = {a.get_alpha() for a, parts in diagram._parts if highlight in parts}
    dimmed = {a.get_alpha() for a, parts in diagram._parts if highlight not in parts}
    assert alphas == {1.0}
    assert dimmed == {DIM_ALPHA}
    assert diagram.highlight == highlight
    assert highlight.split()[0] in diagram.caption.get_text() or highlight == "hidden"


def test_highlight_none_shows_everything_and_the_caption_changes(params):
    diagram, _ = _draw(params, highlight="reset")
    caption = diagram.caption.get_text()
    diagram.update(gru_cell(we.x_t, we.h_prev, params), we.h_prev, we.x_t, None)
    assert {a.get_alpha() for a, _ in diagram._parts} == {1.0}
    assert diagram.caption.get_text() != caption


def test_long_vectors_are_shortened():
    params = GRUParams.random(2, 6, np.random.default_rng(1))
    h_prev = np.zeros(6)
    diagram, _ = _draw(params, x_t=np.ones(2), h_prev=h_prev)
    assert len(diagram.chips["h_t"].squares) == 4
    assert len(_shown(diagram, "h_t")) == 4
    assert "…(6)" in _texts(diagram)


# --- errors -------------------------------------------------------------------------------


def test_bad_convention(params):
    with pytest.raises(ValueError, match="convention must be one of"):
        _draw(params, "keras")


def test_bad_highlight(params):
    with pytest.raises(ValueError, match="highlight must be None or one of"):
        _draw(params, highlight="forget")


def test_wrong_h_prev_names_the_symbol(params):
    ax = Figure().add_subplot()
    step = gru_cell(we.x_t, we.h_prev, params)
    with pytest.raises(ValueError, match=r"z_t has shape \(3,\); expected \(2,\)"):
        draw_gru_cell(ax, step, np.zeros(2), we.x_t)
    assert len(ax.patches) == 0  # failed before drawing anything


def test_update_checks_sizes_against_the_drawing(params):
    diagram, step = _draw(params)
    with pytest.raises(ValueError, match=r"x_t has shape \(2,\); expected \(3,\) = \(input,\)"):
        diagram.update(step, we.h_prev, np.zeros(2))


def test_step_must_be_a_gru_step(params):
    ax = Figure().add_subplot()
    with pytest.raises(ValueError, match="step must be a GRUStep"):
        draw_gru_cell(ax, (1, 2, 3, 4), we.h_prev, we.x_t)
