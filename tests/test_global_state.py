"""conftest.py's guard: a test that changes PyTorch's global settings fails, whoever runs next.

Each case is a small test module run by pytest in a subprocess, in a folder holding a copy of
the suite's conftest.py, so the guard is exercised exactly as the suite uses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

REPO = Path(__file__).resolve().parents[1]


def run_pytest(folder: Path, module: str) -> subprocess.CompletedProcess:
    """Run pytest on ``module`` (the text of a test file) with the suite's conftest.py."""
    shutil.copy(REPO / "conftest.py", folder / "conftest.py")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (folder / "test_case.py").write_text(module)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "test_case.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_module_that_sets_the_thread_count_at_import_fails_to_collect(tmp_path):
    completed = run_pytest(
        tmp_path,
        "import torch\ntorch.set_num_threads(torch.get_num_threads() + 1)\n\n"
        "def test_nothing():\n    pass\n",
    )
    assert completed.returncode != 0, completed.stdout
    assert "importing test_case.py changed PyTorch's global settings" in completed.stdout
    assert "torch.get_num_threads()" in completed.stdout


def test_a_test_that_leaves_the_thread_count_changed_errors_and_is_undone(tmp_path):
    completed = run_pytest(
        tmp_path,
        "import torch\nBEFORE = torch.get_num_threads()\n\n"
        "def test_leaks():\n    torch.set_num_threads(BEFORE + 1)\n\n"
        "def test_next_sees_the_default():\n    assert torch.get_num_threads() == BEFORE\n",
    )
    assert "ERROR test_case.py::test_leaks" in completed.stdout
    assert "left PyTorch's global settings changed: torch.get_num_threads()" in completed.stdout
    assert "PASSED test_case.py::test_next_sees_the_default" in completed.stdout


def test_default_dtype_and_grad_mode_are_guarded_too(tmp_path):
    completed = run_pytest(
        tmp_path,
        "import torch\n\n"
        "def test_dtype():\n    torch.set_default_dtype(torch.float64)\n\n"
        "def test_grad():\n    torch.set_grad_enabled(False)\n\n"
        "def test_after():\n"
        "    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()\n",
    )
    assert "ERROR test_case.py::test_dtype" in completed.stdout
    assert "ERROR test_case.py::test_grad" in completed.stdout
    assert "PASSED test_case.py::test_after" in completed.stdout


def test_the_global_generators_are_restored_after_each_test(tmp_path):
    completed = run_pytest(
        tmp_path,
        "import random\nimport numpy as np\nimport torch\n\n"
        "def _draws():\n"
        "    return (torch.rand(1).item(), float(np.random.random_sample()), random.random())\n\n"
        "def test_first():\n    global FIRST\n    FIRST = _draws()\n"
        "    torch.manual_seed(7)\n    np.random.seed(7)\n    random.seed(7)\n\n"
        "def test_second_draws_the_same():\n    assert _draws() == FIRST\n",
    )
    assert completed.returncode == 0, completed.stdout


def test_one_torch_thread_sets_one_and_restores(tmp_path):
    completed = run_pytest(
        tmp_path,
        "import torch\nBEFORE = torch.get_num_threads()\n\n"
        "def test_one(one_torch_thread):\n    assert torch.get_num_threads() == 1\n\n"
        "def test_after():\n    assert torch.get_num_threads() == BEFORE\n",
    )
    assert completed.returncode == 0, completed.stdout


def test_this_suite_runs_with_torchs_own_thread_count():
    """No module imported before this test (conftest, the test modules) changed the count:
    it is what a fresh interpreter in the same environment gets."""
    fresh = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.get_num_threads())"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert torch.get_num_threads() == int(fresh.stdout)


@pytest.mark.training
def test_the_requested_cpu_kernels_and_thread_count_are_in_effect():
    """``make test-portable`` reruns the training tests under ATEN_CPU_CAPABILITY and
    OMP_NUM_THREADS. A machine that cannot honour them (an ARM laptop asked for AVX2) falls
    back to its own kernels silently: that run would prove nothing, so it fails here."""
    wanted = os.environ.get("ATEN_CPU_CAPABILITY")
    if wanted:
        assert torch.backends.cpu.get_cpu_capability() == wanted.upper(), (
            f"ATEN_CPU_CAPABILITY={wanted} is not in effect on this CPU; "
            "choose settings it supports: make test-portable PORTABLE_SETTINGS=..."
        )
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads:
        assert torch.get_num_threads() == int(threads)
