"""The layers of a persistence mosaic: types, the pairs prepared on the target grid, the outputs chosen."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ...dates import date_from_name
from ...errors import InputError, OutputError
from ...feedback import Feedback
from ...presets import BANDS, HLS, S2
from ...raster.mosaic_grid import (Bounds, check_resolution, default_resolution, native_resolution, raster_srs,
                                  transform_bounds)
from ...products import all_kinds, mosaic_layer_order, mosaic_layer_type, mosaic_output_path, product_of, request_layers
from ..metadata import DATES, EMBEDDINGS
from .identity import PairKey, checked_companions, note_repeat, pair_key, repeat_of
from .pairs import PAIR_KINDS, RasterFacts, describe_raster, json_meta, name_stem, pair_id_of
from ..requests import MosaicInputs, MosaicRequest
from ...i18n import _

CHUNK_BYTES = 128 * 1024 * 1024  # multi-band layers are warped in band chunks of about this size


# --------------------------------------------------------------------------- output layers


@dataclass
class MosaicLayer:
    """One mosaic layer: its type, how it is warped and where each pair's values come from."""

    kind: str
    dtype: np.dtype
    nodata: float
    resampling: str  # "near" or "cubic"
    bands: int
    band_names: List[str]
    sources: Dict[int, RasterFacts] = field(default_factory=dict)  # pair index -> raster
    write: bool = False


def pair_layers(pair: MosaicInputs) -> Dict[str, str]:
    """kind -> path of the per-pair rasters of one pair (registry order, frames sorted)."""
    return request_layers(pair, PAIR_KINDS, sort_frames=True)


@dataclass
class _Images:
    """A pair's candidate input images by date (YYYYDDD -> path)."""

    by_date: Dict[int, str]


def _image_date(path: str, regexes: Sequence[str]) -> Optional[int]:
    for rx in regexes:
        try:
            return date_from_name(path, rx)
        except InputError:
            continue
    return None


def _pair_images(pair: MosaicInputs, pair_id: str, request: MosaicRequest, regexes: Sequence[str],
                 feedback: Feedback) -> _Images:
    """Which image holds which date for this pair: its own inputs, else request.input_images."""
    explicit = [p for p in list(pair.inputs) + [pair.before_input, pair.after_input] if p]
    dated: List[Tuple[str, Optional[int]]] = []
    if explicit:
        given = list(pair.input_dates) if len(pair.input_dates) == len(pair.inputs) else []
        for i, p in enumerate(explicit):
            dated.append((str(p), given[i] if i < len(given) else None))
    else:
        parts = {s for s in pair_id.split(request.concatenate_char) if s}
        named = [str(p) for p in request.input_images if name_stem(p) in parts]
        dated = [(p, None) for p in (named or [str(p) for p in request.input_images])]
    by_date: Dict[int, str] = {}
    for path, date in dated:
        if date is None:
            date = _image_date(path, regexes)
        if date is None:
            feedback.warning(_("no date found in the name of the input image {path} (date regex {regexes}); it is not "
                               "used for the before/after input mosaics").format(
                                 path=path, regexes=' or '.join(regexes)))
            continue
        known = by_date.get(date)
        if known is not None and os.path.realpath(known) != os.path.realpath(path):
            raise InputError(_("two input images have the date {date} for the pair {pair_id}: {known} and {path}; give "
                               "each pair its own inputs (MosaicInputs.inputs)").format(
                                 date=date, pair_id=pair_id, known=known, path=path))
        by_date[date] = path
    return _Images(by_date)


# --------------------------------------------------------------------------- the job


@dataclass
class MosaicPair:
    pair_id: str
    index: int
    rasters: Dict[str, RasterFacts]
    bounds: Bounds  # of the reference layer, in the target CRS
    images: _Images
    # date layers the pair has no raster for but whose value is one date wherever the cosine is
    # valid (PLANAURA_DATES of a two-date change map: a modeler chain that wired only OUTPUT)
    constant_dates: Dict[str, int] = field(default_factory=dict)


def _constant_dates(ref: RasterFacts, layers: Mapping[str, object]) -> Dict[str, int]:
    """before/after dates implied by the change map's metadata for the date layers it lacks."""
    dates = json_meta(ref.metadata, DATES, ref.path) if DATES in ref.metadata else None
    if not isinstance(dates, list) or len(dates) < 2 or any(d is None for d in dates):
        return {}
    implied = {"after_date": int(dates[-1])}
    if len(dates) == 2:  # with three dates the before date varies per pixel
        implied["before_date"] = int(dates[0])
    return {kind: date for kind, date in implied.items() if kind not in layers}


def prepare_pairs(request: MosaicRequest, reference: str, dst_srs, feedback: Feedback) -> List[MosaicPair]:
    """Pairs sorted by id (the tie-break order), their layers read and checked, their images dated."""
    entries = []
    for n, pair in enumerate(request.pairs):
        layers = pair_layers(pair)
        if reference not in layers:
            other = layers.get("cosine_map") or layers.get("quality_fmask") or next(iter(layers.values()), None)
            raise InputError(_("the pair {value} has no {reference} layer; every pair of a mosaic decided by "
                               "{reference} needs one").format(
                                 value=pair.pair_id or other or n + 1, reference=reference))
        pair_id = pair.pair_id if pair.pair_id is not None else pair_id_of(layers[reference], reference,
                                                                           request.concatenate_char)
        entries.append((pair_id, n, pair, layers))
    entries.sort(key=lambda e: (e[0], e[1]))  # ties go to the pair whose id sorts first
    regexes = _regexes(request)
    pairs: List[MosaicPair] = []
    seen: Dict[PairKey, List[Tuple[RasterFacts, Bounds]]] = {}
    for pair_id, _n, pair, layers in entries:
        ref = describe_raster(layers[reference])
        key = pair_key(ref, pair_id, request.concatenate_char)
        bounds = transform_bounds(ref.bounds, raster_srs(ref.wkt, ref.path), dst_srs, ref.path)
        first = next((f for f, b in seen.get(key, []) if repeat_of(f, ref, pair_id, _overlap(b, bounds))), None)
        if first is not None:  # persistence counts pairs, not files
            note_repeat(feedback, key, first.path, ref.path)
            continue
        seen.setdefault(key, []).append((ref, bounds))
        rasters = {kind: (ref if kind == reference else describe_raster(path)) for kind, path in layers.items()}
        rasters = checked_companions(pair_id, reference, rasters, request.concatenate_char, feedback)
        constant = _constant_dates(ref, rasters) if reference == "cosine_map" else {}
        images = _Images({})
        if "before_date" in rasters or "after_date" in rasters or constant:
            images = _pair_images(pair, pair_id, request, regexes, feedback)
        pairs.append(MosaicPair(pair_id=pair_id, index=len(pairs), rasters=rasters, bounds=bounds, images=images,
                                constant_dates=constant))
    return pairs


def _overlap(a: Bounds, b: Bounds) -> bool:
    """Whether two (xmin, ymin, xmax, ymax) boxes share an area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def build_layers(pairs: List[MosaicPair]) -> Dict[str, MosaicLayer]:
    layers: Dict[str, MosaicLayer] = {}
    for pair in pairs:
        for kind, r in pair.rasters.items():
            dtype, nodata, resampling = mosaic_layer_type(kind)
            layer = layers.get(kind)
            if layer is None:
                if product_of(kind).nodata is None and r.nodata is not None:  # reconstructions keep their own
                    nodata = float(r.nodata)
                names = list(r.descriptions) if any(r.descriptions) else _embedding_names(r)
                layer = MosaicLayer(kind=kind, dtype=np.dtype(dtype), nodata=float(nodata), resampling=resampling,
                                    bands=r.bands if product_of(kind).per_frame else 1, band_names=names)
                layers[kind] = layer
            elif layer.bands > 1 and r.bands != layer.bands:
                first = next(iter(layer.sources.values()))
                raise InputError(_("{path} has {bands} bands but {path_2} has {bands_2}; the {kind} layers of all pairs"
                                   " must have the same bands").format(
                                     path=r.path, bands=r.bands, path_2=first.path, bands_2=layer.bands,
                                     kind=kind))
            layer.sources[pair.index] = r
        for kind in pair.constant_dates:
            dtype, nodata, resampling = mosaic_layer_type(kind)
            layers.setdefault(kind, MosaicLayer(kind=kind, dtype=np.dtype(dtype), nodata=float(nodata),
                                           resampling=resampling, bands=1, band_names=[]))
    return dict(sorted(layers.items(), key=lambda kv: mosaic_layer_order(kv[0])))


def _embedding_names(r: RasterFacts) -> List[str]:
    """``f<k>`` band names from the PLANAURA_EMBEDDINGS metadata of a feature raster without descriptions."""
    try:
        channels = json.loads(r.metadata.get(EMBEDDINGS) or "null")
    except ValueError:
        return []
    if isinstance(channels, list) and len(channels) == r.bands:
        return [f"f{int(k)}" for k in channels]
    return []


def input_layer(kind: str, pairs: List[MosaicPair], date_kind: str) -> Optional[MosaicLayer]:
    """The before/after input layer: band layout, type and nodata of the candidate images."""
    images = sorted({p for pair in pairs if date_kind in pair.rasters or date_kind in pair.constant_dates
                     for p in pair.images.by_date.values()})
    if not images:
        return None
    infos = [describe_raster(p) for p in images]
    first = infos[0]
    for r in infos[1:]:
        if r.bands != first.bands:
            raise InputError(_("the input images {path} ({bands} bands) and {path_2} ({bands_2} bands) differ in their "
                               "bands; the before/after input mosaics need the same bands").format(
                                 path=first.path, bands=first.bands, path_2=r.path, bands_2=r.bands))
    dtype = np.result_type(*[r.dtype for r in infos])
    nodata = first.nodata if first.nodata is not None else 0.0  # SPEC 1: no nodata set counts as 0
    names = list(first.descriptions) if any(first.descriptions) else (
        list(BANDS) if first.bands == len(BANDS) else [])
    return MosaicLayer(kind=kind, dtype=np.dtype(dtype), nodata=float(nodata), resampling="cubic", bands=first.bands,
                  band_names=names)


def choose_outputs(request: MosaicRequest, available: Sequence[str], reference: str) -> Dict[str, str]:
    known = set(all_kinds(scope=("mosaic", "both")))
    for kind in list(request.outputs) + list(request.kinds or []):
        if kind not in known:
            raise InputError(_("unknown mosaic output kind {kind!r}; kinds are {known}").format(
                                 kind=kind, known=', '.join(sorted(known))))
    if request.output_dir:
        wanted = list(request.kinds) if request.kinds is not None else list(available)
        wanted += [k for k in request.outputs if k not in wanted]
    else:
        wanted = list(request.outputs)
        if not wanted:
            raise OutputError(_("no mosaic output asked for: give an output folder or explicit output paths"))
    missing = [k for k in wanted if k not in available]
    if missing:
        raise InputError(_("the mosaic cannot write {missing}: the pairs do not provide {value} (available: "
                           "{available})").format(
                             missing=', '.join(missing), value='it' if len(missing) == 1 else 'them',
                             available=', '.join(available)))
    paths = {}
    for kind in available:
        if kind not in wanted:
            continue
        path = request.outputs.get(kind) or mosaic_output_path(request.output_dir or "", kind, request.postfix,
                                                               reference)
        paths[kind] = os.path.abspath(path)
    if len(set(paths.values())) != len(paths):
        raise OutputError(_("two mosaic outputs have the same path: {paths}").format(
            paths=", ".join(sorted(paths.values()))))
    return paths


def band_chunks(layer: MosaicLayer, pixels: int) -> List[List[int]]:
    per = max(1, min(layer.bands, CHUNK_BYTES // max(1, pixels * max(layer.dtype.itemsize, 4) * 2)))
    return [list(range(b, min(b + per, layer.bands))) for b in range(0, layer.bands, per)]


def _regexes(request: MosaicRequest) -> List[str]:
    return [request.date_regex] if request.date_regex else [HLS.date_regex, S2.date_regex]


def mosaic_resolution(request: MosaicRequest, pairs: List[MosaicPair], reference: str, dst_srs) -> float:
    """The target resolution: the request's, checked against the inputs in the target units, or
    the default (:func:`~planaura_plugin.raster.mosaic_grid.default_resolution`) when it is None.

    Args:
        request: the mosaic request.
        pairs: the prepared pairs (their bounds in the target CRS).
        reference: the reference kind, whose rasters give the inputs' pixel sizes.
        dst_srs: the target ``osr.SpatialReference``.

    Returns:
        The resolution, in target CRS units.

    Raises:
        InputError: a resolution impossible in the target units (the message gives a value).
    """
    natives = []
    for p in pairs:
        r = p.rasters[reference]
        res = native_resolution(r.path, r.wkt, r.geotransform, dst_srs)
        if res is not None:
            natives.append(res)
    if request.target_resolution is None:
        resolution = default_resolution(natives, dst_srs, str(request.target_crs))
    else:
        resolution = float(request.target_resolution)
    check_resolution(resolution, [p.bounds for p in pairs], natives, dst_srs, str(request.target_crs))
    return resolution
