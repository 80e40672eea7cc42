"""Notebook 09's prose against its stored outputs (nbval checks the outputs against the code).

The sentences tied here: zero peepholes give the plain LSTM; flipping z is a relabelling that
shrinks the GRU gap and a diagonal W_hn closes it; the coupled cell cannot keep and add; the
parameter counts quoted in prose; and the LSTM/GRU run, both with memory-opening biases.
"""

import re

import pytest
from stored_outputs import outputs_text, printed

NOTEBOOK = "09_variants"


@pytest.fixture(scope="module")
def text(notebook) -> str:
    return printed(notebook)


def test_zero_peepholes_are_the_plain_lstm(text):
    assert text.count("identical: True") == 6 and "identical: False" not in text


def test_flipping_z_shrinks_the_gap_and_a_diagonal_reset_closes_it(text, prose):
    gaps = dict(
        re.findall(
            r"^(as is|z flipped|z flipped, W_hn diagonal)\s+max \|h_t gap\| = ([\d.]+)", text, re.M
        )
    )
    assert float(gaps["z flipped"]) < float(
        gaps["as is"]
    )  # "a free relabelling that shrinks the gap"
    assert float(gaps["z flipped, W_hn diagonal"]) == 0.0
    assert "|nn.GRUCell − PyTorch convention| < 1e-12: True" in text
    alone = float(
        re.search(r"z translated \(reset placement alone\): max \|h_t gap\| = ([\d.]+)", text)[1]
    )
    assert alone > 0.01  # "the reset placement, a real difference"
    assert "One of the two differences is" in prose


def test_the_coupled_cell_cannot_keep_and_add(text):
    match = re.search(
        r"plain LSTM after 5 steps: ([\d.]+)\s+coupled, best f_t each step: ([\d.]+)", text
    )
    plain, coupled = float(match[1]), float(match[2])
    assert plain == pytest.approx(1.5) and coupled < 1  # "stays within (−1, 1)"


def test_counts_quoted_in_prose(text, prose):
    assert "closed form: 1233   modules: 1233" in text and "1{,}233" in prose
    lstm, gru = (int(re.search(rf"^\s+{c}\s+\d+\s+(\d+)", text, re.M)[1]) for c in ("lstm", "gru"))
    assert gru / lstm == pytest.approx(3 / 4)  # "3/4 of the LSTM's parameters"
    torch_gru, article_gru = map(
        int, re.search(r"TorchGRUParams: (\d+)\s+GRUParams: (\d+)", text).groups()
    )
    assert torch_gru - article_gru == 3  # b_hn: H = 3 more biases, "4H where the article has 3H"


def test_both_cells_learn_with_their_memory_open_and_the_controls_do_not(text):
    for label in ("LSTM, b_f = 3", "GRU, b_z = 3"):
        assert (
            f"{label}: accuracy ≥ 0.9 on 3 of 3 seeds; loss below 0.1 before step 100 on 3 of 3"
            in text
        )
    assert "LSTM, b_f = 0: final loss within 0.1 of guessing (ln 4): True" in text
    assert "GRU, default: final loss still above 0.1: True" in text  # "learns, but more slowly"


def test_the_exercise_fails_then_its_hidden_solution_passes(notebook):
    attempts = [
        c for c in notebook.cells if c.cell_type == "code" and "def gru_parameter_count" in c.source
    ]
    assert len(attempts) == 2
    assert "❌" in outputs_text(attempts[0]) and "✅" in outputs_text(attempts[1])
    assert attempts[1].metadata["jupyter"]["source_hidden"] is True


def test_it_ends_with_a_summary_that_leads_on(notebook):
    last = notebook.cells[-1].source
    assert last.startswith("## Summary") and "10_pytorch_sin_to_cos.ipynb" in last
    assert "The measured numbers of this run:" not in last
