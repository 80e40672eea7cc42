"""Notebook 07's prose against its stored outputs (nbval checks the outputs against the code)."""

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

POINTS = {"07-input-gate": 3, "07-cell-update": 2}
AFTER = ["07-cell-update"]
PREDICTION = "predict_fifty_steps"
NOTEBOOK = "07_input_gate_and_cell_update"


def numbers(text: str) -> np.ndarray:
    return np.array(re.findall(r"-?\d+(?:\.\d+)?", text), dtype=float)


def test_the_summary_sum_is_the_computed_update(outputs, prose):
    kept = array_after("f_t ⊙ C_{t-1} =", outputs)
    written = array_after("i_t ⊙ C̃_t =", outputs)
    C_t = array_after("C_t =", outputs)
    assert np.allclose(kept + written, C_t)
    line = re.search(r"With the numbers here,\s*\$([^$]+)\$", prose)[1]
    assert np.allclose(numbers(line), np.concatenate([kept, written, C_t]))


def test_the_biases_in_the_table_are_the_computed_ones(outputs, prose):
    b_i, b_C = array_after("b_i =", outputs), array_after("b_C =", outputs)
    table = prose[prose.index("| layer | chosen output |") :]
    logit_row = re.search(r"\\operatorname\{logit\}\(i_t\) = \[([^\]]+)\]", table)[1]
    artanh_row = re.search(r"\\operatorname\{artanh\}\(\\tilde\{C\}_t\) = \[([^\]]+)\]", table)[1]
    assert np.allclose(numbers(logit_row), b_i) and np.allclose(numbers(artanh_row), b_C)


def test_kept_is_what_the_forget_gate_keeps_not_what_it_discards(outputs, prose):
    assert np.allclose(array_after("discarded (1 − f_t) ⊙ C_{t-1} =", outputs), [0.25, 0.54, 0.08])
    assert "kept + discarded = C_{t-1}: True" in outputs
    assert "此时需要丢弃的" in prose  # the article's words, quoted where they bite


def test_the_gates_are_independent_and_only_the_coupled_cell_ties_them(outputs, prose):
    standard = array_after("standard: f_t + i_t =", outputs)
    coupled = array_after("coupled:  f_t + i_t =", outputs)
    assert np.sum(~np.isclose(standard, 1.0)) == 2  # "not 1 in two of the three units"
    assert "not 1 in two of the three units" in prose
    assert np.allclose(coupled, 1.0)
    assert "记忆门的作用与遗忘门相反" in prose
    assert array_after("coupled:  i_t = 1 − f_t =", outputs)[2] == pytest.approx(
        0.2
    )  # 80 % kept, 20 % written


def test_a_forget_gate_of_point_nine_keeps_half_a_percent_after_fifty_steps(outputs, prose):
    after = array_after("f_t =  0.9: after 50 steps C =", outputs)
    ratio = after / array_after("C_{t-1} =", outputs)
    assert np.allclose(ratio, 0.9**50, rtol=0.05)
    assert f"0.9^{{50}} \\approx {0.9**50:.3f}" in prose


def test_keep_and_write_leaves_minus_one_to_one(outputs):
    assert (
        np.abs(array_after("keep everything, write all C̃    (f=1, i=1): C_t =", outputs)).max() > 1
    )


def test_no_verdict_but_the_prediction_s_is_displayed(notebook):
    """The graded cells print their verdicts; the only displayed one waits for a guess."""
    assert verdicts(notebook) == ["❌"]


# --- Issue 14: build-it exercises, graded; a prediction ------------------------------------------


def test_the_exercises_are_stubs_graded_on_hidden_seeds_and_the_reference_earns_all(notebook):
    assert_stubs_graded_on_hidden_seeds(notebook, NOTEBOOK, POINTS)


def test_the_cells_that_run_the_student_s_function_say_so_and_are_answers(notebook):
    assert_after_cells_run_the_student_s_function(notebook, AFTER)


def test_the_prediction_waits_for_a_guess_and_the_next_cell_answers(notebook):
    assert_prediction_waits_then_answers(notebook, PREDICTION)


def test_the_prediction_s_answer_is_what_fifty_steps_leave(outputs):
    from lstm_course.exercises.gates import predict_fifty_steps

    left = dict(re.findall(r"f_t = *(\S+): after 50 steps C = \[[^]]*\], (\S+) of", outputs))
    assert float(left["0.986"]) == pytest.approx(0.5, abs=0.01) == 0.986**50
    half = min(predict_fifty_steps.choices, key=lambda choice: abs(float(left[str(choice)]) - 0.5))
    assert half == predict_fifty_steps.answer == 0.986
    assert float(left["0.9"]) == pytest.approx(0.9**50, abs=0.001)


def test_the_task_wording_is_true_in_both_editions(prose):
    assert "here, in the teaching edition" not in prose
    assert "without the package's `update_cell`" in prose
