"""Area per change type in the change polygons' report: the true area of the type's pixels (pixel counts
times the planar pixel area before issue 21), in ha and %."""
from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from area_truth import region_area_m2
from planaura_plugin.analysis.polygons import PolygonRequest, change_polygons
from planaura_plugin.analysis.type_areas import find_change_types
from planaura_plugin.errors import InputError

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

PIXEL = 10.0  # m
FID = "!HLS.S30.T15SXR.2021250T163901.v2.0!HLS.S30.T15SXR.2022245T163901.v2.0"


def write_map(path, values: np.ndarray, dtype=None):
    """A one-band GeoTIFF, EPSG:32615, 10 m pixels, origin (500000, 4000000), nodata -100."""
    from osgeo import gdal, osr

    ds = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1,
                                              dtype or gdal.GDT_Float32)
    ds.SetGeoTransform([500000.0, PIXEL, 0.0, 4000000.0, 0.0, -PIXEL])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).SetNoDataValue(-100)
    ds.GetRasterBand(1).WriteArray(values)
    ds = None
    return path


def synthetic() -> np.ndarray:
    """80 x 100 px cosines: three changed blocks of known sizes, nodata in the last column."""
    cos = np.full((80, 100), 0.95, dtype=np.float32)
    cos[10:20, 10:35] = 0.7
    cos[40:60, 40:70] = 0.2
    cos[45:50, 50:55] = 0.95
    cos[70:73, 5:8] = 0.5
    cos[:, 99] = -100
    return cos


def types_of(cos: np.ndarray) -> np.ndarray:
    """Type 0 on the left half of the changed pixels, type 1 on the right half, noise on one column."""
    types = np.full(cos.shape, -100, dtype=np.int16)
    changed = (cos <= 0.8) & (cos != -100)
    cols = np.arange(cos.shape[1])[None, :].repeat(cos.shape[0], 0)
    types[changed & (cols < 40)] = 0
    types[changed & (cols >= 40)] = 1
    types[changed & (cols == 45)] = -1
    return types


def test_type_areas_in_report_are_the_true_areas_of_the_pixels(tmp_path):
    from osgeo import gdal

    cos = synthetic()
    expected_types = types_of(cos)
    cos_path = write_map(tmp_path / f"cosine_map{FID}.tif", cos)
    write_map(tmp_path / f"change_types{FID}.tif", expected_types, dtype=gdal.GDT_Int16)
    assert find_change_types(str(cos_path)) == str(tmp_path / f"change_types{FID}.tif")
    report = tmp_path / "report.html"
    written, summary = change_polygons(PolygonRequest(change_map=str(cos_path), output=str(tmp_path / "p.gpkg"),
                                                      report=str(report)))
    analysed_ha = region_area_m2(cos_path, cos != -100) / 1e4
    assert summary.analysed_ha == pytest.approx(analysed_ha, rel=1e-6)
    rows = list(csv.DictReader(open(written["report_types_csv"], encoding="utf-8")))
    assert written["report_types_csv"] == str(tmp_path / "report_types.csv")
    assert [int(r["type"]) for r in rows] == [0, 1, -1]
    for row in rows:
        pixels = int((expected_types == int(row["type"])).sum())
        assert pixels > 0 and int(row["pixels"]) == pixels
        truth_ha = region_area_m2(cos_path, expected_types == int(row["type"])) / 1e4
        assert float(row["area_ha"]) == pytest.approx(truth_ha, rel=1e-6)
        assert float(row["percent"]) == pytest.approx(100.0 * truth_ha / analysed_ha, rel=1e-6)
    page = report.read_text(encoding="utf-8")
    assert "Change types" in page and "Changed, of no type (noise)" in page
    type1 = summary.type_areas[1]["area_ha"]
    assert summary.type_areas[1]["type"] == 1
    assert re.search(r"<td>1</td><td>Change type 1</td><td>[\d,]+</td><td>" + re.escape(f"{type1:,.2f}"), page)


def test_type_areas_follow_the_extent(tmp_path):
    from osgeo import gdal

    cos = synthetic()
    types = types_of(cos)
    cos_path = write_map(tmp_path / "cos.tif", cos)
    types_path = write_map(tmp_path / "types.tif", types, dtype=gdal.GDT_Int16)
    x0, y0 = 500000.0, 4000000.0
    bbox = (x0, y0 - 50 * PIXEL, x0 + 50 * PIXEL, y0)  # rows 0-49, cols 0-49
    _written, summary = change_polygons(PolygonRequest(change_map=str(cos_path), output=str(tmp_path / "p.gpkg"),
                                                       bbox=bbox, change_types=str(types_path)))
    window = types[:50, :50]
    got = {t["type"]: t for t in summary.type_areas}
    assert set(got) == {0, 1, -1}
    for type_id, entry in got.items():
        assert entry["pixels"] == int((window == type_id).sum())
        keep = np.zeros(types.shape, bool)
        keep[:50, :50] = window == type_id
        assert entry["area_ha"] == pytest.approx(region_area_m2(cos_path, keep) / 1e4, rel=1e-6)


def test_types_on_another_grid_are_refused(tmp_path):
    from osgeo import gdal

    cos = synthetic()
    cos_path = write_map(tmp_path / "cos.tif", cos)
    other = write_map(tmp_path / "types.tif", types_of(cos)[:, :90], dtype=gdal.GDT_Int16)
    with pytest.raises(InputError, match=r"types.tif \(90 x 80 px.*not a one-band raster on the grid"):
        change_polygons(PolygonRequest(change_map=str(cos_path), output=str(tmp_path / "p.gpkg"),
                                       change_types=str(other)))
    assert not (tmp_path / "p.gpkg").exists()


@pytest.mark.parametrize("kind", ["classes", "cosine_map", "quality_fmask"])
def test_another_planaura_layer_as_change_types_is_refused(tmp_path, kind):
    """The change classes (or the change map itself) on the same grid, given as the change types: its
    PLANAURA_KIND says what it is; it used to be counted as 'Change type 1..4', the no-change pixels
    as a change type."""
    from osgeo import gdal

    cos = synthetic()
    cos_path = write_map(tmp_path / "cos.tif", cos)
    other = write_map(tmp_path / f"{kind}.tif", np.where(cos == -100, 0, 1 + (cos <= 0.8)), dtype=gdal.GDT_Int16)
    ds = gdal.Open(str(other), gdal.GA_Update)
    ds.SetMetadataItem("PLANAURA_KIND", kind)
    ds = None
    with pytest.raises(InputError, match=rf"{kind}\.tif is a {kind} layer .*PLANAURA_KIND.*not change types; give "
                                         r"the output of Change types"):
        change_polygons(PolygonRequest(change_map=str(cos_path), output=str(tmp_path / "p.gpkg"),
                                       report=str(tmp_path / "r.html"), change_types=str(other)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["cos.tif", f"{kind}.tif"])


def test_change_types_with_their_kind_are_accepted(tmp_path):
    from osgeo import gdal

    cos = synthetic()
    cos_path = write_map(tmp_path / "cos.tif", cos)
    types = write_map(tmp_path / "types.tif", types_of(cos), dtype=gdal.GDT_Int16)
    ds = gdal.Open(str(types), gdal.GA_Update)
    ds.SetMetadataItem("PLANAURA_KIND", "change_types")
    ds = None
    change_polygons(PolygonRequest(change_map=str(cos_path), output=str(tmp_path / "p.gpkg"),
                                   report=str(tmp_path / "r.html"), change_types=str(types)))
    with open(tmp_path / "r_types.csv", newline="") as handle:
        rows = {row["type"]: int(row["pixels"]) for row in csv.DictReader(handle)}
    ids, counts = np.unique(types_of(cos)[types_of(cos) != -100], return_counts=True)
    assert rows == {str(i): int(n) for i, n in zip(ids, counts)} and len(rows) == 3, rows
