"""A scene's six model bands as a VRT of ``/vsicurl/`` URLs: nothing copied, GDAL reads only the
blocks the tiles need.

The VRT's grid is the coarsest band's (Sentinel-2: 20 m; finer bands averaged onto it, as the
SAFE adapter does); each band carries the item's declared scale and offset as its GDAL
scale/offset (:mod:`.scenes`), which the ordinary scale check follows. The quality asset is the
date's quality source.
"""
from __future__ import annotations

import math
import os
from typing import Any, List, Optional, Sequence, Tuple
from xml.etree import ElementTree as ET

from ..i18n import _
from ..quality_kinds import QualitySource
from ..inputs.stacked_vrt import VrtBand, stacked_vrt
from ..presets import BANDS
from .errors import CatalogError
from .access import open_remote, vsicurl
from .aoi_quality import Aoi
from .scenes import Scene


def _open(url: str, scene: Scene, catalogue: str) -> Any:
    return open_remote(url, catalogue, scene.item_id)


def scene_vrt(scene: Scene, folder: str, catalogue: str = "", aoi: Optional[Aoi] = None, margin: int = 0) -> str:
    """Write ``<folder>/<item id>.vrt`` (:func:`scene_vrt_xml`); returns its path.

    Raises:
        CatalogError: see :func:`scene_vrt_xml`.
    """
    xml = scene_vrt_xml(scene, catalogue, aoi, margin)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{scene.item_id}.vrt")
    with open(path, "w", encoding="utf-8") as out:
        out.write(xml)
    return path


def scene_vrt_xml(scene: Scene, catalogue: str = "", aoi: Optional[Aoi] = None, margin: int = 0) -> str:
    """A VRT (XML text) stacking the scene's six band assets in model order.

    With an ``aoi`` the VRT covers only the AOI's window on the scene's grid, widened by ``margin``
    pixels (the model's tile, so that tiles at the AOI's edge see the same pixels as from the whole
    file) and kept inside the scene: every later read (the scale check's sample, the same-image
    probe, the tiles) then asks the server for the blocks of that window only.

    Args:
        scene: the scene; catalogue: its title, for messages.
        aoi: the area of interest, or None for the whole scene; margin: pixels added around it.

    Returns:
        The VRT (its sources are ``/vsicurl/`` URLs; GDAL's HTTP options apply when it is read).

    Raises:
        CatalogError: a band asset cannot be opened (offline, 401, 403, 404), or the bands do not
            cover one area in one CRS.
    """
    opened = [_open(url, scene, catalogue) for url in scene.bands]
    grids = [(ds.RasterXSize, ds.RasterYSize, ds.GetGeoTransform(), ds.GetProjection()) for ds in opened]
    coarsest = max(range(6), key=lambda i: abs(grids[i][2][1]))
    width, height, gt, wkt = grids[coarsest]
    for (w, h, g, _wkt), url in zip(grids, scene.bands):
        if abs(g[0] - gt[0]) > 1e-6 or abs(g[3] - gt[3]) > 1e-6 or abs(w * g[1] - width * gt[1]) > 1e-6 \
                or abs(h * g[5] - height * gt[5]) > 1e-6:
            raise CatalogError(_("{catalogue}: item {item}: the band asset {url} does not cover the same area as the "
                                 "others; this item cannot be stacked").format(catalogue=catalogue,
                                                                              item=scene.item_id, url=url))
    band0 = opened[coarsest].GetRasterBand(1)
    from osgeo import gdal

    vrt_bands = [VrtBand(source=vsicurl(url), band=1, source_size=(g[0], g[1]), description=name,
                         resampling="average", metadata=(("STAC_ITEM", scene.item_id),))
                 for url, g, name in zip(scene.bands, grids, BANDS)]
    xml = stacked_vrt(vrt_bands, (width, height), gt, wkt, gdal.GetDataTypeName(band0.DataType),
                      band0.GetNoDataValue())
    if aoi is not None:
        xml = _clipped(xml, _window(aoi, gt, wkt, width, height, margin), [g[0] / width for g in grids])
    return _with_scale_offset(xml, scene.affine)


def _window(aoi: Aoi, gt: Sequence[float], wkt: str, width: int, height: int,
            margin: int) -> Tuple[int, int, int, int]:
    """(col, row, cols, rows) of the AOI on a north-up grid, widened by ``margin`` and kept inside it."""
    xmin, ymin, xmax, ymax = aoi.bounds_in(wkt)
    c0 = max(math.floor((xmin - gt[0]) / gt[1]) - margin, 0)
    c1 = min(math.ceil((xmax - gt[0]) / gt[1]) + margin, width)
    r0 = max(math.floor((ymax - gt[3]) / gt[5]) - margin, 0)
    r1 = min(math.ceil((ymin - gt[3]) / gt[5]) + margin, height)
    if c1 <= c0 or r1 <= r0:
        return 0, 0, width, height  # outside the scene: the pipeline says so, with the AOI's bounds
    return c0, r0, c1 - c0, r1 - r0


def _clipped(xml: str, window: Tuple[int, int, int, int], ratios: Sequence[float]) -> str:
    """The VRT restricted to ``window`` of its grid; ``ratios``: source pixels per VRT pixel, per band."""
    col, row, cols, rows = window
    root = ET.fromstring(xml)
    root.set("rasterXSize", str(cols))
    root.set("rasterYSize", str(rows))
    geo = root.find("GeoTransform")
    assert geo is not None and geo.text is not None
    gt = [float(v) for v in geo.text.split(",")]
    gt[0], gt[3] = gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]
    geo.text = ", ".join(repr(v) for v in gt)
    for band, ratio in zip(root.findall("VRTRasterBand"), ratios):
        source = band.find("SimpleSource")
        assert source is not None
        source.set("resampling", "average")
        for tag, values in (("SrcRect", (col * ratio, row * ratio, cols * ratio, rows * ratio)),
                            ("DstRect", (0, 0, cols, rows))):
            rect = source.find(tag)
            assert rect is not None
            for key, value in zip(("xOff", "yOff", "xSize", "ySize"), values):
                rect.set(key, repr(float(value)) if value != int(value) else str(int(value)))
    return ET.tostring(root, encoding="unicode")


def _with_scale_offset(xml: str, affine: Tuple[Tuple[float, float], ...]) -> str:
    """The VRT with ``<Offset>`` / ``<Scale>`` on each band where the item declares a conversion."""
    root = ET.fromstring(xml)
    bands: List[ET.Element] = root.findall("VRTRasterBand")
    for elem, (scale, offset) in zip(bands, affine):
        if (scale, offset) == (1.0, 0.0):
            continue
        position = 1 if elem.find("Description") is not None else 0
        ET.SubElement(elem, "Offset").text = repr(float(offset))
        ET.SubElement(elem, "Scale").text = repr(float(scale))
        for tag in ("Offset", "Scale"):  # before the sources, where GDAL writes them
            node = elem.find(tag)
            assert node is not None
            elem.remove(node)
            elem.insert(position, node)
            position += 1
    return ET.tostring(root, encoding="unicode")


def scene_quality(scene: Scene) -> QualitySource:
    """The scene's quality asset as the date's quality source (Fmask bit flags or SCL)."""
    return QualitySource(dataset=vsicurl(scene.quality), kind=scene.quality_kind,
                         label=f"{scene.item_id} ({os.path.basename(scene.quality.split('?')[0])})")
