"""Landsat Collection 2 Level-2 surface reflectance, recognised from what the data declares.

USGS distributes Collection 2 Level-2 products as one GeoTIFF per band (``SR_B1`` ... ``SR_B7``,
uint16, fill 0) with a metadata file ``<product ID>_MTL.txt`` (also ``_MTL.xml``,
``_MTL.json``). The values are not reflectance x 10000 but DN with
``reflectance = DN x 0.0000275 - 0.2`` (the ``REFLECTANCE_MULT_BAND_n`` / ``REFLECTANCE_ADD_BAND_n``
of the MTL's ``LEVEL2_SURFACE_REFLECTANCE_PARAMETERS`` group; Collection 2 Level-2 Science Product
Guide). A stack of these bands therefore needs ``10000 x (DN x 0.0000275 - 0.2)`` before the model
sees it. The evidence, strongest first:

1. an MTL file beside the image: the one whose product ID starts the image's file name, else the
   only one in the folder when the image's name carries no product ID;
2. the product ID in a name (``L[COTE]0n_L2SP_pppppp_yyyymmdd_yyyymmdd_02_T1``; the image, its
   folders or its zip);
3. band names ``SR_B<n>`` (how USGS and Earth Engine name Collection 2 Level-2 bands).

Level-1 products (``L1TP``, ``L1GT``, ``L1GS``: top-of-atmosphere) are refused. Values that merely
look like Collection 2 DN, with none of this evidence, are refused by the scale check with the
formula (:mod:`.checks`), never converted on a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..errors import InputError
from ..i18n import _

C2_L2_SCALE = 2.75e-5   # reflectance per DN (REFLECTANCE_MULT_BAND_n of Collection 2 Level-2)
C2_L2_OFFSET = -0.2     # reflectance at DN 0 (REFLECTANCE_ADD_BAND_n)
C2_L2_FILL = 0.0        # the SR bands' fill value
# Landsat band numbers of the model bands (B02, B03, B04, B8A, B11, B12)
OLI_BANDS = (2, 3, 4, 5, 6, 7)          # Landsat 8-9 OLI
TM_BANDS = (1, 2, 3, 4, 5, 7)           # Landsat 4-5 TM, 7 ETM+

_PRODUCT_ID = re.compile(
    r"(?<![A-Za-z0-9])(?P<id>L(?P<sensor>[COTEM])(?P<sat>0\d)_(?P<level>L1TP|L1GT|L1GS|L2SP|L2SR)_\d{6}_\d{8}_\d{8}_"
    r"(?P<collection>\d{2})_(?:T1|T2|RT))", re.IGNORECASE)
_SR_BAND = re.compile(r"(?<![a-z0-9])sr_b(?P<n>\d{1,2})(?![0-9])", re.IGNORECASE)
_MTL_FILE = re.compile(r"^(?P<id>.+)_MTL\.(txt|xml|json)$", re.IGNORECASE)
_L2_GROUP = "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS"
_GROUP_END = re.compile(r"END_GROUP|</" + _L2_GROUP + ">|\\}")
_LISTABLE = ("/vsizip/", "/vsitar/", "/vsi7z/", "/vsirar/", "/vsimem/")  # folders listed without a network
_VALUE = r"\"?{key}\"?\s*(?:=|:|>)\s*\"?(?P<value>[-+0-9.eE]+|[A-Za-z0-9_]+)"


@dataclass(frozen=True)
class LandsatLevel2:
    """A Landsat Collection 2 Level-2 input, and why it is taken as one.

    Attributes:
        affine: per model band (scale, offset) from DN to reflectance 0-1 (``DN x 0.0000275 - 0.2``).
        evidence: what says so, for the log (the MTL file and its keys, the name, the band names).
    """

    affine: Tuple[Tuple[float, float], ...]
    evidence: str


def landsat_level2(name: str, ds: Any, bands: Sequence[int]) -> Optional[LandsatLevel2]:
    """Whether an input stack is Landsat Collection 2 Level-2 DN, and its conversion to reflectance.

    Args:
        name: the input's GDAL dataset name (its folder is searched for an MTL file).
        ds: its ``gdal.Dataset``.
        bands: its 1-based model bands in model order (their names may be ``SR_B<n>``).

    Returns:
        :class:`LandsatLevel2`, or None when nothing says Collection 2 Level-2, or when the bands
        are floating point or 8/16-bit signed (the DN are uint16: such a file was converted already).

    Raises:
        InputError: the MTL or the name says Level-1 (top-of-atmosphere), not surface reflectance.
    """
    from osgeo import gdal

    from ..raster.datasets import date_names

    if any(ds.GetRasterBand(b).DataType not in (gdal.GDT_UInt16, gdal.GDT_Int32, gdal.GDT_UInt32) for b in bands):
        return None
    numbers = _sr_band_numbers(ds, bands)
    mtl = _mtl_beside(name)
    if mtl is not None:
        return _from_mtl(name, mtl, numbers)
    for part in date_names(name):
        found = _PRODUCT_ID.search(part)
        if found:
            _refuse_level1(name, found.group("level"), _("its name {part}").format(part=part))
            if found.group("collection") == "02":
                return LandsatLevel2(((C2_L2_SCALE, C2_L2_OFFSET),) * len(bands), _(
                    "the name {part} (a Landsat Collection 2 Level-2 product ID): reflectance = DN x 0.0000275 - 0.2"
                ).format(part=part))
            return None
    if numbers is not None:
        shown = ", ".join(f"SR_B{n}" for n in numbers)
        return LandsatLevel2(((C2_L2_SCALE, C2_L2_OFFSET),) * len(bands), _(
            "the band names {names} (Landsat Collection 2 Level-2 surface reflectance): reflectance = DN x 0.0000275 "
            "- 0.2").format(names=shown))
    return None


def _sr_band_numbers(ds: Any, bands: Sequence[int]) -> Optional[Tuple[int, ...]]:
    """The Landsat band number of each model band when every one is named ``SR_B<n>``, else None."""
    from .bands import band_names

    numbers = []
    for b in bands:
        hits = [_SR_BAND.search(n) for n in band_names(ds.GetRasterBand(b))]
        hit = next((h for h in hits if h), None)
        if hit is None:
            return None
        numbers.append(int(hit.group("n")))
    return tuple(numbers)


def _mtl_beside(name: str) -> Optional[str]:
    """The MTL file of the image's product in its folder (see the module docstring), or None."""
    from osgeo import gdal

    from ..raster.datasets import image_file_name, sibling

    marker = sibling(name, "_")
    if marker is None:
        return None
    folder = marker[:-1]
    image = image_file_name(name)
    own_id = _PRODUCT_ID.search(image)
    if folder.startswith("/vsi") and not folder.startswith(_LISTABLE):  # a network folder: no listing
        candidates = [folder + own_id.group("id") + f"_MTL.{ext}" for ext in ("txt", "xml", "json")] if own_id else []
        return next((c for c in candidates if gdal.VSIStatL(c) is not None), None)
    mtls: List[Tuple[str, str]] = []
    for entry in gdal.ReadDir(folder.rstrip("/\\") or "/") or []:
        match = _MTL_FILE.match(entry)
        if match:
            mtls.append((match.group("id"), folder + entry))
    own = [path for product_id, path in mtls if image.upper().startswith(product_id.upper())]
    if own:
        return own[0]
    if len({product_id for product_id, _path in mtls}) == 1 and not own_id:
        return mtls[0][1]
    return None


def _read_text(path: str) -> str:
    from osgeo import gdal

    handle = gdal.VSIFOpenL(path, "rb")
    if handle is None:
        raise InputError(_("cannot read the Landsat metadata file {path}").format(path=path))
    try:
        chunks = []
        while True:
            chunk = gdal.VSIFReadL(1, 1 << 20, handle)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        gdal.VSIFCloseL(handle)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _mtl_values(text: str) -> Tuple[Dict[str, str], Dict[str, float]]:
    """(product keys, numbers of the Level-2 surface reflectance group) of an MTL (txt, xml or json)."""
    keys = {}
    for key in ("PROCESSING_LEVEL", "COLLECTION_NUMBER", "LANDSAT_PRODUCT_ID", "SPACECRAFT_ID"):
        found = re.search(_VALUE.format(key=key), text)
        if found:
            keys[key] = found.group("value")
    numbers: Dict[str, float] = {}
    start = text.find(_L2_GROUP)
    if start >= 0:
        end = _GROUP_END.search(text, start + len(_L2_GROUP))
        group = text[start:end.start() if end else len(text)]
        for found in re.finditer(r"\"?(?P<key>REFLECTANCE_(?:MULT|ADD)_BAND_\d+)\"?\s*(?:=|:|>)\s*\"?"
                                 r"(?P<value>[-+0-9.eE]+)", group):
            numbers[found.group("key")] = float(found.group("value"))
    return keys, numbers


def _from_mtl(name: str, mtl: str, numbers: Optional[Tuple[int, ...]]) -> Optional[LandsatLevel2]:
    """The conversion an MTL file declares for the model bands (None for a Collection 1 MTL)."""
    import os

    keys, values = _mtl_values(_read_text(mtl))
    mtl_name = os.path.basename(mtl)
    level = keys.get("PROCESSING_LEVEL", "")
    _refuse_level1(name, level, _("its metadata file {mtl} (PROCESSING_LEVEL {level})").format(
        mtl=mtl_name, level=level))
    if not level.upper().startswith("L2") or keys.get("COLLECTION_NUMBER", "02").lstrip("0") != "2":
        return None
    if numbers is None:
        numbers = TM_BANDS if re.match(r"^L[TE]0[457]", keys.get("LANDSAT_PRODUCT_ID", mtl_name), re.I) else OLI_BANDS
    affine = tuple((values.get(f"REFLECTANCE_MULT_BAND_{n}", C2_L2_SCALE), values.get(f"REFLECTANCE_ADD_BAND_{n}",
                                                                                       C2_L2_OFFSET))
                   for n in numbers)
    shown = ", ".join(str(n) for n in numbers)
    return LandsatLevel2(affine, _(
        "{mtl} beside it (PROCESSING_LEVEL {level}; REFLECTANCE_MULT_BAND_n and REFLECTANCE_ADD_BAND_n of the "
        "Landsat bands {numbers}): reflectance = DN x {scale} {offset}").format(
        mtl=mtl_name, level=level, numbers=shown, scale=f"{affine[0][0]:g}", offset=f"{affine[0][1]:+g}"))


def _refuse_level1(name: str, level: str, source: str) -> None:
    if level.upper().startswith("L1"):
        raise InputError(_("{name} is a Landsat Level-1 product ({level}, from {source}): top-of-atmosphere "
                           "values, while Planaura needs surface reflectance; use the Collection 2 Level-2 product "
                           "of the same scene (L2SP, bands SR_B2 to SR_B7, with its MTL file beside them)").format(
            name=name, level=level, source=source))
