"""lstm_course.poems.inside: the trained LSTM read by the course's numpy cell."""

import numpy as np
import pytest
import torch

from lstm_course.poems.corpus import corpus_vocabulary
from lstm_course.poems.inside import position_correlations, read_text, top_units
from lstm_course.poems.models import CharModel
from lstm_course.poems.sampling import prelude
from lstm_course.poems.shipped import load_shipped


def test_the_numpy_cell_reads_the_text_as_pytorch_does():
    model, vocab = load_shipped("lstm"), corpus_vocabulary()
    text = "床前看月光，疑是地上霜。"
    reading = read_text(model, vocab, text)
    assert reading.steps.h_t.shape == (len(text), 128) and reading.x.shape == (len(text), 64)
    with torch.no_grad():
        ids = torch.as_tensor(vocab.encode(prelude() + text))[None]
        h, _ = model.rnn(model.embedding(ids))
    np.testing.assert_allclose(reading.steps.h_t, h[0, -len(text) :].double(), atol=1e-5)
    np.testing.assert_allclose(reading.h_prev[1:], reading.steps.h_t[:-1])
    assert ((reading.steps.f_t > 0) & (reading.steps.f_t < 1)).all()


def test_only_an_lstm_has_gates_to_read():
    with pytest.raises(ValueError, match="only an LSTM"):
        read_text(CharModel(10, 2, 3, "rnn"), corpus_vocabulary(), "月")


def test_position_correlations_by_hand():
    text = "白日依山尽，黄河入海流。"
    positions = np.array([0, 1, 2, 3, 4, 0, 0, 1, 2, 3, 4, 0], dtype=float)
    values = np.stack([positions, -positions, np.ones(12)], axis=1)  # up, down, constant
    r = position_correlations(values, text)
    np.testing.assert_allclose(r, [1.0, -1.0, 0.0])
    np.testing.assert_array_equal(top_units(r, 2), [0, 1])
