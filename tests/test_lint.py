"""Lint (ruff) and type checks (mypy) as part of the tests: a new finding fails `make test`.

Settings live in pyproject.toml; both tools are pinned in requirements-dev.txt (installed by
scripts/setup.sh). The caches go to a temporary folder so the checkout stays clean.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(args, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, RUFF_CACHE_DIR=str(tmp_path / "ruff"), MYPY_CACHE_DIR=str(tmp_path / "mypy"))
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, env=env,
                          timeout=600)


def _require(module: str) -> None:
    probe = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True)
    if probe.returncode != 0:  # pragma: no cover - make test installs both (requirements-dev.txt)
        pytest.fail(f"{module} is not installed; run scripts/setup.sh (requirements-dev.txt pins it)")


def test_ruff_finds_nothing(tmp_path: Path) -> None:
    _require("ruff")
    done = _run(["ruff", "check", "--no-fix", "--output-format", "concise", "."], tmp_path)
    assert done.returncode == 0, f"ruff check found problems:\n{done.stdout}{done.stderr}"


def test_mypy_core_is_clean(tmp_path: Path) -> None:
    _require("mypy")
    done = _run(["mypy", "--no-error-summary", "--hide-error-context"], tmp_path)
    assert done.returncode == 0, f"mypy planaura_plugin found problems:\n{done.stdout}{done.stderr}"
