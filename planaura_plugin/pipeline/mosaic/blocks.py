"""Block mosaicking: the winner of every pixel of one block, then each layer copied from its winner."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

from ...feedback import Feedback
from ...gdal_calls import gdal_call
from ...i18n import _
from ...raster.geotiff import GeoTiffWriter
from ...raster.mosaic_grid import MosaicGrid, Window, intersects, warp_window
from .layers import MosaicLayer, MosaicPair, band_chunks
from .pairs import RasterFacts, describe_raster, open_raster

EDGE_MARGIN_PX = 4  # pairs whose bounds miss a block by more than this are not warped there

IMAGE_CACHE_SIZE = 4  # warped input images kept per block (pairs often share their before image)


@dataclass
class MosaicRun:
    """What every block of one mosaic shares."""

    grid: MosaicGrid
    pairs: List[MosaicPair]
    reference: str
    layers: Dict[str, MosaicLayer]
    input_layers: Dict[str, MosaicLayer]
    writers: Dict[str, GeoTiffWriter]
    feedback: Feedback
    warned: set = field(default_factory=set)
    images: Dict[str, Tuple[RasterFacts, bool]] = field(default_factory=dict)  # path -> (facts, one nodata footprint)

    def warn_once(self, key, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.feedback.warning(message)

    def image(self, path: str) -> Tuple[RasterFacts, bool]:
        if path not in self.images:
            info = describe_raster(path)
            self.images[path] = (info, _one_nodata_footprint(info))
        return self.images[path]


def _one_nodata_footprint(info: RasterFacts) -> bool:
    """True when every band of the image is nodata at the same pixels.

    Then one multi-band warp gives exactly the per-band warps the reference does, in a third
    of the time; otherwise the image is warped band by band.
    """
    if info.bands == 1:
        return True
    nodata = info.nodata if info.nodata is not None else 0.0
    ds = open_raster(info.path)
    rows = max(1, (64 * 1024 * 1024) // max(1, info.width * info.bands * 8))
    for y in range(0, info.height, rows):
        h = min(rows, info.height - y)
        masks = []
        for b in range(1, info.bands + 1):
            values, _reason = gdal_call(ds.GetRasterBand(b).ReadAsArray, 0, y, info.width, h)
            if values is None:  # unreadable: warped band by band, whose warp then names the file
                return False
            masks.append(values == nodata)
        if any(not np.array_equal(masks[0], mask) for mask in masks[1:]):
            return False
    return True


@dataclass
class _Winners:
    """The decision of one block: the winning pair of each pixel and where each pair's reference is valid."""

    winner: np.ndarray  # (h, w) int32: index of the winning pair (the first pair where none is valid)
    count: np.ndarray  # (h, w) uint16: pairs with a valid reference value (persistence)
    ref_valid: Dict[int, np.ndarray]  # pair index -> valid reference pixels (pairs with constant dates only)
    pairs: List[MosaicPair]  # the pairs that win at least one pixel


def _decide_winners(run: MosaicRun, window: Window) -> _Winners:
    """Largest cosine (or smallest quality_fmask) per pixel; ties go to the pair whose id sorts first."""
    grid = run.grid
    _x_off, _y_off, w, h = window
    margin = EDGE_MARGIN_PX * grid.resolution
    active = [p for p in run.pairs if intersects(p.bounds, grid.window_bounds(window), margin)]
    ref_layer = run.layers[run.reference]
    largest_wins = run.reference == "cosine_map"
    best = np.full((h, w), -np.inf if largest_wins else np.inf)
    winner = np.full((h, w), -1, dtype=np.int32)
    count = np.zeros((h, w), dtype=np.uint16)
    ref_valid: Dict[int, np.ndarray] = {}
    for pair in active:
        r = pair.rasters[run.reference]
        nodata = r.nodata if r.nodata is not None else ref_layer.nodata
        values = warp_window(r.path, [1], grid, window, "near", nodata, ref_layer.nodata, ref_layer.dtype)[0]
        valid = values != ref_layer.nodata
        if np.issubdtype(values.dtype, np.floating):
            valid &= np.isfinite(values)
        if pair.constant_dates:
            ref_valid[pair.index] = valid
        better = valid & ((values > best) if largest_wins else (values < best))  # strict: earlier id keeps ties
        best[better] = values[better]
        winner[better] = pair.index
        count += valid
    # Where no pair is valid the reference's argmax picks the first pair: its layers that hold
    # values there (reconstructions cover whole tiles) are copied, as in the golden data.
    winner[count == 0] = run.pairs[0].index
    return _Winners(winner=winner, count=count, ref_valid=ref_valid,
                    pairs=[p for p in active if np.any(winner == p.index)])


def _pair_values(run: MosaicRun, kind: str, layer: MosaicLayer, pair: MosaicPair, bands: List[int],
                 window: Window, won: _Winners) -> Optional[np.ndarray]:
    """(bands, h, w) values of one pair's layer on the block; None (with a warning once) when it has none."""
    source = layer.sources.get(pair.index)
    if source is None and kind in pair.constant_dates:
        values = np.where(won.ref_valid[pair.index], pair.constant_dates[kind], layer.nodata)
        return values.astype(layer.dtype)[None]
    if source is None:
        run.warn_once((kind, pair.pair_id), _("the pair {pair_id} has no {kind} layer; its pixels stay nodata in "
                                              "mosaic_{kind}").format(pair_id=pair.pair_id, kind=kind))
        return None
    src_nodata = source.nodata if source.nodata is not None else layer.nodata
    return warp_window(source.path, [b + 1 for b in bands], run.grid, window, layer.resampling, src_nodata,
                       layer.nodata, layer.dtype)


def _date_input(run: MosaicRun, kind: str) -> Optional[MosaicLayer]:
    """The before/after input layer written from a date layer, when it is asked for."""
    date_input = run.input_layers.get(kind.replace("_date", "_input")) if kind.endswith("_date") else None
    return date_input if date_input is not None and date_input.write else None


def _mosaic_layer(run: MosaicRun, kind: str, layer: MosaicLayer, window: Window, won: _Winners,
                  image_cache: Dict[str, np.ndarray]) -> None:
    """One layer of the block (and its input layer for a date layer), copied from the winners."""
    x_off, y_off, w, h = window
    date_input = _date_input(run, kind)
    if not layer.write and date_input is None:
        return
    run.feedback.check_cancelled()
    for bands in band_chunks(layer, w * h):
        mosaic = np.full((len(bands), h, w), layer.nodata, dtype=layer.dtype)
        inputs = None
        if date_input is not None:
            inputs = np.full((date_input.bands, h, w), date_input.nodata, dtype=date_input.dtype)
        for pair in won.pairs:
            values = _pair_values(run, kind, layer, pair, bands, window, won)
            if values is None:
                continue
            mine = won.winner == pair.index
            mosaic[:, mine] = values[:, mine]
            if inputs is not None and date_input is not None:
                _copy_inputs(run, inputs, values[0], layer.nodata, mine, pair, date_input, window, image_cache)
        if layer.write:
            _write_bands(run.writers[kind], mosaic, bands, x_off, y_off)
        if inputs is not None and date_input is not None:
            run.writers[date_input.kind].write(inputs, x_off, y_off)


def mosaic_block(run: MosaicRun, window: Window) -> None:
    """Decide the winner of every pixel of one block, then copy each layer from its winner."""
    won = _decide_winners(run, window)
    if "persistence" in run.writers:
        run.writers["persistence"].write(won.count, window[0], window[1])
    image_cache: Dict[str, np.ndarray] = {}  # input image -> warped block (pairs may share an image)
    for kind, layer in run.layers.items():
        _mosaic_layer(run, kind, layer, window, won, image_cache)


def _copy_inputs(run: MosaicRun, out: np.ndarray, dates: np.ndarray, date_nodata: float, mine: np.ndarray,
                 pair: MosaicPair, layer: MosaicLayer, window: Window, cache: Dict[str, np.ndarray]) -> None:
    """Fill ``out`` where this pair won with the input image whose date is the chosen one."""
    chosen = mine & (dates != date_nodata)
    for date in np.unique(dates[chosen]):
        image = pair.images.by_date.get(int(date))
        if image is None:
            run.warn_once((layer.kind, pair.pair_id, int(date)),
                          _("no input image with the date {date} for the pair {pair_id}; mosaic_{kind} stays "
                            "nodata where that date was chosen").format(date=int(date), pair_id=pair.pair_id,
                                                                        kind=layer.kind))
            continue
        values = cache.get(image)
        if values is None:
            info, one_footprint = run.image(image)
            src_nodata = info.nodata if info.nodata is not None else 0.0  # SPEC 1: unset nodata counts as 0
            if one_footprint:
                values = warp_window(image, list(range(1, layer.bands + 1)), run.grid, window, "cubic", src_nodata,
                                     layer.nodata, layer.dtype)
            else:  # band by band, as the reference, when bands have their own nodata pixels
                values = np.stack([warp_window(image, [b + 1], run.grid, window, "cubic", src_nodata, layer.nodata,
                                               layer.dtype)[0] for b in range(layer.bands)])
            if len(cache) >= IMAGE_CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[image] = values
        take = chosen & (dates == date)
        out[:, take] = values[:, take]


def _write_bands(writer, array: np.ndarray, bands: Iterable[int], x_off: int, y_off: int) -> None:
    for i, b in enumerate(bands):
        writer.write_band(b + 1, array[i], int(x_off), int(y_off))
