"""Notebook 05's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

from stored_outputs import array_after, verdicts

NOTEBOOK = "05_lstm_cell_state"


def test_four_layers_four_times_the_parameters(outputs, prose):
    assert "ratio: 4.0" in outputs and "exactly four times" in prose


def test_the_belt_keeps_what_this_rnn_forgets_within_about_ten_steps(outputs, prose):
    assert "carried exactly: True" in outputs
    rnn = dict(re.findall(r"t = +(\d+):  RNN \|h_a − h_b\| = (\S+)", outputs))
    belt = re.findall(r"LSTM belt \|C_a − C_b\| = (\S+)", outputs)
    assert float(rnn["10"]) < 1e-4 * float(rnn["1"]) and float(rnn["5"]) > 1e-3 * float(rnn["1"])
    assert len(set(belt)) == 1  # the belt's difference never changes
    assert "within about ten" in prose


def test_remembering_is_not_the_default(outputs, prose):
    """At the initial forget bias f_t ≈ 0.5 and < 1e-4 of a difference survives 20 steps; each
    larger bias keeps more — for every seed the notebook ran."""
    rows = re.findall(r"seed \d:(.*)", outputs)
    assert len(rows) == 3
    for row in rows:
        means = [float(m) for m in re.findall(r"mean f_t (\S+),", row)]
        left = [float(v) for v in re.findall(r"left (\S+)", row)]
        assert 0.4 < means[0] < 0.6 and left[0] < 1e-4
        assert left == sorted(left) and means == sorted(means)
    assert "less than a ten-thousandth" in prose and "记住很早时刻的信息是LSTM的默认行为" in prose


def test_a_nearly_closed_gate_still_leaks(outputs, prose):
    g = re.search(r"γ\s+=\s+\[(\S+)", outputs)[1]
    assert g == "0.000045" and r"\sigma(-10) \approx" in prose and "0.000045" in prose


def test_a_real_sigma_gate_only_approaches_the_belt(outputs, prose):
    left = dict(
        re.findall(r"f_t = σ\((\d+)\) = \S+: after 100 steps (\S+) of C_0 is left", outputs)
    )
    assert 0.4 < float(left["5"]) < 0.6 and 0.99 < float(left["10"]) < 1
    assert f"keeps {100 * float(left['10']):.1f} %" in prose


def test_the_rnn_compared_has_small_weights_as_the_prose_says(outputs, prose):
    """Contraction needs the largest singular value below 1 (review 05-08 item 11)."""
    norm = re.search(r"largest singular value of this RNN's W_hh: (\S+)", outputs)[1]
    radius = re.search(r"spectral radius of this RNN's W_hh: (\S+)", outputs)[1]
    assert float(radius) <= float(norm) < 1
    assert f"$W_{{hh}}$ is {norm}" in prose and f"spectral radius {radius}" in prose
    assert "orthogonal $W_{hh}$ learned to carry one over $k = 20$ steps" in prose


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def test_the_exercises_follow_the_contract(notebook):
    solutions = {
        _nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("solution")
    }
    graded = {_nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("grade")}
    assert list(solutions) == ["05-set-gates", "05-carry-cell-state"]
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
    assert points == {"05-set-gates": 2, "05-carry-cell-state": 4}  # a warm-up, a build-it
    build_it = solutions["05-carry-cell-state"].source.split("### BEGIN SOLUTION")[1]
    assert "for f_t, i_t, C_tilde_t in" in build_it and "gate_values_step" not in build_it


def test_the_belt_of_your_function_is_shown_only_when_it_passed(notebook, outputs):
    (after,) = [c for c in notebook.cells if "Finish carry_cell_state above first" in c.source]
    assert after.source.startswith("if grade.passed:") and after.metadata["tags"] == ["answer"]
    assert "C_5 = [0.9 0.6 0.4]" in outputs and "C_6 = [0.  0.  0.4]" in outputs


def test_the_prediction_is_asked_then_shown(notebook, outputs, prose):
    (asked,) = [c for c in notebook.cells if "predict_which_unit.check(my_prediction)" in c.source]
    assert "my_prediction = None" in asked.source
    assert verdicts(notebook) == ["❌"]  # "No prediction yet" in the teaching edition
    following = notebook.cells[notebook.cells.index(asked) + 1]
    assert following.metadata["tags"] == ["answer"]
    from lstm_course.exercises.cell_state import predict_which_unit

    change = array_after("change per unit:", outputs)
    assert f"most in unit {predict_which_unit.answer}" in outputs
    assert change[2] == 0.4 and not change[:2].any()
    assert "Only unit 3 moves, by its $C_{t-1}$ value 0.4" in prose
    assert "unit 3 is `f_t[2]`" in prose  # units counted from 1, numpy's index said once
    assert "$C_{t-1} = [0.5, 0.6, 0.4]$" in prose


def test_no_graded_output_gives_the_gates_away(notebook):
    """Review 05-08 item 1: the success message says what was checked, not the gates."""
    (graded,) = [c for c in notebook.cells if "check_set_gates, set_gates)" in c.source]
    text = "".join(o.get("text", "") for o in graded.outputs)
    assert "unit 1 overwritten, unit 2 kept, unit 3 erased" in text
    for answer in ("[0, 1, 0]", "[1, 0, 0]", "f_t =", "i_t ="):
        assert answer not in text


def test_the_task_wording_is_true_in_both_editions(prose):
    assert "here, in the teaching edition" not in prose
    assert "In the teaching edition that cell holds the reference" in prose


def test_the_carry_task_names_the_package_answers_off_limits(notebook):
    from lstm_course.exercises.cell_state import CARRY_ANSWERS

    (task,) = [cell for cell in notebook.cells if cell.id == "05-carry-task"]
    for qualified in CARRY_ANSWERS:
        assert f"`{qualified.rsplit('.', 1)[1]}`" in task.source, qualified
