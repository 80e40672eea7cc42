"""The LSTM-cell playgrounds of notebooks 05–08: each control moves what it drives, correctly."""

from __future__ import annotations

import re

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_course import worked_example as ex
from lstm_course.activations import sigmoid
from lstm_course.lstm import LSTMParams, lstm_cell
from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.lstm_cell import (
    DEMO_C_TILDE,
    DEMO_C_TILDE_07,
    DEMO_I_T,
    FULL_CELL_SEED,
    PER_UNIT,
    SHARED,
    SIGMOID_LAYER,
    cell_state_playground,
    cell_update_playground,
    forget_gate_playground,
    full_cell_playground,
    gate_values_step,
)
from lstm_course.widgets.neuron import demo_weights

BUILDERS = [
    cell_state_playground,
    forget_gate_playground,
    cell_update_playground,
    full_cell_playground,
]


def table(playground) -> dict[str, np.ndarray]:
    """The readout's rows: symbol -> the numbers shown (3 decimals)."""
    rows = re.findall(r"<tr><th[^>]*>(.*?)</th>(.*?)</tr>", playground.readout.value)
    return {
        symbol: np.array([float(v) for v in re.findall(r"<td>([^<]+)</td>", cells)])
        for symbol, cells in rows
    }


def visible_sliders(playground) -> dict[str, widgets.FloatSlider]:
    return {
        name: control
        for name, control in playground.controls.items()
        if isinstance(control, widgets.FloatSlider) and control.layout.display != "none"
    }


def test_every_builder_is_registered():
    registered = all_playgrounds()
    for builder in BUILDERS:
        assert registered[f"lstm_course.widgets.lstm_cell.{builder.__name__}"] is builder


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_every_visible_slider_redraws_the_diagram_and_the_readout(builder):
    playground = builder()
    figure = playground.figure
    for name, slider in visible_sliders(playground).items():
        image, readout = playground.live.image.value, playground.readout.value
        slider.value = slider.min + 0.37 * (slider.max - slider.min)
        assert playground.live.image.value != image, name
        assert playground.readout.value != readout, name
    assert playground.figure is figure  # built once, never replaced


# --- 05 -----------------------------------------------------------------------------------


def test_cell_state_starts_as_the_conveyor_belt():
    playground = cell_state_playground()
    rows = table(playground)
    np.testing.assert_allclose(rows["C_t"], ex.C_prev, atol=5e-4)
    assert "belt carries the old state" in playground.readout.value
    np.testing.assert_allclose(rows["h_t"], np.tanh(ex.C_prev), atol=5e-4)  # o_t = 1


def test_cell_state_shared_sliders_set_every_unit():
    playground = cell_state_playground()
    playground.controls["f_t"].value = 0.0  # forget everything
    playground.controls["i_t"].value = 1.0  # write everything
    rows = table(playground)
    np.testing.assert_allclose(rows["f_t ⊙ C_{t-1}"], 0.0, atol=5e-4)
    np.testing.assert_allclose(rows["C_t"], DEMO_C_TILDE, atol=5e-4)
    assert "belt" not in playground.readout.value
    playground.controls["o_t"].value = 0.0  # the output gate closed: h_t = 0
    np.testing.assert_allclose(table(playground)["h_t"], 0.0, atol=5e-4)


def test_cell_state_per_unit_mode_shows_and_uses_one_slider_per_unit():
    playground = cell_state_playground()
    controls = playground.controls
    assert controls["f_t"].layout.display is None
    assert controls["f_t[2]"].layout.display == "none"
    controls["units"].value = PER_UNIT
    assert controls["f_t"].layout.display == "none"
    assert controls["f_t[2]"].layout.display is None
    controls["f_t[2]"].value = 0.0  # unit 2 forgets, units 1 and 3 keep
    expected = ex.C_prev * np.array([1.0, 0.0, 1.0])
    np.testing.assert_allclose(table(playground)["C_t"], expected, atol=5e-4)
    controls["units"].value = SHARED  # back to the shared sliders, still f_t = 1
    np.testing.assert_allclose(table(playground)["C_t"], ex.C_prev, atol=5e-4)


def test_cell_state_show_menu_changes_the_highlight():
    playground = cell_state_playground()
    image = playground.live.image.value
    playground.controls["show"].value = "output gate"
    assert playground.live.image.value != image


# --- 06 -----------------------------------------------------------------------------------


def test_forget_gate_starts_on_the_article_numbers():
    rows = table(forget_gate_playground())
    np.testing.assert_allclose(rows["f_t"], ex.f_t)
    np.testing.assert_allclose(rows["f_t ⊙ C_{t-1}"], [0.25, 0.06, 0.32])


def test_forget_gate_sigmoid_layer_at_scale_zero_gives_the_article_f_t():
    playground = forget_gate_playground()
    controls = playground.controls
    controls["mode"].value = SIGMOID_LAYER
    assert controls["f_t[1]"].layout.display == "none"
    assert controls["b_f[1]"].layout.display is None
    rows = table(playground)
    np.testing.assert_allclose(rows["f_t = σ(…)"], ex.f_t, atol=5e-4)
    np.testing.assert_allclose(rows["f_t ⊙ C_{t-1}"], [0.25, 0.06, 0.32], atol=5e-4)
    assert "6 values of [h_{t-1}, x_t] in, 3 values of f_t out" in playground.readout.value


def test_forget_gate_sigmoid_layer_computes_sigma_of_the_layer():
    playground = forget_gate_playground()
    controls = playground.controls
    controls["mode"].value = SIGMOID_LAYER
    controls["W_f scale"].value = 1.5
    controls["b_f[2]"].value = 0.5
    b_f = np.array([controls[f"b_f[{k}]"].value for k in (1, 2, 3)])
    z = 1.5 * demo_weights() @ ex.hx + b_f
    rows = table(playground)
    np.testing.assert_allclose(rows["W_f·[h,x] + b_f"], z, atol=5e-4)
    np.testing.assert_allclose(rows["f_t = σ(…)"], sigmoid(z), atol=5e-4)


def test_forget_gate_sigma_function_slider_sets_f_t():
    playground = forget_gate_playground()
    playground.controls["f_t[3]"].value = 0.0
    rows = table(playground)
    np.testing.assert_allclose(rows["f_t"], [0.5, 0.1, 0.0])
    np.testing.assert_allclose(rows["f_t ⊙ C_{t-1}"], [0.25, 0.06, 0.0])


# --- 07 -----------------------------------------------------------------------------------


def test_cell_update_adds_what_is_kept_to_what_is_written():
    playground = cell_update_playground()
    rows = table(playground)
    expected = ex.f_t * ex.C_prev + DEMO_I_T * DEMO_C_TILDE_07
    np.testing.assert_allclose(rows["C_t"], expected, atol=5e-4)
    playground.controls["i_t[1]"].value = 0.0  # unit 1 writes nothing: it only keeps
    rows = table(playground)
    assert rows["C_t"][0] == pytest.approx(ex.f_t[0] * ex.C_prev[0], abs=5e-4)
    np.testing.assert_allclose(rows["C_t"], rows["f_t ⊙ C_{t-1}"] + rows["i_t ⊙ C̃_t"], atol=2e-3)


def test_cell_update_shared_mode_forget_everything_write_everything():
    playground = cell_update_playground()
    controls = playground.controls
    controls["units"].value = SHARED
    controls["f_t"].value, controls["i_t"].value, controls["C_tilde"].value = 0.0, 1.0, -0.5
    np.testing.assert_allclose(table(playground)["C_t"], -0.5, atol=5e-4)


# --- 08 -----------------------------------------------------------------------------------


def test_full_cell_matches_lstm_cell_with_the_slider_biases_and_input():
    playground = full_cell_playground()
    controls = playground.controls
    controls["b_f"].value = 2.0
    controls["x_t[2]"].value = -1.0
    params = LSTMParams.random(3, 3, np.random.default_rng(FULL_CELL_SEED))
    fields = {name: getattr(params, name) for name in LSTMParams.__dataclass_fields__}
    fields |= {"b_f": np.full(3, 2.0), "b_i": np.zeros(3), "b_o": np.zeros(3)}
    x_t = np.array([ex.x_t[0], -1.0, ex.x_t[2]])
    step = lstm_cell(x_t, ex.h_prev, ex.C_prev, LSTMParams(**fields))
    rows = table(playground)
    for symbol, values in (("f_t", step.f_t), ("C_t", step.C_t), ("h_t", step.h_t)):
        np.testing.assert_allclose(rows[symbol], values, atol=5e-4)


def test_full_cell_bias_opens_its_gate():
    playground = full_cell_playground()
    before = table(playground)["o_t"]
    playground.controls["b_o"].value = 3.0
    assert np.all(table(playground)["o_t"] > before)


# --- the pure step the hand-set playgrounds use -------------------------------------------


def test_gate_values_step_hand_cases():
    keep = gate_values_step(ex.C_prev, 1.0, 0.0, DEMO_C_TILDE, 1.0)
    np.testing.assert_allclose(keep.C_t, ex.C_prev)  # f = 1, i = 0 keeps C exactly
    np.testing.assert_allclose(keep.h_t, np.tanh(ex.C_prev))
    write = gate_values_step(ex.C_prev, 0.0, 1.0, DEMO_C_TILDE, 0.0)
    np.testing.assert_allclose(write.C_t, DEMO_C_TILDE)  # f = 0, i = 1 replaces it
    np.testing.assert_allclose(write.h_t, 0.0)  # o = 0 lets nothing out
    article = gate_values_step(ex.C_prev, ex.f_t, 0.0, 0.0, 1.0)
    np.testing.assert_allclose(article.C_t, [0.25, 0.06, 0.32])


def test_gate_values_step_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"i_t has shape \(2,\); expected \(3,\)"):
        gate_values_step(ex.C_prev, ex.f_t, np.zeros(2), DEMO_C_TILDE, 1.0)
    with pytest.raises(ValueError, match="o_t must be an array of numbers"):
        gate_values_step(ex.C_prev, ex.f_t, 0.0, DEMO_C_TILDE, "open")
