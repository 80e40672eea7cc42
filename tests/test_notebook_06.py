"""Notebook 06's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

import numpy as np
import pytest
from stored_outputs import array_after, verdicts

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


def test_exercise_shows_the_mistake_then_passes(notebook):
    assert verdicts(notebook) == ["❌", "✅"]


def test_scaled_weights_change_unit_three_as_the_prose_says(outputs, prose):
    f_scale_2 = array_after("scale 2.0: f_t =", outputs)
    assert f"but {100 * f_scale_2[2]:.1f} %" in prose  # "no longer keeps 80 % … but 19.5 %"
    assert outputs.count("the article's f_t: True") == 2  # W_f = 0 and a compensated nonzero W_f
    assert "but σ(37.0) == 1.0 in float64: True" in outputs
