"""Notebook 02 as committed: the exercise fails then passes, and the MLP's plateau is printed."""

from pathlib import Path

import nbformat

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "02_sequences_need_memory.ipynb"


def _text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_exercise_first_attempt_fails_and_hidden_solution_passes():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    attempts = [
        k for k, c in enumerate(cells) if c.cell_type == "code" and "def guess_cos" in c.source
    ]
    assert len(attempts) == 2
    first, solution = (cells[k] for k in attempts)
    assert "❌ Test MSE 0.995" in _text(first)
    assert solution.metadata["jupyter"]["source_hidden"] is True
    assert "✅ Test MSE 0.502" in _text(solution)


def test_the_plateau_and_the_orders_are_computed_not_stated():
    text = "".join(_text(c) for c in nbformat.read(NOTEBOOK, as_version=4).cells)
    assert "test MSE 0.502, floor 0.502" in text
    assert "equal: True" in text and "equal: False" in text  # bag versus memory
    assert "distinct cos values: [-0.801  0.801]" in text


def test_it_has_goals_and_leads_to_the_next_notebook():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    assert "**You will**" in cells[0].source
    assert "03_rnn_unrolled.ipynb" in cells[-1].source
