"""Image parameters given as GDAL dataset names on the command line (``qgis_process``) or in
``processing.run`` strings: README's input table promises a layer inside a zip (``/vsizip/``) and a
Sentinel-2 L2A product (``.SAFE``, its ``.zip``, ``MTD_MSIL2A.xml``) for every image parameter.

QGIS 3.22 turns a string into a layer only when it is an existing file that GDAL opens as a
raster with bands; these names used to be refused by QGIS's own parameter check ("Could not load
source layer for BEFORE: ... not found") before the algorithm saw them. The algorithms now make
them layers first (processing_provider/layer_sources.py ``load_dataset_strings``), and the layer
QGIS makes of a Sentinel-2 product (a ``SENTINEL2_L2A`` sub-dataset) designates the whole product.
"""
from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from support import REPO

pytestmark = pytest.mark.qgis


def s2_builders():
    """tests/core/inputs/conftest.py's synthetic Sentinel-2 L2A products."""
    spec = importlib.util.spec_from_file_location("s2_builders", REPO / "tests" / "core" / "inputs" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def pixels(path: Path) -> np.ndarray:
    from osgeo import gdal

    return gdal.Open(str(path)).ReadAsArray()


def run_ok(qgis_process, alg: str, parameters: dict, out: Path) -> np.ndarray:
    done, _ = qgis_process.run_json(alg, {**parameters, "OUTPUT": str(out)})
    assert done.returncode == 0 and out.exists(), done.stdout[-2000:] + done.stderr[-2000:]
    return pixels(out)


def test_pair_inside_a_zip_by_name(qgis_process, pair_a, tiny_model, tmp_path):
    archive = tmp_path / "pair.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for key in ("before", "after"):
            zf.write(pair_a[key], Path(pair_a[key]).name)
    zipped = run_ok(qgis_process, "planaura:changemap", {
        "BEFORE": f"/vsizip/{archive}/{Path(pair_a['before']).name}",
        "AFTER": f"/vsizip/{archive}/{Path(pair_a['after']).name}", **tiny_model}, tmp_path / "zip.tif")
    plain = run_ok(qgis_process, "planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"],
                                                        **tiny_model}, tmp_path / "plain.tif")
    assert (plain != -100).sum() > 0
    np.testing.assert_array_equal(zipped, plain)


def test_sentinel2_product_by_its_folder_zip_and_metadata_file(qgis_process, tiny_model, tmp_path):
    builders = s2_builders()
    safe = builders.write_s2_l2a(tmp_path, "04.00", builders.make_surface())
    archive = builders.zip_safe(safe)
    got = {}
    for key, name in (("mtd", safe / "MTD_MSIL2A.xml"), ("safe", safe), ("zip", archive)):
        got[key] = run_ok(qgis_process, "planaura:embeddings", {"INPUT": str(name), **tiny_model, "MODEL": 1,
                                                                "EMBEDDINGS": "0-3"}, tmp_path / f"{key}.tif")
    assert got["mtd"].shape[0] == 4 and (got["mtd"] != -100).any()
    np.testing.assert_array_equal(got["safe"], got["mtd"])
    np.testing.assert_array_equal(got["zip"], got["mtd"])


def test_mosaic_of_change_maps_inside_a_zip_by_name(qgis_process, pair_a, pair_b, tiny_model, tmp_path):
    maps = []
    for i, pair in enumerate((pair_a, pair_b)):
        maps.append(tmp_path / f"pair{i}" / "cos.tif")
        maps[-1].parent.mkdir()
        run_ok(qgis_process, "planaura:changemap", {"BEFORE": pair["before"], "AFTER": pair["after"], **tiny_model},
               maps[-1])
    archive = tmp_path / "maps.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for m in maps:
            zf.write(m, f"{m.parent.name}/{m.name}")
    outs = {}
    for key, names in (("plain", [str(m) for m in maps]),
                       ("zip", [f"/vsizip/{archive}/{m.parent.name}/{m.name}" for m in maps])):
        outs[key] = run_ok(qgis_process, "planaura:persistencemosaic", {
            "CHANGE_MAPS": names, "OUTPUT_PERSISTENCE": str(tmp_path / f"{key}_persistence.tif")},
            tmp_path / f"{key}_mosaic.tif")
    assert (outs["plain"] != -100).sum() > 0
    np.testing.assert_array_equal(outs["zip"], outs["plain"])
    np.testing.assert_array_equal(pixels(tmp_path / "zip_persistence.tif"), pixels(tmp_path / "plain_persistence.tif"))
