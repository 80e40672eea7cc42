"""Notebook 01's exercise as committed: the first attempt fails with the article's mistake,
the hidden reference solution passes, and the notebook leads on to 02."""

import re

from stored_outputs import outputs_text, printed, read_notebook

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
    assert f"unit 2 reads {layer[1]}" in task
