"""Examples in one layer of a file of several: QGIS's ``file|layername=name`` and ``file|layerid=n``
read that layer, not the file's first one."""
from __future__ import annotations

import pytest
from osgeo import ogr

from planaura_plugin.embedding_tools.blocks import open_features
from planaura_plugin.embedding_tools.examples import example_pixels
from planaura_plugin.errors import InputError
from embedding_synthetic import write_synthetic


def two_layers(tmp_path, syn):
    """A GeoPackage whose first layer lies off the raster and whose second marks three pixels."""
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.ImportFromWkt(syn.projection)
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_path / "two.gpkg"))
    for name, cells in (("far", [(-50, 5), (-60, 8)]), ("near", [(3, 4), (30, 7), (10, 35)])):
        layer = out.CreateLayer(name, srs, ogr.wkbPoint)
        for col, row in cells:
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT ({} {})".format(*syn.centre_of(col, row))))
            layer.CreateFeature(feature)
            feature = None
        layer = None
    out = None
    return str(tmp_path / "two.gpkg")


@pytest.mark.parametrize("suffix", ["|layerid=1", "|layername=near", "|layername=near|geometrytype=Point"])
def test_the_named_layer_is_read(tmp_path, suffix):
    syn = write_synthetic(tmp_path)
    path = two_layers(tmp_path, syn)
    found = example_pixels(path + suffix, open_features(syn.path))
    assert sorted(zip(found.cols.tolist(), found.rows.tolist())) == [(3, 4), (10, 35), (30, 7)]


@pytest.mark.parametrize("suffix", ["", "|layerid=0", "|layername=far"])
def test_the_first_layer_is_the_default_and_named_in_the_refusal(tmp_path, suffix):
    syn = write_synthetic(tmp_path)
    path = two_layers(tmp_path, syn)
    with pytest.raises(InputError, match="mark no pixel"):
        example_pixels(path + suffix, open_features(syn.path))


@pytest.mark.parametrize("suffix", ["|layerid=7", "|layername=nothere"])
def test_a_missing_layer_is_refused_with_its_name(tmp_path, suffix):
    syn = write_synthetic(tmp_path)
    path = two_layers(tmp_path, syn)
    with pytest.raises(InputError, match="cannot be opened by GDAL as a vector layer") as raised:
        example_pixels(path + suffix, open_features(syn.path))
    assert suffix in str(raised.value)
