"""Reading a committed notebook's stored outputs, for the tests that check its prose and
exercises against what its cells printed (nbval checks that the cells print it)."""

import re
from pathlib import Path

import nbformat
import numpy as np

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def read_notebook(name: str) -> nbformat.NotebookNode:
    """notebooks/<name>.ipynb as committed, e.g. read_notebook("03_rnn_unrolled")."""
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def outputs_text(cell: dict, mimes: tuple[str, ...] = ("text/plain", "text/html")) -> str:
    """Everything a cell printed or displayed as text: streams, then the given mime types."""
    texts = []
    for output in cell.get("outputs", []):
        texts.append("".join(output.get("text", "")))
        for mime in mimes:
            texts.append("".join(output.get("data", {}).get(mime, "")))
    return "".join(texts)


def printed(notebook: nbformat.NotebookNode) -> str:
    """What the notebook's cells printed, one string: a cell's streams joined as printed (one
    print may arrive in pieces), the cells one after another."""
    return "\n".join(
        "".join(o["text"] for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        for cell in notebook.cells
        if cell.cell_type == "code"
    )


def markdown_text(notebook: nbformat.NotebookNode) -> str:
    """Every Markdown cell's source (the notebook's prose), one string."""
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def array_after(label: str, text: str) -> np.ndarray:
    """The printed numpy array right after `label`, e.g. array_after("f_t =", outputs)."""
    return np.array(re.search(re.escape(label) + r"\s*\[([^\]]+)\]", text)[1].split(), dtype=float)


def verdicts(notebook: nbformat.NotebookNode) -> list[str]:
    """The exercise checks' verdicts in the order the cells show them: "✅" or "❌" each."""
    return [
        o["data"]["text/plain"][0]
        for c in notebook.cells
        for o in c.get("outputs", [])
        if o.get("data", {}).get("text/plain", "").startswith(("✅", "❌"))
    ]
