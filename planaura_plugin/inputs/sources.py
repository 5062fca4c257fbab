"""One date's input made into "six model bands on a grid, with validity" (before any model work).

:func:`describe_input` is the single entry point the pipelines use for an image:

1. imagery as distributed (an HLS granule's band file, a Sentinel-2 L2A product) is resolved
   to the dataset stacking its bands (:func:`.products.resolve_product`);
2. the model bands are chosen (:func:`.bands.model_bands`: explicit numbers, band names, or
   six non-alpha bands in order), with the alpha or mask band that marks invalid pixels;
3. the values are checked (:func:`.checks.check_scale`: 0-1 reflectance or bytes are refused,
   declared scale/offset followed) and the product's offsets added;
4. the file's declared nodata is kept so that both it and the model's nodata apply.

The result is a :class:`~..raster.reader.RasterInfo` whose ``layout`` the raster reader
follows; what was decided is in its ``messages`` (level, text) for the log.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from ..errors import InputError
from ..i18n import _
from ..presets import Preset
from ..raster.model_bands import BandLayout, declared
from ..raster.reader import RasterInfo, describe, open_dataset
from .checks import ERROR, check_nodata, check_scale


def _affine(name: str, ds, picked: Sequence[int], preset: Preset, product_offsets: Sequence[float],
            messages: List[Tuple[str, str]]) -> Tuple[Tuple[float, ...], Tuple[float, ...]]:
    """Per model band (scale, offset) to model DN: the scale check's, after the product's own offsets.

    Raises:
        InputError: the values are not on a scale the model can use (0-1 reflectance, bytes ...).
    """
    try:
        found = check_scale(ds, picked, preset, name)
    except RuntimeError as exc:  # gdal_array raises when a block cannot be read
        raise InputError(_("GDAL cannot read {name}: {reason}; the file may be truncated or corrupt").format(
            name=name, reason=exc)) from None
    errors = [f.message for f in found.findings if f.level == ERROR]
    if errors:
        raise InputError(errors[0])
    messages += [("warning", f.message) for f in found.findings]
    messages += [("info", n) for n in found.notes]
    scale = tuple(float(a[0]) if a else 1.0 for a in found.affine)
    offset = tuple(float(a[1]) if a else 0.0 for a in found.affine)
    if product_offsets:  # model DN = (raw + product offset) x scale + offset
        offset = tuple(o + float(p) * s for o, p, s in zip(offset, product_offsets, scale))
    return scale, offset


def describe_input(name: str, preset: Preset, bands: Optional[Sequence[int]] = None) -> RasterInfo:
    """What the reader needs to take the model bands of one input image.

    Args:
        name: a GDAL dataset name (file, ``/vsizip/...``, sub-dataset, VRT), or imagery as
            distributed: any file of an HLS v2.0 granule, a Sentinel-2 L2A SAFE folder, its
            zip or its ``MTD_MSIL2A.xml`` (see :func:`.products.resolve_product`).
        preset: the model's preset (band count, statistics and nodata value).
        bands: explicit 1-based band numbers in model order (B02, B03, B04, B8A, B11, B12), or None.

    Returns:
        The raster's :class:`RasterInfo` with its :class:`BandLayout` (and, for a product,
        its quality layer and date); ``label`` is ``name``; ``messages`` says what was decided.

    Raises:
        InputError: the dataset cannot be opened, its bands cannot be chosen, or its values
            cannot be brought to the model's convention; the message names the file.
    """
    from .bands import model_bands
    from .products import resolve_product

    product = resolve_product(name)
    dataset = product.dataset if product is not None else name
    info = describe(dataset)
    ds = open_dataset(dataset)
    messages: List[Tuple[str, str]] = [("info", n) for n in (product.notes if product else ())]
    mapping = model_bands(ds, explicit=bands or (product.bands if product else None), label=name)
    messages += [("info", n) for n in mapping.notes] + [("warning", w) for w in mapping.warnings]
    picked = mapping.bands
    nodata = declared(info.nodata, picked)
    if product is not None and product.nodata is not None:
        nodata = tuple(float(product.nodata) if v is None else v for v in nodata)
    scale, offset = _affine(name, ds, picked, preset, product.offsets if product else (), messages)
    messages += [("warning", f.message) for f in check_nodata(ds, picked, preset, name)]
    layout = BandLayout(bands=tuple(picked), alpha_band=mapping.alpha_band, per_dataset_mask=mapping.dataset_mask,
                        scale=scale, offset=offset, declared_nodata=nodata, model_nodata=float(preset.no_data))
    return replace(info, layout=layout, label=name, quality=product.quality if product else None,
                   date=product.date if product else None, messages=tuple(messages))
