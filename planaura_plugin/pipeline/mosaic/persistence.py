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

Modules: :mod:`.pairs` (raster facts, finding the layers of pairs), :mod:`.layers`
(layer types, pairs on the target grid, outputs), :mod:`.blocks` (block mosaicking).
:func:`run_mosaic` is :func:`mosaic_layout` (checks, grid, layers, output paths: metadata only)
then :func:`write_mosaic`; a distributed run (:mod:`planaura_plugin.runs.dask.mosaic`) hands
:func:`write_mosaic` a block source that computes the blocks on Dask workers.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

import numpy as np

from ...errors import InputError
from ...feedback import Feedback, ensure_feedback
from ...i18n import _
from ...raster.geotiff import COMPRESSIONS, GeoTiffWriter, OutputSet, check_not_inputs, check_writable
from ...raster.mosaic_grid import MosaicGrid, Window, crs_unit, grid_covering, target_srs
from .blocks import MosaicRun, mosaic_block
from .layers import (MosaicLayer, MosaicPair, build_layers, choose_outputs, input_layer, mosaic_output_path,
                            mosaic_resolution, pair_layers, prepare_pairs)
from .pairs import MOSAIC_KINDS, PAIR_KINDS, REFERENCE_KINDS, REFERENCE_SUFFIX, find_pair_layers
from ..metadata import COMPANIONS, KIND
from ..requests import MosaicRequest


def _check_request(request: MosaicRequest) -> None:
    """The request's own numbers: pairs, target resolution, block size, compression."""
    if not request.pairs:
        raise InputError(_("no cosine maps to mosaic: give at least one pair"))
    if request.target_resolution is not None and (not request.target_resolution or not np.isfinite(
            float(request.target_resolution)) or float(request.target_resolution) <= 0):
        raise InputError(_("the target resolution must be > 0, got {target_resolution}").format(
                             target_resolution=request.target_resolution))
    if int(request.block_size) < 1:
        raise InputError(_("the block size must be >= 1 pixel, got {block_size}").format(
                             block_size=request.block_size))
    if (request.compression or "NONE").upper() not in COMPRESSIONS:
        raise InputError(_("the compression must be one of {compressions}, got {compression!r}").format(
                             compressions=', '.join(COMPRESSIONS), compression=request.compression))


def _reference_kind(request: MosaicRequest) -> str:
    """The layer that decides the winner: the request's, else cosine_map, else quality_fmask."""
    has = {k: any(pair_layers(p).get(k) for p in request.pairs) for k in REFERENCE_KINDS}
    reference = request.reference or ("cosine_map" if has["cosine_map"] else
                                      "quality_fmask" if has["quality_fmask"] else None)
    if reference is None:
        raise InputError(_("no cosine maps (nor quality_fmask layers) among the mosaic inputs"))
    if reference not in REFERENCE_KINDS:
        raise InputError(_("the mosaic reference must be one of {reference_kinds}, got {reference!r}").format(
                             reference_kinds=', '.join(REFERENCE_KINDS), reference=reference))
    return reference


def _input_layers(pairs: List[MosaicPair], layers: Mapping[str, MosaicLayer]) -> Dict[str, MosaicLayer]:
    """The before/after input layers the pairs' date layers can feed."""
    out = {}
    for kind, date_kind in (("before_input", "before_date"), ("after_input", "after_date")):
        if date_kind in layers:
            layer = input_layer(kind, pairs, date_kind)
            if layer is not None:
                out[kind] = layer
    return out


def _output_paths(request: MosaicRequest, pairs: List[MosaicPair], reference: str,
                  layers: Mapping[str, MosaicLayer], input_layers: Mapping[str, MosaicLayer]) -> Dict[str, str]:
    """kind -> path of the files to write, checked (not an input, writable); marks the layers to write."""
    available = [k for k in layers] + ["persistence"] + list(input_layers)
    available.sort(key=lambda k: (MOSAIC_KINDS.index(k) if k in MOSAIC_KINDS else len(MOSAIC_KINDS), k))
    paths = choose_outputs(request, available, reference)
    sources = [r.path for p in pairs for r in p.rasters.values()]
    sources += [img for p in pairs for img in p.images.by_date.values()]
    check_not_inputs(paths.values(), sources)
    for path in paths.values():
        check_writable(path)
    for kind, layer in list(layers.items()) + list(input_layers.items()):
        layer.write = kind in paths
    return paths


def _create_writers(out: OutputSet, compression: str, grid: MosaicGrid, paths: Mapping[str, str],
                    layers: Mapping[str, MosaicLayer]) -> Dict[str, GeoTiffWriter]:
    """One GeoTIFF writer per output (``layers`` holds the input layers too); persistence is uint16, nodata 0.

    Each output says what it is (``PLANAURA_KIND``) and where the others are (``PLANAURA_COMPANIONS``),
    as a change map's outputs do: change polygons of the mosaic find its persistence and date layers.
    """
    writers = {}
    finals = {kind: os.path.abspath(path) for kind, path in paths.items()}
    for kind, path in paths.items():
        if kind == "persistence":
            spec: Dict[str, Any] = dict(bands=1, dtype=np.uint16, nodata=0, band_names=None)
        else:
            layer = layers[kind]
            spec = dict(bands=layer.bands, dtype=layer.dtype, nodata=layer.nodata, band_names=layer.band_names or None)
        spec["metadata"] = {KIND: kind, COMPANIONS: json.dumps({k: p for k, p in finals.items() if k != kind})}
        writers[kind] = out.create(path, width=grid.width, height=grid.height, geotransform=grid.geotransform,
                                   projection=grid.wkt, compression=compression, **spec)
    return writers


#: ``blocks(layout, windows)`` yields ``(window, apply)`` in the order of ``windows``; ``apply(writers)``
#: writes that block into the writers (kind -> GeoTiffWriter).
BlockSource = Callable[["MosaicLayout", List[Window]],
                       Iterator[Tuple[Window, Callable[[Mapping[str, GeoTiffWriter]], None]]]]


@dataclass
class MosaicLayout:
    """Everything the blocks of one mosaic share, decided before any pixel is written.

    Plain data (picklable): a distributed run sends it to the workers that compute blocks.
    """

    grid: MosaicGrid
    pairs: List[MosaicPair]
    reference: str
    layers: Dict[str, MosaicLayer]
    input_layers: Dict[str, MosaicLayer]
    paths: Dict[str, str]  # kind -> output path
    block: int  # block size (px)
    compression: str

    def run(self, writers: Mapping[str, Any], feedback: Feedback) -> MosaicRun:
        """The :class:`MosaicRun` of this layout writing into ``writers`` (GeoTiffWriter or alike)."""
        return MosaicRun(grid=self.grid, pairs=self.pairs, reference=self.reference, layers=self.layers,
                         input_layers=self.input_layers, writers=dict(writers), feedback=feedback)


def _write_blocks(run: MosaicRun, source: Iterable[Tuple[Window, Callable]], total: int) -> None:
    """Every block of the grid (in grid order), then the overviews of every file."""
    feedback = run.feedback
    for done, (_window, apply) in enumerate(source):
        feedback.check_cancelled()
        apply(run.writers)
        for writer in run.writers.values():  # hand finished tiles to disk: GDAL's cache must not hold the mosaic
            writer.flush()
        feedback.progress(0.95 * (done + 1) / total, _("mosaic block {n} of {m}").format(n=done + 1, m=total))
    for _kind, writer in run.writers.items():
        feedback.check_cancelled()
        writer.build_overviews((2, 4, 8, 16), "AVERAGE")


def mosaic_layout(request: MosaicRequest, feedback: Feedback) -> MosaicLayout:
    """Check ``request`` and decide the target grid, the layers and the output paths (metadata only).

    Raises:
        InputError: pairs or options that cannot be mosaicked. OutputError: outputs that cannot be written.
    """
    _check_request(request)
    dst_srs = target_srs(request.target_crs)
    reference = _reference_kind(request)
    pairs = prepare_pairs(request, reference, dst_srs, feedback)
    layers = build_layers(pairs)
    input_layers = _input_layers(pairs, layers)
    paths = _output_paths(request, pairs, reference, layers, input_layers)
    grid = grid_covering([p.bounds for p in pairs], dst_srs, mosaic_resolution(request, pairs, reference, dst_srs))
    feedback.info(_("Mosaic of {n_pairs} pair(s) decided by {reference}: {width} x {height} px at {resolution:g} "
                    "{crs_unit} in {target_crs}").format(
                      n_pairs=len(pairs), reference=reference, width=grid.width, height=grid.height,
                      resolution=grid.resolution, crs_unit=crs_unit(dst_srs),
                      target_crs=short_crs_name(dst_srs, request.target_crs)))
    return MosaicLayout(grid=grid, pairs=pairs, reference=reference, layers=layers, input_layers=input_layers,
                        paths=paths, block=int(request.block_size), compression=request.compression)


def short_crs_name(srs: Any, given: str = "") -> str:
    """A CRS as a log line names it: ``EPSG:3979`` (its authority code), else its name, never a whole WKT.

    Args:
        srs: an ``osr.SpatialReference`` (or None).
        given: the CRS as the user gave it (used when it is short, e.g. ``EPSG:3979``).
    """
    if given and len(given) <= 40 and "[" not in given:
        return given
    if srs is not None:
        name, code = srs.GetAuthorityName(None), srs.GetAuthorityCode(None)
        if name and code:
            return f"{name}:{code}"
        if srs.GetName() and srs.GetName().lower() != "unknown":  # a CRS without a code: its name
            return str(srs.GetName())
        proj4 = (srs.ExportToProj4() or "").strip()  # one line, not the WKT
        if proj4:
            return proj4
    return given[:40] + ("…" if len(given) > 40 else "")


def write_mosaic(layout: MosaicLayout, feedback: Feedback, blocks: Optional[BlockSource] = None) -> Dict[str, str]:
    """Create the outputs under temporary names, write every block, build overviews, rename them.

    Args:
        layout: from :func:`mosaic_layout`.
        feedback: progress (one step per block), cancellation.
        blocks: where the blocks are computed; None: here, one after another.

    Returns:
        ``kind -> path`` of the files written.
    """
    windows = list(layout.grid.blocks(layout.block))
    with OutputSet() as out:
        writers = _create_writers(out, layout.compression, layout.grid, layout.paths,
                                  {**layout.layers, **layout.input_layers})
        run = layout.run(writers, feedback)
        source = blocks(layout, windows) if blocks is not None else (
            (w, lambda _writers, w=w: mosaic_block(run, w)) for w in windows)
        _write_blocks(run, source, len(windows))
        written = out.commit()
    feedback.progress(1.0, _("mosaic done"))
    done_paths = set(written)
    return {kind: path for kind, path in layout.paths.items() if path in done_paths}


def run_mosaic(request: MosaicRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Write the persistence mosaic of ``request.pairs``.

    Args:
        request: the pairs, the target CRS and resolution, the outputs asked for.
        feedback: progress (one step per block), messages, cancellation.

    Returns:
        ``kind -> path`` of the files written.

    Raises:
        InputError: pairs or options that cannot be mosaicked. OutputError: outputs that cannot be written.
    """
    feedback = ensure_feedback(feedback)
    return write_mosaic(mosaic_layout(request, feedback), feedback)


__all__ = ["MOSAIC_KINDS", "PAIR_KINDS", "REFERENCE_KINDS", "REFERENCE_SUFFIX", "find_pair_layers",
           "mosaic_output_path", "run_mosaic", "mosaic_layout", "write_mosaic", "MosaicLayout"]
