"""Notebook 02 as committed: the exercises are graded in full, the prediction is answered, the
MLP's plateau and the window MLP's success are printed as conclusions, and the prose quotes what
the cells computed."""

import re

from stored_outputs import outputs_text, printed, read_notebook

from lstm_course.exercises.sequences import FLOOR_MARGIN, cos_guess_series, sequence_cases

NOTEBOOK = "02_sequences_need_memory"


def _markdown(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


EXERCISES = {
    "02-carry-state": ("def carry_state(xs, decay):", 4),
    "02-cos-guess": ("def guess_cos(s):", 2),
}


def test_the_exercises_are_folded_solutions_with_graded_cells_in_full_points():
    cells = read_notebook(NOTEBOOK).cells
    solutions = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("solution")}
    graded = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("grade")}
    assert list(solutions) == list(EXERCISES)
    assert list(graded) == [f"{i}-grade" for i in EXERCISES]  # each solution has its partner
    for grade_id, (signature, points) in EXERCISES.items():
        solution, grade = solutions[grade_id], graded[f"{grade_id}-grade"]
        assert solution.metadata["jupyter"]["source_hidden"] is True and not solution.outputs
        assert signature in solution.source.split("### BEGIN SOLUTION")[0]
        assert grade.metadata["nbgrader"]["locked"] is True
        assert grade.metadata["nbgrader"]["points"] == points
        assert "### BEGIN HIDDEN TESTS" in grade.source and "seed=1" in grade.source
        assert outputs_text(grade).rstrip().endswith(f"{points:.1f}")
        assert f"{grade_id}: {points} of {points} points" in outputs_text(grade)
        assert not any(o.get("name") == "stderr" for o in grade.outputs)


def test_the_build_it_exercise_is_a_loop_of_several_lines():
    cells = read_notebook(NOTEBOOK).cells
    solution = next(c for c in cells if _nbgrader(c).get("grade_id") == "02-carry-state")
    body = solution.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    assert "for " in body and len([line for line in body.splitlines() if line.strip()]) >= 4


def test_the_prediction_comes_before_the_cell_that_answers_it():
    cells = read_notebook(NOTEBOOK).cells
    k = next(
        k for k, c in enumerate(cells) if "predict_memory_at_one.check(my_prediction)" in c.source
    )
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in outputs_text(cells[k])
    answer = cells[k + 1]
    assert "answer" in answer.metadata["tags"]
    assert "λ = 1, equal: True" in outputs_text(answer)  # the prediction's answer, True
    assert "λ = 1, equal to the bag of words: True" in outputs_text(answer)


def test_the_orders_and_the_same_sin_times_are_computed_not_stated():
    text = printed(read_notebook(NOTEBOOK))
    assert "equal: True" in text and "equal: False" in text  # bag versus memory
    assert "distinct cos values: [-0.801  0.801]" in text


def test_the_compared_conclusions_are_the_ones_the_prose_draws():
    text = printed(read_notebook(NOTEBOOK))
    assert "test MSE within 0.01 of the floor: True" in text  # "stalls at the floor"
    assert "flat over the last 150 epochs (|change| < 0.005): True" in text  # "stalls"
    assert "cos 2t learnt (test MSE below 0.01): True" in text  # the control
    assert "within 0.01 of the floor: 3 of 3 seeds" in text  # "on every seed tried"
    assert "test MSE below 1% of the floor on 3 of 3 seeds" in text  # two inputs are enough


def test_prose_numbers_match_the_outputs():
    notebook = read_notebook(NOTEBOOK)
    text, prose = printed(notebook), _markdown(notebook)
    n_parameters = re.search(r"^(\d+) parameters$", text, re.M)[1]
    assert f"({int(n_parameters):,} parameters" in prose
    floor = float(re.search(r"^floor mean\(cos² t\) = ([\d.]+)$", text, re.M)[1])
    assert round(floor, 1) == 0.5 and "≈ 0.5" in prose
    points = re.search(r"(\d+) points over \[0, 12π\]; train (\d+), test (\d+)", text)
    assert points.groups() == ("200", "100", "100") and "200 points of $t$" in prose


def test_it_has_goals_and_leads_to_the_next_notebook():
    cells = read_notebook(NOTEBOOK).cells
    assert "**You will**" in cells[0].source
    assert "03_rnn_unrolled.ipynb" in cells[-1].source


def test_the_window_arithmetic_in_prose():
    notebook = read_notebook(NOTEBOOK)
    prose, text = _markdown(notebook), printed(notebook)
    step = 12 * 3.141592653589793 / 199  # the spacing of the article's 200 points
    assert round(step, 2) == 0.19 and r"\Delta t = 12\pi/199 \approx 0.19" in prose
    assert "6.925" in text and "3\\pi - 2.5 = 6.925" in prose  # the exact partner of t = 2.5


def test_the_exercise_tasks_quote_the_checks():
    prose = _markdown(read_notebook(NOTEBOOK))
    (sentence,) = sequence_cases(0)
    T, D = sentence.xs.shape
    assert f"T = {T} words of D = {D} values, $\\lambda = {sentence.decay}$" in prose
    assert f"within {FLOOR_MARGIN} of the lowest MSE" in prose
    assert len(cos_guess_series(0)[1]) == 100 and "not a list of 100 numbers" in prose


def test_the_goals_quote_the_points():
    cells = read_notebook(NOTEBOOK).cells
    goals = " ".join(cells[0].source.split())
    points = [c.metadata["nbgrader"]["points"] for c in cells if _nbgrader(c).get("grade")]
    assert points == [4, 2]
    assert "(graded, 4 points)" in goals and "(graded, 2 points)" in goals


def test_the_tasks_forbid_the_package_answer_and_read_true_in_both_editions():
    prose = _markdown(read_notebook(NOTEBOOK))
    assert "without the package's `fading_memory`" in prose
    assert "here, in the teaching" not in prose
    assert prose.count("In the teaching edition that cell holds the reference, folded") == 2
    assert "`nn.MSELoss()`" in prose and "mean\nabsolute error" in prose  # the article's two words
