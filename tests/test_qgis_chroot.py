"""scripts/qgis_chroot.sh (make test-qgis340, .ci/run's QGIS 3.40 stage): what it refuses, and that a
mirror it cannot reach or a call past its time guard is reported as such, never as a test result."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, Optional

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "qgis_chroot.sh"
UNREACHABLE_MIRROR = "http://127.0.0.1:9/debian"   # the discard port: connection refused at once

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the script needs root")
needs_debootstrap = pytest.mark.skipif(shutil.which("debootstrap") is None,
                                       reason="debootstrap is not installed (the script would install it)")


def chroot_script(*args: str, env: Optional[Dict[str, str]] = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """The script run with ``args`` and ``env`` added to this environment; output as text."""
    return subprocess.run(["bash", str(SCRIPT), *args], env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def test_an_unknown_suite_is_refused():
    done = chroot_script("build", env={"QGIS_SUITE": "sid"})
    assert done.returncode == 2
    assert "bookworm-backports, trixie or trixie-backports" in done.stderr


@needs_root
@pytest.mark.parametrize("where", ["checkout", "root", "system"])
def test_a_chroot_folder_inside_a_checkout_or_the_system_is_refused(tmp_path, where):
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    chroot = {"checkout": checkout / "chroots" / "x", "root": Path("/"), "system": Path("/usr/planaura-x")}[where]
    done = chroot_script("build", env={"CHROOT": str(chroot)})
    assert done.returncode == 2, done.stdout + done.stderr
    assert "CHROOT=" in done.stderr
    assert not (checkout / "chroots").exists() and not Path("/usr/planaura-x").exists()


@needs_root
@needs_debootstrap
def test_an_unreachable_mirror_is_a_build_failure_not_a_test_failure(tmp_path):
    chroot = tmp_path / "chroot"
    done = chroot_script("check", env={"CHROOT": str(chroot), "MIRROR": UNREACHABLE_MIRROR, "RETRIES": "1"})
    assert done.returncode == 3, done.stdout + done.stderr
    assert "NOT A TEST FAILURE" in done.stdout
    assert "debootstrap bookworm from " + UNREACHABLE_MIRROR in done.stdout
    assert "pytest" not in done.stdout
    assert not chroot.exists() or not any(chroot.iterdir()), "a half-made chroot was left behind"


@needs_root
@needs_debootstrap
def test_the_time_guard_stops_the_call_and_says_so(tmp_path):
    # two tries: the pause between them (30 s) runs past a 3 s guard
    done = chroot_script("build", env={"CHROOT": str(tmp_path / "chroot"), "MIRROR": UNREACHABLE_MIRROR,
                                       "RETRIES": "2", "TIME_LIMIT": "3s"}, timeout=60)
    assert done.returncode == 124, done.stdout + done.stderr
    assert "TIME GUARD: stopped after 3s" in done.stdout


def test_the_system_package_list_it_installs_is_setup_shs():
    """The chroot installs scripts/setup.sh's APT_PACKAGES: one line ``APT_PACKAGES="..."`` it reads."""
    lines = re.findall(r'^APT_PACKAGES="([^"]*)"$', (REPO / "scripts" / "setup.sh").read_text(), re.MULTILINE)
    assert len(lines) == 1
    assert {"qgis", "python3-qgis", "qgis-providers", "python3-venv"} <= set(lines[0].split())
