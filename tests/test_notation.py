"""The course's notation in the notebooks that teach the cell (00, 01, 03, 05-08): a pointwise
product is written ⊙ and a matrix product W·v, in Markdown and in printed labels.

The article writes the pointwise product as * (and once as a dot); a gate written with a dot
reads as a dot product — one number where the cell state needs H. Quotations of the article
("…") and the cells that show what a dot product would give are exempt.
"""

import re

import pytest
from stored_outputs import read_notebook

NOTEBOOKS = [
    "00_start_here",
    "01_neuron",
    "03_rnn_unrolled",
    "05_lstm_cell_state",
    "06_forget_gate",
    "07_input_gate_and_cell_update",
    "08_output_gate",
]
GATE = r"(?:f_t|i_t|o_t|\(1\s*[-−]\s*f_t\)|g|γ|\\gamma)"
# a gate times a vector with * or a dot: "f_t * C_{t-1}", "$o_t \cdot \tanh(C_t)$", "i_t·C̃_t"
POINTWISE_WRITTEN_WRONG = re.compile(
    GATE + r"\s*(?:\*|\\ast|\\cdot|·)\s*(?:C|\\tilde|\\tanh|tanh|v\b)"
)
QUOTATIONS = re.compile(r'"[^"]*"|“[^”]*”')
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.DOTALL)


def shows_a_dot_product(text: str) -> bool:
    return "dot product" in text


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_markdown_writes_every_pointwise_product_with_odot(name):
    wrong = []
    for k, cell in enumerate(read_notebook(name).cells):
        if cell.cell_type != "markdown" or shows_a_dot_product(cell.source.split("\n")[0]):
            continue
        for math in MATH.findall(QUOTATIONS.sub("", cell.source)):
            wrong += [
                f"cell {k}: {m[0]!r} in {math!r}" for m in POINTWISE_WRITTEN_WRONG.finditer(math)
            ]
    assert not wrong, f"{name}: write ⊙ (\\odot) for a pointwise product:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_printed_labels_write_every_pointwise_product_with_odot(name):
    wrong = []
    for k, cell in enumerate(read_notebook(name).cells):
        if "recognised(" in cell.source:
            continue  # the exercise package's names of misconceptions, not this notebook's
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if not shows_a_dot_product(line) and POINTWISE_WRITTEN_WRONG.search(line):
                    wrong.append(f"cell {k}: {line!r}")
    assert not wrong, f"{name}: print ⊙ for a pointwise product:\n" + "\n".join(wrong)


def test_the_pattern_catches_the_old_notation_and_spares_the_matrix_product():
    for old in ("f_t * C_{t-1}", r"o_t \cdot \tanh(C_t)", "i_t·C̃_t", r"(1 - f_t) * \tilde{C}_t"):
        assert POINTWISE_WRITTEN_WRONG.search(old), old
    for fine in (r"f_t \odot C_{t-1}", r"W_f \cdot [h_{t-1}, x_t]", "W·v", "0.5 × 0.5"):
        assert not POINTWISE_WRITTEN_WRONG.search(fine), fine
