"""Which notebooks the browser test opens: those whose stored outputs show a widget.

Found from the committed outputs (the ``application/vnd.jupyter.widget-view+json`` mime type
that ``display(playground)`` leaves behind), so a new notebook with a widget is tested without
anyone editing a list.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def widget_view_count(path: Path) -> int:
    """How many widget views the notebook at ``path`` displayed when it was last executed."""
    nb = nbformat.read(path, as_version=4)
    return sum(
        WIDGET_MIME in output.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def widget_notebooks(notebooks_dir: Path) -> list[Path]:
    """The notebooks in ``notebooks_dir`` with at least one stored widget view, sorted by name."""
    return [path for path in sorted(notebooks_dir.glob("*.ipynb")) if widget_view_count(path)]
