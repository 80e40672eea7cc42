"""Notebook 01 as committed: its build-it exercise (a folded solution, a graded cell in full
points), its prediction, the prose's numbers, and the notebook leads on to 02."""

import re

from stored_outputs import outputs_text, printed, read_notebook

from lstm_course.exercises.neuron import layer_cases, two_layer_cases

NOTEBOOK = "01_neuron"


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


EXERCISES = {
    "01-sigmoid-layer": ("def sigmoid_layer(hx, W, b):", 3),
    "01-two-layers": ("def two_layers(x, W_1, b_1, W_2, b_2):", 3),
}


def test_the_build_it_exercises_are_folded_solutions_and_graded_cells_in_full_points():
    cells = read_notebook(NOTEBOOK).cells
    solutions = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("solution")}
    graded = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("grade")}
    assert list(solutions) == list(EXERCISES)
    for grade_id, (signature, points) in EXERCISES.items():
        solution, grade = solutions[grade_id], graded[f"{grade_id}-grade"]
        assert solution.metadata["jupyter"]["source_hidden"] is True and not solution.outputs
        assert signature in solution.source.split("### BEGIN SOLUTION")[0]
        body = solution.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        assert len([line for line in body.splitlines() if line.strip()]) >= 2  # several lines
        assert grade.metadata["nbgrader"]["locked"] is True
        assert grade.metadata["nbgrader"]["points"] == points
        assert "### BEGIN HIDDEN TESTS" in grade.source and "seed=1" in grade.source
        assert outputs_text(grade).rstrip().endswith(f"{points:.1f}")
        assert f"{grade_id}: {points} of {points} points" in outputs_text(grade)
        assert not any(o.get("name") == "stderr" for o in grade.outputs)


def test_every_solution_has_a_graded_partner():
    cells = read_notebook(NOTEBOOK).cells
    ids = [_nbgrader(c)["grade_id"] for c in cells if _nbgrader(c).get("solution")]
    grades = [_nbgrader(c)["grade_id"] for c in cells if _nbgrader(c).get("grade")]
    assert [f"{i}-grade" for i in ids] == grades
    assert all(i.startswith("01-") for i in ids)


def test_the_cell_after_the_exercise_runs_the_students_layer_or_says_it_cannot():
    cells = read_notebook(NOTEBOOK).cells
    after = next(c for c in cells if "f_t_yours = sigmoid_layer" in c.source)
    assert "answer" in after.metadata["tags"]
    assert "if grade.passed:" in after.source and "Finish sigmoid_layer above first" in after.source
    assert "your f_t = [0.5 0.1 0.8]  the article's: True" in outputs_text(after)


def test_the_prediction_comes_before_the_cell_that_answers_it():
    cells = read_notebook(NOTEBOOK).cells
    k = next(
        k for k, c in enumerate(cells) if "predict_neuron_output.check(my_prediction)" in c.source
    )
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in outputs_text(cells[k])
    answer = cells[k + 1]
    assert "answer" in answer.metadata["tags"]
    z, y = re.search(r"z = (\S+), y = σ\(z\) = (\S+)", outputs_text(answer)).groups()
    assert float(z) < 0 and float(y) < 0.5  # the prediction's answer, "below"


def test_it_has_goals_and_leads_to_the_next_notebook():
    cells = read_notebook(NOTEBOOK).cells
    assert "**You will**" in cells[0].source
    assert "02_sequences_need_memory.ipynb" in cells[-1].source


def test_the_threshold_units_compute_and_and_or():
    text = printed(read_notebook(NOTEBOOK))
    table = re.findall(r"x = \((\d), (\d)\):  AND (\d)   OR (\d)", text)
    assert len(table) == 4
    for x1, x2, fires_and, fires_or in table:
        assert int(fires_and) == (x1 == x2 == "1") and int(fires_or) == ("1" in (x1, x2))


def test_two_linear_layers_are_one_and_tanh_breaks_the_collapse():
    text = printed(read_notebook(NOTEBOOK))
    assert re.search(r"two linear layers = one layer .*: True", text)
    miss, spread = re.search(
        r"misses the tanh network by (\S+) \(RMS\), outputs spread (\S+)", text
    ).groups()
    assert float(miss) > 0.1 * float(spread)  # "by a clear margin"


def test_the_playground_task_quotes_the_layer_computed_above():
    notebook = read_notebook(NOTEBOOK)
    layer = re.search(r"one layer: +\[([^\]]+)\]", printed(notebook))[1].split()
    task = next(
        c.source for c in notebook.cells if c.source.startswith("### Playground: the sigmoid")
    )
    assert (
        "second output (numpy index 1, the neuron whose bias is slider `b[1]`) reads\n"
        f"  {layer[1]}" in task
    )


def test_the_tasks_quote_the_checks_cases_and_the_points():
    cells = read_notebook(NOTEBOOK).cells
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    article, square = (case.W.shape for case in layer_cases(0))
    assert article == (3, 6) and "(6 values in, 3 out)" in prose
    assert square == (3, 3) and "(3 in, 3 out, where $W$ and its transpose both fit)" in prose
    networks = [
        f"{c.W_1.shape[1]} → {c.W_1.shape[0]} → {c.W_2.shape[0]}" for c in two_layer_cases(0)
    ]
    assert (
        f"network\n{networks[0]} (a hidden layer as wide as the input) and on {networks[1]}, "
        "the network of" in prose
    )
    # the package's answer is off-limits; the wording holds in the student edition too
    assert prose.count("without the package's `dense_layer`") == 2
    assert "here, in the teaching" not in prose and "In the teaching edition that cell" in prose
    layers = next(c.source for c in cells if "W_1, b_1 = rng.normal(size=(4, 3))" in c.source)
    assert "W_2, b_2 = rng.normal(size=(2, 4))" in layers  # 3 -> 4 -> 2 there too
    goals = cells[0].source
    points = [p for _, p in EXERCISES.values()]
    assert points == [3, 3] and goals.count("(graded, 3 points)") == 2
