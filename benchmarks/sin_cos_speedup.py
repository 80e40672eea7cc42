"""The article's sin→cos training as written against the course's fast recipe, side by side.

    .venv/bin/python benchmarks/sin_cos_speedup.py            # seeds 0, 1, 2; 3 timings each
    .venv/bin/python benchmarks/sin_cos_speedup.py --seeds 0 1 2 3 4 --repeats 5

Both train the article's LSTM(1, 16) + Linear(16, 1) on the article's data until the train
MSE is below 1e-4 (at most 10,000 epochs):

- article: as written — PyTorch's default number of threads, Adam lr 1e-2, reshape(-1, 5, 1);
- fast: ``lstm_course.train.recipe_config("fast")`` — one thread, Adam lr 0.1 (betas
  (0.8, 0.99), fused) until the loss is below 3e-3, then L-BFGS (``lstm_course.lbfgs``,
  torch.optim.LBFGS's algorithm); same layout, loss and stopping rule.

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
from dataclasses import dataclass, replace

import torch

from lstm_course.train import (
    OPTIMISERS,
    TrainConfig,
    TrainResult,
    evaluate,
    recipe_config,
    train,
)

TARGET_SPEEDUP = 20.0
SETTINGS_ENV = ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "OMP_NUM_THREADS")


@dataclass
class Phases:
    """Where a run's time went: epochs and seconds of its Adam phase and of its L-BFGS phase.

    Read from the wall-clock time of every epoch's report (``on_epoch``): the Adam phase runs
    from the first report to the first L-BFGS epoch's, the L-BFGS phase from there to the last.
    An "epoch" of L-BFGS is one evaluation of the loss and its gradient (its line search makes
    several a step), so its cost per epoch includes its direction from the history (one a step,
    ``lstm_course.lbfgs``) and the line search's bookkeeping.
    """

    adam_epochs: int
    adam_seconds: float
    lbfgs_epochs: int
    lbfgs_seconds: float

    @staticmethod
    def per_epoch_ms(seconds: float, epochs: int) -> float:
        return 1000 * seconds / epochs if epochs else float("nan")


def timed_runs(config: TrainConfig, repeats: int) -> tuple[TrainResult, float, Phases]:
    """Train ``repeats`` times; the last result, the median wall time of the loop, and the
    median split of that time between the Adam and the L-BFGS phase."""
    seconds, splits = [], []
    for _ in range(repeats):
        stamps: list[float] = []
        result = train(
            config, on_epoch=lambda _report, stamps=stamps: stamps.append(time.perf_counter())
        )
        seconds.append(result.seconds)
        finish = OPTIMISERS[config.optimiser].finish_below
        switch = next(
            (k + 1 for k, loss in enumerate(result.losses) if finish is not None and loss < finish),
            len(result.losses),
        )  # the Adam phase's epochs, the last of them the first below finish_below
        if switch < len(stamps):
            adam_s, lbfgs_s = stamps[switch] - stamps[0], stamps[-1] - stamps[switch]
        else:
            adam_s, lbfgs_s = stamps[-1] - stamps[0], 0.0
        splits.append((adam_s, lbfgs_s))
    phases = Phases(
        adam_epochs=switch,
        adam_seconds=statistics.median(a for a, _ in splits),
        lbfgs_epochs=len(result.losses) - switch,
        lbfgs_seconds=statistics.median(b for _, b in splits),
    )
    return result, statistics.median(seconds), phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--repeats", type=int, default=3, help="timings per run (median kept)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    settings = {k: os.environ[k] for k in SETTINGS_ENV if k in os.environ}
    print(
        f"torch {torch.__version__}, CPU kernels {torch.backends.cpu.get_cpu_capability()}, "
        f"default threads {torch.get_num_threads()}; environment: {settings or 'as the machine'}"
    )
    print(f"load average at start (1, 5, 15 min): {os.getloadavg()}")
    runs = {
        "article": recipe_config("article"),
        "article-1t": recipe_config("article", threads=1),
        "fast": recipe_config("fast"),
    }
    for config in runs.values():  # warm-up, untimed
        train(replace(config, max_epochs=5))

    header = (
        f"{'seed':>4} | {'recipe':<10} | {'epochs':>6} | {'seconds':>8} | {'ms/epoch':>8} | "
        f"{'Adam: epochs × ms':>17} | {'L-BFGS: epochs × ms':>19} | {'test MSE':>9} | reached"
    )
    print(header)
    print("-" * len(header))
    speedups, thread_speedups, article_times, fast_times, mse_ok = [], [], [], [], []
    epoch_ratios, cost_ratios, lbfgs_shares = [], [], []
    start = time.perf_counter()
    for seed in args.seeds:
        rows = {}
        for name, config in runs.items():
            result, seconds, phases = timed_runs(replace(config, seed=seed), args.repeats)
            test_mse = evaluate(result.model, result.config.layout).test_mse
            rows[name] = (result, seconds, test_mse, phases)
            adam = (
                f"{phases.adam_epochs} × "
                f"{Phases.per_epoch_ms(phases.adam_seconds, phases.adam_epochs):.2f}"
            )
            lbfgs = (
                f"{phases.lbfgs_epochs} × "
                f"{Phases.per_epoch_ms(phases.lbfgs_seconds, phases.lbfgs_epochs):.2f}"
                if phases.lbfgs_epochs
                else "—"
            )
            print(
                f"{seed:>4} | {name:<10} | {result.epochs:>6} | {seconds:>8.3f} | "
                f"{1000 * seconds / result.epochs:>8.3f} | {adam:>17} | {lbfgs:>19} | "
                f"{test_mse:>9.2e} | {result.reached_target}"
            )
        article, fast = rows["article"], rows["fast"]
        speedups.append(article[1] / fast[1])
        thread_speedups.append(article[1] / rows["article-1t"][1])
        epoch_ratios.append(article[0].epochs / fast[0].epochs)
        cost_ratios.append((article[1] / article[0].epochs) / (fast[1] / fast[0].epochs))
        lbfgs_shares.append(fast[3].lbfgs_seconds / max(fast[1], 1e-9))
        article_times.append(article[1])
        fast_times.append(fast[1])
        mse_ok.append(fast[2] <= article[2])
        print(
            f"{'':>4}   speed-up {speedups[-1]:.1f}× = {epoch_ratios[-1]:.1f}× fewer epochs "
            f"× {cost_ratios[-1]:.2f} (article's cost per epoch / fast's); threads alone "
            f"{thread_speedups[-1]:.1f}×; L-BFGS {100 * lbfgs_shares[-1]:.0f}% of the fast run; "
            f"fast test MSE no worse: {mse_ok[-1]}"
        )

    median_speedup = statistics.median(speedups)
    print()
    print(
        f"speed-up over seeds {args.seeds}: median {median_speedup:.1f}× "
        f"(target ≥ {TARGET_SPEEDUP:g}×), range {min(speedups):.1f}–{max(speedups):.1f}×"
    )
    print(
        f"median times: article {statistics.median(article_times):.3f} s, "
        f"fast {statistics.median(fast_times):.3f} s"
    )
    print(f"median speed-up from one thread alone: {statistics.median(thread_speedups):.1f}×")
    print(
        f"median ratio of epochs: {statistics.median(epoch_ratios):.1f}× "
        f"(range {min(epoch_ratios):.1f}–{max(epoch_ratios):.1f}×); median ratio of the cost "
        f"per epoch, article / fast: {statistics.median(cost_ratios):.2f} "
        f"(range {min(cost_ratios):.2f}–{max(cost_ratios):.2f})"
    )
    print(f"fast test MSE no worse than the article's on every seed: {all(mse_ok)}")
    print(f"load average at end (1, 5, 15 min): {os.getloadavg()}")
    print(f"benchmark wall time {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
