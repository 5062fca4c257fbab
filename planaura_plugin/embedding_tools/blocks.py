"""Reading a multi-band feature raster (embeddings) in windows, sampling it, writing per-pixel results.

A feature raster is any GDAL raster of ``B`` bands whose pixels are feature vectors: Planaura's
embeddings (at the model stride or upsampled), or any other. A pixel is valid when every band
is finite, differs from that band's nodata and is not masked out by the band's own mask (an
alpha band or a ``.msk``); any other pixel is nodata in every output. Bands that declare a scale
and offset (quantised features, reflectance stored as integers) are read as ``stored * scale +
offset``, the values they stand for, as GDAL and QGIS show them.

Memory is bounded: :func:`windows` cuts the raster into strips of whole rows holding at most
``max_values`` values (bands x pixels), and every pass reads one strip at a time through
:func:`read_window`. Outputs are written strip by strip under temporary names and renamed
together at the end (:class:`~..raster.geotiff.OutputSet`): a failure or cancel leaves nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError, OutputError
from ..feedback import Feedback
from ..gdal_calls import gdal_call
from ..i18n import _

#: values (bands x pixels) one window holds: 8 M float32 = 32 MB whatever the number of bands
DEFAULT_MAX_VALUES = 8_000_000
Window = Tuple[int, int, int, int]  # xoff, yoff, width, height (pixels)


@dataclass
class FeatureRaster:
    """A feature raster as read: size, georeferencing, per-band nodata and the window budget."""

    path: str
    width: int
    height: int
    bands: int
    geotransform: Tuple[float, ...]
    projection: str
    nodata: List[Optional[float]]
    band_names: List[str]
    max_values: int = DEFAULT_MAX_VALUES
    scales: Optional[List[Tuple[float, float]]] = None  # per band (scale, offset) the file declares; None: none


def open_features(path: str, max_values: int = DEFAULT_MAX_VALUES, min_bands: int = 1) -> FeatureRaster:
    """Describe the feature raster ``path`` (nothing is read yet).

    Args:
        path: any raster GDAL opens.
        max_values: bands x pixels of one window (at least one row is read).
        min_bands: the fewest bands accepted.

    Raises:
        InputError: GDAL cannot open it, or it has fewer than ``min_bands`` bands.
    """
    from osgeo import gdal

    ds, _reason = gdal_call(gdal.Open, str(path))
    if ds is None:
        raise InputError(_("{path} cannot be opened by GDAL; give an embeddings raster (the output of Planaura "
                           "embeddings) or another multi-band feature raster").format(path=path))
    if ds.RasterCount < min_bands:
        raise InputError(_("{path} has {bands} band(s); a feature raster of at least {min_bands} bands was expected "
                           "(give the output of Planaura embeddings)").format(path=path, bands=ds.RasterCount,
                                                                              min_bands=min_bands))
    bands = [ds.GetRasterBand(b + 1) for b in range(ds.RasterCount)]
    return FeatureRaster(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize, bands=ds.RasterCount,
                         geotransform=tuple(ds.GetGeoTransform()), projection=ds.GetProjection() or "",
                         nodata=[b.GetNoDataValue() for b in bands],
                         band_names=[b.GetDescription() or f"band {i + 1}" for i, b in enumerate(bands)],
                         max_values=int(max_values), scales=_declared_scales(bands))


def _declared_scales(bands) -> Optional[List[Tuple[float, float]]]:
    """Each band's (scale, offset) when any band declares one other than (1, 0) (GDAL's band metadata)."""
    scales = [(float(b.GetScale() or 1.0), float(b.GetOffset() or 0.0)) for b in bands]
    return scales if any(scale != (1.0, 0.0) for scale in scales) else None


def windows(src: FeatureRaster) -> Iterator[Window]:
    """Strips of whole rows of at most ``src.max_values`` values (one row at least), top to bottom."""
    rows = max(1, src.max_values // max(1, src.width * src.bands))
    for y in range(0, src.height, rows):
        yield 0, y, src.width, min(rows, src.height - y)


def read_window(ds, src: FeatureRaster, window: Window) -> Tuple[np.ndarray, np.ndarray]:
    """The pixels of one window as vectors, and which are valid.

    Returns:
        (``(h * w, B)`` float32 features in row order, ``(h, w)`` bool validity).

    Raises:
        InputError: GDAL cannot read the window.
    """
    xoff, yoff, w, h = window
    data, _reason = gdal_call(ds.ReadAsArray, xoff, yoff, w, h)
    if data is None:
        raise InputError(_("GDAL could not read rows {first} to {last} of {path}: {reason}").format(
                             first=yoff, last=yoff + h - 1, path=src.path, reason=_reason or "?"))
    data = np.asarray(data, dtype=np.float32).reshape(src.bands, h, w)
    valid = np.isfinite(data).all(axis=0)
    for b, nodata in enumerate(src.nodata):
        if nodata is not None:
            valid &= data[b] != np.float32(nodata)
    for b in _masked_bands(ds):
        valid &= ds.GetRasterBand(b).GetMaskBand().ReadAsArray(xoff, yoff, w, h) > 0
    if src.scales:  # the values the file declares (nodata was compared with the stored ones)
        scale, offset = (np.asarray(v, np.float32)[:, None, None] for v in zip(*src.scales))
        data = data * scale + offset
    return data.reshape(src.bands, -1).T, valid


def _masked_bands(ds) -> List[int]:
    """1-based bands with a mask of their own (alpha band, ``.msk``): one band when the mask is per dataset."""
    per_dataset, alpha = 0x02, 0x04  # GDAL's GMF_PER_DATASET, GMF_ALPHA (nodata is read from the values)
    bands = []
    for b in range(1, ds.RasterCount + 1):
        flags = ds.GetRasterBand(b).GetMaskFlags()
        if flags & (per_dataset | alpha):
            bands.append(b)
            if flags & per_dataset:
                break
    return bands


def _dataset(src: FeatureRaster):
    from osgeo import gdal

    return gdal.Open(src.path)


def sample_valid(src: FeatureRaster, size: int, seed: int = 0, feedback: Optional[Feedback] = None) -> np.ndarray:
    """A uniform random sample of at most ``size`` valid pixels (all of them when fewer), one pass.

    The pass reports its progress (0 to 1, by rows read) and checks for cancel at every window.

    Every valid pixel gets a random key; the ``size`` smallest keys are kept across windows, so
    the sample is uniform over the raster and memory stays at one window plus the sample.

    Returns:
        ``(n, B)`` float32 feature vectors (n <= size).

    Raises:
        InputError: no valid pixel at all.
    """
    rng = np.random.default_rng(seed)
    ds = _dataset(src)
    kept = np.empty((0, src.bands), np.float32)
    keys = np.empty(0)
    for window in windows(src):
        if feedback is not None:
            feedback.check_cancelled()
        pixels, valid = read_window(ds, src, window)
        pixels = pixels[valid.ravel()]
        kept = np.concatenate([kept, pixels])
        keys = np.concatenate([keys, rng.random(len(pixels))])
        if len(keys) > size:
            best = np.argpartition(keys, size)[:size]
            kept, keys = kept[best], keys[best]
        if feedback is not None:
            feedback.progress((window[1] + window[3]) / max(src.height, 1), _("sampling the valid pixels"))
    if not len(kept):
        raise InputError(_("{path} has no valid pixel (every pixel is nodata or masked); give embeddings that cover "
                           "the area").format(path=src.path))
    return kept


def pixel_vectors(src: FeatureRaster, cols: np.ndarray, rows: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """The feature vectors of pixels given by column and row, and which are valid.

    Reads the windows holding them, one at a time (memory: one window and the pixels asked).

    Returns:
        (``(n, B)`` float32, ``(n,)`` bool valid) in the order of ``cols``/``rows``.
    """
    cols, rows = np.asarray(cols, np.int64), np.asarray(rows, np.int64)
    out = np.zeros((len(cols), src.bands), np.float32)
    ok = np.zeros(len(cols), bool)
    ds = _dataset(src)
    for window in windows(src):
        _x, y, w, h = window
        inside = (rows >= y) & (rows < y + h) & (cols >= 0) & (cols < w)
        if not inside.any():
            continue
        pixels, valid = read_window(ds, src, window)
        index = (rows[inside] - y) * w + cols[inside]
        out[inside], ok[inside] = pixels[index], valid.ravel()[index]
    return out, ok


@dataclass
class OutputBand:
    """One single-band output of :func:`write_per_pixel`: its file, type and nodata."""

    path: str
    dtype: str
    nodata: float
    band_names: Sequence[str] = ()
    bands: int = 1
    metadata: Optional[Dict[str, str]] = None
    colours: Optional[Dict[int, Tuple[int, int, int]]] = None  # a paletted (colour table) byte raster


Compute = Callable[[np.ndarray], Sequence[np.ndarray]]


def write_per_pixel(src: FeatureRaster, outputs: Sequence[OutputBand], compute: Compute, feedback: Feedback,
                    message: str, files: Optional[Dict[str, Callable[[str], None]]] = None) -> List[str]:
    """Write outputs on the feature raster's grid, one window at a time, all or nothing.

    Args:
        src: the feature raster.
        outputs: the files to write (each ``bands`` bands on the raster's grid).
        compute: ``(n, B)`` valid feature vectors -> one array per output, ``(n,)`` or ``(n, bands)``.
        feedback: progress and cancel.
        message: the progress line.
        files: other files of the run, final path -> a function writing it to the temporary path it is
            given; they are renamed together with the rasters (a JSON of centres, a projection).

    Returns:
        The final paths written.

    Raises:
        OutputError: an output cannot be written (nothing is left behind).
        Cancelled: cancelled (nothing is left behind).
    """
    from ..raster.geotiff import OutputSet, check_not_inputs, check_writable

    files = files or {}
    finals = [o.path for o in outputs] + list(files)
    check_not_inputs(finals, [src.path])
    for path in finals:
        check_writable(path)
    ds = _dataset(src)
    with OutputSet() as outset:
        writers = [outset.create(o.path, width=src.width, height=src.height, bands=o.bands, dtype=o.dtype,
                                 geotransform=src.geotransform, projection=src.projection, nodata=o.nodata,
                                 band_names=list(o.band_names) or None, metadata=o.metadata, fill=False)
                   for o in outputs]
        for o, writer in zip(outputs, writers):
            if o.colours:
                _set_colours(writer, o.colours)
        for window in windows(src):
            feedback.check_cancelled()
            pixels, valid = read_window(ds, src, window)
            flat = valid.ravel()
            results = compute(pixels[flat]) if flat.any() else [None] * len(outputs)
            for o, writer, values in zip(outputs, writers, results):
                writer.write(_block(o, window, flat, values), window[0], window[1])
            feedback.progress((window[1] + window[3]) / max(src.height, 1), message)
        for path, write in files.items():
            write(outset.temp_name(path))
        feedback.check_cancelled()
        return outset.commit()


def warn_large_outputs(src: FeatureRaster, outputs: Sequence[Tuple[str, str, int]], feedback: Feedback) -> List[str]:
    """Warn about each output above 2 GB uncompressed (the change map's limit); call it before any pass.

    Args:
        src: the feature raster (the outputs are on its grid).
        outputs: ``(path, numpy dtype name, bands)`` of each raster output.
        feedback: where the warnings go.

    Returns:
        The warnings given.
    """
    from ..pipeline.change import LARGE_OUTPUT_BYTES

    warnings = []
    for path, dtype, bands in outputs:
        size = src.width * src.height * bands * np.dtype(dtype).itemsize
        if size > LARGE_OUTPUT_BYTES:
            warnings.append(_("{path} will take about {size} GB uncompressed ({width} x {height} px, {bands} band(s) "
                              "of {dtype}): clip the embeddings to the area you need, or use embeddings at the "
                              "model's stride").format(path=path, size=f"{size / 1024 ** 3:.1f}", width=src.width,
                                                       height=src.height, bands=bands, dtype=dtype))
            feedback.warning(warnings[-1])
    return warnings


def _block(output: OutputBand, window: Window, flat: np.ndarray, values: Optional[np.ndarray]) -> np.ndarray:
    """A ``(bands, h, w)`` block: ``values`` at the valid pixels, nodata elsewhere."""
    _x, _y, w, h = window
    block = np.full((len(flat), output.bands), output.nodata, dtype=np.dtype(output.dtype))
    if values is not None:
        block[flat] = np.asarray(values).reshape(int(flat.sum()), output.bands)
    return block.T.reshape(output.bands, h, w)


def _set_colours(writer, colours: Dict[int, Tuple[int, int, int]]) -> None:
    """Give a byte output a colour table (QGIS and GDAL show it paletted)."""
    from osgeo import gdal

    table = gdal.ColorTable()
    for value, (r, g, b) in colours.items():
        table.SetColorEntry(int(value), (int(r), int(g), int(b), 255))
    if writer.check.run(writer.ds.GetRasterBand(1).SetColorTable, table) not in (None, 0):
        raise OutputError(_("GDAL could not give {path} its colour table").format(path=writer.path))


#: distinct colours of classes and clusters (value 1, 2, ...), cycled past the end
PALETTE = ((230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
           (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (220, 190, 255),
           (170, 110, 40), (255, 250, 200), (128, 0, 0), (170, 255, 195), (128, 128, 0), (255, 215, 180),
           (0, 0, 128), (128, 128, 128))


def palette(count: int, unknown: Optional[int] = None) -> Dict[int, Tuple[int, int, int]]:
    """Colours of values 1..count (and a dark grey for the value ``unknown`` when given)."""
    colours = {v: PALETTE[(v - 1) % len(PALETTE)] for v in range(1, count + 1)}
    if unknown is not None:
        colours[unknown] = (64, 64, 64)
    return colours


def write_json(path: str, data: object) -> None:
    """Write ``data`` as JSON to ``path`` whole or not at all (a temporary file renamed).

    Raises:
        OutputError: the file cannot be written.
    """
    import json
    import os

    temp = f"{path}.partial-{os.getpid()}"
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temp, path)
    except OSError as exc:
        if os.path.exists(temp):
            os.remove(temp)
        raise OutputError(_("cannot write {path}: {reason}").format(path=path, reason=exc)) from exc
