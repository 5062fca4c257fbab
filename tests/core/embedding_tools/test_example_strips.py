"""Examples are burnt only in the strips of rows their extent covers: the same pixels as burning
every strip (random grids, rotated or not, examples in other CRSs, points and polygons), and a
few points over a declared 100000 x 100000 px raster are found without visiting its 7693 strips."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from planaura_plugin.embedding_tools import examples
from planaura_plugin.embedding_tools.blocks import open_features
from planaura_plugin.embedding_tools.examples import example_pixels
from support import SHARED

HLS = SHARED / "data" / "hls_t15sxr" / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"


def srs_of(epsg: int) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def write_layer(path: Path, geometries, epsg: int, labels) -> str:
    """A GeoPackage of ``geometries`` (WKT in EPSG:32615) written in ``epsg``, with a ``label`` field."""
    to = osr.CoordinateTransformation(srs_of(32615), srs_of(epsg))
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = vds.CreateLayer("examples", srs_of(epsg), ogr.wkbUnknown)
    layer.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    for wkt, label in zip(geometries, labels):
        geometry = ogr.CreateGeometryFromWkt(wkt)
        geometry.Transform(to)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(geometry)
        feature.SetField("label", label)
        layer.CreateFeature(feature)
    vds = None
    return str(path)


def random_case(tmp_path: Path, rng):
    """A raster on a random (sometimes rotated) UTM grid and random points/polygons near and on it."""
    width, height = (int(v) for v in rng.integers(5, 60, 2))
    rotation = float(rng.choice([0.0, 3.0]))
    gt = (700000.0, 30.0, rotation, 4100000.0, rotation, -30.0)
    ds = gdal.GetDriverByName("GTiff").Create(str(tmp_path / "f.tif"), width, height, 2, gdal.GDT_Float32)
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs_of(32615).ExportToWkt())
    ds = None
    geometries = []
    for _ in range(int(rng.integers(1, 6))):
        col, row = rng.uniform(-3, width + 3), rng.uniform(-3, height + 3)
        x, y = gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]
        if rng.random() < 0.5:
            geometries.append(f"POINT ({x} {y})")
        else:
            h = float(rng.uniform(10, 100))
            geometries.append(f"POLYGON (({x - h} {y - h}, {x + h} {y - h}, {x + h} {y + h}, {x - h} {y + h}, "
                              f"{x - h} {y - h}))")
    labels = [str(rng.integers(1, 3)) for _ in geometries]
    epsg = int(rng.choice([32615, 4326, 3857, 3979]))
    return str(tmp_path / "f.tif"), write_layer(tmp_path / "examples.gpkg", geometries, epsg, labels)


def pixels_or_none(path, src):
    try:
        found = example_pixels(path, src, field="label")
    except Exception as exc:  # noqa: BLE001 - compared between the two ways
        return type(exc).__name__
    order = np.lexsort((found.codes, found.cols, found.rows))
    return found.rows[order].tolist(), found.cols[order].tolist(), found.codes[order].tolist(), found.names


@pytest.mark.parametrize("seed", range(12))
def test_strips_outside_the_examples_change_nothing(tmp_path, monkeypatch, seed):
    rng = np.random.default_rng(seed)
    raster, layer = random_case(tmp_path, rng)
    src = open_features(raster, max_values=int(rng.integers(2, 200)))  # strips of 1 to a few rows
    skipping = pixels_or_none(layer, src)
    monkeypatch.setattr(examples, "_rows_covered", lambda _layer, grid: (0, grid.height - 1))
    assert skipping == pixels_or_none(layer, src)


@pytest.mark.skipif(not HLS.exists(), reason="needs ../shared/data/hls_t15sxr")
def test_points_over_a_huge_declared_raster_visit_only_their_strips(tmp_path, monkeypatch):
    crop = tmp_path / "crop.tif"
    gdal.Translate(str(crop), str(HLS), srcWin=[300, 300, 200, 200])
    gdal.BuildVRT(str(tmp_path / "huge.vrt"), [str(crop)])
    text = (tmp_path / "huge.vrt").read_text()
    text = text.replace('rasterXSize="200" rasterYSize="200"', 'rasterXSize="100000" rasterYSize="100000"', 1)
    (tmp_path / "huge.vrt").write_text(text)
    gt = gdal.Open(str(crop)).GetGeoTransform()
    cells = [(150, 150), (170, 150), (160, 160)]
    points = [f"POINT ({gt[0] + (c + 0.5) * gt[1]} {gt[3] + (r + 0.5) * gt[5]})" for c, r in cells]
    layer = write_layer(tmp_path / "seeds.gpkg", points, 4326, ["a"] * 3)
    burnt = []
    real = gdal.RasterizeLayer
    monkeypatch.setattr(gdal, "RasterizeLayer", lambda *a, **k: burnt.append(1) or real(*a, **k))
    src = open_features(str(tmp_path / "huge.vrt"))
    found = example_pixels(layer, src)
    assert sorted(zip(found.cols.tolist(), found.rows.tolist())) == sorted(cells)
    assert len(burnt) <= 2  # 13-row strips: the points' rows 150-160 lie in one or two of 7693


def test_a_polygon_over_a_large_area_keeps_a_bounded_uniform_subset(tmp_path):
    import tracemalloc

    from planaura_plugin.embedding_tools.examples import MAX_PIXELS_PER_CLASS

    vrt = gdal.GetDriverByName("VRT").Create(str(tmp_path / "large.vrt"), 4000, 4000, 6, gdal.GDT_Int16)
    vrt.SetGeoTransform((600000.0, 30.0, 0.0, 3600000.0, 0.0, -30.0))
    vrt.SetProjection(srs_of(32615).ExportToWkt())
    vrt = None
    x0, y0, x1, y1 = 600000 + 500 * 30, 3600000 - 3500 * 30, 600000 + 3500 * 30, 3600000 - 500 * 30
    square = f"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"  # 3000 x 3000 px
    layer = write_layer(tmp_path / "big.gpkg", [square, "POINT (600045 3599955)"], 3857, ["big", "one"])
    src = open_features(str(tmp_path / "large.vrt"))
    tracemalloc.start()
    found = example_pixels(layer, src, field="label")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    big = found.codes == found.names.index("big") + 1
    assert int(big.sum()) == MAX_PIXELS_PER_CLASS and int((~big).sum()) == 1  # the point's pixel is kept
    assert len(set(zip(found.cols[big].tolist(), found.rows[big].tolist()))) == MAX_PIXELS_PER_CLASS
    assert found.cols[big].min() >= 499 and found.cols[big].max() <= 3500  # inside the square (3857 edges)
    for axis in (found.cols[big], found.rows[big]):  # uniform over the square: mean at its middle
        assert abs(axis.mean() - 2000) < 30 and abs(axis.std() - 3000 / 12 ** 0.5) < 30
    assert peak < 150 * 2 ** 20, f"{peak / 2 ** 20:.0f} MiB for 9 M marked pixels"
