"""Upstream runs on Dask distributed: same bytes as a run in one process, a killed worker,
resume without model work.

The run is the golden mosaic run v (three pairs of the sample data, tiny model), with the
mosaic in 256 px blocks (6 blocks) so that the mosaic is several Dask tasks. The reference is
a run without a scheduler in a fresh Python (which also shows that such a run never imports
Dask); the distributed runs use ``local:2`` = ``LocalCluster(n_workers=2,
threads_per_worker=1, processes=True)``. Outputs are compared byte for byte: every run writes
into the same folder (the reference's outputs are moved aside first), so even the paths kept in
GDAL metadata agree.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from support import GOLDEN, REPO
from planaura_plugin.runs import run_plan
from planaura_plugin.runs.manifest import MANIFEST_NAME
from planaura_plugin.runs.pipelines import KILL_ONCE_ENV
from planaura_plugin.upstream import build_plan, load_config

pytest.importorskip("distributed")

RUN = GOLDEN / "raster" / "v_mosaic3"
BLOCK = 256

# the reference: no scheduler, in a fresh interpreter; then no Dask module may be loaded
REFERENCE = f"""
import sys
from dataclasses import replace
from planaura_plugin.runs import run_plan
from planaura_plugin.upstream import build_plan, load_config
plan = build_plan(load_config("config.yaml"), cwd=".")
plan.mosaic.request = replace(plan.mosaic.request, block_size={BLOCK})
result = run_plan(plan)
assert not result.failed and len(result.computed) == 3, result
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
assert not loaded, loaded
"""


def project(root: Path, checkpoint: Path) -> Path:
    root.mkdir(parents=True)
    (root / "inputs").symlink_to(GOLDEN / "raster" / "inputs")
    run = root / "run"
    run.mkdir()
    (run / "config.yaml").write_text((RUN / "config.yaml").read_text().replace("<CHECKPOINT>", str(checkpoint)))
    shutil.copy(RUN / "infer_data.csv", run / "infer_data.csv")
    return run


def plan_of(run_dir: Path):
    plan = build_plan(load_config(run_dir / "config.yaml"), cwd=run_dir)
    plan.mosaic.request = replace(plan.mosaic.request, block_size=BLOCK)
    return plan


def tree(folder: Path) -> dict:
    """relative path -> bytes of every GeoTIFF under folder."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.tif"))}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, tiny_checkpoint):
    """(the run folder every test uses, relative path -> bytes of the reference GeoTIFFs)."""
    base = tmp_path_factory.mktemp("dist")
    run_dir = project(base / "work", tiny_checkpoint)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", REFERENCE], cwd=run_dir, env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    files = tree(run_dir / "outputs")
    assert len(files) == 27  # 3 pairs x 6 files, 9 mosaic files
    shutil.move(str(run_dir / "outputs"), str(base / "reference_outputs"))
    return run_dir, files


@pytest.fixture
def run_dir(reference):
    """The shared run folder, without outputs (removed again after the test)."""
    folder = reference[0]
    shutil.rmtree(folder / "outputs", ignore_errors=True)
    yield folder
    shutil.rmtree(folder / "outputs", ignore_errors=True)


def test_distributed_run_gives_the_same_bytes_and_a_second_run_does_no_model_work(reference, run_dir):
    ref_files = reference[1]
    result = run_plan(plan_of(run_dir), scheduler="local:2")
    assert not result.failed and len(result.computed) == 3 and result.mosaic and not result.mosaic_skipped
    files = tree(run_dir / "outputs")
    assert sorted(files) == sorted(ref_files)
    assert [k for k in files if files[k] != ref_files[k]] == []
    manifest = json.loads((run_dir / "outputs" / "epoch2021" / MANIFEST_NAME).read_text())
    records = manifest["pairs"].values()
    workers = {r["worker"] for r in records}
    # each worker process loaded the network once and reused it for its next pairs
    assert sum(r["model_loaded"] for r in records) == len(workers) <= 2 < len(records)
    # the second run keeps everything: no model work at all, no cluster started (no dashboard)
    again = run_plan(plan_of(run_dir), scheduler="local:2")
    assert again.computed == [] and len(again.skipped) == 3 and again.mosaic_skipped and again.dashboard is None
    manifest = json.loads((run_dir / "outputs" / "epoch2021" / MANIFEST_NAME).read_text())
    last = manifest["runs"][-1]
    assert last["computed"] == [] and last["model_loads"] == 0 and last["mosaic"] == "skipped"
    assert all(r["run"] == result.run_id for r in manifest["pairs"].values())
    assert tree(run_dir / "outputs") == files


def test_killed_worker_mid_pair_the_run_completes_with_the_same_bytes(reference, run_dir, tmp_path, monkeypatch):
    ref_files = reference[1]
    marker = tmp_path / "killed.txt"
    monkeypatch.setenv(KILL_ONCE_ENV, str(marker))  # the worker processes inherit it
    result = run_plan(plan_of(run_dir), scheduler="local:2")
    assert marker.is_file(), "no worker was killed: the test hook did not fire"
    killed = marker.read_text().strip()
    assert not result.failed and len(result.computed) == 3
    manifest = json.loads((run_dir / "outputs" / "epoch2021" / MANIFEST_NAME).read_text())
    assert killed not in {r["worker"] for r in manifest["pairs"].values()}  # its pair was done elsewhere
    files = tree(run_dir / "outputs")
    assert sorted(files) == sorted(ref_files)
    assert [k for k in files if files[k] != ref_files[k]] == []
    # nothing else under a final name; the dead worker's hidden temporaries were removed when the
    # pair ran again in the same folders (OutputSet removes those of dead processes)
    names = sorted(str(p.relative_to(run_dir / "outputs")) for p in (run_dir / "outputs").rglob("*") if p.is_file())
    assert names == sorted(list(ref_files) + [f"epoch2021/{MANIFEST_NAME}"])


@pytest.mark.parametrize("device, gpu", [("cuda", True), ("auto", False), ("cpu", False)])
def test_model_tasks_ask_for_a_gpu_when_the_model_runs_on_one(device, gpu):
    """cuda: local workers offer GPU=1 and pair tasks ask for it; auto without GPU workers, cpu: no resource."""
    from types import SimpleNamespace

    from planaura_plugin.runs.dask import DaskExecutor
    from planaura_plugin.runs.dask.cluster import worker_resources
    from planaura_plugin.feedback import Feedback

    executor = DaskExecutor("local:1", SimpleNamespace(model=SimpleNamespace(device=device)), Feedback())
    try:
        assert executor.resources == ({"GPU": 1} if gpu else None)
        assert worker_resources(executor.client) == (1, 1 if gpu else 0)
    finally:
        executor.close()


def test_change_types_on_workers_match_the_runner_in_one_process(tmp_path, tiny_checkpoint):
    """change_map.cluster: the pair task on a Dask worker writes the same change types (and types
    file) as runs.run_config in this process; the manifest records them."""
    import yaml

    from planaura_plugin.runs import run_config
    from support import TINY

    sample = REPO / "sample_data"
    a0, a1 = "HLS.S30.T15SXR.2021250T163901.v2.0", "HLS.S30.T15SXR.2022245T163901.v2.0"
    (tmp_path / "pairs.csv").write_text(f"input_file_0,input_file_1\n{sample / (a0 + '.tif')},"
                                        f"{sample / (a1 + '.tif')}\n")
    cfg = {"task_list": ["infer"], "csv_inference_file": "pairs.csv", "paths_included_in_csvs": True,
           "inference_save_folder_frame_0": "out0", "inference_save_folder_frame_1": "out1", "use_gpu": False,
           "tif_compression": "LZW", "minimum_valid_percentage": 0.7,
           "change_map": {"return": True, "date_regex": r"\.(\d{7})T",
                          "cluster": {"return": True, "min_cluster_size": 5, "max_similarity": 0.9}},
           "feature_maps": {"return": False},
           "model_params": {"load_params": {"source": "local", "checkpoint_path": str(tiny_checkpoint)}, **TINY}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    run_config(tmp_path / "config.yaml", cwd=tmp_path)
    shutil.move(str(tmp_path / "out0"), str(tmp_path / "ref0"))
    result = run_plan(build_plan(load_config(tmp_path / "config.yaml"), cwd=tmp_path), scheduler="local:1")
    fid = f"!{a0}!{a1}"
    assert not result.failed and result.pairs[2]["change_types"].endswith(f"change_types{fid}.tif")
    for name in (f"change_types{fid}.tif", f"cosine_map{fid}.tif"):
        assert (tmp_path / "out0" / name).read_bytes() == (tmp_path / "ref0" / name).read_bytes(), name
    types, ref = (json.loads((tmp_path / folder / f"change_types{fid}.types.json").read_text())
                  for folder in ("out0", "ref0"))
    types.pop("fitted_on"), ref.pop("fitted_on")  # the temporary embeddings file each run fitted on
    assert types == ref and types["types"]
    record = json.loads((tmp_path / "out0" / MANIFEST_NAME).read_text())["pairs"][fid]
    assert record["outputs"]["change_types"]["path"] == result.pairs[2]["change_types"]
