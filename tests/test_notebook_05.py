"""Notebook 05's prose against its stored outputs (nbval checks the outputs against the code)."""

import re

from stored_outputs import verdicts

NOTEBOOK = "05_lstm_cell_state"


def test_four_layers_four_times_the_parameters(outputs, prose):
    assert "ratio: 4.0" in outputs and "exactly four times" in prose


def test_the_belt_keeps_what_this_rnn_forgets_within_about_ten_steps(outputs, prose):
    assert "carried exactly: True" in outputs
    rnn = dict(re.findall(r"t = +(\d+):  RNN \|h_a − h_b\| = (\S+)", outputs))
    belt = re.findall(r"LSTM belt \|C_a − C_b\| = (\S+)", outputs)
    assert float(rnn["10"]) < 1e-4 * float(rnn["1"]) and float(rnn["5"]) > 1e-3 * float(rnn["1"])
    assert len(set(belt)) == 1  # the belt's difference never changes
    assert "within about ten" in prose


def test_remembering_is_not_the_default(outputs, prose):
    """At the initial forget bias f_t ≈ 0.5 and < 1e-4 of a difference survives 20 steps; each
    larger bias keeps more — for every seed the notebook ran."""
    rows = re.findall(r"seed \d:(.*)", outputs)
    assert len(rows) == 3
    for row in rows:
        means = [float(m) for m in re.findall(r"mean f_t (\S+),", row)]
        left = [float(v) for v in re.findall(r"left (\S+)", row)]
        assert 0.4 < means[0] < 0.6 and left[0] < 1e-4
        assert left == sorted(left) and means == sorted(means)
    assert "less than a ten-thousandth" in prose and "记住很早时刻的信息是LSTM的默认行为" in prose


def test_a_nearly_closed_gate_still_leaks(outputs, prose):
    g = re.search(r"γ\s+=\s+\[(\S+)", outputs)[1]
    assert g == "0.000045" and r"\sigma(-10) \approx" in prose and "0.000045" in prose


def test_the_exercise_shows_the_mistake_then_passes(notebook):
    assert verdicts(notebook) == ["❌", "✅"]


def test_a_real_sigma_gate_only_approaches_the_belt(outputs, prose):
    left = dict(
        re.findall(r"f_t = σ\((\d+)\) = \S+: after 100 steps (\S+) of C_0 is left", outputs)
    )
    assert 0.4 < float(left["5"]) < 0.6 and 0.99 < float(left["10"]) < 1
    assert f"keeps {100 * float(left['10']):.1f} %" in prose


def test_the_rnn_compared_has_small_weights_as_the_prose_says(outputs, prose):
    radius = re.search(r"spectral radius of this RNN's W_hh: (\S+)", outputs)[1]
    assert float(radius) < 1 and f"$W_{{hh}}$ is {radius}" in prose
