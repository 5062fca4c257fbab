"""Synthetic embeddings of known structure on the real grid of shared/data/hls_t15sxr.

Four quadrants (regions 1-4) each with its own mean vector plus Gaussian noise, a nodata
square in the middle; written as a float32 GeoTIFF (nodata -100, like Planaura's embeddings)
with the georeferencing of the HLS scene (its 30 m grid, or 480 m: one cell per 16 px patch).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from osgeo import gdal, ogr, osr

from support import DATA

SCENE = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
NODATA = -100.0


@dataclass
class Synthetic:
    path: str
    regions: np.ndarray  # (h, w) region 1..4, 0 = nodata
    geotransform: tuple
    projection: str
    means: np.ndarray  # (4, bands)

    def centre_of(self, col: int, row: int) -> tuple:
        gt = self.geotransform
        return gt[0] + (col + 0.5) * gt[1], gt[3] + (row + 0.5) * gt[5]

    def pixels_of(self, region: int, count: int, seed: int = 1) -> np.ndarray:
        """``count`` random (col, row) of a region, away from its edges."""
        rows, cols = np.nonzero(self.regions == region)
        rng = np.random.default_rng(seed)
        pick = rng.choice(len(rows), count, replace=False)
        return np.stack([cols[pick], rows[pick]], axis=1)


def write_synthetic(folder: Path, width: int = 48, height: int = 40, bands: int = 16, noise: float = 0.5,
                    stride: int = 1, seed: int = 0, name: str = "emb.tif", means=None) -> Synthetic:
    scene = gdal.Open(str(SCENE))
    sgt = scene.GetGeoTransform()
    gt = (sgt[0] + 90 * sgt[1], sgt[1] * stride, 0.0, sgt[3] + 60 * sgt[5], 0.0, sgt[5] * stride)
    rng = np.random.default_rng(seed)
    if means is None:
        means = rng.normal(0.0, 3.0, (4, bands))
    regions = np.ones((height, width), np.int64)
    regions[:, width // 2:] += 1
    regions[height // 2:, :] += 2
    regions[height // 2 - 3:height // 2 + 3, width // 2 - 3:width // 2 + 3] = 0
    data = means[np.maximum(regions, 1) - 1] + rng.normal(0.0, noise, (height, width, bands))
    data[regions == 0] = NODATA
    ds = gdal.GetDriverByName("GTiff").Create(str(folder / name), width, height, bands, gdal.GDT_Float32)
    ds.SetGeoTransform(gt)
    ds.SetProjection(scene.GetProjection())
    for b in range(bands):
        band = ds.GetRasterBand(b + 1)
        band.SetNoDataValue(NODATA)
        band.SetDescription(f"f{b}")
        band.WriteArray(data[:, :, b].astype(np.float32))
    ds = None
    return Synthetic(str(folder / name), regions, gt, scene.GetProjection(), means)


def write_points(path: Path, syn: Synthetic, points, labels=None, epsg: int = 0, polygons: bool = False) -> str:
    """A GeoPackage of points (or 1-pixel-wide squares) at pixel centres, with a ``label`` field."""
    src = osr.SpatialReference()
    src.ImportFromWkt(syn.projection)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = src
    if epsg:
        dst = osr.SpatialReference()
        dst.ImportFromEPSG(epsg)
        dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(src, dst)
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = vds.CreateLayer("examples", dst, ogr.wkbPolygon if polygons else ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    half = abs(syn.geotransform[1]) * 0.4
    for i, (col, row) in enumerate(points):
        x, y = syn.centre_of(int(col), int(row))
        if polygons:
            geom = ogr.CreateGeometryFromWkt(f"POLYGON(({x - half} {y - half},{x + half} {y - half},"
                                             f"{x + half} {y + half},{x - half} {y + half},{x - half} {y - half}))")
        else:
            geom = ogr.CreateGeometryFromWkt(f"POINT({x} {y})")
        geom.Transform(transform)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(geom)
        feature.SetField("label", "" if labels is None else str(labels[i]))
        layer.CreateFeature(feature)
    vds = None
    return str(path)


def write_examples(path: Path, raster: Path, cells, labels, layer_name: str = "examples") -> str:
    """Points at the centres of pixels (col, row) of ``raster``, in EPSG:4326, with a ``label`` field, as the
    layer ``layer_name`` of the GeoPackage ``path`` (added beside its other layers when it exists)."""
    ds = gdal.Open(str(raster))
    gt = ds.GetGeoTransform()
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromWkt(ds.GetProjection())
    dst.ImportFromEPSG(4326)
    for srs in (src, dst):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(src, dst)
    vds = ogr.Open(str(path), 1) if Path(path).exists() else ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = vds.CreateLayer(layer_name, dst, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    for (col, row), label in zip(cells, labels):
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(gt[0] + (col + 0.5) * gt[1], gt[3] + (row + 0.5) * gt[5])
        point.Transform(transform)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(point)
        feature.SetField("label", str(label))
        layer.CreateFeature(feature)
    layer = vds = None
    return str(path)
