"""A class rehearsal: N students at once on a real JupyterHub on this machine, measured.

    make classroom-rehearsal STUDENTS=5
    .venv/bin/python -m classroom.rehearsal --students 5 [--json out.json]

Each student (classroom.student.Student) logs in, starts their server, clicks the course's
nbgitpuller link, opens the notebook (default: 06, the forget gate: a widget that redraws a
figure and no training, so the run measures the hub and the widget, not a training loop), runs
all its cells, moves a slider five times, edits and saves the notebook, checks the edit came
back, shuts the kernel and the server down.

While they work a sampler reads, every 0.25 s, each student's server and kernel (the pid the
hub's spawner reports, and its children): their memory (RSS, summed) and CPU seconds. It also
reads the whole machine's CPU, so the load of everything *outside* the rehearsal (other users
of the machine) is reported beside the results: timings on a shared machine are only honest
with it. The last line reads ``N/N students completed``; the exit status is 0 only then.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from classroom.hub import COURSE_REPO, Classroom
from classroom.student import Student, StudentError

NOTEBOOK = "notebooks/06_forget_gate.ipynb"
EDIT_MARK = "My note, saved during the class rehearsal"


@dataclass
class Result:
    student: str
    completed: bool = False
    failure: str = ""
    login_s: float = float("nan")
    server_start_s: float = float("nan")
    pull_s: float = float("nan")
    run_all_s: float = float("nan")
    slider_s: list[float] = field(default_factory=list)
    save_s: float = float("nan")
    stop_s: float = float("nan")
    peak_rss_mb: float = float("nan")
    cpu_s: float = float("nan")
    server_rss_mb: float = float("nan")  # the server alone, when ready (no kernel yet)
    cpu_start_s: float = float("nan")  # the server, until it is ready
    cpu_pull_s: float = float("nan")  # the pull: the server and its git
    cpu_run_all_s: float = float("nan")  # the kernel's start and the run of all cells

    @property
    def slider_median_ms(self) -> float:
        return 1000 * statistics.median(self.slider_s) if self.slider_s else float("nan")


class Sampler(threading.Thread):
    """Memory and CPU of each student's server + kernel, and of the machine, every 0.25 s."""

    def __init__(self, room: Classroom, period: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.room, self.period = room, period
        self.servers: dict[str, psutil.Process] = {}  # student -> their server process
        self.frozen: set[str] = set()
        self.peak_rss: dict[str, float] = {}
        self.rss: dict[str, float] = {}  # the last sample
        self.cpu: dict[str, dict[int, float]] = {}  # student -> pid -> last CPU seconds
        self.rehearsal_cpu: dict[int, float] = {}  # hub, proxy, culler, git, this driver
        self.student_pids: set[int] = set()
        self.peak_total_rss = 0.0
        self.min_available = psutil.virtual_memory().available
        self.stopped = threading.Event()
        self.lock = threading.Lock()

    def watch(self, student: str, pid: int) -> None:
        with self.lock:
            self.servers[student] = psutil.Process(pid)

    def freeze(self, student: str) -> None:
        """Stop counting a student's CPU (before the shutdown, while the kernel still lives)."""
        self.sample()
        with self.lock:
            self.frozen.add(student)

    def run(self) -> None:
        while not self.stopped.wait(self.period):
            self.sample()

    def sample(self) -> None:
        with self.lock:
            total = 0.0
            for student, server in self.servers.items():
                try:
                    tree = [server, *server.children(recursive=True)]
                except psutil.Error:
                    continue
                rss = 0.0
                for proc in tree:
                    self.student_pids.add(proc.pid)
                    self.rehearsal_cpu.pop(proc.pid, None)
                    try:
                        times = proc.cpu_times()
                        rss += proc.memory_info().rss
                    except psutil.Error:
                        continue
                    spent = times.user + times.system
                    if proc is server:  # reaped children: git, run by nbgitpuller
                        spent += times.children_user + times.children_system
                    if student not in self.frozen:
                        self.cpu.setdefault(student, {})[proc.pid] = spent
                total += rss
                self.rss[student] = rss
                self.peak_rss[student] = max(self.peak_rss.get(student, 0.0), rss)
            self.peak_total_rss = max(self.peak_total_rss, total)
            self.min_available = min(self.min_available, psutil.virtual_memory().available)
            for proc in [psutil.Process(), *self.room.hub_processes()]:
                if proc.pid in self.student_pids:
                    continue
                try:
                    times = proc.cpu_times()
                    spent = times.user + times.system
                    if proc.name() in ("git", "git-daemon"):
                        spent += times.children_user + times.children_system
                    self.rehearsal_cpu[proc.pid] = spent
                except psutil.Error:
                    continue

    def cpu_now(self, student: str) -> float:
        """The student's CPU seconds so far, sampled now."""
        self.sample()
        return self.student_cpu(student)

    def student_cpu(self, student: str) -> float:
        return sum(self.cpu.get(student, {}).values())


def machine_busy_cpu() -> float:
    """CPU seconds all processes of the machine have used since boot (all cores)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq + getattr(t, "steal", 0.0)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def rehearse(
    room: Classroom, name: str, sampler: Sampler, notebook: str, timeout: float, slider: bool
) -> Result:
    result = Result(name)
    student = Student(room, name, timeout=timeout)
    path = f"{COURSE_REPO}/{notebook}"
    step = "log in"
    try:
        t = time.perf_counter()
        student.log_in()
        result.login_s = time.perf_counter() - t
        step = "start server"
        result.server_start_s = student.start_server()
        sampler.watch(name, room.server(name)["state"]["pid"])
        result.cpu_start_s = sampler.cpu_now(name)
        result.server_rss_mb = sampler.rss[name] / 2**20
        step = "click the nbgitpuller link"
        result.pull_s = student.click_link(notebook)
        result.cpu_pull_s = sampler.cpu_now(name) - result.cpu_start_s
        step = "open the notebook"
        saved = student.read(path)
        session_id, kernel = student.open_kernel(path)
        step = "run all cells"
        result.run_all_s = student.run_all(kernel, saved)
        result.cpu_run_all_s = sampler.cpu_now(name) - result.cpu_start_s - result.cpu_pull_s
        if slider:
            step = "move a slider"
            result.slider_s = student.move_slider(kernel)
        step = "edit and save"
        t = time.perf_counter()
        saved["cells"][0]["source"] += f"\n\n{EDIT_MARK} ({name})."
        student.save(path, saved)
        if EDIT_MARK not in student.read(path)["cells"][0]["source"]:
            raise StudentError("the saved edit did not come back")
        result.save_s = time.perf_counter() - t
        sampler.freeze(name)
        step = "shut down"
        student.shut_down_notebook(session_id, kernel)
        result.stop_s = student.stop_server()
        result.completed = True
    except (StudentError, OSError, ValueError, KeyError, TypeError) as err:
        result.failure = f"{step}: {err}"[:300]
        if not isinstance(err, StudentError):
            result.failure += " | " + traceback.format_exc(limit=1).splitlines()[-1][:150]
    finally:
        sampler.freeze(name)
        result.peak_rss_mb = sampler.peak_rss.get(name, float("nan")) / 2**20
        result.cpu_s = sampler.student_cpu(name)
    return result


def percentile(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def _cell(column: str, value: float) -> str:
    return f"{value:.2f}" if column.endswith(" s") else f"{value:.0f}"


COLUMNS = [
    ("server start s", lambda r: r.server_start_s),
    ("pull s", lambda r: r.pull_s),
    ("run-all s", lambda r: r.run_all_s),
    ("slider ms", lambda r: r.slider_median_ms),
    ("peak MB", lambda r: r.peak_rss_mb),
    ("CPU s", lambda r: r.cpu_s),
]


def report(results: list[Result], summary: dict) -> str:
    lines = ["| student | " + " | ".join(c for c, _ in COLUMNS) + " | result |"]
    lines.append("|---|" + "---:|" * len(COLUMNS) + "---|")
    for r in results:
        cells = " | ".join(_cell(column, get(r)) for column, get in COLUMNS)
        lines.append(f"| {r.student} | {cells} | {'ok' if r.completed else r.failure} |")
    for label, q in (("p50", 0.5), ("p95", 0.95)):
        cells = []
        for column, get in COLUMNS:
            if column == "slider ms":  # over every move of every student
                value = 1000 * percentile([s for r in results for s in r.slider_s], q)
            else:
                value = percentile([get(r) for r in results], q)
            cells.append(_cell(column, value))
        lines.append(f"| **{label}** | {' | '.join(cells)} | |")
    lines += [
        "",
        f"wall time {summary['wall_s']:.0f} s; students' CPU {summary['students_cpu_s']:.1f} s, "
        f"hub + proxy + culler + git {summary['hub_cpu_s']:.1f} s, this driver (the students' "
        f"browsers) {summary['driver_cpu_s']:.1f} s; all students' servers and "
        f"kernels at once peaked at {summary['peak_total_rss_mb']:.0f} MB "
        f"(machine's available memory fell to {summary['min_available_mb']:.0f} MB)",
        f"the machine: {summary['cpus']} CPUs; other processes (not this rehearsal) used "
        f"{summary['others_cores']:.2f} cores on average during the run",
        f"uptime before: {summary['uptime_before']}",
        f"uptime after:  {summary['uptime_after']}",
    ]
    failed = [r for r in results if not r.completed]
    for r in failed:
        lines.append(f"FAILED {r.student}: {r.failure}")
    lines.append(f"{len(results) - len(failed)}/{len(results)} students completed")
    return "\n".join(lines)


def run(
    students: int,
    notebook: str = NOTEBOOK,
    timeout: float = 0,
    unix_users: bool | None = None,
    slider: bool = True,
) -> tuple[list[Result], dict]:
    """The rehearsal: start a hub, let ``students`` students work at once, measure, clean up."""
    timeout = timeout or 120 + 20 * students
    with Classroom(students, start_timeout=int(timeout), unix_users=unix_users) as room:
        mode = "one Unix user a student" if room.unix_users else "servers run as you"
        print(f"JupyterHub on {room.url} with {students} students ({mode})", flush=True)
        sampler = Sampler(room)
        sampler.sample()
        hub_cpu_before = sum(sampler.rehearsal_cpu.values())
        driver_before = sampler.rehearsal_cpu[os.getpid()]
        busy_before, before, wall = machine_busy_cpu(), uptime(), time.perf_counter()
        sampler.start()
        with ThreadPoolExecutor(max_workers=students) as pool:
            work = (sampler, notebook, timeout, slider)
            futures = [pool.submit(rehearse, room, name, *work) for name in room.users]
            results = [f.result() for f in futures]
        sampler.stopped.set()
        sampler.join()
        sampler.sample()
        wall = time.perf_counter() - wall
        busy = machine_busy_cpu() - busy_before
        students_cpu = sum(r.cpu_s for r in results)
        driver_cpu = sampler.rehearsal_cpu[os.getpid()] - driver_before
        hub_cpu = sum(sampler.rehearsal_cpu.values()) - hub_cpu_before - driver_cpu
        summary = {
            "students": students,
            "completed": sum(r.completed for r in results),
            "notebook": notebook,
            "unix_users": room.unix_users,
            "wall_s": wall,
            "students_cpu_s": students_cpu,
            "hub_cpu_s": hub_cpu,
            "driver_cpu_s": driver_cpu,
            "peak_total_rss_mb": sampler.peak_total_rss / 2**20,
            "min_available_mb": sampler.min_available / 2**20,
            "cpus": psutil.cpu_count(),
            "others_cores": max(0.0, busy - students_cpu - hub_cpu - driver_cpu) / wall,
            "uptime_before": before,
            "uptime_after": uptime(),
        }
    return results, summary


def save(path: Path, results: list[Result], summary: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"summary": summary, "students": [asdict(r) for r in results]}
    path.write_text(json.dumps(payload, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="N simulated students on a real JupyterHub.")
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--notebook", default=NOTEBOOK)
    parser.add_argument("--timeout", type=float, default=0, help="seconds; 0: 120 + 20 a student")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--same-user",
        action="store_true",
        help="as root too, run every server as you (no per-student Unix users)",
    )
    parser.add_argument(
        "--no-slider",
        action="store_true",
        help="for a notebook without a float slider that redraws a figure (e.g. 10's training)",
    )
    args = parser.parse_args(argv)
    unix_users = False if args.same_user else None
    results, summary = run(
        args.students, args.notebook, args.timeout, unix_users, slider=not args.no_slider
    )
    print(report(results, summary), flush=True)
    if args.json:
        save(args.json, results, summary)
    return 0 if all(r.completed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
