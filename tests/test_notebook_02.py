"""Notebook 02 as committed: the exercise fails then passes, and the MLP's plateau is printed."""

from stored_outputs import outputs_text, read_notebook

NOTEBOOK = "02_sequences_need_memory"


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


def test_the_plateau_and_the_orders_are_computed_not_stated():
    text = "".join(outputs_text(c) for c in read_notebook(NOTEBOOK).cells)
    assert "test MSE 0.502, floor 0.502" in text
    assert "equal: True" in text and "equal: False" in text  # bag versus memory
    assert "distinct cos values: [-0.801  0.801]" in text


def test_it_has_goals_and_leads_to_the_next_notebook():
    cells = read_notebook(NOTEBOOK).cells
    assert "**You will**" in cells[0].source
    assert "03_rnn_unrolled.ipynb" in cells[-1].source
