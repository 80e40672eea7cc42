"""Notebook 03's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

import numpy as np
from stored_outputs import verdicts

NOTEBOOK = "03_rnn_unrolled"


def test_every_equality_the_notebook_claims_holds(outputs):
    claims = re.findall(r"equal: (True|False)", outputs)
    assert len(claims) == 3 and set(claims) == {"True"}
    assert "last row = the loop's h_6: True" in outputs
    differences = [float(d) for d in re.findall(r"max \|difference\| = (\S+),", outputs)]
    assert len(differences) == 2 and max(differences) < 1e-12  # numpy = torch, both ways


def test_the_pulse_fades_at_every_step_within_the_singular_value_bound(notebook, outputs):
    size = np.array(
        re.search(r"‖trace of the pulse‖: \[([^\]]+)\]", outputs)[1].split(), dtype=float
    )
    ratios = np.array(
        re.search(r"each step / the step before: \[([^\]]+)\]", outputs)[1].split(), dtype=float
    )
    largest = float(re.search(r"largest singular value of W_hh: (\S+)", outputs)[1])
    radius = float(re.search(r"spectral radius of W_hh: (\S+)", outputs)[1])
    assert np.all(np.diff(size) < 0)
    assert largest < 1 and np.all(ratios <= largest)  # the bound the prose states
    assert abs(ratios[-1] - radius) < 0.05  # settling near the spectral radius
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert 100 * size[-1] / size[0] < 0.5
    assert prose.count("to below 0.5 % of its first size") == 2  # the text and the summary
    assert f"is {largest} here" in prose and f"{radius} here" in prose
    assert f"settles at {ratios[-1]:.2f}" in prose


def test_the_parameter_count_ignores_t(outputs):
    assert "parameters, for every T: 15" in outputs
    assert "total: 18" in outputs  # PyTorch's two biases: 3 more


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def _exercises(notebook):
    """(solution cell, graded cell) pairs by grade_id, in the notebook's order."""
    solutions = {
        _nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("solution")
    }
    graded = {_nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("grade")}
    assert set(graded) == {f"{grade_id}-grade" for grade_id in solutions}  # in pairs
    return {grade_id: (cell, graded[f"{grade_id}-grade"]) for grade_id, cell in solutions.items()}


def test_the_exercises_follow_the_contract(notebook):
    exercises = _exercises(notebook)
    assert list(exercises) == ["03-rnn-unroll", "03-parameter-count"]
    points = {}
    for grade_id, (solution, graded) in exercises.items():
        assert solution.metadata["jupyter"]["source_hidden"] and not solution.outputs
        assert "### BEGIN SOLUTION" in solution.source and solution.source.startswith("def ")
        assert _nbgrader(graded)["locked"] and "### BEGIN HIDDEN TESTS" in graded.source
        assert f'Grade("{grade_id}", points=' in graded.source and "seed=1" in graded.source
        points[grade_id] = _nbgrader(graded)["points"]
        printed = "".join(o.get("text", "") for o in graded.outputs)
        assert printed.startswith("✅") and "❌" not in printed
        assert f"{grade_id}: {points[grade_id]} of {points[grade_id]} points" in printed
        assert not any(o.get("name") == "stderr" for o in graded.outputs)
    assert points == {"03-rnn-unroll": 4, "03-parameter-count": 1}  # a build-it, a warm-up
    build_it = exercises["03-rnn-unroll"][0].source.split("### BEGIN SOLUTION")[1]
    assert "for x_t in xs" in build_it and "rnn_cell" not in build_it  # from the equation


def test_the_cells_after_an_exercise_survive_its_stub(notebook):
    yours = next(c for c in notebook.cells if c.id == "03-rnn-unroll-yours")
    assert "if grade.passed:" in yours.source and "Finish my_rnn_unroll" in yours.source
    assert yours.metadata["tags"] == ["answer"]
    assert "equal to rnn_unroll's: True" in "".join(o["text"] for o in yours.outputs)


def test_the_prediction_is_asked_then_shown(notebook, outputs, prose):
    asked = [
        c for c in notebook.cells if "predict_same_input_twice.check(my_prediction)" in c.source
    ]
    assert len(asked) == 1 and "my_prediction = None" in asked[0].source
    assert verdicts(notebook)[0] == "❌"  # "No prediction yet" in the teaching edition
    following = notebook.cells[notebook.cells.index(asked[0]) + 1]
    assert following.metadata["tags"] == ["answer"]
    assert "h_2 equal to h_1: False" in outputs  # the answer the Prediction holds
    first_x = re.search(r"x_1 … x_6: \[\s*(\S+)", outputs)[1]
    assert f"x_1 = x_2 = {first_x}" in prose


def test_the_tasks_forbid_the_package_answer_and_read_true_in_both_editions(prose):
    assert "without the package's `rnn_unroll`" in prose
    assert "here, in the teaching" not in prose and "folded here and a stub" not in prose
    assert "In the teaching edition that cell holds the reference, folded" in prose
