"""What an input's values are, radiometrically, as the data itself declares it.

The model reads reflectance x 10000 (SPEC 1). What brings an input there is decided once per
input, from declared facts, and applied in one place: the band reading's scale and offset
(:class:`~..raster.model_bands.BandLayout`, on valid pixels only; nodata stays nodata). The
sources of the conversion, strongest first:

- the GDAL band scale/offset of the file itself (:func:`.checks.check_scale` reads them);
- a distributed product's own metadata (:class:`~planaura_plugin.inputs.DistributedProduct`:
  Sentinel-2 ``BOA_ADD_OFFSET``, HLS none);
- Landsat Collection 2 Level-2 recognised by its MTL file, name or band names (:mod:`.landsat`).

:class:`Radiometry` carries what was declared (per band ``value = raw x scale + offset`` in
whatever unit it gives; the scale check then brings that unit to the model's), the raw value that
is no data, and the evidence, which :func:`conversion_line` writes into the run's log.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence, Tuple

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
        :func:`.landsat.landsat_level2` recognises it; else None (nothing declared beyond GDAL's
        band scale/offset).

    Raises:
        InputError: a Landsat Level-1 input (top-of-atmosphere values).
    """
    from .landsat import C2_L2_FILL, landsat_level2

    if product is not None:
        return Radiometry(tuple((1.0, float(o)) for o in product.offsets), product.radiometry or product.kind)
    landsat = landsat_level2(name, ds, bands)
    if landsat is None:
        return None
    return Radiometry(landsat.affine, landsat.evidence, nodata=C2_L2_FILL)


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
