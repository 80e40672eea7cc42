"""The recall task: its data, and the measurement notebook 04 rests on (RNN fails, LSTM holds).

Trained figures move with the CPU's kernels and thread count, and a single seed can fail where
the others hold (the LSTM at k = 20 scores 0.959 on seed 4 here and 0.73 with ATen's portable
kernels). So each claim is a median over seeds, with a band at least 3× wider than the largest
move of that median measured across ``make test-portable``'s settings (table: issue 10's note).
"""

import statistics

import numpy as np
import pytest
import torch

from lstm_course.recall import RecallConfig, RecallResult, make_recall_data, train_recall

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tiny models: one thread is faster
QUICK = {"steps": 20, "n_test": 64}  # a short run, for the tests that only need a run
CHANCE = 0.25  # 4 tokens
HOLDS = 0.9  # a model that holds the key names it on at least 90% of held-out sequences
AT_CHANCE = 0.4  # ... and one that lost it scores near chance, below this
FIVE_SEEDS, THREE_SEEDS = range(5), range(3)


def median_accuracy(cell: str, gap: int, seeds: range, **config: object) -> tuple[float, list]:
    """The median held-out accuracy over ``seeds``, and every seed's, for the failure message."""
    each = [train_recall(cell, gap, seed=seed, **config).accuracy for seed in seeds]
    return statistics.median(each), each


def test_data_shapes_marker_and_target():
    data = make_recall_data(50, gap=7, n_tokens=4, rng=np.random.default_rng(0))
    assert data.xs.shape == (50, 8, 5)
    assert data.tokens.shape == (50, 8)
    assert data.xs.dtype == np.float32
    np.testing.assert_array_equal(data.target, data.tokens[:, 0])
    # the marker bit is set at the key, and only there
    np.testing.assert_array_equal(data.xs[:, :, 4], np.eye(8)[0][None, :].repeat(50, axis=0))
    # the first four features are the one-hot token
    np.testing.assert_array_equal(data.xs[:, :, :4].argmax(axis=2), data.tokens)
    np.testing.assert_array_equal(data.xs[:, :, :4].sum(axis=2), np.ones((50, 8)))


def test_distractors_use_the_keys_vocabulary():
    data = make_recall_data(2000, gap=5, n_tokens=3, rng=np.random.default_rng(1))
    assert set(np.unique(data.tokens[:, 1:])) == {0, 1, 2}
    assert set(np.unique(data.target)) == {0, 1, 2}


def test_data_is_seeded():
    a = make_recall_data(10, 4, 4, np.random.default_rng(5))
    b = make_recall_data(10, 4, 4, np.random.default_rng(5))
    np.testing.assert_array_equal(a.xs, b.xs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, "n_samples must be an integer ≥ 1"),
        ({"gap": 0}, "gap must be an integer ≥ 1"),
        ({"gap": 2.5}, "gap must be an integer"),
        ({"n_tokens": 1}, "n_tokens must be an integer ≥ 2"),
        ({"rng": 0}, "rng must be a numpy Generator"),
    ],
)
def test_data_input_errors(kwargs, message):
    arguments = {"n_samples": 4, "gap": 3, "n_tokens": 4, "rng": np.random.default_rng(0)}
    with pytest.raises(ValueError, match=message):
        make_recall_data(**(arguments | kwargs))


def test_train_errors():
    with pytest.raises(ValueError, match="cell must be one of"):
        train_recall("transformer", 3, 0)
    with pytest.raises(ValueError, match=r"unknown config \['epochs'\]"):
        train_recall("rnn", 3, 0, epochs=5)
    with pytest.raises(ValueError, match="gap must be"):
        train_recall("lstm", -1, 0)


@pytest.mark.training
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_run_returns_what_it_promises(cell):
    result = train_recall(cell, 3, seed=1, **QUICK)
    assert isinstance(result, RecallResult)
    assert 0.0 <= result.accuracy <= 1.0
    assert result.chance == CHANCE
    assert len(result.loss_history) == QUICK["steps"]
    assert all(np.isfinite(result.loss_history))
    assert result.config == RecallConfig(**QUICK)
    assert isinstance(
        result.model.recurrent,
        {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell],
    )
    logits = result.model(torch.from_numpy(make_recall_data(2, 3, 4, np.random.default_rng(0)).xs))
    assert logits.shape == (2, 4)


@pytest.mark.training
def test_runs_are_reproducible_and_leave_the_global_generator_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = train_recall("lstm", 4, seed=3, **QUICK)
    after = torch.rand(1)
    b = train_recall("lstm", 4, seed=3, **QUICK)
    assert a.loss_history == b.loss_history
    assert a.accuracy == b.accuracy
    assert torch.equal(before, after)


@pytest.mark.training
def test_forget_bias_is_the_sum_of_pytorchs_two_halves():
    model = train_recall("lstm", 2, seed=0, steps=1, lr=1e-12, forget_bias=2.5).model
    H = model.recurrent.hidden_size
    b_f = (model.recurrent.bias_ih_l0 + model.recurrent.bias_hh_l0)[H : 2 * H]
    np.testing.assert_allclose(b_f.detach().numpy(), 2.5, atol=1e-6)


@pytest.mark.training
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_short_gap_is_learned_by_both(cell):
    median, each = median_accuracy(cell, 2, THREE_SEEDS)
    assert median >= HOLDS, each


@pytest.mark.training
def test_long_gap_rnn_at_chance_lstm_holds():
    """Notebook 04's claim, at k = 20 with the default recipe, as a median over five seeds.

    (At k = 30 the LSTM is at the edge of this budget: seeds 0-4 score 1, 1, 1, 0.47, 0.99 with
    this machine's kernels and 0.998, 0.871, 0.383, 0.451, 1 with oneDNN's AVX2 ones.)"""
    rnn, rnn_each = median_accuracy("rnn", 20, FIVE_SEEDS)
    lstm, lstm_each = median_accuracy("lstm", 20, FIVE_SEEDS)
    assert rnn < AT_CHANCE, rnn_each
    assert lstm >= HOLDS, lstm_each


@pytest.mark.training
def test_the_written_out_adam_is_torch_optims_adam(monkeypatch):
    """recall.Adam (no torch._dynamo import) gives torch.optim.Adam's losses, bit for bit."""
    ours = train_recall("lstm", 5, seed=2, **QUICK)
    monkeypatch.setattr(
        "lstm_course.recall.Adam", lambda params, lr: torch.optim.Adam(params, lr=lr)
    )
    theirs = train_recall("lstm", 5, seed=2, **QUICK)
    assert ours.loss_history == theirs.loss_history


@pytest.mark.training
def test_lstm_with_a_closed_forget_gate_fails_within_the_budget():
    median, each = median_accuracy("lstm", 30, THREE_SEEDS, forget_bias=0.0)
    assert median < AT_CHANCE, each


@pytest.mark.training
def test_update_bias_sets_the_grus_z_rows_and_defaults_to_pytorchs_init():
    opened = train_recall("gru", 2, seed=0, steps=1, lr=1e-12, update_bias=2.0).model.recurrent
    H = opened.hidden_size
    b_z = (opened.bias_ih_l0 + opened.bias_hh_l0)[H : 2 * H]
    np.testing.assert_allclose(b_z.detach().numpy(), 2.0, atol=1e-6)
    default = train_recall("gru", 2, seed=0, steps=1, lr=1e-12).model.recurrent
    torch.manual_seed(0)
    fresh = torch.nn.GRU(5, 16, batch_first=True)
    torch.testing.assert_close(default.bias_hh_l0, fresh.bias_hh_l0, atol=1e-6, rtol=0)


@pytest.mark.training
def test_gru_with_an_open_update_gate_holds_a_long_gap():
    median, each = median_accuracy("gru", 30, THREE_SEEDS, update_bias=3.0)
    assert median >= HOLDS, each
