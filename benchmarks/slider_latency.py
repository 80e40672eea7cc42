"""How long a student waits after moving a control: every playground, every control, many moves.

    .venv/bin/python benchmarks/slider_latency.py                  # 30 moves of every control
    .venv/bin/python benchmarks/slider_latency.py --moves 100 --only lstm_cell
    .venv/bin/python benchmarks/slider_latency.py --markdown       # the instructor guide's table

For every builder in ``lstm_course.widgets.all_playgrounds()`` the playground is built once
(build time reported), then each control is moved ``--moves`` times (a slow one stops after
10 s and at least 5 moves) to values drawn at random (seeded) from its range: a slider's steps,
a toggle's or dropdown's options, a checkbox's two states. A move is timed from setting the
control's value to the return of the playground's ``update``: ipywidgets calls observers
synchronously, so that span is the whole kernel-side cost — recompute, update the artists, the
readout's HTML, and the figure rendered to PNG with Agg. (The browser's share, showing one PNG,
is small and the same for every widget.) The moves that changed neither the readout nor the
image are counted ("no change": e.g. a per-unit slider while the playground is in its
shared-value mode).

Each move is timed twice: wall time, what a student on this machine waits, and the process's
CPU time, what the move costs without waiting for a busy CPU. On an idle laptop the two agree;
on a shared machine (the course's CI: 2 cores, several jobs) wall time mostly measures the
neighbours, so the verdict uses CPU time unless ``--clock wall``. "PNG CPU ms" is the median CPU
time of rendering the playground's figure alone: when it is most of a move, the fix is in the
drawing (fixed margins instead of a layout engine, fewer tick labels, a smaller figure), not in
the maths.

Target: median ≤ 50 ms for every control. Exit status 1 if a move raises; with ``--strict``
also if a control misses the target.

This is a measurement, not a test: it is not run by the test suite.
"""

from __future__ import annotations

import os

os.environ["MPLBACKEND"] = "Agg"  # before anything imports matplotlib

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402

from lstm_course.widgets import Playground, all_playgrounds  # noqa: E402

TARGET_MS = 50.0
DEFAULT_MOVES = 30
MIN_MOVES = 5  # a slow control stops after MAX_SECONDS_PER_CONTROL, but never before this
MAX_SECONDS_PER_CONTROL = 10.0
RENDERS = 5  # PNG renders timed per playground, to split a move into compute and drawing
NO_RANGE = "no range to move over"
MAX_GRID = 2_001  # a slider's positions considered at most (evenly spaced over its range)


@dataclass
class ControlLatency:
    """The moves of one control of one playground."""

    widget: str
    control: str
    kind: str
    times_ms: list[float]
    cpu_ms: list[float]
    unchanged: int
    error: str | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def median_cpu_ms(self) -> float:
        return statistics.median(self.cpu_ms) if self.cpu_ms else float("nan")

    @property
    def p90_ms(self) -> float:
        return float(np.percentile(self.times_ms, 90)) if self.times_ms else float("nan")

    def ok(self, clock: str) -> bool:
        median = self.median_cpu_ms if clock == "cpu" else self.median_ms
        return self.error is None and median <= TARGET_MS


def positions(control: widgets.ValueWidget) -> tuple[Callable[[Any], None], list[Any]] | None:
    """How to set ``control`` and the positions it can take; None for a control with no range.

    Selection controls (toggles, dropdowns, selection sliders) are moved by index, the others
    by value. A log slider's positions are base**exponent over its exponent range.
    """
    if hasattr(control, "options") and hasattr(control, "index"):  # a single selection
        return (lambda index: setattr(control, "index", index)), list(range(len(control.options)))
    if isinstance(control, widgets.Checkbox | widgets.ToggleButton):
        return (lambda value: setattr(control, "value", value)), [False, True]
    if isinstance(control, widgets.FloatLogSlider):
        exponents = np.arange(control.min, control.max + control.step / 2, control.step)
        values = [float(control.base**e) for e in exponents]
    elif hasattr(control, "min") and hasattr(control, "max"):
        step = getattr(control, "step", None) or 1
        count = int(round((control.max - control.min) / step)) + 1
        if count > MAX_GRID:
            values = list(np.linspace(control.min, control.max, MAX_GRID))
        else:
            values = [control.min + k * step for k in range(count)]
        if isinstance(control.value, int):
            values = sorted({int(round(v)) for v in values})
        else:
            values = [float(v) for v in values]
    else:
        return None
    return (lambda value: setattr(control, "value", value)), values


def shown(playground: Playground) -> tuple[str, bytes | None]:
    """What the student sees change: the readout's HTML and the figure's PNG."""
    image = playground.live.image.value if playground.live is not None else None
    return playground.readout.value, image


def measure_control(
    widget: str, playground: Playground, name: str, moves: int, rng: np.random.Generator
) -> ControlLatency:
    """Move one control ``moves`` times (never to where it already is); restore it after."""
    control = playground.controls[name]
    kind = type(control).__name__
    found = positions(control)
    if found is None or len(found[1]) < 2:
        return ControlLatency(widget, name, kind, [], [], 0, error=NO_RANGE)
    move, values = found
    initial = control.value
    times, cpu, unchanged, current = [], [], 0, None
    deadline = time.perf_counter() + MAX_SECONDS_PER_CONTROL
    try:
        for count in range(moves):
            if count >= MIN_MOVES and time.perf_counter() > deadline:
                break
            choices = [v for v in values if v != current]
            target = choices[rng.integers(len(choices))]
            before = shown(playground)
            start, start_cpu = time.perf_counter(), time.process_time()
            move(target)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            unchanged += shown(playground) == before
            current = target
    except Exception:  # a move that raises is reported, then the next control is measured
        error = traceback.format_exc(limit=-1).strip()
        return ControlLatency(widget, name, kind, times, cpu, unchanged, error=error)
    finally:
        try:
            control.value = initial
        except Exception:  # noqa: S110 - restoring is best effort; the error is already reported
            pass
    return ControlLatency(widget, name, kind, times, cpu, unchanged)


def render_ms(playground: Playground) -> float:
    """Median CPU time of rendering the playground's figure to PNG: the drawing's share."""
    if playground.live is None:
        return 0.0
    times = []
    for _ in range(RENDERS):
        start = time.process_time()
        playground.live.png()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def render_table(
    header: tuple[str, ...], cells: list[tuple[str, ...]], right: set[int], markdown: bool
) -> str:
    """Rows under a header, as a Markdown table or aligned text; ``right``: numeric columns."""
    if markdown:
        align = ["---:" if i in right else "---" for i in range(len(header))]
        lines = [f"| {' | '.join(header)} |", f"|{'|'.join(align)}|"]
        lines += [f"| {' | '.join(c)} |" for c in cells]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    lines = [
        "  ".join(
            f"{value:>{widths[i]}}" if i in right else f"{value:<{widths[i]}}"
            for i, value in enumerate(row)
        ).rstrip()
        for row in [header, *cells]
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def format_table(
    rows: list[ControlLatency], renders: dict[str, float], clock: str, markdown: bool
) -> str:
    """One line a control: its moves' median and p90 wall time, median CPU time, verdict."""
    header = (
        "widget",
        "control",
        "kind",
        "moves",
        "median ms",
        "p90 ms",
        "CPU ms",
        "PNG CPU ms",
        "no change",
        f"{clock} ≤ {TARGET_MS:.0f} ms",
    )
    cells = []
    for row in rows:
        verdict = "ok" if row.ok(clock) else ("OVER" if row.error is None else "ERROR")
        if row.error == NO_RANGE:
            verdict = "not moved"
        cells.append(
            (
                row.widget,
                row.control,
                row.kind,
                str(len(row.times_ms)),
                f"{row.median_ms:.1f}",
                f"{row.p90_ms:.1f}",
                f"{row.median_cpu_ms:.1f}",
                f"{renders[row.widget]:.0f}",
                str(row.unchanged),
                verdict,
            )
        )
    return render_table(header, cells, right={3, 4, 5, 6, 7, 8}, markdown=markdown)


def format_summary(
    rows: list[ControlLatency],
    builds: dict[str, float],
    renders: dict[str, float],
    clock: str,
    markdown: bool,
) -> str:
    """One line a playground: its slowest control (by median), build time, PNG share, verdict."""
    header = (
        "playground",
        "controls",
        "slowest control",
        "median ms",
        "CPU ms",
        "PNG CPU ms",
        "build ms",
        f"{clock} ≤ {TARGET_MS:.0f} ms",
    )
    cells = []
    for widget in builds:
        moved = [r for r in rows if r.widget == widget and r.times_ms]
        if not moved:
            continue
        slowest = max(moved, key=lambda r: r.median_cpu_ms if clock == "cpu" else r.median_ms)
        ok = all(r.ok(clock) for r in moved)
        cells.append(
            (
                widget,
                str(len(moved)),
                slowest.control,
                f"{slowest.median_ms:.0f}",
                f"{slowest.median_cpu_ms:.0f}",
                f"{renders[widget]:.0f}",
                f"{builds[widget]:.0f}",
                "ok" if ok else "OVER",
            )
        )
    return render_table(header, cells, right={1, 3, 4, 5, 6}, markdown=markdown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=DEFAULT_MOVES, help="moves per control")
    parser.add_argument("--only", default="", help="only builders whose name contains this")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="judge on CPU time (default: what a move costs, without waiting for a busy CPU) "
        "or on wall time (what a student on this very machine waits)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a control misses 50 ms")
    args = parser.parse_args(argv)
    if args.moves < 1:
        parser.error("--moves must be at least 1")
    rng = np.random.default_rng(args.seed)

    rows: list[ControlLatency] = []
    builds: dict[str, float] = {}
    renders: dict[str, float] = {}
    for qualified, builder in all_playgrounds().items():
        if args.only not in qualified:
            continue
        name = qualified.removeprefix("lstm_course.widgets.")
        start = time.perf_counter()
        playground = builder()
        builds[name] = (time.perf_counter() - start) * 1000
        renders[name] = render_ms(playground)
        for control in playground.controls:
            row = measure_control(name, playground, control, args.moves, rng)
            rows.append(row)
            print(
                f"  {row.median_ms:7.1f} ms wall {row.median_cpu_ms:7.1f} ms CPU  {name}.{control}",
                file=sys.stderr,
                flush=True,
            )
        if playground.figure is not None:
            playground.figure.clear()
    if not rows:
        parser.error(f"no playground matches {args.only!r}")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{len(rows)} controls in {len(builds)} playgrounds; {os.cpu_count()} CPUs, "
        f"load average {load:.1f}; verdict on the median {args.clock} time per move"
    )
    print(format_table(rows, renders, args.clock, args.markdown))
    print()
    print(format_summary(rows, builds, renders, args.clock, args.markdown))
    over = [r for r in rows if r.error is None and not r.ok(args.clock)]
    failed = [r for r in rows if r.error not in (None, NO_RANGE)]
    if over:
        widgets_over = sorted({r.widget for r in over})
        print(f"\nover {TARGET_MS:.0f} ms ({args.clock}): " + ", ".join(widgets_over))
    for row in failed:
        print(f"\n{row.widget}.{row.control} raised:\n{row.error}")
    if failed:
        return 1
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())
