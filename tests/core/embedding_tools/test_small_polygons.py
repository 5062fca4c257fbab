"""A polygon example smaller than a pixel (a field drawn on the 30 m image, over embeddings at the
model's stride) marks the pixel it lies in, not none; larger polygons keep their pixels (those
whose centre is inside), the pixel of their point on surface added only where no polygon covers it."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import ogr, osr

from planaura_plugin.embedding_tools import examples
from planaura_plugin.embedding_tools.blocks import open_features
from planaura_plugin.embedding_tools.examples import example_pixels
from planaura_plugin.errors import InputError
from embedding_synthetic import write_synthetic


def write_polygons(path, syn, squares, epsg: int) -> str:
    """Squares (x, y of their lower-left corner in the raster's CRS, side in metres, label) in ``epsg``."""
    src = osr.SpatialReference()
    src.ImportFromWkt(syn.projection)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(epsg)
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(src, dst)
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = vds.CreateLayer("fields", dst, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    for x, y, side, label in squares:
        geometry = ogr.CreateGeometryFromWkt(f"POLYGON (({x} {y}, {x + side} {y}, {x + side} {y + side}, "
                                             f"{x} {y + side}, {x} {y}))")
        geometry.Transform(transform)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(geometry)
        feature.SetField("label", label)
        layer.CreateFeature(feature)
    vds = None
    return str(path)


def marked(found) -> dict:
    return {(int(c), int(r)): int(k) for c, r, k in zip(found.cols, found.rows, found.codes)}


@pytest.mark.parametrize("seed", range(8))
def test_every_polygon_marks_a_pixel_and_big_ones_keep_theirs(tmp_path, monkeypatch, seed):
    rng = np.random.default_rng(seed)
    stride = int(rng.choice([1, 16]))
    syn = write_synthetic(tmp_path, stride=stride, seed=seed)
    gt = syn.geotransform
    height, width = syn.regions.shape
    squares = []
    for i in range(int(rng.integers(1, 6))):
        col, row = rng.uniform(0, width - 3.1), rng.uniform(3.1, height)
        side = float(rng.uniform(0.05, 3.0)) * gt[1]  # a twentieth of a pixel to three pixels
        squares.append((gt[0] + col * gt[1], gt[3] + row * gt[5], side, str(i % 2)))
    layer = write_polygons(tmp_path / "fields.gpkg", syn, squares, int(rng.choice([32615, 4326, 3857])))
    src = open_features(syn.path, max_values=int(rng.integers(16, 2000)))
    now = marked(example_pixels(layer, src, field="label"))
    monkeypatch.setattr(examples, "_anchors", lambda mem, burnt: mem.CreateLayer("none", None, ogr.wkbPoint))
    try:
        centres_only = marked(example_pixels(layer, src, field="label"))
    except InputError:  # no square holds a pixel centre: before, the examples were refused
        centres_only = {}
    assert {k: now[k] for k in centres_only} == centres_only  # every pixel kept, with its class
    for x, y, side, _label in squares:  # the pixel holding the square's middle belongs to some example
        cell = (int((x + side / 2 - gt[0]) // gt[1]), int((y + side / 2 - gt[3]) // gt[5]))
        assert cell in now, (cell, side / gt[1])
    assert len(now) - len(centres_only) <= len(squares)


def test_a_field_on_stride_embeddings_marks_its_cell(tmp_path):
    syn = write_synthetic(tmp_path, stride=16)
    gt = syn.geotransform
    x, y = gt[0] + 5.2 * gt[1], gt[3] + 5.9 * gt[5]  # a 90 m field in cell (5, 5), away from its centre
    found = example_pixels(write_polygons(tmp_path / "f.gpkg", syn, [(x, y, 90.0, "a")], 4326), open_features(syn.path))
    assert marked(found) == {(5, 5): 1}
