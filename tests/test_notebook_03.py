"""Notebook 03's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

import numpy as np
import pytest
from stored_outputs import printed, read_notebook


@pytest.fixture(scope="module")
def notebook():
    return read_notebook("03_rnn_unrolled")


@pytest.fixture(scope="module")
def outputs(notebook) -> str:
    return printed(notebook)


def test_every_equality_the_notebook_claims_holds(outputs):
    claims = re.findall(r"equal: (True|False)", outputs)
    assert len(claims) == 3 and set(claims) == {"True"}
    assert "last row = the loop's h_6: True" in outputs
    differences = [float(d) for d in re.findall(r"max \|difference\| = (\S+),", outputs)]
    assert len(differences) == 2 and max(differences) < 1e-12  # numpy = torch, both ways


def test_the_pulse_fades_at_every_step(outputs):
    norms = re.search(r"‖h_t‖ after one pulse: \[([^\]]+)\]", outputs)[1].split()
    assert np.all(np.diff(np.array(norms, dtype=float)) < 0)
    assert "spectral radius of W_hh: 0.7" in outputs


def test_the_parameter_count_ignores_t(outputs):
    assert "parameters, for every T: 15" in outputs
    assert "total: 18" in outputs  # PyTorch's two biases: 3 more


def test_exercises_show_the_mistake_then_pass(notebook):
    verdicts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            if text.startswith(("✅", "❌")):
                verdicts.append(text[0])
    assert verdicts == ["❌", "✅", "❌", "✅"]
    hidden = [c for c in notebook.cells if c.metadata.get("jupyter", {}).get("source_hidden")]
    assert len(hidden) == 2  # the two reference solutions
