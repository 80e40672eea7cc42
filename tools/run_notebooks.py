"""Re-execute notebooks in place, the way they are committed: `make notebooks`.

Each notebook runs top to bottom in its own fresh kernel (the current environment's
python3), with notebooks/ as the working directory. The stored result keeps its outputs
and execution counts, and drops what must never be committed: widget state and timing
metadata. A notebook that raises is reported and left untouched on disk.

    python tools/run_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600


def strip_volatile_metadata(nb: nbformat.NotebookNode) -> None:
    """Remove widget state and per-cell timing; keep everything a reader needs."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)


def new_client(nb: nbformat.NotebookNode, path: Path) -> NotebookClient:
    """A client that runs ``nb`` as a student would: a fresh python3 kernel, in its folder."""
    return NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,
    )


def run_notebook(path: Path) -> float:
    """Execute one notebook in place; return its wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    client = new_client(nb, path)
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    strip_volatile_metadata(nb)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": KERNEL_NAME,
    }
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(Path("notebooks").glob("*.ipynb"))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    failed = []
    for path in paths:
        try:
            elapsed = run_notebook(path)
        except CellExecutionError as exc:
            failed.append(path)
            print(f"FAILED {path}:\n{exc}", file=sys.stderr)
            continue
        print(f"{elapsed:6.1f} s  {path}")
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
