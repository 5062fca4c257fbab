"""One date's input made into "six model bands on a grid, with validity" (before any model work).

:func:`describe_input` is the single entry point the pipelines use for an image: it opens
the GDAL dataset, decides which stored bands are the model's (explicit band numbers, else
all non-alpha bands when there are exactly as many as the model needs), finds the alpha or
mask band that marks invalid pixels, and records the file's declared nodata so that both it
and the model's nodata apply. The result is a :class:`~..raster.reader.RasterInfo` whose
``layout`` the raster reader follows.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from ..errors import InputError
from ..presets import Preset
from ..raster.model_bands import BandLayout, declared
from ..raster.reader import RasterInfo, describe, open_dataset


def alpha_bands(ds) -> List[int]:
    """1-based numbers of the bands whose colour interpretation is alpha."""
    from osgeo import gdal

    return [b for b in range(1, ds.RasterCount + 1)
            if ds.GetRasterBand(b).GetColorInterpretation() == gdal.GCI_AlphaBand]


def has_per_dataset_mask(ds, band: int) -> bool:
    """Whether ``band``'s mask is a real per-dataset mask (not all-valid, not nodata, not alpha)."""
    from osgeo import gdal

    flags = ds.GetRasterBand(band).GetMaskFlags()
    return flags == gdal.GMF_PER_DATASET


def choose_bands(name: str, stored: int, alpha: Sequence[int], preset: Preset,
                 explicit: Optional[Sequence[int]] = None) -> List[int]:
    """The stored bands that hold the model bands, in model order.

    Args:
        name: the input, for messages.
        stored: the dataset's band count.
        alpha: its alpha bands (never model bands).
        preset: the model's preset (its band names and count).
        explicit: band numbers given by the user in model order, or None.

    Raises:
        InputError: the explicit bands are wrong, or the band count does not say which bands to use.
    """
    want = len(preset.bands)
    order = ", ".join(preset.bands)
    if explicit:
        picked = [int(b) for b in explicit]
        problems = []
        if len(picked) != want:
            problems.append(f"{len(picked)} band numbers were given, the model needs {want} ({order})")
        if any(not 1 <= b <= stored for b in picked):
            problems.append(f"band numbers must lie in 1..{stored}")
        if len(set(picked)) != len(picked):
            problems.append("a band is given twice")
        if any(b in alpha for b in picked):
            problems.append(f"band(s) {[b for b in picked if b in alpha]} are alpha bands")
        if problems:
            raise InputError(f"{name}: the bands {picked} cannot be used: {'; '.join(problems)}. Give the "
                             f"numbers of the {order} bands, in that order")
        return picked
    usable = [b for b in range(1, stored + 1) if b not in alpha]
    if len(usable) == want:
        return usable
    extra = f" plus {len(alpha)} alpha band(s)" if alpha else ""
    raise InputError(f"{name} has {len(usable)} band(s){extra}; the model expects {want} ({order}, in this "
                     f"order). Choose the {want} bands to use (the BEFORE_BANDS / AFTER_BANDS / INPUT_BANDS "
                     "parameters), or give a raster holding exactly these bands")


def describe_input(name: str, preset: Preset, bands: Optional[Sequence[int]] = None) -> RasterInfo:
    """What the reader needs to take the model bands of one input image.

    Args:
        name: a GDAL dataset name (file, ``/vsizip/...``, sub-dataset, VRT), or imagery as
            distributed: any file of an HLS v2.0 granule, a Sentinel-2 L2A SAFE folder, its
            zip or its ``MTD_MSIL2A.xml`` (see :func:`.products.resolve_product`).
        preset: the model's preset (band count and nodata value).
        bands: explicit 1-based band numbers in model order, or None.

    Returns:
        The raster's :class:`RasterInfo` with its :class:`BandLayout` (and, for a product,
        its quality layer and date); ``label`` is ``name``.

    Raises:
        InputError: the dataset cannot be opened or its bands cannot be chosen.
    """
    from .products import resolve_product

    product = resolve_product(name)
    dataset = product.dataset if product is not None else name
    info = describe(dataset)
    ds = open_dataset(dataset)
    alpha = alpha_bands(ds)
    if product is not None and not bands:
        bands = product.bands
    picked = choose_bands(name, ds.RasterCount, alpha, preset, bands)
    mask = not alpha and has_per_dataset_mask(ds, picked[0])
    nodata = declared(info.nodata, picked)
    offsets: Tuple[float, ...] = ()
    if product is not None:
        offsets = tuple(float(o) for o in product.offsets)
        if product.nodata is not None:
            nodata = tuple(float(product.nodata) if v is None else v for v in nodata)
    layout = BandLayout(bands=tuple(picked), alpha_band=alpha[0] if alpha else None, per_dataset_mask=mask,
                        scale=(1.0,) * len(offsets) if offsets else (), offset=offsets,
                        declared_nodata=nodata, model_nodata=float(preset.no_data))
    return replace(info, layout=layout, label=name, quality=product.quality if product else None,
                   date=product.date if product else None)
