"""Looking inside the trained LSTM: its gates and states along a text, in the article's symbols.

The trained ``nn.LSTM`` is read into the course's ``LSTMParams`` (``torch_bridge``), and the
text is run through the numpy cell of notebooks 05–08 (``lstm_unroll``), which returns every
intermediate: f_t, i_t, C̃_t, C_t, o_t, h_t at every character, each (T, H). The inputs are the
characters' embeddings x_t = E[c_t] (D,). A test checks that these h_t are PyTorch's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_course.i18n import _
from lstm_course.lstm import LSTMParams, LSTMStep, lstm_unroll
from lstm_course.poems.corpus import END, PUNCTUATION, Vocabulary, position_in_line
from lstm_course.poems.models import CharModel
from lstm_course.poems.sampling import prelude
from lstm_course.torch_bridge import lstm_params_from_torch


@dataclass(frozen=True)
class Reading:
    """The cell's values over a text: ``steps`` (each field (T, H)) with x_t (T, D), and the
    states before each step (``h_prev``, ``C_prev``, (T, H)); step k reads ``text[k]``."""

    text: str
    x: np.ndarray
    steps: LSTMStep
    h_prev: np.ndarray
    C_prev: np.ndarray
    params: LSTMParams


def article_params(model: CharModel) -> LSTMParams:
    """The trained LSTM's weights as the article's W_f, b_f, …, W_o, b_o (float64)."""
    if model.cell != "lstm":
        raise ValueError(
            _("only an LSTM has gates to look at; this model's cell is {cell}").format(
                cell=repr(model.cell)
            )
        )
    return lstm_params_from_torch(model.rnn)


def read_text(model: CharModel, vocab: Vocabulary, text: str) -> Reading:
    """Run the numpy cell over the prelude and ``text`` from zero state; keep ``text``'s steps.

    The prelude (``sampling.prelude()``: END, a training poem, END) first puts the model where
    a poem begins, as in sampling.
    """
    params = article_params(model)
    skip = len(prelude())
    ids = vocab.encode(prelude() + text)
    x = model.embedding.weight.detach().double().numpy()[ids]
    steps = lstm_unroll(x, params)
    H = params.hidden_size
    h_prev = np.vstack([np.zeros(H), steps.h_t[:-1]])
    C_prev = np.vstack([np.zeros(H), steps.C_t[:-1]])
    keep = slice(skip, None)  # drop the prelude's steps
    return Reading(
        text,
        x[keep],
        LSTMStep(*(field[keep] for field in steps)),
        h_prev[keep],
        C_prev[keep],
        params,
    )


def position_correlations(values: np.ndarray, text: str) -> np.ndarray:
    """Each unit's Pearson correlation with the position in the line, over the text's characters.

    values (T, H) along ``text`` (T characters); only characters inside lines count (positions
    from ``position_in_line``; marks and END left out). Returns (H,); a unit that never changes
    gets 0.
    """
    positions = position_in_line(text)
    inside = np.array([ch not in PUNCTUATION and ch != END for ch in text])
    v = values[inside]
    p = positions[inside].astype(np.float64)
    v = v - v.mean(axis=0)
    p = p - p.mean()
    scale = np.sqrt((v**2).sum(axis=0) * (p**2).sum())
    return np.divide(v.T @ p, scale, out=np.zeros(values.shape[1]), where=scale > 0)


def top_units(correlations: np.ndarray, k: int) -> np.ndarray:
    """The k units with the largest |correlation|, strongest first."""
    return np.argsort(-np.abs(correlations), kind="stable")[:k]
