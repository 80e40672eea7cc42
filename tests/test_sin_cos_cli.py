"""lstm_course.sin_cos: the command line runs the experiment, reports it, and refuses bad options.

Runs are short (--max-epochs) or the fast recipe (about 100 epochs).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_course.sin_cos import build_parser, config_from_args, main
from lstm_course.train import load_model

REPO = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    status = main(list(argv))
    return status, capsys.readouterr()


def test_help_through_python_dash_m():
    completed = subprocess.run(
        [sys.executable, "-m", "lstm_course.sin_cos", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0
    for option in ("--recipe", "--plot", "--save", "--layout", "--threads", "--seed"):
        assert option in completed.stdout


@pytest.mark.training
def test_short_run_reports_everything(capsys):
    status, out = run(capsys, "--max-epochs", "20", "--threads", "1")
    assert status == 0
    text = out.out
    assert "recipe article: hidden 16, lr 0.01, layout article, threads 1, seed 0" in text
    assert "model: 1,233 parameters" in text
    assert "epochs used: 20 of 20" in text
    assert "reached 0.0001: False" in text
    assert re.search(r"final train loss: \d\.\d{3}e[-+]\d\d", text)
    assert re.search(r"train MSE \S+  MAE \S+", text)
    assert re.search(r"test  MSE \S+  MAE \S+", text)
    assert re.search(r"wall time: \d+\.\d\d s", text)


@pytest.mark.training
def test_fast_recipe_reaches_the_target(capsys):
    status, out = run(capsys, "--recipe", "fast", "--quiet")
    assert status == 0
    assert "recipe fast: hidden 16, lr 0.1, layout article, threads 1" in out.out
    assert "reached 0.0001: True" in out.out
    epochs = int(re.search(r"epochs used: (\d+)", out.out).group(1))
    assert epochs < 400


@pytest.mark.training
def test_progress_every_100_epochs_like_the_article(capsys):
    _, out = run(capsys, "--recipe", "fast", "--max-epochs", "200", "--target-loss", "1e-9")
    assert "Epoch [100/200], loss" in out.out
    assert "Epoch [200/200], loss" in out.out
    _, quiet = run(capsys, "--recipe", "fast", "--max-epochs", "200", "--quiet")
    assert "Epoch [" not in quiet.out


@pytest.mark.training
def test_same_seed_same_numbers(capsys):
    def numbers(seed):
        _, out = run(capsys, "--recipe", "fast", "--max-epochs", "40", "--seed", seed)
        return [line for line in out.out.splitlines() if not line.startswith("wall time")]

    assert numbers("3") == numbers("3")
    assert numbers("3") != numbers("4")


def test_options_override_the_recipe():
    args = build_parser().parse_args(
        ["--recipe", "fast", "--lr", "0.02", "--layout", "sequence", "--hidden-size", "8"]
    )
    config = config_from_args(args)
    assert (config.lr, config.layout, config.hidden_size, config.threads) == (
        0.02,
        "sequence",
        8,
        1,
    )
    assert config_from_args(build_parser().parse_args([])).threads is None  # the article's


@pytest.mark.training
def test_plot_and_save_write_files(tmp_path, capsys):
    plot, model = tmp_path / "pred.png", tmp_path / "model.pt"
    status, out = run(
        capsys, "--recipe", "fast", "--max-epochs", "20", "--plot", str(plot), "--save", str(model)
    )
    assert status == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert load_model(model).lstm.hidden_size == 16
    assert f"wrote figure to {plot}" in out.out and "saved state_dict to" in out.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lr", "-1"], "argument --lr: must be a positive finite number, got -1"),
        (["--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["--max-epochs", "0"], "argument --max-epochs: must be ≥ 1, got 0"),
        (["--hidden-size", "2.5"], "argument --hidden-size: expected a whole number"),
        (["--seed", "-3"], "argument --seed: must be ≥ 0"),
        (["--threads", "0"], "argument --threads: must be ≥ 1"),
        (["--layout", "batch_first"], "argument --layout: invalid choice: 'batch_first'"),
        (["--recipe", "slow"], "argument --recipe: invalid choice: 'slow'"),
        (["--plot", "/no/such/dir/p.png"], "--plot: directory '/no/such/dir' does not exist"),
        (["--save", "/no/such/dir/m.pt"], "--save: directory '/no/such/dir' does not exist"),
        (["--epochs", "5"], "unrecognized arguments: --epochs 5"),
    ],
)
def test_bad_options_exit_with_a_usage_message(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: python -m lstm_course.sin_cos" in err
    assert message in err
    assert "Traceback" not in err
