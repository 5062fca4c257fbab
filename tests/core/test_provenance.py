"""Provenance with every output (issue 27): what each raster and the JSON beside it say is what ran,
and running again from the JSON's parameters gives the same values."""
from __future__ import annotations

import datetime
import hashlib
import json
import time

import numpy as np
import pytest

from support import GOLDEN, TINY
from planaura_plugin import __version__, provenance
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.pipeline.rerun import request_from_provenance
from planaura_plugin.presets import HLS

INPUTS = GOLDEN / "raster" / "inputs"
S21 = INPUTS / "epoch2021" / "HLS.S30.T15SXR-cropS.2021250T163901.v2.0.tif"
S22 = INPUTS / "epoch2022" / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif"


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def outputs(folder):
    return ChangeMapOutputs(cosine_map=str(folder / "cos.tif"), classes=str(folder / "classes.tif"),
                            before_date=str(folder / "before.tif"), feature_maps={1: str(folder / "f1.tif")})


def pixels(path) -> bytes:
    from osgeo import gdal

    ds = gdal.Open(str(path))
    return b"".join(ds.GetRasterBand(b + 1).ReadRaster() for b in range(ds.RasterCount))


@pytest.fixture(scope="module")
def first_run(tiny_checkpoint, tmp_path_factory):
    out = tmp_path_factory.mktemp("prov") / "run1"
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=3)
    request = ChangeMapRequest(inputs=[str(S21), str(S22)], outputs=outputs(out), model=spec, min_valid=0.5,
                               embeddings=[3, 1, 7], class_thresholds=(0.95, 0.9, 0.8))
    written = run_change_map(request)
    return request, written, out


def test_every_output_and_the_json_say_what_ran(first_run, tiny_checkpoint):
    request, written, out = first_run
    sidecar = out / ("cos" + provenance.SIDECAR_SUFFIX)
    record = json.loads(sidecar.read_text(encoding="utf-8"))
    created = record.pop("created")  # the JSON only: the same run gives the same raster bytes
    assert abs(datetime.datetime.fromisoformat(created).timestamp() - time.time()) < 3600
    for path in written.values():
        assert provenance.read_provenance(path) == record  # one record, on every raster
    from osgeo import gdal
    items = gdal.Open(written["cosine_map"]).GetMetadata()
    assert items[provenance.VERSION_KEY] == __version__ == record["plugin_version"]
    assert items[provenance.WEIGHTS_KEY] == sha(tiny_checkpoint) == record["model"]["weights"]["sha256"]
    weights = record["model"]["weights"]
    assert weights["size"] == tiny_checkpoint.stat().st_size and weights["pinned"] is False
    p = record["parameters"]
    assert (p["min_valid"], p["embeddings"], p["class_thresholds"], p["patch_stride"], p["upsample"]) == \
        (0.5, [3, 1, 7], [0.95, 0.9, 0.8], 16, True)
    assert record["model"]["config"]["embed_dim"] == TINY["embed_dim"] and record["model"]["preset"]["name"] == HLS.name
    assert [i["name"] for i in record["inputs"]] == [str(S21), str(S22)]
    assert [i["date"] for i in record["inputs"]] == [2021250, 2022245]
    for image, entry in zip((S21, S22), record["inputs"]):
        main = [f for f in entry["files"] if f["path"] == str(image)]
        assert main and main[0]["size"] == image.stat().st_size
        assert (main[0]["fingerprint"], main[0]["method"]) == (sha(image), "sha256")
    assert record["outputs"]["cosine_map"] == str(out / "cos.tif")
    assert record["software"]["planaura"] == __version__ and "torch" in record["software"]


def test_running_again_from_the_json_gives_the_same_values(first_run):
    request, written, out = first_run
    record = provenance.read_provenance(str(out / ("cos" + provenance.SIDECAR_SUFFIX)))
    again = out.parent / "run2"
    redo = request_from_provenance(record, outputs(again))
    assert redo.min_valid == request.min_valid and redo.class_thresholds == request.class_thresholds
    second = run_change_map(redo)
    assert set(second) == set(written)
    for kind, path in written.items():
        assert pixels(path) == pixels(second[kind]), kind
    record2 = provenance.read_provenance(second["cosine_map"])
    for key in ("parameters", "model", "inputs", "plugin_version"):
        assert record2[key] == record[key], key


def test_big_files_get_the_named_sampled_fingerprint(tmp_path, monkeypatch):
    monkeypatch.setattr(provenance, "FULL_HASH_LIMIT", 1000)
    big = tmp_path / "big.tif"
    data = bytearray(np.random.default_rng(0).integers(0, 256, 3 * 2 ** 20, dtype=np.uint8).tobytes())
    big.write_bytes(bytes(data))
    entry = provenance.file_fingerprint(str(big))
    size = len(data)
    expected = hashlib.sha256(size.to_bytes(8, "little"))
    for k in range(16):
        start = k * (size - 2 ** 20) // 15
        expected.update(bytes(data[start:start + 2 ** 20]))
    assert (entry["method"], entry["fingerprint"], entry["size"]) == (provenance.SAMPLED, expected.hexdigest(), size)
    data[0] ^= 1  # the first block is always sampled
    big.write_bytes(bytes(data))
    assert provenance.file_fingerprint(str(big))["fingerprint"] != entry["fingerprint"]


def test_a_record_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="change-map record"):
        request_from_provenance({"schema": "other"}, outputs=None)


def test_the_area_report_carries_the_record(first_run, tmp_path, tiny_checkpoint):
    from planaura_plugin.analysis.polygons import PolygonRequest, run_change_polygons

    _request, written, _out = first_run
    report = tmp_path / "areas.html"
    run_change_polygons(PolygonRequest(change_map=written["cosine_map"], output=str(tmp_path / "p.gpkg"),
                                       report=str(report)))
    page = report.read_text(encoding="utf-8")
    assert f"<dd>{sha(tiny_checkpoint)}</dd>" in page and f"<dd>{__version__}</dd>" in page
    embedded = page.split("<script type='application/json' id='planaura-provenance'>")[1].split("</script>")[0]
    assert json.loads(embedded) == provenance.read_provenance(written["cosine_map"])


def test_the_yaml_runners_manifest_holds_each_pairs_record(tmp_path, tiny_checkpoint):
    """Upstream runs keep their file layout (no JSON beside the outputs); the manifest holds the record."""
    import shutil

    from planaura_plugin.runs.resumable import run_plan
    from planaura_plugin.runs.manifest import MANIFEST_NAME
    from planaura_plugin.upstream import build_plan, load_config

    source = GOLDEN / "raster" / "v_mosaic3"
    (tmp_path / "inputs").symlink_to(GOLDEN / "raster" / "inputs")  # the config reads ../inputs
    run = tmp_path / "work"
    run.mkdir()
    (run / "config.yaml").write_text((source / "config.yaml").read_text().replace("<CHECKPOINT>",
                                                                                 str(tiny_checkpoint)))
    shutil.copy(source / "infer_data.csv", run / "infer_data.csv")
    plan = build_plan(load_config(run / "config.yaml"), cwd=run)
    result = run_plan(plan)
    assert not result.failed and result.computed
    assert not list((run / "outputs").rglob("*" + provenance.SIDECAR_SUFFIX))
    manifests = list((run / "outputs").rglob(MANIFEST_NAME))
    pairs = {k: v for m in manifests for k, v in json.loads(m.read_text())["pairs"].items()}
    jobs = {job.file_id: job for job in plan.pairs}
    assert set(pairs) == set(jobs)
    for file_id, record in pairs.items():
        prov = record["provenance"]
        request = jobs[file_id].request
        assert prov["model"]["weights"]["sha256"] == sha(tiny_checkpoint)
        assert [i["name"] for i in prov["inputs"]] == [str(p) for p in request.inputs]
        assert prov["parameters"]["min_valid"] == request.min_valid and prov["parameters"]["provenance_file"] is False
