"""Suite-wide pytest set-up: what nbval compares, and tests that leave PyTorch as they found it.

1. **nbval compares stderr.** A stderr stream is dropped before comparison only if the sanitize
   file (``tests/nbval_sanitize.cfg``) turns all of it into nothing: its "kernel start-up"
   rules name, one by one, the lines a fresh kernel may print on some machines and not on others
   (Matplotlib building its font cache). Any other stderr, such as a new warning, fails the
   cell, and the failure prints it (nbval alone names only the missing "stderr" key).
2. **No test changes PyTorch's global settings for the tests after it.** Importing a test
   module must not change torch's thread count (checked as each module is collected), and every
   test must leave the thread counts, the default dtype, grad mode and the deterministic-
   algorithms flag as it found them (``_torch_settings_unchanged``, autouse). A test that needs
   one thread asks for the ``one_torch_thread`` fixture. The global random generators
   (torch's, numpy's legacy one, Python's) are restored after every test, so no test's draws
   (an ``nn.Linear`` built unseeded, a ``torch.manual_seed``) reach the tests after it; that the
   course's own functions leave them alone is asserted by name in their tests.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

import nbval.plugin
import numpy as np
import pytest

# --- 1. nbval: stderr compared, named start-up lines filtered ----------------------------------

_compare_outputs = nbval.plugin.IPyNbCell.compare_outputs


def _is_stderr(output: dict) -> bool:
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


def _without_expected_stderr(cell: nbval.plugin.IPyNbCell, outputs: list) -> list:
    """``outputs`` less every stderr stream that the sanitize rules reduce to whitespace."""
    return [o for o in outputs if not (_is_stderr(o) and not cell.sanitize(o["text"]).strip())]


def _compare_outputs_with_stderr(self, test, ref, skip_compare=None):
    test = _without_expected_stderr(self, test)
    ref = _without_expected_stderr(self, ref)
    same = _compare_outputs(self, test, ref, skip_compare)
    unexpected = [o["text"] for o in test if _is_stderr(o)]
    if not same and unexpected and not any(_is_stderr(o) for o in ref):
        self.comparison_traceback.append(
            "stderr the stored notebook does not have (a warning? if it is a kernel start-up "
            "line, name it in tests/nbval_sanitize.cfg):\n" + "".join(unexpected)
        )
    return same


nbval.plugin.IPyNbCell.compare_outputs = _compare_outputs_with_stderr


# --- 2. PyTorch's global state --------------------------------------------------------------


def _torch():
    """torch, imported (every Python test module imports it anyway; notebooks alone do not)."""
    import torch

    return torch


def _torch_settings() -> dict[str, object]:
    torch = _torch()
    return {
        "torch.get_num_threads()": torch.get_num_threads(),
        "torch.get_num_interop_threads()": torch.get_num_interop_threads(),
        "torch.get_default_dtype()": torch.get_default_dtype(),
        "torch.is_grad_enabled()": torch.is_grad_enabled(),
        "torch.are_deterministic_algorithms_enabled()": (
            torch.are_deterministic_algorithms_enabled()
        ),
    }


def _changed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return [f"{key}: {before[key]} -> {after[key]}" for key in before if after[key] != before[key]]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """Fail the collection of a test module whose import changes torch's settings."""
    if not isinstance(collector, pytest.Module):
        yield
        return
    before = _torch_settings()
    outcome = yield
    changed = _changed(before, _torch_settings())
    if changed:
        report = outcome.get_result()
        report.outcome = "failed"
        report.longrepr = (
            f"importing {collector.nodeid} changed PyTorch's global settings "
            f"({'; '.join(changed)}). A test that needs one thread uses the one_torch_thread "
            "fixture instead."
        )


@pytest.fixture(autouse=True)
def _torch_settings_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test leaves torch's settings as it found them; the global generators are restored."""
    if "torch" not in sys.modules:  # a notebook cell, or a test that never touches torch
        yield
        return
    torch = _torch()
    before = _torch_settings()
    torch_rng = torch.random.get_rng_state()
    numpy_rng = np.random.get_state()  # noqa: NPY002 (the legacy global generator, restored)
    python_rng = random.getstate()
    yield
    after = _torch_settings()
    torch.random.set_rng_state(torch_rng)
    np.random.set_state(numpy_rng)  # noqa: NPY002
    random.setstate(python_rng)
    changed = _changed(before, after)
    if changed:
        torch.set_num_threads(before["torch.get_num_threads()"])
        torch.set_default_dtype(before["torch.get_default_dtype()"])
        torch.set_grad_enabled(before["torch.is_grad_enabled()"])
        torch.use_deterministic_algorithms(before["torch.are_deterministic_algorithms_enabled()"])
        pytest.fail(
            f"{request.node.nodeid} left PyTorch's global settings changed: {'; '.join(changed)}. "
            "Restore what a test changes (a fixture, or try/finally).",
            pytrace=False,
        )


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """torch on one thread for this test only (tiny models train faster on one), then restored."""
    torch = _torch()
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
