"""The hub's sizing table: the rehearsal for N = 1, 5, 10 and 20 students, one after another.

    make classroom-sizing            # or: .venv/bin/python -m classroom.sizing --students 1 5 10 20

Each N is a fresh hub (classroom.rehearsal.run). The table gives, per N, the medians and 95th
percentiles over the students, what all of them held at once, and the machine's load from
everything else during that run: the CPU of processes outside the rehearsal and ``uptime``'s
load averages. "hub CPU s" is the hub, its proxy, the idle culler and git daemon together
(the driver simulating the students' browsers is not counted). Results also land in
test-artifacts/classroom/sizing-N.json; with ``--record`` in classroom/measured/, whose table
(``--table``) the instructor guide shows, checked by tests/test_classroom.py.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from classroom.hub import LOG_DIR, ROOT
from classroom.rehearsal import NOTEBOOK, Result, percentile, report, run, save

MEASURED = Path(__file__).with_name("measured")  # the runs the instructor guide reports

HEADER = (
    "| students | completed | server start s p50 / p95 | pull s p50 / p95 | run-all s p50 / p95 "
    "| slider ms p50 / p95 | peak MB a student (max) | CPU s a student: start + pull + run-all "
    "= total (p50) "
    "| all students at once: peak MB | hub CPU s | wall s | others' cores "
    "| load average before → after |"
)


def load(uptime: str) -> str:
    found = re.search(r"load average: ([\d.]+)", uptime)
    return found.group(1) if found else "?"


def row(results, summary) -> str:
    def pair(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
        return (
            f"{scale * percentile(values, 0.5):.{digits}f} / "
            f"{scale * percentile(values, 0.95):.{digits}f}"
        )

    moves = [s for r in results for s in r.slider_s]
    peak = max((r.peak_rss_mb for r in results if r.peak_rss_mb == r.peak_rss_mb), default=0)
    cells = [
        f"{summary['students']}",
        f"{summary['completed']}/{summary['students']}",
        pair([r.server_start_s for r in results]),
        pair([r.pull_s for r in results]),
        pair([r.run_all_s for r in results]),
        pair(moves, 1000, 0),
        f"{peak:.0f}",
        " + ".join(
            f"{percentile([getattr(r, key) for r in results], 0.5):.1f}"
            for key in ("cpu_start_s", "cpu_pull_s", "cpu_run_all_s")
        )
        + f" = {percentile([r.cpu_s for r in results], 0.5):.1f}",
        f"{summary['peak_total_rss_mb']:.0f}",
        f"{summary['hub_cpu_s']:.1f}",
        f"{summary['wall_s']:.0f}",
        f"{summary['others_cores']:.2f}",
        f"{load(summary['uptime_before'])} → {load(summary['uptime_after'])}",
    ]
    return "| " + " | ".join(cells) + " |"


def table(measured: list[tuple[list[Result], dict]]) -> str:
    lines = [HEADER, "|" + "---:|" * (HEADER.count("|") - 1)]
    return "\n".join(lines + [row(results, summary) for results, summary in measured])


def load_measured(path: Path) -> tuple[list[Result], dict]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return [Result(**student) for student in payload["students"]], payload["summary"]


def recorded() -> list[tuple[list[Result], dict]]:
    """The measurements the instructor guide's table shows, in order of N."""
    files = sorted(MEASURED.glob("sizing-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    return [load_measured(path) for path in files]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--notebook", default=NOTEBOOK)
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"also keep the results in {MEASURED.relative_to(ROOT)}/, the guide's table",
    )
    parser.add_argument("--table", action="store_true", help="only print the recorded table")
    args = parser.parse_args(argv)
    if args.table:
        print(table(recorded()))
        return
    measured = []
    for students in args.students:
        results, summary = run(students, args.notebook)
        print(report(results, summary), flush=True)
        save(LOG_DIR / f"sizing-{students}.json", results, summary)
        if args.record:
            save(MEASURED / f"sizing-{students}.json", results, summary)
        measured.append((results, summary))
    print("\n" + table(measured))


if __name__ == "__main__":
    main()
