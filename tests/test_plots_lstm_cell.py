"""The live LSTM cell diagram: values on paths, in-place updates, highlight, variants, errors."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lstm_course import worked_example as ex
from lstm_course.lstm import LSTMParams, LSTMStep, lstm_cell
from lstm_course.plots.lstm_cell import (
    DIM_ALPHA,
    HIGHLIGHTS,
    LAYER_COLOUR,
    PATHS,
    PEEPHOLE_COLOUR,
    LSTMCellDiagram,
    draw_lstm_cell,
    new_cell_figure,
)
from lstm_course.variants import (
    CoupledLSTMParams,
    PeepholeLSTMParams,
    coupled_lstm_cell,
    peephole_lstm_cell,
)


def article_step() -> LSTMStep:
    """The worked example with W_f = 0, b_f = logit(f_t): f_t is the article's [0.5, 0.1, 0.8]."""
    zero = LSTMParams.zeros(3, 3)
    params = LSTMParams(ex.W_f, ex.b_f, zero.W_i, zero.b_i, zero.W_C, zero.b_C, zero.W_o, zero.b_o)
    return lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, params)


def random_step(seed: int, H: int = 3, D: int = 3):
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(D, H, rng)
    x_t, h_prev, C_prev = rng.normal(size=D), rng.normal(size=H), rng.normal(size=H)
    return lstm_cell(x_t, h_prev, C_prev, params), C_prev, h_prev, x_t


def drawn(step=None, C_prev=ex.C_prev, h_prev=ex.h_prev, x_t=ex.x_t, **kw) -> LSTMCellDiagram:
    _, ax = new_cell_figure()
    return draw_lstm_cell(ax, article_step() if step is None else step, C_prev, h_prev, x_t, **kw)


def png(diagram: LSTMCellDiagram) -> bytes:
    buffer = BytesIO()
    diagram.ax.figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def numbers(values) -> str:
    """The diagram's spelling: two decimals, a real minus sign, and no −0.00."""
    texts = (f"{v:.2f}" for v in values)
    return " ".join("0.00" if t == "-0.00" else t.replace("-", "−") for t in texts)


# --- values on the paths: hand cases ------------------------------------------------------


def test_the_article_numbers_appear_on_their_paths():
    d = drawn()
    assert d.shown("C_prev") == "0.50 0.60 0.40"
    assert d.shown("h_prev") == "0.30 0.80 0.69"
    assert d.shown("x_t") == "0.20 1.30 0.70"
    assert d.shown("f_t") == "0.50 0.10 0.80"
    assert d.shown("kept") == "0.25 0.06 0.32"  # f_t * C_{t-1}, the article's result


def test_zero_weights_show_sigma_of_zero_on_every_gate():
    step = lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, LSTMParams.zeros(3, 3))
    d = drawn(step)
    for gate in ("f_t", "i_t", "o_t"):
        assert d.shown(gate) == "0.50 0.50 0.50"
    assert d.shown("C_tilde") == "0.00 0.00 0.00"
    assert d.shown("written") == "0.00 0.00 0.00"
    assert d.shown("C_t") == "0.25 0.30 0.20"  # half of C_{t-1} kept, nothing written


def test_every_path_shows_its_value_of_a_random_step():
    step, C_prev, h_prev, x_t = random_step(1)
    d = drawn(step, C_prev, h_prev, x_t)
    expected = {
        "C_prev": C_prev,
        "h_prev": h_prev,
        "x_t": x_t,
        "f_t": step.f_t,
        "i_t": step.i_t,
        "C_tilde": step.C_tilde,
        "kept": step.f_t * C_prev,
        "written": step.i_t * step.C_tilde,
        "C_t": step.C_t,
        "o_t": step.o_t,
        "tanh_C_t": np.tanh(step.C_t),
        "h_t": step.h_t,
    }
    assert set(expected) == set(PATHS) == set(d.chips)
    for path, values in expected.items():
        assert d.shown(path) == numbers(values), path


def test_colours_follow_one_diverging_scale():
    step = LSTMStep(*(np.array([-1.0, 0.0, 1.0]) for _ in range(6)))
    d = drawn(step, C_prev=np.zeros(3), h_prev=np.zeros(3), x_t=np.zeros(3))
    blue, white, red = (to_rgba(s.get_facecolor()) for s in d.chips["C_t"].squares)
    assert blue[2] > blue[0] + 0.3  # −1 is blue
    assert red[0] > red[2] + 0.3  # +1 is red
    assert min(white[:3]) > 0.9  # 0 is (nearly) white
    # Beyond ±1 the colour saturates instead of failing.
    d.update(step._replace(C_t=np.array([-7.0, 0.0, 7.0])), np.zeros(3), np.zeros(3), np.zeros(3))
    assert to_rgba(d.chips["C_t"].squares[2].get_facecolor()) == red
    assert d.shown("C_t") == "−7.00 0.00 7.00"


def test_minus_zero_reads_zero():
    step = LSTMStep(*(np.array([-0.001, 0.001, -0.0]) for _ in range(6)))
    d = drawn(step, C_prev=np.zeros(3), h_prev=np.zeros(3), x_t=np.zeros(3))
    assert d.shown("f_t") == "0.00 0.00 0.00"


# --- updating in place --------------------------------------------------------------------


def test_update_changes_values_and_colours_but_creates_no_artist():
    d = drawn()
    figure = d.ax.figure
    before_artists = list(d.ax.get_children())
    before_png = png(d)
    square = d.chips["C_t"].squares[0]
    before_colour = to_rgba(square.get_facecolor())
    step, C_prev, h_prev, x_t = random_step(2)
    assert d.update(step, C_prev, h_prev, x_t) is d
    assert d.shown("C_t") == numbers(step.C_t)
    assert to_rgba(square.get_facecolor()) != before_colour
    assert list(d.ax.get_children()) == before_artists  # the same artists, changed in place
    assert d.ax.figure is figure
    assert png(d) != before_png


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_update_shows_any_step_rounded(seed):
    step, C_prev, h_prev, x_t = random_step(seed)
    d = DIAGRAM.update(step, C_prev, h_prev, x_t)
    for path, values in (("f_t", step.f_t), ("C_t", step.C_t), ("h_t", step.h_t)):
        assert d.shown(path) == numbers(values)


DIAGRAM = drawn()  # one diagram reused by the property test, as a widget reuses it


# --- highlight ----------------------------------------------------------------------------


def alpha(artist) -> float:
    return 1.0 if artist.get_alpha() is None else artist.get_alpha()


@pytest.mark.parametrize(
    ("highlight", "lit", "dim"),
    [
        ("forget", "f_t", "h_t"),
        ("input", "i_t", "o_t"),
        ("candidate", "C_tilde", "f_t"),
        ("cell", "C_t", "o_t"),
        ("output", "o_t", "C_tilde"),
        ("hidden", "h_t", "i_t"),
    ],
)
def test_highlight_keeps_its_part_lit_and_dims_the_rest(highlight, lit, dim):
    d = drawn(highlight=highlight)
    assert d.highlight == highlight
    assert alpha(d.chips[lit].squares[0]) == 1.0
    assert alpha(d.chips[dim].squares[0]) == DIM_ALPHA
    assert alpha(d.caption) == 1.0


def test_highlight_changes_on_update_and_none_lights_everything():
    d = drawn(highlight="forget")
    assert "forget gate" in d.caption.get_text()
    d.update(article_step(), ex.C_prev, ex.h_prev, ex.x_t, highlight="hidden")
    assert alpha(d.chips["f_t"].squares[0]) == DIM_ALPHA
    assert alpha(d.chips["h_t"].squares[0]) == 1.0
    assert "hidden state" in d.caption.get_text()
    d.update(article_step(), ex.C_prev, ex.h_prev, ex.x_t, highlight=None)
    assert all(alpha(chip.squares[0]) == 1.0 for chip in d.chips.values())


def test_every_highlight_dims_something_and_lights_something():
    d = drawn()
    for highlight in HIGHLIGHTS:
        d.update(article_step(), ex.C_prev, ex.h_prev, ex.x_t, highlight=highlight)
        alphas = {alpha(chip.squares[0]) for chip in d.chips.values()}
        assert alphas == {1.0, DIM_ALPHA}, highlight


# --- variants -----------------------------------------------------------------------------


def same_colour(a, b) -> bool:
    """Equal RGB, whatever the alpha (dimming changes only the alpha)."""
    return to_rgba(a)[:3] == to_rgba(b)[:3]


def dashed_peephole_paths(d: LSTMCellDiagram) -> list:
    return [
        p
        for p in d.ax.patches
        if isinstance(p, FancyArrowPatch) and same_colour(p.get_edgecolor(), PEEPHOLE_COLOUR)
    ]


def layer_boxes(d: LSTMCellDiagram) -> list:
    return [
        p
        for p in d.ax.patches
        if isinstance(p, FancyBboxPatch) and same_colour(p.get_facecolor(), LAYER_COLOUR)
    ]


def test_plain_cell_has_four_layers_and_no_peephole():
    d = drawn()
    assert len(layer_boxes(d)) == 4
    assert dashed_peephole_paths(d) == []


def test_peephole_draws_three_peephole_paths_and_its_equations():
    rng = np.random.default_rng(3)
    params = PeepholeLSTMParams.random(3, 3, rng)
    step = peephole_lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, params)
    d = drawn(step, peephole=True, highlight="forget")
    assert len(dashed_peephole_paths(d)) == 3  # C_{t-1} -> f_t, C_{t-1} -> i_t, C_t -> o_t
    assert "p_f" in d.caption.get_text()
    assert d.shown("f_t") == numbers(step.f_t)
    d.update(step, ex.C_prev, ex.h_prev, ex.x_t, highlight="output")
    assert "p_o" in d.caption.get_text()


def test_coupled_draws_one_minus_f_instead_of_an_input_gate():
    params = CoupledLSTMParams.random(3, 3, np.random.default_rng(4))
    step = coupled_lstm_cell(ex.x_t, ex.h_prev, ex.C_prev, params)
    d = drawn(step, coupled=True, highlight="cell")
    assert len(layer_boxes(d)) == 3  # f, C̃, o: no input gate of its own
    assert d.shown("i_t") == numbers(1 - step.f_t)
    assert "1 - f_t" in d.caption.get_text()
    d.update(step, ex.C_prev, ex.h_prev, ex.x_t, highlight="input")
    assert "no input gate" in d.caption.get_text()


def test_peephole_and_coupled_together():
    d = drawn(peephole=True, coupled=True)
    assert len(dashed_peephole_paths(d)) == 2  # no input gate to peep into
    assert len(layer_boxes(d)) == 3


# --- sizes other than the article's -------------------------------------------------------


def test_hidden_and_input_sizes_may_differ():
    step, C_prev, h_prev, x_t = random_step(5, H=2, D=4)
    d = drawn(step, C_prev, h_prev, x_t)
    assert (d.hidden_size, d.input_size) == (2, 4)
    assert d.shown("x_t") == numbers(x_t)
    assert d.shown("h_t") == numbers(step.h_t)


def test_many_units_show_the_first_four():
    step, C_prev, h_prev, x_t = random_step(6, H=7, D=2)
    d = drawn(step, C_prev, h_prev, x_t)
    assert d.shown("C_t") == numbers(step.C_t[:4])
    assert len(d.chips["C_t"].squares) == 4


# --- errors name the symbol ---------------------------------------------------------------


def test_wrong_shapes_name_the_symbol_and_both_shapes():
    d = drawn()
    step = article_step()
    with pytest.raises(ValueError, match=r"x_t has shape \(2,\); expected \(3,\)"):
        d.update(step, ex.C_prev, ex.h_prev, ex.x_t[:2])
    with pytest.raises(ValueError, match=r"h_prev has shape \(4,\); expected \(3,\)"):
        d.update(step, ex.C_prev, np.zeros(4), ex.x_t)
    with pytest.raises(ValueError, match=r"o_t has shape \(2,\); expected \(3,\)"):
        d.update(step._replace(o_t=np.zeros(2)), ex.C_prev, ex.h_prev, ex.x_t)
    _, ax = new_cell_figure()
    with pytest.raises(ValueError, match=r"C_tilde has shape \(3, 1\); expected \(3,\)"):
        draw_lstm_cell(ax, step._replace(C_tilde=np.zeros((3, 1))), ex.C_prev, ex.h_prev, ex.x_t)


def test_bad_step_highlight_or_path_is_a_clear_error():
    d = drawn()
    with pytest.raises(ValueError, match="step must be an LSTMStep"):
        d.update({"f_t": ex.f_t}, ex.C_prev, ex.h_prev, ex.x_t)
    with pytest.raises(ValueError, match="highlight must be None or one of"):
        d.update(article_step(), ex.C_prev, ex.h_prev, ex.x_t, highlight="forget gate")
    with pytest.raises(ValueError, match="path must be one of"):
        d.shown("c_t")
    with pytest.raises(ValueError, match="non-finite"):
        d.update(article_step(), np.array([np.nan, 0, 0]), ex.h_prev, ex.x_t)
