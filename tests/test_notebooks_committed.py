"""The notebooks as committed: all there, executed top to bottom, no errors, no widget state.

nbval re-runs each notebook and compares outputs; these tests catch what nbval cannot: a
notebook committed unexecuted, out of order, with a stored error, or with widget state.
"""

import json
from pathlib import Path

import pytest
from stored_outputs import outputs_text

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COURSE_PATTERN = "[0-9][0-9]_*.ipynb"  # the course: notebooks/NN_name.ipynb, at the top level only
COURSE = sorted(p.stem for p in NOTEBOOKS.glob(COURSE_PATTERN))
"""Found, not listed: a new notebook is picked up by every test here (and by nbval)."""
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_the_course_is_numbered_00_to_nn_without_gaps():
    assert COURSE[:11] == [  # the first eleven, as the map in notebook 00 lists them
        "00_start_here",
        "01_neuron",
        "02_sequences_need_memory",
        "03_rnn_unrolled",
        "04_long_term_dependencies",
        "05_lstm_cell_state",
        "06_forget_gate",
        "07_input_gate_and_cell_update",
        "08_output_gate",
        "09_variants",
        "10_pytorch_sin_to_cos",
    ]
    assert [int(name[:2]) for name in COURSE] == list(range(len(COURSE)))


def test_every_top_level_notebook_is_a_course_notebook():
    """A stray notebook at the top (Untitled.ipynb) is an error; zh/ and student/ are not."""
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == COURSE


@pytest.mark.parametrize("name", COURSE)
def test_executed_in_order_from_a_fresh_kernel(name):
    counts = [c["execution_count"] for c in code_cells(load(name))]
    assert None not in counts, f"{name}: code cells without an execution count (not executed)"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{name}: not run top to bottom once: {counts}"
    )


@pytest.mark.parametrize("name", COURSE)
def test_no_stored_errors(name):
    for cell in code_cells(load(name)):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{name}: stored {output.get('ename')}"


@pytest.mark.parametrize("name", COURSE)
def test_no_widget_state_and_a_standard_kernel(name):
    nb = load(name)
    assert "widgets" not in nb["metadata"], f"{name}: widget state in metadata"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", COURSE)
def test_widget_outputs_are_not_compared(name):
    """A widget's stored view holds a random model id: its cell must be NBVAL_IGNORE_OUTPUT."""
    for cell in code_cells(load(name)):
        shows_widget = any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", []))
        if shows_widget:
            first_line = "".join(cell["source"]).lstrip().splitlines()[0]
            assert "NBVAL_IGNORE_OUTPUT" in first_line, f"{name}: {first_line!r}"


@pytest.mark.parametrize("name", COURSE)
def test_starts_with_a_title_and_ends_with_a_summary(name):
    cells = load(name)["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    last = "".join(cells[-1]["source"]).lower()
    assert cells[-1]["cell_type"] == "markdown" and "summary" in last


@pytest.mark.parametrize("name", COURSE[1:])
def test_your_turn_is_checked_and_its_hidden_solution_passes(name):
    cells = load(name)["cells"]
    markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "your turn" in markdown.lower(), f"{name}: no 'Your turn' exercise"
    hidden = [c for c in cells if c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert hidden, f"{name}: no collapsed reference solution"
    verdicts = [outputs_text(c) for c in code_cells({"cells": cells})]
    assert any("✅" in v for v in verdicts), f"{name}: the reference solution's check is not shown"
    first_pass = next(k for k, c in enumerate(cells) if "✅" in outputs_text(c))
    assert any(c in hidden for c in cells[: first_pass + 1]), f"{name}: ✅ before the solution"


@pytest.mark.parametrize(("name", "following"), list(zip(COURSE[:-1], COURSE[1:], strict=True)))
def test_summary_leads_to_the_next_notebook(name, following):
    assert f"({following}.ipynb)" in "".join(load(name)["cells"][-1]["source"])
