"""The round trip of `make grade` (tools/editions.py grade): submissions in, expected scores out.

No network, no hub: nbgrader 0.9 in a temporary course directory. On the fixture course
(tests/fixtures/grading/notebooks: 01_sums has weighted_sum, 2 points, and running_sum, 3;
02_mean has mean, 1) one class of students covers every case the issue names: all correct,
the untouched student edition, each recognised misconception, an answer that raises, one that
loops (stopped by Grade's time limit) and one that outlives it (stopped by nbgrader's per-cell
timeout), a hard-coded visible case, an edited locked cell, deleted cells, a re-typed cell, an
unreadable notebook and a missing one. Then the real course: the teaching notebooks submitted
as one student's whole course (full marks; the time is printed) and a known misconception in a
real exercise (REAL_MISTAKES).
"""

from __future__ import annotations

import copy
import csv
import html
import importlib.util
import re
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from lstm_course.exercises import gates, neuron

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "grading" / "notebooks"
NOTEBOOKS = REPO / "notebooks"
_spec = importlib.util.spec_from_file_location("editions", REPO / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(editions)

CELL_TIMEOUT_S = 8  # the backstop in these tests: above every fixture cell, Grade's 2 s limit
CORRECT = {
    "01-weighted-sum": "return float(np.dot(w, x) + b)",
    "01-running-sum": "return np.cumsum(xs)",
    "02-mean": "return float(np.mean(xs))",
}
LOOP_PAST_THE_LIMIT = """from lstm_course.exercises.grading import TimeLimitExceeded
while True:
    try:
        while True:
            pass
    except TimeLimitExceeded:
        pass  # swallows Grade's alarm: only nbgrader's per-cell timeout stops it"""

# student -> ({grade_id: body}, {notebook: expected score}, names the feedback must show)
CLASS = {
    "all_correct": (CORRECT, {"01_sums": 5, "02_mean": 1}, {}),
    "untouched": ({}, {"01_sums": 0, "02_mean": 0}, {"01_sums": ["Not written yet"]}),
    "bias_forgotten": (
        {**CORRECT, "01-weighted-sum": "return float(np.dot(w, x))"},
        {"01_sums": 3, "02_mean": 1},
        {"01_sums": ["Bias forgotten"]},
    ),
    "not_summed": (
        {**CORRECT, "01-weighted-sum": "return w * x + b"},
        {"01_sums": 3, "02_mean": 1},
        {"01_sums": ["Products not summed"]},
    ),
    "first_skipped": (
        {**CORRECT, "01-running-sum": "return np.cumsum(xs[1:])"},
        {"01_sums": 2, "02_mean": 1},
        {"01_sums": ["First value skipped"]},
    ),
    "total_not_carried": (
        {**CORRECT, "01-running-sum": "return np.array(xs)"},
        {"01_sums": 2, "02_mean": 1},
        {"01_sums": ["Total not carried"]},
    ),
    "sum_not_mean": (
        {**CORRECT, "02-mean": "return float(np.sum(xs))"},
        {"01_sums": 5, "02_mean": 0},
        {"02_mean": ["A sum, not a mean"]},
    ),
    "raises": (
        {**CORRECT, "01-weighted-sum": "return 1 / 0"},
        {"01_sums": 3, "02_mean": 1},
        {"01_sums": ["ZeroDivisionError"]},
    ),
    "loops": (
        {**CORRECT, "01-running-sum": "while True:\n    pass"},
        {"01_sums": 2, "02_mean": 1},
        {"01_sums": ["ran for more than 2 s"]},
    ),
    "loops_past_the_limit": (
        {**CORRECT, "01-running-sum": LOOP_PAST_THE_LIMIT},
        {"01_sums": 2, "02_mean": 1},
        {"01_sums": ["KeyboardInterrupt"]},
    ),
    "hard_coded": (
        # seed 0's answer, found by running the fixture's visible case: the hidden seeds fail it
        {**CORRECT, "01-weighted-sum": "return 0.0 + HARD_CODED"},
        {"01_sums": 3, "02_mean": 1},
        {"01_sums": ["Bias forgotten (seed 1)"]},  # the first hidden case
    ),
}


def answered(nb: nbformat.NotebookNode, bodies: dict[str, str]) -> nbformat.NotebookNode:
    """The student edition with each named stub replaced by a body (indented as the stub)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        body = bodies.get(editions.grade_id(cell))
        if body is None:
            continue
        lines = []
        for line in cell.source.splitlines():
            if line.strip() == "# YOUR CODE HERE":
                continue
            if line.strip() == "raise NotImplementedError()":
                indent = line[: len(line) - len(line.lstrip())]
                lines.extend(indent + b for b in body.splitlines())
            else:
                lines.append(line)
        cell.source = "\n".join(lines)
    return nb


def seed_zero_weighted_sum() -> float:
    """What the fixture's visible case expects (the hard-coding student copies it)."""
    import numpy as np

    r = np.random.default_rng(0)
    w, x, b = r.normal(size=3), r.normal(size=3), float(r.normal())
    return float(w @ x + b)


def cell_by_id(nb: nbformat.NotebookNode, wanted: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if editions.grade_id(c) == wanted)


def pitfalls(student: dict[str, nbformat.NotebookNode]) -> dict[str, dict]:
    """Submissions that break nbgrader's assumptions; student -> notebooks, expected scores."""
    sums = student["01_sums"]
    right = answered(sums, CORRECT)
    mean_right = answered(student["02_mean"], CORRECT)

    edited = answered(sums, {"01-weighted-sum": CORRECT["01-weighted-sum"]})
    cell_by_id(edited, "01-running-sum-grade").source = 'print("3 of 3 points")\n3.0'

    deleted = copy.deepcopy(right)
    deleted.cells = [
        c
        for c in deleted.cells
        if editions.grade_id(c) not in ("01-weighted-sum-grade", "01-running-sum")
    ]

    retyped = copy.deepcopy(right)
    cell_by_id(retyped, "01-weighted-sum-grade").cell_type = "markdown"
    solution = cell_by_id(retyped, "01-running-sum")
    solution.cell_type, solution.source = "markdown", "I did not know how to write the loop."
    for cell in (cell_by_id(retyped, "01-weighted-sum-grade"), solution):
        cell.pop("outputs", None)
        cell.pop("execution_count", None)

    return {
        # the locked cell's source comes back (its hidden tests too): running_sum is a stub
        "edited_locked_cell": ({"01_sums": edited, "02_mean": mean_right}, {"01_sums": 2}),
        # the graded cell comes back and grades; the deleted solution comes back as the stub
        "deleted_cells": ({"01_sums": deleted, "02_mean": mean_right}, {"01_sums": 2}),
        # a graded cell made Markdown is made code again; a solution made prose scores 0
        "retyped_cells": ({"01_sums": retyped, "02_mean": mean_right}, {"01_sums": 2}),
        # not a notebook: 0 for it, the other graded
        "unreadable": ({"01_sums": "{ this is not json", "02_mean": mean_right}, {"01_sums": 0}),
        # 02_mean not handed in: 0
        "missing": ({"01_sums": right}, {"01_sums": 5, "02_mean": 0}),
    }


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The fixture course's class, submitted and graded once: (rows, folder, log)."""
    root = tmp_path_factory.mktemp("class")
    editions.build_student_edition(FIXTURE, root / "student")
    student = {
        p.stem: nbformat.read(p, as_version=4) for p in sorted((root / "student").glob("*.ipynb"))
    }
    submissions = root / "submissions"
    hard_coded = {"HARD_CODED": repr(seed_zero_weighted_sum())}
    for name, (bodies, _, _) in CLASS.items():
        folder = submissions / name
        folder.mkdir(parents=True)
        for stem, nb in student.items():
            filled = {
                k: v.replace("HARD_CODED", hard_coded["HARD_CODED"]) for k, v in bodies.items()
            }
            nbformat.write(answered(nb, filled), folder / f"{stem}.ipynb")
    for name, (notebooks, _) in pitfalls(student).items():
        folder = submissions / name
        folder.mkdir(parents=True)
        for stem, nb in notebooks.items():
            if isinstance(nb, str):
                (folder / f"{stem}.ipynb").write_text(nb)
            else:
                nbformat.write(nb, folder / f"{stem}.ipynb")
    log: list[str] = []
    rows = editions.grade_submissions(submissions, FIXTURE, CELL_TIMEOUT_S, log=log.append)
    return rows, submissions, "\n".join(log)


def scores(rows) -> dict[tuple[str, str], float]:
    return {(r.student, r.notebook): r.score for r in rows}


def feedback_text(folder: Path, student: str, notebook: str) -> str:
    """The feedback page's text, tags and entities undone."""
    page = (folder / "feedback" / student / f"{notebook}.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("student", list(CLASS))
def test_each_student_gets_the_expected_scores(graded_class, student):
    rows, _, _ = graded_class
    expected = CLASS[student][1]
    assert {nb: scores(rows)[(student, nb)] for nb in expected} == expected


@pytest.mark.parametrize("student", [s for s in CLASS if CLASS[s][2]])
def test_the_feedback_names_the_misconception(graded_class, student):
    _, folder, _ = graded_class
    for notebook, names in CLASS[student][2].items():
        text = feedback_text(folder, student, notebook)
        for name in names:
            assert name in text, f"{student}/{notebook}.html does not say {name!r}"


def test_a_loop_that_swallows_the_time_limit_is_stopped_by_the_cell_timeout(graded_class):
    _, folder, _ = graded_class
    text = feedback_text(folder, "loops_past_the_limit", "01_sums")
    assert "01-weighted-sum: 2 of 2 points" in text  # graded before the loop
    assert "Finish running_sum above first" in text  # and the cells after it still ran


@pytest.mark.parametrize(
    "student, expected",
    [
        ("edited_locked_cell", {"01_sums": 2, "02_mean": 1}),
        ("deleted_cells", {"01_sums": 2, "02_mean": 1}),
        ("retyped_cells", {"01_sums": 2, "02_mean": 1}),
        ("unreadable", {"01_sums": 0, "02_mean": 1}),
        ("missing", {"01_sums": 5, "02_mean": 0}),
    ],
)
def test_nbgrader_pitfalls_cost_only_that_exercise(graded_class, student, expected):
    rows, _, _ = graded_class
    assert {nb: scores(rows)[(student, nb)] for nb in expected} == expected


def test_an_edited_locked_cell_is_restored_with_its_hidden_tests(graded_class):
    _, folder, _ = graded_class
    text = feedback_text(folder, "edited_locked_cell", "01_sums")
    assert "01-running-sum: 0 of 3 points" in text
    assert 'print("3 of 3 points")' not in text
    assert "seed=3" not in text and "HIDDEN" not in text  # hidden tests ran, their source unshown


def test_deleted_cells_are_restored_and_said(graded_class):
    _, _, log = graded_class
    assert "deleted_cells: 01_sums.ipynb had lost 01-weighted-sum-grade, 01-running-sum" in log


def test_an_unreadable_notebook_is_named_in_the_log(graded_class):
    _, _, log = graded_class
    assert "unreadable: 01_sums.ipynb is not a notebook nbformat can read" in log
    assert "missing: no 02_mean.ipynb (scored 0)" in log


def test_grades_csv_has_one_row_per_student_and_notebook(graded_class):
    _, folder, _ = graded_class
    with (folder / "grades.csv").open() as f:
        table = list(csv.DictReader(f))
    students = len(CLASS) + 5
    assert len(table) == 2 * students
    assert list(table[0]) == ["student", "notebook", "score", "max_score"]
    assert {r["notebook"]: r["max_score"] for r in table} == {"01_sums": "5", "02_mean": "1"}
    assert {"student": "all_correct", "notebook": "01_sums", "score": "5", "max_score": "5"} in (
        table
    )


def test_repair_puts_a_deleted_cell_back_after_its_neighbour():
    release = nbformat.read(FIXTURE / "01_sums.ipynb", as_version=4)
    submitted = copy.deepcopy(release)
    del submitted.cells[5]  # 01-weighted-sum-grade
    assert editions.repair_submission(submitted, release) == ["01-weighted-sum-grade"]
    assert [c.id for c in submitted.cells] == [c.id for c in release.cells]


# --- The real course --------------------------------------------------------------------------

# A real exercise's wrong answer and the misconception its check names: grade_id -> (body, name).
REAL_MISTAKES = {
    "01-sigmoid-layer": (
        "return 1 / (1 + np.exp(-hx))",
        neuron.MISCONCEPTIONS["sigma_function"].name,
    ),
    "06-forget-gate": (
        "hx = np.concatenate([x_t, h_prev])\nreturn 1 / (1 + np.exp(-(W_f @ hx + b_f)))",
        gates.MISCONCEPTIONS["concat_order"],
    ),
}


def references(teaching: nbformat.NotebookNode) -> dict[str, str]:
    """grade_id -> the teaching edition's solution region, unindented (a right answer)."""
    return {
        editions.grade_id(c): textwrap.dedent("\n".join(region))
        for c in teaching.cells
        for region in editions.solution_regions(c.source)[:1]
    }


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """One student who hands in the teaching notebooks (every exercise right), one with a known
    misconception in each real exercise of REAL_MISTAKES; graded once, timed."""
    real = [p for p in editions.course_notebooks(NOTEBOOKS) if editions.has_exercises(p)]
    if not real:
        pytest.skip("no notebook in notebooks/ has nbgrader cells yet")
    root = tmp_path_factory.mktemp("course")
    editions.build_student_edition(NOTEBOOKS, root / "student")
    submissions = root / "submissions"
    (submissions / "teacher").mkdir(parents=True)
    for path in real:
        nbformat.write(nbformat.read(path, as_version=4), submissions / "teacher" / path.name)
    mistaken = submissions / "mistaken"
    mistaken.mkdir()
    wrong = {k: body for k, (body, _) in REAL_MISTAKES.items()}
    for path in real:
        teaching = nbformat.read(path, as_version=4)
        if any(editions.grade_id(c) in wrong for c in teaching.cells):
            student = nbformat.read(root / "student" / path.name, as_version=4)
            nbformat.write(
                answered(student, {**references(teaching), **wrong}), mistaken / path.name
            )
    log: list[str] = []
    start = time.perf_counter()
    rows = editions.grade_submissions(submissions, NOTEBOOKS, log=log.append)
    elapsed = time.perf_counter() - start
    return rows, submissions, "\n".join(log), elapsed, [p.stem for p in real]


def test_the_teaching_notebooks_earn_full_marks(graded_course):
    rows, _, log, elapsed, handed_in = graded_course
    teacher = [r for r in rows if r.student == "teacher"]
    assert [r.notebook for r in teacher] == handed_in
    assert [(r.notebook, r.score) for r in teacher] == [(r.notebook, r.max_score) for r in teacher]
    assert all(r.max_score > 0 for r in teacher)
    print(
        f"\nmake grade, one student's whole course ({len(handed_in)} graded notebooks, "
        f"{sum(r.max_score for r in teacher):g} points): "
        f"{next(line for line in log.splitlines() if line.startswith('teacher: '))}; "
        f"both students {elapsed:.1f} s"
    )


@pytest.mark.parametrize("grade_id", list(REAL_MISTAKES))
def test_a_real_misconception_loses_its_points_and_is_named(graded_course, grade_id):
    rows, folder, _, _, handed_in = graded_course
    notebook = next(
        (
            stem
            for stem in handed_in
            if any(
                grade_id == editions.grade_id(c)
                for c in nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4).cells
            )
        ),
        None,
    )
    if notebook is None:
        pytest.skip(f"{grade_id} is not in notebooks/ (yet)")
    teacher = scores(rows)[("teacher", notebook)]
    graded = [
        c
        for c in nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4).cells
        if editions.grade_id(c) == f"{grade_id}-grade"
    ]
    points = float(graded[0].metadata.nbgrader["points"])
    assert scores(rows)[("mistaken", notebook)] == teacher - points
    assert REAL_MISTAKES[grade_id][1] in feedback_text(folder, "mistaken", notebook)
