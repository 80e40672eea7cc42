"""Notebook 11's prose against its stored outputs (nbval proves the outputs are what the code
prints; these tests prove the sentences around them are true of those outputs)."""

import re

import pytest
from stored_outputs import printed, read_notebook

NAME = "11_backprop_through_time"


@pytest.fixture(scope="module")
def notebook():
    return read_notebook(NAME)


@pytest.fixture(scope="module")
def outputs(notebook) -> str:
    return printed(notebook)


@pytest.fixture(scope="module")
def prose(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


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
        "lstm_cell_backward agrees: True",
        "float64's best error is below 1e-10 and float32's above 1e-8: True",
        "every relative error ≤ 1e-7: True",
        "above 1e-4, caught: True",
        "your lstm_backward = the package's gradient: True",
        "your clipping = the package's: True",
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
        r"T = +(\d+): ‖∂C_T/∂C_0‖ = ([\d.]+) +carousel alone ([\d.]+)"
        r" +the other roads' share (\d+)%",
        outputs,
    )
    table = {int(T): (float(w), float(c), int(s)) for T, w, c, s in rows}
    assert set(table) == {1, 10, 40}
    assert (
        table[1][0] == table[1][1] and table[1][2] == 0
    )  # "At T = 1 the carousel is the whole story"
    assert table[40][2] > 50  # "the other roads carry most"
    assert (
        table[40][0] > 1 > table[40][1]
    )  # "push its norm above 1 while the carousel alone decays"
    assert "carry most of" in prose and "push" in prose


def test_float64_and_float32_finite_differences(notebook, prose):
    assert r"$\varepsilon \approx 10^{-5}$" in prose and r"$\varepsilon \approx 10^{-2}$" in prose
    best = dict(re.findall(r"(float\d\d): best ε = (\S+), relative error", printed(notebook)))
    errors = dict(re.findall(r"(float\d\d): best ε = \S+, relative error (\S+)", printed(notebook)))
    assert float(best["float64"]) == 1e-5
    assert float(best["float32"]) in (1e-2, 1e-3)
    assert float(errors["float64"]) < 1e-10  # "errors near 1e-11"
    assert float(errors["float32"]) <= 1e-5  # "errors up to 1e-5"


def test_the_numpy_run_trains_in_seconds(outputs, prose):
    assert "in a few seconds" in prose
    assert _number(outputs, r"largest \|numpy − PyTorch\| over the first 50 losses: (\S+)") < 1e-8
    assert _number(outputs, r"epochs, ([\d.]+) s of CPU") < 10
    assert _number(outputs, r"numpy: loss (\S+) after") < 1e-3


def test_every_planted_bug_is_listed(outputs):
    from lstm_course.exercises.bptt import MISCONCEPTIONS

    for bug in MISCONCEPTIONS.values():
        assert bug.name in outputs, bug.name


def test_the_forget_gate_of_notebook_04_is_open(prose):
    from lstm_course.activations import sigmoid

    assert r"$f_t \approx \sigma(3) \approx 0.95$" in prose
    assert round(float(sigmoid(3.0)), 2) == 0.95
