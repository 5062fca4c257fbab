"""Every pin of requirements.txt and of the installer's fallback has a wheel on PyPI for each Python
QGIS ships (3.9: QGIS 3.22-3.28 on Windows and macOS; 3.12: Windows 3.40; 3.13: Debian 13's 3.40
and 3.44) on Linux x86_64, Windows and macOS arm64; and the optional packages resolve with numpy 2.

pip is asked (``--dry-run --only-binary=:all: --python-version --platform``) for every pin but torch:
even with ``--dry-run --no-deps`` pip downloads each wheel it picks, and torch's is 0.2-0.9 GB. torch
is checked on PyPI's index listing (PEP 691 JSON) instead: a file of the pinned version whose wheel
tags ``packaging.tags`` accepts for that Python and platform (the rules pip uses). Only PyPI is asked
(this machine's pip configuration, local wheel folders included, is left out). Skipped when PyPI
cannot be reached.
"""
from __future__ import annotations

import importlib.util
import json
import os
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import pytest
from packaging import tags
from packaging.specifiers import SpecifierSet
from packaging.utils import parse_wheel_filename

REPO = Path(__file__).resolve().parents[1]
INDEX = "https://pypi.org/simple"
PLATFORMS: Dict[str, Sequence[str]] = {
    "linux": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"),
    "windows": ("win_amd64",),
    "macos": tuple(f"macosx_{major}_0_arm64" for major in (14, 13, 12, 11)),
}
SYS_PLATFORM = {"linux": "linux", "windows": "win32", "macos": "darwin"}
PYTHONS = ("3.9", "3.12", "3.13")


def _load_dependencies():
    spec = importlib.util.spec_from_file_location("planaura_services_dependencies_wheels",
                                                  REPO / "plugin_services" / "dependencies.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


deps = _load_dependencies()


def _ca_file():
    found = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
    return found if Path(found).is_file() else None


@lru_cache(maxsize=None)
def _pypi_reachable() -> bool:
    try:
        context = ssl.create_default_context(cafile=_ca_file())
        with urllib.request.urlopen(f"{INDEX}/pip/", timeout=20, context=context):
            return True
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(autouse=True)
def _needs_pypi():
    if not _pypi_reachable():
        pytest.skip(f"{INDEX} cannot be reached: the wheels of the pins cannot be checked here")


def _pins_for(python: str, system: str) -> Dict[str, str]:
    """{name as written: version} of requirements.txt for that Python and system (checked equal to
    the installer's fallback pins by tests/qgis/test_ui_dependencies.py)."""
    env = dict(deps.pins.marker_environment())
    env.update(python_version=python, python_full_version=python + ".0", sys_platform=SYS_PLATFORM[system],
               platform_system={"linux": "Linux", "windows": "Windows", "macos": "Darwin"}[system])
    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    chosen = deps.pins.select_pins(lines, env)
    assert chosen == deps.pins.select_pins(deps.FALLBACK_PINS, env)
    return dict(chosen.values())


def _pip(args: List[str], python: str, system: str, target: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    cert = ["--cert", _ca_file()] if _ca_file() else []
    platforms = [arg for platform in PLATFORMS[system] for arg in ("--platform", platform)]
    return subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--target",
                           str(target), "--index-url", INDEX, *cert, "--python-version", python, *platforms,
                           "--only-binary=:all:", *args], capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.parametrize("system", sorted(PLATFORMS))
@pytest.mark.parametrize("python", PYTHONS)
def test_every_pin_but_torch_has_a_wheel(python, system, tmp_path):
    wanted = {name: version for name, version in _pins_for(python, system).items() if name != "torch"}
    done = _pip(["--no-deps", *(f"{name}=={version}" for name, version in wanted.items())], python, system, tmp_path)
    assert done.returncode == 0, f"Python {python} on {system}: {done.stderr[-2000:]}"
    would = {deps.normalise_name(word.rsplit("-", 1)[0]): word.rsplit("-", 1)[1]
             for word in done.stdout.split("Would install", 1)[1].split()}
    assert would == {deps.normalise_name(name): version for name, version in wanted.items()}, done.stdout


@lru_cache(maxsize=None)
def _torch_files() -> tuple:
    request = urllib.request.Request(f"{INDEX}/torch/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=120, context=ssl.create_default_context(cafile=_ca_file())) as r:
        return tuple(json.load(r)["files"])


@pytest.mark.parametrize("system", sorted(PLATFORMS))
@pytest.mark.parametrize("python", PYTHONS)
def test_the_pinned_torch_has_a_wheel_without_downloading_it(python, system):
    version = _pins_for(python, system)["torch"]
    major, minor = (int(part) for part in python.split("."))
    accepted = set(tags.cpython_tags((major, minor), platforms=PLATFORMS[system])) | set(
        tags.compatible_tags((major, minor), f"cp{major}{minor}", PLATFORMS[system]))
    found = []
    for entry in _torch_files():
        if not entry["filename"].endswith(".whl") or entry.get("yanked"):
            continue
        _name, wheel_version, _build, wheel_tags = parse_wheel_filename(entry["filename"])
        requires = entry.get("requires-python")
        if (str(wheel_version) == version and wheel_tags & accepted
                and (not requires or SpecifierSet(requires).contains(f"{python}.0"))):
            found.append(entry["filename"])
    assert found, f"PyPI has no torch {version} wheel for Python {python} on {system} ({PLATFORMS[system]})"


@pytest.mark.parametrize("python", ("3.12", "3.13"))
def test_the_optional_packages_resolve_with_numpy_2(python, tmp_path):
    """pyarrow and scikit-learn with numpy 2 and a scipy built for it (as Debian 13's QGIS has), their
    own dependencies included: the numpy of QGIS is kept by the installer's constraints."""
    pinned = _pins_for(python, "linux")
    done = _pip([f"pyarrow=={pinned['pyarrow']}", f"scikit-learn=={pinned['scikit-learn']}", "numpy==2.2.4",
                 "scipy==1.15.3"], python, "linux", tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "numpy-2.2.4" in done.stdout and f"pyarrow-{pinned['pyarrow']}" in done.stdout
