"""Issue 22, resume that cannot be confused, and a failed write never recorded as done.

The plan is the golden mosaic run v with the model work replaced by the fakes of
test_run_manifest (the same config and CSV).
"""
from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from planaura_plugin.feedback import Feedback
from planaura_plugin.raster.output_safety import LOCK_NAME, LOCK_STALE_S, FolderLocks, host_tag, temporary_name
from planaura_plugin.runs.manifest import DONE, FAILED, MANIFEST_NAME, RunManifest
from core.runs.test_run_manifest import Fakes, fake_pipelines, make_project, manifest_of, run
from core.test_output_set import dead_pid

MB_1 = 1024 * 1024


def value_of(file_id: str) -> int:
    """A value of its own for each pair (what its fake outputs hold)."""
    return zlib.crc32(file_id.encode()) % 1000 + 1


class Collect(Feedback):
    def __init__(self) -> None:
        self.warnings = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def _record(n: int) -> dict:
    return {"row": n, "status": DONE, "params": "p", "inputs": [], "outputs": {}}


def test_two_configs_sharing_a_save_folder_keep_each_others_records(tmp_path):
    """Two manifests of the same folder saved in turn (and from two threads at once) lose nothing."""
    a, b = RunManifest(tmp_path, "a.yaml"), RunManifest(tmp_path, "b.yaml")
    a.start_run("run-a", None)
    b.start_run("run-b", None)
    a.set_pair("!a1!a2", _record(1))
    a.save()
    b.set_pair("!b1!b2", _record(2))
    b.save()
    a.set_mosaic({"status": DONE, "outputs": {}, "inputs": {}})
    data = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert set(data["pairs"]) == {"!a1!a2", "!b1!b2"}
    assert [r["id"] for r in data["runs"]] == ["run-a", "run-b"]

    def many(manifest: RunManifest, prefix: str) -> None:
        for i in range(25):
            manifest.set_pair(f"!{prefix}{i}!x", _record(i))
            manifest.save()

    threads = [threading.Thread(target=many, args=(RunManifest(tmp_path, f"{p}.yaml"), p)) for p in "cd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pairs = json.loads((tmp_path / MANIFEST_NAME).read_text())["pairs"]
    assert len(pairs) == 52 and not [n for n in os.listdir(tmp_path) if n.startswith(".")]


@pytest.mark.parametrize("content", ['{"format": "planaura-run-manifest", "version": 1, "pairs": []}',
                                     '{"format": "planaura-run-manifest", "version": 1, "pairs": {"!a!b": 3}}',
                                     '{"format": "planaura-run-manifest", "version": 1, "pairs": {"!a!b": '
                                     '{"status": "done", "outputs": {"x": "y"}}}}',
                                     '{"format": "planaura-run-manifest", "version": 1, "runs": {}}'])
def test_manifest_of_the_wrong_shape_is_set_aside_and_reported(tmp_path, monkeypatch, content):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    folder = run_dir / "outputs" / "epoch2021"
    folder.mkdir(parents=True)
    (folder / MANIFEST_NAME).write_text(content)
    fb = Collect()
    result, _ = run(run_dir, feedback=fb)
    assert len(result.computed) == 3 and len(fakes.pairs) == 3
    aside = [p for p in folder.iterdir() if p.name.startswith(MANIFEST_NAME + ".bad-")]
    assert len(aside) == 1 and aside[0].read_text() == content
    assert [w for w in fb.warnings if "is damaged" in w and str(aside[0]) in w], fb.warnings
    assert len(manifest_of(run_dir)["pairs"]) == 3


def test_hidden_files_of_dead_runs_are_removed_at_start_even_with_nothing_to_compute(tmp_path, monkeypatch):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    first, _ = run(run_dir)
    outputs = [p for paths in first.pairs.values() for p in paths.values()]
    folder = os.path.dirname(outputs[0])
    dead = f"{dead_pid()}-{host_tag()}0123abcd"
    alive = f"{os.getppid()}-{host_tag()}0123abcd"
    leftovers = [temporary_name(outputs[0], dead), temporary_name(outputs[0], dead, "old"),
                 temporary_name(str(Path(run_dir / "outputs" / "epoch2021" / MANIFEST_NAME)), dead)]
    kept = temporary_name(outputs[0], alive)  # a run still writing
    for p in leftovers + [kept]:
        Path(p).write_text("x")
    second, _ = run(run_dir)
    assert second.computed == [] and len(fakes.pairs) == 3
    assert not any(os.path.exists(p) for p in leftovers) and os.path.exists(kept)
    assert os.path.isdir(folder)


def test_resume_rehashes_what_it_keeps(tmp_path, monkeypatch):
    """An output damaged after it was recorded (same size, same modification time) is recomputed;
    the others are kept."""
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    run(run_dir)
    record = next(iter(manifest_of(run_dir)["pairs"].values()))
    out = next(iter(record["outputs"].values()))
    data = bytearray(Path(out["path"]).read_bytes())
    data[0] ^= 0xFF
    Path(out["path"]).write_bytes(bytes(data))
    os.utime(out["path"], ns=(out["mtime_ns"], out["mtime_ns"]))
    second, _ = run(run_dir)
    assert len(second.computed) == 1 and len(second.skipped) == 2 and len(fakes.pairs) == 4


def test_stale_locks_by_age_whatever_the_host_and_by_pid_reuse(tmp_path):
    lock = tmp_path / LOCK_NAME
    lock.write_text(f"{os.getpid()} ffff {time.time():.3f} 1\n")  # another machine, refreshed now: held
    with pytest.raises(Exception, match="another run is saving"):
        with FolderLocks([str(tmp_path)], wait_s=0.3):
            pass
    old = time.time() - LOCK_STALE_S - 5  # another machine, not refreshed for long: its run died
    os.utime(lock, (old, old))
    with FolderLocks([str(tmp_path)], wait_s=0.3):
        assert lock.read_text().split()[:2] == [str(os.getpid()), host_tag()]
    lock.write_text(f"{os.getppid()} {host_tag()} {time.time():.3f} 1\n")  # live pid, another process start
    with FolderLocks([str(tmp_path)], wait_s=0.3):
        pass
    from planaura_plugin.raster.output_safety import process_start

    lock.write_text(f"{os.getppid()} {host_tag()} {time.time():.3f} {process_start(os.getppid())}\n")
    with pytest.raises(Exception, match="another run is saving"):  # the very process: held
        with FolderLocks([str(tmp_path)], wait_s=0.3):
            pass


def test_held_lock_is_refreshed(tmp_path, monkeypatch):
    from planaura_plugin.raster import output_safety

    monkeypatch.setattr(output_safety, "LOCK_REFRESH_S", 0.05)
    with FolderLocks([str(tmp_path)]):
        old = time.time() - 100
        os.utime(tmp_path / LOCK_NAME, (old, old))
        time.sleep(0.3)
        assert time.time() - os.path.getmtime(tmp_path / LOCK_NAME) < 5


def test_pair_failing_to_write_is_recorded_failed_then_computed_when_space_returns(tmp_path, monkeypatch):
    """A pair whose output cannot be written (disk full) is failed with the cause, never done; the
    resume computes it once there is space, and records it done with the hash of the good file."""
    from osgeo import gdal

    from planaura_plugin.raster.geotiff import OutputSet

    run_dir = make_project(tmp_path)
    disk = run_dir / "outputs" / "epoch2021"  # the pairs' outputs and the manifest
    disk.mkdir(parents=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        rows = {"n": 1024}  # 2 MiB a file: the second of a pair finds the disk full

        def run_pair(job, fb):
            written = {}
            with OutputSet() as outs:
                for kind, path in job.outputs.items():
                    w = outs.create(path, width=512, height=rows["n"], bands=1, dtype=np.float32, geotransform=None,
                                    projection=None, nodata=None, compression="LZW")
                    value = value_of(job.file_id)
                    values = np.random.default_rng(value).random((rows["n"], 512), dtype=np.float32)
                    w.write(values if rows["n"] > 100 else np.full_like(values, value))  # random: incompressible
                    written[kind] = path
                outs.commit()
            return written

        fake_pipelines(monkeypatch, run_pair, lambda request, feedback: {})
        first, plan = run(run_dir)
        records = manifest_of(run_dir)["pairs"]
        failed = [fid for fid, r in records.items() if r["status"] == FAILED]
        assert failed and all("no space left on the disk of" in records[f]["error"] for f in failed), records
        assert all(records[f]["outputs"] == {} for f in failed)
        assert not [n for n in os.listdir(disk) if n.endswith(".tif")]  # nothing under a final name
        rows["n"] = 32  # space enough now
        second, _ = run(run_dir)
        assert sorted(second.computed) == sorted(failed) and not second.failed, (second.failed, os.listdir(disk))
        for fid in failed:
            for out in manifest_of(run_dir)["pairs"][fid]["outputs"].values():
                written = gdal.Open(out["path"]).ReadAsArray()
                assert written.shape == (32, 512) and (written == value_of(fid)).all()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_disk_full_before_the_run_ends_in_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    """The save folder's disk is full from the start: the run stops with an error naming the folder
    and the cause (no traceback of an OSError, no empty lock file, no final-named file)."""
    from planaura_plugin.errors import OutputError
    from planaura_plugin.raster.geotiff import OutputSet

    run_dir = make_project(tmp_path)
    disk = run_dir / "outputs" / "epoch2021"
    disk.mkdir(parents=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        (disk / "filler").write_bytes(b"\0" * MB_1)

        def run_pair(job, fb):
            with OutputSet() as outs:
                for path in job.outputs.values():
                    outs.create(path, width=256, height=256, bands=1, dtype=np.float32, geotransform=None,
                                projection=None, nodata=None).write(np.ones((256, 256), np.float32))
                outs.commit()
            return dict(job.outputs)

        fake_pipelines(monkeypatch, run_pair, lambda request, feedback: {})
        with pytest.raises(OutputError) as err:
            run(run_dir)
        assert str(disk) in str(err.value) and "No space left on device" in str(err.value), str(err.value)
        assert sorted(os.listdir(disk)) == ["filler"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)

