"""planaura:runconfig in qgis_process: an alias bomb and a catastrophic date pattern are refused
within a time and memory bound (issue 22, 3 and 4), as on the command line."""
from __future__ import annotations

import resource
import shutil
import subprocess
import time

import pytest

QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"

pytestmark = pytest.mark.qgis

BOMB = ('a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        + "".join(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]\n" for k in range(1, 9))
        + "batch_size: *a8\n")


def _limited() -> None:
    limit = 3 * 1024 ** 3  # QGIS itself maps ~1.5 GB of address space
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("text, expected", [
    (BOMB, "expand to more than 100000 values"),
    ("change_map:\n  date_regex: '(.*)*Z(\\d{7})'\n", "is refused: it repeats a repeat inside an unbounded repeat")])
def test_bomb_and_catastrophic_pattern_are_refused_quickly(qgis_process, tmp_path, text, expected):
    config = tmp_path / "config.yaml"
    config.write_text(text)
    started = time.monotonic()
    done = subprocess.run([QGIS_PROCESS, "run", "planaura:runconfig", "--", f"CONFIG={config}", "DRY_RUN=true"],
                          capture_output=True, text=True, env=qgis_process.env, timeout=120, preexec_fn=_limited)
    assert time.monotonic() - started < 120
    output = done.stdout + done.stderr
    assert done.returncode != 0 and expected in output, output[-3000:]
    assert len(output) < 20000
