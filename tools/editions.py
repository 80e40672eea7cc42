"""The course's two editions from one source, and autograding: `make student`, `make grade`.

The teaching notebooks (notebooks/NN_*.ipynb) are also nbgrader's "source" notebooks: each
exercise is a solution cell (a ``### BEGIN SOLUTION`` region inside a function) and a locked,
graded cell with points (docs/instructors.md, "Running a graded class"). One notebook is one
nbgrader assignment, named by the notebook's stem.

    python tools/editions.py student [--source notebooks] [--out student]
        The student edition: ``nbgrader generate_assignment`` in a course directory of its own
        (a temporary one), then the same file names in --out. Solution regions become
        ``raise NotImplementedError()``, hidden tests go, the outputs of solution, graded and
        "answer"-tagged cells are cleared, every other output is kept, solution cells unfolded.
        student/ sits beside notebooks/, so a path such as ../data means the same from both.

    python tools/editions.py grade DIR [--source notebooks] [--timeout 60]
        Autograde DIR/<student>/<notebook>.ipynb (the files a teacher collected): writes
        DIR/grades.csv (student,notebook,score,max_score; one row per student and graded
        notebook, a missing or unreadable notebook scores 0) and DIR/feedback/<student>/
        <notebook>.html (nbgrader's feedback: each graded cell's printed verdict names the
        misconception).

    python tools/editions.py course DIR [--source notebooks]
        A course directory for nbgrader on a JupyterHub (the exchange, the formgrader): the
        teaching notebooks as DIR/source/<NN_name>/<NN_name>.ipynb (answer outputs cleared)
        and DIR/nbgrader_config.py with the settings `make student` and `make grade` use.

    python tools/editions.py points [--source notebooks]
        The table of exercises and points, in Markdown, from the notebooks' metadata.

Everything runs offline in a temporary nbgrader course directory; no exchange, no hub.
"""

from __future__ import annotations

import argparse
import copy
import csv
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
ANSWER_TAG = "answer"
CELL_TIMEOUT_S = 60
"""nbgrader's per-cell limit while autograding: the backstop behind Grade's own 10 s per check."""

# --- What a cell is, by its nbgrader metadata ------------------------------------------------


def marks(cell: nbformat.NotebookNode) -> dict:
    """The cell's nbgrader metadata ({} for an ordinary cell)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return marks(cell).get("grade_id")


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return bool(marks(cell).get("solution"))


def is_graded(cell: nbformat.NotebookNode) -> bool:
    return bool(marks(cell).get("grade"))


def reveals_answer(cell: nbformat.NotebookNode) -> bool:
    """A cell whose outputs the student edition clears: solution, graded or tagged "answer"."""
    tags = cell.get("metadata", {}).get("tags", [])
    return is_solution(cell) or is_graded(cell) or ANSWER_TAG in tags


def has_exercises(path: Path) -> bool:
    """Whether the notebook has any nbgrader cell (solution or graded)."""
    return any(grade_id(cell) for cell in nbformat.read(path, as_version=4).cells)


def course_notebooks(source: Path) -> list[Path]:
    """The course's notebooks in ``source`` (NN_name.ipynb), in order."""
    return sorted(source.glob(NOTEBOOK_GLOB))


def solution_regions(source: str) -> list[list[str]]:
    """The lines between each ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of a cell."""
    return _regions(source, "### BEGIN SOLUTION", "### END SOLUTION")


def hidden_tests(source: str) -> list[list[str]]:
    """The lines between each ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``."""
    return _regions(source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _regions(source: str, begin: str, end: str) -> list[list[str]]:
    regions: list[list[str]] = []
    inside = False
    for line in source.splitlines():
        if line.strip() == begin:
            inside = True
            regions.append([])
        elif line.strip() == end:
            inside = False
        elif inside:
            regions[-1].append(line)
    return regions


# --- The points table ------------------------------------------------------------------------


class Exercise(NamedTuple):
    notebook: str
    grade_id: str
    points: float


def exercises(source: Path) -> list[Exercise]:
    """Every graded cell of the course, in notebook order."""
    found = []
    for path in course_notebooks(source):
        for cell in nbformat.read(path, as_version=4).cells:
            if is_graded(cell):
                found.append(Exercise(path.stem, grade_id(cell), float(marks(cell)["points"])))
    return found


def points_table(source: Path) -> str:
    """The Markdown table of exercises and points (docs/instructors.md pastes it)."""
    rows = ["| notebook | exercise (its solution's grade_id) | points |", "|---|---|---:|"]
    by_notebook: dict[str, list[Exercise]] = {}
    for exercise in exercises(source):
        by_notebook.setdefault(exercise.notebook, []).append(exercise)
    for notebook, found in by_notebook.items():
        for exercise in found:
            name = exercise.grade_id.removesuffix("-grade")
            rows.append(f"| {notebook} | {name} | {exercise.points:g} |")
    total = sum(e.points for found in by_notebook.values() for e in found)
    rows.append(
        f"| **whole course** | {sum(map(len, by_notebook.values()))} exercises | **{total:g}** |"
    )
    return "\n".join(rows)


# --- One nbgrader course directory ------------------------------------------------------------


def teaching_to_source(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The teaching notebook as nbgrader's source: answer-revealing outputs cleared, nothing else.

    nbgrader's own ClearOutput (which clears every output) is switched off in ``course_config``:
    the student edition keeps every output that does not show an answer.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and reveals_answer(cell):
            cell.outputs = []
            cell.execution_count = None
    return nb


def course_config(root: Path, timeout_s: int = CELL_TIMEOUT_S) -> Config:
    """nbgrader's settings for a course directory at ``root`` (offline, one per run)."""
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = "lstm-course"
    config.ClearOutput.enabled = False  # generate_assignment: keep what teaching_to_source kept
    config.Execute.timeout = timeout_s
    config.Execute.interrupt_on_timeout = True
    config.Execute.raise_on_iopub_timeout = False
    config.OverwriteCells.add_missing_cells = False  # repair_submission restores them instead
    config.Exchange.root = str(root / "exchange")  # never the system's /srv/nbgrader/exchange
    # The feedback shows the graded cells as they ran: without their hidden tests' source.
    config.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
    return config


def _quiet_nbgrader() -> None:
    """Silence SQLAlchemy's warnings from inside nbgrader's gradebook (harmless, and many)."""
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")


def _scripts_on_path() -> None:
    """Put this Python's scripts folder on PATH: nbgrader runs ``alembic`` by name (gradebook)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


class Course:
    """A temporary nbgrader course: source/ from the teaching notebooks, release/ generated."""

    def __init__(self, root: Path, notebooks: Iterable[Path], timeout_s: int = CELL_TIMEOUT_S):
        self.root = root
        self.notebooks = {path.stem: path for path in notebooks}
        _scripts_on_path()
        _quiet_nbgrader()
        (root / "exchange").mkdir(parents=True, exist_ok=True)
        config = course_config(root, timeout_s)
        self.api = NbGraderAPI(CourseDirectory(config=config), config=config)
        self.api.log.setLevel(logging.ERROR)
        self.db_url = self.api.coursedir.db_url

    def release_path(self, assignment: str) -> Path:
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    def generate(self) -> None:
        """``nbgrader generate_assignment`` for every notebook (one assignment each)."""
        for assignment, path in self.notebooks.items():
            folder = self.root / "source" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nb = teaching_to_source(nbformat.read(path, as_version=4))
            nbformat.write(nb, folder / path.name)
            self._succeed(self.api.generate_assignment(assignment, force=True), assignment)

    def _succeed(self, result: dict, what: str) -> None:
        if not result["success"]:
            raise RuntimeError(f"nbgrader failed on {what}:\n{result['error']}\n{result['log']}")


HUB_CONFIG = """\
# nbgrader's settings for the course (written by `python tools/editions.py course`): the same as
# `make student` and `make grade` use. See docs/instructors.md, "Running a graded class".
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "lstm-course"
c.Exchange.root = "/srv/nbgrader/exchange"
# Keep every output that shows no answer (source/ has the answer outputs cleared already).
c.ClearOutput.enabled = False
# Grade's own limit is 10 s a check; this per-cell limit is the backstop.
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = False
# Feedback without the hidden tests' source (their verdicts stay in the outputs).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
"""


def write_course_directory(source: Path, root: Path, timeout_s: int = CELL_TIMEOUT_S) -> None:
    """An nbgrader course directory in ``root``: source/ and nbgrader_config.py (for a hub)."""
    for path in course_notebooks(source):
        folder = root / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(teaching_to_source(nbformat.read(path, as_version=4)), folder / path.name)
    (root / "nbgrader_config.py").write_text(HUB_CONFIG.format(timeout=timeout_s))


# --- make student -----------------------------------------------------------------------------


def student_notebook(release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """nbgrader's release notebook, with solution cells unfolded (metadata otherwise kept)."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        jupyter = cell.metadata.get("jupyter", {})
        jupyter.pop("source_hidden", None)
        if "jupyter" in cell.metadata and not jupyter:
            del cell.metadata["jupyter"]
    return nb


def build_student_edition(source: Path, out: Path) -> list[Path]:
    """Write the student edition of every course notebook in ``source`` to ``out``."""
    notebooks = course_notebooks(source)
    if not notebooks:
        raise SystemExit(f"no {NOTEBOOK_GLOB} in {source}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="nbgrader-course-") as root:
        course = Course(Path(root), notebooks)
        course.generate()
        for assignment, path in course.notebooks.items():
            release = nbformat.read(course.release_path(assignment), as_version=4)
            nbformat.write(student_notebook(release), out / path.name)
            written.append(out / path.name)
    return written


# --- make grade -------------------------------------------------------------------------------


def repair_submission(
    submitted: nbformat.NotebookNode, release: nbformat.NotebookNode
) -> list[str]:
    """Put back, in place, the nbgrader cells a student deleted; return their grade_ids.

    A deleted solution cell comes back as the student edition's stub (so that exercise scores
    0), a deleted graded cell as the released one (nbgrader then restores its hidden tests).
    Each goes after the nearest nbgrader cell that precedes it in the release.
    """
    present = {grade_id(cell) for cell in submitted.cells if grade_id(cell)}
    restored = []
    previous: str | None = None
    for index, cell in enumerate(release.cells):
        cell_id = grade_id(cell)
        if not cell_id:
            continue
        if cell_id not in present:
            positions = [i for i, c in enumerate(submitted.cells) if grade_id(c) == previous]
            at = positions[-1] + 1 if positions else min(index, len(submitted.cells))
            submitted.cells.insert(at, copy.deepcopy(cell))
            present.add(cell_id)
            restored.append(cell_id)
        previous = cell_id
    return restored


class Row(NamedTuple):
    student: str
    notebook: str
    score: float
    max_score: float


def students_in(submissions: Path) -> list[Path]:
    """The student folders of a submissions folder (not feedback/ nor hidden ones)."""
    return sorted(
        p
        for p in submissions.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name != "feedback"
    )


def grade_submissions(
    submissions: Path, source: Path, timeout_s: int = CELL_TIMEOUT_S, log=print
) -> list[Row]:
    """Autograde every submission in ``submissions``; write grades.csv and feedback/."""
    notebooks = [p for p in course_notebooks(source) if has_exercises(p)]
    if not notebooks:
        raise SystemExit(f"no notebook in {source} has graded cells")
    students = students_in(submissions)
    rows: list[Row] = []
    feedback_dir = submissions / "feedback"
    with tempfile.TemporaryDirectory(prefix="nbgrader-grade-") as root:
        course = Course(Path(root), notebooks, timeout_s)
        course.generate()
        with Gradebook(course.db_url) as gradebook:
            max_scores = {a: gradebook.find_notebook(a, a).max_score for a in course.notebooks}
        for student_dir in students:
            student = student_dir.name
            start = time.perf_counter()
            known = {p.name for p in notebooks}
            for other in sorted(student_dir.glob("*.ipynb")):
                if other.name not in known:
                    log(f"{student}: {other.name} is not a graded notebook of the course; ignored")
            for path in notebooks:
                assignment = path.stem
                score = _grade_one(course, student_dir, path, feedback_dir, log)
                rows.append(Row(student, assignment, score, max_scores[assignment]))
                log(f"{student} {assignment}: {score:g} of {max_scores[assignment]:g}")
            seconds = time.perf_counter() - start
            log(f"{student}: {len(notebooks)} notebooks graded in {seconds:.1f} s")
    _write_grades(submissions / "grades.csv", rows)
    return rows


def _grade_one(course: Course, student_dir: Path, path: Path, feedback_dir: Path, log) -> float:
    """One student's one notebook: repaired, autograded, its feedback copied; its score."""
    student, assignment = student_dir.name, path.stem
    target = feedback_dir / student / f"{assignment}.html"
    target.unlink(missing_ok=True)  # no feedback from an earlier run for what is not graded now
    submitted_path = student_dir / path.name
    if not submitted_path.exists():
        log(f"{student}: no {path.name} (scored 0)")
        return 0.0
    try:
        submitted = nbformat.read(submitted_path, as_version=4)
    except Exception as exc:  # any unreadable file: the notebook scores 0, the rest is graded
        log(f"{student}: {path.name} is not a notebook nbformat can read ({exc}); scored 0")
        return 0.0
    release = nbformat.read(course.release_path(assignment), as_version=4)
    restored = repair_submission(submitted, release)
    if restored:
        log(f"{student}: {path.name} had lost {', '.join(restored)}; restored from the release")
    folder = course.root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(submitted, folder / path.name)
    result = course.api.autograde(assignment, student, force=True, create=True)
    if not result["success"]:
        log(f"{student}: nbgrader could not grade {path.name}; scored 0\n{result['error']}")
        return 0.0
    result = course.api.generate_feedback(assignment, student, force=True)
    html = course.root / "feedback" / student / assignment / f"{assignment}.html"
    if result["success"] and html.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(html, target)
    else:
        log(f"{student}: no feedback for {path.name}\n{result['error']}")
    with Gradebook(course.db_url) as gradebook:
        try:
            return float(gradebook.find_submission_notebook(assignment, assignment, student).score)
        except MissingEntry:
            return 0.0


def _write_grades(path: Path, rows: list[Row]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(Row._fields)
        for row in rows:
            writer.writerow([row.student, row.notebook, f"{row.score:g}", f"{row.max_score:g}"])


# --- The command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="write the student edition")
    student.add_argument("--source", type=Path, default=REPO / "notebooks")
    student.add_argument("--out", type=Path, default=REPO / "student")
    grade = commands.add_parser("grade", help="autograde DIR/<student>/<notebook>.ipynb")
    grade.add_argument("submissions", type=Path)
    grade.add_argument("--source", type=Path, default=REPO / "notebooks")
    grade.add_argument("--timeout", type=int, default=CELL_TIMEOUT_S, help="seconds per cell")
    course = commands.add_parser("course", help="write an nbgrader course directory for a hub")
    course.add_argument("root", type=Path)
    course.add_argument("--source", type=Path, default=REPO / "notebooks")
    points = commands.add_parser("points", help="print the table of exercises and points")
    points.add_argument("--source", type=Path, default=REPO / "notebooks")
    args = parser.parse_args(argv)

    if args.command == "student":
        start = time.perf_counter()
        written = build_student_edition(args.source, args.out)
        print(f"{len(written)} notebooks in {args.out} ({time.perf_counter() - start:.1f} s)")
    elif args.command == "grade":
        if not args.submissions.is_dir():
            parser.error(f"{args.submissions} is not a folder")
        start = time.perf_counter()
        rows = grade_submissions(args.submissions, args.source, args.timeout)
        elapsed = time.perf_counter() - start
        print(
            f"{len(rows)} grades in {args.submissions / 'grades.csv'}, feedback in "
            f"{args.submissions / 'feedback'} ({elapsed:.1f} s)"
        )
    elif args.command == "course":
        write_course_directory(args.source, args.root)
        print(f"nbgrader course directory in {args.root}: source/ and nbgrader_config.py")
    else:
        print(points_table(args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
