"""environment.yml (conda, Binder) agrees with pyproject.toml, the one source of truth."""

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"torch": "pytorch-cpu"}  # conda-forge's CPU-only PyTorch
PIP_ONLY = {"mplfonts"}  # the Chinese edition's CJK font: on PyPI, not on conda-forge


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def conda_dependencies():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return plain, pip


def test_every_runtime_dependency_is_in_environment_yml_with_the_same_range():
    plain, pip = conda_dependencies()
    for spec in pyproject()["project"]["dependencies"]:
        req = Requirement(spec)
        if req.name in PIP_ONLY:  # in the pip section, pinned as in pyproject.toml
            assert spec in pip, f"{spec} (PyPI only) must be in environment.yml's pip section"
            continue
        name = CONDA_NAMES.get(req.name, req.name)
        expected = f"{name}{req.specifier}"
        listed = [d for d in plain if not d.startswith("python=") and Requirement(d).name == name]
        assert listed, f"{req.name} is in pyproject.toml but not in environment.yml"
        assert str(Requirement(listed[0]).specifier) == str(Requirement(expected).specifier), (
            f"environment.yml has {listed[0]}; pyproject.toml says {spec}"
        )


def test_python_version_and_pip_install_of_the_course():
    plain, pip = conda_dependencies()
    assert "python=3.11" in plain
    assert pyproject()["project"]["requires-python"].startswith(">=3.11")
    assert "-e ." in pip, "Binder must install the course itself"


def test_torch_range_admits_the_pinned_cpu_build():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pinned = next(
        line.split("?=")[1].strip()
        for line in makefile.splitlines()
        if line.startswith("TORCH_SPEC")
    )
    version = Requirement(pinned).specifier
    torch_req = next(
        Requirement(s) for s in pyproject()["project"]["dependencies"] if s.startswith("torch")
    )
    (pin,) = list(version)
    assert pin.operator == "==" and torch_req.specifier.contains(pin.version)
    assert torch_req.specifier.contains("2.13.0") and not torch_req.specifier.contains("2.14.0")
