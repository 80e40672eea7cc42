"""Notebook 09's figures: five diagrams in one slot with every h_t, and the coupled gate's bars."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_course import worked_example as we
from lstm_course.plots.lstm_cell import LSTMCellDiagram
from lstm_course.plots.variants import CELL_TYPES, LSTM_TYPES, CoupledFigure, VariantsFigure
from lstm_course.widgets.variants import VariantWeights, coupled_step, variant_steps


@pytest.fixture(scope="module")
def weights():
    return VariantWeights.random(3, 3, np.random.default_rng(0))


def steps_on(x_t, weights):
    return variant_steps(x_t, we.h_prev, we.C_prev, weights)


def visible(figure) -> list[str]:
    return [ax.get_label() for ax in figure.axes if ax.get_visible()]


@pytest.fixture(scope="module")
def view(weights):
    return VariantsFigure(steps_on(we.x_t, weights), we.C_prev, we.h_prev, we.x_t)


def test_first_frame_shows_the_lstm_and_every_h_t(view, weights):
    steps = steps_on(we.x_t, weights)
    assert visible(view.figure) == ["LSTM", "h_t of every cell"]
    for cell_type in CELL_TYPES:
        heights = [bar.get_height() for bar in view.bars[cell_type]]
        np.testing.assert_allclose(heights, steps[cell_type].h_t)
    assert set(view.diagrams) == set(CELL_TYPES)
    assert all(isinstance(view.diagrams[c], LSTMCellDiagram) for c in LSTM_TYPES)


def test_show_switches_the_visible_diagram_and_outlines_its_bars(view, weights):
    x_t = np.array([-1.0, 0.5, 2.0])
    steps = steps_on(x_t, weights)
    assert view.show("coupled LSTM", steps, x_t) is view
    assert visible(view.figure) == ["coupled LSTM", "h_t of every cell"]
    np.testing.assert_allclose([b.get_height() for b in view.bars["GRU (PyTorch)"]],
                               steps["GRU (PyTorch)"].h_t)  # fmt: skip
    assert {b.get_linewidth() for b in view.bars["coupled LSTM"]} == {1.8}
    assert {b.get_linewidth() for b in view.bars["LSTM"]} == {0}
    assert view.diagrams["coupled LSTM"].shown("x_t") == "−1.00 0.50 2.00"
    assert view.diagrams["GRU (article)"].shown("x_t") != "−1.00 0.50 2.00"  # hidden: not redrawn
    view.show("GRU (article)", steps, x_t)  # ...until it is shown
    assert view.diagrams["GRU (article)"].shown("x_t") == "−1.00 0.50 2.00"


def test_show_refuses_an_unknown_cell_and_missing_steps(view, weights):
    steps = steps_on(we.x_t, weights)
    with pytest.raises(ValueError, match="cell_type must be one of"):
        view.show("LSTM2", steps, we.x_t)
    del steps["GRU (article)"]
    with pytest.raises(ValueError, match=r"missing \['GRU \(article\)'\]"):
        view.show("LSTM", steps, we.x_t)


# --- the coupled gate ------------------------------------------------------------------------


def test_coupled_bars_and_marker_show_the_step():
    C_tilde = np.array([-0.5, 0.2, 0.9])
    view = CoupledFigure(we.C_prev, C_tilde)
    step = coupled_step(0.3, we.C_prev, C_tilde)
    assert view.show(*step) is view
    kept, written, total = ([bar.get_height() for bar in bars] for bars in view.bars)
    np.testing.assert_allclose(kept, step.kept)
    np.testing.assert_allclose(written, step.written)
    np.testing.assert_allclose(total, step.C_t)
    assert view.unit == 2  # the largest |C̃_t|
    assert view.marker.get_xdata()[0] == 0.3
    assert view.marker.get_ydata()[0] == pytest.approx(step.C_t[2])


def test_coupled_line_runs_from_the_candidate_to_the_old_state():
    C_tilde = np.array([-0.5, 0.2, 0.9])
    view = CoupledFigure(we.C_prev, C_tilde)
    line = view.line_ax.lines[0]
    assert line.get_ydata()[0] == pytest.approx(C_tilde[2])  # f_t = 0: write everything
    assert line.get_ydata()[-1] == pytest.approx(we.C_prev[2])  # f_t = 1: keep everything


def test_coupled_figure_checks_shapes():
    with pytest.raises(ValueError, match=r"C_tilde has shape \(2,\); expected \(3,\)"):
        CoupledFigure(we.C_prev, np.zeros(2))
    view = CoupledFigure(we.C_prev, np.zeros(3))
    with pytest.raises(ValueError, match=r"kept has shape \(2,\); expected \(3,\)"):
        view.show(np.zeros(3), np.zeros(2), np.zeros(3), np.zeros(3))


def test_coupled_figure_plots_the_unit_with_the_largest_candidate():
    view = CoupledFigure(we.C_prev, np.array([0.1, -0.9, 0.3]))
    assert view.unit == 1
    assert "unit 2" in view.line_ax.get_ylabel()
    with pytest.raises(ValueError, match="unit must be in 0 … 2; got 3"):
        CoupledFigure(we.C_prev, np.zeros(3), unit=3)
