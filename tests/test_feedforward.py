"""The feed-forward baseline: deterministic, and stuck at the sin-only floor for a reason."""

import numpy as np
import pytest
import torch

from lstm_course.data import SinCosData, sin_cos_data
from lstm_course.feedforward import make_mlp, predict, sliding_windows, train_feedforward
from lstm_course.sequences import sin_only_mse_floor

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # a tiny model: one thread is faster


def test_make_mlp_is_seeded_and_leaves_the_global_rng_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a, b, c = make_mlp(8, seed=0), make_mlp(8, seed=0), make_mlp(8, seed=1)
    assert torch.rand(1) == before
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    assert not torch.equal(next(a.parameters()), next(c.parameters()))
    assert sum(p.numel() for p in make_mlp(32).parameters()) == 2 * 32 + 32 * 33 + 33


def test_predict_shapes():
    assert predict(make_mlp(4), np.linspace(-1, 1, 7)).shape == (7,)
    with pytest.raises(ValueError, match=r"x has shape \(2, 2\); expected a vector"):
        predict(make_mlp(4), np.zeros((2, 2)))


@pytest.mark.training
def test_training_is_deterministic_and_its_history_complete():
    first = train_feedforward(epochs=20, seed=3)
    second = train_feedforward(epochs=20, seed=3)
    assert len(first.train_loss) == len(first.test_loss) == 20
    assert first.test_loss == second.test_loss


@pytest.mark.training
def test_the_mlp_plateaus_at_the_floor_on_sin_to_cos():
    data = sin_cos_data()
    result = train_feedforward(data, epochs=200, seed=0)
    floor = sin_only_mse_floor(data.test[2])
    assert result.test_loss[-1] == pytest.approx(floor, abs=0.01)
    assert result.test_loss[-1] == pytest.approx(0.5, abs=0.02)
    assert abs(result.test_loss[-1] - result.test_loss[49]) < 0.005  # flat: a plateau
    assert np.max(np.abs(predict(result.model, data.test[1]))) < 0.2  # it hedges near 0


@pytest.mark.training
def test_the_same_trainer_learns_a_target_that_is_a_function_of_its_input():
    # cos 2t = 1 − 2·sin² t is a function of sin t: the information is there, and it is learnt
    data = sin_cos_data()
    control = SinCosData(data.t, data.x, np.cos(2 * data.t).astype(np.float32), data.split)
    result = train_feedforward(control, epochs=200, seed=0)
    assert result.test_loss[-1] < 0.01


def test_sliding_windows_are_oldest_first():
    np.testing.assert_array_equal(sliding_windows(np.arange(4.0), 2), [[0, 1], [1, 2], [2, 3]])
    with pytest.raises(ValueError, match="window"):
        sliding_windows(np.arange(4.0), 0)
    with pytest.raises(ValueError, match="longer than x"):
        sliding_windows(np.arange(4.0), 5)


@pytest.mark.training
def test_a_window_of_two_inputs_solves_sin_to_cos():
    """cos t = (sin t·cos Δt − sin(t − Δt)) / sin Δt: two consecutive inputs determine cos t.

    Median over three seeds, measured 0.6–1.6e-4 across seeds and CPU settings; the band is
    1% of the floor ≈ 5e-3."""
    data = sin_cos_data()
    floor = sin_only_mse_floor(data.test[2])
    finals = [train_feedforward(data, epochs=200, seed=s, window=2).test_loss[-1] for s in range(3)]
    assert np.median(finals) < 0.01 * floor, finals
    run = train_feedforward(data, epochs=5, seed=0, window=3)
    assert run.window == 3 and predict(run.model, data.x, 3).shape == (198,)
    assert len(run.test_loss) == 5


def test_errors():
    with pytest.raises(ValueError, match="epochs"):
        train_feedforward(epochs=0)
    with pytest.raises(ValueError, match="lr"):
        train_feedforward(lr=0.0)
    with pytest.raises(ValueError, match=r"hidden_size \(H\)"):
        make_mlp(0)


@pytest.mark.training
def test_the_written_out_adam_is_torch_optims_adam(monkeypatch):
    """recall.Adam (no torch._dynamo import) gives torch.optim.Adam's losses, bit for bit."""
    ours = train_feedforward(epochs=30, seed=1)
    monkeypatch.setattr(
        "lstm_course.feedforward.Adam", lambda params, lr: torch.optim.Adam(params, lr=lr)
    )
    theirs = train_feedforward(epochs=30, seed=1)
    assert ours.train_loss == theirs.train_loss and ours.test_loss == theirs.test_loss
