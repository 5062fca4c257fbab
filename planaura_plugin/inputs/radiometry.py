"""What an input's values are, radiometrically, as the data itself declares it.

The model reads reflectance x 10000 (SPEC 1). What brings an input there is decided once per
input, from declared facts, and applied in one place: the band reading's scale and offset
(:class:`~..raster.model_bands.BandLayout`, on valid pixels only; nodata stays nodata). The
sources of the conversion, strongest first:

- the GDAL band scale/offset of the file itself (:func:`.checks.check_scale` reads them);
- a distributed product's own metadata (:class:`~planaura_plugin.inputs.DistributedProduct`:
  Sentinel-2 ``BOA_ADD_OFFSET``, HLS none);
- Landsat Collection 2 Level-2 recognised by its MTL file, name or band names (:mod:`.landsat`);
- the bands' own metadata: ESA's ``BOA_ADD_OFFSET`` (with ``BOA_QUANTIFICATION_VALUE``), STAC /
  CF ``scale`` / ``offset`` / ``scale_factor`` / ``add_offset`` items.

:class:`Radiometry` carries what was declared (per band ``value = raw x scale + offset`` in
whatever unit it gives; the scale check then brings that unit to the model's), the raw value that
is no data, and the evidence, which :func:`conversion_line` writes into the run's log.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..i18n import _
from ..presets import BANDS
from . import DistributedProduct


@dataclass(frozen=True)
class Radiometry:
    """A conversion declared by an input's product or metadata (not by GDAL band scale/offset).

    Attributes:
        affine: per model band ``(scale, offset)``: declared value = raw x scale + offset, in
            reflectance 0-1 (Landsat) or x 10000 (Sentinel-2 offset); the scale check finds which.
        evidence: what declares it (metadata key, metadata file, name), for the log.
        nodata: the raw value that is no data when the file declares none (Landsat fill 0), or None.
    """

    affine: Tuple[Tuple[float, float], ...]
    evidence: str
    nodata: Optional[float] = None

    @property
    def identity(self) -> bool:
        """True when the declared conversion leaves the values as they are."""
        return all(a == (1.0, 0.0) for a in self.affine)


def declared_radiometry(name: str, ds: Any, bands: Sequence[int],
                        product: Optional[DistributedProduct]) -> Optional[Radiometry]:
    """The conversion an input's product or metadata declares for its model bands.

    Args:
        name: the input as given (for the Landsat MTL file beside it and its name).
        ds: the ``gdal.Dataset`` read (the product's VRT for a product).
        bands: its 1-based model bands, model order.
        product: the distributed product ``name`` designates, or None for a plain raster.

    Returns:
        The product's offsets (Sentinel-2 ``BOA_ADD_OFFSET``, in x 10000 units) with its
        evidence; else Landsat Collection 2 Level-2's ``DN x 0.0000275 - 0.2`` (fill 0) when
        :func:`.landsat.landsat_level2` recognises it; else what the bands' metadata declares
        (:func:`band_metadata_radiometry`); else None (nothing declared beyond GDAL's band scale/offset).

    Raises:
        InputError: a Landsat Level-1 input (top-of-atmosphere values).
    """
    from .landsat import C2_L2_FILL, landsat_level2

    if product is not None:
        return Radiometry(tuple((1.0, float(o)) for o in product.offsets), product.radiometry or product.kind)
    landsat = landsat_level2(name, ds, bands)
    if landsat is None:
        return band_metadata_radiometry(ds, bands)
    return Radiometry(landsat.affine, landsat.evidence, nodata=C2_L2_FILL)


#: band metadata keys (as :func:`.band_hints.metadata_key` writes them) declaring value = raw x scale + offset
#: (STAC ``raster:bands`` scale/offset and CF ``scale_factor`` / ``add_offset`` kept as plain metadata)
SCALE_KEYS = ("scale", "scale_factor", "raster_bands_scale")
OFFSET_KEYS = ("offset", "add_offset", "raster_bands_offset")
#: ESA's Sentinel-2 keys, in DN: reflectance = (DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE
ESA_OFFSET_KEYS = ("boa_add_offset", "radio_add_offset")
ESA_QUANTIFICATION_KEYS = ("boa_quantification_value", "quantification_value")


def band_metadata_radiometry(ds: Any, bands: Sequence[int]) -> Optional[Radiometry]:
    """The conversion the model bands' own metadata declares, when GDAL's band scale/offset are not set.

    A Sentinel-2 band written with ``BOA_ADD_OFFSET=-1000`` (baseline >= 04.00 DN, reflectance x 10000
    + 1000) or with STAC / CF ``scale`` and ``offset`` items in its metadata declares its values as
    clearly as GDAL's scale/offset would; they were ignored (DN + 1000 read as reflectance x 10000).

    Args:
        ds: the ``gdal.Dataset``; bands: its 1-based model bands, model order.

    Returns:
        Per band ``(scale, offset)`` (1, 0 for a band declaring nothing) with the keys as evidence, or
        None when no model band declares anything there.
    """
    from .band_hints import metadata_items, metadata_key

    affine, said = [], []
    for b in bands:
        items = {metadata_key(k): (k, v) for k, v in metadata_items(ds.GetRasterBand(b))}
        pair, keys = _declared_pair(items)
        affine.append(pair)
        said += [k for k in keys if k not in said]
    if not said:
        return None
    return Radiometry(tuple(affine), _("the bands' metadata ({keys})").format(keys=", ".join(said)))


def _declared_pair(items: Dict[str, Tuple[str, str]]) -> Tuple[Tuple[float, float], List[str]]:
    """(scale, offset) and the ``KEY=value`` that gave them, from one band's metadata (normalised key ->
    the key as written, its value)."""
    def number(keys: Sequence[str]) -> Tuple[Optional[float], List[str]]:
        for key in keys:
            written, text = items.get(key, (key, ""))
            try:
                value = float(text)
            except ValueError:
                continue
            if math.isfinite(value):
                return value, [f"{written}={text.strip()}"]
        return None, []

    esa_offset, esa_keys = number(ESA_OFFSET_KEYS)
    if esa_offset is not None:
        quantification, q_keys = number(ESA_QUANTIFICATION_KEYS)
        per_dn = 1.0 / quantification if quantification else 1.0
        return (per_dn, esa_offset * per_dn), esa_keys + (q_keys if quantification else [])
    scale, scale_keys = number(SCALE_KEYS)
    offset, offset_keys = number(OFFSET_KEYS)
    if not scale:  # none, or 0 (no scale at all)
        scale, scale_keys = 1.0, []
    return (scale, 0.0 if offset is None else offset), scale_keys + offset_keys


def conversion_line(label: str, scale: Sequence[float], offset: Sequence[float], evidence: str) -> str:
    """The log line saying which radiometric conversion an input gets, and from what evidence.

    Args:
        label: the input's name.
        scale, offset: per model band, model value = raw x scale + offset (valid pixels only).
        evidence: what the conversion comes from.

    Returns:
        e.g. ``x.tif: radiometry: model value = raw x 0.275 -2000 (B02 ... B12), from LC08_..._MTL.txt ...``.
    """
    pairs = list(zip(scale, offset))
    if all(p == (1.0, 0.0) for p in pairs):
        conversion = _("none, values used as stored (reflectance x 10000)")
    elif len(set(pairs)) == 1:
        conversion = _("model value = raw x {a} {b} in every band").format(a=f"{pairs[0][0]:g}",
                                                                          b=f"{pairs[0][1]:+g}")
    else:
        conversion = _("model value = raw x a + b: {bands}").format(
            bands="; ".join(f"{n} x {a:g} {b:+g}" for n, (a, b) in zip(BANDS, pairs)))
    return _("{label}: radiometric conversion: {conversion}; from {evidence}").format(
        label=label, conversion=conversion, evidence=evidence)
