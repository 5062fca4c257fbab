"""Outputs of ``qgis_process run planaura:persistencemosaic`` run twice into the same files, and
the resolution of a mosaic in a CRS in degrees. Synthetic change maps written with GDAL (no
model), named as upstream's per-pair outputs."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

UTM = "EPSG:32615"


def write_cosine(path: Path, value_min: float, origin=(600000.0, 3600000.0)) -> str:
    """A 40 x 30 float32 cosine map of 30 m pixels in UTM 15N, from ``value_min`` up to about 1."""
    from osgeo import gdal, osr

    rows, cols = np.mgrid[0:30, 0:40]
    data = (value_min + (1.0 - value_min) * (rows * 40 + cols) / (30 * 40)).astype(np.float32)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 40, 30, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((origin[0], 30.0, 0.0, origin[1], 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.SetFromUserInput(UTM)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-100)
    band.WriteArray(data)
    ds = None
    return str(path)


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"


def test_rerun_shows_the_new_statistics_and_style(qgis_process, tmp_path):
    from osgeo import gdal
    from qgis.core import QgsRasterBandStats, QgsRasterLayer

    out = tmp_path / "out"
    out.mkdir()
    target, persistence = out / "mosaic.tif", out / "persistence.tif"
    params = {"TARGET_CRS": UTM, "TARGET_RESOLUTION": 30, "OUTPUT": str(target), "OUTPUT_PERSISTENCE": str(persistence)}
    first = write_cosine(tmp_path / "cosine_map!a21!a22.tif", 0.01)
    done, _ = qgis_process.run_json("planaura:persistencemosaic", {"CHANGE_MAPS": first, **params})
    assert done.returncode == 0, log(done)
    layer = QgsRasterLayer(str(target), "first", "gdal")
    assert layer.dataProvider().bandStatistics(1, QgsRasterBandStats.Min).minimumValue == pytest.approx(0.01, abs=1e-3)
    ds = gdal.Open(str(target))
    ds.GetRasterBand(1).ComputeStatistics(False)  # the PAM statistics QGIS then shows (mosaic.tif.aux.xml)
    ds = None
    layer = None
    assert (out / "mosaic.tif.aux.xml").exists()
    Path(str(target) + ".ovr").write_bytes(b"old overviews")
    old_qml = (out / "mosaic.qml").read_text()

    second = write_cosine(tmp_path / "cosine_map!b21!b22.tif", 0.999)
    done, _ = qgis_process.run_json("planaura:persistencemosaic", {"CHANGE_MAPS": second, **params})
    assert done.returncode == 0, log(done)
    assert not Path(str(target) + ".ovr").exists()
    aux = out / "mosaic.tif.aux.xml"
    assert not aux.exists() or "0.01" not in aux.read_text()
    layer = QgsRasterLayer(str(target), "second", "gdal")
    stats = layer.dataProvider().bandStatistics(1, QgsRasterBandStats.Min | QgsRasterBandStats.Max)
    assert stats.minimumValue > 0.99, stats.minimumValue
    ds = gdal.Open(str(target))
    st = ds.GetRasterBand(1).GetStatistics(False, True)
    assert st[0] > 0.99, st
    ds = None
    qml = (out / "mosaic.qml").read_text()
    assert "rasterrenderer" in qml and qml != old_qml
    assert not [n for n in os.listdir(out) if n.startswith(".")], os.listdir(out)


def test_mosaic_in_degrees(qgis_process, tmp_path):
    from osgeo import gdal

    cos = write_cosine(tmp_path / "cosine_map!a21!a22.tif", 0.5)
    out = tmp_path / "out"
    out.mkdir()
    base = {"CHANGE_MAPS": cos, "TARGET_CRS": "EPSG:4326", "OUTPUT": str(out / "m.tif"),
            "OUTPUT_PERSISTENCE": str(out / "p.tif")}
    done, _ = qgis_process.run_json("planaura:persistencemosaic", {**base, "TARGET_RESOLUTION": 30})
    assert done.returncode != 0
    text = done.stdout + done.stderr
    assert "the target resolution 30 is impossible in EPSG:4326, whose unit is the degree" in text, log(done)
    assert "give a resolution near 0.000" in text, log(done)
    assert os.listdir(out) == []

    done, _ = qgis_process.run_json("planaura:persistencemosaic", base)  # no resolution: the inputs' in degrees
    assert done.returncode == 0, log(done)
    ds = gdal.Open(str(out / "m.tif"))
    assert 2.5e-4 < ds.GetGeoTransform()[1] < 3.5e-4
    arr = ds.ReadAsArray()
    valid = arr[arr != -100]
    assert ds.RasterXSize > 30 and valid.size > 800
    assert 0.49 < valid.min() < 0.6 and 0.9 < valid.max() < 1.01
