"""Notebook 04's prose against its stored outputs.

nbval proves the compared outputs are what the code produces (the exact accuracies and losses of
float32 training are shown but not compared; the conclusions are printed by compared cells);
these tests prove the prose around them is still true of those outputs ("the RNN falls to
chance while the LSTM holds", "σ_max < 1 forces vanishing"), so re-running the notebook with
another recipe cannot leave a stale sentence behind.
"""

import re

import numpy as np
import pytest
from stored_outputs import verdicts

NOTEBOOK = "04_long_term_dependencies"


def test_the_recall_conclusions_are_printed_and_true(outputs):
    for verdict in (
        "k = 2: both at least 0.95: True",
        "k = 20: the RNN within 0.1 of chance: True",
        "every k: the LSTM at least 0.9: True",
        "RNN: mean loss over the last 32 steps within 0.05 of ln 4: True",
        "LSTM: mean loss over the last 32 steps below 0.25: True",
        "LSTM (b_f = 3) at least 0.9: 3 of 3 seeds",  # "holds k = 20 on every seed tried"
        "RNN within 0.1 of chance: 3 of 3 seeds",
        "LSTM (b_f = 1) within 0.1 of chance: 1 of 1 seed",  # "(on the seed tried) it also…"
        "LSTM (b_f = 0) within 0.1 of chance: 3 of 3 seeds",  # §3.1's erratum
        "RNN, orthogonal at least 0.8: 3 of 3 seeds",  # "holds k = 20 on every seed too"
    ):
        assert verdict in outputs


def test_the_rnns_initial_spectral_radius_is_about_a_half(outputs, prose):
    radii = re.search(r"the RNN's initial ρ\(W_hh\), seeds 0-2: \[([\d. ]+)\]", outputs)[1]
    assert np.allclose([float(r) for r in radii.split()], 0.5, atol=0.05)
    assert r"$\rho(W_{hh}) \approx 0.5$" in prose


def test_the_forget_gate_arithmetic_in_prose():
    sigma = 1 / (1 + np.exp(-np.array([1.0, 3.0])))
    kept = sigma**20  # the key's trace after 20 steps at the start
    assert round(sigma[0], 2) == 0.73 and round(sigma[1], 2) == 0.95
    assert 1e-3 < kept[0] < 3e-3  # "≈ 2·10^-3"
    assert kept[1] == pytest.approx(2 / 5, abs=0.03)  # "about two fifths"


def _norms(outputs):
    rows = re.findall(
        r"^(RNN, ρ = [\d.]+|LSTM, b_f = [\d.]+)\s+‖∂h_10/∂h_0‖ = +(\S+)\s+‖∂h_40/∂h_0‖ = +(\S+)"
        r"\s+per step ([\d.]+)(?:\s+σ_max = ([\d.]+), bound σ_max\^40 = (\S+))?$",
        outputs,
        re.M,
    )
    return {label: tuple(float(v) if v else None for v in values) for label, *values in rows}


def test_gradient_claims(outputs):
    assert "autograd = chain rule by hand: True" in outputs
    norms = _norms(outputs)
    at_10, at_40, per_step, sigma_max, bound = norms["RNN, ρ = 0.6"]
    assert sigma_max < 1 and at_40 <= bound  # "σ_max < 1 forces vanishing", "under the bound"
    for label in ("RNN, ρ = 0.8", "RNN, ρ = 1.0"):
        at_10, at_40, per_step, sigma_max, _ = norms[label]
        assert sigma_max > 1 and at_40 < 1e-2 * at_10  # "promises nothing, yet orders smaller"
    assert norms["RNN, ρ = 1.0"][2] < 1  # "even at ρ = 1 … shaves a little off"
    assert norms["RNN, ρ = 1.3"][1] > norms["RNN, ρ = 1.3"][0]  # "ρ = 1.3 grows"
    lstm_0, lstm_3 = norms["LSTM, b_f = 0.0"][2], norms["LSTM, b_f = 3.0"][2]
    assert abs(lstm_0 - norms["RNN, ρ = 0.6"][2]) < 0.15  # "about as fast as ρ = 0.6"
    assert all(lstm_0 < norms[f"RNN, ρ = {r}"][2] for r in ("0.8", "1.0", "1.3"))
    assert lstm_3 > 0.95  # "loses only a little a step"


def test_the_same_rnn_on_five_inputs(outputs):
    assert float(re.search(r"the RNN's σ_max = ([\d.]+)", outputs)[1]) > 1  # "exploding allowed"
    rnn = [float(v) for v in re.findall(r"RNN \(ρ = 1\.2\) ‖∂h_40/∂h_0‖ = (\S+)", outputs)]
    assert len(rnn) == 5 and min(rnn) < 1e-2  # "vanishing on some although σ_max > 1"
    spread = re.search(r"largest / smallest: RNN (\d+)×, LSTM (\d+)×", outputs)
    assert int(spread[1]) > 100 and int(spread[2]) < 10  # "orders of magnitude" vs "small factor"


def test_matrix_power_shrinks_like_rho_to_the_t(outputs, prose):
    ratios = [float(r) for r in re.findall(r"ratio ([\d.]+)", outputs)]
    assert len(ratios) == 4
    assert max(ratios[1:]) / min(ratios[1:]) < 1.1  # "the ratio settles to a constant"
    stretch = re.search(r"T =  1: ‖W_hh\^T‖ = (\S+)", outputs)[1]
    assert f"stretches by {float(stretch):.2f}" in prose


def test_it_credits_and_cites(prose):
    for source in (
        "Hochreiter & Schmidhuber",
        "Pascanu, Mikolov & Bengio 2013",
        "Jozefowicz",
        "Gers",
    ):
        assert source in prose
    assert "记住很早时刻的信息是LSTM的默认行为" in prose
    assert "usual recipe" not in prose


def test_the_budget_in_prose_is_the_config_printed(outputs, prose):
    config = re.search(r"RecallConfig\((.*)\)", outputs)[1]
    for field in (
        "hidden_size=16",
        "steps=192",
        "batch_size=32",
        "lr=0.01",
        "clip_norm=1.0",
        "n_test=512",
    ):
        assert field in config
    assert "192 Adam steps" in prose and "32 sequences" in prose and "512 held-out" in prose
    standard_error = np.sqrt(0.25 * 0.75 / 512)
    assert round(standard_error, 2) == 0.02 and r"\approx 0.02" in prose


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def test_the_exercises_follow_the_contract(notebook):
    solutions = {
        _nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("solution")
    }
    graded = {_nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("grade")}
    assert list(solutions) == ["04-chain-rule", "04-linear-jacobian"]
    assert list(graded) == [f"{grade_id}-grade" for grade_id in solutions]  # in pairs
    points = {}
    for grade_id, solution in solutions.items():
        cell = graded[f"{grade_id}-grade"]
        assert notebook.cells.index(cell) == notebook.cells.index(solution) + 1
        assert solution.metadata["jupyter"]["source_hidden"] and not solution.outputs
        assert "### BEGIN SOLUTION" in solution.source and solution.source.startswith("def ")
        assert _nbgrader(cell)["locked"] and "### BEGIN HIDDEN TESTS" in cell.source
        assert "seed=1" in cell.source and "seed=2" in cell.source
        points[grade_id] = _nbgrader(cell)["points"]
        printed = "".join(o.get("text", "") for o in cell.outputs)
        assert printed.startswith("✅") and "❌" not in printed
        assert f"{grade_id}: {points[grade_id]} of {points[grade_id]} points" in printed
        assert not any(o.get("name") == "stderr" for o in cell.outputs)
    assert points == {"04-chain-rule": 5, "04-linear-jacobian": 2}  # a build-it, a warm-up
    build_it = solutions["04-chain-rule"].source.split("### BEGIN SOLUTION")[1]
    assert "for h_t in" in build_it and "hidden_jacobians" not in build_it


def test_the_cells_after_an_exercise_survive_its_stub(notebook):
    for function in ("chain_rule", "linear_jacobian"):
        (after,) = [
            c
            for c in notebook.cells
            if c.cell_type == "code" and f"Finish {function} above first" in c.source
        ]
        assert after.source.startswith("if grade.passed:") and after.metadata["tags"] == ["answer"]
        assert after.outputs and "Finish" not in "".join(o.get("text", "") for o in after.outputs)


def test_the_prediction_is_asked_then_shown(notebook, outputs):
    (asked,) = [c for c in notebook.cells if "predict_gradient_at_rho_1.check(" in c.source]
    assert "my_prediction = None" in asked.source
    assert verdicts(notebook) == ["❌"]  # "No prediction yet" in the teaching edition
    following = notebook.cells[notebook.cells.index(asked) + 1]
    assert following.metadata["tags"] == ["answer"] and "rnn_gradient_norms" in following.source
    from lstm_course.exercises.rnn import predict_gradient_at_rho_1

    at_40 = _norms(outputs)["RNN, ρ = 1.0"][1]
    answer = "grows" if at_40 > 1 else "holds" if at_40 >= 0.1 else "vanishes"
    assert answer == predict_gradient_at_rho_1.answer


def test_the_tasks_forbid_the_package_answer_and_read_true_in_both_editions(prose):
    assert "without the package's `hidden_jacobians`" in prose
    assert "here, in the teaching" not in prose and "folded here and a stub" not in prose
    assert "In the teaching edition that cell holds the reference, folded" in prose
    # notebook 03's name for the input block; "to the power T", a count, not a transpose
    assert "W_{xh}" not in prose and "W_{ih} x_t" in prose
    assert "the exponent is a count, not a transpose" in prose
