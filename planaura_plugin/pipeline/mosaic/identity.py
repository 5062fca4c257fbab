"""Which pair a mosaic input is: a pair counted once, its companion layers its own and on its grid.

A pair is identified by its input images and their dates (``PLANAURA_INPUTS`` and
``PLANAURA_DATES`` of the change map), so the same change map given twice, a copy of it in
another folder, or the same pair computed twice by two runs is one pair: persistence counts
pairs, not files. Files without that metadata (upstream's runner) are identified by their
upstream file id (``<c><input0><c><input1>``), else by the file itself.
"""
from __future__ import annotations

import os
from typing import Dict, Tuple

from ...errors import InputError
from ...feedback import Feedback
from ...i18n import _
from ..metadata import COMPANIONS, DATES, INPUTS
from .pairs import RasterFacts, json_meta, same_grid

PairKey = Tuple[object, ...]


def pair_key(facts: RasterFacts, pair_id: str, concatenate_char: str = "!") -> PairKey:
    """The identity of the pair a per-pair raster belongs to.

    Args:
        facts: the raster (its GDAL metadata is read, not its pixels).
        pair_id: the pair id the mosaic uses for it (upstream's file id or the file's stem).
        concatenate_char: upstream's separator of the image names in a file id.

    Returns:
        ``("inputs", (path, date), ...)`` from the metadata (the image paths as the run read them,
        so a copy of the change map is the same pair; two crops named alike in two folders are
        not; date YYYYDDD or None); else
        ``("id", pair_id)`` for an upstream file id; else ``("file", real path)``.
    """
    inputs = json_meta(facts.metadata, INPUTS, facts.path) if INPUTS in facts.metadata else None
    if isinstance(inputs, list) and inputs:
        dates = json_meta(facts.metadata, DATES, facts.path) if DATES in facts.metadata else None
        if not isinstance(dates, list) or len(dates) != len(inputs):
            dates = [None] * len(inputs)
        return ("inputs",) + tuple((os.path.normpath(str(p)), None if d is None else int(d))
                                   for p, d in zip(inputs, dates))
    if concatenate_char and concatenate_char in pair_id.strip(concatenate_char):
        return ("id", pair_id)
    return ("file", os.path.realpath(facts.path))


def describe_key(key: PairKey) -> str:
    """A pair key as the user reads it (image names and dates)."""
    if not key or key[0] != "inputs":
        return str(key[1]) if len(key) > 1 else ""
    parts = []
    for item in key[1:]:
        stem, date = item if isinstance(item, tuple) else (item, None)
        name = os.path.basename(str(stem))
        parts.append(name if date is None else f"{name} ({date})")
    return " + ".join(parts)


def note_repeat(feedback: Feedback, key: PairKey, first: str, repeat: str) -> None:
    """Say that ``repeat`` is a pair already given as ``first`` and is counted once."""
    feedback.warning(_("{repeat} is the same pair as {first} ({pair}): it is counted once in the persistence and "
                       "left out of the mosaic; give each pair once").format(
                         repeat=repeat, first=first, pair=describe_key(key)))


def repeat_of(first: RasterFacts, repeat: RasterFacts, pair_id: str, overlap: bool) -> bool:
    """Whether ``repeat`` (the same pair as ``first``) is left out: True when both lie on one grid.

    The same pair over two areas that do not overlap (two areas of interest) is kept: no pixel
    counts it twice.

    Raises:
        InputError: the same pair over two different, overlapping grids (its change there would count twice).
    """
    if same_grid(first, repeat):
        return True
    if overlap:
        raise InputError(_("{repeat} and {first} are the same pair ({pair_id}) over overlapping areas: its changes "
                           "there would count twice in the persistence; give the pair once, e.g. one change map "
                           "over the whole area").format(repeat=repeat.path, first=first.path, pair_id=pair_id))
    return False


def _named_in_metadata(ref: RasterFacts, path: str) -> bool:
    """Whether ``path`` is one of the companions the reference's ``PLANAURA_COMPANIONS`` names."""
    named = json_meta(ref.metadata, COMPANIONS, ref.path) if COMPANIONS in ref.metadata else None
    if not isinstance(named, dict):
        return False
    names = {os.path.basename(str(p)) for p in named.values() if p}
    reals = {os.path.realpath(str(p)) for p in named.values() if p}
    return os.path.realpath(path) in reals or os.path.basename(path) in names


def checked_companions(pair_id: str, reference: str, rasters: Dict[str, RasterFacts], concatenate_char: str,
                       feedback: Feedback) -> Dict[str, RasterFacts]:
    """The pair's layers that belong to it: same pair (by metadata) and same grid as its reference.

    A companion found through the reference's ``PLANAURA_COMPANIONS`` but on another grid is
    stale metadata (the change map was reprojected, e.g. with QGIS Warp, after the run): it is
    left out with a note and the reprojected layer is mosaicked without it.

    Args:
        pair_id: the pair's id (for messages).
        reference: the reference kind (cosine_map or quality_fmask).
        rasters: kind -> raster of the pair, the reference's included.
        concatenate_char: upstream's separator in file ids.
        feedback: where the notes go.

    Returns:
        kind -> raster, the companions left out removed.

    Raises:
        InputError: a layer whose metadata says it was made from other images than the reference
            (another pair's), or a layer given on another grid that the reference does not name.
    """
    ref = rasters[reference]
    ref_key = pair_key(ref, pair_id, concatenate_char)
    kept = {reference: ref}
    for kind, r in rasters.items():
        if kind == reference:
            continue
        key = pair_key(r, pair_id, concatenate_char)
        if ref_key[0] == "inputs" and key[0] == "inputs" and key != ref_key:
            raise InputError(_("the {kind} layer {path} belongs to another pair ({other}) than {ref_path} ({pair}); "
                               "give each pair its own layers (results copied or moved together keep their "
                               "names: keep them in one folder)").format(
                                 kind=kind, path=r.path, other=describe_key(key), ref_path=ref.path,
                                 pair=describe_key(ref_key)))
        if same_grid(ref, r):
            kept[kind] = r
        elif _named_in_metadata(ref, r.path):
            feedback.warning(_("{ref_path} is not on the grid of its {kind} layer {path} (reprojected after the run?): "
                               "the companion named in its metadata is left out of the pair {pair_id}; to mosaic it "
                               "too, reproject it the same way and give it explicitly, or mosaic the change map as "
                               "written").format(ref_path=ref.path, kind=kind, path=r.path, pair_id=pair_id))
        else:
            raise InputError(_("the layers of the pair {pair_id} are not on one grid: {path} ({width}x{height}, "
                               "{geotransform}) differs from {path_2} ({width_2}x{height_2}, {geotransform_2}); "
                               "give layers written by one run, or reproject all of them onto one grid").format(
                                 pair_id=pair_id, path=r.path, width=r.width, height=r.height,
                                 geotransform=r.geotransform, path_2=ref.path, width_2=ref.width,
                                 height_2=ref.height, geotransform_2=ref.geotransform))
    return kept

