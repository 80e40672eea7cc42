"""What the package's checks cost: ``lstm_cell`` against the same six lines written plainly.

    .venv/bin/python benchmarks/cell_overhead.py              # 7 rounds of 2,000 calls each
    .venv/bin/python benchmarks/cell_overhead.py --rounds 11 --calls 5000 --markdown

Three ways to take one LSTM step on the article's sizes (D = H = 3), timed side by side in
one run, interleaved round by round so a busy machine slows them alike:

- ``lstm_cell``: the package's cell — inputs checked once on the way in (shape and finite
  values, naming the symbol in any error), then the article's six equations;
- ``plain``: the same six lines on the same arrays, with the package's ``sigmoid`` and
  ``tanh``, no checks;
- ``plain, bare σ``: the same again with σ written as 1 / (1 + exp(−z)) (not overflow-safe).

It prints the median time per call of each and the ratios ``lstm_cell / plain`` (the
package's checks) and ``lstm_cell / plain, bare σ`` (the checks and the overflow-safe σ); the
target is within 2× of both. It prints the load average before and after: a ratio measured
side by side travels between machines; absolute microseconds do not.
Before timing, the three are checked to give the same h_t and C_t.

This is a measurement, not a test: it is not run by the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np

from lstm_course import worked_example as we
from lstm_course.activations import sigmoid, tanh
from lstm_course.lstm import LSTMParams, lstm_cell


def plain(x_t, h_prev, C_prev, p):
    """The article's six equations, nothing else (the package's σ and tanh)."""
    hx = np.concatenate([h_prev, x_t])
    f_t = sigmoid(p.W_f @ hx + p.b_f)
    i_t = sigmoid(p.W_i @ hx + p.b_i)
    C_tilde = tanh(p.W_C @ hx + p.b_C)
    C_t = f_t * C_prev + i_t * C_tilde
    o_t = sigmoid(p.W_o @ hx + p.b_o)
    h_t = o_t * tanh(C_t)
    return f_t, i_t, C_tilde, C_t, o_t, h_t


def bare_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def plain_bare(x_t, h_prev, C_prev, p):
    """The same six lines with σ = 1 / (1 + exp(−z)) and np.tanh."""
    hx = np.concatenate([h_prev, x_t])
    f_t = bare_sigmoid(p.W_f @ hx + p.b_f)
    i_t = bare_sigmoid(p.W_i @ hx + p.b_i)
    C_tilde = np.tanh(p.W_C @ hx + p.b_C)
    C_t = f_t * C_prev + i_t * C_tilde
    o_t = bare_sigmoid(p.W_o @ hx + p.b_o)
    h_t = o_t * np.tanh(C_t)
    return f_t, i_t, C_tilde, C_t, o_t, h_t


CELLS: dict[str, Callable] = {
    "lstm_cell": lstm_cell,
    "plain": plain,
    "plain, bare σ": plain_bare,
}


def time_per_call(cell: Callable, args: tuple, calls: int) -> float:
    """Seconds per call of ``cell(*args)``, over ``calls`` calls."""
    start = time.perf_counter()
    for _ in range(calls):
        cell(*args)
    return (time.perf_counter() - start) / calls


def measure(rounds: int, calls: int) -> dict[str, float]:
    """Median seconds per call of each cell, rounds interleaved."""
    params = LSTMParams.random(we.INPUT_SIZE, we.HIDDEN_SIZE, np.random.default_rng(0))
    args = (we.x_t, we.h_prev, we.C_prev, params)
    reference = lstm_cell(*args)
    for name, cell in CELLS.items():
        step = cell(*args)
        np.testing.assert_allclose(step[3], reference.C_t, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(step[5], reference.h_t, atol=1e-12, err_msg=name)
        time_per_call(cell, args, calls // 10)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in CELLS}
    for _ in range(rounds):
        for name, cell in CELLS.items():
            times[name].append(time_per_call(cell, args, calls))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    medians = measure(args.rounds, args.calls)
    load_after = os.getloadavg()[0]
    base = medians["lstm_cell"]
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    if args.markdown:
        print("\n| one LSTM step (D = H = 3) | µs per call | lstm_cell / this |")
        print("|---|---|---|")
    for name, seconds in medians.items():
        ratio = base / seconds
        if args.markdown:
            print(f"| {name} | {seconds * 1e6:.1f} | {ratio:.2f}× |")
        else:
            print(f"{name:>14}: {seconds * 1e6:7.1f} µs per call   lstm_cell / this = {ratio:.2f}×")
    for name in ("plain", "plain, bare σ"):
        ratio = base / medians[name]
        verdict = "within" if ratio <= 2.0 else "NOT within"
        print(f"lstm_cell is {verdict} 2× of the six lines written {name} ({ratio:.2f}×).")


if __name__ == "__main__":
    main()
