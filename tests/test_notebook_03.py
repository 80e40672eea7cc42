"""Notebook 03's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

import numpy as np
from stored_outputs import verdicts

NOTEBOOK = "03_rnn_unrolled"


def test_every_equality_the_notebook_claims_holds(outputs):
    claims = re.findall(r"equal: (True|False)", outputs)
    assert len(claims) == 3 and set(claims) == {"True"}
    assert "last row = the loop's h_6: True" in outputs
    differences = [float(d) for d in re.findall(r"max \|difference\| = (\S+),", outputs)]
    assert len(differences) == 2 and max(differences) < 1e-12  # numpy = torch, both ways


def test_the_pulse_fades_at_every_step_within_the_singular_value_bound(notebook, outputs):
    size = np.array(
        re.search(r"‖trace of the pulse‖: \[([^\]]+)\]", outputs)[1].split(), dtype=float
    )
    ratios = np.array(
        re.search(r"each step / the step before: \[([^\]]+)\]", outputs)[1].split(), dtype=float
    )
    largest = float(re.search(r"largest singular value of W_hh: (\S+)", outputs)[1])
    radius = float(re.search(r"spectral radius of W_hh: (\S+)", outputs)[1])
    assert np.all(np.diff(size) < 0)
    assert largest < 1 and np.all(ratios <= largest)  # the bound the prose states
    assert abs(ratios[-1] - radius) < 0.05  # settling near the spectral radius
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert 100 * size[-1] / size[0] < 0.5
    assert prose.count("to below 0.5 % of its first size") == 2  # the text and the summary
    assert f"is {largest} here" in prose and f"{radius} here" in prose
    assert f"settles at {ratios[-1]:.2f}" in prose


def test_the_parameter_count_ignores_t(outputs):
    assert "parameters, for every T: 15" in outputs
    assert "total: 18" in outputs  # PyTorch's two biases: 3 more


def test_exercises_show_the_mistake_then_pass(notebook):
    assert verdicts(notebook) == ["❌", "✅", "❌", "✅"]
    hidden = [c for c in notebook.cells if c.metadata.get("jupyter", {}).get("source_hidden")]
    assert len(hidden) == 2  # the two reference solutions
