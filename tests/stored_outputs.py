"""Reading a committed notebook's stored outputs, for the tests that check its prose and
exercises against what its cells printed (nbval checks that the cells print it)."""

from pathlib import Path

import nbformat

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
    """Every stream output of the notebook (what its cells printed), one string."""
    return "\n".join(
        output["text"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )
