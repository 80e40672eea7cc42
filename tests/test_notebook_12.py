"""Notebook 12's prose against its stored outputs.

nbval proves the stored outputs are what the code produces (the trained and sampled figures
are shown, not compared: ``# NBVAL_IGNORE_OUTPUT``); these tests prove every number the prose
states is the one the cells printed, so a retrained model cannot leave a stale sentence.
"""

import re

import pytest
from stored_outputs import read_notebook

NAME = "12_lstm_writes_poems"


@pytest.fixture(scope="module")
def notebook():
    return read_notebook(NAME)


@pytest.fixture(scope="module")
def outputs(notebook) -> str:
    """What the cells printed: one cell's streams joined as printed (a print may arrive in
    pieces), the cells one after another."""
    return "\n".join(
        "".join(o["text"] for o in c.get("outputs", []) if o.get("output_type") == "stream")
        for c in notebook.cells
        if c.cell_type == "code"
    )


@pytest.fixture(scope="module")
def prose(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


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
    assert ppl["LSTM"] < ppl["RNN"] < ppl["bigram"]  # "a little ahead of the RNN"
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
    assert abs(form["RNN"] - form["LSTM"]) < 0.1  # "about as well as the LSTM"
    assert whole["RNN"] > whole["LSTM"]
    _in_prose(prose, f"more often ({pct(whole['RNN'])} against {pct(whole['LSTM'])})")
    _in_prose(
        prose, f"Copying is rare: {copied['LSTM']:.1f} % of the LSTM's lines ({copied['RNN']:.1f} %"
    )
    _in_prose(prose, f"{pct(form['LSTM'])} of its lines are in form against the bigram's")
    _in_prose(prose, f"against the bigram's {pct(form['bigram'])}")
    _in_prose(prose, f"It copies almost no line whole ({copied['LSTM']:.1f} %)")


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
    rising = [u for u, x in zip(units.groups()[:3], r, strict=True) if x > 0]
    falling = [u for u, x in zip(units.groups()[:3], r, strict=True) if x < 0]
    _in_prose(prose, f"units {rising[0]} and {rising[1]} climb from blue to red")
    _in_prose(prose, f"unit {falling[0]}, correlated the other way")
    strong = re.search(r"units with \|r\| > 0.5: (\d+) of (\d+)", outputs)
    _in_prose(prose, f"{strong[1]} of the {strong[2]} units pass")
    gates = re.search(r"f_t of these units at each character: (\[\[.*\]\])", outputs)
    rows = [[float(x) for x in row.split(",")] for row in re.findall(r"\[([\d., ]+)\]", gates[1])]
    first_four = [value for row in rows for value in row[:4]]
    _in_prose(prose, f"stay between {min(first_four):.2f} and {max(first_four):.1f}")
    assert all(row[5] == 0.0 for row in rows)  # "as the model reads the "，" all three are 0.0"


def test_the_vocabulary_and_the_record(outputs, prose):
    vocabulary = _number(r"vocabulary: ([\d,]+) =", outputs)
    _in_prose(prose, f"a vocabulary of {vocabulary:,.0f}")
    characters = _number(r"training: \d+ poems, ([\d,]+) characters", outputs)
    _in_prose(prose, f"{characters:,.0f} characters are far too few")
    held_out = _number(r"held out: (\d+) poems", outputs)
    _in_prose(prose, f"On the {held_out:.0f} held-out poems")


def test_live_training_and_exercises_show_their_verdicts(outputs, notebook):
    assert "the loss fell by more than 0.8 nat: True" in outputs
    verdicts = "".join(
        "".join(o.get("data", {}).get("text/plain", ""))
        for c in notebook.cells
        for o in c.get("outputs", [])
    )
    assert verdicts.count("✅") == 3 and verdicts.count("❌") == 3
    assert "your perplexity equals the package's: True" in outputs
