"""Notebook 08's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

import numpy as np
import pytest
from stored_outputs import array_after, verdicts

NOTEBOOK = "08_output_gate"


@pytest.fixture(scope="module")
def summary(notebook) -> str:
    return notebook.cells[-1].source


def stated(symbol: str, text: str) -> np.ndarray:
    values = re.search(re.escape(symbol) + r" = \[([^\]]+)\]", text)[1]
    return np.array([v.replace("−", "-").replace("$", "") for v in values.split(",")], dtype=float)


@pytest.mark.parametrize(
    ("symbol", "label"), [("C_t", "C_t ="), ("o_t", "o_t ="), ("h_t", "h_t =")]
)
def test_the_summary_quotes_the_computed_running_example(outputs, summary, symbol, label):
    assert np.allclose(stated(f"${symbol}", summary), array_after(label, outputs))


def test_the_articles_slip_would_change_the_output(outputs):
    right = array_after("o_t ⊙ tanh(C_t)     =", outputs)
    slip = array_after("o_t ⊙ tanh(C_{t-1}) =", outputs)
    assert np.allclose(right, array_after("h_t =", outputs))
    assert np.sign(right[1]) != np.sign(slip[1])  # "even a different sign in unit 2"


def test_tanh_bounds_h_while_the_cell_state_grows(outputs):
    C_max = float(re.search(r"largest \|C_t\| over 100 steps: (\S+)", outputs)[1])
    h_max = float(re.search(r"largest \|h_t\| = \|o_t ⊙ tanh\(C_t\)\|: (\S+)", outputs)[1])
    assert C_max > 10 and h_max < 1


def test_numpy_equals_pytorch_as_the_summary_says(outputs, summary):
    assert "largest difference below 1e-12: True" in outputs
    assert outputs.count("equal: True") == 3 and "equal to lstm_cell: True" in outputs
    assert "differences below\n  $10^{-12}$" in summary or "differences below $10^{-12}$" in summary


def test_exercises_show_the_mistake_then_pass(notebook):
    assert verdicts(notebook) == ["❌", "✅", "❌", "✅"]


def test_the_open_gates_run_and_the_quiet_cell_are_as_the_prose_says(notebook, outputs):
    grown, level = re.search(
        r"largest \|C_t\| over 100 steps: (\S+) \(it levels off at (\d+)\)", outputs
    ).groups()
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert (
        f"reaches {round(float(grown))} in 100 steps" in prose and f"a level near {level}" in prose
    )
    line = re.search(r"C_\{t-1\} = \[0\.5 0\.6 0\.4\]   C_t = .*", outputs)[0]
    kept, h_t = array_after("C_t =", line), array_after("h_t =", line)
    assert np.abs(kept - [0.5, 0.6, 0.4]).max() < 0.05 and np.abs(h_t).max() < 0.03
