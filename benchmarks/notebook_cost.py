"""What the course costs to run: every notebook in its own fresh kernel, timed, memory sampled.

    .venv/bin/python benchmarks/notebook_cost.py                     # every notebook
    .venv/bin/python benchmarks/notebook_cost.py notebooks/05_*.ipynb
    .venv/bin/python benchmarks/notebook_cost.py --markdown          # the instructor guide's table

Each notebook is executed top to bottom exactly as ``tools/run_notebooks.py`` executes it (same
kernel, timeout and working directory) but never written back. Per notebook it reports:

- wall time: kernel start to kernel shutdown, as a student's "Restart and Run All" costs;
- kernel CPU: the user + system CPU time the kernel (and its children) used, which, unlike the
  wall time, does not grow when other jobs share the machine;
- peak RSS: the most memory the kernel held, children included. A thread samples the kernel
  process and its children every 20 ms and after every cell; on Linux the kernel's own
  high-water mark (``VmHWM`` in /proc) is read too, so a spike between samples is not missed.

Then the totals against the course's targets on this machine: the whole course ≤ 60 s, each
kernel ≤ 450 MB; and the memory one student holds with every notebook open at once (the sum of
the peaks), which is what a JupyterHub must plan for. Exit status 1 if a notebook fails; with
``--strict`` also if a target is missed.

This is a measurement, not a test: it is not run by the test suite.
"""

from __future__ import annotations

import argparse
import os
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

COURSE_TARGET_S = 60.0
KERNEL_TARGET_MB = 450.0
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
    nb = nbformat.read(path, as_version=4)
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


def report(costs: list[NotebookCost], markdown: bool) -> list[str]:
    """The table's lines, per notebook then the totals, with each figure against its target."""
    total_s = sum(cost.seconds for cost in costs)
    total_cpu_s = sum(cost.cpu_seconds for cost in costs)
    largest = max(costs, key=lambda cost: cost.peak_mb)
    all_open_mb = sum(cost.peak_mb for cost in costs)
    rows = [
        (
            cost.name,
            f"{cost.seconds:.1f}",
            f"{cost.cpu_seconds:.1f}",
            f"{cost.peak_mb:.0f}",
            f"FAILED: {cost.error}" if cost.error else verdict(cost.peak_mb <= KERNEL_TARGET_MB),
        )
        for cost in costs
    ]
    totals = [
        (
            f"whole course ({len(costs)} notebook{'s' if len(costs) != 1 else ''})",
            f"{total_s:.1f}",
            f"{total_cpu_s:.1f}",
            f"{largest.peak_mb:.0f} (largest)",
            f"{verdict(total_s <= COURSE_TARGET_S)} (≤ {COURSE_TARGET_S:.0f} s, "
            f"each kernel ≤ {KERNEL_TARGET_MB:.0f} MB)",
        ),
        ("every notebook open at once", "", "", f"{all_open_mb:.0f} (sum)", "one student, at most"),
    ]
    header = ("notebook", "wall time (s)", "kernel CPU (s)", "peak kernel RSS (MB)", "target")
    if markdown:
        lines = [f"| {' | '.join(header)} |", "|---|---:|---:|---:|---|"]
        lines += [f"| {' | '.join(row)} |" for row in rows]
        lines += [f"| **{row[0]}** | {' | '.join(row[1:])} |" for row in totals]
        return lines
    widths = [max(len(row[i]) for row in [header, *rows, *totals]) for i in range(5)]

    def line(row: tuple[str, ...]) -> str:
        numbers = "  ".join(f"{row[i]:>{widths[i]}}" for i in (1, 2, 3))
        return f"{row[0]:<{widths[0]}}  {numbers}  {row[4]}".rstrip()

    rule = "-" * (sum(widths) + 6)
    return [line(header), rule, *map(line, rows), rule, *map(line, totals)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    if not paths:
        parser.error("no notebooks found")
    os.environ.setdefault("PYTHONHASHSEED", "0")

    costs = []
    for path in paths:
        cost = measure(path)
        costs.append(cost)
        status = f"FAILED: {cost.error}" if cost.error else ""
        print(
            f"  {cost.seconds:5.1f} s  {cost.cpu_seconds:5.1f} s CPU  {cost.peak_mb:4.0f} MB  "
            f"{cost.name} {status}",
            flush=True,
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{os.cpu_count()} CPUs, load average {load:.1f} (a busy machine inflates wall times)")
    print("\n".join(report(costs, args.markdown)))

    over = [c.name for c in costs if c.peak_mb > KERNEL_TARGET_MB]
    total_s = sum(cost.seconds for cost in costs)
    if over:
        print(f"\nover {KERNEL_TARGET_MB:.0f} MB: {', '.join(over)}")
    if total_s > COURSE_TARGET_S:
        print(f"\nthe course takes {total_s:.1f} s, over its {COURSE_TARGET_S:.0f} s target")
    if any(cost.error for cost in costs):
        return 1
    return 1 if args.strict and (over or total_s > COURSE_TARGET_S) else 0


if __name__ == "__main__":
    sys.exit(main())
