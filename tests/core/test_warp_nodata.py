"""A warped date: a target pixel whose nearest source pixel is nodata stays nodata (raster/reader.warp_to_tile).

GDAL 3.8 (the reference's, through rasterio 1.3.10) leaves such a pixel nodata; Debian's GDAL
3.6 gives it a cubic value from the valid pixels around it, which moved the feature maps of the
golden v_mosaic3 run (nocloud, 20 m Canada Atlas Lambert, warped onto a 30 m UTM tile) by up
to 7.6e-4. Inputs: the real nocloud image and the 30 m HLS grid of shared/data/hls_t15sxr.
"""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from planaura_plugin.raster.reader import _warp_once, warp_to_tile
from support import SHARED

DATA = SHARED / "data" / "hls_t15sxr"
NODATA = -9999.0


def _tiles():
    src = gdal.Open(str(DATA / "nocloud.2022250T.tif"))
    base = gdal.Open(str(DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"))
    g0 = base.GetGeoTransform()
    for row in range(0, 1000 - 64 + 1, 96):
        for col in range(0, 1000 - 64 + 1, 96):
            gt = (g0[0] + col * g0[1], g0[1], 0.0, g0[3] + row * g0[5], 0.0, g0[5])
            yield src, gt, base.GetProjection()


@pytest.mark.parametrize("dtype", [np.int16, np.float32])
def test_nearest_invalid_stays_nodata(dtype):
    cubic_values_there = 0
    checked = 0
    for src, gt, wkt in _tiles():
        tile = warp_to_tile(src, gt, wkt, 64, dtype, "cubic", [NODATA] * 6, NODATA)
        near = _warp_once(src, gt, wkt, 64, dtype, "near", [NODATA] * 6, NODATA, False)
        plain = _warp_once(src, gt, wkt, 64, dtype, "cubic", [NODATA] * 6, NODATA, False)
        invalid = near == NODATA
        assert np.all(tile[invalid] == NODATA)
        # elsewhere the cubic values are GDAL's own
        assert np.array_equal(tile[~invalid], plain[~invalid])
        cubic_values_there += int((plain[invalid] != NODATA).sum())
        checked += int((~invalid).sum())
    assert checked > 0
    if gdal.VersionInfo() < "3080000":  # the case the rule exists for is present on this GDAL
        assert cubic_values_there > 0
