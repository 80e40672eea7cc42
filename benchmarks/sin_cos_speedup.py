"""The article's sin→cos training as written against the course's fast recipe, side by side.

    .venv/bin/python benchmarks/sin_cos_speedup.py            # seeds 0, 1, 2; 3 timings each
    .venv/bin/python benchmarks/sin_cos_speedup.py --seeds 0 1 2 3 4 --repeats 5

Both train the article's LSTM(1, 16) + Linear(16, 1) on the article's data until the train
MSE is below 1e-4 (at most 10,000 epochs):

- article: as written — PyTorch's default number of threads, Adam lr 1e-2, reshape(-1, 5, 1);
- fast: ``lstm_course.train.recipe_config("fast")`` — one thread, Adam lr 0.1 (betas
  (0.8, 0.99), fused) until the loss is below 3e-3, then L-BFGS; same layout, loss and
  stopping rule.

For every seed it prints the epochs (passes over the training data), the wall time of the
training loop (model construction and data preparation excluded, for all alike) and the test
MSE, then the median speed-up over seeds. A third row, the article's recipe on one thread
("article-1t"), separates the two causes: article → article-1t is the thread effect alone,
article-1t → fast the optimiser's.

Each run is repeated ``--repeats`` times and its median time kept (epochs and errors are
identical across repeats); for each seed the three run one after the other, so a busy
machine slows them alike. One short untimed run of each comes first, so one-time costs
(PyTorch importing its compiler on the first optimiser, first-call kernel set-up) are paid
by none. The machine's load average is printed: on a busy machine PyTorch's default threads
wait for each other, and the article's run slows far more than the one-thread runs.

This is a measurement, not a test: it is not run by the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

import torch

from lstm_course.train import TrainConfig, TrainResult, evaluate, recipe_config, train

TARGET_SPEEDUP = 20.0


def timed_runs(config: TrainConfig, repeats: int) -> tuple[TrainResult, float]:
    """Train ``repeats`` times; the last result and the median wall time of the loop."""
    seconds = []
    for _ in range(repeats):
        result = train(config)
        seconds.append(result.seconds)
    return result, statistics.median(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--repeats", type=int, default=3, help="timings per run (median kept)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    print(f"torch {torch.__version__}, default threads {torch.get_num_threads()}")
    print(f"load average at start (1, 5, 15 min): {os.getloadavg()}")
    runs = {
        "article": recipe_config("article"),
        "article-1t": recipe_config("article", threads=1),
        "fast": recipe_config("fast"),
    }
    for config in runs.values():  # warm-up, untimed
        train(replace(config, max_epochs=5))

    header = (
        f"{'seed':>4} | {'recipe':<10} | {'epochs':>6} | {'seconds':>8} | {'test MSE':>9} | reached"
    )
    print(header)
    print("-" * len(header))
    speedups, thread_speedups, article_times, fast_times, mse_ok = [], [], [], [], []
    epoch_ratios = []
    start = time.perf_counter()
    for seed in args.seeds:
        rows = {}
        for name, config in runs.items():
            result, seconds = timed_runs(replace(config, seed=seed), args.repeats)
            test_mse = evaluate(result.model, result.config.layout).test_mse
            rows[name] = (result, seconds, test_mse)
            print(
                f"{seed:>4} | {name:<10} | {result.epochs:>6} | {seconds:>8.3f} | "
                f"{test_mse:>9.2e} | {result.reached_target}"
            )
        speedups.append(rows["article"][1] / rows["fast"][1])
        thread_speedups.append(rows["article"][1] / rows["article-1t"][1])
        epoch_ratios.append(rows["article"][0].epochs / rows["fast"][0].epochs)
        article_times.append(rows["article"][1])
        fast_times.append(rows["fast"][1])
        mse_ok.append(rows["fast"][2] <= rows["article"][2])
        print(
            f"{'':>4}   speed-up {speedups[-1]:.1f}× (threads alone {thread_speedups[-1]:.1f}×), "
            f"fast test MSE no worse: {mse_ok[-1]}"
        )

    median_speedup = statistics.median(speedups)
    print()
    print(
        f"median speed-up over seeds {args.seeds}: {median_speedup:.1f}× "
        f"(target ≥ {TARGET_SPEEDUP:g}×)"
    )
    print(
        f"median times: article {statistics.median(article_times):.3f} s, "
        f"fast {statistics.median(fast_times):.3f} s"
    )
    print(f"median speed-up from one thread alone: {statistics.median(thread_speedups):.1f}×")
    print(
        f"median ratio of epochs (the part no machine changes): "
        f"{statistics.median(epoch_ratios):.1f}×"
    )
    print(f"fast test MSE no worse than the article's on every seed: {all(mse_ok)}")
    print(f"load average at end (1, 5, 15 min): {os.getloadavg()}")
    print(f"benchmark wall time {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
