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


# --- The exercise contract (issue 14): solution cells, graded cells, predictions ----------------


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def exercises(notebook) -> dict[str, tuple]:
    """grade_id -> (solution cell, graded cell, the code cell after the graded one)."""
    cells = notebook.cells
    solutions = {nbgrader(c)["grade_id"]: c for c in cells if nbgrader(c).get("solution")}
    found = {}
    for k, cell in enumerate(cells):
        if nbgrader(cell).get("grade"):
            exercise = nbgrader(cell)["grade_id"].removesuffix("-grade")
            after = next(c for c in cells[k + 1 :] if c.cell_type == "code")
            found[exercise] = (solutions.get(exercise), cell, after)
    assert set(found) == set(solutions), "every solution cell has its graded partner"
    return found


def assert_stubs_graded_on_hidden_seeds(notebook, name: str, points: dict[str, int]) -> None:
    """Each exercise of notebook ``name``: a folded solution cell (def and docstring outside the
    region), a locked graded cell with hidden seeds 1 and 2, full points stored, no stderr."""
    found = exercises(notebook)
    assert {exercise: nbgrader(graded)["points"] for exercise, (_, graded, _) in found.items()} == (
        points
    )
    for exercise, (solution, graded, _) in found.items():
        assert exercise.startswith(name[:2] + "-")
        assert solution.metadata["jupyter"]["source_hidden"] and not solution.outputs
        lines = solution.source.splitlines()
        assert lines[0].startswith("def ") and '"""' in lines[1]  # def and docstring outside
        assert "    ### BEGIN SOLUTION" in lines and lines[-1] == "    ### END SOLUTION"
        assert nbgrader(graded)["locked"] and nbgrader(graded)["grade_id"] == f"{exercise}-grade"
        source = graded.source
        assert f'grade = Grade("{exercise}", points={points[exercise]})' in source
        hidden = source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        assert "seed=1" in hidden and "seed=2" in hidden
        assert source.rstrip().endswith("grade.points()")
        text = "".join(o.get("text", "") for o in graded.outputs)
        assert (
            text.startswith("✅")
            and f"{exercise}: {points[exercise]} of {points[exercise]} points" in text
        )
        assert not any(o.get("name") == "stderr" for o in graded.outputs)


def assert_after_cells_run_the_student_s_function(notebook, after: tuple[str, ...]) -> None:
    """The cell after each of ``after``'s graded cells runs the student's function or says it
    does not, and is tagged "answer" (the student edition clears it)."""
    for exercise in after:
        _, _, cell = exercises(notebook)[exercise]
        assert "grade.passed" in cell.source and "above first: this cell runs" in cell.source
        assert "answer" in cell.metadata.get("tags", [])


def assert_prediction_waits_then_answers(notebook, prediction: str) -> None:
    """``prediction.check(my_prediction)`` stores "No prediction yet"; the next code cell, tagged
    "answer", reveals it."""
    cells = notebook.cells
    k = next(k for k, c in enumerate(cells) if f"{prediction}.check(my_prediction)" in c.source)
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in "".join(o["data"]["text/plain"] for o in cells[k].outputs)
    answer = next(c for c in cells[k + 1 :] if c.cell_type == "code")
    assert "answer" in answer.metadata.get("tags", [])
