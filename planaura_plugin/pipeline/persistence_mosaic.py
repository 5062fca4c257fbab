"""Persistence mosaic: many change-map pairs merged onto one target grid (SPEC sections 5 and 7).

Per target pixel, each pair's reference layer is sampled by nearest neighbour; the pair with
the largest cosine (or, without cosine maps, the smallest quality_fmask) wins, ties going to
the pair whose id sorts first. ``persistence`` counts the pairs with a valid reference value.
Every other layer copies the winner's value, warped with cubic resampling (cosine, features,
reconstructions, input images) or nearest neighbour (dates, quality). The before/after
input layers come from the input image whose date equals the chosen date.

The work runs block by block on the target grid (1024 px blocks anchored at the origin, as
the reference's windows), so memory stays bounded by a few blocks whatever the mosaic size.
Every file is written through :class:`~planaura_plugin.raster.geotiff.OutputSet`: nothing with a
final name is left behind by an error or a cancellation.

Deliberate differences from the reference (SPEC 7): the input layers carry the input's own
nodata (the reference writes -100 into them), outputs are always compressed and tiled, and
band descriptions are kept. As in the reference, a pixel where no pair is valid is
won by the first pair (by id): layers of that pair holding values there (reconstructions
cover whole tiles) are copied, while persistence stays 0.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ..dates import date_from_name
from ..errors import InputError, OutputError
from ..feedback import Feedback, ensure_feedback
from ..presets import BANDS, HLS, S2
from ..raster.geotiff import COMPRESSIONS, GeoTiffWriter, OutputSet, check_not_inputs, check_writable
from ..raster.grids import grid_bounds
from ..raster.mosaic_grid import (Bounds, MosaicGrid, Window, check_resolution, crs_unit, default_resolution,
                                  grid_covering, intersects, native_resolution, raster_srs,
                                  target_srs, transform_bounds, warp_window)
from .requests import MosaicInputs, MosaicRequest

try:  # GDAL metadata keys written by the change-map pipeline
    from .metadata import COMPANIONS, DATES, EMBEDDINGS, INPUTS, KIND
except ImportError:  # a checkout without pipeline/metadata.py: the same literal keys
    KIND, INPUTS, DATES, COMPANIONS, EMBEDDINGS = ("PLANAURA_KIND", "PLANAURA_INPUTS", "PLANAURA_DATES",
                                                   "PLANAURA_COMPANIONS", "PLANAURA_EMBEDDINGS")

# kinds a mosaic can write, besides feature_maps_<k> and infer_<k> for every frame k found
MOSAIC_KINDS = ("cosine_map", "persistence", "before_date", "after_date", "quality_fmask",
                "before_input", "after_input")
# per-pair kinds, as named upstream: <kind><c><input0><c><input1>.tif
PAIR_KINDS = ("cosine_map", "before_date", "after_date", "quality_fmask",
              "feature_maps_0", "feature_maps_1", "feature_maps_2", "infer_0", "infer_1", "infer_2")
REFERENCE_KINDS = ("cosine_map", "quality_fmask")
REFERENCE_SUFFIX = {"cosine_map": "c", "quality_fmask": "f"}

_EDGE_MARGIN_PX = 4  # pairs whose bounds miss a block by more than this are not warped there
_CHUNK_BYTES = 128 * 1024 * 1024  # multi-band layers are warped in band chunks of about this size
_IMAGE_CACHE_SIZE = 4  # warped input images kept per block (pairs often share their before image)


# --------------------------------------------------------------------------- raster facts


@dataclass
class _Raster:
    """What the mosaic needs to know of one source raster, read once."""

    path: str
    width: int
    height: int
    geotransform: Tuple[float, ...]
    wkt: str
    bands: int
    dtype: np.dtype
    nodata: Optional[float]
    descriptions: List[str]
    metadata: Dict[str, str]

    @property
    def bounds(self) -> Bounds:
        return grid_bounds(self.geotransform, self.width, self.height)


def _open(path: str):
    from osgeo import gdal

    if not path or not os.path.isfile(path):
        raise InputError(f"the raster {path} does not exist")
    try:
        ds = gdal.Open(str(path))
    except RuntimeError as exc:
        raise InputError(f"GDAL cannot read the raster {path}: {exc}") from exc
    if ds is None:
        raise InputError(f"GDAL cannot read the raster {path}: {gdal.GetLastErrorMsg() or 'unknown format'}")
    return ds


def _describe(path: str) -> _Raster:
    from osgeo import gdal_array

    ds = _open(path)
    if ds.RasterCount < 1:
        raise InputError(f"the raster {path} has no band")
    band = ds.GetRasterBand(1)
    dtype = gdal_array.GDALTypeCodeToNumericTypeCode(band.DataType)
    if dtype is None:
        raise InputError(f"the raster {path} has a data type the mosaic cannot handle")
    return _Raster(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize,
                   geotransform=tuple(ds.GetGeoTransform()), wkt=ds.GetProjection() or "",
                   bands=ds.RasterCount, dtype=np.dtype(dtype), nodata=band.GetNoDataValue(),
                   descriptions=[ds.GetRasterBand(b + 1).GetDescription() or "" for b in range(ds.RasterCount)],
                   metadata=dict(ds.GetMetadata() or {}))


def _same_grid(a: _Raster, b: _Raster) -> bool:
    if (a.width, a.height) != (b.width, b.height):
        return False
    tol = 1e-6 * max(abs(a.geotransform[1]), abs(a.geotransform[5]), 1e-12)
    if any(abs(x - y) > tol for x, y in zip(a.geotransform, b.geotransform)):
        return False
    if a.wkt == b.wkt:
        return True
    return bool(raster_srs(a.wkt, a.path).IsSame(raster_srs(b.wkt, b.path)))


# --------------------------------------------------------------------------- finding the layers of pairs


def _kind_from_name(name: str, concatenate_char: str) -> Optional[str]:
    for kind in sorted(PAIR_KINDS, key=len, reverse=True):
        if name.startswith(kind + concatenate_char):
            return kind
    return None


def _pair_id_of(path: str, kind: Optional[str], concatenate_char: str = "!") -> str:
    """The part of the file name after the kind (upstream's file id), else the file's stem."""
    stem = os.path.splitext(os.path.basename(path))[0]
    if kind and stem.startswith(kind) and (len(stem) == len(kind) or stem[len(kind)] == concatenate_char):
        return stem[len(kind):]
    for k in PAIR_KINDS:
        if stem.startswith(k + concatenate_char):
            return stem[len(k):]
    return stem


def _resolve(path: str, base_dir: str, folders: Sequence[str]) -> Optional[str]:
    """``path`` as given, relative to ``base_dir``, or its file name in one of ``folders``."""
    candidates = [path] if os.path.isabs(path) else [os.path.join(base_dir, path), path]
    candidates += [os.path.join(f, os.path.basename(path)) for f in folders]
    for c in candidates:
        if os.path.isfile(c):
            return os.path.abspath(c)
    return None


def _json_meta(metadata: Dict[str, str], key: str, path: str):
    text = metadata.get(key)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(f"the metadata item {key} of {path} is not valid JSON: {exc}") from exc


def _stem(path: str) -> str:
    name = os.path.basename(str(path))
    root, ext = os.path.splitext(name)
    return root if ext.lower() in (".tif", ".tiff", ".vrt", ".jp2", ".img") else name


def _set_layer(pair: MosaicInputs, kind: str, path: str) -> None:
    if kind.startswith("feature_maps_"):
        pair.feature_maps[int(kind.rsplit("_", 1)[1])] = path
    elif kind.startswith("infer_"):
        pair.reconstructions[int(kind.rsplit("_", 1)[1])] = path
    else:
        setattr(pair, kind, path)


def find_pair_layers(reference_maps: Sequence[str], search_folders: Sequence[str] = (),
                     concatenate_char: str = "!", input_images: Sequence[str] = ()) -> List[MosaicInputs]:
    """The layers of each pair, found from its cosine map (or quality_fmask for ``_f`` mosaics).

    Companions are found by the change-map pipeline's GDAL metadata (``PLANAURA_COMPANIONS``,
    ``PLANAURA_INPUTS``, ``PLANAURA_DATES``) when the file carries it, else by the upstream
    naming convention ``<kind><c><input0><c><input1>.tif``, looked up in the reference file's
    folder and then in ``search_folders`` (e.g. ``epoch2022`` for ``_1`` layers). Names are
    compared whole, never as substrings. The pair's input images are those of
    ``input_images`` whose name (without extension) equals a part of the pair id.
    """
    folders = [os.path.abspath(f) for f in search_folders]
    images_by_stem: Dict[str, List[str]] = {}
    for img in input_images:
        images_by_stem.setdefault(_stem(img), []).append(str(img))
    pairs: List[MosaicInputs] = []
    for ref_path in reference_maps:
        ref_path = str(ref_path)
        info = _describe(ref_path)
        base_dir = os.path.dirname(os.path.abspath(ref_path))
        name = os.path.basename(ref_path)
        kind = info.metadata.get(KIND) or _kind_from_name(name, concatenate_char)
        if kind not in REFERENCE_KINDS:
            raise InputError(f"{ref_path} is not a cosine_map (nor a quality_fmask) layer: its name does not start "
                             f"with 'cosine_map{concatenate_char}' and its metadata does not say so")
        pair_id = _pair_id_of(ref_path, kind, concatenate_char)
        pair = MosaicInputs(pair_id=pair_id)
        _set_layer(pair, kind, os.path.abspath(ref_path))

        companions = _json_meta(info.metadata, COMPANIONS, ref_path) or {}
        if not isinstance(companions, dict):
            raise InputError(f"the metadata item {COMPANIONS} of {ref_path} is not a JSON object")
        for other, other_path in companions.items():
            if other in PAIR_KINDS and other != kind and other_path:
                found = _resolve(str(other_path), base_dir, folders)
                if found is None:
                    raise InputError(f"the {other} layer {other_path} named in the metadata of {ref_path} "
                                     f"was not found (searched {', '.join([base_dir] + folders)})")
                _set_layer(pair, other, found)
        if name.startswith(kind + concatenate_char):  # upstream naming: the companions share the file id
            ext = os.path.splitext(name)[1]
            for other in PAIR_KINDS:
                if other == kind or other in companions:
                    continue
                for folder in [base_dir] + folders:
                    candidate = os.path.join(folder, f"{other}{pair_id}{ext}")
                    if os.path.isfile(candidate):
                        _set_layer(pair, other, os.path.abspath(candidate))
                        break

        inputs = _json_meta(info.metadata, INPUTS, ref_path)
        if inputs:
            dates = _json_meta(info.metadata, DATES, ref_path) or []
            for i, img in enumerate(inputs):
                found = _resolve(str(img), base_dir, folders)
                if found is None:
                    matches = images_by_stem.get(_stem(img), [])
                    found = matches[0] if matches else None
                if found is not None:
                    pair.inputs.append(found)
                    date = dates[i] if len(dates) == len(inputs) else None
                    pair.input_dates.append(None if date is None else int(date))
        else:
            for part in pair_id.split(concatenate_char):
                if part and images_by_stem.get(part):
                    pair.inputs.append(images_by_stem[part][0])
        pairs.append(pair)
    return pairs


# --------------------------------------------------------------------------- output layers


@dataclass
class _Layer:
    """One mosaic layer: its type, how it is warped and where each pair's values come from."""

    kind: str
    dtype: np.dtype
    nodata: float
    resampling: str  # "near" or "cubic"
    bands: int
    band_names: List[str]
    sources: Dict[int, _Raster] = field(default_factory=dict)  # pair index -> raster
    write: bool = False


_LAYER_TYPES = {  # kind prefix -> dtype, default nodata, resampling
    "cosine_map": (np.float32, -100.0, "cubic"),
    "before_date": (np.int32, -100.0, "near"),
    "after_date": (np.int32, -100.0, "near"),
    "quality_fmask": (np.uint8, 255.0, "near"),
    "feature_maps": (np.float32, -100.0, "cubic"),
    "infer": (np.float32, -9999.0, "cubic"),
}


def _pair_layers(pair: MosaicInputs) -> Dict[str, str]:
    layers: Dict[str, Optional[str]] = {"cosine_map": pair.cosine_map, "before_date": pair.before_date,
                                        "after_date": pair.after_date, "quality_fmask": pair.quality_fmask}
    for frame, path in sorted(pair.feature_maps.items()):
        layers[f"feature_maps_{int(frame)}"] = path
    for frame, path in sorted(pair.reconstructions.items()):
        layers[f"infer_{int(frame)}"] = path
    return {k: v for k, v in layers.items() if v}


def _layer_type(kind: str):
    return _LAYER_TYPES[kind] if kind in _LAYER_TYPES else _LAYER_TYPES[kind.rsplit("_", 1)[0]]


def _layer_order(kind: str) -> Tuple[int, int]:
    base = ("cosine_map", "before_date", "after_date", "quality_fmask", "feature_maps", "infer")
    if kind in base:
        return base.index(kind), 0
    prefix, frame = kind.rsplit("_", 1)
    return base.index(prefix), int(frame)


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
        named = [str(p) for p in request.input_images if _stem(p) in parts]
        dated = [(p, None) for p in (named or [str(p) for p in request.input_images])]
    by_date: Dict[int, str] = {}
    for path, date in dated:
        if date is None:
            date = _image_date(path, regexes)
        if date is None:
            feedback.warning(f"no date found in the name of the input image {path} (date regex "
                             f"{' or '.join(regexes)}); it is not used for the before/after input mosaics")
            continue
        known = by_date.get(date)
        if known is not None and os.path.realpath(known) != os.path.realpath(path):
            raise InputError(f"two input images have the date {date} for the pair {pair_id}: {known} and {path}; "
                             "give each pair its own inputs (MosaicInputs.inputs)")
        by_date[date] = path
    return _Images(by_date)


# --------------------------------------------------------------------------- the job


def mosaic_output_path(output_dir: str, kind: str, postfix: str, reference: str = "cosine_map") -> str:
    """Upstream name ``mosaic_<kind>_<postfix>_c.tif`` (``_f`` when decided by quality_fmask)."""
    tail = f"_{postfix}" if postfix else ""
    return os.path.join(output_dir, f"mosaic_{kind}{tail}_{REFERENCE_SUFFIX[reference]}.tif")


@dataclass
class _Pair:
    pair_id: str
    index: int
    rasters: Dict[str, _Raster]
    bounds: Bounds  # of the reference layer, in the target CRS
    images: _Images
    # date layers the pair has no raster for but whose value is one date wherever the cosine is
    # valid (PLANAURA_DATES of a two-date change map: a modeler chain that wired only OUTPUT)
    constant_dates: Dict[str, int] = field(default_factory=dict)


def _constant_dates(ref: _Raster, layers: Mapping[str, str]) -> Dict[str, int]:
    """before/after dates implied by the change map's metadata for the date layers it lacks."""
    dates = _json_meta(ref.metadata, DATES, ref.path) if DATES in ref.metadata else None
    if not isinstance(dates, list) or len(dates) < 2 or any(d is None for d in dates):
        return {}
    implied = {"after_date": int(dates[-1])}
    if len(dates) == 2:  # with three dates the before date varies per pixel
        implied["before_date"] = int(dates[0])
    return {kind: date for kind, date in implied.items() if kind not in layers}


def _prepare_pairs(request: MosaicRequest, reference: str, dst_srs, feedback: Feedback) -> List[_Pair]:
    """Pairs sorted by id (the tie-break order), their layers read and checked, their images dated."""
    entries = []
    for n, pair in enumerate(request.pairs):
        layers = _pair_layers(pair)
        if reference not in layers:
            other = layers.get("cosine_map") or layers.get("quality_fmask") or next(iter(layers.values()), None)
            raise InputError(f"the pair {pair.pair_id or other or n + 1} has no {reference} layer; every pair of a "
                             f"mosaic decided by {reference} needs one")
        pair_id = pair.pair_id if pair.pair_id is not None else _pair_id_of(layers[reference], reference,
                                                                           request.concatenate_char)
        entries.append((pair_id, n, pair, layers))
    entries.sort(key=lambda e: (e[0], e[1]))  # ties go to the pair whose id sorts first
    regexes = _regexes(request)
    pairs = []
    for index, (pair_id, _n, pair, layers) in enumerate(entries):
        rasters = {kind: _describe(path) for kind, path in layers.items()}
        ref = rasters[reference]
        for kind, r in rasters.items():
            if kind != reference and not _same_grid(ref, r):
                raise InputError(f"the layers of the pair {pair_id} are not on one grid: {r.path} "
                                 f"({r.width}x{r.height}, {r.geotransform}) differs from {ref.path} "
                                 f"({ref.width}x{ref.height}, {ref.geotransform})")
        bounds = transform_bounds(ref.bounds, raster_srs(ref.wkt, ref.path), dst_srs, ref.path)
        constant = _constant_dates(ref, layers) if reference == "cosine_map" else {}
        images = _Images({})
        if "before_date" in layers or "after_date" in layers or constant:
            images = _pair_images(pair, pair_id, request, regexes, feedback)
        pairs.append(_Pair(pair_id=pair_id, index=index, rasters=rasters, bounds=bounds, images=images,
                           constant_dates=constant))
    return pairs


def _build_layers(pairs: List[_Pair]) -> Dict[str, _Layer]:
    layers: Dict[str, _Layer] = {}
    for pair in pairs:
        for kind, r in pair.rasters.items():
            dtype, nodata, resampling = _layer_type(kind)
            layer = layers.get(kind)
            if layer is None:
                if kind.startswith("infer_") and r.nodata is not None:
                    nodata = float(r.nodata)
                names = list(r.descriptions) if any(r.descriptions) else _embedding_names(r)
                layer = _Layer(kind=kind, dtype=np.dtype(dtype), nodata=float(nodata), resampling=resampling,
                               bands=1 if kind in ("cosine_map", "before_date", "after_date", "quality_fmask")
                               else r.bands, band_names=names)
                layers[kind] = layer
            elif layer.bands > 1 and r.bands != layer.bands:
                first = next(iter(layer.sources.values()))
                raise InputError(f"{r.path} has {r.bands} bands but {first.path} has {layer.bands}; the "
                                 f"{kind} layers of all pairs must have the same bands")
            layer.sources[pair.index] = r
        for kind in pair.constant_dates:
            dtype, nodata, resampling = _layer_type(kind)
            layers.setdefault(kind, _Layer(kind=kind, dtype=np.dtype(dtype), nodata=float(nodata),
                                           resampling=resampling, bands=1, band_names=[]))
    return dict(sorted(layers.items(), key=lambda kv: _layer_order(kv[0])))


def _embedding_names(r: _Raster) -> List[str]:
    """``f<k>`` band names from the PLANAURA_EMBEDDINGS metadata of a feature raster without descriptions."""
    try:
        channels = json.loads(r.metadata.get(EMBEDDINGS) or "null")
    except ValueError:
        return []
    if isinstance(channels, list) and len(channels) == r.bands:
        return [f"f{int(k)}" for k in channels]
    return []


def _input_layer(kind: str, pairs: List[_Pair], date_kind: str) -> Optional[_Layer]:
    """The before/after input layer: band layout, type and nodata of the candidate images."""
    images = sorted({p for pair in pairs if date_kind in pair.rasters or date_kind in pair.constant_dates
                     for p in pair.images.by_date.values()})
    if not images:
        return None
    infos = [_describe(p) for p in images]
    first = infos[0]
    for r in infos[1:]:
        if r.bands != first.bands:
            raise InputError(f"the input images {first.path} ({first.bands} bands) and {r.path} ({r.bands} bands) "
                             "differ in their bands; the before/after input mosaics need the same bands")
    dtype = np.result_type(*[r.dtype for r in infos])
    nodata = first.nodata if first.nodata is not None else 0.0  # SPEC 1: no nodata set counts as 0
    names = list(first.descriptions) if any(first.descriptions) else (
        list(BANDS) if first.bands == len(BANDS) else [])
    return _Layer(kind=kind, dtype=np.dtype(dtype), nodata=float(nodata), resampling="cubic", bands=first.bands,
                  band_names=names)


def _choose_outputs(request: MosaicRequest, available: Sequence[str], reference: str) -> Dict[str, str]:
    known = set(MOSAIC_KINDS) | {f"{p}_{k}" for p in ("feature_maps", "infer") for k in range(3)}
    for kind in list(request.outputs) + list(request.kinds or []):
        if kind not in known:
            raise InputError(f"unknown mosaic output kind {kind!r}; kinds are {', '.join(sorted(known))}")
    if request.output_dir:
        wanted = list(request.kinds) if request.kinds is not None else list(available)
        wanted += [k for k in request.outputs if k not in wanted]
    else:
        wanted = list(request.outputs)
        if not wanted:
            raise OutputError("no mosaic output asked for: give an output folder or explicit output paths")
    missing = [k for k in wanted if k not in available]
    if missing:
        raise InputError(f"the mosaic cannot write {', '.join(missing)}: the pairs do not provide "
                         f"{'it' if len(missing) == 1 else 'them'} (available: {', '.join(available)})")
    paths = {}
    for kind in available:
        if kind not in wanted:
            continue
        path = request.outputs.get(kind) or mosaic_output_path(request.output_dir or "", kind, request.postfix,
                                                               reference)
        paths[kind] = os.path.abspath(path)
    if len(set(paths.values())) != len(paths):
        raise OutputError("two mosaic outputs have the same path: " + ", ".join(sorted(paths.values())))
    return paths


def _band_chunks(layer: _Layer, pixels: int) -> List[List[int]]:
    per = max(1, min(layer.bands, _CHUNK_BYTES // max(1, pixels * max(layer.dtype.itemsize, 4) * 2)))
    return [list(range(b, min(b + per, layer.bands))) for b in range(0, layer.bands, per)]


def _regexes(request: MosaicRequest) -> List[str]:
    return [request.date_regex] if request.date_regex else [HLS.date_regex, S2.date_regex]


def _resolution(request: MosaicRequest, pairs: List[_Pair], reference: str, dst_srs) -> float:
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


@dataclass
class MosaicLayout:
    """Everything the blocks of one mosaic share, decided before any pixel is written.

    Plain data (picklable): a distributed run sends it to the workers that compute blocks
    (:func:`mosaic_block`) while the driver writes them (:func:`write_mosaic`).
    """

    grid: MosaicGrid
    pairs: List[_Pair]
    reference: str
    layers: Dict[str, _Layer]
    input_layers: Dict[str, _Layer]
    paths: Dict[str, str]  # kind -> output path
    block: int  # block size (px)
    compression: str


def run_mosaic(request: MosaicRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Write the persistence mosaic of ``request.pairs``; returns ``kind -> path`` of the files written."""
    feedback = ensure_feedback(feedback)
    return write_mosaic(mosaic_layout(request, feedback), feedback)


def mosaic_layout(request: MosaicRequest, feedback: Feedback) -> MosaicLayout:
    """Check ``request`` and decide the grid, the layers and the output paths (reads only metadata).

    Raises:
        InputError: no pair, a wrong resolution, block size, compression or reference.
        OutputError: an output that is an input, or not writable.
    """
    if not request.pairs:
        raise InputError("no cosine maps to mosaic: give at least one pair")
    if request.target_resolution is not None and (not request.target_resolution or not np.isfinite(
            float(request.target_resolution)) or float(request.target_resolution) <= 0):
        raise InputError(f"the target resolution must be > 0, got {request.target_resolution}")
    if int(request.block_size) < 1:
        raise InputError(f"the block size must be >= 1 pixel, got {request.block_size}")
    if (request.compression or "NONE").upper() not in COMPRESSIONS:
        raise InputError(f"the compression must be one of {', '.join(COMPRESSIONS)}, got {request.compression!r}")
    dst_srs = target_srs(request.target_crs)

    has = {k: any(_pair_layers(p).get(k) for p in request.pairs) for k in REFERENCE_KINDS}
    reference = request.reference or ("cosine_map" if has["cosine_map"] else
                                      "quality_fmask" if has["quality_fmask"] else None)
    if reference is None:
        raise InputError("no cosine maps (nor quality_fmask layers) among the mosaic inputs")
    if reference not in REFERENCE_KINDS:
        raise InputError(f"the mosaic reference must be one of {', '.join(REFERENCE_KINDS)}, got {reference!r}")

    pairs = _prepare_pairs(request, reference, dst_srs, feedback)
    layers = _build_layers(pairs)
    input_layers = {}
    for kind, date_kind in (("before_input", "before_date"), ("after_input", "after_date")):
        if date_kind in layers:
            layer = _input_layer(kind, pairs, date_kind)
            if layer is not None:
                input_layers[kind] = layer

    available = [k for k in layers] + ["persistence"] + list(input_layers)
    available.sort(key=lambda k: (MOSAIC_KINDS.index(k) if k in MOSAIC_KINDS else len(MOSAIC_KINDS), k))
    paths = _choose_outputs(request, available, reference)
    sources = [r.path for p in pairs for r in p.rasters.values()]
    sources += [img for p in pairs for img in p.images.by_date.values()]
    check_not_inputs(paths.values(), sources)
    for path in paths.values():
        check_writable(path)
    for kind, layer in list(layers.items()) + list(input_layers.items()):
        layer.write = kind in paths

    grid = grid_covering([p.bounds for p in pairs], dst_srs, _resolution(request, pairs, reference, dst_srs))
    feedback.info(f"Mosaic of {len(pairs)} pair(s) decided by {reference}: {grid.width} x {grid.height} px "
                  f"at {grid.resolution:g} {crs_unit(dst_srs)} in {request.target_crs}")
    return MosaicLayout(grid=grid, pairs=pairs, reference=reference, layers=layers, input_layers=input_layers,
                        paths=paths, block=int(request.block_size), compression=request.compression)


def mosaic_block(layout: MosaicLayout, window: Window, writers: Mapping[str, Any], feedback: Feedback) -> None:
    """Mosaic one block of ``layout.grid`` into ``writers`` (kind -> a GeoTiffWriter or an object
    with its ``dtype``, ``write(array, x_off, y_off)`` and ``ds.GetRasterBand(b).WriteArray``)."""
    run = _Run(grid=layout.grid, pairs=layout.pairs, reference=layout.reference, layers=layout.layers,
               input_layers=layout.input_layers, writers=dict(writers), feedback=feedback)
    _mosaic_block(run, window)


#: ``blocks(layout, windows)`` yields ``(window, apply)`` in the order of ``windows``, where
#: ``apply(writers)`` writes that block (the default computes it here with :func:`mosaic_block`)
BlockSource = Callable[[MosaicLayout, List[Window]], Iterator[Tuple[Window, Callable[[Mapping[str, Any]], None]]]]


def write_mosaic(layout: MosaicLayout, feedback: Feedback, blocks: Optional[BlockSource] = None) -> Dict[str, str]:
    """Create the outputs under temporary names, write every block, build overviews, commit.

    Args:
        layout: from :func:`mosaic_layout`.
        feedback: progress per block, cancellation.
        blocks: where blocks are computed (None: here, one after another).

    Returns:
        kind -> path of the files written.
    """
    grid = layout.grid
    windows = list(grid.blocks(layout.block))
    with OutputSet() as out:
        writers = {}
        for kind, path in layout.paths.items():
            if kind == "persistence":
                spec = dict(bands=1, dtype=np.uint16, nodata=0, band_names=None)
            else:
                layer = layout.layers.get(kind) or layout.input_layers[kind]
                spec = dict(bands=layer.bands, dtype=layer.dtype, nodata=layer.nodata,
                            band_names=layer.band_names or None)
            writers[kind] = out.create(path, width=grid.width, height=grid.height, geotransform=grid.geotransform,
                                       projection=grid.wkt, compression=layout.compression, **spec)
        source = blocks(layout, windows) if blocks is not None else (
            (w, lambda ws, w=w: mosaic_block(layout, w, ws, feedback)) for w in windows)
        for done, (_window, apply) in enumerate(source):
            feedback.check_cancelled()
            apply(writers)
            for writer in writers.values():  # hand finished tiles to disk: GDAL's cache must not hold the mosaic
                writer.ds.FlushCache()
            feedback.progress(0.95 * (done + 1) / len(windows), f"mosaic block {done + 1}/{len(windows)}")
        for _kind, writer in writers.items():
            feedback.check_cancelled()
            writer.build_overviews((2, 4, 8, 16), "AVERAGE")
        written = out.commit()
    feedback.progress(1.0, "mosaic done")
    done_paths = set(written)
    return {kind: path for kind, path in layout.paths.items() if path in done_paths}


@dataclass
class _Run:
    """What every block of one mosaic shares."""

    grid: MosaicGrid
    pairs: List[_Pair]
    reference: str
    layers: Dict[str, _Layer]
    input_layers: Dict[str, _Layer]
    writers: Dict[str, GeoTiffWriter]
    feedback: Feedback
    warned: set = field(default_factory=set)
    images: Dict[str, Tuple[_Raster, bool]] = field(default_factory=dict)  # path -> (facts, one nodata footprint)

    def warn_once(self, key, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.feedback.warning(message)

    def image(self, path: str) -> Tuple[_Raster, bool]:
        if path not in self.images:
            info = _describe(path)
            self.images[path] = (info, _one_nodata_footprint(info))
        return self.images[path]


def _one_nodata_footprint(info: _Raster) -> bool:
    """True when every band of the image is nodata at the same pixels.

    Then one multi-band warp gives exactly the per-band warps the reference does, in a third
    of the time; otherwise the image is warped band by band.
    """
    from osgeo import gdal

    if info.bands == 1:
        return True
    nodata = info.nodata if info.nodata is not None else 0.0
    ds = gdal.Open(info.path)
    rows = max(1, (64 * 1024 * 1024) // max(1, info.width * info.bands * 8))
    for y in range(0, info.height, rows):
        h = min(rows, info.height - y)
        first = ds.GetRasterBand(1).ReadAsArray(0, y, info.width, h) == nodata
        for b in range(2, info.bands + 1):
            if not np.array_equal(first, ds.GetRasterBand(b).ReadAsArray(0, y, info.width, h) == nodata):
                return False
    return True


def _mosaic_block(run: _Run, window: Window) -> None:
    """Decide the winner of every pixel of one block, then copy each layer from its winner."""
    grid, layers = run.grid, run.layers
    x_off, y_off, w, h = window
    block_bounds = grid.window_bounds(window)
    margin = _EDGE_MARGIN_PX * grid.resolution
    active = [p for p in run.pairs if intersects(p.bounds, block_bounds, margin)]

    ref_layer = layers[run.reference]
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
    del best
    if "persistence" in run.writers:
        run.writers["persistence"].write(count, x_off, y_off)
    # Where no pair is valid the reference's argmax picks the first pair: its layers that hold
    # values there (reconstructions cover whole tiles) are copied, as in the golden data.
    winner[count == 0] = run.pairs[0].index
    winners = [p for p in active if np.any(winner == p.index)]
    image_cache: Dict[str, np.ndarray] = {}  # input image -> warped block (pairs may share an image)

    for kind, layer in layers.items():
        date_input = run.input_layers.get(kind.replace("_date", "_input")) if kind.endswith("_date") else None
        if date_input is not None and not date_input.write:
            date_input = None
        if not layer.write and date_input is None:
            continue
        run.feedback.check_cancelled()
        for bands in _band_chunks(layer, w * h):
            mosaic = np.full((len(bands), h, w), layer.nodata, dtype=layer.dtype)
            inputs = None
            if date_input is not None:
                inputs = np.full((date_input.bands, h, w), date_input.nodata, dtype=date_input.dtype)
            for pair in winners:
                source = layer.sources.get(pair.index)
                if source is None and kind in pair.constant_dates:
                    values = np.where(ref_valid[pair.index], pair.constant_dates[kind], layer.nodata)
                    values = values.astype(layer.dtype)[None]
                    mine = winner == pair.index
                    mosaic[:, mine] = values[:, mine]
                    if inputs is not None and date_input is not None:
                        _copy_inputs(run, inputs, values[0], layer.nodata, mine, pair, date_input, window,
                                     image_cache)
                    continue
                if source is None:
                    run.warn_once((kind, pair.pair_id), f"the pair {pair.pair_id} has no {kind} layer; its pixels "
                                                        f"stay nodata in mosaic_{kind}")
                    continue
                src_nodata = source.nodata if source.nodata is not None else layer.nodata
                values = warp_window(source.path, [b + 1 for b in bands], grid, window, layer.resampling, src_nodata,
                                     layer.nodata, layer.dtype)
                mine = winner == pair.index
                mosaic[:, mine] = values[:, mine]
                if inputs is not None and date_input is not None:
                    _copy_inputs(run, inputs, values[0], layer.nodata, mine, pair, date_input, window, image_cache)
            if layer.write:
                _write_bands(run.writers[kind], mosaic, bands, x_off, y_off)
            if inputs is not None and date_input is not None:
                run.writers[date_input.kind].write(inputs, x_off, y_off)


def _copy_inputs(run: _Run, out: np.ndarray, dates: np.ndarray, date_nodata: float, mine: np.ndarray, pair: _Pair,
                 layer: _Layer, window: Window, cache: Dict[str, np.ndarray]) -> None:
    """Fill ``out`` where this pair won with the input image whose date is the chosen one."""
    chosen = mine & (dates != date_nodata)
    for date in np.unique(dates[chosen]):
        image = pair.images.by_date.get(int(date))
        if image is None:
            run.warn_once((layer.kind, pair.pair_id, int(date)),
                          f"no input image with the date {int(date)} for the pair {pair.pair_id}; "
                          f"mosaic_{layer.kind} stays nodata where that date was chosen")
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
            if len(cache) >= _IMAGE_CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[image] = values
        take = chosen & (dates == date)
        out[:, take] = values[:, take]


def _write_bands(writer, array: np.ndarray, bands: Iterable[int], x_off: int, y_off: int) -> None:
    for i, b in enumerate(bands):
        writer.ds.GetRasterBand(b + 1).WriteArray(array[i].astype(writer.dtype, copy=False), int(x_off), int(y_off))
