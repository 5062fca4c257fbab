"""Cheap samples of a raster's values, for the checks run before any model work.

A decimated read of a whole compressed band makes GDAL decode every block (a 3660 x 3660
HLS band: 225 blocks for 4096 values). A raster with more than :data:`SAMPLE_BLOCKS`
blocks is therefore sampled in whole blocks spread evenly over it (GDAL's own approximate
statistics read a lattice of blocks in the same way); a smaller one, or an overview large
enough, is read whole and decimated (nearest neighbour).

Whether two inputs are one image given twice is first asked of a few small windows
(:func:`probe_fingerprint`) and only confirmed, when these agree, by hashing every pixel
(:func:`fingerprint`).
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..gdal_calls import gdal_call

SAMPLE_PIXELS = 4096  # per band, for the scale check
SAMPLE_BLOCKS = 9     # at most this many blocks are decoded per band (a 3 x 3 lattice)

Window = Tuple[int, int, int, int]  # xoff, yoff, xsize, ysize (pixels)


def _buffer_size(width: int, height: int, max_pixels: int) -> Tuple[int, int]:
    ratio = min(1.0, (max_pixels / float(width * height)) ** 0.5)
    return max(1, int(round(width * ratio))), max(1, int(round(height * ratio)))


def _sample_source(band: Any, max_pixels: int) -> Any:
    """The smallest overview holding at least ``max_pixels`` pixels, else the band itself."""
    overviews = [band.GetOverview(i) for i in range(band.GetOverviewCount())]
    big = [o for o in overviews if o is not None and o.XSize * o.YSize >= max_pixels]
    return min(big, key=lambda o: o.XSize * o.YSize) if big else band


def _spread(count: int, keep: int) -> List[int]:
    """``keep`` indices out of ``range(count)``, evenly spread, first and last included."""
    if keep >= count:
        return list(range(count))
    if keep == 1:
        return [count // 2]
    return sorted({int(round(i * (count - 1) / (keep - 1))) for i in range(keep)})


def sample_windows(band: Any, max_blocks: int = SAMPLE_BLOCKS) -> List[Window]:
    """The windows a sample of ``band`` reads: the whole band, or up to ``max_blocks`` of its blocks.

    Args:
        band: a ``gdal.Band`` (or overview).
        max_blocks: the most blocks to decode.

    Returns:
        ``[(0, 0, XSize, YSize)]`` when the band has at most ``max_blocks`` blocks; else whole
        blocks (cut at the raster's edge) on a lattice spread over the rows and columns of
        blocks, at most ``max_blocks`` of them.
    """
    bw, bh = band.GetBlockSize()
    bw, bh = max(1, min(bw, band.XSize)), max(1, min(bh, band.YSize))
    nx, ny = -(-band.XSize // bw), -(-band.YSize // bh)
    if nx * ny <= max_blocks or nx == 1:  # striped: a decimated read decodes only the rows it samples
        return [(0, 0, band.XSize, band.YSize)]
    kx = min(nx, max(1, int(max_blocks ** 0.5)))
    ky = min(ny, max_blocks // kx)
    return [(i * bw, j * bh, min(bw, band.XSize - i * bw), min(bh, band.YSize - j * bh))
            for j in _spread(ny, ky) for i in _spread(nx, kx)]


def _buffers(windows: Sequence[Window], max_pixels: int) -> Iterator[Tuple[Window, Tuple[int, int]]]:
    """Each window with its decimated buffer size, about ``max_pixels`` pixels in all."""
    share = max(1, max_pixels // len(windows))
    for w in windows:
        yield w, _buffer_size(w[2], w[3], share)


def _read(source: Any, window: Window, buf: Tuple[int, int]) -> np.ndarray:
    raw, reason = gdal_call(source.ReadAsArray, *window, buf_xsize=buf[0], buf_ysize=buf[1])
    if raw is None:  # the block could not be read (GDAL raised, or returned None): one error for the callers
        raise RuntimeError(reason or "read error")
    return raw


def sample_band(band: Any, max_pixels: int = SAMPLE_PIXELS, extra_nodata: Sequence[float] = (),
                alpha: Optional[Any] = None, max_blocks: int = SAMPLE_BLOCKS) -> np.ndarray:
    """A cheap sample of a band's valid raw values.

    Reads an overview when the band has one large enough, else the band decimated (nearest
    neighbour) into about ``max_pixels`` pixels: the whole band when it has at most
    :data:`SAMPLE_BLOCKS` blocks, else blocks spread over it (:func:`sample_windows`).

    Args:
        band: a ``gdal.Band``.
        max_pixels: about how many pixels to read.
        extra_nodata: other values to leave out (e.g. the model's nodata).
        alpha: the dataset's alpha band (``gdal.Band``), whose 0 pixels are left out. GDAL's
            own mask uses an alpha band only in 2- and 4-band rasters, hence this argument.
    Returns:
        1-D float64 array of raw values (scale/offset not applied), without the declared
        nodata, NaN / inf, ``extra_nodata``, pixels whose ``alpha`` is 0 and pixels the band's
        mask marks invalid. May be empty.
    Raises:
        RuntimeError: GDAL cannot read the band (a truncated or corrupt file), whatever the
            exceptions state.
    """
    from osgeo import gdal

    src = _sample_source(band, max_pixels)
    scale = (band.XSize / src.XSize, band.YSize / src.YSize)  # overview -> full-resolution pixels
    own = band.GetMaskBand() if band.GetMaskFlags() != gdal.GMF_ALL_VALID else None
    parts = []
    for (x, y, w, h), buf in _buffers(sample_windows(src, max_blocks), max_pixels):
        values = _read(src, (x, y, w, h), buf).astype(np.float64)
        valid = np.isfinite(values)
        full = (int(x * scale[0]), int(y * scale[1]), min(band.XSize, int(round(w * scale[0]))),
                min(band.YSize, int(round(h * scale[1]))))
        for mask in (own, alpha):
            if mask is not None:
                valid &= _read(mask, full, buf) > 0
        for v in (band.GetNoDataValue(), *extra_nodata):
            if v is not None and not np.isnan(v):
                valid &= values != v
        parts.append(values[valid])
    sample = np.concatenate(parts)
    if not sample.size and len(parts) > 1:  # the blocks sampled hold nothing valid: the whole band decides
        return sample_band(band, max_pixels, extra_nodata, alpha, max_blocks=2 ** 62)
    return sample


PROBE_WINDOWS = 4   # per axis: a 4 x 4 lattice of small windows at fixed relative positions
PROBE_SIZE = 16     # pixels a side of each probe window


def probe_fingerprint(dataset: Any) -> str:
    """A content hash of small full-resolution windows at fixed relative positions of every band.

    Cheaper than :func:`fingerprint` on a large compressed raster (GDAL decodes only the blocks
    or strips the :data:`PROBE_WINDOWS` x :data:`PROBE_WINDOWS` windows touch, not every block),
    and, like it, independent of the block layout and overviews. Two rasters of one size whose
    probes differ are different images; equal probes (the same image, or windows that are nodata
    in both) are to be confirmed with :func:`fingerprint`.

    Args:
        dataset: a ``gdal.Dataset``.
    Returns:
        a hex SHA-1 of the raster size, band count, data type and the probed bytes.
    Raises:
        RuntimeError: GDAL cannot read a window.
    """
    width, height = dataset.RasterXSize, dataset.RasterYSize
    digest = _header_digest(dataset)
    w, h = min(PROBE_SIZE, width), min(PROBE_SIZE, height)
    for y in sorted({(height - h) * j // max(1, PROBE_WINDOWS - 1) for j in range(PROBE_WINDOWS)}):
        for x in sorted({(width - w) * i // max(1, PROBE_WINDOWS - 1) for i in range(PROBE_WINDOWS)}):
            data, reason = gdal_call(dataset.ReadRaster, x, y, w, h)
            if data is None:
                raise RuntimeError(reason or "read error")
            digest.update(bytes(data))
    return digest.hexdigest()


def _header_digest(dataset: Any) -> Any:
    first = dataset.GetRasterBand(1)
    return hashlib.sha1(f"{dataset.RasterXSize}x{dataset.RasterYSize}x{dataset.RasterCount}:"
                        f"{first.DataType}:".encode())


def same_image_fingerprints(first: Any, last: Any, each: Optional[Callable[..., List[str]]] = None
                            ) -> Tuple[str, str]:
    """Fingerprints of two same-size datasets, equal when they hold the same pixel values.

    The cheap :func:`probe_fingerprint` first; only when the probes agree is each raster read
    whole at full resolution (:func:`fingerprint`, exact), which tells apart images that differ
    anywhere, e.g. whose probed windows are nodata in both. Equal means every stored value is
    equal (not: the same scene stored flipped, reprojected or rescaled).

    Args:
        first, last: ``gdal.Dataset`` of the same size.
        each: ``each(fn, [first, last]) -> [fn(first), fn(last)]``, e.g. run in two threads; a
            plain loop when None.
    Returns:
        (first's, last's) hex fingerprints; equal means the same content.
    Raises:
        RuntimeError: GDAL cannot read one of them.
    """
    each = each or (lambda fn, items: [fn(item) for item in items])
    probes = each(probe_fingerprint, [first, last])
    if probes[0] != probes[1]:
        return probes[0], probes[1]
    whole = each(fingerprint, [first, last])
    return whole[0], whole[1]


FINGERPRINT_STRIP_BYTES = 16 * 2 ** 20  # rows read at a time by :func:`fingerprint`


def fingerprint(dataset: Any) -> str:
    """A content hash of every pixel of every band, read at full resolution in strips of rows.

    Exact: two rasters hash the same only when every stored value is the same, whatever their
    block layout, compression or overviews (a decimated read could be served from an overview,
    or step over small differences). Decodes the whole raster: used only to confirm equal
    :func:`probe_fingerprint` results.

    Args:
        dataset: a ``gdal.Dataset``.
    Returns:
        a hex SHA-1 of the raster size, band count, data type and all pixel values.
    Raises:
        RuntimeError: GDAL cannot read a strip.
    """
    from osgeo import gdal

    digest = _header_digest(dataset)
    width, height = dataset.RasterXSize, dataset.RasterYSize
    first = dataset.GetRasterBand(1)
    row_bytes = max(1, width * dataset.RasterCount * gdal.GetDataTypeSize(first.DataType) // 8)
    step = max(1, FINGERPRINT_STRIP_BYTES // row_bytes)
    for y in range(0, height, step):
        data, reason = gdal_call(dataset.ReadRaster, 0, y, width, min(step, height - y))
        if data is None:
            raise RuntimeError(reason or "read error")
        digest.update(bytes(data))
    return digest.hexdigest()
