"""lstm_course.train: the article's model, training, prediction, metrics, save and load.

Short runs only (a few dozen epochs, or the fast recipe's ~100); the full article run and
the speed comparison live in benchmarks/sin_cos_speedup.py.
"""

import numpy as np
import pytest
import torch

from lstm_course.data import sin_cos_data
from lstm_course.lstm import lstm_unroll
from lstm_course.torch_bridge import lstm_params_from_torch
from lstm_course.train import (
    OPTIMISERS,
    PRESETS,
    RECIPES,
    SinCosLSTM,
    TrainConfig,
    count_parameters,
    evaluate,
    load_model,
    new_model,
    predict,
    recipe_config,
    save_model,
    train,
)

SHORT = {"max_epochs": 30}


@pytest.fixture(scope="module")
def fast_result():
    """The fast recipe run to the article's target once (about 100 epochs, well under 1 s)."""
    return train(recipe_config("fast"))


# --- the model -----------------------------------------------------------------------------


def test_the_article_model_has_1233_parameters():
    model = SinCosLSTM()
    assert count_parameters(model) == 1233
    assert (model.lstm.input_size, model.lstm.hidden_size, model.lstm.batch_first) == (1, 16, False)
    assert (model.linear.in_features, model.linear.out_features) == (16, 1)


def test_the_model_maps_seq_len_batch_1_to_the_same_shape():
    x = torch.zeros(20, 5, 1)
    assert SinCosLSTM()(x).shape == (20, 5, 1)


def test_the_model_rejects_a_series_without_the_feature_axis():
    with pytest.raises(ValueError, match=r"x has shape \(20, 5\); expected \(seq_len, batch, 1\)"):
        SinCosLSTM()(torch.zeros(20, 5))


def test_the_model_is_the_course_numpy_lstm_then_a_linear_read_out():
    """One sequence through nn.LSTM equals lstm_unroll with the bridged parameters."""
    model = new_model(16, seed=3).double()
    xs = np.sin(np.linspace(0, 3, 20))[:, np.newaxis]  # one sequence (T, D) = (20, 1)
    with torch.no_grad():
        y_torch = model(torch.from_numpy(xs)[:, np.newaxis, :])[:, 0, 0].numpy()
    steps = lstm_unroll(xs, lstm_params_from_torch(model.lstm))
    W = model.linear.weight.detach().numpy()
    b = model.linear.bias.detach().numpy()
    np.testing.assert_allclose(steps.h_t @ W.T[:, 0] + b[0], y_torch, atol=1e-12)


def test_new_model_same_seed_same_weights_and_global_rng_untouched():
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    a, b, c = new_model(16, 0), new_model(16, 0), new_model(16, 1)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb)
    assert not torch.equal(a.lstm.weight_hh_l0, c.lstm.weight_hh_l0)
    torch.testing.assert_close(torch.rand(3), expected_next)


# --- configuration -------------------------------------------------------------------------


def test_article_preset_is_the_article():
    config = PRESETS["article"]
    assert (config.hidden_size, config.lr, config.max_epochs, config.target_loss) == (
        16,
        1e-2,
        10_000,
        1e-4,
    )
    assert (config.layout, config.threads, config.optimiser) == ("article", None, "adam")
    adam = OPTIMISERS["adam"]
    assert adam.betas == (0.9, 0.999) and adam.finish_below is None and not adam.fused
    assert RECIPES["article"] == TrainConfig()  # the defaults are the article's
    assert PRESETS is RECIPES  # one idea, one name; the old name still works


def test_the_fast_recipe_keeps_the_experiment_and_changes_only_how_it_trains():
    """Same data, model size, layout, target and epoch budget; lr, threads, optimiser differ."""
    article, fast = PRESETS["article"], PRESETS["fast"]
    for field in ("hidden_size", "max_epochs", "target_loss", "seed", "layout"):
        assert getattr(fast, field) == getattr(article, field), field
    assert (fast.lr, fast.threads, fast.optimiser) == (0.1, 1, "adam, then L-BFGS")
    assert OPTIMISERS[fast.optimiser].finish_below == 3e-3


def test_recipe_config_overrides_fields():
    config = recipe_config("fast", seed=4, layout="sequence")
    assert (config.seed, config.layout, config.threads) == (4, "sequence", 1)
    assert config.optimiser == "adam, then L-BFGS"
    with pytest.raises(ValueError, match="recipe must be one of"):
        recipe_config("slow")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hidden_size", 0),
        ("lr", 0.0),
        ("lr", float("nan")),
        ("max_epochs", 0),
        ("target_loss", -1.0),
        ("layout", "batch_first"),
        ("threads", 0),
        ("optimiser", "sgd"),
    ],
)
def test_bad_config_fields_raise_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        TrainConfig(**{field: value})


# --- training ------------------------------------------------------------------------------


@pytest.mark.training
def test_training_is_deterministic_and_prints_nothing(capsys):
    config = recipe_config("article", threads=1, **SHORT)
    first, second = train(config), train(config)
    assert first.losses == second.losses
    assert first.epochs == 30 and not first.reached_target and not first.stopped
    assert capsys.readouterr() == ("", "")


@pytest.mark.training
def test_the_article_recipe_lowers_the_loss():
    result = train(recipe_config("article", threads=1, max_epochs=60))
    assert result.losses[-1] < 0.5 * result.losses[0]


@pytest.mark.training
def test_the_fast_recipe_reaches_the_articles_target(fast_result):
    assert fast_result.reached_target
    assert fast_result.final_loss < 1e-4
    assert fast_result.epochs < 400  # the article's recipe needs 1,153-1,902
    metrics = evaluate(fast_result.model, "article")
    assert metrics.train_mse == pytest.approx(fast_result.final_loss, rel=1e-5)  # no step after
    assert metrics.test_mse < 1e-3


@pytest.mark.training
def test_seq_len_one_cannot_learn_cos_from_sin():
    """Erratum 6: with no past the LSTM is a feed-forward map of sin t; test MSE stays ≈ 0.5."""
    result = train(recipe_config("fast", layout="one_step", max_epochs=150))
    assert not result.reached_target
    metrics = evaluate(result.model, "one_step")
    assert metrics.train_mse > 0.2 and metrics.test_mse > 0.2


@pytest.mark.training
def test_on_epoch_sees_every_epoch_and_can_stop():
    seen = []

    def on_epoch(report):
        seen.append(report)
        return report.epoch == 7

    result = train(recipe_config("article", threads=1, **SHORT), on_epoch=on_epoch)
    assert [r.epoch for r in seen] == list(range(1, 8))
    assert [r.loss for r in seen] == result.losses
    assert seen[0].max_epochs == 30
    assert result.stopped and result.epochs == 7 and not result.reached_target


@pytest.mark.training
def test_on_epoch_also_sees_the_l_bfgs_epochs():
    seen = []
    result = train(recipe_config("fast"), on_epoch=lambda report: seen.append(report.epoch))
    assert seen == list(range(1, result.epochs + 1))


@pytest.mark.training
def test_threads_apply_during_training_only():
    before = torch.get_num_threads()
    during = []
    train(
        recipe_config("article", threads=1, max_epochs=2),
        on_epoch=lambda report: during.append(torch.get_num_threads()),
    )
    assert during == [1, 1]
    assert torch.get_num_threads() == before


@pytest.mark.training
def test_training_on_other_data_uses_its_training_half():
    data = sin_cos_data(phase=1.0)
    result = train(recipe_config("article", threads=1, max_epochs=1), data=data)
    model = new_model(16, 0)
    with torch.no_grad():
        x = torch.from_numpy(data.train[1].reshape(-1, 5, 1))
        y = torch.from_numpy(data.train[2].reshape(-1, 5, 1))
        expected = torch.nn.functional.mse_loss(model(x), y).item()
    assert result.losses[0] == pytest.approx(expected)


# --- prediction, metrics, save and load -----------------------------------------------------


@pytest.mark.training
def test_predict_is_the_articles_reshape_then_view(fast_result):
    x = sin_cos_data().test[1]
    with torch.no_grad():
        expected = fast_result.model(torch.from_numpy(x.reshape(-1, 5, 1))).view(-1).numpy()
    np.testing.assert_array_equal(predict(fast_result.model, x, "article"), expected)


@pytest.mark.training
def test_evaluate_computes_mse_and_mae(fast_result):
    data = sin_cos_data()
    error = predict(fast_result.model, data.test[1], "article") - data.test[2]
    metrics = evaluate(fast_result.model, "article", data)
    assert metrics.test_mse == pytest.approx(np.mean(error**2))
    assert metrics.test_mae == pytest.approx(np.mean(np.abs(error)))
    assert metrics.test_mae > metrics.test_mse  # errors below 1: squaring shrinks them


@pytest.mark.training
def test_save_and_load_give_the_same_predictions(tmp_path, fast_result):
    path = save_model(fast_result.model, tmp_path / "model.pt")
    loaded = load_model(path)
    x = sin_cos_data().x
    np.testing.assert_array_equal(
        predict(loaded, x[:100], "article"), predict(fast_result.model, x[:100], "article")
    )
    assert not loaded.training


def test_load_reads_the_hidden_size_from_the_weights(tmp_path):
    path = save_model(new_model(8, 0), tmp_path / "small.pt")
    assert load_model(path).lstm.hidden_size == 8


def test_load_refuses_what_is_not_a_model_state_dict(tmp_path):
    path = tmp_path / "other.pt"
    torch.save({"weight": torch.zeros(3)}, path)
    with pytest.raises(ValueError, match="not a SinCosLSTM state_dict"):
        load_model(path)


def test_load_runs_no_code_weights_only(tmp_path):
    path = tmp_path / "pickle.pt"
    torch.save({"lstm.weight_hh_l0": torch.zeros(4, 1), "extra": print}, path)
    with pytest.raises(Exception, match="[Ww]eights only"):
        load_model(path)
