"""The class rehearsal on a real JupyterHub (classroom/): nothing a student saves is lost.

A student's saved edit survives (a) their server being stopped and started again, (b) the idle
culler stopping it, (c) clicking the nbgitpuller link again after the course changed upstream
(nbgitpuller's merge keeps the student's version, and the teacher's other changes arrive).
Then two students go through the whole rehearsal at once (``make classroom-rehearsal
STUDENTS=2``), and a hub stopped by SIGTERM, or killed by SIGKILL and then
``make classroom-clean``, leaves no process, Unix user or home folder behind.

Each hub listens on 127.0.0.1 only. The tests need the ``classroom`` extra and
configurable-http-proxy (``make classroom-install``); without them they skip, unless
``LSTM_COURSE_REQUIRE_HUB=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from classroom.hub import (
    COURSE_REPO,
    ROOT,
    USER_PREFIX,
    Classroom,
    ClassroomError,
    proxy_command,
    user_processes,
)
from classroom.student import Student

REQUIRE_HUB = os.environ.get("LSTM_COURSE_REQUIRE_HUB") == "1"
NOTEBOOK = "notebooks/06_forget_gate.ipynb"
PATH = f"{COURSE_REPO}/{NOTEBOOK}"


def hub_missing() -> str | None:
    for module in ("jupyterhub", "nbgitpuller", "jupyterhub_idle_culler"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (make classroom-install)"
    try:
        proxy_command()
    except ClassroomError as err:
        return str(err)
    return None


@pytest.fixture(scope="module", autouse=True)
def require_hub() -> None:
    reason = hub_missing()
    if reason is None:
        return
    if REQUIRE_HUB:
        pytest.fail(f"{reason}; LSTM_COURSE_REQUIRE_HUB=1 makes a missing hub a failure")
    pytest.skip(f"class rehearsal tests skipped: {reason}")


@pytest.fixture(scope="module")
def room(require_hub) -> Iterator[Classroom]:
    with Classroom(2) as hub:
        yield hub


def unix_users() -> set[str]:
    names = subprocess.run(["getent", "passwd"], capture_output=True, text=True).stdout
    return {line.split(":")[0] for line in names.splitlines()}


def edit(student: Student, mark: str) -> None:
    """Add ``mark`` to the notebook's first cell and save it, as a student in JupyterLab."""
    notebook = student.read(PATH)
    notebook["cells"][0]["source"] += f"\n\n{mark}"
    student.save(PATH, notebook)


def first_cell(student: Student) -> str:
    return student.read(PATH)["cells"][0]["source"]


def ready_student(room: Classroom, name: str) -> Student:
    """Logged in, server running, the course pulled with the link."""
    student = Student(room, name, timeout=300)
    student.log_in()
    student.start_server()
    student.click_link(NOTEBOOK)
    return student


def test_an_edit_survives_the_server_stopped_and_started_again(room):
    name = room.users[0]
    student = ready_student(room, name)
    mark = "(a) my note survives a restart"
    edit(student, mark)
    student.stop_server()
    assert room.server(name) is None
    student.start_server()
    assert mark in first_cell(student)
    saved = room.home(name) / PATH
    assert mark in saved.read_text(encoding="utf-8")
    if room.unix_users:  # the student's own file, in the student's own home folder
        assert saved.owner() == name
    student.stop_server()


def test_a_second_click_pulls_the_teachers_change_and_keeps_the_students_edit(room, tmp_path):
    name = room.users[1]
    student = ready_student(room, name)
    mine = "(c) my answer, written before the teacher's update"
    edit(student, mine)

    # The teacher changes the same cell (a conflict) and another notebook, and pushes.
    teacher = tmp_path / "teacher"
    git = ["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@127.0.0.1"]
    subprocess.run(["git", "clone", "-q", str(room.upstream), str(teacher)], check=True)
    theirs = "(c) the teacher's new introduction"
    changed = teacher / NOTEBOOK
    notebook = json.loads(changed.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = [theirs]
    changed.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    other = "notebooks/07_input_gate_and_cell_update.ipynb"
    notebook = json.loads((teacher / other).read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = ["(c) the teacher's fix to notebook 07"]
    (teacher / other).write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    subprocess.run([*git, "-C", str(teacher), "commit", "-qam", "Teacher's update"], check=True)
    subprocess.run(["git", "-C", str(teacher), "push", "-q", "origin", "HEAD"], check=True)

    student.click_link(NOTEBOOK)  # the same link, clicked again

    cell = first_cell(student)
    assert mine in cell and theirs not in cell  # the student's version of the conflict
    other_cell = student.read(f"{COURSE_REPO}/{other}")["cells"][0]["source"]
    assert other_cell == "(c) the teacher's fix to notebook 07"  # the teacher's change arrived
    student.stop_server()


def test_an_edit_survives_the_idle_culler_stopping_the_server():
    with Classroom(1, cull_timeout=15, cull_every=5, activity_interval=5) as hub:
        name = hub.users[0]
        student = ready_student(hub, name)
        mark = "(b) my note survives the idle culler"
        edit(student, mark)
        deadline = time.monotonic() + 120
        while hub.server(name) is not None:  # now idle: the culler must stop it
            assert time.monotonic() < deadline, "the idle culler did not stop an idle server"
            time.sleep(2)
        assert f"Culling server {name}" in hub.hub_log_tail(400)  # the culler, not a crash
        student.start_server()
        assert mark in first_cell(student)
        student.stop_server()


def test_two_students_complete_the_rehearsal(tmp_path):
    out = tmp_path / "rehearsal.json"
    result = subprocess.run(
        [sys.executable, "-m", "classroom.rehearsal", "--students", "2", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = result.stdout.strip().splitlines()
    assert lines and lines[-1] == "2/2 students completed", result.stdout + result.stderr
    assert result.returncode == 0
    measured = json.loads(out.read_text(encoding="utf-8"))
    for student in measured["students"]:
        assert student["completed"] and not student["failure"]
        assert student["server_start_s"] > 0 and student["pull_s"] > 0
        assert student["run_all_s"] > 0 and len(student["slider_s"]) == 5
        assert 50 < student["peak_rss_mb"] < 2000  # a JupyterLab server and a kernel
        assert student["cpu_s"] > 0.5
    assert "| **p95** |" in result.stdout and "uptime before:" in result.stdout


def start_hub_process() -> tuple[subprocess.Popen, list[str]]:
    """``python -m classroom.hub`` in the background; returns it and its students' names."""
    hub = subprocess.Popen(
        [sys.executable, "-u", "-m", "classroom.hub", "--students", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    for line in hub.stdout:
        seen.append(line)
        if line.startswith("students:"):
            return hub, line.split()[1].rstrip(",").split(",")
    raise AssertionError("the hub did not start:\n" + "".join(seen))


def assert_nothing_left(users: list[str]) -> None:
    assert not user_processes(users)
    if os.geteuid() == 0:
        assert not set(users) & unix_users()
        assert all(not Path(f"/home/{user}").exists() for user in users)
        assert all(user.startswith(USER_PREFIX) for user in users)


def test_sigterm_stops_the_hub_and_removes_every_user_and_process():
    hub, users = start_hub_process()
    hub.send_signal(signal.SIGTERM)
    hub.wait(timeout=120)
    assert_nothing_left(users)


def test_after_sigkill_the_cleanup_command_removes_what_was_left():
    hub, users = start_hub_process()
    hub.kill()
    hub.wait(timeout=30)
    cleaned = subprocess.run(
        [sys.executable, "-m", "classroom.cleanup"], cwd=ROOT, capture_output=True, text=True
    )
    assert cleaned.returncode == 0, cleaned.stderr
    assert_nothing_left(users)


def test_the_guides_sizing_table_is_the_recorded_measurement():
    from classroom.sizing import MEASURED, recorded, table

    guide = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    measured = recorded()
    assert [summary["students"] for _, summary in measured] == [1, 5, 10, 20]
    assert table(measured) in guide, "re-measured? paste `python -m classroom.sizing --table`"
    heaviest = json.loads((MEASURED / "notebook-12.json").read_text(encoding="utf-8"))
    (student,) = heaviest["students"]
    assert heaviest["summary"]["notebook"] == "notebooks/12_lstm_writes_poems.ipynb"
    assert f"{student['peak_rss_mb']:.0f} MB" in guide  # the heaviest notebook on the hub
    assert f"{student['server_rss_mb']:.0f} MB" in guide  # the server alone
