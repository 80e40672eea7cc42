"""python -m lstm_course.poems: train, sample and evaluate; bad options get argparse's error."""

import subprocess
import sys

import pytest

from lstm_course.poems.__main__ import build_parser, format_poem, main
from lstm_course.poems.corpus import line_in_form, split_lines


def test_sample_is_the_same_for_the_same_seed_and_keeps_a_start(capsys):
    assert main(["sample", "--start", "春风", "--seed", "3", "--temperature", "0.7"]) == 0
    first = capsys.readouterr().out
    main(["sample", "--start", "春风", "--seed", "3", "--temperature", "0.7"])
    assert capsys.readouterr().out == first and first.startswith("春风")


@pytest.mark.parametrize("length", ["5", "7"])
def test_sample_acrostic_keeps_the_form(capsys, length):
    assert main(["sample", "--acrostic", "春夏秋冬", "--line-length", length, "--seed", "1"]) == 0
    lines = split_lines(capsys.readouterr().out.replace("\n", ""))
    assert [body[0] for body, _ in lines] == list("春夏秋冬")
    assert all(line_in_form(body, mark, k) for k, (body, mark) in enumerate(lines))
    assert all(len(body) == int(length) for body, _ in lines)


def test_evaluate_prints_three_held_out_perplexities_and_the_form(capsys):
    assert main(["evaluate", "--samples", "20"]) == 0
    out = capsys.readouterr().out.splitlines()
    for name in ("LSTM", "RNN", "bigram"):
        assert sum(line.startswith(name) and "held-out perplexity" in line for line in out) == 1
    assert sum("lines in form" in line for line in out) == 4  # the training poems + 3 models


def test_train_briefly_saves_a_loadable_model(tmp_path, capsys):
    path = tmp_path / "tiny.pt"
    args = ["train", "--epochs", "1", "--hidden-size", "8", "--embedding-size", "4"]
    assert main([*args, "--save", str(path), "--record", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "held-out perplexity" in out and path.is_file()
    assert (tmp_path / "poems.json").is_file()  # the record goes beside the saved model


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sample", "--temperature", "0"], "must be > 0"),
        (["sample", "--temperature", "hot"], "expected a number, got 'hot'"),
        (["sample", "--seed", "-1"], "must be ≥ 0"),
        (["sample", "--line-length", "6"], "invalid choice: 6"),
        (["sample", "--acrostic", "春，"], "heads must be characters of a line"),
        (["sample", "--model", "missing.pt"], "no such file: 'missing.pt'"),
        (["train", "--epochs", "0"], "must be ≥ 1"),
        (["train", "--cell", "gru"], "invalid choice: 'gru'"),
        (["train", "--dropout", "1"], "--dropout must be below 1"),
        (["train", "--save", "/no/such/dir/m.pt"], "does not exist"),
        (["evaluate", "--samples", "0"], "must be ≥ 1"),
        (["write"], "invalid choice: 'write'"),
        ([], "required: COMMAND"),
    ],
)
def test_bad_options_give_a_clear_argparse_error(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: python -m lstm_course.poems" in err and message in err


def test_the_module_runs_as_a_program():
    run = subprocess.run(
        [sys.executable, "-m", "lstm_course.poems", "sample", "--seed", "0", "--acrostic", "月"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.startswith("月") and run.stdout.strip().endswith("。")


def test_format_poem_puts_one_couplet_a_line():
    assert format_poem("白日依山尽，黄河入海流。欲穷") == "白日依山尽，黄河入海流。\n欲穷"
    assert build_parser().prog == "python -m lstm_course.poems"
