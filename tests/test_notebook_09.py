"""Notebook 09's prose against its stored outputs (nbval checks the outputs against the code).

The sentences tied here: zero peepholes give the plain LSTM; flipping z is a relabelling that
shrinks the GRU gap and a diagonal W_hn closes it; the coupled cell cannot keep and add; the
parameter counts quoted in prose; and the LSTM/GRU run, both with memory-opening biases. And
the exercises (issue 14): the article's GRU cell and nn.GRU's count as folded solutions with
graded cells in full points, the prediction before the cell that answers it.
"""

import re

import pytest
from stored_outputs import outputs_text, printed

from lstm_course.exercises.variants import predict_coupled_reach

NOTEBOOK = "09_variants"


@pytest.fixture(scope="module")
def text(notebook) -> str:
    return printed(notebook)


def test_zero_peepholes_are_the_plain_lstm(text):
    assert text.count("identical: True") == 6 and "identical: False" not in text


def test_flipping_z_shrinks_the_gap_and_a_diagonal_reset_closes_it(text, prose):
    gaps = dict(
        re.findall(
            r"^(as is|z flipped|z flipped, W_hn diagonal)\s+max \|h_t gap\| = ([\d.]+)", text, re.M
        )
    )
    assert float(gaps["z flipped"]) < float(
        gaps["as is"]
    )  # "a free relabelling that shrinks the gap"
    assert float(gaps["z flipped, W_hn diagonal"]) == 0.0
    assert "|nn.GRUCell − PyTorch convention| < 1e-12: True" in text
    alone = float(
        re.search(r"z translated \(reset placement alone\): max \|h_t gap\| = ([\d.]+)", text)[1]
    )
    assert alone > 0.01  # "the reset placement, a real difference"
    assert "One of the two differences is" in prose


def test_the_coupled_cell_cannot_keep_and_add(text):
    match = re.search(
        r"plain LSTM after 5 steps: ([\d.]+)\s+coupled, best f_t each step: ([\d.]+)", text
    )
    plain, coupled = float(match[1]), float(match[2])
    assert plain == pytest.approx(1.5) and coupled < 1  # "stays within (−1, 1)"


def test_counts_quoted_in_prose(text, prose):
    assert "closed form: 1233   modules: 1233" in text and "1{,}233" in prose
    lstm, gru = (int(re.search(rf"^\s+{c}\s+\d+\s+(\d+)", text, re.M)[1]) for c in ("lstm", "gru"))
    assert gru / lstm == pytest.approx(3 / 4)  # "3/4 of the LSTM's parameters"
    torch_gru, article_gru = map(
        int, re.search(r"TorchGRUParams: (\d+)\s+GRUParams: (\d+)", text).groups()
    )
    assert torch_gru - article_gru == 3  # b_hn: H = 3 more biases, "4H where the article has 3H"


def test_both_cells_learn_with_their_memory_open_and_the_controls_do_not(text):
    for label in ("LSTM, b_f = 3", "GRU, b_z = 3"):
        assert (
            f"{label}: accuracy ≥ 0.9 on 3 of 3 seeds; loss below 0.1 before step 100 on 3 of 3"
            in text
        )
    assert "LSTM, b_f = 0: final loss within 0.1 of guessing (ln 4): True" in text
    assert "GRU, default: final loss still above 0.1: True" in text  # "learns, but more slowly"


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


EXERCISES = {  # grade_id -> (the signature outside the solution region, points)
    "09-gru-cell": ("def article_gru_cell(x_t, h_prev, p):", 5),
    "09-gru-count": ("def gru_parameter_count(D, H):", 2),
}


def test_the_exercises_are_folded_solutions_with_graded_cells_in_full_points(notebook):
    cells = notebook.cells
    solutions = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("solution")}
    graded = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("grade")}
    assert list(solutions) == list(EXERCISES)
    assert list(graded) == [f"{i}-grade" for i in EXERCISES]  # each solution has its partner
    for grade_id, (signature, points) in EXERCISES.items():
        solution, grade = solutions[grade_id], graded[f"{grade_id}-grade"]
        assert cells.index(grade) == cells.index(solution) + 1
        assert solution.metadata["jupyter"]["source_hidden"] is True and not solution.outputs
        assert signature in solution.source.split("### BEGIN SOLUTION")[0]
        assert grade.metadata["nbgrader"]["locked"] is True
        assert grade.metadata["nbgrader"]["points"] == points
        assert f'Grade("{grade_id}", points={points})' in grade.source
        assert "### BEGIN HIDDEN TESTS" in grade.source and "seed=1" in grade.source
        assert outputs_text(grade).rstrip().endswith(f"{points:.1f}")  # nbgrader's score
        assert f"{grade_id}: {points} of {points} points" in outputs_text(grade)
        assert not any(o.get("name") == "stderr" for o in grade.outputs)


def test_the_build_it_exercise_is_the_article_s_four_equations(notebook):
    solution = next(c for c in notebook.cells if _nbgrader(c).get("grade_id") == "09-gru-cell")
    body = solution.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    lines = [line for line in body.splitlines() if line.strip()]
    assert len(lines) >= 5
    for symbol in ("z_t =", "r_t =", "h_tilde =", "h_t ="):
        assert any(line.strip().startswith(symbol) for line in lines), symbol


def test_the_cell_after_the_gru_exercise_runs_the_student_s_function_or_says_it_does_not(notebook):
    cells = notebook.cells
    after = next(c for c in cells if "your article_gru_cell gives the same" in c.source)
    assert "answer" in after.metadata["tags"]
    assert (
        "if grade.passed:" in after.source and "Finish article_gru_cell above first" in after.source
    )
    assert "your article_gru_cell gives the same four results: True" in outputs_text(after)
    assert "h_t (article): [0.0364 0.7863 0.2062]" in outputs_text(after)


def test_no_cell_outside_a_solution_writes_the_gru_out(notebook):
    """The cell that computed the article's GRU by hand now calls the package: the exercise's
    answer lives in the folded solution only."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and not _nbgrader(cell).get("solution"):
            assert "np.concatenate([r_t * " not in cell.source, cell.source


def test_the_prediction_comes_before_the_cell_that_answers_it(notebook):
    cells = notebook.cells
    k = next(
        k for k, c in enumerate(cells) if "predict_coupled_reach.check(my_prediction)" in c.source
    )
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in outputs_text(cells[k])
    answer = cells[k + 1]
    assert "answer" in answer.metadata["tags"]
    reached = float(re.search(r"coupled, best f_t each step: ([\d.]+)", outputs_text(answer))[1])
    assert reached == pytest.approx(predict_coupled_reach.answer)


def test_the_goals_quote_the_points(notebook):
    goals = " ".join(notebook.cells[0].source.split())
    points = [c.metadata["nbgrader"]["points"] for c in notebook.cells if _nbgrader(c).get("grade")]
    assert points == [5, 2]
    assert "(graded, 5 points)" in goals and "graded, 2 points" in goals
    assert "predict" in goals


def test_it_ends_with_a_summary_that_leads_on(notebook):
    last = notebook.cells[-1].source
    assert last.startswith("## Summary") and "10_pytorch_sin_to_cos.ipynb" in last
    assert "The measured numbers of this run:" not in last
