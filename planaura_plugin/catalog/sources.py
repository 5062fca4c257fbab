"""The STAC catalogues we know, and which asset of an item holds each model band.

Facts from the catalogues' documentation:

- NASA CMR-STAC, provider ``LPCLOUD``: collections ``HLSS30_2.0`` (Sentinel-2 based) and
  ``HLSL30_2.0`` (Landsat based); assets named after the HLS band files (S30: B02, B03, B04,
  B8A, B11, B12; L30: B02, B03, B04, B05, B06, B07) and ``Fmask`` (bit flags, SPEC 4). Data
  needs an Earthdata login. CMR-STAC ignores ``eo:cloud_cover`` queries for HLS (nasa/cmr-stac#239):
  cloud is filtered here, on the client.
- Element 84 Earth Search v1, ``sentinel-2-l2a``: assets ``blue, green, red, nir08, swir16,
  swir22`` and ``scl``; ``raster:bands`` carry scale and offset, ``earthsearch:boa_offset_applied``
  says whether the baseline >= 04.00 offset was already removed.
- Microsoft Planetary Computer, ``sentinel-2-l2a``: assets ``B02 ... B12`` and ``SCL``, the
  baseline (``s2:processing_baseline``) >= 04.00 offset kept; asset URLs must be signed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Sequence, Tuple

from ..quality_kinds import QUALITY_FMASK_BITWISE, QUALITY_SCL


@dataclass(frozen=True)
class Catalogue:
    """A STAC API the plugin knows.

    Attributes:
        key: short name used by the algorithms and the command line (``hls``, ``earth-search``, ...).
        title: how it is named in messages.
        url: the STAC API's root.
        collections: the collections searched.
        signing: ``planetary-computer`` when asset URLs must be signed, else "".
        earthdata: True when the data needs an Earthdata login (token or ``~/.netrc``).
    """

    key: str
    title: str
    url: str
    collections: Tuple[str, ...]
    signing: str = ""
    earthdata: bool = False


CATALOGUES: Dict[str, Catalogue] = {c.key: c for c in (
    Catalogue("hls", "NASA CMR-STAC LPCLOUD (HLS)", "https://cmr.earthdata.nasa.gov/stac/LPCLOUD",
              ("HLSS30_2.0", "HLSL30_2.0"), earthdata=True),
    Catalogue("earth-search", "Earth Search v1 (Sentinel-2 L2A)", "https://earth-search.aws.element84.com/v1",
              ("sentinel-2-l2a",)),
    Catalogue("planetary-computer", "Microsoft Planetary Computer (Sentinel-2 L2A)",
              "https://planetarycomputer.microsoft.com/api/stac/v1", ("sentinel-2-l2a",),
              signing="planetary-computer"),
)}


@dataclass(frozen=True)
class AssetNames:
    """The asset keys of one kind of item: the six model bands in model order and the quality layer."""

    kind: str
    bands: Tuple[str, str, str, str, str, str]
    quality: str
    quality_kind: str


HLS_S30 = AssetNames("HLS S30", ("B02", "B03", "B04", "B8A", "B11", "B12"), "Fmask", QUALITY_FMASK_BITWISE)
HLS_L30 = AssetNames("HLS L30", ("B02", "B03", "B04", "B05", "B06", "B07"), "Fmask", QUALITY_FMASK_BITWISE)
EARTH_SEARCH_S2 = AssetNames("Sentinel-2 L2A", ("blue", "green", "red", "nir08", "swir16", "swir22"), "scl",
                             QUALITY_SCL)
PC_S2 = AssetNames("Sentinel-2 L2A", ("B02", "B03", "B04", "B8A", "B11", "B12"), "SCL", QUALITY_SCL)


def asset_names(item_id: str, collection: Optional[str], assets: Mapping[str, object]) -> Optional[AssetNames]:
    """Which asset keys hold the model bands of an item, or None when no known naming fits.

    HLS L30 is told from S30 by the collection or the id (its ``B05`` is NIR, S30's is red edge);
    otherwise the first naming whose six bands and quality asset are all present wins.

    Args:
        item_id: the item's id; collection: its collection id (or None); assets: its asset keys.
    """
    text = f"{collection or ''} {item_id}".upper()
    if "HLSL30" in text or "HLS.L30" in text:
        candidates: Sequence[AssetNames] = (HLS_L30,)
    elif "HLSS30" in text or "HLS.S30" in text:
        candidates = (HLS_S30,)
    else:
        candidates = (EARTH_SEARCH_S2, PC_S2, HLS_S30)
    for names in candidates:
        if all(key in assets for key in names.bands + (names.quality,)):
            return names
    return None


def catalogue_for(source: str) -> Catalogue:
    """The known catalogue named ``source`` (a key of :data:`CATALOGUES`), or any STAC API URL.

    An URL of a known catalogue gets that catalogue's collections and signing; another URL gets
    no collection (all are searched unless the caller names some).
    """
    if source in CATALOGUES:
        return CATALOGUES[source]
    for known in CATALOGUES.values():
        if source.rstrip("/") == known.url:
            return known
    return Catalogue("url", source, source, ())
