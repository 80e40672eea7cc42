"""Notebook 01's exercise as committed: the first attempt fails with the article's mistake,
the hidden reference solution passes, and the notebook leads on to 02."""

from pathlib import Path

import nbformat

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "01_neuron.ipynb"


def _text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_exercise_first_attempt_fails_and_hidden_solution_passes():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    attempts = [
        k for k, c in enumerate(cells) if c.cell_type == "code" and "def sigmoid_layer" in c.source
    ]
    assert len(attempts) == 2
    first, solution = (cells[k] for k in attempts)
    assert "❌ You applied the σ function: 6 outputs, expected 3" in _text(first)
    assert solution.metadata["jupyter"]["source_hidden"] is True
    assert "✅" in _text(solution)


def test_it_has_goals_and_leads_to_the_next_notebook():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    assert "**You will**" in cells[0].source
    assert "02_sequences_need_memory.ipynb" in cells[-1].source
