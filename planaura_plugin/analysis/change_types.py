"""Change types: clusters of the embedding differences of the changed pixels (HDBSCAN).

A pixel of the change map (a patch at the model's stride) whose cosine is below
``max_similarity`` has a change *direction*: the difference of its two embeddings
(after - before), scaled to unit length. Directions of a random sample of those pixels
(at most ``sample_size``, drawn with a seed) are projected on their first ``components`` principal
components (scikit-learn's PCA fitted on that sample, re-normalised; 0 = no projection) and clustered
with scikit-learn's HDBSCAN (``min_cluster_size``); each cluster is a change type. The projection only
groups the pixels: a type's mean direction and radius are taken in the full embedding space, so saved
types stay valid for any later run. Measured in ``bench/change_types_reduction.py`` (base architecture,
random weights; ``bench/results/change_types_reduction_*.json``): in 768 channels the distances of the raw
directions concentrate; on the 1000 x 1000 px scene pair (burn scar, clearing, cloud blob) HDBSCAN on them
finds 2 types where there are 3 kinds (adjusted Rand index 0.52-0.80 for MAX_SIMILARITY 0.6-0.95), on
16 components all 3 (ARI 0.97-0.98); on the 512 px sample pair 0.69-0.90 and 12-18 % noise against 1.0
and none; noisy synthetic kinds in 768 channels are not found at all without it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError, MissingDependencyError, OutputError
from ..feedback import Feedback, ensure_feedback
from ..gdal_calls import gdal_call
from ..i18n import _
from ..pipeline.metadata import KIND
from ..products import PRODUCTS, TYPES_NODATA, sidecar_paths

TYPES = PRODUCTS["change_types"]  # its file: type, nodata, band name, kind, the .types.json beside it
TYPE_NODATA = TYPES_NODATA
TYPE_DTYPE = np.dtype(TYPES.dtype)
NOISE = -1
FEATURE_NODATA = -100.0
DEFAULT_COMPONENTS = 16  # see the module's docstring: 8-16 separate the kinds of both pairs and of noisy
# 768-channel synthetic kinds; 64 merges the clearing into the burn scar again
RADIUS_MARGIN = 1.5  # a type's radius: 1.5 x the distance of its farthest sample member (the sample
# only approximates how far a type reaches)


@dataclass
class ChangeTypesRequest:
    """What :func:`run_change_types` is asked for.

    Attributes:
        cosine_map: the change map (float, nodata -100) on the grid of the feature rasters.
        feature_maps: (before, after) embedding rasters, same grid and bands (nodata -100).
        output: the type raster to write (int16: type id, -1 noise, -100 nodata / unchanged).
        max_similarity: pixels with a cosine below this are clustered.
        min_cluster_size: HDBSCAN's smallest cluster (pixels of the sample).
        types_out: the JSON of the types (default: ``<output>.types.json``).
        types_in: a JSON of an earlier run: its types are used, nothing is fitted.
        fitted_on: the images the types come from, written in the JSON (None: ``cosine_map``).
        components: principal components of the sampled directions HDBSCAN clusters (0: the
            directions as they are; more than the channels: all channels).
    """

    cosine_map: str
    feature_maps: Tuple[str, str]
    output: str
    max_similarity: float = 0.6
    min_cluster_size: int = 20
    sample_size: int = 20_000
    seed: int = 0
    types_out: Optional[str] = None
    types_in: Optional[str] = None
    memory_mb: int = 256
    compression: str = "LZW"
    fitted_on: Optional[Sequence[str]] = None  # what the JSON says the types were fitted on; None: cosine_map
    components: int = DEFAULT_COMPONENTS  # principal components of the directions HDBSCAN sees; 0 = all channels


@dataclass
class _Grid:
    width: int
    height: int
    bands: int
    geotransform: Tuple[float, ...]
    projection: str
    cos_nodata: float


def types_json_path(output: str) -> str:
    """Where the types of a type raster are saved by default: ``<output without .tif>.types.json``
    (the registry's sidecar of ``change_types``)."""
    return sidecar_paths(TYPES.key, output)[0]


def _open_inputs(request: ChangeTypesRequest) -> _Grid:
    """Check that the change map and both embedding rasters share one grid; describe it."""
    from osgeo import gdal

    datasets = []
    for label, path in (("change map", request.cosine_map), ("before embeddings", request.feature_maps[0]),
                        ("after embeddings", request.feature_maps[1])):
        ds, _reason = gdal_call(gdal.Open, str(path))
        if ds is None:
            raise InputError(_("the {label} {path} cannot be opened by GDAL").format(
                                 label=label, path=path))
        datasets.append((label, path, ds))
    cos = datasets[0][2]
    for label, path, ds in datasets[1:]:
        if (ds.RasterXSize, ds.RasterYSize) != (cos.RasterXSize, cos.RasterYSize) or \
                not np.allclose(ds.GetGeoTransform(), cos.GetGeoTransform()):
            raise InputError(_("the {label} {path} ({raster_xsize} x {raster_ysize} px) is not on the grid of the "
                               "change map {cosine_map} ({raster_xsize_2} x {raster_ysize_2} px); give embeddings "
                               "written with that change map (same stride and upsampling)").format(
                                 label=label, path=path, raster_xsize=ds.RasterXSize,
                                 raster_ysize=ds.RasterYSize, cosine_map=request.cosine_map,
                                 raster_xsize_2=cos.RasterXSize, raster_ysize_2=cos.RasterYSize))
    bands = {ds.RasterCount for _l, _p, ds in datasets[1:]}
    if len(bands) != 1:
        raise InputError(_("the before and after embeddings have different numbers of bands ({bands}); give both "
                           "embeddings of one run").format(bands=sorted(bands)))
    nodata = cos.GetRasterBand(1).GetNoDataValue()
    return _Grid(cos.RasterXSize, cos.RasterYSize, bands.pop(), tuple(cos.GetGeoTransform()),
                 cos.GetProjection() or "", FEATURE_NODATA if nodata is None else float(nodata))


def _strip_rows(grid: _Grid, memory_mb: int) -> int:
    """Rows per strip so that both embedding strips (float64 difference included) fit the budget."""
    per_row = grid.width * grid.bands * 4 * 5
    return int(max(1, min(grid.height, memory_mb * 2 ** 20 // max(per_row, 1))))


def _read_strip(paths: Sequence[str], grid: _Grid, y: int, rows: int, max_similarity: float):
    """(changed mask (rows, width), unit directions (n, bands) float32, raw differences (n, bands)) of a strip."""
    from osgeo import gdal

    from ..raster.row_band import read_window

    datasets = [gdal.Open(str(p)) for p in paths]  # kept referenced while their bands are read (opened before)
    cos = read_window(datasets[0], 0, y, grid.width, rows, [1])[0]
    f0, f1 = (read_window(ds, 0, y, grid.width, rows, range(1, grid.bands + 1)) for ds in datasets[1:])
    changed = (cos != grid.cos_nodata) & np.isfinite(cos) & (cos < max_similarity)
    changed &= (f0[0] != FEATURE_NODATA) & (f1[0] != FEATURE_NODATA)
    diff = (f1[:, changed] - f0[:, changed]).T.astype(np.float32)
    norm = np.linalg.norm(diff, axis=1, keepdims=True)
    return changed, diff / np.maximum(norm, 1e-12), diff


def _sample(paths: Sequence[str], grid: _Grid, request: ChangeTypesRequest, rows: int,
            fb: Feedback) -> Tuple[np.ndarray, np.ndarray, int]:
    """The directions and raw differences of at most ``sample_size`` changed pixels, drawn with the seed.

    Returns:
        (directions (n, bands), differences (n, bands), number of changed pixels).
    """
    keys = np.empty(0)
    dirs = np.empty((0, grid.bands), np.float32)
    raws = np.empty((0, grid.bands), np.float32)
    total = 0
    for y in range(0, grid.height, rows):
        fb.check_cancelled()
        n = min(rows, grid.height - y)
        changed, direction, diff = _read_strip(paths, grid, y, n, request.max_similarity)
        total += direction.shape[0]
        strip_keys = np.random.default_rng([request.seed, y]).random(direction.shape[0])
        keys = np.concatenate([keys, strip_keys])
        dirs, raws = np.concatenate([dirs, direction]), np.concatenate([raws, diff])
        if keys.size > request.sample_size:
            keep = np.argsort(keys, kind="stable")[:request.sample_size]
            keys, dirs, raws = keys[keep], dirs[keep], raws[keep]
        fb.progress(0.4 * (y + n) / grid.height, _("sampling the changed pixels"))
    return dirs, raws, total


def reduced_directions(directions: np.ndarray, components: int, seed: int = 0) -> np.ndarray:
    """The directions projected on their first ``components`` principal components, re-normalised.

    Args:
        directions: (n, bands) unit vectors.
        components: components kept; 0, or not fewer than ``bands`` or ``n``, returns the directions as float64.
        seed: PCA's random state (its randomised solver on large samples).

    Returns:
        (n, k) float64 unit vectors, k = ``components`` or ``bands``.
    """
    x = directions.astype(np.float64)
    if components <= 0 or components >= min(x.shape):
        return x
    from sklearn.decomposition import PCA

    x = PCA(n_components=int(components), random_state=seed).fit_transform(x)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def fit_types(directions: np.ndarray, differences: np.ndarray, min_cluster_size: int,
              components: int = DEFAULT_COMPONENTS) -> List[Dict[str, Any]]:
    """Cluster unit change directions with HDBSCAN (after PCA to ``components``); one dict per type.

    Args:
        directions: (n, bands) unit vectors (after - before, normalised).
        differences: (n, bands) the raw embedding differences of the same pixels.
        min_cluster_size: HDBSCAN's smallest cluster.
        components: principal components HDBSCAN sees (:func:`reduced_directions`; 0 = all channels).
            Centres, directions and radii are computed in the full space.

    Returns:
        Types ordered by size (largest first), each with ``type`` (0, 1, ...), ``centre`` (mean
        difference), ``direction`` (unit mean direction), ``radius`` (1.5 x the cosine distance of its
        farthest member) and ``members`` (sample pixels).

    Raises:
        MissingDependencyError: scikit-learn (1.3 or newer) is not installed.
    """
    try:
        from sklearn.cluster import HDBSCAN
    except ImportError as exc:
        raise MissingDependencyError(_("change types need scikit-learn 1.3 or newer (sklearn.cluster.HDBSCAN); install "
                                       "the pinned scikit-learn of requirements.txt")) from exc
    if directions.shape[0] < max(2, min_cluster_size):
        return []
    labels = HDBSCAN(min_cluster_size=int(min_cluster_size)).fit_predict(reduced_directions(directions, components))
    found = [lab for lab in np.unique(labels) if lab >= 0]
    found.sort(key=lambda lab: (-int((labels == lab).sum()), int(lab)))
    types = []
    for k, lab in enumerate(found):
        members = labels == lab
        mean_dir = directions[members].mean(axis=0)
        mean_dir /= max(float(np.sqrt(np.sum(mean_dir.astype(np.float64) ** 2))), 1e-12)
        # element-wise products and numpy's pairwise sums, not a BLAS product: the same bits in any process
        # (a Dask worker's single-threaded BLAS summed the float32 product in another order: radii 1 ulp apart)
        dist = 1.0 - (directions[members].astype(np.float64) * mean_dir.astype(np.float64)).sum(axis=1)
        types.append({"type": k, "centre": differences[members].mean(axis=0).tolist(),
                      "direction": mean_dir.tolist(), "radius": float(RADIUS_MARGIN * dist.max()),
                      "members": int(members.sum())})
    return types


def assign_types(directions: np.ndarray, types: Sequence[Dict[str, Any]]) -> np.ndarray:
    """Type id of each direction: the closest type's mean direction within its radius, else -1.

    Args:
        directions: (n, bands) unit change directions.
        types: the types of :func:`fit_types` (or of a saved JSON).

    Returns:
        (n,) type ids (the registry type, int16) (-1 = noise).
    """
    if not types or directions.shape[0] == 0:
        return np.full(directions.shape[0], NOISE, dtype=TYPE_DTYPE)
    centres = np.array([t["direction"] for t in types], dtype=np.float32)
    radii = np.array([t["radius"] for t in types], dtype=np.float32)
    dist = 1.0 - directions @ centres.T
    best = np.argmin(dist, axis=1)
    ok = dist[np.arange(dist.shape[0]), best] <= radii[best] + 1e-6
    ids = np.array([t["type"] for t in types], dtype=TYPE_DTYPE)
    return np.where(ok, ids[best], NOISE).astype(TYPE_DTYPE)


def load_types(path: str, bands: int) -> List[Dict[str, Any]]:
    """The types saved by an earlier run.

    Raises:
        InputError: the file is not such a JSON or its embeddings have another width.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        types = data["types"]
        width = {len(t["direction"]) for t in types}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(_("{path} is not a change types file written by Planaura change types ({exc})").format(
                             path=path, exc=exc)) from exc
    if types and width != {bands}:
        raise InputError(_("the change types of {path} have {width} embedding channels; the embeddings given have "
                           "{bands}; use embeddings of the same model and channels").format(
                             path=path, width=sorted(width), bands=bands))
    return types


def _write_types(paths: Sequence[str], grid: _Grid, request: ChangeTypesRequest, types: List[Dict[str, Any]],
                 rows: int, writer, meter, fb: Feedback) -> Tuple[np.ndarray, np.ndarray]:
    """Assign every changed pixel strip by strip into ``writer``; returns pixels and their true areas (m², see
    :class:`.areas.AreaMeter` ``meter``) per type id + 1 (index 0 = noise)."""
    counts = np.zeros(len(types) + 1, np.int64)  # index 0 = noise
    area_m2 = np.zeros(len(types) + 1)
    for y in range(0, grid.height, rows):
        fb.check_cancelled()
        n = min(rows, grid.height - y)
        changed, direction, _diff = _read_strip(paths, grid, y, n, request.max_similarity)
        out = np.full((n, grid.width), TYPE_NODATA, dtype=TYPE_DTYPE)
        ids = assign_types(direction, types)
        out[changed] = ids
        counts += np.bincount(ids + 1, minlength=len(types) + 1)[:len(types) + 1]
        area_m2 += np.bincount(ids + 1, weights=meter.strip_m2(y, n)[changed], minlength=len(types) + 1)[
            :len(types) + 1]
        writer.write(out, 0, y)
        fb.progress(0.6 + 0.38 * (y + n) / grid.height, _("assigning the change types"))
    return counts, area_m2


def no_type_reason(request: ChangeTypesRequest, clustered: int, changed: int) -> str:
    """Why clustering found no change type, and what to change (the parameters as the user sets them).

    Args:
        request: its ``max_similarity`` and ``min_cluster_size``.
        clustered: changed pixels in the sample given to HDBSCAN.
        changed: changed pixels in the whole map (cosine below ``max_similarity``).

    Returns:
        The message: no pixel below MAX_SIMILARITY; fewer changed pixels than MIN_CLUSTER_SIZE;
        or HDBSCAN saw only scattered directions (noise).
    """
    if changed == 0:
        return _("no change type: no pixel of the change map has a cosine below MAX_SIMILARITY {max_similarity}; "
                 "raise MAX_SIMILARITY (e.g. to {suggested}) to cluster the strongest changes").format(
                     max_similarity=request.max_similarity, suggested=min(1.0, round(request.max_similarity + 0.2, 2)))
    if clustered < max(2, request.min_cluster_size):
        return _("no change type: {changed} changed pixel(s) (cosine below MAX_SIMILARITY {max_similarity}) are fewer "
                 "than MIN_CLUSTER_SIZE {min_cluster_size}; lower MIN_CLUSTER_SIZE to {suggested} or less, or raise "
                 "MAX_SIMILARITY").format(changed=changed, max_similarity=request.max_similarity,
                                          min_cluster_size=request.min_cluster_size,
                                          suggested=max(2, clustered // 2))
    return _("no change type: HDBSCAN found no group of at least MIN_CLUSTER_SIZE {min_cluster_size} pixels changing "
             "in one direction among {clustered} sampled of {changed} changed pixel(s) (cosine below MAX_SIMILARITY "
             "{max_similarity}): they are scattered (noise); lower MIN_CLUSTER_SIZE (e.g. {suggested}) or raise "
             "MAX_SIMILARITY to take in more changes").format(
                 min_cluster_size=request.min_cluster_size, clustered=clustered, changed=changed,
                 max_similarity=request.max_similarity, suggested=max(2, request.min_cluster_size // 2))


def run_change_types(request: ChangeTypesRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Cluster (or assign to saved types) the changed pixels; write the type raster and the types JSON.

    Args:
        request: the :class:`ChangeTypesRequest`.
        feedback: progress and cancel.

    Returns:
        ``{"change_types": raster, "types": json}``.

    Raises:
        InputError: inputs on different grids, a bad types file or parameters.
        MissingDependencyError: scikit-learn is missing (fitting only).
    """
    from ..raster.geotiff import OutputSet, check_not_inputs
    from .areas import SQUARE_METRES_PER_HECTARE, AreaMeter

    fb = ensure_feedback(feedback)
    if not -1.0 <= request.max_similarity <= 1.0 or request.min_cluster_size < 2 or request.sample_size < 2 or \
            request.components < 0:
        raise InputError(_("max_similarity must be a cosine (-1 to 1), min_cluster_size and the sample size at least 2,"
                           " components 0 or more; got {max_similarity}, {min_cluster_size}, {sample_size}, "
                           "{components}").format(
                             max_similarity=request.max_similarity, min_cluster_size=request.min_cluster_size,
                             sample_size=request.sample_size, components=request.components))
    grid = _open_inputs(request)
    components = _components_used(request, grid.bands, fb)
    paths = [request.cosine_map, *request.feature_maps]
    outputs = {TYPES.key: os.path.abspath(request.output),
               "types": os.path.abspath(request.types_out or types_json_path(request.output))}
    check_not_inputs(outputs.values(), paths + ([request.types_in] if request.types_in else []))
    rows = _strip_rows(grid, request.memory_mb)
    if request.types_in:
        types = load_types(request.types_in, grid.bands)
        sampled = 0
    else:
        directions, differences, sampled = _sample(paths, grid, request, rows, fb)
        fb.progress(0.45, _("clustering {shape} of {sampled} changed pixels (HDBSCAN)").format(
                              shape=directions.shape[0], sampled=sampled))
        types = fit_types(directions, differences, request.min_cluster_size, request.components)
    fb.info(_("{n_types} change type(s)").format(n_types=len(types)))
    if not types and not request.types_in:
        fb.warning(no_type_reason(request, int(directions.shape[0]), sampled))
    meter = AreaMeter(grid.projection, grid.geotransform, (grid.width, grid.height), request.cosine_map)
    with OutputSet() as outset:
        writer = outset.create(outputs[TYPES.key], width=grid.width, height=grid.height, bands=1,
                               dtype=TYPE_DTYPE, geotransform=grid.geotransform, projection=grid.projection,
                               nodata=TYPE_NODATA, compression=request.compression,
                               band_names=[_(n) for n in TYPES.band_names], metadata={KIND: TYPES.key}, fill=False)
        counts, area_m2 = _write_types(paths, grid, request, types, rows, writer, meter, fb)
        for t in types:
            t["pixels"] = int(counts[t["type"] + 1])
            t["area_ha"] = float(area_m2[t["type"] + 1] / SQUARE_METRES_PER_HECTARE)
        data = {"max_similarity": request.max_similarity, "min_cluster_size": request.min_cluster_size,
                "seed": request.seed, "sample_size": request.sample_size,
                "components": components, "changed_pixels": int(counts.sum()),
                "noise_pixels": int(counts[0]),
                "fitted_on": None if request.types_in else list(request.fitted_on or [request.cosine_map]),
                "types_from": request.types_in, "area_note": "area_ha: " + meter.describe(),
                "types": types}
        types_tmp = outset.temp_name(outputs["types"])
        try:
            with open(types_tmp, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
        except OSError as exc:  # disk full: the set is aborted, nothing committed
            from ..raster.write_checks import write_failure

            raise write_failure(outputs["types"], types_tmp, exc.strerror or str(exc)) from exc
        outset.commit()
    fb.progress(1.0, _("done"))
    return outputs


def _components_used(request: ChangeTypesRequest, bands: int, feedback: Feedback) -> Optional[int]:
    """The principal components the clustering uses (0 = all channels; None with saved types), warning when
    more are asked than the embeddings have channels (:func:`reduced_directions` then projects nothing)."""
    if request.types_in:
        return None
    if request.components > bands:
        feedback.warning(_("{components} principal components asked, but the embeddings have {bands} channels: "
                           "the change directions are clustered on all channels (as with 0)").format(
                               components=request.components, bands=bands))
        return 0
    return 0 if request.components == bands else request.components  # all channels: no projection


def _onto_grid(source: str, reference: str, output: str, compression: str) -> None:
    """Copy the type raster ``source`` onto the grid of ``reference`` (nearest neighbour) as ``output``."""
    from osgeo import gdal

    from types import SimpleNamespace

    from ..raster.geotiff import OutputSet, creation_options
    from ..raster.write_checks import GdalWriteCheck, close_dataset

    ref = gdal.Open(reference)
    gt = ref.GetGeoTransform()
    bounds = (gt[0], gt[3] + ref.RasterYSize * gt[5], gt[0] + ref.RasterXSize * gt[1], gt[3])
    with OutputSet() as outset:
        tmp = outset.temp_name(output)
        check = GdalWriteCheck(output, tmp)  # a failed write (disk full) is an OutputError, never committed
        done = SimpleNamespace(ds=check.run(
            gdal.Warp, tmp, source, format="GTiff", outputBounds=bounds, width=ref.RasterXSize,
            height=ref.RasterYSize, dstSRS=ref.GetProjection() or None, resampleAlg="near",
            srcNodata=TYPE_NODATA, dstNodata=TYPE_NODATA, creationOptions=creation_options(compression)))
        if done.ds is None:
            raise InputError(_("GDAL could not place the change types on the grid of {reference}: {get_last_error_msg}")
                               .format(reference=reference, get_last_error_msg=gdal.GetLastErrorMsg()))
        check.run(done.ds.SetMetadataItem, KIND, TYPES.key)
        close_dataset(check, done)
        outset.commit()


def change_map_grid(request, folder: str) -> Optional[str]:
    """A pixel-less raster (VRT) on the grid of the pair's change map, as ``run_change_map`` would write it.

    Args:
        request: the pair's ``ChangeMapRequest`` (its stride, upsampling, extent and tiles decide the grid).
        folder: where the VRT is written.

    Returns:
        The VRT's path; None when no tile has enough valid pixels or the images have no georeferencing.

    Raises:
        OutputError: GDAL cannot write the VRT into ``folder``.
    """
    from dataclasses import replace

    from osgeo import gdal

    from ..pipeline.change import plan_change_map
    from ..pipeline.requests import ChangeMapOutputs

    plan = plan_change_map(replace(request, outputs=ChangeMapOutputs(cosine_map=os.path.join(folder, "grid.tif"))))
    if not plan.passes or not plan.passes[0] or not plan.base.georeferenced:
        return None
    grid = plan.map_grid
    path = os.path.join(folder, "grid.vrt")
    ds, reason = gdal_call(gdal.GetDriverByName("VRT").Create, path, grid.width, grid.height, 1, gdal.GDT_Byte)
    if ds is None:
        raise OutputError(_("GDAL could not write to {path}: {gdal_reason}").format(
            path=path, gdal_reason=reason or _("no reason given")))
    ds.SetGeoTransform(grid.geotransform(plan.base.geotransform))
    ds.SetProjection(plan.base.projection)
    ds = None
    return path


def change_types_of_pair(request, output: str, max_similarity: float, min_cluster_size: int, seed: int = 0,
                         reference_grid: Optional[str] = None, types_in: Optional[str] = None,
                         feedback: Optional[Feedback] = None,
                         components: int = DEFAULT_COMPONENTS) -> Dict[str, str]:
    """Change types of a pair: its embeddings at the model's stride (temporary files), then clustering.

    Args:
        request: the pair's ``ChangeMapRequest`` (inputs, model, extent...); its outputs are ignored.
        output: the type raster to write.
        max_similarity: pixels with a cosine below it are clustered.
        min_cluster_size: HDBSCAN's smallest cluster.
        seed: the sampling seed.
        reference_grid: a raster (e.g. the pair's upsampled cosine map) whose grid the type raster takes
            (nearest neighbour); None: the grid of the pair's change map with the request's stride and
            upsampling (:func:`change_map_grid`).
        types_in: types of an earlier run to assign to, instead of fitting.
        feedback: progress and cancel.
        components: principal components of the directions HDBSCAN clusters (0: all channels).

    Returns:
        ``{"change_types": raster, "types": json}`` (empty when no tile had enough valid pixels).
    """
    import tempfile
    from dataclasses import replace

    from ..feedback import ScaledFeedback
    from ..pipeline.change import run_change_map
    from ..pipeline.requests import ChangeMapOutputs

    fb = ensure_feedback(feedback)
    if types_in:  # a file that is not a types JSON, or of other embedding channels: refused before any model work
        config = request.model.config
        load_types(types_in, len(request.embeddings) if request.embeddings is not None else config.embed_dim)
    with tempfile.TemporaryDirectory(prefix="planaura-types-") as tmp:
        outs = ChangeMapOutputs(cosine_map=os.path.join(tmp, "cos.tif"),
                                feature_maps={0: os.path.join(tmp, "f0.tif"), 1: os.path.join(tmp, "f1.tif")})
        fb.info(_("embeddings at the model's stride for the change types"))
        written = run_change_map(replace(request, outputs=outs, upsample=False), ScaledFeedback(fb, 0.0, 0.7))
        if not written.get("cosine_map"):
            return {}
        if reference_grid is None and request.upsample:
            reference_grid = change_map_grid(request, tmp)
        coarse = os.path.join(tmp, "types.tif") if reference_grid else output
        cosine_map = written["cosine_map"]
        types = ChangeTypesRequest(cosine_map=cosine_map, feature_maps=(outs.feature_maps[0], outs.feature_maps[1]),
                                   output=coarse, max_similarity=max_similarity, min_cluster_size=min_cluster_size,
                                   seed=seed, types_out=types_json_path(output), types_in=types_in,
                                   components=components,
                                   compression=getattr(request, "compression", "LZW"),
                                   fitted_on=[str(p) for p in request.inputs])
        result = run_change_types(types, ScaledFeedback(fb, 0.7, 0.97))
        if reference_grid:
            _onto_grid(coarse, reference_grid, output, types.compression)
            result[TYPES.key] = os.path.abspath(output)
        _log_types_grid(result.get(TYPES.key), fb)
    return result


def _log_types_grid(path: Optional[str], fb: Feedback) -> None:
    """The grid the change types were written on (the tile line above gives the embeddings' grid)."""
    from osgeo import gdal

    ds = gdal.Open(path) if path else None
    if ds is not None:
        fb.info(_("change types written on a grid of {width} x {height} px").format(
            width=ds.RasterXSize, height=ds.RasterYSize))
