"""One date's input made into "six model bands on a grid, with validity" (before any model work).

:func:`describe_input` is the single entry point the pipelines use for an image:

1. imagery as distributed (an HLS granule's band file, a Sentinel-2 L2A product) is resolved
   to the dataset stacking its bands (:func:`.products.resolve_product`);
2. the model bands are chosen (:func:`.bands.model_bands`: explicit numbers, band names, or
   six non-alpha bands in order), with the alpha or mask band that marks invalid pixels;
3. the radiometric conversion the data declares is found (:func:`.radiometry.declared_radiometry`:
   the product's offsets, Landsat Collection 2 Level-2 DN; Level-1 inputs refused), the values
   are checked against it (:func:`.checks.check_scale`: 0-1 reflectance, bytes and undeclared
   Landsat DN are refused, declared scale/offset followed) and the result becomes the band
   reading's scale/offset; one log line says which conversion and from what evidence;
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
from .radiometry import Radiometry, conversion_line


def _affine(name: str, ds, picked: Sequence[int], preset: Preset, declared: Optional[Radiometry],
            messages: List[Tuple[str, str]]) -> Tuple[Tuple[float, ...], Tuple[float, ...]]:
    """Per model band (scale, offset) to model DN (the scale check's, following ``declared``), logged
    with its evidence.

    Raises:
        InputError: the values are not on a scale the model can use (0-1 reflectance, bytes ...).
    """
    try:
        found = check_scale(ds, picked, preset, name, declared=declared)
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
    messages.append(("info", conversion_line(name, scale, offset, _evidence(ds, picked, declared, scale, offset))))
    return scale, offset


def _evidence(ds, picked: Sequence[int], declared: Optional[Radiometry], scale: Sequence[float],
              offset: Sequence[float]) -> str:
    """What the conversion of one input comes from, for :func:`.radiometry.conversion_line`."""
    gdal_declared = [b for b in picked if ds.GetRasterBand(b).GetScale() not in (None, 0, 1)
                     or ds.GetRasterBand(b).GetOffset() not in (None, 0)]
    if gdal_declared:
        return _("the GDAL scale/offset of bands {bands}").format(bands=", ".join(map(str, gdal_declared)))
    if declared is not None:
        return declared.evidence
    if all((a, b) == (1.0, 0.0) for a, b in zip(scale, offset)):
        return _("the range of the values (the scale check)")
    return _("the range of the values and the model's statistics (the scale check)")


def _refuse_missing_sources(name: str, missing: Sequence[str]) -> None:
    if missing:
        raise InputError(_("{name} is a VRT whose source file(s) {missing} do not exist; put them back where the VRT "
                           "says, or build the VRT again (gdalbuildvrt)").format(name=name, missing=", ".join(missing)))


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
    from ..raster.datasets import missing_vrt_sources
    from .products import resolve_product
    from .radiometry import declared_radiometry
    from .sentinel2 import refuse_declared_level1

    product = resolve_product(name)
    dataset = product.dataset if product is not None else name
    info = describe(dataset)
    ds = open_dataset(dataset)
    missing = missing_vrt_sources(ds)
    if missing:
        ds = None  # closed before raising: the traceback would keep a VRT with missing sources alive until exit
        _refuse_missing_sources(name, missing)
    if product is None:
        refuse_declared_level1(ds, name)
    messages: List[Tuple[str, str]] = [("info", n) for n in (product.notes if product else ())]
    mapping = model_bands(ds, explicit=bands or (product.bands if product else None), label=name)
    messages += [("info", n) for n in mapping.notes] + [("warning", w) for w in mapping.warnings]
    picked = mapping.bands
    radiometry = declared_radiometry(name, ds, picked, product)
    nodata = declared(info.nodata, picked)
    fill = product.nodata if product is not None else radiometry.nodata if radiometry is not None else None
    if fill is not None:
        nodata = tuple(float(fill) if v is None else v for v in nodata)
    scale, offset = _affine(name, ds, picked, preset, radiometry, messages)
    messages += [("warning", f.message) for f in check_nodata(ds, picked, preset, name)]
    layout = BandLayout(bands=tuple(picked), alpha_band=mapping.alpha_band, per_dataset_mask=mapping.dataset_mask,
                        scale=scale, offset=offset, declared_nodata=nodata, model_nodata=float(preset.no_data))
    return replace(info, layout=layout, label=name, quality=product.quality if product else None,
                   date=product.date if product else None, messages=tuple(messages))
