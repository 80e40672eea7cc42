"""Notebook 04's prose against its stored outputs.

nbval proves the stored outputs are what the code produces; these tests prove the prose
around them is still true of those outputs ("the RNN falls to chance while the LSTM holds"),
so re-running the notebook with another recipe cannot leave a stale sentence behind.
"""

import re

import numpy as np
import pytest
from stored_outputs import printed, read_notebook

CHANCE = 0.25


@pytest.fixture(scope="module")
def outputs() -> str:
    """Every stored stream output of the notebook, one string."""
    return printed(read_notebook("04_long_term_dependencies"))


def _row(outputs: str, label: str) -> np.ndarray:
    match = re.search(rf"^\s*{label}:((?:\s+[\d.]+)+)\s*$", outputs, re.MULTILINE)
    assert match, f"no row {label!r} in the stored outputs"
    return np.array(match.group(1).split(), dtype=float)


def test_rnn_falls_to_chance_while_the_lstm_holds(outputs):
    gaps = _row(outputs, "gap k")
    rnn, lstm = _row(outputs, "RNN"), _row(outputs, "LSTM")
    assert gaps.shape == rnn.shape == lstm.shape
    assert np.all(rnn[gaps <= 5] > 0.95) and np.all(lstm[gaps <= 5] > 0.95)  # both solve short
    assert np.all(rnn[gaps >= 20] < CHANCE + 0.1)  # "drops to chance"
    assert np.all(lstm > 0.9)  # "still names the key"


def test_the_rnns_loss_stays_at_guessing(outputs):
    rnn = float(re.search(r"RNN, k = 20: mean loss over the last 32 steps ([\d.]+)", outputs)[1])
    lstm = float(re.search(r"LSTM, k = 20: mean loss over the last 32 steps ([\d.]+)", outputs)[1])
    assert rnn == pytest.approx(np.log(4), abs=0.05)
    assert lstm < 0.1


def test_a_closed_forget_gate_fails(outputs):
    closed = float(re.search(r"b_f = 0 -> accuracy ([\d.]+)", outputs)[1])
    assert closed < CHANCE + 0.1


def test_gradient_claims(outputs):
    assert "autograd = chain rule by hand: True" in outputs
    norms = dict(re.findall(r"^(RNN, ρ = [\d.]+|LSTM, b_f = [\d.]+)\s.*= +(\S+)$", outputs, re.M))
    assert float(norms["RNN, ρ = 0.8"]) < 1e-5  # vanishes
    assert float(norms["RNN, ρ = 1.3"]) > 1  # grows
    assert float(norms["LSTM, b_f = 0.0"]) < 1e-8
    assert float(norms["LSTM, b_f = 3.0"]) > 0.05
    spread = re.search(r"largest / smallest: RNN (\d+)×, LSTM (\d+)×", outputs)
    assert int(spread[1]) > 100 and int(spread[2]) < 10  # "orders of magnitude" vs "small factor"


def test_matrix_power_shrinks_like_rho_to_the_t(outputs):
    ratios = [float(r) for r in re.findall(r"ratio ([\d.]+)", outputs)]
    assert len(ratios) == 4
    assert max(ratios[1:]) / min(ratios[1:]) < 1.1  # "their ratio settles to a constant"
