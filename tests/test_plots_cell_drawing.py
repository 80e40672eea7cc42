"""The shared marks of the cell diagrams: outlined text, chips, parts that dim, the colour scale."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from lstm_course.plots.cell_drawing import (
    COLORMAP,
    DIM_ALPHA,
    MAX_UNITS_SHOWN,
    VALUE_SCALE,
    CellDiagram,
    PathText,
    format_value,
    new_cell_figure,
)


class TwoParts(CellDiagram):
    """The smallest diagram: a box in part "a", a circle in part "b", one chip in each."""

    highlights = ("a", "b")

    def caption_text(self, highlight: str | None) -> str:
        return f"lit: {highlight}"


def two_parts() -> TwoParts:
    _, ax = new_cell_figure()
    d = TwoParts(ax)
    d.box(5.0, 5.0, (0.6, 0.4), "σ", {"a"})
    d.pointwise(10.0, 5.0, "×", {"b"})
    d.line([(5.6, 5.0), (9.67, 5.0)], {"a", "b"})
    d.chip("u", (5.0, 3.0), 3, "$u$", {"a"})
    d.chip("v", (10.0, 3.0), 6, "$v$", {"b"}, "below")
    d.colour_scale(16.0, 19.5, 0.75, 1.05, {"a", "b"})
    d.caption = d.text(10.0, 9.4, "", {"a", "b"})
    return d


def redrawn(d: TwoParts, highlight: str | None = None) -> TwoParts:
    d.redraw({"u": np.array([-1.0, 0.0, 1.0]), "v": np.arange(6) / 10}, highlight)
    return d


# --- text as outlines ---------------------------------------------------------------------------


def test_path_text_reads_back_and_swaps_its_outline():
    text = PathText(3.0, 4.0, "σ", 0.34)
    first = text.get_path().vertices.copy()
    assert (text.get_text(), text.get_position()) == ("σ", (3.0, 4.0))
    text.set_text("tanh")
    assert text.get_text() == "tanh"
    assert text.get_path().vertices.shape != first.shape


@pytest.mark.parametrize(("ha", "side"), [("left", "min"), ("right", "max")])
def test_path_text_anchors_like_a_text(ha, side):
    vertices = PathText(3.0, 4.0, "label", 0.3, ha=ha).get_path().vertices
    edge = getattr(vertices[:, 0], side)()
    assert edge == pytest.approx(3.0, abs=1e-9)  # the anchor is the text's left or right edge
    centred = PathText(3.0, 4.0, "label", 0.3).get_path().vertices
    assert (centred[:, 0].min() + centred[:, 0].max()) / 2 == pytest.approx(3.0)


def test_format_value_has_a_real_minus_and_no_negative_zero():
    assert [format_value(v) for v in (-0.5, -0.001, 0.456, 7)] == ["−0.50", "0.00", "0.46", "7.00"]


# --- chips ----------------------------------------------------------------------------------------


def test_chip_shows_numbers_and_colours_on_one_scale():
    d = redrawn(two_parts())
    assert d.shown("u") == "−1.00 0.00 1.00"
    for square, value in zip(d.chips["u"].squares, (-1.0, 0.0, 1.0), strict=True):
        assert to_rgba(square.get_facecolor()) == to_rgba(COLORMAP(VALUE_SCALE(value)))


def test_long_chips_show_the_first_units_and_the_size():
    d = redrawn(two_parts())
    assert len(d.chips["v"].squares) == MAX_UNITS_SHOWN
    assert d.shown("v") == "0.00 0.10 0.20 0.30"
    texts = {a.get_text() for a in d.ax.get_children() if isinstance(a, PathText)}
    assert "…(6)" in texts


def test_unknown_path_is_named():
    with pytest.raises(ValueError, match=r"path must be one of \('u', 'v'\); got 'w'"):
        two_parts().shown("w")


# --- redrawing in place, dimming -----------------------------------------------------------------


def test_redraw_changes_values_caption_and_nothing_else():
    d = redrawn(two_parts())
    n_artists = len(d.ax.get_children())
    d.redraw({"u": np.array([0.3, 0.2, 0.1]), "v": np.zeros(6)}, "a")
    assert d.shown("u") == "0.30 0.20 0.10"
    assert d.caption.get_text() == "lit: a"
    assert len(d.ax.get_children()) == n_artists


@pytest.mark.parametrize(("lit", "dim"), [("a", "b"), ("b", "a")])
def test_a_highlight_dims_every_artist_outside_its_part(lit, dim):
    d = redrawn(two_parts(), lit)
    assert {a.get_alpha() for a, parts in d._parts if lit in parts} == {1.0}
    assert {a.get_alpha() for a, parts in d._parts if lit not in parts} == {DIM_ALPHA}
    chip_of = {"a": "u", "b": "v"}
    assert d.chips[chip_of[lit]].squares[0].get_alpha() == 1.0
    assert d.chips[chip_of[dim]].numbers.get_alpha() == DIM_ALPHA
    redrawn(d, None)
    assert {a.get_alpha() for a, _ in d._parts} == {1.0}


def test_an_unknown_highlight_is_refused():
    with pytest.raises(ValueError, match=r"highlight must be None or one of \('a', 'b'\)"):
        redrawn(two_parts(), "c")


def test_the_colour_scale_keeps_the_diagrams_frame():
    d = two_parts()
    assert d.ax.get_xlim() == (0.0, 20.0)
    assert d.ax.get_ylim() == (0.0, 10.0)
    assert len(d.ax.images) == 1
