"""The run manifest and resume (planaura_run.json), with the model work replaced by fakes.

The plan is the golden mosaic run v (three pairs of the sample data, a mosaic); the fake pair
writes bytes that depend on its inputs (and on a per-test "version", to model a changed
result) so that what is recomputed and what is kept can be told from the files and the
manifest. The real pipelines under Dask are tested in test_distributed.py.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from support import GOLDEN
from planaura_plugin.runs.dask.cluster import parse_scheduler
from planaura_plugin.errors import InputError, OutputError
from planaura_plugin.products import request_layers
from planaura_plugin.runs import pipelines, run_plan
from planaura_plugin.runs.manifest import MANIFEST_NAME
from planaura_plugin.upstream import build_plan, load_config

RUN = GOLDEN / "raster" / "v_mosaic3"


def make_project(tmp_path: Path, **changes) -> Path:
    """v_mosaic3's config and CSV under tmp_path/run, the golden inputs linked; returns run/."""
    (tmp_path / "inputs").symlink_to(GOLDEN / "raster" / "inputs")
    run = tmp_path / "run"
    run.mkdir()
    text = (RUN / "config.yaml").read_text().replace("<CHECKPOINT>", str(tmp_path / "tiny.pth"))
    (tmp_path / "tiny.pth").write_bytes(b"weights")
    import yaml

    cfg = yaml.safe_load(text)
    for key, value in changes.items():
        section, _, sub = key.partition("__")
        if sub:
            cfg[section][sub] = value
        else:
            cfg[key] = value
    (run / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    (run / "infer_data.csv").write_text((RUN / "infer_data.csv").read_text())
    return run


def pair_of(request) -> SimpleNamespace:
    """What the fakes need of the pair a change-map request is for: its file id (from its cosine
    map's name, ``cosine_map!A!B.tif``), its inputs and its outputs (kind -> path, as the PairJob's)."""
    outputs = request_layers(request.outputs)
    file_id = Path(outputs["cosine_map"]).name[len("cosine_map"):-len(".tif")]
    return SimpleNamespace(file_id=file_id, inputs=list(request.inputs), outputs=outputs)


def fake_pipelines(monkeypatch, pair, mosaic) -> None:
    """Replace the raster pipelines at the runs' test seam (runs.pipelines.pipelines): the change
    map of a request is ``pair(pair_of(request), feedback)``, the mosaic ``mosaic(request, feedback)``."""
    def change_map(request, feedback):
        return pair(pair_of(request), feedback)

    monkeypatch.setattr(pipelines, "pipelines", lambda tasks: (change_map, mosaic))


class Fakes:
    """Fake pair computation and mosaic; ``version`` goes into the bytes written."""

    def __init__(self, monkeypatch) -> None:
        self.pairs, self.mosaics, self.version, self.fail = [], 0, 0, set()
        fake_pipelines(monkeypatch, self.run_pair, self.run_mosaic)

    def run_pair(self, job, fb):
        for fraction in (0.0, 0.5, 1.0):  # as the pipeline: 0 when it starts checking inputs
            fb.progress(fraction)
        self.pairs.append(job.file_id)
        if job.file_id in self.fail:
            raise InputError(f"{job.inputs[1]} is not a raster GDAL can read")
        written = {}
        for kind, path in job.outputs.items():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(f"{kind} {job.inputs} v{self.version}")
            written[kind] = path
        return written

    def run_mosaic(self, request, feedback):
        self.mosaics += 1
        path = Path(request.output_dir) / "mosaic_cosine_map_golden_c.tif"
        path.write_text(f"mosaic of {len(request.pairs)}")
        return {"cosine_map": str(path)}


def run(run_dir: Path, **kw):
    plan = build_plan(load_config(run_dir / "config.yaml"), cwd=run_dir)
    return run_plan(plan, **kw), plan


def manifest_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "outputs" / "epoch2021" / MANIFEST_NAME).read_text())


def test_second_run_computes_nothing(tmp_path, monkeypatch):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    first, plan = run(run_dir)
    assert len(fakes.pairs) == 3 and fakes.mosaics == 1
    assert sorted(first.computed) == sorted(j.file_id for j in plan.pairs) and not first.failed
    second, _ = run(run_dir)
    assert len(fakes.pairs) == 3 and fakes.mosaics == 1  # nothing ran again
    assert second.computed == [] and len(second.skipped) == 3 and second.mosaic_skipped
    assert second.files == first.files
    m = manifest_of(run_dir)
    assert [r["computed"] for r in m["runs"]][1] == [] and m["runs"][1]["mosaic"] == "skipped"
    for fid, rec in m["pairs"].items():
        assert rec["status"] == "done" and rec["run"] == first.run_id and rec["error"] is None
        assert len(rec["inputs"]) == 4 or fid.endswith("nocloud.2022250T")  # images and Fmask files
        for out in rec["outputs"].values():
            import hashlib
            assert out["sha256"] == hashlib.sha256(Path(out["path"]).read_bytes()).hexdigest()


def test_changed_input_redoes_its_pairs_and_the_mosaic_only_when_what_it_reads_changed(tmp_path, monkeypatch):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    first, _ = run(run_dir)
    # an input with a new time: the two pairs that read it run again, and the mosaic (it samples
    # that image for mosaic_before_input)
    import shutil
    (tmp_path / "inputs").unlink()
    shutil.copytree(GOLDEN / "raster" / "inputs", tmp_path / "inputs")
    os.utime(tmp_path / "inputs" / "epoch2021" / "HLS.S30.T15SXR-cropC.2021250T163901.v2.0.tif", ns=(1, 1))
    fakes.pairs.clear()
    second, _ = run(run_dir)
    assert sorted(fakes.pairs) == sorted(second.computed) and len(fakes.pairs) == 2
    assert all("cropC" in f for f in fakes.pairs)
    assert not second.mosaic_skipped and fakes.mosaics == 2
    # a deleted per-pair output is redone; the same bytes again: the mosaic is kept
    os.remove(first.pairs[2]["cosine_map"])
    fakes.pairs.clear()
    third, _ = run(run_dir)
    assert len(fakes.pairs) == 1 and third.computed == fakes.pairs and third.mosaic_skipped and fakes.mosaics == 2
    # other bytes this time: the mosaic runs again
    fakes.version = 1
    os.remove(first.pairs[2]["cosine_map"])
    fourth, _ = run(run_dir)
    assert len(fourth.computed) == 1 and not fourth.mosaic_skipped and fakes.mosaics == 3


def test_touched_output_is_kept_force_redoes_all_and_parameters_count(tmp_path, monkeypatch):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    first, _ = run(run_dir)
    os.utime(first.pairs[2]["cosine_map"], ns=(5, 5))  # same bytes, another time
    second, _ = run(run_dir)
    assert second.computed == [] and len(fakes.pairs) == 3
    third, _ = run(run_dir, force=True)
    assert len(third.computed) == 3 and len(fakes.pairs) == 6 and fakes.mosaics == 2
    # another parameter that decides the numbers: every pair again
    cfg = (run_dir / "config.yaml").read_text().replace("minimum_valid_percentage: 0.7",
                                                         "minimum_valid_percentage: 0.5")
    (run_dir / "config.yaml").write_text(cfg)
    fourth, _ = run(run_dir)
    assert len(fourth.computed) == 3


def test_pair_failing_for_its_data_is_recorded_and_the_others_complete(tmp_path, monkeypatch, capsys):
    from planaura_plugin.__main__ import main

    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    bad = "!HLS.S30.T15SXR-cropC.2021250T163901.v2.0!nocloud.2022250T"
    fakes.fail.add(bad)
    monkeypatch.chdir(run_dir)
    assert main(["run", "config.yaml"]) == 1
    out, err = capsys.readouterr()
    assert "2 computed, 0 unchanged (kept), 1 failed" in out
    assert f"FAILED {bad[1:]}: " in out and "is not a raster GDAL can read" in out
    assert "1 of 3 pair(s) failed" in err
    rec = manifest_of(run_dir)["pairs"][bad]
    assert rec["status"] == "failed" and "nocloud.2022250T.tif is not a raster GDAL can read" in rec["error"]
    assert fakes.mosaics == 1  # built from the two pairs that completed
    fakes.fail.clear()
    fakes.pairs.clear()
    assert main(["run", "config.yaml"]) == 0
    assert fakes.pairs == [bad] and fakes.mosaics == 2  # only the failed pair; the mosaic has a new input


def test_every_pair_failing_gives_the_reasons_and_no_mosaic(tmp_path, monkeypatch):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    plan = build_plan(load_config(run_dir / "config.yaml"), cwd=run_dir)
    fakes.fail.update(job.file_id for job in plan.pairs)
    result = run_plan(plan)
    assert sorted(result.failed) == sorted(fakes.fail) and fakes.mosaics == 0 and not result.mosaic
    assert all("is not a raster GDAL can read" in why for why in result.failed.values())


def test_delete_residues_then_resume_keeps_everything(tmp_path, monkeypatch):
    fakes = Fakes(monkeypatch)
    run_dir = make_project(tmp_path, mosaic_params__delete_residues=True)
    first, _ = run(run_dir)
    assert first.removed and not any(os.path.exists(p) for p in first.removed)
    second, _ = run(run_dir)
    assert second.computed == [] and second.mosaic_skipped and len(fakes.pairs) == 3


def test_manifest_that_is_not_one_is_refused(tmp_path, monkeypatch):
    Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    folder = run_dir / "outputs" / "epoch2021"
    folder.mkdir(parents=True)
    (folder / MANIFEST_NAME).write_text('{"something": "else"}')
    with pytest.raises(OutputError, match=r"planaura_run.json is not a Planaura run manifest.*move it aside"):
        run(run_dir)
    (folder / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(OutputError, match=r"planaura_run.json cannot be read"):
        run(run_dir)


@pytest.mark.parametrize("text, kind, workers", [("local", "local", None), ("local:3", "local", 3),
                                                 ("tcp://10.0.0.5:8786", "address", None)])
def test_scheduler_values(text, kind, workers):
    spec = parse_scheduler(text)
    assert (spec.kind, spec.workers) == (kind, workers)


@pytest.mark.parametrize("text, message", [("local:0", "whole number >= 1"), ("local:x", "whole number >= 1"),
                                           ("/nowhere/sched.json", "scheduler file /nowhere/sched.json does not"),
                                           ("myhost:8786", "give local, local:N")])
def test_scheduler_mistakes(text, message):
    with pytest.raises(InputError, match=message):
        parse_scheduler(text)


def test_local_workers_use_the_python_of_this_installation_not_qgis(tmp_path, monkeypatch):
    """Inside QGIS sys.executable is QGIS (or a python3 guessed from PATH): the workers get the
    interpreter of sys.exec_prefix."""
    import multiprocessing
    import sys

    from planaura_plugin.runs.dask import cluster

    python = tmp_path / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    python.parent.mkdir()
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    chosen = []
    monkeypatch.setattr(multiprocessing, "set_executable", chosen.append)
    monkeypatch.setattr(sys, "exec_prefix", str(tmp_path))
    for exe in ("/usr/bin/qgis", "/root/.pyenv/shims/python3"):
        monkeypatch.setattr(sys, "executable", exe)
        cluster._python_for_workers()
    assert chosen == [str(python)] * 2
    monkeypatch.setattr(sys, "executable", str(python))  # a venv's own python: kept as is
    cluster._python_for_workers()
    assert len(chosen) == 2
    python.unlink()
    monkeypatch.setattr(sys, "executable", "/usr/bin/qgis")
    with pytest.raises(InputError, match="none was found in .*tcp://HOST:PORT"):
        cluster._python_for_workers()


def test_progress_only_goes_forward_when_some_pairs_are_kept(tmp_path, monkeypatch):
    from planaura_plugin.feedback import Feedback

    class Fractions(Feedback):
        def __init__(self):
            self.seen = []

        def progress(self, fraction, message=""):
            self.seen.append(fraction)

    Fakes(monkeypatch)
    run_dir = make_project(tmp_path)
    first, _ = run(run_dir)
    os.remove(first.pairs[3]["cosine_map"])
    os.remove(first.pairs[4]["cosine_map"])
    fb = Fractions()
    second, _ = run(run_dir, feedback=fb)
    assert len(second.computed) == 2 and len(second.skipped) == 1
    assert fb.seen == sorted(fb.seen) and fb.seen[-1] == 1.0
