"""Examples given as one layer of a file of several, named by its index (``file.gpkg|layerid=1``, as
QGIS names some sublayers): Similarity search and Classes from examples use that layer, not the file's
first one (QGIS hands back only the file name of such a layer, so it is exported)."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

pytestmark = pytest.mark.qgis


def two_layers(path, raster: str, cells_far, cells_near, labels) -> str:
    """A GeoPackage: layer 0 off the raster, layer 1 at the centres of ``cells_near`` (EPSG:4326)."""
    ds = gdal.Open(raster)
    gt = ds.GetGeoTransform()
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromWkt(ds.GetProjection())
    dst.ImportFromEPSG(4326)
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(src, dst)
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    for name, cells in (("far", cells_far), ("near", cells_near)):
        layer = out.CreateLayer(name, dst, ogr.wkbPoint)
        layer.CreateField(ogr.FieldDefn("label", ogr.OFTString))
        for (col, row), label in zip(cells, labels):
            x, y, _z = transform.TransformPoint(gt[0] + (col + 0.5) * gt[1], gt[3] + (row + 0.5) * gt[5])
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
            feature.SetField("label", label)
            layer.CreateFeature(feature)
            feature = None
        layer = None
    out = None
    return str(path)


def test_a_sublayer_named_by_index_is_the_one_used(tmp_path, run_alg, pair_a):
    from planaura_qgis.planaura_plugin.embedding_tools.classes import classes_map
    from planaura_qgis.planaura_plugin.embedding_tools.examples import ExamplePixels
    from planaura_qgis.planaura_plugin.embedding_tools.similarity import Seeds, similarity_map

    raster = pair_a["before"]
    near = [(5, 5), (8, 100), (100, 6), (120, 120), (50, 60), (52, 64)]  # the 128 px crop
    far = [(-5000, -5000)] * len(near)
    labels = ["a", "a", "b", "b", "a", "b"]
    path = two_layers(tmp_path / "two.gpkg", raster, far, near, labels)
    run_alg("planaura:similaritysearch", {"INPUT": raster, "POSITIVE": f"{path}|layerid=1",
                                          "OUTPUT": str(tmp_path / "sim.tif")})
    cols, rows = np.array([c for c, _r in near]), np.array([r for _c, r in near])
    similarity_map(raster, Seeds(cols, rows), str(tmp_path / "expected.tif"))
    assert np.array_equal(gdal.Open(str(tmp_path / "sim.tif")).ReadAsArray(),
                          gdal.Open(str(tmp_path / "expected.tif")).ReadAsArray())
    results = run_alg("planaura:classesfromexamples", {
        "INPUT": raster, "EXAMPLES": f"{path}|layerid=1", "CLASS_FIELD": "label", "THRESHOLD": 0.0,
        "OUTPUT": str(tmp_path / "classes.tif"), "OUTPUT_CONFIDENCE": None})
    codes = np.array([1 if label == "a" else 2 for label in labels])
    classes_map(raster, ExamplePixels(cols, rows, codes, ["a", "b"]), str(tmp_path / "expected_classes.tif"),
                threshold=0.0)
    assert np.array_equal(gdal.Open(results["OUTPUT"]).ReadAsArray(),
                          gdal.Open(str(tmp_path / "expected_classes.tif")).ReadAsArray())
