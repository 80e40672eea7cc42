"""The variants playground: switching the cell redraws the diagram and the outputs."""

import numpy as np
import pytest

from lstm_course import worked_example as we
from lstm_course.lstm import LSTMStep, lstm_cell
from lstm_course.variants import (
    GRUStep,
    PeepholeLSTMParams,
    gru_cell,
    gru_cell_torch,
)
from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.variants import (
    CELL_TYPES,
    VariantWeights,
    coupled_gate_playground,
    coupled_step,
    variant_step,
    variant_steps,
    variants_playground,
    worked_candidate,
)


@pytest.fixture(scope="module")
def playground():
    return variants_playground()


@pytest.fixture(scope="module")
def weights():
    return VariantWeights.random(3, 3, np.random.default_rng(0))


def test_registered():
    assert "lstm_course.widgets.variants.variants_playground" in all_playgrounds()


def test_switching_the_cell_redraws_diagram_and_readout(playground):
    playground.controls["cell_type"].value = "LSTM"
    image, readout = playground.live.image.value, playground.readout.value
    playground.controls["cell_type"].value = "GRU (PyTorch)"
    assert playground.live.image.value != image
    assert playground.readout.value != readout
    assert "GRU (PyTorch)" in playground.readout.value
    assert "no separate cell state" in playground.readout.value
    visible = [ax.get_label() for ax in playground.figure.axes if ax.get_visible()]
    assert "GRU (PyTorch)" in visible
    assert not {"LSTM", "GRU (article)"} & set(visible)


def test_every_cell_type_can_be_shown(playground):
    for cell_type in CELL_TYPES:
        playground.controls["cell_type"].value = cell_type
        assert playground.readout.value.startswith(f"<b>{cell_type}</b>")


def test_moving_x_changes_the_outputs(playground):
    playground.controls["cell_type"].value = "GRU (article)"
    readout = playground.readout.value
    heights = [bar.get_height() for bar in playground.figure.axes[-1].patches]
    playground.controls["x_2"].value = -1.5
    assert playground.readout.value != readout
    assert [bar.get_height() for bar in playground.figure.axes[-1].patches] != heights
    playground.controls["x_2"].value = we.x_t[1]


def test_readout_reports_h_t_of_the_selected_cell(playground, weights):
    playground.controls["cell_type"].value = "LSTM"
    x_t = np.array([c.value for name, c in playground.controls.items() if name.startswith("x_")])
    view_weights = VariantWeights.random(3, 3, np.random.default_rng(9))
    h_t = lstm_cell(x_t, we.h_prev, we.C_prev, view_weights.lstm).h_t
    assert str(np.round(h_t, 3).tolist()) in playground.readout.value


def test_variant_step_dispatches_to_the_package(weights):
    x_t = we.x_t
    lstm = variant_step("LSTM", x_t, we.h_prev, we.C_prev, weights)
    assert isinstance(lstm, LSTMStep)
    np.testing.assert_allclose(lstm.h_t, lstm_cell(x_t, we.h_prev, we.C_prev, weights.lstm).h_t)
    gru = variant_step("GRU (article)", x_t, we.h_prev, we.C_prev, weights)
    assert isinstance(gru, GRUStep)
    np.testing.assert_allclose(gru.h_t, gru_cell(x_t, we.h_prev, weights.gru).h_t)
    torch_gru = variant_step("GRU (PyTorch)", x_t, we.h_prev, we.C_prev, weights)
    np.testing.assert_allclose(torch_gru.h_t, gru_cell_torch(x_t, we.h_prev, weights.gru_torch).h_t)
    coupled = variant_step("coupled LSTM", x_t, we.h_prev, we.C_prev, weights)
    np.testing.assert_allclose(coupled.i_t, 1 - coupled.f_t)


def test_the_variants_share_weights(weights):
    assert weights.peephole.lstm is weights.lstm
    np.testing.assert_array_equal(weights.coupled.W_f, weights.lstm.W_f)
    np.testing.assert_array_equal(weights.gru_torch.W_z, weights.gru.W_z)


def test_zero_peepholes_make_the_peephole_cell_an_lstm(weights):
    zero = np.zeros(3)
    plain = weights._replace(peephole=PeepholeLSTMParams(weights.lstm, zero, zero, zero))
    peep = variant_step("peephole LSTM", we.x_t, we.h_prev, we.C_prev, plain)
    lstm = variant_step("LSTM", we.x_t, we.h_prev, we.C_prev, plain)
    np.testing.assert_allclose(peep.h_t, lstm.h_t, rtol=0, atol=1e-15)


def test_variant_steps_runs_every_cell_on_the_same_inputs(weights):
    steps = variant_steps(we.x_t, we.h_prev, we.C_prev, weights)
    assert tuple(steps) == CELL_TYPES
    for cell_type, step in steps.items():
        expected = variant_step(cell_type, we.x_t, we.h_prev, we.C_prev, weights)
        np.testing.assert_array_equal(step.h_t, expected.h_t)


def test_unknown_cell_type(weights):
    with pytest.raises(ValueError, match="cell_type must be one of"):
        variant_step("LSTM2", we.x_t, we.h_prev, we.C_prev, weights)


def test_wrong_x_names_the_symbol(weights):
    with pytest.raises(ValueError, match=r"x_t has shape \(2,\); expected \(3,\)"):
        variant_step("GRU (article)", np.zeros(2), we.h_prev, we.C_prev, weights)


# --- the coupled gate ------------------------------------------------------------------------


def test_coupled_playground_registered():
    assert "lstm_course.widgets.variants.coupled_gate_playground" in all_playgrounds()


def test_coupled_slider_moves_bars_marker_and_readout():
    playground = coupled_gate_playground()
    image, readout = playground.live.image.value, playground.readout.value
    marker = playground.figure.axes[1].lines[-1].get_ydata().copy()
    playground.controls["f_t"].value = 0.9
    assert playground.live.image.value != image
    assert playground.readout.value != readout
    assert "f<sub>t</sub> = 0.90" in playground.readout.value
    assert playground.figure.axes[1].lines[-1].get_ydata()[0] != marker[0]


def test_coupled_step_keeps_and_writes_together():
    C_tilde = np.array([-0.5, 0.2, 0.9])
    np.testing.assert_allclose(coupled_step(1.0, we.C_prev, C_tilde).C_t, we.C_prev)  # keep all
    np.testing.assert_allclose(coupled_step(0.0, we.C_prev, C_tilde).C_t, C_tilde)  # write all
    step = coupled_step(0.3, we.C_prev, C_tilde)
    np.testing.assert_allclose(step.f_t, [0.3, 0.3, 0.3])
    np.testing.assert_allclose(step.kept, 0.3 * we.C_prev)
    np.testing.assert_allclose(step.written, 0.7 * C_tilde)
    np.testing.assert_allclose(step.kept + step.written, step.C_t)


def test_coupled_step_checks_its_inputs():
    with pytest.raises(ValueError, match=r"C_tilde has shape \(2,\); expected \(3,\)"):
        coupled_step(0.5, we.C_prev, np.zeros(2))
    with pytest.raises(ValueError, match=r"f_t must be in \[0, 1\]; got 1.5"):
        coupled_step(1.5, we.C_prev, np.zeros(3))


def test_worked_candidate_is_the_lstms(weights):
    expected = lstm_cell(we.x_t, we.h_prev, we.C_prev, weights.lstm).C_tilde
    np.testing.assert_array_equal(worked_candidate(weights), expected)
