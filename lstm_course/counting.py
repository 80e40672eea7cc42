"""How many numbers each cell learns, in closed form, for input size D and hidden size H.

Every layer of a cell reads [h_{t-1}, x_t] (H + D values) and writes H values, so one layer
holds a weight matrix W (H, H + D) and a bias b (H,): H·(H + D) + H numbers. A cell is a
number of such layers ("blocks"), plus whatever it adds on the side:

    vanilla RNN   1 block    W                          H·(H + D) + H
    LSTM          4 blocks   W_f, W_i, W_C, W_o         4·(H·(H + D) + H)
    peephole LSTM 4 blocks   + p_f, p_i, p_o (H,) each  4·(H·(H + D) + H) + 3·H
    coupled LSTM  3 blocks   W_f, W_C, W_o (no W_i)     3·(H·(H + D) + H)
    GRU           3 blocks   W_z, W_r, W_h              3·(H·(H + D) + H)

The peephole weights are diagonal (Gers & Schmidhuber 2000: each cell watches only its own
state). Read literally, the article's W_f·[C_{t-1}, h_{t-1}, x_t] has a full H×H block on
C_{t-1}: ``peepholes="full"`` counts that reading, 3·H·H instead of 3·H.

PyTorch stores two biases a layer, b_ih and b_hh (``torch_biases=True``): 2·H a block
instead of H. In an RNN or LSTM the two only ever appear as a sum, so H of them per block are
redundant; in PyTorch's GRU the candidate's b_hn sits inside r_t * (W_hn·h_{t-1} + b_hn) and
is a genuinely separate parameter. ``module_parameter_count`` counts what a module really
holds, sum(p.numel() for p in module.parameters()), to check these formulas against.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from lstm_course.i18n import _

BLOCKS = {"rnn": 1, "lstm": 4, "peephole": 4, "coupled": 3, "gru": 3}
CELL_NAMES = {
    "rnn": "vanilla RNN",
    "lstm": "LSTM",
    "peephole": "peephole LSTM",
    "coupled": "coupled LSTM",
    "gru": "GRU",
}
PEEPHOLE_GATES = 3  # f_t and i_t see C_{t-1}; o_t sees C_t
TORCH_CELLS = ("rnn", "lstm", "gru")  # nn.RNN, nn.LSTM, nn.GRU; PyTorch has no peephole or coupled


class ParameterCount(NamedTuple):
    """The parameters of one cell, by kind; ``total`` is their sum.

    blocks     how many (W, b) layers read [h_{t-1}, x_t]
    weights    entries of those W matrices: blocks · H · (H + D)
    biases     blocks · H (one bias a layer, as the article writes) or 2 · blocks · H (PyTorch)
    peepholes  3 · H (diagonal) or 3 · H · H (full) for the peephole LSTM, else 0
    """

    cell: str
    input_size: int
    hidden_size: int
    blocks: int
    weights: int
    biases: int
    peepholes: int
    total: int


def _size(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(
            _("{name} must be a whole number ≥ 1; got {value!r}").format(name=name, value=value)
        )
    return int(value)


def parameter_count(
    cell: str,
    input_size: int,
    hidden_size: int,
    torch_biases: bool = False,
    peepholes: str = "diagonal",
) -> ParameterCount:
    """The closed-form parameter count of one cell with input size D and hidden size H.

    cell: one of "rnn", "lstm", "peephole", "coupled", "gru".
    input_size D ≥ 1, hidden_size H ≥ 1.
    torch_biases: count two biases a layer, as PyTorch's nn.RNN, nn.LSTM and nn.GRU store them
        (only for the cells PyTorch has: "rnn", "lstm", "gru").
    peepholes: "diagonal" (p_f, p_i, p_o each (H,), as ``variants.PeepholeLSTMParams``) or
        "full" (the article's formula read literally: an H×H block on C per gate); only for
        the peephole LSTM.

    weights = blocks · H · (H + D)
    biases  = blocks · H            (or 2 · blocks · H with torch_biases)
    total   = weights + biases + peepholes
    """
    if cell not in BLOCKS:
        raise ValueError(
            _("cell must be one of {cells}; got {cell!r}").format(cells=sorted(BLOCKS), cell=cell)
        )
    D = _size("input_size", input_size)
    H = _size("hidden_size", hidden_size)
    if torch_biases and cell not in TORCH_CELLS:
        raise ValueError(
            _("PyTorch has no {name} module; torch_biases is only for {TORCH_CELLS}").format(
                name=CELL_NAMES[cell], TORCH_CELLS=TORCH_CELLS
            )
        )
    if peepholes not in ("diagonal", "full"):
        raise ValueError(
            _('peepholes must be "diagonal" or "full"; got {peepholes!r}').format(
                peepholes=peepholes
            )
        )
    if peepholes == "full" and cell != "peephole":
        raise ValueError(
            _('peepholes="full" only applies to the peephole LSTM; cell is {cell!r}').format(
                cell=cell
            )
        )
    blocks = BLOCKS[cell]
    weights = blocks * H * (H + D)
    biases = blocks * H * (2 if torch_biases else 1)
    peephole = 0
    if cell == "peephole":
        peephole = PEEPHOLE_GATES * (H * H if peepholes == "full" else H)
    return ParameterCount(
        cell, D, H, blocks, weights, biases, peephole, weights + biases + peephole
    )


def params_parameter_count(params: object) -> int:
    """How many numbers a numpy parameter set holds: the sizes of all its arrays.

    ``params`` is one of the package's frozen parameter dataclasses (RNNParams, LSTMParams,
    PeepholeLSTMParams, CoupledLSTMParams, GRUParams, TorchGRUParams); nested parameter sets
    (a PeepholeLSTMParams holds an LSTMParams) are counted through.
    """
    if not dataclasses.is_dataclass(params) or isinstance(params, type):
        raise ValueError(
            _("params must be a parameter dataclass; got {kind}").format(kind=type(params).__name__)
        )
    total = 0
    for field in dataclasses.fields(params):
        value = getattr(params, field.name)
        if dataclasses.is_dataclass(value):
            total += params_parameter_count(value)
        else:
            total += np.size(value)
    return int(total)


def module_parameter_count(module: object) -> int:
    """sum(p.numel() for p in module.parameters()): what a PyTorch module really holds."""
    parameters = getattr(module, "parameters", None)
    if not callable(parameters):
        raise ValueError(
            _("module must be a torch.nn.Module; got {kind}").format(kind=type(module).__name__)
        )
    return int(sum(p.numel() for p in parameters()))
