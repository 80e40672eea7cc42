"""Is this environment ready for the course? The check that notebook 00 runs.

Each check names a package, the version found, what the course needs, and what to do if it
is missing or too old, so a student can fix their set-up without a teacher.
"""

from __future__ import annotations

import sys
from importlib import metadata
from typing import NamedTuple

from packaging.version import Version

FIX = "run `make lab` from the course folder (or `pip install -e .` in your environment)"

# (distribution, import name, lowest version the course is tested with, why it is needed)
REQUIREMENTS = (
    ("numpy", "numpy", "1.26", "the numpy cells"),
    ("torch", "torch", "2.3", "the PyTorch twins and training"),
    ("matplotlib", "matplotlib", "3.8", "every picture"),
    ("ipywidgets", "ipywidgets", "8.1", "the sliders"),
    ("jupyterlab_widgets", "jupyterlab_widgets", "3.0", "showing sliders in JupyterLab"),
    ("lstm-course", "lstm_course", "0.1", "the course's own package"),
)
PYTHON = (3, 11)


class Check(NamedTuple):
    """One line of the environment report."""

    name: str
    found: str
    needed: str
    ok: bool
    advice: str

    def __str__(self) -> str:
        mark = "✅" if self.ok else "❌"
        tail = "" if self.ok else f"  → {self.advice}"
        return f"{mark} {self.name:<20} {self.found:<14} (needs ≥ {self.needed}){tail}"


def check_package(distribution: str, needed: str, purpose: str) -> Check:
    """The installed version of ``distribution`` against the lowest version the course needs."""
    try:
        found = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return Check(distribution, "missing", needed, False, f"needed for {purpose}: {FIX}")
    ok = Version(found).release >= Version(needed).release
    return Check(distribution, found, needed, ok, f"too old for {purpose}: {FIX}")


def check_environment() -> list[Check]:
    """Python and every package the notebooks import, each with advice when it is not ready."""
    python = ".".join(map(str, sys.version_info[:3]))
    needed = ".".join(map(str, PYTHON))
    checks = [
        Check("python", python, needed, sys.version_info[:2] >= PYTHON, "install Python 3.11")
    ]
    checks += [check_package(dist, low, why) for dist, _, low, why in REQUIREMENTS]
    return checks
