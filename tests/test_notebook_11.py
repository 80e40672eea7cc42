"""Notebook 11's prose against its stored outputs (nbval proves the outputs are what the code
prints; these tests prove the sentences around them are true of those outputs)."""

import re

import nbformat
import pytest
from stored_outputs import outputs_text, printed, read_notebook

NOTEBOOK = "11_backprop_through_time"


def _number(outputs: str, pattern: str) -> float:
    match = re.search(pattern, outputs)
    assert match, f"no {pattern!r} in the stored outputs"
    return float(match[1])


def test_every_check_in_the_notebook_holds(outputs):
    for claim in [
        "agree with finite differences to 1e-9: True",
        "by hand = lstm_course.bptt.rnn_unroll_backward: True",
        "numpy = PyTorch autograd (nn.RNN) to 1e-12 for W, b, every x_t and h_0: True",
        "numpy BPTT = notebook 04's autograd curve (relative 1e-9): True",
        "LSTM, b_f = 3: numpy BPTT = notebook 04's autograd curve (relative 1e-9): True",
        "PyTorch autograd gives the same δh_{t-1} and δx_t: True",
        "float64's best error is below 1e-10 and float32's above 1e-8: True",
        "every relative error ≤ 1e-7: True",
        "above 1e-4, caught: True",
        "your lstm_backward = the package's gradient: True",
        "max_norm = 0.5·‖g‖: norm after clipping 0.50·‖g‖, your clipping = the package's: True",
        "max_norm = 2.0·‖g‖: norm after clipping 1.00·‖g‖, your clipping = the package's: True",
        "numpy and PyTorch loss curves agree to 1e-8 over the first 50 steps: True",
        "numpy alone reached a training loss below 1e-3: True   in fewer than 1,000 epochs: True",
        "test MSE (second half, continuing the sequence) below 1e-3: True",
    ]:
        assert claim in outputs, claim


def test_squashing_derivatives_are_at_most_a_quarter_and_one(outputs, prose):
    assert r"$\sigma' \le 0.25$" in prose and r"$\tanh' \le 1$" in prose
    assert _number(outputs, r"largest σ′: ([\d.]+)") == 0.25
    assert _number(outputs, r"largest tanh′: ([\d.]+)") == 1.0


def test_the_rnn_curve_is_notebook_04s(outputs):
    ours = _number(outputs, r"‖∂h_40/∂h_0‖ = (\S+)")
    nb04 = printed(read_notebook("04_long_term_dependencies"))
    theirs = re.search(r"^RNN, ρ = 0\.8\s.*?‖∂h_40/∂h_0‖ = +(\S+)", nb04, re.MULTILINE)
    assert theirs, "notebook 04 no longer prints the ρ = 0.8 norm"
    assert ours == float(theirs[1])
    lstm = re.search(r"^LSTM, b_f = 3\.0\s.*?‖∂h_40/∂h_0‖ = +(\S+)", nb04, re.MULTILINE)
    assert _number(outputs, r"LSTM b_f = 3 ([\d.]+)") == pytest.approx(float(lstm[1]), abs=0.005)


def test_with_every_w_zero_only_the_cell_state_reaches_the_past(outputs, prose):
    assert "nothing flows back into $h_{t-1}$ or $x_t$" in prose
    assert "δh_{t-1} = [0. 0. 0.]   δx_t = [0. 0. 0.]" in outputs
    ours = re.search(r"δC_\{t-1\} = \[([^\]]+)\]", outputs)[1]
    autograd = re.search(r"∂L/∂C_\{t-1\} = \[([^\]]+)\]", outputs)[1]
    assert ours.split() == autograd.split()


def test_the_carousel_and_the_other_roads(outputs, prose):
    per_step = _number(outputs, r"the gates is ([\d.]+) times the carousel's size")
    assert per_step < 0.3  # "Per step the other road is small"
    rows = re.findall(
        r"T = +(\d+): ‖∂C_T/∂C_0‖ = ([\d.]+) +carousel alone ([\d.]+) +the other roads ([\d.]+)",
        outputs,
    )
    table = {int(T): (float(w), float(c), float(o)) for T, w, c, o in rows}
    assert set(table) == {1, 10, 40}
    whole, carousel, others = table[1]
    assert whole == carousel and others == 0  # "At T = 1 the carousel is the whole story"
    for T in (10, 40):  # "Over tens of steps the other roads are larger than the carousel"
        assert table[T][2] > table[T][1]
    assert table[40][0] > 1 > table[40][1]  # "push the norm … above 1 while the carousel decays"
    assert "the other roads are larger than the carousel" in prose and "above 1 while" in prose
    assert "the road $C_0 \\to h_0 \\to$ the gates does not exist yet" in prose


def test_float64_and_float32_finite_differences(notebook, prose):
    assert r"$\varepsilon \approx 10^{-5}$" in prose and r"$\varepsilon \approx 10^{-2}$" in prose
    best = dict(re.findall(r"(float\d\d): best ε = (\S+), relative error", printed(notebook)))
    errors = dict(re.findall(r"(float\d\d): best ε = \S+, relative error (\S+)", printed(notebook)))
    assert float(best["float64"]) == 1e-5
    assert float(best["float32"]) in (1e-2, 1e-3)
    assert float(errors["float64"]) < 1e-10  # "errors near 1e-11"
    assert float(errors["float32"]) <= 1e-5  # "errors up to 1e-5"


def test_the_numpy_run_trains_in_about_a_second(outputs, prose):
    assert "in about a second (the timing above)" in prose
    assert _number(outputs, r"largest \|numpy − PyTorch\| over the first 50 losses: (\S+)") < 1e-8
    assert 0.3 < _number(outputs, r"epochs, ([\d.]+) s of CPU") < 2.0  # the stored timing
    assert _number(outputs, r"numpy: loss (\S+) after") < 1e-3


def test_every_planted_bug_is_listed(outputs):
    from lstm_course.exercises.bptt import MISCONCEPTIONS

    for bug in MISCONCEPTIONS.values():
        assert bug.name in outputs, bug.name


def test_the_forget_gate_of_notebook_04_is_open(prose):
    from lstm_course.activations import sigmoid

    assert r"$f_t \approx \sigma(3) \approx 0.95$" in prose
    assert round(float(sigmoid(3.0)), 2) == 0.95


def test_the_worked_step_by_hand_matches_the_package(outputs, prose):
    """Section 3's hand lines for the first unit are the package's printed first entries."""
    first = {
        name: float(re.search(rf"{re.escape(name)} = \[ ?(-?[\d.]+)", outputs)[1])
        for name in ("δC_t", "δ_f", "δC_{t-1}")
    }
    assert first == {"δC_t": 0.5506, "δ_f": 0.0688, "δC_{t-1}": 0.2753}
    for value in ("= 0.5506", "= 0.0688", "= 0.2753"):
        assert value in prose
    assert "0.9 \\cdot (1 - \\tanh^2 0.73)" in prose
    assert "C_t = [ 0.73" in outputs


def test_section_3_shows_the_numbers_not_the_exercises_code(notebook):
    """Exercise 6a builds the step: section 3 calls the package and writes no line of it."""
    section_3 = []
    inside = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            inside = cell.source.startswith("## 3.")
        elif inside and cell.cell_type == "code":
            section_3.append(cell.source)
    code = "\n".join(section_3)
    assert "lstm_cell_backward(" in code
    for line in ("* (1 - ", "dC_t = ", "d_f = ", "dC_prev = ", ".T @ d_"):
        assert line not in code, line


def test_the_split_is_shown_with_a_weighted_layer(outputs):
    whole = re.search(r"W_fᵀ·δ_f = \[([^\]]+)\]", outputs)[1].split()
    split = re.search(r"δh_\{t-1\} = \[([^\]]+)\] +δx_t = \[([^\]]+)\]\n(?!∂L)", outputs)
    assert split, "no weighted split printed"
    assert split[1].split() == whole[:3] and split[2].split() == whole[3:]
    assert any(float(v) != 0 for v in whole)


def test_the_guides_are_what_the_prose_says(outputs, prose):
    rnn = {
        float(r): (float(c), float(g))
        for r, c, g in re.findall(
            r"RNN +ρ = ([\d.]+): +‖∂h_40/∂h_0‖ = (\S+) +guide ρ\^40 = (\S+)", outputs
        )
    }
    lstm = {
        float(b): (float(c), float(g))
        for b, c, g in re.findall(
            r"LSTM b_f = ([\d.]+): +‖∂h_40/∂C_0‖ = (\S+) +guide σ\(b_f\)\^40 = (\S+)", outputs
        )
    }
    assert set(rnn) == {0.8, 1.3, 1.6} and set(lstm) == {3.0, 6.0}
    assert all(curve < guide / 100 for curve, guide in rnn.values())  # "far below ρ^T"
    assert rnn[1.3][0] > 1 > rnn[1.6][0]  # "grew at ρ = 1.3 shrinks again at ρ = 1.6"
    assert "($0.11$ against a guide of $1.5 \\times 10^{8}$)" in prose
    assert rnn[1.6] == (0.11, 1.5e8)
    assert all(curve > guide for curve, guide in lstm.values())  # "lies above σ(b_f)^T"
    assert lstm[6.0][0] > 1  # "at b_f = 6 enough to lift the norm above 1"
    assert "*sufficient* for a vanishing gradient" in prose
    assert "*necessary* for an exploding" in prose
    assert rnn[0.8][0] == _number(outputs, r"‖∂h_40/∂h_0‖ = (\S+)")  # section 2's curve


def test_clipping_each_array_turns_the_update_and_is_named(notebook, outputs):
    from lstm_course.exercises.bptt import MISCONCEPTIONS

    norm = _number(outputs, r"per-array clipping: norm ([\d.]+)·‖g‖")
    angle = _number(outputs, r"the update turned by (\d+)°")
    assert norm > 0.5 and angle >= 1  # "its length is not even capped"; "the update turns"
    cells = [c for c in notebook.cells if "def clip_each_array" in c.source]
    assert len(cells) == 1
    shown = outputs_text(cells[0])
    assert MISCONCEPTIONS["clip_each_separately"].name in shown


# --- the exercises (issue 14): solution and graded cells, the prediction, the answer cells ---

EXERCISES = {"11-lstm-step-backward": 6, "11-lstm-backward": 5, "11-clip-by-global-norm": 3}
STUDENT_FUNCTIONS = ("lstm_step_backward", "lstm_backward", "clip_by_global_norm")


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_each_build_it_exercise_is_a_solution_cell_and_its_graded_partner(notebook):
    cells = notebook.cells
    solutions = [k for k, c in enumerate(cells) if _nbgrader(c).get("solution")]
    assert [_nbgrader(cells[k])["grade_id"] for k in solutions] == list(EXERCISES)
    graded = [c for c in cells if _nbgrader(c).get("grade")]
    assert len(graded) == len(EXERCISES)
    for k in solutions:
        cell, partner = cells[k], cells[k + 1]
        grade_id, points = _nbgrader(cell)["grade_id"], EXERCISES[_nbgrader(cell)["grade_id"]]
        # the solution cell: folded, no outputs, the def and docstring outside the region
        assert cell.metadata["jupyter"]["source_hidden"] and not cell.outputs
        assert not _nbgrader(cell)["grade"] and not _nbgrader(cell)["locked"]
        head, region = cell.source.split("    ### BEGIN SOLUTION\n")
        assert head.startswith("def ") and head.rstrip().endswith('"""'), head
        assert region.rstrip().endswith("    ### END SOLUTION")
        # its graded partner: locked, with points, hidden tests of other seeds, full marks stored
        meta = _nbgrader(partner)
        assert meta["grade_id"] == f"{grade_id}-grade" and meta["points"] == points
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        source = partner.source
        assert source.startswith(f'grade = Grade("{grade_id}", points={points})')
        hidden = source.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
        assert "seed=1" in hidden and "seed=2" in hidden
        assert source.rstrip().endswith("grade.points()")
        assert not any(o.get("name") == "stderr" for o in partner.outputs)
        shown = printed(nbformat.v4.new_notebook(cells=[partner]))
        assert shown.startswith("✅") and "❌" not in shown
        assert shown.rstrip().endswith(f"{grade_id}: {points} of {points} points")
        result = [o for o in partner.outputs if o["output_type"] == "execute_result"]
        assert float(result[0]["data"]["text/plain"]) == points


def test_the_prediction_is_asked_before_the_cell_that_answers_it(notebook, outputs):
    from lstm_course.exercises.bptt import predict_other_roads

    cells = notebook.cells
    k = next(k for k, c in enumerate(cells) if "predict_other_roads.check(" in c.source)
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in outputs_text(cells[k])
    assert "answer" in cells[k + 1].metadata.get("tags", [])
    assert "‖∂C_T/∂C_0‖" in outputs_text(cells[k + 1])
    whole = _number(outputs, r"T = 40: ‖∂C_T/∂C_0‖ = ([\d.]+)")
    carousel = _number(outputs, r"T = 40: .*carousel alone ([\d.]+)")
    assert predict_other_roads.answer == "larger" and whole > 2 * carousel


def test_cells_that_run_the_students_functions_say_so_when_they_are_not_written(notebook):
    calls = re.compile(rf"(?<![\w.])({'|'.join(STUDENT_FUNCTIONS)})\(")
    users = [
        c
        for c in notebook.cells
        if c.cell_type == "code"
        and not _nbgrader(c)
        and calls.search(c.source)
        and not c.source.startswith("def ")
    ]
    assert len(users) == 2  # the real gradient, and the clipping of it
    for cell in users:
        assert "answer" in cell.metadata.get("tags", [])
        assert "if grade.passed:" in cell.source and "above first: this cell runs it" in cell.source


def test_the_clipping_checks_own_case_is_named_beside_the_prose_half(notebook, prose):
    said = " ".join(prose.split())
    assert "with `max_norm` half the global norm" in said
    assert "where `max_norm` is a quarter of their norm, as its message says" in said
    cell = next(c for c in notebook.cells if "def clip_each_array" in c.source)
    assert "max_norm = 3.48, a quarter of the global norm 13.9" in outputs_text(cell)
