"""Notebook 02 as committed: the exercise fails then passes, the MLP's plateau and the window
MLP's success are printed as conclusions, and the prose quotes what the cells computed."""

import re

from stored_outputs import outputs_text, printed, read_notebook

NOTEBOOK = "02_sequences_need_memory"


def _markdown(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def test_exercise_first_attempt_fails_and_hidden_solution_passes():
    cells = read_notebook(NOTEBOOK).cells
    attempts = [
        k for k, c in enumerate(cells) if c.cell_type == "code" and "def guess_cos" in c.source
    ]
    assert len(attempts) == 2
    first, solution = (cells[k] for k in attempts)
    assert "❌ Test MSE 0.995" in outputs_text(first)
    assert solution.metadata["jupyter"]["source_hidden"] is True
    assert "✅ Test MSE 0.502" in outputs_text(solution)


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
    floor = float(re.search(r"floor mean\(cos² t\) = ([\d.]+)", text)[1])
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
