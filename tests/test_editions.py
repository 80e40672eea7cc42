"""The student edition (`make student`, tools/editions.py): no answer in it, and it runs.

Built twice per session: from the fixture course (tests/fixtures/grading/notebooks, two
notebooks with three exercises, independent of the real notebooks' progress) and from
notebooks/ (every NN_*.ipynb; the checks below run on those that have nbgrader cells).

Executed top to bottom in a fresh kernel: both fixture notebooks, and the two cheapest real
notebooks that have exercises (CHEAPEST_FIRST, from docs/instructors.md's cost table: 06, 01
and 07 take about 2 s each; 02, 04 and 10-12 7-9 s), which keeps this file within about a
minute. Every other real notebook's student edition is executed by `make grade` in
tests/test_grading.py (the teaching edition) and is the same code with stubs.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "grading" / "notebooks"
NOTEBOOKS = REPO / "notebooks"
NOTEBOOKS_ZH = NOTEBOOKS / "zh"  # the Chinese edition: student/zh/ is made from it the same way
_spec = importlib.util.spec_from_file_location("editions", REPO / "tools" / "editions.py")
editions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(editions)

CHEAPEST_FIRST = [
    "06_forget_gate",
    "01_neuron",
    "07_input_gate_and_cell_update",
    "00_start_here",
    "03_rnn_unrolled",
    "08_output_gate",
    "05_lstm_cell_state",
]
EXECUTED_REAL = 2

REAL_WITH_EXERCISES = [p for p in editions.course_notebooks(NOTEBOOKS) if editions.has_exercises(p)]
ZH_WITH_EXERCISES = [
    p for p in editions.course_notebooks(NOTEBOOKS_ZH) if editions.has_exercises(p)
]
FIXTURE_NOTEBOOKS = editions.course_notebooks(FIXTURE)
# A solution line shorter than this, or one of these, could honestly appear elsewhere.
SHORTEST_TELLING_LINE = 12
GENERIC_LINE = re.compile(r"^(return \w+|\w+ = (\[\]|0|0\.0|None)|else:|pass|continue|break)$")


@pytest.fixture(scope="module")
def editions_built(tmp_path_factory) -> dict[Path, Path]:
    """Source folder -> its student edition, built once."""
    built = {}
    for source, name in [(FIXTURE, "fixture"), (NOTEBOOKS, "course"), (NOTEBOOKS_ZH, "course-zh")]:
        out = tmp_path_factory.mktemp(name) / "student"
        editions.build_student_edition(source, out)
        built[source] = out
    return built


def student_of(editions_built, path: Path) -> nbformat.NotebookNode:
    return nbformat.read(editions_built[path.parent] / path.name, as_version=4)


def telling_lines(lines: list[str]) -> list[str]:
    """The stripped lines of a region that would give an answer away."""
    kept = []
    for line in lines:
        text = line.strip()
        if text.startswith("#") or len(text) < SHORTEST_TELLING_LINE:
            continue
        if not GENERIC_LINE.match(text):
            kept.append(text)
    return kept


def everything_written(nb: nbformat.NotebookNode) -> str:
    """Every source and every output text of a notebook, one string."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")))
            parts.extend(str(v) for v in output.get("data", {}).values())
            parts.extend(output.get("traceback", []))
    return "\n".join(parts)


def label(path: Path) -> str:
    edition = {FIXTURE: "fixture", NOTEBOOKS: "course", NOTEBOOKS_ZH: "course-zh"}[path.parent]
    return f"{edition}/{path.stem}"


with_exercises = pytest.mark.parametrize(
    "path", FIXTURE_NOTEBOOKS + REAL_WITH_EXERCISES + ZH_WITH_EXERCISES, ids=label
)


def test_the_fixture_course_has_solutions_and_hidden_tests():
    teaching = [nbformat.read(p, as_version=4) for p in FIXTURE_NOTEBOOKS]
    sources = [c.source for nb in teaching for c in nb.cells]
    assert sum(len(editions.solution_regions(s)) for s in sources) == 3
    assert sum(len(editions.hidden_tests(s)) for s in sources) == 3


def test_same_file_names(editions_built):
    for source, out in editions_built.items():
        expected = [p.name for p in editions.course_notebooks(source)]
        assert sorted(p.name for p in out.glob("*.ipynb")) == expected


@with_exercises
def test_no_solution_line_in_the_student_edition(editions_built, path):
    teaching = nbformat.read(path, as_version=4)
    written = everything_written(student_of(editions_built, path))
    regions = [r for c in teaching.cells for r in editions.solution_regions(c.source)]
    assert regions, f"{path.name} has nbgrader cells but no solution region"
    leaked = [line for r in regions for line in telling_lines(r) if line in written]
    assert not leaked, f"solution lines in the student edition of {path.name}: {leaked}"


@with_exercises
def test_no_hidden_test_in_the_student_edition(editions_built, path):
    teaching = nbformat.read(path, as_version=4)
    written = everything_written(student_of(editions_built, path))
    hidden = [
        line.strip()
        for c in teaching.cells
        for r in editions.hidden_tests(c.source)
        for line in r
        if line.strip()
    ]
    assert not [line for line in hidden if line in written]
    assert "BEGIN HIDDEN TESTS" not in written and "BEGIN SOLUTION" not in written


@with_exercises
def test_each_exercise_is_a_stub_unfolded_with_its_nbgrader_marks(editions_built, path):
    student = student_of(editions_built, path)
    solutions = [c for c in student.cells if editions.is_solution(c)]
    assert solutions
    for cell in solutions:
        assert "raise NotImplementedError()" in cell.source
        assert not cell.metadata.get("jupyter", {}).get("source_hidden")
        assert cell.metadata.nbgrader.get("checksum")
    for cell in student.cells:
        if editions.is_graded(cell):
            assert cell.metadata.nbgrader["locked"] and cell.metadata.nbgrader.get("checksum")


@pytest.mark.parametrize(
    "path",
    FIXTURE_NOTEBOOKS + editions.course_notebooks(NOTEBOOKS),
    ids=label,
)
def test_answer_outputs_cleared_every_other_output_kept(editions_built, path):
    teaching = {c.id: c for c in nbformat.read(path, as_version=4).cells}
    student = student_of(editions_built, path)
    assert [c.id for c in student.cells] == list(teaching)
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        if editions.reveals_answer(teaching[cell.id]):
            assert cell.outputs == [], f"{path.name}: cell {cell.id} reveals an answer"
        else:
            assert cell.outputs == teaching[cell.id].outputs, f"{path.name}: cell {cell.id}"


def test_the_fixture_keeps_its_plain_outputs(editions_built):
    written = everything_written(student_of(editions_built, FIXTURE / "02_mean.ipynb"))
    assert "A figure-free output the student edition keeps" in written
    assert "1 of 1 points" not in written


NOT_WRITTEN = {False: "Not written yet", True: "还没写"}  # English, Chinese edition


def executed_notebooks() -> list[Path]:
    real = {p.stem: p for p in REAL_WITH_EXERCISES}
    chosen = [real[stem] for stem in CHEAPEST_FIRST if stem in real][:EXECUTED_REAL]
    zh = [NOTEBOOKS_ZH / p.name for p in chosen[:1] if (NOTEBOOKS_ZH / p.name).exists()]
    return FIXTURE_NOTEBOOKS + chosen + zh


@pytest.mark.parametrize("path", executed_notebooks(), ids=label)
def test_the_student_edition_runs_and_every_check_says_not_written(editions_built, path):
    """Top to bottom in a fresh kernel, from a folder beside notebooks/ (../ paths resolve)."""
    student = student_of(editions_built, path)
    # student/ sits beside notebooks/: from the teaching folder, ../data means the same file.
    folder = {"metadata": {"path": str(path.parent)}}
    NotebookClient(student, kernel_name="python3", timeout=120, resources=folder).execute()
    for cell in student.cells:
        assert not [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if editions.is_graded(cell):
            printed = "".join(o.get("text", "") for o in cell.outputs)
            result = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert NOT_WRITTEN[path.parent == NOTEBOOKS_ZH] in printed, printed
            assert [float(r.data["text/plain"]) for r in result] == [0.0]


def test_the_points_table_in_the_instructors_guide_matches_the_notebooks():
    table = editions.points_table(NOTEBOOKS)
    guide = (REPO / "docs" / "instructors.md").read_text()
    assert table in guide, (
        "docs/instructors.md's points table is out of date: paste the output of "
        "`python tools/editions.py points`\n" + table
    )


def test_the_points_table_counts_the_fixture():
    table = editions.points_table(FIXTURE)
    assert "| 01_sums | 01-weighted-sum | 2 |" in table
    assert "| 01_sums | 01-running-sum | 3 |" in table
    assert "| **whole course** | 3 exercises | **6** |" in table


def test_the_command_line_writes_the_student_edition(tmp_path, capsys):
    assert editions.main(["student", "--source", str(FIXTURE), "--out", str(tmp_path)]) == 0
    assert "2 notebooks in" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in FIXTURE_NOTEBOOKS]


def test_the_hub_course_directory_has_the_same_settings(tmp_path):
    from traitlets.config import Config

    editions.write_course_directory(FIXTURE, tmp_path, timeout_s=60)
    source = nbformat.read(tmp_path / "source" / "01_sums" / "01_sums.ipynb", as_version=4)
    assert all(c.outputs == [] for c in source.cells if editions.reveals_answer(c))
    assert any(c.get("outputs") for c in source.cells)  # the set-up cell's output is kept
    config = Config()
    exec((tmp_path / "nbgrader_config.py").read_text(), {"get_config": lambda: config})
    same = editions.course_config(tmp_path, 60)
    assert config.ClearOutput.enabled is False and config.Execute.timeout == 60
    assert config.Execute.interrupt_on_timeout == same.Execute.interrupt_on_timeout
    assert [p.rsplit(".", 1)[1] for p in config.GenerateFeedback.preprocessors] == [
        p.__name__ for p in same.GenerateFeedback.preprocessors
    ]
