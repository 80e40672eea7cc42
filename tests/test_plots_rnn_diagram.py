"""The RNN diagram: drawn once, then highlighted and labelled in place by update()."""

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lstm_course.plots.rnn_diagram import (
    CELL_COLOUR,
    DONE_COLOUR,
    HIGHLIGHT_COLOUR,
    ColumnText,
    draw_rnn_diagram,
    plot_hidden_trace,
)
from lstm_course.rnn import RNNParams, rnn_unroll


def _sequence(T=5):
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(T, 1))
    return xs, rnn_unroll(xs, RNNParams.random(1, 3, rng))


def _colours(diagram):
    return [to_hex(box.get_facecolor()) for box in diagram.boxes]


def test_one_box_a_step_all_the_same_cell_when_nothing_is_highlighted():
    ax = Figure().add_subplot()
    diagram = draw_rnn_diagram(ax, steps=4)
    assert len(diagram.boxes) == 4
    assert _colours(diagram) == [to_hex(CELL_COLOUR)] * 4
    assert [label.get_text() for label in diagram.h_labels] == ["h₁", "h₂", "h₃", "h₄"]
    assert all(value.get_text() == "" for value in diagram.h_values)


def test_update_highlights_step_t_and_writes_the_values_so_far():
    xs, hs = _sequence()
    ax = Figure().add_subplot()
    diagram = draw_rnn_diagram(ax, steps=5, t=1, hs=hs, xs=xs)
    artists_before = len(ax.get_children())
    diagram.update(3, hs, xs)
    assert len(ax.get_children()) == artists_before  # changed in place, nothing added
    done, now, todo = to_hex(DONE_COLOUR), to_hex(HIGHLIGHT_COLOUR), to_hex(CELL_COLOUR)
    assert _colours(diagram) == [done, done, now, todo, todo]
    assert diagram.h_values[2].get_text() == "\n".join(f"{v:+.2f}" for v in hs[2])
    assert diagram.h_values[3].get_text() == "?"  # not computed yet
    assert diagram.loop_h.get_text() == "h₃"
    assert diagram.loop_value.get_text() == diagram.h_values[2].get_text()
    assert diagram.x_values[4].get_text() == f"{xs[4, 0]:+.2f}"  # inputs are known ahead


def test_update_rejects_a_step_outside_the_sequence_and_values_of_another_length():
    diagram = draw_rnn_diagram(Figure().add_subplot(), steps=3)
    with pytest.raises(ValueError, match=r"t must be in 1 … 3; got 4"):
        diagram.update(4)
    with pytest.raises(ValueError, match=r"hs has shape \(4, 2\); expected \(3, n\) \(T, H\)"):
        diagram.update(1, hs=np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"xs has shape \(2, 3, 1\); expected \(3, n\)"):
        diagram.update(1, xs=np.zeros((2, 3, 1)))
    diagram.update(2, hs=np.array([0.5, -0.25, 0.0]))  # H = 1 may come as a vector (T,)
    assert diagram.h_values[1].get_text() == "-0.25"


@pytest.mark.parametrize("steps", [0, 13, 2.5])
def test_draw_rejects_a_bad_number_of_steps(steps):
    with pytest.raises(ValueError, match="steps must be an integer in 1 … 12"):
        draw_rnn_diagram(Figure().add_subplot(), steps=steps)


def test_hidden_trace_reveals_h_up_to_t():
    _, hs = _sequence(6)
    trace = plot_hidden_trace(Figure().add_subplot(), hs, t=2)
    assert len(trace.lines) == 3
    np.testing.assert_array_equal(trace.lines[1].get_ydata(), hs[:2, 1])
    trace.update(5)
    np.testing.assert_array_equal(trace.lines[1].get_xdata(), [1, 2, 3, 4, 5])
    assert list(trace.marker.get_xdata()) == [5, 5]
    new = -hs
    trace.set_sequence(new, 4)
    np.testing.assert_array_equal(trace.lines[0].get_ydata(), new[:4, 0])


def test_hidden_trace_errors():
    _, hs = _sequence(4)
    with pytest.raises(ValueError, match=r"hs has shape \(4,\); expected \(T, H\)"):
        plot_hidden_trace(Figure().add_subplot(), hs[:, 0])
    trace = plot_hidden_trace(Figure().add_subplot(), hs)
    with pytest.raises(ValueError, match=r"hs has shape \(4, 2\); expected \(4, 3\)"):
        trace.set_sequence(hs[:, :2], 1)
    with pytest.raises(ValueError, match="t must be in 1 … 4"):
        trace.update(0)


def test_text_is_drawn_as_outlines_not_laid_out_on_every_frame():
    xs, hs = _sequence()
    ax = Figure().add_subplot()
    draw_rnn_diagram(ax, steps=5, t=2, hs=hs, xs=xs)
    assert len(ax.texts) == 0  # every label is a PathText / ColumnText patch


def test_column_text_stacks_lines_and_swaps_them_in_place():
    ax = Figure().add_subplot()
    column = ax.add_patch(ColumnText(1.0, 2.0, size=0.3, va="bottom"))
    assert column.get_text() == "" and len(column.get_path().vertices) == 1
    column.set_text("+0.10\n-0.20\n+0.30")
    three = column.get_path().vertices
    assert three[:, 0].min() >= 1.0 - 1e-9  # left-aligned at x
    assert three[:, 1].min() >= 2.0 - 0.05  # stacked upward from y
    assert three[:, 1].max() > 2.0 + 2 * 0.3  # three lines tall
    column.set_text("+0.10")
    assert column.get_path().vertices[:, 1].max() < 2.0 + 0.5
    hanging = ax.add_patch(ColumnText(0.0, 0.0, size=0.3, va="top"))
    hanging.set_text("1\n2")
    assert hanging.get_path().vertices[:, 1].max() <= 0.05
