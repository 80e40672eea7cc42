"""Fixtures of the tests that hold a notebook's prose to its stored outputs.

A test module sets ``NOTEBOOK = "06_forget_gate"`` and asks for ``notebook``, ``outputs`` (every
printed stream, one string) or ``prose`` (every Markdown cell, one string).
"""

import pytest
from stored_outputs import markdown_text, printed, read_notebook


@pytest.fixture(scope="module")
def notebook(request):
    """The committed notebook named by the test module's NOTEBOOK."""
    return read_notebook(request.module.NOTEBOOK)


@pytest.fixture(scope="module")
def outputs(notebook) -> str:
    """Every stored stream output of the notebook, one string."""
    return printed(notebook)


@pytest.fixture(scope="module")
def prose(notebook) -> str:
    """Every Markdown cell of the notebook, one string."""
    return markdown_text(notebook)
