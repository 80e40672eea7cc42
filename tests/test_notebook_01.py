"""Notebook 01's exercise as committed: the first attempt fails with the article's mistake,
the hidden reference solution passes, and the notebook leads on to 02."""

from stored_outputs import outputs_text, read_notebook

NOTEBOOK = "01_neuron"


def test_exercise_first_attempt_fails_and_hidden_solution_passes():
    cells = read_notebook(NOTEBOOK).cells
    attempts = [
        k for k, c in enumerate(cells) if c.cell_type == "code" and "def sigmoid_layer" in c.source
    ]
    assert len(attempts) == 2
    first, solution = (cells[k] for k in attempts)
    assert "❌ You applied the σ function: 6 outputs, expected 3" in outputs_text(first)
    assert solution.metadata["jupyter"]["source_hidden"] is True
    assert "✅" in outputs_text(solution)


def test_it_has_goals_and_leads_to_the_next_notebook():
    cells = read_notebook(NOTEBOOK).cells
    assert "**You will**" in cells[0].source
    assert "02_sequences_need_memory.ipynb" in cells[-1].source
