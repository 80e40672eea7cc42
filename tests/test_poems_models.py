"""lstm_course.poems.models, training and shipped: the three models, perplexity, batching with
truncated BPTT, a brief retrain that still learns, and the shipped weights."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from lstm_course.poems.corpus import corpus_vocabulary, load_corpus
from lstm_course.poems.models import (
    Bigram,
    CharModel,
    count_parameters,
    model_from_state_dict,
    perplexity,
)
from lstm_course.poems.shipped import (
    MODELS,
    SHIPPED,
    load_model,
    load_shipped,
    save_model,
    shipped_record,
)
from lstm_course.poems.training import TrainConfig, detach, stream_batches, train

MAX_SHIPPED_BYTES = 5_000_000


@pytest.fixture(scope="module")
def data():
    corpus, vocab = load_corpus(), corpus_vocabulary()
    return vocab, vocab.encode(corpus.train_text), vocab.encode(corpus.held_out_text)


def test_char_model_shapes_and_state():
    model = CharModel(30, 8, 16, "lstm")
    logits, (h, C) = model(torch.zeros(2, 5, dtype=torch.long))
    assert logits.shape == (2, 5, 30) and h.shape == C.shape == (1, 2, 16)
    logits, h = CharModel(30, 8, 16, "rnn")(torch.zeros(2, 5, dtype=torch.long))
    assert h.shape == (1, 2, 16)
    with pytest.raises(ValueError, match=r"ids has shape \(5,\); expected \(batch, steps\)"):
        model(torch.zeros(5, dtype=torch.long))
    with pytest.raises(ValueError, match="cell must be one of"):
        CharModel(30, 8, 16, "gru")
    with pytest.raises(ValueError, match="hidden_size must be at least 1"):
        CharModel(30, 8, 0)
    with pytest.raises(ValueError, match="D = 8, H = 16"):
        CharModel(30, 8, 16, tied=True)


def test_a_uniform_model_has_the_vocabulary_size_as_perplexity():
    model = CharModel(50, 4, 4)
    for p in model.output.parameters():
        nn.init.zeros_(p)
    ids = np.random.default_rng(0).integers(0, 50, 200)
    assert perplexity(model, ids) == pytest.approx(50, rel=1e-5)


def test_bigram_by_hand_and_its_rows_are_distributions():
    ids = np.array([0, 1, 0, 1, 0, 2])
    bigram = Bigram(ids, 4)
    np.testing.assert_allclose(bigram.probabilities.sum(axis=1), 1.0, rtol=1e-6)
    unigram = (np.array([3, 2, 1, 0]) + 1) / (6 + 4)
    # n(0, ·) = [0, 2, 1, 0], n(0) = 3, T(0) = 2: (n(0, b) + 2·P₁(b)) / 5
    expected = (np.array([0, 2, 1, 0]) + 2 * unigram) / 5
    np.testing.assert_allclose(bigram.probabilities[0], expected, rtol=1e-6)
    np.testing.assert_allclose(bigram.probabilities[3], unigram, rtol=1e-6)  # never seen: P₁
    assert bigram.loss(np.array([0, 1])) == pytest.approx(-math.log(expected[1]), rel=1e-6)


def test_stream_batches_continue_each_row_and_shift_targets_by_one():
    ids = np.arange(41)
    batches = stream_batches(ids, batch_size=4, bptt=3)
    assert len(batches) == 4  # 40 // 4 = 10 steps a stream: 3 + 3 + 3 + 1
    x0, y0 = batches[0]
    x1, _ = batches[1]
    np.testing.assert_array_equal(x0[:, 0], [0, 10, 20, 30])  # four streams of ten
    np.testing.assert_array_equal(y0, x0 + 1)
    np.testing.assert_array_equal(x1[:, 0], x0[:, -1] + 1)  # row b goes on where it stopped
    assert batches[-1][0].shape == (4, 1)
    with pytest.raises(ValueError, match="too few"):
        stream_batches(np.arange(3), batch_size=4, bptt=3)


def test_detach_cuts_the_graph_but_keeps_the_values():
    h = torch.ones(1, 2, 3, requires_grad=True) * 2
    cut = detach((h, h))
    assert not cut[0].requires_grad and torch.equal(cut[0], h)


def test_train_config_rejects_bad_settings():
    with pytest.raises(ValueError, match="clip must be a positive number"):
        TrainConfig(clip=0)
    with pytest.raises(ValueError, match="dropout"):
        TrainConfig(dropout=1.0)
    with pytest.raises(ValueError, match="cell must be one of"):
        TrainConfig(cell="gru")


@pytest.mark.training
def test_a_brief_retrain_still_learns(data):
    """Two epochs of the shipped recipe on 3,000 characters: the loss falls by over 1 nat.

    Measured: from ln V ≈ 7.4 (the untrained model's guess) to about 6 in the first epoch's
    batches; the margin holds on any CPU and thread count.
    """
    vocab, train_ids, held_out_ids = data
    config = TrainConfig(epochs=2, batch_size=8, bptt=32)
    threads = torch.get_num_threads()
    result = train(config, train_ids[:3000], held_out_ids[:500], len(vocab))
    assert torch.get_num_threads() == threads  # restored
    first, last = result.batch_losses[0], result.batch_losses[-1]
    assert first == pytest.approx(math.log(len(vocab)), abs=0.3)
    assert first - last > 1.0
    assert len(result.epochs) == 2 and result.epochs[-1].held_out_loss < first
    assert len(result.grad_norms) == len(result.batch_losses)


@pytest.mark.training
def test_on_epoch_can_stop_training(data):
    vocab, train_ids, held_out_ids = data
    config = TrainConfig(epochs=5, hidden_size=8, embedding_size=4)
    result = train(config, train_ids[:500], held_out_ids[:100], len(vocab), lambda r: True)
    assert result.stopped and len(result.epochs) == 1


def test_save_and_load_round_trip(tmp_path):
    model = CharModel(20, 4, 6, "rnn").eval()
    loaded = load_model(save_model(model, tmp_path / "m.pt"))
    assert loaded.cell == "rnn" and loaded.hidden_size == 6
    ids = torch.arange(20).reshape(2, 10)
    assert torch.equal(model(ids)[0], loaded(ids)[0])
    with pytest.raises(FileNotFoundError, match="poems_lstm.pt"):
        load_model(tmp_path / "missing.pt")
    bad = {k: v for k, v in model.state_dict().items()}
    bad["rnn.weight_hh_l0"] = torch.zeros(12, 6)
    with pytest.raises(ValueError, match="neither an LSTM nor an RNN"):
        model_from_state_dict(bad)


def test_the_shipped_models_are_small_state_dicts_loaded_with_weights_only():
    for cell, path in SHIPPED.items():
        assert path.parent == MODELS and path.stat().st_size <= MAX_SHIPPED_BYTES
        state = torch.load(path, weights_only=True)
        assert all(isinstance(v, torch.Tensor) for v in state.values())
        model = load_shipped(cell)
        assert model.cell == cell and model.vocab_size == len(corpus_vocabulary())
    with pytest.raises(ValueError, match="cell must be one of"):
        load_shipped("gru")


def test_the_record_says_how_the_shipped_models_were_made():
    record = shipped_record()
    for cell in SHIPPED:
        entry = record[cell]
        assert entry["settings"] == TrainConfig(cell=cell).as_dict()  # the defaults, seed 0
        assert entry["command"].startswith("python -m lstm_course.poems train --cell " + cell)
        assert entry["bytes"] == SHIPPED[cell].stat().st_size


def test_the_shipped_lstm_beats_the_bigram_and_the_rnn_on_held_out_poems(data):
    vocab, train_ids, held_out_ids = data
    lstm = perplexity(load_shipped("lstm"), held_out_ids)
    rnn = perplexity(load_shipped("rnn"), held_out_ids)
    bigram = perplexity(Bigram(train_ids, len(vocab)), held_out_ids)
    assert lstm < 0.97 * bigram  # measured: see models/poems.json
    assert lstm < rnn
    assert lstm == pytest.approx(shipped_record()["lstm"]["held_out_perplexity"], rel=1e-3)


def test_count_parameters():
    assert count_parameters(nn.Linear(3, 2)) == 8
