"""Notebook 06's prose against its stored outputs (nbval checks the outputs against the code)."""

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

POINTS = {"06-forget-gate": 2, "06-forget-sequence": 4}
AFTER = ["06-forget-gate"]
PREDICTION = "predict_keep_everything"
NOTEBOOK = "06_forget_gate"


def test_the_pointwise_product_is_the_articles_and_the_summary_says_so(outputs, prose):
    kept = array_after("f_t ⊙ C_{t-1} =", outputs)
    assert np.allclose(kept, [0.25, 0.06, 0.32])
    summary = prose[prose.index("## Summary") :]
    assert (
        r"f_t \odot C_{t-1} = [0.5, 0.1, 0.8] \odot [0.5, 0.6, 0.4] = [0.25, 0.06, 0.32]" in summary
    )
    dot = float(re.search(r"dot product f_t · C_\{t-1\} = (\S+)", outputs)[1])
    assert dot == pytest.approx(kept.sum()) and f"not the dot product {dot:.2f}" in summary


def test_no_dot_stands_for_the_pointwise_product(notebook):
    """· (or \\cdot) is kept for the matrix product; every pointwise product reads ⊙ — except
    where the notebook shows what the dot product would give."""
    dot = re.compile(r"f_t\s*(·|\\cdot)\s*C_\{\{?t-1\}")
    for cell in notebook.cells:
        lines = [line for line in cell.source.splitlines() if "dot product" not in line]
        if not cell.source.startswith("Not a dot product"):
            assert not any(dot.search(line) for line in lines), cell.source


def test_the_weights_and_the_gate_the_prose_states(outputs, prose):
    assert np.allclose(array_after("b_f =", outputs), [0.0, -2.197, 1.386])
    assert np.allclose(array_after("f_t =", outputs), [0.5, 0.1, 0.8])
    assert "the article's f_t: True" in outputs
    for unit, (f, c, kept) in enumerate([(0.5, 0.5, 0.25), (0.1, 0.6, 0.06), (0.8, 0.4, 0.32)], 1):
        assert f"unit {unit}: f_t = {f} keeps {f:.0%} of {c} -> {kept:.2f}" in outputs
    assert "unit 3 keeps 80 % of its 0.4" in prose


def test_every_gate_value_stays_strictly_inside_zero_and_one(outputs):
    assert "all strictly inside (0, 1): True" in outputs


def test_no_verdict_but_the_prediction_s_is_displayed(notebook):
    """The graded cells print their verdicts; the only displayed one waits for a guess."""
    assert verdicts(notebook) == ["❌"]


def test_scaled_weights_change_unit_three_as_the_prose_says(outputs, prose):
    f_scale_2 = array_after("scale 2.0: f_t =", outputs)
    assert f"but {100 * f_scale_2[2]:.1f} %" in prose  # "no longer keeps 80 % … but 19.5 %"
    assert outputs.count("the article's f_t: True") == 2  # W_f = 0 and a compensated nonzero W_f
    assert "but σ(37.0) == 1.0 in float64: True" in outputs


# --- Issue 14: build-it exercises, graded; a prediction ------------------------------------------


def test_the_exercises_are_stubs_graded_on_hidden_seeds_and_the_reference_earns_all(notebook):
    assert_stubs_graded_on_hidden_seeds(notebook, NOTEBOOK, POINTS)


def test_the_cells_that_run_the_student_s_function_say_so_and_are_answers(notebook):
    assert_after_cells_run_the_student_s_function(notebook, AFTER)


def test_the_prediction_waits_for_a_guess_and_the_next_cell_answers(notebook):
    assert_prediction_waits_then_answers(notebook, PREDICTION)


def test_the_prediction_s_answer_is_the_unit_the_prose_names(outputs, prose):
    gains = [
        float(re.search(rf"unit {k}: \S+ -> \S+, a gain of (\S+)", outputs)[1]) for k in (1, 2, 3)
    ]
    assert 1 + int(np.argmax(gains)) == 2 and "Unit 2 gains most" in prose
    assert array_after("f_t =", outputs)[1] == min(array_after("f_t =", outputs)) == 0.1
    assert "it had the most closed gate, 0.1" in prose


def test_the_sequence_exercise_keeps_f_t_to_the_power_t_as_the_summary_says(outputs, prose):
    """The build-it (review 05-08 item 4): the same gate five times keeps f_t[k]**5."""
    C_5 = array_after("C_5 =", outputs)
    assert C_5 == pytest.approx([0.5**5 * 0.5, 0.1**5 * 0.6, 0.8**5 * 0.4], rel=1e-2)
    assert "keeps $0.1^5$ of its value after five steps" in prose
    assert "without the package's `forget_gate`" in prose
    assert "here, in the teaching edition" not in prose


def test_units_counted_from_1_are_written_as_components_in_prose(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert "f_t[k]" not in cell.source and "C_{t-1}[k]" not in cell.source, cell.id
