"""The pairs of a persistence mosaic: raster facts and the layers of each pair, found by metadata or by name."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ...errors import InputError
from ...gdal_calls import gdal_call
from ...raster.grids import grid_bounds
from ...raster.mosaic_grid import Bounds, raster_srs
from ..metadata import COMPANIONS, DATES, INPUTS, KIND
from ...products import MOSAIC_KINDS, REFERENCE_KINDS, REFERENCE_SUFFIX, pair_raster_kinds, set_request_layer
from ..requests import MosaicInputs
from ...i18n import _

# MOSAIC_KINDS: kinds a mosaic can write, besides feature_maps_<k> and infer_<k> for every frame k found
# per-pair kinds, as named upstream: <kind><c><input0><c><input1>.tif
PAIR_KINDS = tuple(pair_raster_kinds())
__all__ = ["MOSAIC_KINDS", "PAIR_KINDS", "REFERENCE_KINDS", "REFERENCE_SUFFIX"]



# --------------------------------------------------------------------------- raster facts


@dataclass
class RasterFacts:
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


def open_raster(path: str):
    """The GDAL dataset of an existing raster; :class:`InputError` naming it when GDAL cannot read it."""
    from osgeo import gdal

    if not path or not os.path.isfile(path):
        raise InputError(_("the raster {path} does not exist").format(path=path))
    ds, reason = gdal_call(gdal.Open, str(path))
    if ds is None:
        raise InputError(_("GDAL cannot read the raster {path}: {value}").format(
                             path=path, value=reason or 'unknown format'))
    return ds


def describe_raster(path: str) -> RasterFacts:
    from osgeo import gdal_array

    ds = open_raster(path)
    if ds.RasterCount < 1:
        raise InputError(_("the raster {path} has no band").format(path=path))
    band = ds.GetRasterBand(1)
    dtype = gdal_array.GDALTypeCodeToNumericTypeCode(band.DataType)
    if dtype is None:
        raise InputError(_("the raster {path} has a data type the mosaic cannot handle").format(path=path))
    return RasterFacts(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize,
                       geotransform=tuple(ds.GetGeoTransform()), wkt=ds.GetProjection() or "",
                       bands=ds.RasterCount, dtype=np.dtype(dtype), nodata=band.GetNoDataValue(),
                       descriptions=[ds.GetRasterBand(b + 1).GetDescription() or "" for b in range(ds.RasterCount)],
                       metadata=dict(ds.GetMetadata() or {}))


def same_grid(a: RasterFacts, b: RasterFacts) -> bool:
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


def pair_id_of(path: str, kind: Optional[str], concatenate_char: str = "!") -> str:
    """The part of the file name after the kind (upstream's file id), else the file's stem."""
    stem = os.path.splitext(os.path.basename(path))[0]
    if kind and stem.startswith(kind) and (len(stem) == len(kind) or stem[len(kind)] == concatenate_char):
        return stem[len(kind):]
    for k in PAIR_KINDS:
        if stem.startswith(k + concatenate_char):
            return stem[len(k):]
    return stem


def _find_layer_file(path: str, base_dir: str, folders: Sequence[str]) -> Optional[str]:
    """A companion named ``path`` in metadata, found relative to the reference first.

    Candidates, in order: ``path`` relative to ``base_dir`` (the reference's folder) when it is
    relative; its last 1, 2 and 3 path components under ``base_dir`` and its first and second
    parents (so results copied or moved with their folders, e.g. ``epoch2021/`` and
    ``epoch2022/``, find each other there, never the originals); its name in ``folders``;
    and only then ``path`` itself. The caller checks that what is found is the same pair's.
    """
    parts = os.path.normpath(path).split(os.sep)
    candidates = [] if os.path.isabs(path) else [os.path.join(base_dir, path)]
    for up in range(3):
        anchor = base_dir
        for _step in range(up):
            anchor = os.path.dirname(anchor)
        if len(parts) > up:
            candidates.append(os.path.join(anchor, *parts[-(up + 1):]))
    candidates += [os.path.join(f, os.path.basename(path)) for f in folders] + [path]
    for c in candidates:
        if os.path.isfile(c):
            return os.path.abspath(c)
    return None


def json_meta(metadata: Dict[str, str], key: str, path: str):
    text = metadata.get(key)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(_("the metadata item {key} of {path} is not valid JSON: {exc}").format(
                             key=key, path=path, exc=exc)) from exc


def name_stem(path: str) -> str:
    name = os.path.basename(str(path))
    root, ext = os.path.splitext(name)
    return root if ext.lower() in (".tif", ".tiff", ".vrt", ".jp2", ".img") else name


def _add_companions(pair: MosaicInputs, info: RasterFacts, kind: str, folders: Sequence[str],
                    concatenate_char: str) -> None:
    """The pair's other layers: those named in its metadata, then those sharing its upstream file id."""
    ref_path = info.path
    base_dir = os.path.dirname(os.path.abspath(ref_path))
    name = os.path.basename(ref_path)
    companions = json_meta(info.metadata, COMPANIONS, ref_path) or {}
    if not isinstance(companions, dict):
        raise InputError(_("the metadata item {companions} of {ref_path} is not a JSON object").format(
                             companions=COMPANIONS, ref_path=ref_path))
    for other, other_path in companions.items():
        if other in PAIR_KINDS and other != kind and other_path:
            found = _find_layer_file(str(other_path), base_dir, folders)
            if found is None:
                raise InputError(_("the {other} layer {other_path} named in the metadata of {ref_path} was not found "
                                   "(searched {value})").format(
                                     other=other, other_path=other_path, ref_path=ref_path,
                                     value=', '.join([base_dir] + list(folders))))
            set_request_layer(pair, other, found)
    if name.startswith(kind + concatenate_char):  # upstream naming: the companions share the file id
        ext = os.path.splitext(name)[1]
        for other in PAIR_KINDS:
            if other == kind or other in companions:
                continue
            for folder in [base_dir] + list(folders):
                candidate = os.path.join(folder, f"{other}{pair.pair_id}{ext}")
                if os.path.isfile(candidate):
                    set_request_layer(pair, other, os.path.abspath(candidate))
                    break


def _add_inputs(pair: MosaicInputs, info: RasterFacts, folders: Sequence[str], concatenate_char: str,
                images_by_stem: Mapping[str, List[str]]) -> None:
    """The pair's input images (and their dates): from its metadata, else the parts of its pair id."""
    ref_path = info.path
    base_dir = os.path.dirname(os.path.abspath(ref_path))
    inputs = json_meta(info.metadata, INPUTS, ref_path)
    if inputs:
        dates = json_meta(info.metadata, DATES, ref_path) or []
        for i, img in enumerate(inputs):
            found = _find_layer_file(str(img), base_dir, folders)
            if found is None:
                matches = images_by_stem.get(name_stem(img), [])
                found = matches[0] if matches else None
            if found is not None:
                pair.inputs.append(found)
                date = dates[i] if len(dates) == len(inputs) else None
                pair.input_dates.append(None if date is None else int(date))
    else:
        for part in (pair.pair_id or "").split(concatenate_char):
            if part and images_by_stem.get(part):
                pair.inputs.append(images_by_stem[part][0])


def find_pair_layers(reference_maps: Sequence[str], search_folders: Sequence[str] = (),
                     concatenate_char: str = "!", input_images: Sequence[str] = ()) -> List[MosaicInputs]:
    """The layers of each pair, found from its cosine map (or quality_fmask for ``_f`` mosaics).

    Companions are found by the change-map pipeline's GDAL metadata (``PLANAURA_COMPANIONS``,
    ``PLANAURA_INPUTS``, ``PLANAURA_DATES``) when the file carries it, else by the upstream
    naming convention ``<kind><c><input0><c><input1>.tif``, looked up in the reference file's
    folder and then in ``search_folders`` (e.g. ``epoch2022`` for ``_1`` layers). Names are
    compared whole, never as substrings. The pair's input images are those of
    ``input_images`` whose name (without extension) equals a part of the pair id.

    Args:
        reference_maps: the cosine maps (or quality_fmask layers) of the pairs.
        search_folders: folders searched after the reference's own for the companions.
        concatenate_char: upstream's separator of the names in the pair id.
        input_images: candidate input images (for the before/after input layers).

    Returns:
        One :class:`MosaicInputs` per reference map, in the given order.

    Raises:
        InputError: a file that is not a reference layer, or a companion named in metadata but missing.
    """
    folders = [os.path.abspath(f) for f in search_folders]
    images_by_stem: Dict[str, List[str]] = {}
    for img in input_images:
        images_by_stem.setdefault(name_stem(img), []).append(str(img))
    pairs: List[MosaicInputs] = []
    for ref_path in reference_maps:
        ref_path = str(ref_path)
        info = describe_raster(ref_path)
        kind = info.metadata.get(KIND) or _kind_from_name(os.path.basename(ref_path), concatenate_char)
        if kind not in REFERENCE_KINDS:
            raise InputError(_("{ref_path} is not a cosine_map (nor a quality_fmask) layer: its name does not start "
                               "with 'cosine_map{concatenate_char}' and its metadata does not say so").format(
                                 ref_path=ref_path, concatenate_char=concatenate_char))
        pair = MosaicInputs(pair_id=pair_id_of(ref_path, kind, concatenate_char))
        set_request_layer(pair, kind, os.path.abspath(ref_path))
        _add_companions(pair, info, kind, folders, concatenate_char)
        _add_inputs(pair, info, folders, concatenate_char, images_by_stem)
        pairs.append(pair)
    return pairs
