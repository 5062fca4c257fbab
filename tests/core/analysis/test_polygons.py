"""Change polygons of synthetic change maps with known patches: counts, areas, holes, statistics."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from area_truth import geometry_area_m2, region_area_m2, srs_of
from planaura_plugin.analysis.polygons import PolygonRequest, run_change_polygons
from planaura_plugin.errors import InputError

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

PIXEL = 10.0  # m
ORIGIN = (500000.0, 4000000.0)


def write_map(path: Path, values: np.ndarray, epsg: int = 32615, pixel=(PIXEL, PIXEL), origin=ORIGIN,
              metadata=None, dtype=None) -> Path:
    from osgeo import gdal, osr

    gdt = dtype or gdal.GDT_Float32
    ds = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1, gdt)
    ds.SetGeoTransform([origin[0], pixel[0], 0.0, origin[1], 0.0, -pixel[1]])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-100 if gdt != gdal.GDT_UInt16 else 0)
    band.WriteArray(values)
    if metadata:
        ds.SetMetadata(metadata)
    ds = None
    return path


def synthetic() -> np.ndarray:
    """80 x 100 px: A class 2 (200 px), D class 3 touching A (50 px), B class 4 with a 25 px hole (575 px),
    C class 3 (9 px), E one class 4 pixel touching B only at a corner; nodata in the last column."""
    cos = np.full((80, 100), 0.95, dtype=np.float32)
    cos[10:20, 10:30] = 0.7
    cos[10:20, 20:30] = 0.65  # A: mean 0.675, min 0.65
    cos[10:20, 30:35] = 0.5  # D
    cos[40:60, 40:70] = 0.2  # B
    cos[45:50, 50:55] = 0.95  # hole in B
    cos[70:73, 5:8] = 0.5  # C
    cos[60, 70] = -0.3  # E
    cos[:, 99] = -100
    return cos


def features(path: Path):
    """The polygons' fields, holes, and ``truth_ha``: the true area of the geometry (pyproj's Geod)."""
    from osgeo import ogr

    ds = ogr.Open(str(path))
    layer = ds.GetLayer(0)
    srs = srs_of(layer.GetSpatialRef().ExportToWkt())
    out = []
    for f in layer:
        item = {k: f.GetField(k) for k in ("class", "area_ha", "mean_cos", "min_cos", "pixels")}
        item["truth_ha"] = geometry_area_m2(srs, f.GetGeometryRef(), PIXEL if srs.IsProjected() else 1e-4) / 1e4
        item["holes"] = f.GetGeometryRef().GetGeometryCount() - 1
        item["before_date"] = f.GetFieldAsString("before_date")
        item["after_date"] = f.GetFieldAsString("after_date")
        if layer.GetLayerDefn().GetFieldIndex("persistence") >= 0:
            item["persistence"] = f.GetField("persistence")
        out.append(item)
    return sorted(out, key=lambda d: (d["class"], -d["pixels"]))


def test_known_patches_give_exact_areas_counts_holes_and_stats(tmp_path):
    meta = {"PLANAURA_KIND": "cosine_map", "PLANAURA_DATES": json.dumps([2021250, 2022245])}
    cmap = write_map(tmp_path / "cos.tif", synthetic(), metadata=meta)
    out = tmp_path / "poly.gpkg"
    written = run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(out)))
    assert written == {"polygons": str(out)}
    got = features(out)
    assert [(f["class"], f["pixels"]) for f in got] == [(2, 200), (3, 50), (3, 9), (4, 575), (4, 1)]
    # true areas on WGS 84: UTM's 0.9996 scale near its central meridian made planar areas 0.08 % too small
    assert [f["area_ha"] for f in got] == pytest.approx([f["truth_ha"] for f in got], rel=1e-6)
    assert [f["area_ha"] for f in got] == pytest.approx([2.0016, 0.5004, 0.090072, 5.7546, 0.010008], rel=1e-4)
    a, b = got[0], got[3]
    assert a["mean_cos"] == pytest.approx(0.675, abs=1e-6) and a["min_cos"] == pytest.approx(0.65, abs=1e-6)
    assert b["mean_cos"] == pytest.approx(0.2, abs=1e-6) and b["holes"] == 1 and a["holes"] == 0
    assert a["before_date"] == "2021/09/07" and a["after_date"] == "2022/09/02"


def test_minimum_area_filter_and_report_numbers_equal_the_polygons(tmp_path):
    cmap = write_map(tmp_path / "cos.tif", synthetic())
    out, report = tmp_path / "poly.gpkg", tmp_path / "areas.html"
    written = run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(out), min_area_ha=0.1,
                                                 report=str(report)))
    got = features(out)
    assert [(f["class"], f["pixels"]) for f in got] == [(2, 200), (3, 50), (4, 575)]
    assert set(written) == {"polygons", "report", "report_csv", "histogram"}
    rows = {r["class"]: r for r in csv.DictReader(open(written["report_csv"], encoding="utf-8"))}
    for code in (2, 3, 4):
        assert float(rows[str(code)]["polygon_area_ha"]) == pytest.approx(
            sum(f["area_ha"] for f in got if f["class"] == code), abs=1e-9)
        assert int(rows[str(code)]["polygons"]) == sum(1 for f in got if f["class"] == code)
    cos = synthetic()
    c_ha, e_ha = (region_area_m2(cmap, keep) / 1e4 for keep in (cos == 0.5, cos == -0.3))
    c_ha -= region_area_m2(cmap, np.pad(np.ones((10, 5), bool), ((10, 60), (30, 65)))) / 1e4  # D is also 0.5
    assert rows["3"]["below_min_polygons"] == "1" and float(rows["3"]["below_min_ha"]) == pytest.approx(c_ha, rel=1e-6)
    assert rows["4"]["below_min_polygons"] == "1" and float(rows["4"]["below_min_ha"]) == pytest.approx(e_ha, rel=1e-6)
    analysed_px = 80 * 99
    analysed_ha = region_area_m2(cmap, cos != -100) / 1e4
    assert int(rows[""]["pixels"]) == analysed_px
    assert float(rows[""]["pixel_area_ha"]) == pytest.approx(analysed_ha, rel=1e-6)
    assert float(rows["2"]["percent"]) == pytest.approx(100 * got[0]["truth_ha"] / analysed_ha, rel=1e-6)
    page = report.read_text(encoding="utf-8")
    assert "5.75" in page and "areas_histogram.png" in page
    assert "true areas on the WGS 84 ellipsoid" in page
    assert Path(written["histogram"]).read_bytes()[:4] == b"\x89PNG"


def test_single_threshold_extent_and_streaming_strips(tmp_path):
    cmap = write_map(tmp_path / "cos.tif", synthetic())
    out = tmp_path / "poly.gpkg"
    # extent over B only (rows 35-64, cols 35-74), read in strips of 7 rows
    bbox = (ORIGIN[0] + 35 * PIXEL, ORIGIN[1] - 65 * PIXEL, ORIGIN[0] + 75 * PIXEL, ORIGIN[1] - 35 * PIXEL)
    run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(out), thresholds=(0.3,), bbox=bbox,
                                       block_rows=7))
    got = features(out)
    assert [(f["class"], f["pixels"]) for f in got] == [(4, 575), (4, 1)]


def test_mask_in_another_crs_and_persistence(tmp_path):
    from osgeo import ogr, osr

    cmap = write_map(tmp_path / "cos.tif", synthetic())
    pers = np.full((80, 100), 3, dtype=np.uint16)
    pers[40:45, 40:70] = 2
    pers_path = write_map(tmp_path / "pers.tif", pers, dtype=__import__("osgeo.gdal").gdal.GDT_UInt16)
    # a mask polygon around A only, given in WGS 84
    utm, wgs = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromEPSG(32615)
    wgs.ImportFromEPSG(4326)
    for s in (utm, wgs):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((5, 5), (40, 5), (40, 25), (5, 25), (5, 5)):
        ring.AddPoint_2D(ORIGIN[0] + x * PIXEL, ORIGIN[1] - y * PIXEL)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    poly.Transform(osr.CoordinateTransformation(utm, wgs))
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_path / "mask.gpkg"))
    layer = vds.CreateLayer("mask", wgs, ogr.wkbPolygon)
    feat = ogr.Feature(layer.GetLayerDefn())
    feat.SetGeometry(poly)
    layer.CreateFeature(feat)
    vds = None
    out = tmp_path / "poly.gpkg"
    run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(out), mask=str(tmp_path / "mask.gpkg"),
                                       persistence=str(pers_path)))
    got = features(out)
    assert [(f["class"], f["pixels"], f["persistence"]) for f in got] == [(2, 200, 3), (3, 50, 3)]
    out2 = tmp_path / "poly2.gpkg"
    run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(out2), persistence=str(pers_path)))
    assert [f["persistence"] for f in features(out2) if f["pixels"] == 575] == [2]


def _ellipsoid_band_area(lat1: float, lat2: float, dlon_deg: float) -> float:
    """Exact area (m²) of a WGS 84 quadrangle: latitudes lat1..lat2, dlon_deg wide."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    e = math.sqrt(e2)
    b2 = a * a * (1 - e2)

    def q(phi):
        s = math.sin(math.radians(phi))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return b2 / 2 * math.radians(dlon_deg) * (q(lat2) - q(lat1))


def test_geographic_crs_gives_geodesic_areas(tmp_path):
    cos = np.full((40, 40), 0.95, dtype=np.float32)
    cos[10:30, 5:25] = 0.1  # 20 x 20 px of 0.001 degree, rows from 45.99 down to 45.97 N
    cmap = write_map(tmp_path / "geo.tif", cos, epsg=4326, pixel=(0.001, 0.001), origin=(-75.0, 46.0))
    out = tmp_path / "poly.gpkg"
    run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(out), report=str(tmp_path / "r.html")))
    got = features(out)
    expected = _ellipsoid_band_area(45.97, 45.99, 0.02) / 1e4
    assert len(got) == 1 and got[0]["area_ha"] == pytest.approx(expected, rel=1e-6)
    rows = {r["class"]: r for r in csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8"))}
    assert float(rows["4"]["pixel_area_ha"]) == pytest.approx(expected, rel=1e-6)


def test_bad_inputs_are_explained(tmp_path):
    cmap = write_map(tmp_path / "cos.tif", synthetic())
    with pytest.raises(InputError, match="must decrease"):
        run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(tmp_path / "p.gpkg"),
                                           thresholds=(0.4, 0.6, 0.8)))
    with pytest.raises(InputError, match="does not overlap"):
        run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(tmp_path / "p.gpkg"),
                                           bbox=(0, 0, 10, 10)))
    classes = write_map(tmp_path / "classes.tif", synthetic(), metadata={"PLANAURA_KIND": "classes"})
    with pytest.raises(InputError, match="is a classes layer"):
        run_change_polygons(PolygonRequest(change_map=str(classes), output=str(tmp_path / "p.gpkg")))
    assert not (tmp_path / "p.gpkg").exists()


@pytest.mark.parametrize("case", ["classes_uint8", "classes_float", "dates_int32"])
def test_a_layer_that_holds_no_cosines_is_refused_without_metadata(tmp_path, case):
    """Classes, dates... exported without their PLANAURA_KIND metadata (gdal_translate, an upstream
    run, another tool) are not change maps: refused before anything is written, naming the file, the
    values found and the layer to give (they used to give 0 change polygons and 0 ha silently)."""
    from osgeo import gdal

    classes = np.where(synthetic() == -100, 0, np.digitize(-synthetic(), [-0.8, -0.6, -0.4]) + 1)
    values, dtype, found = {"classes_uint8": (classes, gdal.GDT_Byte, r"Byte values from 1 to 4"),
                            "classes_float": (np.where(classes == 0, -100, classes), gdal.GDT_Float32,
                                              r"Float32 values from 1 to 4"),
                            "dates_int32": (np.full((80, 100), 2021250), gdal.GDT_Int32,
                                            r"Int32 values from 2021250 to 2021250")}[case]
    assert set(np.unique(classes)) == {0, 1, 2, 3, 4}
    path = write_map(tmp_path / f"{case}.tif", values.astype(np.float64), dtype=dtype)
    if dtype == gdal.GDT_Byte:  # the classes output's nodata
        ds = gdal.Open(str(path), gdal.GA_Update)
        ds.GetRasterBand(1).SetNoDataValue(0)
        ds = None
    out = tmp_path / "p.gpkg"
    with pytest.raises(InputError, match=rf"{case}\.tif holds {found}.* cosine similarities .*-1 to 1.*change "
                                         r"intensity \(cosine map\)"):
        run_change_polygons(PolygonRequest(change_map=str(path), output=str(out), report=str(tmp_path / "r.html")))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{case}.tif"]


def test_mosaic_cosines_slightly_above_one_are_still_a_change_map(tmp_path):
    """Mosaic cosines may exceed 1 a little after cubic resampling: the value check lets them through."""
    cos = synthetic()
    cos[0, 0] = 1.03
    run_change_polygons(PolygonRequest(change_map=str(write_map(tmp_path / "cos.tif", cos)),
                                       output=str(tmp_path / "p.gpkg")))
    got = features(tmp_path / "p.gpkg")
    assert [(f["class"], f["pixels"]) for f in got] == [(2, 200), (3, 50), (3, 9), (4, 575), (4, 1)]


@pytest.mark.parametrize("case", ["dates_as_persistence", "persistence_as_date", "kind_says_after_date"])
def test_swapped_companion_layers_are_refused(tmp_path, case):
    """A date layer given as the persistence (or the other way round) on the same grid used to fill the
    polygons' persistence with 2021250 (and the dates with nothing): the values, or the PLANAURA_KIND,
    tell what a layer is; refused before anything is written, naming the layer and what to give."""
    from osgeo import gdal

    cmap = write_map(tmp_path / "cos.tif", synthetic())
    dates = write_map(tmp_path / "dates.tif", np.full((80, 100), 2021250), dtype=gdal.GDT_Int32)
    pers = write_map(tmp_path / "pers.tif", np.full((80, 100), 3), dtype=gdal.GDT_UInt16)
    if case == "kind_says_after_date":
        ds = gdal.Open(str(dates), gdal.GA_Update)
        ds.SetMetadataItem("PLANAURA_KIND", "after_date")
        ds = None
    given, expected = {"dates_as_persistence": ({"persistence": dates}, r"persistence layer .*dates\.tif holds values "
                                                r"from 2021250 to 2021250.*counts of pairs"),
                       "persistence_as_date": ({"before_date": pers}, r"before_date layer .*pers\.tif holds values "
                                               r"from 3 to 3.*dates \(YYYYDDD"),
                       "kind_says_after_date": ({"before_date": dates}, r"before_date layer .*dates\.tif is an? "
                                                r"after_date layer \(its PLANAURA_KIND")}[case]
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(InputError, match=expected + r".*give the (before_date|persistence) layer written with this"):
        run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(tmp_path / "p.gpkg"),
                                           report=str(tmp_path / "r.html"), **{k: str(v) for k, v in given.items()}))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_companion_layer_without_valid_pixels_is_not_refused(tmp_path):
    """A persistence layer that is nodata everywhere has no values to check: GDAL's min/max gives (nan, nan)
    with exceptions off (it was refused as 'values from nan to nan') and raises with them on (it passed)."""
    from osgeo import gdal

    cmap = write_map(tmp_path / "cos.tif", synthetic())
    empty = write_map(tmp_path / "pers.tif", np.zeros((80, 100)), dtype=gdal.GDT_UInt16)  # nodata 0 everywhere
    run_change_polygons(PolygonRequest(change_map=str(cmap), output=str(tmp_path / "p.gpkg"), persistence=str(empty)))
    got = features(tmp_path / "p.gpkg")
    assert [(f["class"], f["pixels"]) for f in got] == [(2, 200), (3, 50), (3, 9), (4, 575), (4, 1)]
