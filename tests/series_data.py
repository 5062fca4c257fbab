"""A synthetic series of one place built from the real HLS scene (``../shared/data/hls_t15sxr``).

``make_series`` crops a clean 128 x 128 px window of the 2021-09-07 image (no change, cloud or
nodata in the data folder's ``CHANGES_mask.tif``) and writes it as ``n`` dates ten days apart,
each with its own small noise (normal, sigma ``noise`` DN, seeded by date). From date index
``change_at`` on, the patch :data:`BURN` (rows, cols of the crop) holds the burn scar of the
synthetic 2022-09-02 image (its pixels from the middle of the scar, where the data folder's mask
says 1). At date index ``cloud_at`` the patch :data:`CLOUD` is a bright cloud (4000 DN added in
every band) and its quality layer says cloud (Fmask bit 1) over :data:`CLOUD_MASK` (the blob and
one model patch around it); every other quality pixel is clear (0). Quality layers are
``fmask_<image name>`` beside each image, as the change map finds them. Patches are aligned to the
model's 16 px patches.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from support import DATA

REAL = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
BURNED = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
CROP = (600, 800, 128, 128)  # row, col, rows, cols of the scene: clean in CHANGES_mask.tif
BURN_SOURCE = (240, 190)  # row, col of the scene where the burn scar is taken from (inside it)
BURN = (slice(16, 64), slice(16, 64))  # 48 x 48 px, three model patches a side
CLOUD = (slice(80, 112), slice(64, 112))  # 32 x 48 px of bright cloud
#: the cloud's quality mask: the blob grown by one model patch (16 px), as Fmask dilates its clouds; the
#: upsampled change map carries a change about one patch out (cubic interpolation between patch centres)
CLOUD_MASK = (slice(64, 128), slice(48, 128))
FIRST_DAY = 2021250
STEP_DAYS = 10
CLOUD_DN = 4000


def series_dates(n: int) -> List[int]:
    """YYYYDDD of the ``n`` dates: 2021-09-07 and every 10 days (into 2022 for more than 11 dates)."""
    import datetime as dt

    first = dt.date(FIRST_DAY // 1000, 1, 1) + dt.timedelta(days=FIRST_DAY % 1000 - 1)
    days = [first + dt.timedelta(days=STEP_DAYS * i) for i in range(n)]
    return [d.year * 1000 + d.timetuple().tm_yday for d in days]


def image_name(date: int) -> str:
    return f"HLS.S30.T15SXR.{date}T163901.v2.0.tif"


def _write(path: Path, array: np.ndarray, gt, wkt: str, nodata: Optional[float], names=()) -> Path:
    from osgeo import gdal, gdal_array

    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[2], array.shape[1], array.shape[0],
                                              gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    ds.SetGeoTransform(gt)
    ds.SetProjection(wkt)
    for b in range(array.shape[0]):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if names:
            band.SetDescription(names[b])
        band.WriteArray(array[b])
    ds = None
    return path


def _crop(path: Path, row: int, col: int, rows: int, cols: int) -> Tuple[np.ndarray, tuple, str, list]:
    from osgeo import gdal

    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray(col, row, cols, rows)
    gt = ds.GetGeoTransform()
    crop_gt = (gt[0] + col * gt[1], gt[1], 0.0, gt[3] + row * gt[5], 0.0, gt[5])
    names = [ds.GetRasterBand(b + 1).GetDescription() for b in range(ds.RasterCount)]
    return arr, crop_gt, ds.GetProjection(), names


def make_series(folder: Path, n: int = 6, change_at: int = 3, cloud_at: Optional[int] = 1,
                noise: float = 5.0, crop: Tuple[int, int, int, int] = CROP) -> Dict[int, Path]:
    """Write the series into ``folder``; returns {date YYYYDDD: image path} in date order.

    ``crop`` (row, col, rows, cols of the scene): another window (the bench takes the whole 1000 x 1000
    scene); the patches stay at the same rows and columns of the crop.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base, gt, wkt, names = _crop(REAL, *crop)
    h, w = BURN[0].stop - BURN[0].start, BURN[1].stop - BURN[1].start
    burned, _gt, _wkt, _names = _crop(BURNED, BURN_SOURCE[0], BURN_SOURCE[1], h, w)
    out: Dict[int, Path] = {}
    for i, date in enumerate(series_dates(n)):
        rng = np.random.default_rng(date)
        img = base.astype(np.float64) + rng.normal(0.0, noise, size=base.shape)
        if i >= change_at:
            img[:, BURN[0], BURN[1]] = burned
        quality = np.zeros((1,) + base.shape[1:], dtype=np.uint8)
        if cloud_at is not None and i == cloud_at:
            img[:, CLOUD[0], CLOUD[1]] += CLOUD_DN
            quality[0, CLOUD_MASK[0], CLOUD_MASK[1]] = 2  # Fmask bit 1: cloud
        image = np.clip(np.rint(img), -32767, 32767).astype(np.int16)
        path = _write(folder / image_name(date), image, gt, wkt, -9999, names)
        _write(folder / f"fmask_{image_name(date)}", quality, gt, wkt, None)
        out[date] = path
    return out


def patch_mask(shape: Tuple[int, int], patch: Tuple[slice, slice], margin: int = 0) -> np.ndarray:
    """Bool mask of a patch grown (margin > 0) or shrunk (margin < 0) by ``margin`` px."""
    mask = np.zeros(shape, dtype=bool)
    r, c = patch
    mask[max(0, r.start - margin):r.stop + margin, max(0, c.start - margin):c.stop + margin] = True
    return mask
