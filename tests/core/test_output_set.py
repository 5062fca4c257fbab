"""Outputs and traces of failed runs: stale sidecars, rollback, dead runs' temporaries,
folders a failed run created, SIGTERM/SIGKILL and concurrent runs to the same outputs.

Every run here is a persistence mosaic of small synthetic pairs (fast, no model) or a raw
:class:`OutputSet`; subprocesses run real Python processes so that pids, signals and
concurrent commits are real.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import numpy as np
import pytest

from planaura_plugin.errors import Cancelled, OutputError
from planaura_plugin.feedback import Feedback
from planaura_plugin.pipeline.mosaic import run_mosaic
from planaura_plugin.raster.geotiff import OutputSet
from planaura_plugin.raster.output_safety import LOCK_NAME, host_tag
from outputs_support import N_FILES, commit_set, mosaic_run, pairs, request_for, write_set

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

POSIX = os.name == "posix"
REPO = Path(__file__).resolve().parents[2]


def band_stats(path: str):
    from osgeo import gdal

    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    return band.GetMetadataItem("STATISTICS_MINIMUM"), band.ComputeRasterMinMax(False)


class CancelMidway(Feedback):
    """Cancels once the mosaic has written its first block (temporaries exist then)."""

    def __init__(self) -> None:
        self.cancelled = False

    def progress(self, fraction: float, message: str = "") -> None:
        self.cancelled = self.cancelled or "block" in message

    def is_cancelled(self) -> bool:
        return self.cancelled


def listing(folder: Path) -> List[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ------------------------------------------------------------------------------ stale sidecars


def test_rerun_removes_the_sidecars_of_the_replaced_files(tmp_path):
    from osgeo import gdal

    out = tmp_path / "out"
    first = run_mosaic(request_for(pairs(tmp_path / "p1", 0.01, 2021001), out))
    cos = first["cosine_map"]
    ds = gdal.Open(cos)
    old_min = ds.GetRasterBand(1).ComputeStatistics(False)[0]  # QGIS/GDAL keep these in cos.aux.xml
    ds = None
    assert os.path.exists(cos + ".aux.xml") and abs(old_min - 0.01) < 1e-3
    root = os.path.splitext(cos)[0]
    for stale in (cos + ".ovr", cos + ".msk", root + ".qml", root + ".tfw"):
        Path(stale).write_text("old run")
    unrelated = [out / "notes.tif.aux.xml", out / "mosaic_cosine_map_test_c.txt"]
    for p in unrelated:
        p.write_text("keep")

    second = run_mosaic(request_for(pairs(tmp_path / "p2", 0.999, 2021001), out))
    assert second["cosine_map"] == cos
    for stale in (cos + ".aux.xml", cos + ".ovr", cos + ".msk", root + ".qml", root + ".tfw"):
        assert not os.path.exists(stale), stale
    assert all(p.read_text() == "keep" for p in unrelated)
    kept_stats, (lo, hi) = band_stats(cos)
    assert kept_stats is None  # nothing left from the old run
    ds = gdal.Open(cos)
    new_min = ds.GetRasterBand(1).ComputeStatistics(False)[0]
    assert new_min == pytest.approx(lo) and new_min > 0.99, (new_min, lo)
    assert not [n for n in listing(out) if n.startswith(".")], listing(out)


def test_a_failed_run_keeps_the_old_files_and_their_sidecars(tmp_path):
    out = tmp_path / "out"
    first = run_mosaic(request_for(pairs(tmp_path / "p1", 0.01, 2021001), out))
    sidecar = Path(first["cosine_map"] + ".aux.xml")
    sidecar.write_text("<PAMDataset/>")
    before = {n: (out / n).read_bytes() for n in listing(out)}

    with pytest.raises(Cancelled):
        run_mosaic(request_for(pairs(tmp_path / "p2", 0.999, 2021001), out, block_size=8), CancelMidway())
    assert {n: (out / n).read_bytes() for n in listing(out)} == before


def test_commit_is_all_or_nothing(tmp_path):
    """The third final name cannot be replaced (a folder holds it): the first two keep their old
    content and sidecars, and no temporary or backup is left."""
    from osgeo import gdal

    out = tmp_path / "out"
    out.mkdir()
    paths = [out / "a.tif", out / "b.tif", out / "c.tif"]
    with OutputSet() as s:
        write_set(s, paths[:2], 1.0, "old")
        s.commit()
    for p in paths[:2]:
        Path(str(p) + ".aux.xml").write_text("old stats")
    (out / "c.tif").mkdir()
    (out / "c.tif" / "x").write_text("blocks the rename")
    before = {n: (out / n).read_bytes() for n in listing(out) if (out / n).is_file()}

    with pytest.raises(OutputError, match=r"cannot replace .*c\.tif.*no output was changed"):
        with OutputSet() as s:
            write_set(s, paths, 2.0, "new")
            s.commit()
    assert {n: (out / n).read_bytes() for n in listing(out) if (out / n).is_file()} == before
    assert gdal.Open(str(paths[0])).GetMetadataItem("RUN") == "old"
    assert sorted(listing(out)) == ["a.tif", "a.tif.aux.xml", "b.tif", "b.tif.aux.xml", "c.tif"]


# ------------------------------------------------------------------------------ dead runs, folders


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temporaries_of_dead_runs_are_removed_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead, alive, tag = dead_pid(), os.getppid(), host_tag()
    other_tag = "0000" if tag != "0000" else "ffff"
    removed = [f".m.tif.{dead}-{tag}0123abcd.partial.tif", f".m.tif.{dead}-{tag}0123abcd.partial.tif.aux.xml",
               f".m.tif.{dead}-{tag}0123abcd.old", f".t.csv.{dead}-{tag}89abcdef.partial.csv"]
    kept = [f".m.tif.{alive}-{tag}0123abcd.partial.tif",  # a live run
            f".m.tif.{dead}-{other_tag}0123abcd.partial.tif",  # another machine's run on a shared folder
            f".m.tif.{dead}-0123abcd.partial.tif",  # not our exact pattern
            f"m.tif.{dead}-{tag}0123abcd.partial.tif", "mine.partial.tif", f".m.tif.{dead}-{tag}0123abcd.tif"]
    for name in removed + kept:
        (out / name).write_text("x")
    with OutputSet() as s:
        write_set(s, [out / "m.tif"], 1.0, "now")
        s.commit()
    assert listing(out) == sorted(kept + ["m.tif"])


def test_a_failed_run_removes_the_folders_it_created(tmp_path):
    target = tmp_path / "new" / "deeper"
    with pytest.raises(Cancelled):
        run_mosaic(request_for(pairs(tmp_path / "p", 0.2, 2021001), target, block_size=8), CancelMidway())
    assert not (tmp_path / "new").exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(Cancelled):
        run_mosaic(request_for(pairs(tmp_path / "p", 0.2, 2021001), existing / "sub", block_size=8), CancelMidway())
    assert existing.is_dir() and listing(existing) == []


# ------------------------------------------------------------------------------ signals

SLOW_RUN = """
import sys, time
sys.path[:0] = {paths!r}
from planaura_plugin.feedback import Feedback
from planaura_plugin.pipeline.mosaic import run_mosaic
from planaura_plugin.pipeline.requests import MosaicInputs, MosaicRequest
pairs = [MosaicInputs(**p) for p in {pairs!r}]

class Slow(Feedback):
    def progress(self, fraction, message=""):
        if "block" in message:
            open({marker!r}, "w").close()
            time.sleep(0.2)  # temporaries exist now; Python runs between the sleeps

run_mosaic(MosaicRequest(pairs=pairs, output_dir={out!r}, postfix="test", target_crs="EPSG:32615",
                         target_resolution=30.0, block_size=4), Slow())
"""


def start_slow_run(tmp_path: Path, out: Path) -> subprocess.Popen:
    ps = [{k: v for k, v in vars(p).items() if v and k in ("cosine_map", "before_date", "after_date",
                                                           "quality_fmask")}
          for p in pairs(tmp_path / "p", 0.2, 2021001)]
    marker = tmp_path / "writing"
    script = SLOW_RUN.format(paths=[str(REPO), str(REPO / "tests")], pairs=ps, marker=str(marker), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < end, proc.communicate()[1]
        time.sleep(0.02)
    assert any(".partial" in n for n in listing(out)), listing(out)
    return proc


@pytest.mark.skipif(not POSIX, reason="SIGTERM is a POSIX signal")
def test_sigterm_removes_the_temporaries_and_still_ends_the_process(tmp_path):
    out = tmp_path / "new" / "out"
    proc = start_slow_run(tmp_path, out)
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == -signal.SIGTERM, err
    assert not (tmp_path / "new").exists(), listing(out)  # temporaries and the folders it created: gone


@pytest.mark.skipif(not POSIX, reason="SIGKILL is a POSIX signal")
def test_temporaries_of_a_killed_run_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    proc = start_slow_run(tmp_path, out)
    proc.kill()
    proc.communicate(timeout=60)
    left = [n for n in listing(out) if ".partial" in n]
    assert left  # SIGKILL cannot be caught
    run_mosaic(request_for(pairs(tmp_path / "p2", 0.5, 2021001), out))
    assert not [n for n in listing(out) if n.startswith(".")], listing(out)


# ------------------------------------------------------------------------------ concurrent runs

def test_concurrent_commits_give_one_consistent_set(tmp_path):
    from osgeo import gdal

    ctx = multiprocessing.get_context("spawn")
    for round_ in range(3):
        folder = tmp_path / f"r{round_}"
        barrier = ctx.Barrier(2)
        procs = [ctx.Process(target=commit_set, args=(str(folder), run, barrier, True)) for run in ("a", "b")]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0, 0]
        runs = []
        for i in range(N_FILES):
            ds = gdal.Open(str(folder / f"f{i:02d}.tif"))
            runs.append(ds.GetMetadataItem("RUN"))
            assert ds.ReadAsArray().min() == ds.ReadAsArray().max() == float(runs[-1] == "b")
        assert len(set(runs)) == 1, runs  # never a mix
        assert listing(folder) == [f"f{i:02d}.tif" for i in range(N_FILES)]  # no temporary, no lock


def test_concurrent_mosaics_to_the_same_folder(tmp_path):
    """Two mosaics of different pairs into one folder at once: every file comes from one run."""
    from osgeo import gdal

    refs: Dict[str, Dict[str, np.ndarray]] = {}
    for base in (0.2, 0.6):
        written = run_mosaic(request_for(pairs(tmp_path / f"p{base}", base, 2021001), tmp_path / f"ref{base}"))
        refs[str(base)] = {k: gdal.Open(v).ReadAsArray() for k, v in written.items()}
    out = tmp_path / "out"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=mosaic_run, args=(str(tmp_path / f"p{base}"), str(out), base))
             for base in (0.2, 0.6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    origin = set(refs)
    for kind in refs["0.2"]:  # the runs each file can come from (persistence is the same in both)
        arr = gdal.Open(str(out / f"mosaic_{kind}_test_c.tif")).ReadAsArray()
        origin &= {b for b, ref in refs.items() if np.array_equal(arr, ref[kind])}
    assert len(origin) == 1, origin
    assert not [n for n in listing(out) if n.startswith(".") or n == LOCK_NAME]


# ------------------------------------------------------------------------------ messages


def test_messages_say_the_reason_first(tmp_path):
    """Every failure of the output machinery names the file, what was found and what to do."""
    from planaura_plugin.raster.geotiff import GeoTiffWriter, check_writable
    from planaura_plugin.raster.output_safety import FolderLocks

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    messages = []
    for attempt in (lambda: check_writable(blocker / "sub" / "m.tif"),
                    lambda: OutputSet().temp_name(blocker / "sub" / "m.tif"),
                    lambda: GeoTiffWriter(tmp_path / "huge.tif", width=2 ** 30, height=2 ** 30, bands=1,
                                          dtype=np.float32, geotransform=None, projection=None, nodata=None,
                                          compression="NONE")):
        with pytest.raises(OutputError) as err:
            attempt()
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith(f"cannot write into the output folder {blocker / 'sub'}: {blocker} is a file, "
                                  "not a folder; choose another"), messages[0]
    assert messages[2].startswith(f"GDAL could not create {tmp_path / 'huge.tif'} (1073741824 x 1073741824 px, "
                                  "1 band(s)): "), messages[2]
    assert not messages[2].rstrip().endswith(":") and len(messages[2].split("): ", 1)[1]) > 10, messages[2]

    (tmp_path / LOCK_NAME).write_text(f"{os.getppid()} {host_tag()} 0\n")  # a live process holds it
    with pytest.raises(OutputError) as err:
        with FolderLocks([str(tmp_path)], wait_s=0.2):
            pass
    assert str(err.value).startswith(f"another run is saving its files in {tmp_path} (lock file "
                                     f"{tmp_path / LOCK_NAME}, held by process {os.getppid()})"), str(err.value)
    assert "delete the lock file if no other run is active" in str(err.value)
    (tmp_path / LOCK_NAME).write_text(f"{dead_pid()} {host_tag()} 0\n")  # its owner died: taken over
    with FolderLocks([str(tmp_path)], wait_s=0.2):
        assert (tmp_path / LOCK_NAME).read_text().split()[0] == str(os.getpid())
    assert not (tmp_path / LOCK_NAME).exists()


def test_the_early_check_creates_and_removes_nothing(tmp_path, monkeypatch):
    """check_writable probes the nearest existing folder: another run writing into a new folder at
    the same time never finds it removed by this check."""
    from pathlib import Path

    from planaura_plugin.raster.geotiff import check_writable

    def forbidden(*args, **kwargs):
        raise AssertionError("the early check made or removed a folder")

    target = tmp_path / "new" / "deeper" / "map.tif"
    (tmp_path / "other_run").mkdir()  # a folder someone else made and uses meanwhile
    monkeypatch.setattr(Path, "mkdir", forbidden)
    monkeypatch.setattr(os, "rmdir", forbidden)
    monkeypatch.setattr(os, "makedirs", forbidden)
    check_writable(target)
    check_writable(tmp_path / "other_run" / "map.tif")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other_run"]
    assert list((tmp_path / "other_run").iterdir()) == []
    os.chmod(tmp_path / "other_run", 0o500)
    try:
        if os.access(tmp_path / "other_run", os.W_OK):  # root writes anywhere: nothing to refuse
            return
        with pytest.raises(OutputError, match="cannot write into the output folder"):
            check_writable(tmp_path / "other_run" / "sub" / "map.tif")
    finally:
        os.chmod(tmp_path / "other_run", 0o700)
