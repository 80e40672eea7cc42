"""lstm_course.widgets.training: the layout explorer and the training widget respond.

The training widget is driven synchronously (``background=False``, or ``train()``), except
in the Stop test, which runs it in its background thread as a notebook does.
"""

import threading
from dataclasses import replace

import pytest

from lstm_course.train import RECIPES, recipe_config
from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.training import TrainingWidget, layout_explorer


def test_layout_explorer_is_registered():
    assert "lstm_course.widgets.training.layout_explorer" in all_playgrounds()


def test_layout_explorer_starts_on_the_article_layout():
    playground = layout_explorer()
    assert "(20, 5, 1)" in playground.readout.value
    assert "<code>article</code>" in playground.readout.value
    assert "Δt = 5 × 0.189 = 0.947" in playground.readout.value


def test_layout_explorer_controls_change_readout_and_picture():
    playground = layout_explorer()
    image, readout = playground.live.image.value, playground.readout.value
    playground.controls["arrangement"].value = "contiguous"
    assert "<code>chunks</code>" in playground.readout.value
    assert "Δt = 1 × 0.189" in playground.readout.value
    assert playground.live.image.value != image
    playground.controls["n_sequences"].value = 100
    assert "(1, 100, 1)" in playground.readout.value
    assert "<code>one_step</code>" in playground.readout.value
    assert "100 zero-state start(s)" in playground.readout.value
    playground.controls["n_sequences"].value = 2
    assert "course's" not in playground.readout.value  # no named layout cuts it this way
    assert playground.readout.value != readout


@pytest.fixture
def widget():
    return TrainingWidget(recipe_config("fast", max_epochs=400), background=False)


@pytest.mark.training
def test_train_button_trains_and_redraws(widget):
    loss_image = widget.loss_live.image.value
    prediction_image = widget.prediction_live.image.value
    widget.train_button.click()
    result = widget.result
    assert result is not None and result.reached_target
    assert widget.progress.value == result.epochs
    assert f"reached 0.0001 after {result.epochs} epochs" in widget.status.value
    assert widget.loss_live.image.value != loss_image
    assert widget.prediction_live.image.value != prediction_image
    assert not widget.train_button.disabled and widget.stop_button.disabled


@pytest.mark.training
def test_the_epochs_slider_shows_even_when_training_stops_before_it(widget):
    """A run that reaches its target early is the same run whatever the epoch limit: the status
    names the limit, so moving the slider and training again shows the move."""
    widget.train_button.click()
    first = widget.status.value
    widget.controls["max_epochs"].value = 390
    widget.train_button.click()
    assert widget.result.epochs < 390 and widget.result.reached_target
    assert "(at most 400)" in first and "(at most 390)" in widget.status.value


@pytest.mark.training
def test_controls_drive_the_configuration(widget):
    widget.controls["hidden_size"].value = 8
    widget.controls["layout"].value = "sequence"
    widget.controls["max_epochs"].value = 20
    widget.controls["seed"].value = 5
    widget.controls["optimiser"].value = "adam"
    config = widget.config()
    assert (config.hidden_size, config.layout, config.max_epochs, config.seed) == (
        8,
        "sequence",
        20,
        5,
    )
    assert widget.controls["recipe"].value == "custom"
    assert (config.optimiser, config.threads) == ("adam", 1)
    result = widget.train()
    assert result.model.lstm.hidden_size == 8
    assert result.epochs == 20 and "ran out of epochs after 20 epochs" in widget.status.value


@pytest.mark.training
def test_stop_during_a_synchronous_run(widget):
    """Stop clicked from a progress update (the first one comes after ~0.25 s)."""
    widget.controls["recipe"].value = "article"
    widget.controls["lr"].value = 1e-3  # slow enough never to reach 1e-4 in 5000 epochs
    widget.controls["max_epochs"].value = 5000
    widget.progress.observe(lambda change: widget.stop_button.click(), names="value")
    result = widget.train()
    assert result.stopped and result.epochs < 5000
    assert "stopped after" in widget.status.value


@pytest.mark.training
def test_stop_button_stops_background_training():
    widget = TrainingWidget(recipe_config("article", max_epochs=5000))
    started = threading.Event()
    widget.progress.observe(lambda change: started.set(), names="value")
    widget.train_button.click()
    assert widget.running
    assert started.wait(timeout=30)
    widget.stop_button.click()
    widget.thread.join(timeout=30)
    assert not widget.running
    assert widget.result.stopped and widget.result.epochs < 5000
    assert "stopped after" in widget.status.value


@pytest.mark.training
def test_a_second_click_while_running_is_ignored():
    widget = TrainingWidget(recipe_config("article", max_epochs=5000))
    widget.train_button.click()
    first = widget.thread
    widget.train_button.click()
    assert widget.thread is first
    widget.stop()
    first.join(timeout=30)
    assert widget.result.stopped


def test_both_figures_are_drawn_before_training():
    widget = TrainingWidget(background=False)
    assert bytes(widget.loss_live.image.value).startswith(b"\x89PNG")
    assert bytes(widget.prediction_live.image.value).startswith(b"\x89PNG")


def test_the_article_recipe_runs_exactly_the_article_s_configuration(widget):
    """A control that says "article" trains the article's set-up: every field, threads too."""
    widget.controls["seed"].value = 3
    widget.controls["recipe"].value = "article"
    assert widget.config() == replace(RECIPES["article"], seed=3, target_loss=widget.target_loss)
    assert widget.config().threads is None  # PyTorch's default, as the article ran
    for name in ("hidden_size", "lr", "layout", "max_epochs", "optimiser"):
        assert widget.controls[name].value == getattr(RECIPES["article"], name), name
    widget.controls["lr"].value = 0.05  # no longer the article's set-up ...
    assert widget.controls["recipe"].value == "custom"
    assert widget.config().lr == 0.05 and widget.config().threads == 1
    widget.controls["lr"].value = RECIPES["article"].lr  # ... and the article's again
    assert widget.controls["recipe"].value == "article"
    widget.controls["recipe"].value = "fast"
    assert widget.config() == replace(RECIPES["fast"], seed=3, target_loss=widget.target_loss)


def test_the_default_widget_is_the_fast_recipe():
    assert TrainingWidget(background=False).controls["recipe"].value == "fast"
