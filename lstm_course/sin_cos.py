"""The article's §4 experiment from the command line: ``python -m lstm_course.sin_cos``.

    python -m lstm_course.sin_cos                      # the article as written
    python -m lstm_course.sin_cos --recipe fast        # the course's fast recipe
    python -m lstm_course.sin_cos --layout one_step    # seq_len = 1: watch it fail
    python -m lstm_course.sin_cos --plot pred.png --save model.pt

Prints progress (every 100 epochs, as the article does), the epochs used, the final train
loss, train and test MSE and MAE, and the wall time. The same options and seed give the same
numbers (the wall time aside).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lstm_course.data import LAYOUTS, SinCosData, sin_cos_data
from lstm_course.train import (
    RECIPES,
    EpochReport,
    SinCosLSTM,
    TrainConfig,
    count_parameters,
    evaluate,
    predict,
    recipe_config,
    save_model,
    train,
)

PROGRESS_EVERY = 100  # epochs between progress lines, as in the article's log


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number ≥ ``minimum``, or a usage error that says why."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be ≥ {minimum}, got {value}")
        return value

    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line's options; unset ones take the chosen recipe's values."""
    article = RECIPES["article"]
    parser = argparse.ArgumentParser(
        prog="python -m lstm_course.sin_cos",
        description=(
            "Train the article's LSTM(1, 16) + Linear(16, 1) to predict cos t from sin t "
            "(200 points over [0, 12π], first half trains) and report train/test errors."
        ),
    )
    parser.add_argument(
        "--recipe",
        choices=sorted(RECIPES),
        default="article",
        help="article: Adam lr 1e-2, default threads (as written); fast: 1 thread, lr 0.1, "
        "Adam betas (0.8, 0.99), then L-BFGS below 3e-3 (default: %(default)s)",
    )
    parser.add_argument(
        "--hidden-size", type=_whole_number(1), help=f"H (article: {article.hidden_size})"
    )
    parser.add_argument(
        "--lr", type=_positive_float, help=f"Adam's learning rate (article: {article.lr:g})"
    )
    parser.add_argument(
        "--max-epochs", type=_whole_number(1), help=f"(article: {article.max_epochs})"
    )
    parser.add_argument(
        "--target-loss",
        type=_positive_float,
        help=f"stop below this MSE (article: {article.target_loss:g})",
    )
    parser.add_argument(
        "--seed", type=_whole_number(0), help="seed of the initial weights (default: 0)"
    )
    parser.add_argument(
        "--layout",
        choices=sorted(LAYOUTS),
        help="how the series becomes sequences (article: article)",
    )
    parser.add_argument(
        "--threads", type=_whole_number(1), help="torch threads (article: PyTorch's default)"
    )
    parser.add_argument(
        "--plot", type=Path, metavar="PATH", help="write the train/test figure as PNG"
    )
    parser.add_argument("--save", type=Path, metavar="PATH", help="write the trained state_dict")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The recipe's preset with every option given on the command line replacing its field."""
    fields = ("hidden_size", "lr", "max_epochs", "target_loss", "seed", "layout", "threads")
    overrides = {name: getattr(args, name) for name in fields if getattr(args, name) is not None}
    return recipe_config(args.recipe, **overrides)


def _check_output_path(parser: argparse.ArgumentParser, option: str, path: Path | None) -> None:
    if path is not None and not path.parent.is_dir():
        parser.error(f"{option}: directory {str(path.parent)!r} does not exist")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the experiment and print its report; returns the exit status (0).

    Not reaching the target loss is a result, not an error (``--layout one_step`` never
    does); bad options exit with argparse's usage message and status 2.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_output_path(parser, "--plot", args.plot)
    _check_output_path(parser, "--save", args.save)
    config = config_from_args(args)
    data = sin_cos_data()

    def show_progress(report: EpochReport) -> None:
        if report.epoch % PROGRESS_EVERY == 0:
            print(f"Epoch [{report.epoch}/{report.max_epochs}], loss {report.loss:.5f}", flush=True)

    threads = "default" if config.threads is None else config.threads
    print(
        f"recipe {args.recipe}: hidden {config.hidden_size}, lr {config.lr:g}, "
        f"layout {config.layout}, threads {threads}, seed {config.seed}, "
        f"target loss {config.target_loss:g}"
    )
    result = train(config, data, on_epoch=None if args.quiet else show_progress)
    metrics = evaluate(result.model, config.layout, data)
    print(f"model: {count_parameters(result.model):,} parameters")
    print(f"epochs used: {result.epochs} of {config.max_epochs}")
    print(f"reached {config.target_loss:g}: {result.reached_target}")
    print(f"final train loss: {result.final_loss:.3e}")
    print(f"train MSE {metrics.train_mse:.3e}  MAE {metrics.train_mae:.3e}")
    print(f"test  MSE {metrics.test_mse:.3e}  MAE {metrics.test_mae:.3e}")
    print(f"wall time: {result.seconds:.2f} s")
    if args.save is not None:
        print(f"saved state_dict to {save_model(result.model, args.save)}")
    if args.plot is not None:
        _write_plot(args.plot, data, result.model, config.layout)
        print(f"wrote figure to {args.plot}")
    return 0


def _write_plot(path: Path, data: SinCosData, model: SinCosLSTM, layout: str) -> None:
    """The article's train/test figure, as a PNG file (matplotlib is imported only here)."""
    from matplotlib.figure import Figure

    from lstm_course.plots.sin_cos import draw_predictions

    figure = Figure(figsize=(10, 5))
    draw_predictions(
        figure.add_subplot(),
        data,
        predict(model, data.train[1], layout),
        predict(model, data.test[1], layout),
    )
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=100)


if __name__ == "__main__":
    sys.exit(main())
