"""Notebook 12's prose against its stored outputs.

nbval proves the stored outputs are what the code produces (the trained and sampled figures
are shown, not compared: ``# NBVAL_IGNORE_OUTPUT``); these tests prove every number the prose
states is the one the cells printed, so a retrained model cannot leave a stale sentence.
"""

import re

import nbformat
from stored_outputs import outputs_text, printed

NOTEBOOK = "12_lstm_writes_poems"


def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"no {pattern!r} in the stored outputs"
    return float(match[1].replace(",", ""))


def pct(x: float) -> str:
    """A share as the prose writes it: 0.82 -> "82 %"."""
    return f"{x:.0%}".replace("%", " %")


def _in_prose(prose: str, text: str) -> None:
    assert text in " ".join(prose.split()), f"the prose does not say {text!r}"


def test_perplexities_in_the_prose_are_the_printed_ones(outputs, prose):
    ppl = {
        name: _number(rf"{name}\s+held-out perplexity\s+([\d.]+)", outputs)
        for name in ("LSTM", "RNN", "bigram")
    }
    lstm_training = _number(
        r"LSTM\s+held-out perplexity\s+[\d.]+\s+on training poems\s+([\d.]+)", outputs
    )
    lstm, rnn, bigram = (f"{ppl[name]:.1f}" for name in ("LSTM", "RNN", "bigram"))
    _in_prose(prose, f"the LSTM's perplexity is {lstm}, the RNN's {rnn} and the bigram's {bigram}")
    gain = pct(1 - ppl["LSTM"] / ppl["bigram"])
    _in_prose(prose, f"about {ppl['LSTM']:.0f}, {gain} less than the bigram")
    assert ppl["LSTM"] < ppl["bigram"] and ppl["RNN"] < ppl["bigram"]
    best = {
        name: re.search(
            rf"{name}\s+best epoch (\d+): perplexity ([\d.]+); epoch 40: ([\d.]+)", outputs
        )
        for name in ("LSTM", "RNN")
    }
    lstm_best, rnn_best = (float(best[name][2]) for name in ("LSTM", "RNN"))
    _in_prose(prose, f"the LSTM's {lstm_best:.1f} at epoch {best['LSTM'][1]}")
    _in_prose(prose, f"the RNN's {rnn_best:.1f} at epoch {best['RNN'][1]}")
    _in_prose(prose, f"about {abs(rnn_best / lstm_best - 1):.0%} apart".replace("%", " %"))
    assert abs(rnn_best / lstm_best - 1) < 0.05  # "call them close"
    assert all(float(best[n][3]) > float(best[n][2]) for n in best)  # "Both models overfit"
    ratio = ppl["LSTM"] / lstm_training
    _in_prose(prose, f"perplexity is {lstm_training:.1f}, about {ratio:.0f} times lower")
    untrained = _number(r"untrained held-out perplexity (\d+)", outputs)
    _in_prose(prose, f"Untrained, it scored {untrained:,.0f}")
    for name in ppl:
        _in_prose(prose, f"{ppl[name]:.1f}")


def test_form_and_copying_in_the_prose_are_the_printed_ones(outputs, prose):
    form = {
        name: _number(rf"{name}\s+lines in form ([\d.]+)", outputs)
        for name in ("LSTM", "RNN", "bigram")
    }
    copied = {
        name: _number(rf"{name}\s+lines in form.*lines copied ([\d.]+)%", outputs)
        for name in ("LSTM", "RNN")
    }
    reference = _number(r"training poems: lines in form ([\d.]+)", outputs)
    _in_prose(prose, f"The bigram keeps {pct(form['bigram'])}")
    _in_prose(prose, f"The LSTM keeps {pct(form['LSTM'])} and the RNN {pct(form['RNN'])}")
    _in_prose(prose, f"poems themselves keep {pct(reference)}")
    whole = {
        name: _number(rf"{name}\s+lines in form [\d.]+, poems in form ([\d.]+)", outputs)
        for name in ("LSTM", "RNN")
    }
    assert form["RNN"] > form["LSTM"] + 0.05  # "better than the LSTM (one seed)"
    assert whole["RNN"] > whole["LSTM"]
    _in_prose(prose, f"more often ({pct(whole['RNN'])} against {pct(whole['LSTM'])})")
    _in_prose(
        prose,
        f"Copying is rare at temperature 1: {copied['LSTM']:.1f} % of the LSTM's lines "
        f"({copied['RNN']:.1f} %",
    )
    sharp = {
        name: _number(rf"{name}\s+at τ = 0.5: lines copied ([\d.]+)%", outputs)
        for name in ("LSTM", "RNN")
    }
    _in_prose(prose, f"{sharp['LSTM']:.1f} % of the LSTM's lines and {sharp['RNN']:.1f} %")
    assert min(sharp.values()) > max(copied["LSTM"], copied["RNN"])  # "move toward"
    _in_prose(prose, f"{pct(form['LSTM'])} of its lines are in form against the bigram's")
    _in_prose(prose, f"against the bigram's {pct(form['bigram'])}")
    _in_prose(
        prose,
        f"almost no line whole ({copied['LSTM']:.1f} %); at $\\tau = 0.5$, {sharp['LSTM']:.1f} %",
    )
    # "most of its out-of-form lines have five or seven characters but the wrong mark"
    wrong = re.search(r"LSTM\s+out of form: (\d+) of \d+ lines, (\d+) of them", outputs)
    assert int(wrong[2]) > int(wrong[1]) / 2
    mixed = {
        name: _number(rf"{name}\s+out of form:.*poems mixing line lengths: (\d+)", outputs)
        for name in ("LSTM", "RNN")
    }
    assert mixed["LSTM"] > mixed["RNN"]  # "more of its poems mix line lengths"


def test_the_zero_state_experiment(outputs, prose):
    lstm = _number(r"LSTM from a zero state: lines in form ([\d.]+)", outputs)
    rnn = _number(r"RNN\s+from a zero state: lines in form ([\d.]+)", outputs)
    after = _number(r"LSTM from a zero state: .*after the prelude ([\d.]+)", outputs)
    _in_prose(prose, f"the LSTM keeps only {pct(lstm)} of its lines in form, against {pct(after)}")
    _in_prose(prose, f"after the prelude, while the RNN keeps {pct(rnn)}")


def test_the_units_and_the_forget_gate(outputs, prose):
    pattern = r"position in the line: \[\s*(\d+)\s+(\d+)\s+(\d+)\] r = \[([-\d. ]+)\]"
    units = re.search(pattern, outputs)
    assert units
    r = [float(x) for x in units[4].split()]
    signed = [f"{x:.2f}".replace("-", "−") for x in r]
    _in_prose(prose, f"Units {units[1]}, {units[2]} and {units[3]} correlate")
    _in_prose(prose, f"$r$ = {signed[0]}, {signed[1]} and {signed[2]}")
    assert all(x < 0 for x in r)  # "All three are correlated the other way"
    held = re.search(r"on 6 held-out poems, r of units \[[\d ]+\] = \[([-\d. ]+)\]", outputs)
    held_r = [f"{float(x):.2f}".replace("-", "−") for x in held[1].split()]
    _in_prose(prose, f"({held_r[0]}, {held_r[1]} and {held_r[2]})")
    strong = re.search(r"units with \|r\| > 0.5: (\d+) of (\d+)", outputs)
    _in_prose(prose, f"{strong[1]} of the {strong[2]} units pass")
    gates = re.search(r"f_t of these units at each character: (\[\[.*\]\])", outputs)
    rows = [[float(x) for x in row.split(",")] for row in re.findall(r"\[([\d., ]+)\]", gates[1])]
    first_four = [value for row in rows for value in row[:4]]
    _in_prose(prose, f"stay between {min(first_four):.2f} and {max(first_four):.1f}")
    fifth = min(row[4] for row in rows)
    _in_prose(prose, f"already drops to {fifth:.2f}")
    marks = re.search(
        r"at the (\d+) marks: mean ([\d.]+), max [\d.]+; inside the lines: mean ([\d.]+)", outputs
    )
    _in_prose(prose, f"averages {marks[2]} at the {marks[1]} marks against {marks[3]}")
    resetting = re.search(r"mean f_t at the marks is below 0.1: (\d+) of (\d+)", outputs)
    _in_prose(prose, f"{resetting[1]} of the {resetting[2]} units have a mean")
    assert all(row[5] == 0.0 for row in rows)  # "as the model reads the "，" all three are 0.0"


def test_the_vocabulary_and_the_record(outputs, prose):
    vocabulary = _number(r"vocabulary: ([\d,]+) =", outputs)
    _in_prose(prose, f"a vocabulary of {vocabulary:,.0f}")
    characters = _number(r"training: \d+ poems, ([\d,]+) characters", outputs)
    _in_prose(prose, f"{characters:,.0f} characters are far too few")
    held_out = _number(r"held out: (\d+) poems", outputs)
    _in_prose(prose, f"On the {held_out:.0f} held-out poems")
    collection = re.search(r"(\d+) poems in the collection; (\d+) repeat", outputs)
    _in_prose(prose, f"The collection holds {collection[1]} poems, but {collection[2]} of them")
    sharing = _number(r"(\d+) of them share a line with another poem", outputs)
    _in_prose(prose, f"{sharing:.0f} poems share a line")
    assert "no line of a held-out poem occurs in a training poem: True" in outputs
    half = _number(r"the (\d+) most common cover half the text", outputs)
    _in_prose(prose, f"The {half:.0f} commonest characters carry half the text")
    unknown = _number(r"□ stands for ([\d.]+)% of the held-out", outputs)
    _in_prose(prose, f"□ stands for {unknown:.1f} % of the held-out characters")
    clipped = re.search(r"updates clipped: LSTM ([\d.]+)%, RNN ([\d.]+)%", outputs)
    _in_prose(prose, f"Clipping fired on {clipped[1]} % of the LSTM's updates and {clipped[2]} %")
    parameters = re.findall(r"(?m)^(?:LSTM|RNN) +([\d,]+) parameters", outputs)
    _in_prose(prose, f"fewer parameters: {parameters[1]} against {parameters[0]}")


def test_the_trained_cell_diagram_is_drawn(notebook):
    """Every cell that draws the cell diagram shows it (a pyplot-free figure needs display)."""
    drawing = [c for c in notebook.cells if c.cell_type == "code" and "draw_lstm_cell(" in c.source]
    assert drawing
    for cell in drawing:
        assert any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])), cell.source


def test_live_training_and_exercises_show_their_verdicts(outputs):
    assert "the loss fell by more than 0.8 nat: True" in outputs
    assert outputs.count("✅") == 3 and "❌" not in outputs  # the three graded cells, passed
    assert "your perplexity equals the package's: True" in outputs


# --- the exercises (issue 14): solution and graded cells, the prediction, the answer cells ---

EXERCISES = {"12-softmax-with-temperature": 2, "12-generate": 4, "12-perplexity": 3}
STUDENT_FUNCTIONS = ("softmax_with_temperature", "generate", "perplexity_of")


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
        assert cell.metadata["jupyter"]["source_hidden"] and not cell.outputs
        assert not _nbgrader(cell)["grade"] and not _nbgrader(cell)["locked"]
        head, region = cell.source.split("    ### BEGIN SOLUTION\n")
        assert head.startswith("def ") and head.rstrip().endswith('"""'), head
        assert region.rstrip().endswith("    ### END SOLUTION")
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


def test_the_prediction_is_asked_before_the_cells_that_answer_it(notebook, outputs):
    from lstm_course.exercises.poems import predict_variety

    cells = notebook.cells
    k = next(k for k, c in enumerate(cells) if "predict_variety.check(" in c.source)
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in outputs_text(cells[k])
    for answer in cells[k + 1 : k + 3]:
        assert "answer" in answer.metadata.get("tags", [])
    variety = {
        float(tau): int(n)
        for tau, n in re.findall(r"τ = ([\d.]+): (\d+) different characters in 200", outputs)
    }
    assert predict_variety.answer == "fewer" and variety[0.5] < 0.8 * variety[1.0]
    assert "fewer different first characters at τ = 0.5 than at τ = 1: True" in outputs
    assert cells[k + 1].source.startswith("# NBVAL_IGNORE_OUTPUT")  # sampled: shown, not compared


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
    assert len(users) == 2  # the shipped LSTM's poem, and its perplexity
    for cell in users:
        assert "answer" in cell.metadata.get("tags", [])
        assert "if grade.passed:" in cell.source and "above first: this cell runs it" in cell.source
