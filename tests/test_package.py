"""The package's floors: the maths imports numpy only, and every module has its line in the map."""

import pkgutil
import subprocess
import sys

import pytest

import lstm_course

HEAVY = ("torch", "matplotlib", "ipywidgets")

MATHS = [
    "lstm_course.activations",
    "lstm_course.neuron",
    "lstm_course.rnn",
    "lstm_course.lstm",
    "lstm_course.variants",
    "lstm_course.params",
    "lstm_course.shapes",
    "lstm_course.worked_example",
    "lstm_course.counting",
]
"""The maths floor: numpy and each other, nothing else."""

LIGHTER_THAN_THEIR_TOPIC = {
    "lstm_course.widgets.rnn": ("torch",),  # the RNN stepper needs ρ(W_hh), not autograd
    "lstm_course.exercises.cell_state": ("torch", "matplotlib", "ipywidgets"),  # no widgets
    "lstm_course.exercises.gates": ("torch", "matplotlib", "ipywidgets"),  # torch only if asked
    "lstm_course.exercises.checking": ("torch", "matplotlib", "ipywidgets"),
}


def loaded_after_import(module: str) -> set[str]:
    """Which of HEAVY a fresh interpreter has loaded after ``import module``."""
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", MATHS)
def test_the_maths_imports_numpy_only(module):
    assert loaded_after_import(module) == set(), module


@pytest.mark.parametrize(("module", "absent"), LIGHTER_THAN_THEIR_TOPIC.items())
def test_wiring_and_checks_do_not_pull_in_what_they_do_not_use(module, absent):
    assert not loaded_after_import(module) & set(absent), module


def test_every_module_is_on_the_package_map():
    """lstm_course/__init__.py's docstring names each module: a contributor finds the room."""
    for info in pkgutil.iter_modules(lstm_course.__path__):
        name = (
            f"{info.name}/"
            if info.ispkg and info.name in ("plots", "widgets", "exercises")
            else info.name
        )
        assert f"    {name} " in lstm_course.__doc__, info.name
