"""Notebook 12 from the command line: ``python -m lstm_course.poems train|sample|evaluate``.

    python -m lstm_course.poems train --save models/poems_lstm.pt      # the shipped LSTM
    python -m lstm_course.poems train --cell rnn --save models/poems_rnn.pt
    python -m lstm_course.poems sample --temperature 0.8 --start 春风 --seed 1
    python -m lstm_course.poems sample --acrostic 春夏秋冬 --seed 3
    python -m lstm_course.poems evaluate

``evaluate`` prints one ``held-out perplexity X`` line for each of the LSTM, the vanilla RNN of
the same size and the bigram baseline, then the form scores and the share of lines copied from
the training poems, for poems each model writes. Same options and seed, same text.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from lstm_course.poems.corpus import (
    LINE_LENGTHS,
    corpus_lines,
    corpus_vocabulary,
    form_score,
    load_corpus,
    verbatim_share,
)
from lstm_course.poems.models import Bigram, count_parameters, perplexity
from lstm_course.poems.sampling import acrostic, sample, sample_poems
from lstm_course.poems.shipped import SHIPPED, load_model, save_model, write_record
from lstm_course.poems.training import EpochReport, TrainConfig, train

DEFAULTS = TrainConfig()
BAR_WIDTH = 30


def _number(kind: type, minimum: float, strict: bool = False) -> Callable[[str], float]:
    """An argparse type: a ``kind`` (int or float) ≥ minimum (> if strict), or a usage error."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}") from None
        if not math.isfinite(value) or value < minimum or (strict and value == minimum):
            relation = ">" if strict else "≥"
            raise argparse.ArgumentTypeError(f"must be {relation} {minimum:g}, got {text}")
        return value

    return parse


def _existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lstm_course.poems",
        description="A character-level LSTM on the Three Hundred Tang Poems (notebook 12).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    t = commands.add_parser("train", help="train a model on the training poems")
    t.add_argument("--cell", choices=("lstm", "rnn"), default=DEFAULTS.cell)
    t.add_argument("--epochs", type=_number(int, 1), default=DEFAULTS.epochs)
    t.add_argument("--hidden-size", type=_number(int, 1), default=DEFAULTS.hidden_size, help="H")
    t.add_argument(
        "--embedding-size", type=_number(int, 1), default=DEFAULTS.embedding_size, help="D"
    )
    t.add_argument("--batch-size", type=_number(int, 1), default=DEFAULTS.batch_size)
    t.add_argument(
        "--bptt", type=_number(int, 1), default=DEFAULTS.bptt, help="steps of truncated BPTT"
    )
    t.add_argument("--lr", type=_number(float, 0, strict=True), default=DEFAULTS.lr)
    t.add_argument(
        "--clip",
        type=_number(float, 0, strict=True),
        default=DEFAULTS.clip,
        help="largest global gradient norm (default: %(default)s)",
    )
    t.add_argument("--dropout", type=_number(float, 0), default=DEFAULTS.dropout)
    t.add_argument("--seed", type=_number(int, 0), default=DEFAULTS.seed)
    t.add_argument("--threads", type=_number(int, 1), default=DEFAULTS.threads)
    t.add_argument("--save", type=Path, metavar="PATH", help="write the trained state_dict")
    t.add_argument("--record", action="store_true", help="also record settings in poems.json")
    t.add_argument("--quiet", action="store_true", help="no progress bar")

    s = commands.add_parser("sample", help="write a poem with a trained model")
    s.add_argument("--model", type=_existing_file, default=SHIPPED["lstm"], metavar="PATH")
    s.add_argument("--temperature", type=_number(float, 0, strict=True), default=0.8)
    s.add_argument("--start", default="", help="the poem's first characters")
    s.add_argument("--acrostic", metavar="HEADS", help="藏头诗: line k starts with HEADS[k]")
    s.add_argument("--line-length", type=int, choices=LINE_LENGTHS, default=5)
    s.add_argument("--seed", type=_number(int, 0), default=0)

    e = commands.add_parser("evaluate", help="held-out perplexities, form and copying")
    e.add_argument("--lstm", type=_existing_file, default=SHIPPED["lstm"], metavar="PATH")
    e.add_argument("--rnn", type=_existing_file, default=SHIPPED["rnn"], metavar="PATH")
    e.add_argument("--samples", type=_number(int, 1), default=200, help="poems per model")
    e.add_argument("--temperature", type=_number(float, 0, strict=True), default=1.0)
    e.add_argument("--seed", type=_number(int, 0), default=0)
    return parser


def progress_bar(report: EpochReport) -> str:
    done = round(BAR_WIDTH * report.epoch / report.epochs)
    return (
        f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] epoch {report.epoch}/{report.epochs}  "
        f"train loss {report.train_loss:.3f}  held-out perplexity "
        f"{math.exp(report.held_out_loss):.1f}"
    )


def run_train(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    config = TrainConfig(
        cell=args.cell,
        embedding_size=args.embedding_size,
        hidden_size=args.hidden_size,
        batch_size=args.batch_size,
        bptt=args.bptt,
        lr=args.lr,
        clip=args.clip,
        dropout=args.dropout,
        epochs=args.epochs,
        seed=args.seed,
        threads=args.threads,
    )
    corpus, vocab = load_corpus(), corpus_vocabulary()
    train_ids, held_out_ids = vocab.encode(corpus.train_text), vocab.encode(corpus.held_out_text)
    print(f"settings: {config.as_dict()}")

    def show(report: EpochReport) -> None:
        print(progress_bar(report), end="\n" if report.epoch == report.epochs else "", flush=True)

    load_before = _load_average()
    result = train(config, train_ids, held_out_ids, len(vocab), None if args.quiet else show)
    first, last = result.epochs[0], result.epochs[-1]
    ppl = perplexity(result.model, held_out_ids)
    print(f"train loss: epoch 1 {first.train_loss:.3f} -> epoch {last.epoch} {last.train_loss:.3f}")
    print(f"held-out perplexity {ppl:.1f}")
    print(f"model: {count_parameters(result.model):,} parameters")
    print(f"time: {result.seconds:.1f} s on {config.threads} thread(s)")
    if args.save is not None:
        path = save_model(result.model, args.save)
        print(f"saved state_dict to {path} ({path.stat().st_size / 1e6:.2f} MB)")
        if args.record:
            write_record(
                config.cell,
                {
                    "file": path.name,
                    "command": "python -m lstm_course.poems " + " ".join(sys.argv[1:]),
                    "settings": config.as_dict(),
                    "seconds": round(result.seconds, 1),
                    "load_average_before_and_after": [load_before, _load_average()],
                    "held_out_perplexity": round(ppl, 2),
                    "history": {
                        "train_loss": [round(r.train_loss, 4) for r in result.epochs],
                        "held_out_loss": [round(r.held_out_loss, 4) for r in result.epochs],
                    },
                    "updates": len(result.grad_norms),
                    "clipped_share": round(
                        float(np.mean(np.array(result.grad_norms) > config.clip)), 3
                    ),
                    "parameters": count_parameters(result.model),
                    "bytes": path.stat().st_size,
                    "torch": _torch_version(),
                    "date": time.strftime("%Y-%m-%d", time.gmtime()),
                },
                path.parent / "poems.json",
            )
    return 0


def run_sample(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    model, vocab = load_model(args.model), corpus_vocabulary()
    rng = np.random.default_rng(args.seed)
    try:
        if args.acrostic:
            poem = acrostic(model, vocab, args.acrostic, rng, args.temperature, args.line_length)
        else:
            poem = sample(model, vocab, rng, args.temperature, args.start)
    except ValueError as error:  # a character outside the corpus, punctuation as a head…
        parser.error(str(error))
    print(format_poem(poem.text))
    return 0


def format_poem(text: str) -> str:
    """One couplet a line: a line break after every "。", "？" or "！"."""
    for mark in "。？！":
        text = text.replace(mark, mark + "\n")
    return text.rstrip("\n")


def run_evaluate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    corpus, vocab = load_corpus(), corpus_vocabulary()
    train_ids, held_out_ids = vocab.encode(corpus.train_text), vocab.encode(corpus.held_out_text)
    models = {
        "LSTM": load_model(args.lstm),
        "RNN": load_model(args.rnn),
        "bigram": Bigram(train_ids, len(vocab)),
    }
    for name, model in models.items():
        print(f"{name:<6} held-out perplexity {perplexity(model, held_out_ids):.1f}")
    known = corpus_lines(corpus.train_poems)
    reference = form_score([p.text for p in corpus.train_poems])
    print(
        f"training poems: lines in form {reference.lines:.3f}, poems in form {reference.poems:.3f}"
    )
    for name, model in models.items():
        poems = sample_poems(
            model, vocab, args.samples, np.random.default_rng(args.seed), args.temperature
        )
        score = form_score(poems)
        print(
            f"{name:<6} {args.samples} poems at τ = {args.temperature:g}: lines in form "
            f"{score.lines:.3f}, poems in form {score.poems:.3f}, lines copied from the "
            f"training poems {verbatim_share(poems, known):.3f}"
        )
    return 0


def _load_average() -> float:
    try:
        return round(float(Path("/proc/loadavg").read_text().split()[0]), 2)
    except OSError:
        return float("nan")


def _torch_version() -> str:
    import torch

    return torch.__version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "train" and args.save is not None and not args.save.parent.is_dir():
        parser.error(f"--save: directory {str(args.save.parent)!r} does not exist")
    if args.command == "train" and args.dropout >= 1:
        parser.error(f"--dropout must be below 1, got {args.dropout}")
    return {"train": run_train, "sample": run_sample, "evaluate": run_evaluate}[args.command](
        args, parser
    )


if __name__ == "__main__":
    sys.exit(main())
