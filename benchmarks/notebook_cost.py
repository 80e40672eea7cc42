"""What the course costs to run, in units that travel: every notebook in its own fresh kernel.

    .venv/bin/python benchmarks/notebook_cost.py                     # the English course
    .venv/bin/python benchmarks/notebook_cost.py notebooks/05_*.ipynb
    .venv/bin/python benchmarks/notebook_cost.py --markdown          # the instructor guide's table

Absolute seconds differ 2× between two machines of the same kind, and more on a busy one. So
the same run also measures the **torch-kernel unit**: a fresh kernel that imports numpy,
matplotlib, ipywidgets and torch, and nothing else — the least any course notebook costs.
It is measured ``--unit-runs`` times (3: before, between and after the notebooks) and its median
kept; every notebook and the whole course are reported in those units beside the seconds.

Each notebook is executed top to bottom exactly as ``tools/run_notebooks.py`` executes it (same
kernel, timeout and working directory) but never written back. Per notebook it reports:

- wall time: kernel start to kernel shutdown, as a student's "Restart and Run All" costs, and
  the same in units (the notebook's wall time / the unit's);
- kernel CPU: the user + system CPU time the kernel (and its children) used, which, unlike the
  wall time, does not grow when other jobs share the machine, and the same in CPU units;
- peak RSS: the most memory the kernel held, children included. A thread samples the kernel
  process and its children every 20 ms and after every cell; on Linux the kernel's own
  high-water mark (``VmHWM`` in /proc) is read too, so a spike between samples is not missed.

Targets: every notebook ≤ 3 units, the whole English course (``notebooks/*.ipynb``) ≤ 15
units, every kernel ≤ 450 MB; and the memory one student holds with every notebook open at once
(the sum of the peaks), which is what a JupyterHub must plan for. The load average is printed
before and after (``uptime``'s three numbers): quote it with any figure. Exit status 1 if a
notebook fails; with ``--strict`` also if a target is missed.

This is a measurement, not a test: it is not run by the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tools.run_notebooks import new_client  # noqa: E402

NOTEBOOK_TARGET_UNITS = 3.0
COURSE_TARGET_UNITS = 15.0
KERNEL_TARGET_MB = 450.0
UNIT_SOURCE = "import numpy\nimport matplotlib.pyplot\nimport ipywidgets\nimport torch\n"
"""The torch-kernel unit's one cell: what every course notebook imports first."""
SAMPLE_INTERVAL_S = 0.02
MB = 1024 * 1024


def high_water_mark(pid: int) -> int:
    """The process's peak resident memory in bytes (Linux ``VmHWM``); 0 where unavailable."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Samples the RSS of a process and all its children until ``stop()``; keeps the peak."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL_S) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak_bytes = 0
        self.cpu_seconds = 0.0
        self._stopped = threading.Event()
        self._lock = threading.Lock()

    def sample(self) -> None:
        """Take one reading now (also safe to call from outside the thread)."""
        try:
            processes = [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            return
        total, cpu = 0, 0.0
        for process in processes:
            try:
                total += process.memory_info().rss
                times = process.cpu_times()
            except psutil.Error:
                continue
            cpu += times.user + times.system
        with self._lock:
            self.peak_bytes = max(self.peak_bytes, total, high_water_mark(self.process.pid))
            self.cpu_seconds = max(self.cpu_seconds, cpu)

    def run(self) -> None:
        while not self._stopped.is_set():
            self.sample()
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()
        self.join()


@dataclass
class NotebookCost:
    """One notebook's run: wall time, peak kernel memory, and the error if it failed."""

    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    error: str | None = None


def measure(path: Path) -> NotebookCost:
    """Execute the notebook at ``path`` in a fresh kernel (not saved); its time and memory."""
    return measure_notebook(nbformat.read(path, as_version=4), path)


def measure_unit() -> NotebookCost:
    """The torch-kernel unit: a fresh kernel that imports numpy, matplotlib, ipywidgets, torch."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(UNIT_SOURCE)]
    return measure_notebook(nb, REPO / "notebooks" / "torch-kernel unit")


def measure_notebook(nb: nbformat.NotebookNode, path: Path) -> NotebookCost:
    """Execute ``nb`` as if it were at ``path`` (its folder is the working directory)."""
    client = new_client(nb, path)
    samplers: list[MemorySampler] = []

    def on_notebook_start(**_: object) -> None:
        sampler = MemorySampler(client.km.provisioner.process.pid)
        sampler.start()
        samplers.append(sampler)

    def on_cell_executed(**_: object) -> None:
        for sampler in samplers:
            sampler.sample()

    client.on_notebook_start = on_notebook_start
    client.on_cell_executed = on_cell_executed
    error = None
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
    seconds = time.perf_counter() - start
    for sampler in samplers:
        sampler.stop()
    peak = max((sampler.peak_bytes for sampler in samplers), default=0)
    cpu = max((sampler.cpu_seconds for sampler in samplers), default=0.0)
    return NotebookCost(path.name, seconds, cpu, peak / MB, error)


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


@dataclass
class Unit:
    """The torch-kernel unit: the median wall and CPU seconds of its runs."""

    runs: list[NotebookCost]

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(run.peak_mb for run in self.runs)

    def describe(self) -> str:
        walls = ", ".join(f"{run.seconds:.2f}" for run in self.runs)
        cpus = ", ".join(f"{run.cpu_seconds:.2f}" for run in self.runs)
        return (
            f"torch-kernel unit (a fresh kernel importing numpy, matplotlib, ipywidgets, torch): "
            f"{self.seconds:.2f} s wall (runs {walls}), {self.cpu_seconds:.2f} s kernel CPU "
            f"(runs {cpus}), {self.peak_mb:.0f} MB"
        )


def report(costs: list[NotebookCost], unit: Unit, markdown: bool) -> list[str]:
    """The table's lines, per notebook then the totals, with each figure against its target."""
    total_s = sum(cost.seconds for cost in costs)
    total_cpu_s = sum(cost.cpu_seconds for cost in costs)
    total_units = total_s / unit.seconds
    largest = max(costs, key=lambda cost: cost.peak_mb)
    all_open_mb = sum(cost.peak_mb for cost in costs)

    def row_verdict(cost: NotebookCost) -> str:
        if cost.error:
            return f"FAILED: {cost.error}"
        units_ok = cost.seconds / unit.seconds <= NOTEBOOK_TARGET_UNITS
        return verdict(units_ok and cost.peak_mb <= KERNEL_TARGET_MB)

    rows = [
        (
            cost.name,
            f"{cost.seconds / unit.seconds:.1f}",
            f"{cost.seconds:.1f}",
            f"{cost.cpu_seconds / unit.cpu_seconds:.1f}",
            f"{cost.cpu_seconds:.1f}",
            f"{cost.peak_mb:.0f}",
            row_verdict(cost),
        )
        for cost in costs
    ]
    totals = [
        (
            f"whole course ({len(costs)} notebook{'s' if len(costs) != 1 else ''})",
            f"{total_units:.1f}",
            f"{total_s:.1f}",
            f"{total_cpu_s / unit.cpu_seconds:.1f}",
            f"{total_cpu_s:.1f}",
            f"{largest.peak_mb:.0f} (largest)",
            f"{verdict(total_units <= COURSE_TARGET_UNITS)} (course ≤ {COURSE_TARGET_UNITS:.0f} "
            f"units, each notebook ≤ {NOTEBOOK_TARGET_UNITS:.0f}, each kernel ≤ "
            f"{KERNEL_TARGET_MB:.0f} MB)",
        ),
        ("every notebook open at once", "", "", "", "", f"{all_open_mb:.0f} (sum)", "one student"),
    ]
    header = (
        "notebook",
        "units",
        "wall time (s)",
        "CPU units",
        "kernel CPU (s)",
        "peak kernel RSS (MB)",
        "target",
    )
    numeric = range(1, 6)
    if markdown:
        lines = [f"| {' | '.join(header)} |", "|---|---:|---:|---:|---:|---:|---|"]
        lines += [f"| {' | '.join(row)} |" for row in rows]
        lines += [f"| **{row[0]}** | {' | '.join(row[1:])} |" for row in totals]
        return lines
    widths = [max(len(row[i]) for row in [header, *rows, *totals]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        numbers = "  ".join(f"{row[i]:>{widths[i]}}" for i in numeric)
        return f"{row[0]:<{widths[0]}}  {numbers}  {row[-1]}".rstrip()

    rule = "-" * (sum(widths[:-1]) + 2 * len(numeric) + 2)
    return [line(header), rule, *map(line, rows), rule, *map(line, totals)]


def uptime() -> str:
    """The load averages over 1, 5 and 15 minutes, as ``uptime`` prints them."""
    if not hasattr(os, "getloadavg"):
        return "load average: unknown"
    return "load average: " + ", ".join(f"{load:.2f}" for load in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--unit-runs", type=int, default=3, help="runs of the torch-kernel unit (median kept)"
    )
    args = parser.parse_args(argv)
    if args.unit_runs < 1:
        parser.error("--unit-runs must be at least 1")
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    if not paths:
        parser.error("no notebooks found")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(f"{os.cpu_count()} CPUs; at start, {uptime()} (a busy machine inflates wall times)")

    # The unit's runs are spread over the run (first, between the notebooks, last), so a load
    # that comes and goes weighs on it as on the notebooks.
    unit_at = {round(k * len(paths) / max(args.unit_runs - 1, 1)) for k in range(args.unit_runs)}
    if args.unit_runs == 1:
        unit_at = {0}
    unit_runs: list[NotebookCost] = []
    costs = []

    def run_unit() -> None:
        run = measure_unit()
        if run.error:
            raise SystemExit(f"the torch-kernel unit failed: {run.error}")
        unit_runs.append(run)
        print(
            f"  {run.seconds:5.1f} s  {run.cpu_seconds:5.1f} s CPU  {run.peak_mb:4.0f} MB  "
            "(torch-kernel unit)",
            flush=True,
        )

    for index, path in enumerate(paths):
        if index in unit_at:
            run_unit()
        cost = measure(path)
        costs.append(cost)
        status = f"FAILED: {cost.error}" if cost.error else ""
        print(
            f"  {cost.seconds:5.1f} s  {cost.cpu_seconds:5.1f} s CPU  {cost.peak_mb:4.0f} MB  "
            f"{cost.name} {status}",
            flush=True,
        )
    while len(unit_runs) < args.unit_runs:
        run_unit()
    unit = Unit(unit_runs)
    print(f"\nat end, {uptime()}")
    print(unit.describe())
    print("\n".join(report(costs, unit, args.markdown)))

    over_mb = [c.name for c in costs if c.peak_mb > KERNEL_TARGET_MB]
    over_units = [c.name for c in costs if c.seconds / unit.seconds > NOTEBOOK_TARGET_UNITS]
    total_units = sum(cost.seconds for cost in costs) / unit.seconds
    if over_mb:
        print(f"\nover {KERNEL_TARGET_MB:.0f} MB: {', '.join(over_mb)}")
    if over_units:
        print(f"\nover {NOTEBOOK_TARGET_UNITS:.0f} units: {', '.join(over_units)}")
    if total_units > COURSE_TARGET_UNITS:
        print(f"\nthe course takes {total_units:.1f} units, over its {COURSE_TARGET_UNITS:.0f}")
    if any(cost.error for cost in costs):
        return 1
    missed = over_mb or over_units or total_units > COURSE_TARGET_UNITS
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
