"""Examples drawn on a map (points or polygons of a vector file) as pixels of a feature raster.

A point marks the pixel that holds it; a polygon marks the pixels whose centre lies inside
(GDAL's rasterize rule) and, where no polygon covers it, the pixel holding a point inside the
polygon (OGR's point on surface): a polygon smaller than a pixel, such as a field drawn on the
30 m image over embeddings at the model's stride (480 m pixels), marks the pixel it lies in
instead of none. Geometries in another CRS are transformed to the raster's. The vector
is burnt window by window (the windows of :func:`.blocks.windows`), so memory stays bounded, and
only in the strips of rows the examples' extent covers, so the time depends on where the examples
lie, not on the size of the raster (a few points over a 100000 x 100000 px raster take a moment).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

from ..errors import InputError
from ..feedback import Feedback
from ..gdal_calls import gdal_call, spatial_reference
from ..i18n import _
from .blocks import FeatureRaster, windows


#: example pixels kept per class (a uniform random subset beyond): the tools use at most 5000 (similarity)
#: and 2000 (classes) of them, so a polygon over a large area costs no more memory than this
MAX_PIXELS_PER_CLASS = 20_000


@dataclass
class ExamplePixels:
    """Pixels of examples: column, row and class code (1..K; ``names[code - 1]`` is the class)."""

    cols: np.ndarray
    rows: np.ndarray
    codes: np.ndarray
    names: List[str]


def _sort_key(value: str):
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _open_layer(path: str, what: str):
    """The OGR layer ``path`` names: a file's first layer, or QGIS's ``file|layername=name`` / ``file|layerid=n``."""
    from osgeo import ogr

    name, *parts = str(path).split("|")
    options = dict(part.split("=", 1) for part in parts if "=" in part)
    vds, _reason = gdal_call(ogr.Open, name)
    layer = None
    if vds is not None and vds.GetLayerCount():
        if "layername" in options:
            layer = vds.GetLayerByName(options["layername"])
        elif options.get("layerid", "0").isdigit():
            layer = vds.GetLayer(int(options.get("layerid", "0")))
    if layer is None:
        vds = None  # closed here: not kept alive by the traceback of the refusal
        raise InputError(_("the {what} {path} cannot be opened by GDAL as a vector layer; give points or polygons "
                           "(GeoPackage, shapefile...)").format(what=what, path=path))
    return vds, layer


def _memory_layer(layer, src: FeatureRaster, field: Optional[str], path: str, what: str):
    """The features in the raster's CRS with an integer ``code`` per class, and the class names."""
    from osgeo import ogr, osr

    target = spatial_reference(src.projection, gis_order=True)[0] if src.projection else None
    source = layer.GetSpatialRef()
    if source is not None:
        source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target) if source is not None and target is not None else None
    if field is not None and layer.GetLayerDefn().GetFieldIndex(field) < 0:
        raise InputError(_("the {what} {path} has no field {field}; choose the field that holds the class").format(
                             what=what, path=path, field=field))
    features = [(f.GetGeometryRef().Clone(), str(f.GetField(field)) if field else "1")
                for f in layer if f.GetGeometryRef() is not None and (field is None or f.IsFieldSetAndNotNull(field))]
    names = sorted({name for _g, name in features}, key=_sort_key)
    mem = ogr.GetDriverByName("Memory").CreateDataSource("examples")
    out = mem.CreateLayer("examples", target, ogr.wkbUnknown)
    out.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    for geometry, name in features:
        if transform is not None:
            geometry.Transform(transform)
        feature = ogr.Feature(out.GetLayerDefn())
        feature.SetGeometry(geometry)
        feature.SetField("code", names.index(name) + 1)
        out.CreateFeature(feature)
    return mem, out, names


def _anchors(mem, burnt):
    """A layer of ``mem`` holding a point inside each polygon of ``burnt`` (OGR's point on surface), same code."""
    from osgeo import ogr

    anchors = mem.CreateLayer("anchors", burnt.GetSpatialRef(), ogr.wkbPoint)
    anchors.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    burnt.ResetReading()
    for feature in burnt:
        geometry = feature.GetGeometryRef()
        point = geometry.PointOnSurface() if geometry.GetDimension() == 2 else None
        if point is not None and not point.IsEmpty():
            anchor = ogr.Feature(anchors.GetLayerDefn())
            anchor.SetGeometry(point)
            anchor.SetField("code", feature.GetField("code"))
            anchors.CreateFeature(anchor)
    burnt.ResetReading()
    return anchors


def _rows_covered(layer, src: FeatureRaster) -> Tuple[int, int]:
    """First and last raster rows the features of ``layer`` (in the raster's CRS) can touch.

    The layer's extent, its four corners taken to pixel coordinates through the inverse
    geotransform (rotated grids included), widened by one row each side; ``(0, -1)`` when empty.
    """
    from osgeo import gdal

    if not layer.GetFeatureCount():
        return 0, -1
    xmin, xmax, ymin, ymax = layer.GetExtent()
    inverse = gdal.InvGeoTransform(src.geotransform)
    rows = [] if inverse is None else \
        [inverse[3] + x * inverse[4] + y * inverse[5] for x in (xmin, xmax) for y in (ymin, ymax)]
    if not rows or not np.isfinite(rows).all():  # a degenerate grid or coordinates: every strip is burnt
        return 0, src.height - 1
    return max(0, int(np.floor(min(rows))) - 1), min(src.height - 1, int(np.floor(max(rows))) + 1)


def _outside(layer, src: FeatureRaster) -> int:
    """How many features of ``layer`` (in the raster's CRS) do not touch the raster's footprint."""
    from osgeo import ogr

    gt = src.geotransform
    corners = [(gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5])
               for c, r in ((0, 0), (src.width, 0), (src.width, src.height), (0, src.height), (0, 0))]
    footprint = ogr.CreateGeometryFromWkt("POLYGON ((" + ", ".join(f"{x!r} {y!r}" for x, y in corners) + "))")
    layer.ResetReading()
    outside = sum(1 for f in layer if not f.GetGeometryRef().Intersects(footprint))
    layer.ResetReading()
    return outside


def _burn(src: FeatureRaster, burnt, anchors, seed: int = 0) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns, rows and codes of the pixels the examples mark, strip by strip, in row order.

    At most :data:`MAX_PIXELS_PER_CLASS` pixels of a class are kept: beyond, a uniform random subset
    (the smallest of a random key per pixel, seeded), so memory stays bounded whatever the polygons cover.
    """
    from osgeo import gdal

    driver = gdal.GetDriverByName("MEM")
    rng = np.random.default_rng(seed)
    kept = [np.empty(0, np.int64) for _ in range(3)] + [np.empty(0)]
    gt = src.geotransform
    first, last = _rows_covered(burnt, src)
    for _x, y, w, h in windows(src):
        if y + h <= first or y > last:  # no example can fall in this strip: nothing to burn
            continue
        ds = driver.Create("", w, h, 1, gdal.GDT_Int32)
        ds.SetGeoTransform((gt[0] + y * gt[2], gt[1], gt[2], gt[3] + y * gt[5], gt[4], gt[5]))
        if src.projection:
            ds.SetProjection(src.projection)
        if anchors.GetFeatureCount():  # first: the polygons' own pixels are drawn over them
            gdal.RasterizeLayer(ds, [1], anchors, options=["ATTRIBUTE=code"])
        gdal.RasterizeLayer(ds, [1], burnt, options=["ATTRIBUTE=code"])
        codes = ds.GetRasterBand(1).ReadAsArray()
        rows, cols = np.nonzero(codes)
        found = (cols.astype(np.int64), rows.astype(np.int64) + y, codes[rows, cols].astype(np.int64),
                 rng.random(len(rows)))
        kept = _at_most_per_class([np.concatenate([a, b]) for a, b in zip(kept, found)])
    return kept[0], kept[1], kept[2]


def _at_most_per_class(parts: List[np.ndarray]) -> List[np.ndarray]:
    """``[cols, rows, codes, keys]`` with at most MAX_PIXELS_PER_CLASS per code (smallest keys), order kept."""
    codes, keys = parts[2], parts[3]
    if not len(codes) or np.bincount(codes).max() <= MAX_PIXELS_PER_CLASS:
        return parts
    order = np.lexsort((keys, codes))
    ranked = codes[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
    keep = np.sort(order[rank < MAX_PIXELS_PER_CLASS])
    return [part[keep] for part in parts]


def example_pixels(path: str, src: FeatureRaster, field: Optional[str] = None,
                   what: Optional[str] = None, feedback: Optional[Feedback] = None) -> ExamplePixels:
    """The pixels of the raster marked by the points/polygons of the vector file ``path``.

    Args:
        path: an OGR vector file (its first layer, ``file|layername=name`` or ``file|layerid=n``; any CRS).
        src: the feature raster whose grid the examples are read on.
        field: the field holding the class (text or numbers); None: one class.
        what: how messages name the layer (default: "examples").
        feedback: where a warning names the examples left out because they lie outside the raster.

    Returns:
        The :class:`ExamplePixels` (a pixel under two classes keeps the last drawn; at most
        :data:`MAX_PIXELS_PER_CLASS` per class, a uniform random subset beyond).

    Raises:
        InputError: the layer cannot be opened, lacks the field, or marks no pixel of the raster.
    """
    what = what or _("examples")
    _vds, layer = _open_layer(path, what)
    mem, burnt, names = _memory_layer(layer, src, field, path, what)
    cols, rows, codes = _burn(src, burnt, _anchors(mem, burnt))
    outside = _outside(burnt, src) if len(codes) and feedback is not None else 0
    if outside and feedback is not None:
        feedback.warning(_("{outside} of the {count} {what} of {path} lie outside {raster} and are left out; check "
                           "that they are drawn over it").format(outside=outside, count=burnt.GetFeatureCount(),
                                                                what=what, path=path, raster=src.path))
    if not len(codes):
        raise InputError(_("the {what} {path} mark no pixel of {raster}: are they over it (their CRS is taken into "
                           "account)?").format(what=what, path=path, raster=src.path))
    return ExamplePixels(cols=cols, rows=rows, codes=codes, names=names)
