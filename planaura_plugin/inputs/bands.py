"""Which bands of a raster are the six model bands, read from the file rather than assumed.

:func:`model_bands` looks at one GDAL dataset and returns a :class:`BandMapping`: the 1-based
band numbers of B02, B03, B04, B8A, B11, B12 (model order), the alpha band or per-dataset
mask that says which pixels are valid, and the log lines / warnings worth showing. Rules, in
order of precedence:

1. Band numbers given by the user (a 6-tuple in model order) win, once validated.
2. The names the bands carry (:mod:`.band_hints`: band descriptions, band metadata such as
   ``BANDNAME``, ``long_name``, STAC common names ``common_name`` / ``eo:common_name``, and for a
   VRT the file names of its sources, e.g. ``gdalbuildvrt -separate stack.vrt *.tif`` over
   ``HLS...B02.tif``, Earth Search ``blue.tif`` / ``nir08.tif``, ``..._B8A_20m.jp2``, Landsat
   ``..._SR_B5.TIF``) when they identify all six model bands: ``B02``/``B2``/``Blue``,
   ``B03``/``Green``, ``B04``/``Red``, ``B8A``/``B08A``/``NIR_Narrow``/``nir08``,
   ``B11``/``SWIR1``/``swir16``, ``B12``/``SWIR2``/``swir22`` (case and separators ignored).
3. Exactly six bands that are not alpha, taken in file order, provided no name contradicts that
   order.

A band whose names disagree (description ``B02``, source file ``..._B04.tif``) and a stack whose
names contradict the file order are refused, the message giving the order found.

Choices made here:

- A generic ``NIR`` is taken as the narrow NIR (B8A) when no band is named B8A / NIR narrow;
  a log line says so.
- ``B08`` / ``NIR_Broad`` (broad NIR, 842 nm) is accepted in place of B8A (865 nm) only when no
  narrow NIR band exists, with a warning: stacks of the Sentinel-2 10 m bands often hold B08
  only, and the two bands are close, but the model was trained on B8A.
- Numbered names ``B05``, ``B06``, ``B07`` mean NIR / SWIR 1 / SWIR 2 in HLS L30 and Landsat
  8-9 (OLI) and red-edge bands in Sentinel-2. They are mapped only when the file name (or the
  dataset's sensor metadata) says ``L30``, ``LC08``/``LC09``, ``Landsat`` or ``OLI``; in that
  context ``B08`` is the panchromatic band and ``B10``/``B11`` are thermal, never model bands.
  A plain ``Landsat`` is taken as Landsat 8-9 numbering. Landsat 4-7 (TM / ETM+, ``LT05``,
  ``LE07``) number their bands differently: there, numbered names are not used at all.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..errors import InputError
from ..i18n import _
from ..presets import BANDS
from .band_hints import Hint, dataset_hints, own_hints, source_name, vrt_sources

# a band's role: one of BANDS, OTHER (known not to be a model band) or AMBIGUOUS (B05-B07 with
# no sensor context); rank: 0 named exactly, 1 generic "NIR" taken as B8A, 2 broad NIR (B08)
OTHER = "other"
AMBIGUOUS = "ambiguous"
EXACT, GENERIC_NIR, BROAD_NIR = 0, 1, 2
Role = Tuple[str, int]

CONTEXT_S2, CONTEXT_OLI, CONTEXT_TM = "s2", "oli", "tm"

_NAMES: Dict[str, Role] = {
    "blue": ("B02", EXACT), "green": ("B03", EXACT), "red": ("B04", EXACT),
    "nirnarrow": ("B8A", EXACT), "narrownir": ("B8A", EXACT), "nir08": ("B8A", EXACT),
    "rededge4": ("B8A", EXACT), "nir": ("B8A", GENERIC_NIR), "nearinfrared": ("B8A", GENERIC_NIR),
    "nirbroad": ("B8A", BROAD_NIR), "broadnir": ("B8A", BROAD_NIR),
    "swir1": ("B11", EXACT), "swir16": ("B11", EXACT), "swir2": ("B12", EXACT), "swir22": ("B12", EXACT),
}
_OTHER_NAMES = frozenset((
    "coastal", "coastalaerosol", "aerosol", "ultrablue", "rededge", "rededge1", "rededge2", "rededge3",
    "nir09", "watervapour", "watervapor", "cirrus", "pan", "panchromatic", "thermal", "tir", "tir1", "tir2",
    "lwir", "lwir11", "lwir12", "yellow", "scl", "fmask", "qa", "alpha", "mask", "aot", "wvp", "visual", "tci"))
_S2_NUMBERS: Dict[str, Role] = {
    "1": (OTHER, EXACT), "2": ("B02", EXACT), "3": ("B03", EXACT), "4": ("B04", EXACT),
    "5": (AMBIGUOUS, EXACT), "6": (AMBIGUOUS, EXACT), "7": (AMBIGUOUS, EXACT), "8": ("B8A", BROAD_NIR),
    "8a": ("B8A", EXACT), "9": (OTHER, EXACT), "10": (OTHER, EXACT), "11": ("B11", EXACT), "12": ("B12", EXACT)}
_OLI_NUMBERS: Dict[str, Role] = {
    "1": (OTHER, EXACT), "2": ("B02", EXACT), "3": ("B03", EXACT), "4": ("B04", EXACT),
    "5": ("B8A", EXACT), "6": ("B11", EXACT), "7": ("B12", EXACT), "8": (OTHER, EXACT),
    "8a": ("B8A", EXACT), "9": (OTHER, EXACT), "10": (OTHER, EXACT), "11": (OTHER, EXACT)}
_TM_NUMBERS: Dict[str, Role] = {"8a": ("B8A", EXACT)}
_NUMBERS = {CONTEXT_S2: _S2_NUMBERS, CONTEXT_OLI: _OLI_NUMBERS, CONTEXT_TM: _TM_NUMBERS}

_SPLIT = re.compile(r"[^a-z0-9]+")
_NUMBERED = re.compile(r"^b0*(\d{1,2}a?)$")
_TM_RE = re.compile(r"(?<![a-z0-9])(lt0?[45]|le0?7|landsat[ _-]?0?[457]|tm|etm)(?![a-z0-9])")
_OLI_RE = re.compile(r"(?<![a-z0-9])(l30|lc0?[89]|oli)(?![a-z0-9])|landsat")
_SENSOR_KEYS = frozenset(("spacecraft_name", "spacecraft_id", "sensor", "sensor_id", "satellite",
                          "platform", "mission", "product_type", "producttype"))
def _how_to() -> str:
    """What to do when the model bands cannot be found, translated."""
    return _("give the band numbers in model order (BEFORE_BANDS / AFTER_BANDS, e.g. 2,3,4,9,12,13 for "
             "a 13-band Sentinel-2 stack B01..B12 + B8A), or set the band descriptions (B02, B03, B04, "
             "B8A, B11, B12 or Blue, Green, Red, NIR_Narrow, SWIR1, SWIR2)")


@dataclass(frozen=True)
class BandMapping:
    """Where the model bands are in one dataset.

    Attributes:
        label: the name used in messages (file name or what the user chose).
        bands: 1-based band numbers of B02, B03, B04, B8A, B11, B12 (model order), 6 ints.
        how: ``"explicit"`` (given by the user), ``"names"`` (band descriptions / metadata) or
            ``"order"`` (six non-alpha bands in file order).
        band_count: all bands of the dataset, alpha included.
        alpha_band: 1-based alpha band (colour interpretation alpha; 0 = invalid pixel), or None.
        dataset_mask: True when band 1 has a per-dataset mask (GMF_PER_DATASET) that is not an
            alpha band, e.g. an internal or ``.msk`` mask; its 0 pixels are invalid.
        notes: log lines (which band is which, reordering).
        warnings: things a user should know (B08 used for B8A, descriptions that disagree ...).
    """

    label: str
    bands: Tuple[int, ...]
    how: str
    band_count: int
    alpha_band: Optional[int] = None
    dataset_mask: bool = False
    notes: Tuple[str, ...] = ()
    warnings: Tuple[str, ...] = ()

    @property
    def reordered(self) -> bool:
        """True when the model bands are not bands 1..6 in file order."""
        return self.bands != tuple(range(1, len(BANDS) + 1))


# ------------------------------------------------------------------------------------------------
# names
# ------------------------------------------------------------------------------------------------
def sensor_context(*texts: str) -> str:
    """How numbered band names are read: ``"oli"`` (HLS L30, Landsat 8-9), ``"tm"`` (Landsat 4-7)
    or ``"s2"`` (Sentinel-2, HLS S30, anything else).

    Args:
        texts: file names, dataset descriptions, sensor metadata values (case ignored).
    Returns:
        one of ``CONTEXT_S2``, ``CONTEXT_OLI``, ``CONTEXT_TM``.
    """
    text = " ".join(t for t in texts if t).lower()
    if _TM_RE.search(text):
        return CONTEXT_TM
    if _OLI_RE.search(text):
        return CONTEXT_OLI
    return CONTEXT_S2


def _lookup(key: str, context: str) -> Optional[Role]:
    if key in _NAMES:
        return _NAMES[key]
    if key in _OTHER_NAMES:
        return (OTHER, EXACT)
    match = _NUMBERED.match(key)
    return _NUMBERS[context].get(match.group(1)) if match else None


def _combine(found: Sequence[Role]) -> Optional[Role]:
    """One role from the roles the parts of a name gave; None when they disagree."""
    definite = [r for r in found if r[0] != AMBIGUOUS]
    if not definite:
        return (AMBIGUOUS, EXACT) if found else None
    roles = {r[0] for r in definite}
    if len(roles) != 1:
        return None
    return (definite[0][0], max(r[1] for r in definite))


def band_role(name: str, context: str = CONTEXT_S2) -> Optional[Role]:
    """The model band a band name stands for.

    The whole name is tried first with separators removed (``"NIR_Narrow"`` -> ``nirnarrow``),
    then its words, joining up to three neighbours (``"SWIR 1 (1610 nm)"``, ``"B02 - Blue"``).

    Args:
        name: a band description or metadata name.
        context: :func:`sensor_context` of the file (how ``B05``..``B12`` are read).
    Returns:
        ``(role, rank)``: role is one of BANDS, ``OTHER`` (a known non-model band: red edge,
        coastal, thermal ...) or ``AMBIGUOUS`` (B05-B07 without sensor context); rank 0 for an
        exact name, 1 for a generic NIR, 2 for broad NIR (B08). None when the name says nothing
        or its parts disagree.
    """
    text = (name or "").lower()
    hit = _lookup(_SPLIT.sub("", text), context)
    if hit:
        return hit
    tokens = [t for t in _SPLIT.split(text) if t]
    found: List[Role] = []
    i = 0
    while i < len(tokens):
        for n in (3, 2, 1):
            hit = _lookup("".join(tokens[i:i + n]), context) if i + n <= len(tokens) else None
            if hit:
                found.append(hit)
                i += n
                break
        else:
            i += 1
    return _combine(found)


def band_names(band: Any) -> List[str]:
    """The names a GDAL band carries itself: its description, then name-like metadata values
    (``BANDNAME``, ``long_name``, ``common_name`` / ``eo:common_name`` ...).

    Args:
        band: a ``gdal.Band``.
    Returns:
        non-empty strings, description first.
    """
    return [h.text for h in own_hints(band)]


@dataclass(frozen=True)
class BandReading:
    """What the hints of one band say (:func:`read_hints`).

    Attributes:
        role: ``(role, rank, the hint that said it)`` or None (no hint names a band, or they disagree).
        conflict: when hints name different bands: each such hint with what it says, for messages.
    """

    role: Optional[Tuple[str, int, str]]
    conflict: str = ""


_LANDSAT_SR = re.compile(r"^sr_b\d{1,2}$", re.IGNORECASE)  # Landsat Collection 2 Level-2 band names


def read_hints(hints: Sequence[Hint], context: str) -> BandReading:
    """The band one band's hints name, or the conflict between them.

    Args:
        hints: the band's :func:`.band_hints.dataset_hints`.
        context: :func:`sensor_context` of the dataset; a band with a hint ``SR_B<n>`` is read
            with Landsat 8-9 numbering unless the file says Landsat 4-7 (SR_B5 is NIR, not a red edge);
            where the dataset says no sensor, a hint that names one (a source file
            ``LC08_..._SR_B5.TIF`` of a VRT of VRTs) is read in its own.
    Returns:
        the :class:`BandReading`; ``AMBIGUOUS`` hints (B05-B07 without sensor context) neither
        name a band nor contradict one.
    """
    if context == CONTEXT_S2 and any(_LANDSAT_SR.match(h.text) for h in hints):
        context = CONTEXT_OLI
    said = [(band_role(h.text, context if context != CONTEXT_S2 else sensor_context(h.text)), h) for h in hints]
    hits = [(r, h) for r, h in said if r is not None]
    role = _combine([r for r, _hint in hits])
    if role is None:
        if not hits:
            return BandReading(None)
        conflict = "; ".join(_("{where} {text} says {band}").format(where=h.where, text=repr(h.text), band=_said(r[0]))
                             for r, h in hits if r[0] != AMBIGUOUS)
        return BandReading(None, conflict)
    said_by = next((h.text for r, h in hits if r[0] == role[0]), hits[0][1].text)
    return BandReading((role[0], role[1], said_by))


def _said(role: str) -> str:
    return role if role in BANDS else _("not a model band")


# ------------------------------------------------------------------------------------------------
# the dataset
# ------------------------------------------------------------------------------------------------
def open_raster(dataset: Union[str, Any], label: Optional[str] = None) -> Any:
    """A read-only ``gdal.Dataset`` for a dataset name, or ``dataset`` itself if it is one.

    Args:
        dataset: a GDAL dataset name (path, ``/vsizip/...``, sub-dataset, VRT XML) or a
            ``gdal.Dataset``.
        label: the name to use in messages (defaults to ``dataset``).
    Returns:
        the ``gdal.Dataset``.
    Raises:
        InputError: GDAL cannot open it as a raster, or it has no band.
    """
    from ..raster.datasets import open_dataset

    ds: Any = dataset if hasattr(dataset, "RasterCount") else open_dataset(str(dataset))
    if ds.RasterCount == 0:
        raise InputError(_("the input raster {name} has no band").format(name=label or ds.GetDescription()))
    return ds


def alpha_bands(ds: Any) -> List[int]:
    """1-based numbers of the bands whose colour interpretation is alpha (0 = invalid pixel)."""
    from osgeo import gdal

    return [i for i in range(1, ds.RasterCount + 1)
            if ds.GetRasterBand(i).GetColorInterpretation() == gdal.GCI_AlphaBand]


def has_dataset_mask(ds: Any) -> bool:
    """True when band 1's mask is a per-dataset mask band that is not an alpha band."""
    from osgeo import gdal

    flags = ds.GetRasterBand(1).GetMaskFlags()
    return bool(flags & gdal.GMF_PER_DATASET) and not flags & gdal.GMF_ALPHA


def _dataset_context(ds: Any, label: str) -> str:
    """:func:`sensor_context` of the dataset's name, label, sensor metadata and VRT source file names."""
    texts = [os.path.basename(label.rstrip("/\\")), os.path.basename(ds.GetDescription().rstrip("/\\"))]
    texts += [str(v) for k, v in (ds.GetMetadata() or {}).items() if k.lower() in _SENSOR_KEYS]
    for i in range(1, ds.RasterCount + 1):
        texts += [source_name(s) for s, _band in vrt_sources(ds.GetRasterBand(i), ds.GetDescription() or "")]
    return sensor_context(*texts)


def _describe(band: int, role: Optional[Tuple[str, int, str]]) -> str:
    if role:
        return _("band {band} ({name})").format(band=band, name=repr(role[2]))
    return _("band {band}").format(band=band)


def model_bands(dataset: Union[str, Any], explicit: Optional[Sequence[int]] = None,
                label: Optional[str] = None) -> BandMapping:
    """Find the six model bands of one date.

    Args:
        dataset: GDAL dataset name or ``gdal.Dataset``.
        explicit: band numbers chosen by the user, 1-based, in model order (B02, B03, B04, B8A,
            B11, B12); they win over band names.
        label: the name used in messages and to recognise L30 / Landsat files (defaults to the
            dataset name).
    Returns:
        the :class:`BandMapping`.
    Raises:
        InputError: the dataset cannot be opened; the explicit bands are not six distinct,
            existing, non-alpha bands; two bands claim the same model band; the names of one band
            disagree; or the bands cannot be identified (not six non-alpha bands, or names that
            contradict the file order); the message gives the order found.
    """
    ds = open_raster(dataset, label)
    label = label or (dataset if isinstance(dataset, str) else ds.GetDescription())
    alpha = alpha_bands(ds)
    data = [i for i in range(1, ds.RasterCount + 1) if i not in alpha]
    context = _dataset_context(ds, label)
    readings = {i: read_hints(hints, context) for i, hints in dataset_hints(ds, data).items()}
    roles = {i: r.role for i, r in readings.items()}
    bands: Sequence[int]
    notes: Tuple[str, ...]
    if explicit is not None:
        bands = validate_bands(explicit, ds.RasterCount, alpha, label)
        how, notes = "explicit", (_("{label}: model bands as given: {listing}").format(
            label=label, listing=_listing(bands, roles)),)
        warnings = tuple(_contradictions(bands, roles, label, given=True))
    else:
        _refuse_conflicts(readings, data, label)
        found = _by_names(roles, label)
        if found is not None:
            bands, how = found, "names"
        else:
            bands, how = _by_order(data, roles, label, ds.RasterCount, alpha), "order"
        notes = (_order_note(label, bands, roles, how),) + _nir_note(bands[3], roles, label)
        if how == "names" and context != CONTEXT_S2:
            notes += (f"{label}: numbered band names are read as "
                      f"{'HLS L30 / Landsat 8-9' if context == CONTEXT_OLI else 'Landsat 4-7 (not used)'} "
                      "bands, as the file name or metadata says",)
        warnings = _broad_nir_warning(bands[3], roles, label) + _partly_named_warning(bands, roles, label, how)
    notes += _validity_note(label, alpha, not alpha and has_dataset_mask(ds))
    return BandMapping(label=label, bands=tuple(bands), how=how, band_count=ds.RasterCount,
                       alpha_band=alpha[0] if alpha else None,
                       dataset_mask=not alpha and has_dataset_mask(ds), notes=notes, warnings=warnings)


def validate_bands(bands: Sequence[int], count: int, alpha: Sequence[int], label: str) -> Tuple[int, ...]:
    """Check band numbers given by the user.

    Args:
        bands: 1-based band numbers in model order.
        count: the number of bands in the dataset; alpha: its alpha bands; label: for messages.
    Returns:
        the bands as a tuple of 6 ints.
    Raises:
        InputError: not six integers, a band that does not exist, a band given twice, or an
            alpha band.
    """
    want = ", ".join(BANDS)
    values = list(bands)
    if len(values) != len(BANDS) or not all(isinstance(b, int) and not isinstance(b, bool) for b in values):
        raise InputError(_("{label}: {values} given as band numbers; give six band numbers (1-based) for {want}, "
                           "in this order").format(label=label, values=repr(values), want=want))
    bad = [b for b in values if not 1 <= b <= count]
    if bad:
        raise InputError(_("{label}: band {band} given for the model bands does not exist: the raster has "
                           "{count} bands (1 to {count}); give six band numbers for {want}").format(
            label=label, band=bad[0], count=count, want=want))
    twice = sorted({b for b in values if values.count(b) > 1})
    if twice:
        raise InputError(_("{label}: band {band} is given for more than one model band in {values}; give six "
                           "different bands for {want}").format(label=label, band=twice[0], values=values, want=want))
    hit = [b for b in values if b in alpha]
    if hit:
        raise InputError(_("{label}: band {band} given for a model band is an alpha band (the validity mask, "
                           "0 = no data), not reflectance; give six data bands for {want}").format(
            label=label, band=hit[0], want=want))
    return tuple(values)


def found_order(data: Sequence[int], roles: Dict[int, Optional[Tuple[str, int, str]]]) -> str:
    """The order the hints give, for messages: ``band 1 = B04 ('red.tif'), band 2 = ?, ...``."""
    def said(b: int) -> str:
        role = roles.get(b)
        if role is None:
            return "?"
        name = role[0] if role[0] in BANDS else (_("B05-B07, sensor unknown") if role[0] == AMBIGUOUS
                                                 else _("not a model band"))
        return f"{name} ({role[2]!r})"
    return ", ".join(_("band {band} = {said}").format(band=b, said=said(b)) for b in data)


def _refuse_conflicts(readings: Dict[int, BandReading], data: Sequence[int], label: str) -> None:
    """InputError when the hints of a band name different bands (e.g. description B02, source file B04)."""
    bad = [b for b in data if readings[b].conflict]
    if not bad:
        return
    roles = {b: readings[b].role for b in data}
    who = "; ".join(_("band {band}: {conflict}").format(band=b, conflict=readings[b].conflict) for b in bad)
    raise InputError(_("{label}: the names a band carries disagree ({who}), so which band is which cannot be "
                       "trusted; order found: {order}; the model expects {bands}: {how_to}").format(
        label=label, who=who, order=found_order(data, roles), bands=", ".join(BANDS), how_to=_how_to()))


def _by_names(roles: Dict[int, Optional[Tuple[str, int, str]]], label: str) -> Optional[List[int]]:
    """Bands in model order when names identify all six, else None; InputError on a tie."""
    out: List[int] = []
    for want in BANDS:
        cands = [(r[1], b) for b, r in roles.items() if r and r[0] == want]
        if not cands:
            return None
        best = min(c[0] for c in cands)
        tied = [b for rank, b in cands if rank == best]
        if len(tied) > 1:
            who = " and ".join(_describe(b, roles[b]) for b in tied)
            raise InputError(_("{label}: {who} are all named as {want}; which one is meant cannot be told: "
                               "{how_to}").format(label=label, who=who, want=want, how_to=_how_to()))
        out.append(tied[0])
    return out


def _by_order(data: List[int], roles: Dict[int, Optional[Tuple[str, int, str]]], label: str,
              count: int, alpha: List[int]) -> List[int]:
    """The six non-alpha bands in file order; InputError when there are not six or names disagree."""
    if len(data) != len(BANDS):
        excluded = _(" ({count} in all, alpha band {alpha} excluded)").format(
            count=count, alpha=", ".join(map(str, alpha))) if alpha else ""
        named = [_("{name} = band {band}").format(name=r[0], band=b) for b, r in roles.items() if r and r[0] in BANDS]
        known = _("; the band names identify {named}").format(named=", ".join(named)) if named else ""
        args = dict(label=label, n=len(data), excluded=excluded, known=known, expected=len(BANDS),
                    bands=", ".join(BANDS))
        if len(data) < len(BANDS):
            raise InputError(_("{label} has {n} band(s){excluded}{known}; the model expects {expected} bands "
                               "({bands}, in this order): give a raster holding these bands (for Sentinel-2 or HLS "
                               "imagery as distributed, choose the product or any band file of the granule)").format(
                **args))
        raise InputError(_("{label} has {n} band(s){excluded}{known}; the model expects {expected} bands ({bands}), "
                           "and which of the {n} they are cannot be told: {how_to}").format(**args, how_to=_how_to()))
    ambiguous = [b for b in data if (role := roles[b]) is not None and role[0] == AMBIGUOUS]
    if ambiguous:
        who = ", ".join(_describe(b, roles[b]) for b in ambiguous)
        raise InputError(_("{label}: {who} can be NIR / SWIR (HLS L30, Landsat 8-9) or red-edge bands "
                           "(Sentinel-2), and the file name does not say which sensor it is; put 'L30' or "
                           "'Landsat' in the file name if it is Landsat, or {how_to}").format(
            label=label, who=who, how_to=_how_to()))
    wrong = _contradictions(data, roles, label, given=False)
    if wrong:
        raise InputError(wrong[0] + _("; the band order cannot be trusted: order found: {order}; the model expects "
                                      "{bands}: {how_to}").format(order=found_order(data, roles),
                                                                  bands=", ".join(BANDS), how_to=_how_to()))
    return data


def _contradictions(bands: Sequence[int], roles: Dict[int, Optional[Tuple[str, int, str]]], label: str,
                    given: bool) -> List[str]:
    """Messages for bands whose names say another band than the slot they fill (given: explicit bands)."""
    out = []
    message = (_("{label}: band {band} is named {name!r} ({said}) but is given as {want}") if given else
               _("{label}: band {band} is named {name!r} ({said}) but would be read as {want}"))
    for want, b in zip(BANDS, bands):
        role = roles.get(b)
        if role and role[0] != AMBIGUOUS and role[0] != want:
            said = role[0] if role[0] in BANDS else _("not a model band")
            out.append(message.format(label=label, band=b, name=role[2], said=said, want=want))
    return out


def _listing(bands: Sequence[int], roles: Dict[int, Optional[Tuple[str, int, str]]]) -> str:
    return ", ".join(f"{want} = {_describe(b, roles.get(b))}" for want, b in zip(BANDS, bands))


def _order_note(label: str, bands: Sequence[int], roles: Dict[int, Optional[Tuple[str, int, str]]],
                how: str) -> str:
    """The log line saying where the model bands come from and whether they are reordered."""
    if how == "order":
        return _("{label}: no band names identify the model bands; the 6 data bands are read in file order "
                 "as {bands}").format(label=label, bands=", ".join(BANDS))
    order = ", ".join(map(str, bands))
    tail = (_("reordered: bands {order} are read as {bands}").format(order=order, bands=", ".join(BANDS))
            if list(bands) != list(range(1, len(BANDS) + 1)) else _("already in model order"))
    return _("{label}: model bands found from the band names: {listing}; {tail}").format(
        label=label, listing=_listing(bands, roles), tail=tail)


def _nir_note(band: int, roles: Dict[int, Optional[Tuple[str, int, str]]], label: str) -> Tuple[str, ...]:
    role = roles.get(band)
    if role and role[0] == "B8A" and role[1] == GENERIC_NIR:
        return (_("{label}: band {band} ({name!r}) is taken as the narrow NIR band B8A (865 nm)").format(
            label=label, band=band, name=role[2]),)
    return ()


def _broad_nir_warning(band: int, roles: Dict[int, Optional[Tuple[str, int, str]]],
                       label: str) -> Tuple[str, ...]:
    role = roles.get(band)
    if role and role[0] == "B8A" and role[1] == BROAD_NIR:
        return (_("{label}: no narrow NIR band (B8A, 865 nm) found; band {band} ({name!r}, the broad NIR band B08, "
                  "842 nm) is used in its place. The model was trained on B8A: results are close but not the same; "
                  "give the band numbers (BEFORE_BANDS / AFTER_BANDS) to choose another band").format(
            label=label, band=band, name=role[2]),)
    return ()


def _partly_named_warning(bands: Sequence[int], roles: Dict[int, Optional[Tuple[str, int, str]]], label: str,
                          how: str) -> Tuple[str, ...]:
    """A warning when a stack read in file order names some model bands but leaves two or more
    unnamed: the named ones are in their places, the order of the others is only assumed."""
    unnamed = [b for b in bands if roles.get(b) is None]
    if how != "order" or len(unnamed) < 2 or len(unnamed) == len(bands):
        return ()
    return (_("{label}: the band names identify only some model bands ({order}); the unnamed bands {unnamed} are "
              "assumed to be {assumed} in file order. If the stack was built in another order (e.g. band files "
              "stacked in name order), the change map is wrong: {how_to}").format(
        label=label, order=found_order(bands, roles), unnamed=", ".join(map(str, unnamed)),
        assumed=", ".join(want for want, b in zip(BANDS, bands) if b in unnamed), how_to=_how_to()),)


def _validity_note(label: str, alpha: Sequence[int], dataset_mask: bool) -> Tuple[str, ...]:
    if alpha:
        return (f"{label}: band {alpha[0]} is an alpha band: not a model band; its 0 pixels are no data",)
    if dataset_mask:
        return (f"{label}: the raster has a mask band: its 0 pixels are no data",)
    return ()
