"""Widgets for notebook 10: the layout explorer and the training widget.

Wiring only: ``lstm_course.data`` cuts the series, ``lstm_course.train`` trains and predicts,
``lstm_course.plots.sin_cos`` draws.

- ``layout_explorer()`` (a registered Playground): reshape(-1, B, 1) against B contiguous
  blocks, for any B that divides the 100 training points; the picture colours the points by
  the sequence they land in and rings the zero-state starts.
- ``TrainingWidget``: a recipe (article, fast or custom), hidden size, lr, layout, epochs,
  optimiser, seed, a Train and a Stop button, a live loss curve and a progress bar, the
  prediction plot redrawn at the end. Choosing the recipe **article** sets every control to
  the article's configuration and trains exactly that (``RECIPES["article"]``, PyTorch's
  default threads); moving a control away from it makes the recipe "custom". Training runs
  in a background thread when the button is clicked in a notebook (so Stop is heard while it
  runs); ``TrainingWidget.train()`` runs it in the caller's thread, for static cells and tests.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import replace

import ipywidgets as widgets
from matplotlib.figure import Figure

from lstm_course.data import LAYOUTS, Layout, SinCosData, sin_cos_data
from lstm_course.i18n import N_, _
from lstm_course.plots.sin_cos import draw_layout, draw_loss, draw_predictions
from lstm_course.train import (
    OPTIMISERS,
    RECIPES,
    EpochReport,
    TrainConfig,
    TrainResult,
    evaluate,
    new_model,
    predict,
    train,
)
from lstm_course.widgets.playground import LiveFigure, Playground, register

TRAIN_POINTS = 100
SEQUENCE_COUNTS = [b for b in range(1, TRAIN_POINTS + 1) if TRAIN_POINTS % b == 0]
ARRANGEMENT_LABELS = {
    N_("strided: reshape(-1, B, 1)"): "strided",
    N_("contiguous: B blocks"): "contiguous",
}
REDRAW_SECONDS = 0.25  # the live figure is redrawn at most this often while training
WIDGET_THREADS = 1  # a custom configuration trains on one thread: the fast choice here
CUSTOM = "custom"  # the recipe control's value when the controls match no recipe
CUSTOM_LABEL = N_("custom")  # what the recipe control shows for it (the value stays "custom")
OPTIMISER_LABELS = {"adam, then L-BFGS": N_("adam, then L-BFGS")}
"""What the optimiser control shows for an optimiser's name (the value stays the name)."""
RECIPE_FIELDS = ("hidden_size", "lr", "layout", "max_epochs", "optimiser")
"""The controls a recipe sets (the seed stays the student's)."""


def _layout_name(layout: Layout) -> str:
    """The name in LAYOUTS that cuts 100 points the same way, or ""."""
    index = layout.indices(TRAIN_POINTS)
    for name, named in LAYOUTS.items():
        if (
            named.indices(TRAIN_POINTS).shape == index.shape
            and (named.indices(TRAIN_POINTS) == index).all()
        ):
            return name
    return ""


@register
def layout_explorer() -> Playground:
    """Which training points each of nn.LSTM's sequences sees, for reshape(-1, B, 1) or blocks.

    The article's reshape(-1, 5, 1) is "strided" with B = 5: 5 sequences of 20 steps, each
    visiting every 5th point (Δt ≈ 0.95), each starting from h_0 = C_0 = 0.
    """
    data = sin_cos_data()
    controls = {
        "arrangement": widgets.ToggleButtons(
            options=[(_(label), value) for label, value in ARRANGEMENT_LABELS.items()],
            value="strided",
            description=_("cut"),
        ),
        "n_sequences": widgets.SelectionSlider(
            options=SEQUENCE_COUNTS, value=5, description="B", continuous_update=False
        ),
    }
    figure = Figure(figsize=(8, 3.4), layout="constrained")
    plot = draw_layout(figure.subplots(), data, LAYOUTS["article"])
    dt = float(data.t[1] - data.t[0])

    def update(values: dict) -> str:
        layout = Layout(values["arrangement"], values["n_sequences"])
        plot.update(layout)
        index = layout.indices(TRAIN_POINTS)
        seq_len, batch = index.shape
        step = int(index[1, 0] - index[0, 0]) if seq_len > 1 else 0
        name = _layout_name(layout)
        named = _(" — the course's <code>{name}</code> layout").format(name=name) if name else ""
        first = ", ".join(str(i) for i in index[:4, 0])
        return f"<code>{html.escape(layout.describe(TRAIN_POINTS))}</code>{named}<br>" + _(
            "sequence 0 visits t-indices {first}, …: Δt = {step} × {dt:.3f} = {span:.3f}; "
            "{batch} zero-state start(s) out of {points} points"
        ).format(first=first, step=step, dt=dt, span=step * dt, batch=batch, points=TRAIN_POINTS)

    return Playground(controls, update, figure, title=_("Layout explorer: what nn.LSTM sees"))


class TrainingWidget:
    """Train the article's model from the notebook, watch the loss, stop it, see the result.

    ``controls``: name -> control for recipe, hidden_size, lr, layout, max_epochs,
    optimiser, seed. Choosing a recipe sets the others to it; ``config()`` is then exactly
    that recipe (its threads too) with the chosen seed. Any other combination is "custom"
    and trains on one thread. ``train()`` trains in the calling thread and returns the
    ``TrainResult``; the Train button does the same in a background thread when
    ``background`` is True (the notebook default), so that Stop can be clicked meanwhile.
    """

    def __init__(
        self,
        config: TrainConfig | None = None,
        data: SinCosData | None = None,
        background: bool = True,
    ) -> None:
        config = RECIPES["fast"] if config is None else config
        self.data = sin_cos_data() if data is None else data
        self.background = background
        self.target_loss = config.target_loss
        self.controls: dict[str, widgets.ValueWidget] = {
            "hidden_size": widgets.IntSlider(
                value=config.hidden_size, min=1, max=64, description=_("hidden H")
            ),
            "lr": widgets.FloatLogSlider(value=config.lr, base=10, min=-4, max=0, description="lr"),
            "layout": widgets.Dropdown(
                options=sorted(LAYOUTS), value=config.layout, description=_("layout")
            ),
            "max_epochs": widgets.IntSlider(
                value=config.max_epochs, min=10, max=10_000, step=10, description=_("epochs")
            ),
            "optimiser": widgets.Dropdown(
                options=[(_(OPTIMISER_LABELS.get(name, name)), name) for name in OPTIMISERS],
                value=config.optimiser,
                description=_("optimiser"),
            ),
            "seed": widgets.BoundedIntText(
                value=config.seed, min=0, max=10_000, description=_("seed")
            ),
            "recipe": widgets.ToggleButtons(
                options=[*((name, name) for name in RECIPES), (_(CUSTOM_LABEL), CUSTOM)],
                value=self._recipe_of(config),
                description=_("recipe"),
            ),
        }
        self._applying = False
        self.controls["recipe"].observe(self._apply_recipe, names="value")
        for name in RECIPE_FIELDS:
            self.controls[name].observe(self._recognise_recipe, names="value")
        self.train_button = widgets.Button(
            description=_("Train"), button_style="success", icon="play"
        )
        self.stop_button = widgets.Button(
            description=_("Stop"), button_style="danger", icon="stop", disabled=True
        )
        self.progress = widgets.IntProgress(
            value=0, min=0, max=config.max_epochs, description=_("epoch {n}").format(n=0)
        )
        self.status = widgets.HTML(_("Press Train."))
        self.train_button.on_click(lambda _button: self.start())
        self.stop_button.on_click(lambda _button: self.stop())
        self.result: TrainResult | None = None
        self.thread: threading.Thread | None = None
        self._stop = threading.Event()

        # Two figures: the small loss figure is redrawn while training, the other at the end.
        loss_figure = Figure(figsize=(4.2, 3.2))
        loss_figure.subplots_adjust(left=0.2, right=0.96, bottom=0.16, top=0.96)
        self.loss_plot = draw_loss(loss_figure.subplots(), [], config.target_loss)
        prediction_figure = Figure(figsize=(7.2, 3.2), layout="constrained")
        untrained = new_model(config.hidden_size, config.seed)
        self.prediction_plot = draw_predictions(
            prediction_figure.subplots(),
            self.data,
            predict(untrained, self.data.train[1], config.layout),
            predict(untrained, self.data.test[1], config.layout),
        )
        self.loss_live = LiveFigure(loss_figure)
        self.prediction_live = LiveFigure(prediction_figure)
        self.loss_live.refresh()
        self.prediction_live.refresh()
        self.view = widgets.VBox(
            [
                widgets.HBox(
                    [
                        widgets.VBox([self.controls[n] for n in ("recipe", "hidden_size", "lr")]),
                        widgets.VBox(
                            [self.controls[n] for n in ("layout", "max_epochs", "optimiser")]
                        ),
                        self.controls["seed"],
                    ]
                ),
                widgets.HBox([self.train_button, self.stop_button, self.progress]),
                self.status,
                widgets.HBox([self.loss_live.image, self.prediction_live.image]),
            ]
        )

    @staticmethod
    def _recipe_of(config: TrainConfig) -> str:
        """The name of the recipe whose fields ``config`` has (seed aside), or "custom"."""
        for name, recipe in RECIPES.items():
            if all(getattr(config, f) == getattr(recipe, f) for f in RECIPE_FIELDS):
                return name
        return CUSTOM

    def _apply_recipe(self, change: dict) -> None:
        """The recipe control chose a recipe: every control it covers takes its value."""
        if change["new"] == CUSTOM or self._applying:
            return
        recipe = RECIPES[change["new"]]
        self._applying = True  # the controls move together: no "custom" half-way
        try:
            for name in RECIPE_FIELDS:
                self.controls[name].value = getattr(recipe, name)
        finally:
            self._applying = False

    def _recognise_recipe(self, _change: dict | None = None) -> None:
        """A control moved: the recipe control names the recipe the controls now match."""
        if self._applying:
            return
        values = {name: self.controls[name].value for name in RECIPE_FIELDS}
        self.controls["recipe"].value = self._recipe_of(TrainConfig(**values))

    def config(self) -> TrainConfig:
        """The training configuration the controls describe.

        A named recipe exactly (its threads included) with the chosen seed; otherwise the
        controls' values on one thread. The target loss is the widget's.
        """
        recipe, seed = self.controls["recipe"].value, self.controls["seed"].value
        if recipe != CUSTOM:
            return replace(RECIPES[recipe], seed=seed, target_loss=self.target_loss)
        values = {name: self.controls[name].value for name in RECIPE_FIELDS}
        return TrainConfig(
            threads=WIDGET_THREADS, target_loss=self.target_loss, seed=seed, **values
        )

    @property
    def running(self) -> bool:
        """True while a background training thread is alive."""
        return self.thread is not None and self.thread.is_alive()

    def start(self) -> None:
        """What the Train button does: train in a background thread, or here if not background."""
        if self.running:
            return
        self._stop.clear()  # before the thread starts, so a quick Stop is not forgotten
        if not self.background:
            self._train()
            return
        self.thread = threading.Thread(target=self._train, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """What the Stop button does: ask the running training to stop after this epoch."""
        self._stop.set()

    def train(self) -> TrainResult:
        """Train with the controls' values here and now; update the figures; return the result."""
        self._stop.clear()
        return self._train()

    def _train(self) -> TrainResult:
        config = self.config()
        self.train_button.disabled = True
        self.stop_button.disabled = False
        self.progress.max = config.max_epochs
        self.progress.value = 0
        self.status.value = _("training…")
        losses: list[float] = []
        last_draw = time.perf_counter()

        def on_epoch(report: EpochReport) -> bool:
            nonlocal last_draw
            losses.append(report.loss)
            if time.perf_counter() - last_draw > REDRAW_SECONDS:
                self._show_progress(report, losses)
                last_draw = time.perf_counter()
            return self._stop.is_set()

        try:
            result = train(config, self.data, on_epoch=on_epoch)
        finally:
            self.train_button.disabled = False
            self.stop_button.disabled = True
        self.result = result
        self._show_result(result)
        return result

    def _show_progress(self, report: EpochReport, losses: list[float]) -> None:
        self.progress.value = report.epoch
        self.progress.description = _("epoch {n}").format(n=report.epoch)
        self.loss_plot.update(losses)
        self.loss_live.refresh()

    def _show_result(self, result: TrainResult) -> None:
        layout = result.config.layout
        self.progress.value = result.epochs
        self.progress.description = _("epoch {n}").format(n=result.epochs)
        self.loss_plot.update(result.losses)
        self.prediction_plot.update(
            predict(result.model, self.data.train[1], layout),
            predict(result.model, self.data.test[1], layout),
        )
        self.loss_live.refresh()
        self.prediction_live.refresh()
        metrics = evaluate(result.model, layout, self.data)
        ending = (
            _("reached {target:g}").format(target=result.config.target_loss)
            if result.reached_target
            else _("stopped")
            if result.stopped
            else _("ran out of epochs")
        )
        self.status.value = _(
            "{ending} after {epochs} epochs (at most {max_epochs}) in {seconds:.2f} s; "
            "final loss {loss:.2e}; test MSE {mse:.2e}, MAE {mae:.2e}"
        ).format(
            ending=ending,
            epochs=result.epochs,
            max_epochs=result.config.max_epochs,
            seconds=result.seconds,
            loss=result.final_loss,
            mse=metrics.test_mse,
            mae=metrics.test_mae,
        )

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.view._repr_mimebundle_(**kwargs)
