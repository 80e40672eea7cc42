"""Is this environment ready for the course? The check that notebook 00 runs.

Each check names a package, the version found, what the course needs, and what to do if it
is missing or too old, so a student can fix their set-up without a teacher.
"""

from __future__ import annotations

import sys
from importlib import metadata
from typing import NamedTuple

from packaging.version import Version

from lstm_course.i18n import N_, _

FIX = N_("run `make lab` from the course folder (or `pip install -e .` in your environment)")

# (distribution, import name, lowest version the course is tested with, why it is needed)
REQUIREMENTS = (
    ("numpy", "numpy", "1.26", N_("the numpy cells")),
    ("torch", "torch", "2.3", N_("the PyTorch twins and training")),
    ("matplotlib", "matplotlib", "3.8", N_("every picture")),
    ("ipywidgets", "ipywidgets", "8.1", N_("the sliders")),
    ("jupyterlab_widgets", "jupyterlab_widgets", "3.0", N_("showing sliders in JupyterLab")),
    ("lstm-course", "lstm_course", "0.1", N_("the course's own package")),
)
PYTHON = (3, 11)


class Check(NamedTuple):
    """One line of the environment report (``found`` is a version or "missing"; the line is
    shown in the package's language)."""

    name: str
    found: str
    needed: str
    ok: bool
    advice: str

    def __str__(self) -> str:
        mark = "✅" if self.ok else "❌"
        tail = "" if self.ok else f"  → {self.advice}"
        found = _("missing") if self.found == "missing" else self.found
        needs = _("(needs ≥ {needed})").format(needed=self.needed)
        return f"{mark} {self.name:<20} {found:<14} {needs}{tail}"


def check_package(distribution: str, needed: str, purpose: str) -> Check:
    """The installed version of ``distribution`` against the lowest version the course needs."""
    try:
        found = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        advice = _("needed for {purpose}: {fix}").format(purpose=_(purpose), fix=_(FIX))
        return Check(distribution, "missing", needed, False, advice)
    ok = Version(found).release >= Version(needed).release
    advice = _("too old for {purpose}: {fix}").format(purpose=_(purpose), fix=_(FIX))
    return Check(distribution, found, needed, ok, advice)


def check_environment() -> list[Check]:
    """Python and every package the notebooks import, each with advice when it is not ready."""
    python = ".".join(map(str, sys.version_info[:3]))
    needed = ".".join(map(str, PYTHON))
    checks = [
        Check("python", python, needed, sys.version_info[:2] >= PYTHON, _("install Python 3.11"))
    ]
    checks += [check_package(dist, low, why) for dist, _name, low, why in REQUIREMENTS]
    return checks
