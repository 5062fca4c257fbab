"""Issue 22: nothing lost, nothing let in.

1. disk full before and during a write (a small tmpfs mounted by the test), with space freed
   mid-run: a clear error or a correct output, never a corrupt committed file, GDAL exceptions
   on and off; a full disk while the lock file is written;
3. a YAML alias bomb, 4. a catastrophic date pattern: refused within a memory/time bound
   (subprocess with resource limits and a timeout);
6. two configs sharing a save folder keep each other's records; a manifest of the wrong shape is
   set aside; hidden files of dead runs are cleaned at start; a resume re-hashes what it keeps;
   stale locks by age (another host) and by pid reuse.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from support import REPO
from planaura_plugin.errors import OutputError

MB = 1024 * 1024


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (skipped where mounting is not permitted)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture(params=[False, True], ids=["gdal-exceptions-off", "gdal-exceptions-on"])
def gdal_exceptions(request):
    from osgeo import gdal

    before = gdal.GetUseExceptions()
    (gdal.UseExceptions if request.param else gdal.DontUseExceptions)()
    yield request.param
    (gdal.UseExceptions if before else gdal.DontUseExceptions)()


def _write_rows(path: Path, free_after_row=None, filler=None, rows=2048):
    """Write a 2048 x 2048 float32 random raster (incompressible, ~16 MB) block row by block row."""
    from planaura_plugin.raster.geotiff import OutputSet
    from planaura_plugin.raster.row_writer import BlockRowWriter

    rng = np.random.default_rng(0)
    data = rng.random((rows, 2048), dtype=np.float32)
    with OutputSet() as outs:
        writer = outs.create(path, width=2048, height=rows, bands=1, dtype=np.float32, geotransform=None,
                             projection=None, nodata=-1.0, fill=False)
        rows_writer = BlockRowWriter(writer, 256)
        for r in range(0, rows, 256):
            rows_writer.append(data[r:r + 256])
            if free_after_row is not None and r == free_after_row and filler is not None and filler.exists():
                rows_writer.wait()
                filler.unlink()  # space comes back mid-run
        rows_writer.finish()
        outs.commit()
    return data


def test_disk_full_during_a_write_fails_the_output_and_commits_nothing(small_disk, gdal_exceptions):
    with pytest.raises(OutputError) as err:
        _write_rows(small_disk / "map.tif")
    message = str(err.value)
    assert message.startswith(f"no space left on the disk of {small_disk} after "), message
    assert f"MB of {small_disk / 'map.tif'}" in message and "nothing was saved" in message
    assert os.listdir(small_disk) == []  # no final name, no temporary, no lock


def test_space_coming_back_mid_run_never_commits_a_corrupt_file(small_disk, gdal_exceptions):
    """The disk is full when the first blocks are written, then space returns: the blocks lost at
    first make the output fail (before: a file with unreadable tiles under its final name)."""
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (1024 * 1024 - 64 * 1024))
    small = 256  # rows: a 2 MB raster would not fit even with the space back
    with pytest.raises(OutputError, match="no space left on the disk"):
        _write_rows(small_disk / "map.tif", free_after_row=0, filler=filler, rows=small)
    assert not (small_disk / "map.tif").exists()
    assert [n for n in os.listdir(small_disk) if n.startswith(".")] == []


def test_output_that_fits_is_written_exactly(small_disk, gdal_exceptions):
    """Control: the same writer on the same disk with a raster that fits gives the exact values."""
    from osgeo import gdal

    data = _write_rows(small_disk / "map.tif", rows=64)
    assert np.array_equal(gdal.Open(str(small_disk / "map.tif")).ReadAsArray(), data)


def test_disk_full_when_the_lock_file_is_written_is_a_clear_error_and_leaves_no_lock(small_disk):
    from planaura_plugin.raster.output_safety import LOCK_NAME, FolderLocks

    (small_disk / "filler").write_bytes(b"\0" * (1024 * 1024))
    with pytest.raises(OutputError, match=r"cannot write the lock file .*free some space"):
        with FolderLocks([str(small_disk)], wait_s=1):
            pass
    assert not (small_disk / LOCK_NAME).exists()


# ------------------------------------------------------------------ bounded by construction

BOUNDED = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1500 * 2 ** 20, 1500 * 2 ** 20))
    sys.path.insert(0, {repo!r})
    from planaura_plugin.upstream import load_config
    try:
        load_config(sys.argv[1])
    except Exception as exc:
        print(type(exc).__name__, len(str(exc)))
        print(str(exc)[:2000])
""")


def _bounded_load(path: Path, timeout: float = 20.0) -> str:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", BOUNDED.format(repo=str(REPO)), str(path)], capture_output=True,
                          text=True, timeout=timeout)
    assert time.monotonic() - started < timeout
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels):
        lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\nbatch_size: *a{levels - 1}\n"


def test_yaml_alias_bomb_is_refused_within_bounds(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_bomb())
    assert len(bomb.read_bytes()) < 600
    out = _bounded_load(bomb)
    kind, length = out.split("\n")[0].split()
    assert kind == "ConfigError" and int(length) < 600, out
    assert "aliases (*a" in out and "expand to more than 100000 values" in out, out


def test_a_few_aliases_are_fine_and_huge_values_are_cut_in_messages(tmp_path):
    from planaura_plugin.upstream import load_config
    from planaura_plugin.upstream.checkers import ConfigError

    small = tmp_path / "small.yaml"
    small.write_text(_bomb(3))  # 9 ** 3 values: under the limit, reaches the check of batch_size
    with pytest.raises(ConfigError) as err:
        load_config(small)
    assert "batch_size must be a whole number" in str(err.value) and len(str(err.value)) < 600
    long_value = tmp_path / "long.yaml"
    long_value.write_text("batch_size: '" + "x" * 1_000_000 + "'\n")
    with pytest.raises(ConfigError) as err:
        load_config(long_value)
    assert "batch_size must be a whole number, got 'xxx" in str(err.value) and len(str(err.value)) < 600


@pytest.mark.parametrize("pattern", [r"(.*)*Z(\d{7})", r"(\d+)+T", r"(a|aa)*(\d{7})", r".*.*.*.*(\d{7})"])
def test_catastrophic_date_pattern_is_refused_before_any_work(tmp_path, pattern):
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps({"change_map": {"date_regex": pattern}}))
    out = _bounded_load(config, timeout=20)
    assert "date_regex" in out and "is refused: it " in out and "could take hours" in out, out


def test_refused_pattern_is_catastrophic_and_accepted_ones_are_not():
    """The refusal is not arbitrary: the refused pattern backtracks exponentially on a name of 24
    characters (measured here, with a small name so that the test stays short), the presets do not."""
    from planaura_plugin.dates import date_pattern_problem
    from planaura_plugin.presets import HLS, S2

    name = "a" * 24
    started = time.monotonic()
    import re

    assert re.search(r"(a*)*Z(\d{7})", name) is None
    slow = time.monotonic() - started
    assert date_pattern_problem(r"(a*)*Z(\d{7})") is not None
    for safe in (HLS.date_regex, S2.date_regex, r"^.*_(\d{8})T.*$"):
        assert date_pattern_problem(safe) is None
        started = time.monotonic()
        re.search(safe, "HLS.S30.T15SXR" + "x" * 240)
        assert time.monotonic() - started < slow / 10, (safe, slow)


def test_date_from_name_refuses_a_catastrophic_pattern_given_elsewhere():
    from planaura_plugin.dates import date_from_name
    from planaura_plugin.errors import InputError

    with pytest.raises(InputError, match=r"is refused: it repeats a repeat"):
        date_from_name("/data/HLS.S30.T15SXR.2021250T170000.tif", r"(.*)*Z(\d{7})")
    assert date_from_name("/data/HLS.S30.T15SXR.2021250T170000.tif", r"\.(\d{7})T") == 2021250
