"""Notebook 08's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

import numpy as np
import pytest
from stored_outputs import (
    array_after,
    assert_after_cells_run_the_student_s_function,
    assert_prediction_waits_then_answers,
    assert_stubs_graded_on_hidden_seeds,
    verdicts,
)

POINTS = {"08-output-gate": 3, "08-article-weights": 2, "08-lstm-cell": 6, "08-lstm-unroll": 4}
AFTER = ["08-article-weights", "08-lstm-cell", "08-lstm-unroll"]
PREDICTION = "predict_h_bounded"
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


def test_no_verdict_but_the_prediction_s_is_displayed(notebook):
    """The graded cells print their verdicts; the only displayed one waits for a guess."""
    assert verdicts(notebook) == ["❌"]


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


# --- Issue 14: build-it exercises, graded; a prediction ------------------------------------------


def test_the_exercises_are_stubs_graded_on_hidden_seeds_and_the_reference_earns_all(notebook):
    assert_stubs_graded_on_hidden_seeds(notebook, NOTEBOOK, POINTS)


def test_the_cells_that_run_the_student_s_function_say_so_and_are_answers(notebook):
    assert_after_cells_run_the_student_s_function(notebook, AFTER)


def test_the_prediction_waits_for_a_guess_and_the_next_cell_answers(notebook):
    assert_prediction_waits_then_answers(notebook, PREDICTION)


def test_the_prediction_s_answer_is_the_open_gates_run(outputs):
    from lstm_course.exercises.gates import predict_h_bounded

    h_max = float(re.search(r"largest \|h_t\| = \|o_t ⊙ tanh\(C_t\)\|: (\S+)", outputs)[1])
    assert predict_h_bounded.answer == (h_max >= 1) is False


def test_the_built_cell_and_loop_equal_the_package_and_pytorch_as_the_summary_says(
    outputs, summary
):
    assert "equal to lstm_cell: True" in outputs and "equal to lstm_unroll: True" in outputs
    assert "equal to PyTorch's nn.LSTM: True" in outputs
    assert "what `nn.LSTM` does inside" in summary


def test_the_task_wording_is_true_in_both_editions_and_names_the_forbidden(prose):
    assert "here, in the teaching edition" not in prose
    for name in ("lstm_cell", "lstm_unroll", "lstm_params_from_torch", "output_gate"):
        assert f"without the package's `{name}`" in prose or f"package's\n`{name}`" in prose


def test_the_prediction_says_what_true_means(notebook):
    (cell,) = [cell for cell in notebook.cells if cell.id == "08a1pred"]
    assert "does any $|h_t|$ reach 1?" in cell.source
    assert "`True` (yes) or `False` (no)" in cell.source
