"""numpy BPTT against PyTorch autograd on the same LSTM, the same sizes, side by side.

    .venv/bin/python benchmarks/bptt_speed.py              # T = 20, 50, 200 × H = 16, 64
    .venv/bin/python benchmarks/bptt_speed.py --markdown   # the README's table

For each size the same random LSTM (D = 4 inputs, float64), inputs xs (T, D) and upstream
gradients dhs (T, H) go through

- numpy: ``lstm_course.bptt.lstm_unroll_backward`` (its forward pass, then the backward loop,
  input checks included: what a caller pays);
- autograd: ``nn.LSTM`` (float64, one layer, built once) forward, L = Σ_t dhs[t]·h_t,
  ``backward()``; PyTorch on one thread (``torch.set_num_threads(1)``, restored after), as the
  course trains its small models.

The two are timed alternately, ``--repeats`` times each, and the medians compared: a ratio
measured in one run, so both see the same load (printed with ``os.getloadavg``). Each run is
timed twice: the process's CPU time (the verdict: on a shared machine it does not grow with the
neighbours' load) and wall time (``--clock wall``). Before timing, the two results are checked
equal (max |difference| < 1e-10).

This is a measurement, not a test: it is not run by the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lstm_course.bptt import lstm_unroll_backward  # noqa: E402
from lstm_course.bptt_autograd import largest_difference, lstm_autograd  # noqa: E402
from lstm_course.lstm import LSTMParams  # noqa: E402
from lstm_course.torch_bridge import lstm_params_to_torch  # noqa: E402

STEPS = (20, 50, 200)
HIDDEN = (16, 64)
INPUT_SIZE = 4


def _torch_step(params: LSTMParams, xs: np.ndarray, dhs: np.ndarray):
    """A closure running nn.LSTM forward + backward once, on a module built once."""
    cell = lstm_params_to_torch(params)
    module = torch.nn.LSTM(cell.input_size, cell.hidden_size).to(torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(module, f"{name}_l0").copy_(getattr(cell, name))
    x, upstream = torch.from_numpy(xs), torch.from_numpy(dhs)

    def run() -> None:
        module.zero_grad(set_to_none=True)
        hs, _ = module(x)
        (hs * upstream).sum().backward()

    return run


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def measure(T: int, H: int, repeats: int, clock: str = "cpu", seed: int = 0) -> dict[str, float]:
    """Median seconds of numpy and autograd for one size, timed alternately on ``clock``."""
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(INPUT_SIZE, H, rng)
    xs, dhs = rng.normal(size=(T, INPUT_SIZE)), rng.normal(size=(T, H))
    gap = largest_difference(lstm_unroll_backward(xs, params, dhs), lstm_autograd(xs, params, dhs))
    if gap > 1e-10:
        raise AssertionError(f"numpy and autograd differ by {gap:.1e} at T={T}, H={H}")
    torch_run = _torch_step(params, xs, dhs)
    numpy_times, torch_times = [], []
    torch_run()  # warm up both
    lstm_unroll_backward(xs, params, dhs)
    now = CLOCKS[clock]
    for _ in range(repeats):
        start = now()
        lstm_unroll_backward(xs, params, dhs)
        numpy_times.append(now() - start)
        start = now()
        torch_run()
        torch_times.append(now() - start)
    numpy_s, torch_s = statistics.median(numpy_times), statistics.median(torch_times)
    return {"T": T, "H": H, "numpy": numpy_s, "autograd": torch_s, "gap": gap}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="timings per size and side")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu", help="what is timed")
    args = parser.parse_args(argv)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        rows = [measure(T, H, args.repeats, args.clock) for H in HIDDEN for T in STEPS]
    finally:
        torch.set_num_threads(threads)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    ratios = [row["numpy"] / row["autograd"] for row in rows]
    if args.markdown:
        clock = args.clock
        print(f"| T | H | numpy BPTT ({clock} ms) | autograd ({clock} ms) | numpy / autograd |")
        print("|---|---|---|---|---|")
        for row, ratio in zip(rows, ratios, strict=True):
            print(f"| {row['T']} | {row['H']} | {row['numpy'] * 1e3:.2f} | "
                  f"{row['autograd'] * 1e3:.2f} | {ratio:.2f}× |")  # fmt: skip
    else:
        print(f"{'T':>4} {'H':>3}  {'numpy ms':>9}  {'autograd ms':>11}  {'ratio':>6}  max |gap|"
              f"   ({args.clock} time)")  # fmt: skip
        for row, ratio in zip(rows, ratios, strict=True):
            print(f"{row['T']:>4} {row['H']:>3}  {row['numpy'] * 1e3:9.2f}  "
                  f"{row['autograd'] * 1e3:11.2f}  {ratio:6.2f}  {row['gap']:.0e}")  # fmt: skip
    print(f"median ratio numpy / autograd: {statistics.median(ratios):.2f} "
          f"(range {min(ratios):.2f}–{max(ratios):.2f}); load average {load}; "
          f"{os.cpu_count()} CPUs; torch {torch.__version__}, numpy {np.__version__}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
