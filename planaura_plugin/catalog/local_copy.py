"""A local copy of what a run reads from a catalogue, when the user asks for one (``DOWNLOAD_FOLDER``).

Only the window of the scene's VRT is copied (the AOI and one model tile around it, see
:func:`.assemble.scene_vrt`), as a GeoTIFF keeping the bands' descriptions, nodata and the item's
scale/offset, and the quality asset over the same area; the run then reads these files.
"""
from __future__ import annotations

import os
from typing import Tuple

from ..i18n import _
from ..quality_kinds import QualitySource
from .errors import CatalogError

CREATION = ["TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER"]


def copy_scene(vrt: str, quality: QualitySource, folder: str, item_id: str) -> Tuple[str, QualitySource]:
    """Copy a scene's VRT window and its quality over the same area into ``folder``.

    Args:
        vrt: the scene's VRT (:func:`.assemble.scene_vrt`); quality: its quality source.
        folder: where the copies go (created); item_id: names the files (``<id>.tif``, ``<id>_quality.tif``).

    Returns:
        The image's path and the quality source of the copied quality layer.

    Raises:
        CatalogError: a copy fails (the message names the item and GDAL's reason); nothing half-written stays.
    """
    from osgeo import gdal

    from ..gdal_calls import gdal_call

    os.makedirs(folder, exist_ok=True)
    image = os.path.join(folder, f"{item_id}.tif")
    quality_path = os.path.join(folder, f"{item_id}_quality.tif")
    done = None
    src, reason = gdal_call(gdal.Open, vrt)
    if src is not None:
        gt, width, height = src.GetGeoTransform(), src.RasterXSize, src.RasterYSize
        window = [gt[0], gt[3], gt[0] + width * gt[1], gt[3] + height * gt[5]]
        done, reason = gdal_call(gdal.Translate, image, src, creationOptions=CREATION)
        if done is not None:
            done = None  # closed: written
            done, reason = gdal_call(gdal.Translate, quality_path, quality.dataset, projWin=window,
                                     creationOptions=CREATION)
        src = None
    if done is None:
        for path in (image, quality_path):
            if os.path.exists(path):
                os.remove(path)
        raise CatalogError(_("item {item}: the local copy in {folder} failed: {reason}").format(
            item=item_id, folder=folder, reason=reason))
    done = None
    return image, QualitySource(dataset=quality_path, kind=quality.kind, label=os.path.basename(quality_path))
