"""Values the model can trust: checks run on the inputs before any model work.

Each check is a pure function that returns findings (:class:`Finding`, level ``"error"`` or
``"warning"``) whose message names the file, what was found, what was expected and what to do.
Nothing here changes a file: :func:`check_scale` computes the per-band affine that brings raw
values to the model's convention, for the caller to apply (in a VRT: ``ScaleRatio`` /
``ScaleOffset`` of each source, on valid pixels only).

Conventions. The published checkpoints (HLS, S2, S2-Senegal) were trained on surface
reflectance x 10000 ("DN"); a custom checkpoint whose means are below 1.5 is taken as trained on
0-1 reflectance. GDAL's band scale/offset mean ``value = raw * scale + offset``; where a band has
none, the conversion its product or metadata declares (:class:`.radiometry.Radiometry`) is used
the same way. The values' unit is judged on their whole distribution, the darkest pixels as much as
the brightest, so that a dark and a bright scene of one kind get the same answer: values whose
darkest pixels are all above 5000 (integers, or floats holding DN) are Landsat Collection 2
Level-2 DN, refused with their formula unless something declares them.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple

import numpy as np

from ..dates import date_from_name, format_date, yyyyddd_to_date
from ..errors import InputError
from ..i18n import _
from ..presets import BANDS, Preset
from .sampling import SAMPLE_PIXELS, sample_band

if TYPE_CHECKING:
    from .radiometry import Radiometry

ERROR, WARNING = "error", "warning"
UNIT_MIN, UNIT_MAX = -0.5, 1.5    # 1st / 99th percentiles of 0-1 reflectance lie within these
UNIT_MIN_P99 = 0.02           # ... and the brightest band's 99th percentile is at least this
DN_MIN_P99, DN_MAX_P99 = 150.0, 30000.0  # the brightest band's 99th percentile in x 10000 reflectance
OFFSET_SUSPECT_P1 = 900.0     # x 10000: the darkest pixels of every band this bright (0.09) look offset (Sentinel-2
                              # baseline >= 04.00 DN are reflectance x 10000 + 1000: 1st percentile ~1050; a real
                              # scene's darkest band, blue, 50 to 300; only cloud, snow or desert reach it)
NEGATIVE_P1 = -500.0          # x 10000: darkest pixels below -0.05 reflectance after a declared offset doubt it
LANDSAT_DN_P1 = 5000.0        # undeclared values whose darkest non-zero pixels all lie above this (Landsat C2
LANDSAT_DN_MAX = 65535.0      # L2 DN of reflectance -0.06; x 10000 reflectance is never that bright) and up to this
SEASON_MONTHS = (6, 7, 8, 9)  # the months Planaura's training images were taken in
MAX_DOY_GAP = 60              # days of year between two dates before they count as other seasons


def _month(month: int) -> str:
    """The name of a month (1-12), translated (not strftime: its month names follow the system locale)."""
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
            _("September"), _("October"), _("November"), _("December"))[month - 1]


@dataclass(frozen=True)
class Finding:
    """One result of a check.

    Attributes:
        level: ``"error"`` (the run must not go on) or ``"warning"`` (log it and go on).
        check: which check: ``"scale"``, ``"nodata"``, ``"dates"``.
        message: names the file, what was found, what was expected and what to do.
    """

    level: str
    check: str
    message: str


@dataclass(frozen=True)
class ScaleCheck:
    """What :func:`check_scale` found.

    Attributes:
        affine: per model band, ``(scale, offset)`` such that
            ``model value = raw * scale + offset`` (``(1.0, 0.0)`` = use as is); None for a band
            whose conversion cannot be determined (there is then an error finding).
        findings: errors and warnings.
        notes: log lines (declared scale/offset, the conversion chosen).
    """

    affine: Tuple[Optional[Tuple[float, float]], ...]
    findings: Tuple[Finding, ...] = ()
    notes: Tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.level == ERROR for f in self.findings)

    @property
    def identity(self) -> bool:
        """True when every band is used as is."""
        return all(a == (1.0, 0.0) for a in self.affine)


# ------------------------------------------------------------------------------------------------
# scale
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _BandStats:
    band: int
    scale: float
    offset: float
    declared: bool
    byte: bool
    floating: bool
    p1: Optional[float]   # of raw * scale + offset; None when the sample is empty
    p99: Optional[float]
    by_product: bool = False  # the scale/offset are the product's or metadata's (Radiometry), not GDAL's
    raw_p1: Optional[float] = None  # of the raw values other than 0 (Landsat's undeclared fill)
    raw_p99: Optional[float] = None


def model_units(preset: Preset) -> Optional[float]:
    """How many model units one unit of reflectance is.

    Args:
        preset: the model's statistics.
    Returns:
        10000.0 for a model trained on reflectance x 10000 (means in the hundreds or more),
        1.0 for one trained on 0-1 reflectance (means <= 1.5), None when the means say neither.
    """
    top = max(abs(m) for m in preset.mean)
    if top > DN_MIN_P99:
        return 10000.0
    return 1.0 if top <= UNIT_MAX else None


def _percentiles(values: np.ndarray) -> Tuple[Optional[float], Optional[float]]:
    if not values.size:
        return None, None
    return float(np.percentile(values, 1)), float(np.percentile(values, 99))


def _band_stats(ds: Any, number: int, preset: Preset, max_pixels: int,
                product: Optional[Tuple[float, float]] = None, product_nodata: Optional[float] = None) -> _BandStats:
    """Percentiles of one band's sample, after its GDAL scale/offset or else ``product``'s."""
    from osgeo import gdal

    from .bands import alpha_bands

    band = ds.GetRasterBand(number)
    alpha = alpha_bands(ds)
    raw_scale, raw_offset = band.GetScale(), band.GetOffset()
    scale = 1.0 if raw_scale in (None, 0) else float(raw_scale)
    offset = 0.0 if raw_offset is None else float(raw_offset)
    by_product = (scale, offset) == (1.0, 0.0) and product is not None and tuple(product) != (1.0, 0.0)
    if by_product:
        assert product is not None
        scale, offset = float(product[0]), float(product[1])
    extra = (preset.no_data,) + (() if product_nodata is None else (product_nodata,))
    raw = sample_band(band, max_pixels, extra_nodata=extra, alpha=ds.GetRasterBand(alpha[0]) if alpha else None)
    p1, p99 = _percentiles(raw * scale + offset)
    raw_p1, raw_p99 = _percentiles(raw[raw != 0])
    floating = band.DataType in (gdal.GDT_Float32, gdal.GDT_Float64)
    return _BandStats(number, scale, offset, (scale, offset) != (1.0, 0.0), band.DataType == gdal.GDT_Byte,
                      floating, p1, p99, by_product, raw_p1, raw_p99)


def _sampled_range(stats: Sequence[_BandStats]) -> Tuple[float, float]:
    """The lowest 1st and the highest 99th percentile of the bands whose sample holds valid pixels."""
    lows = [s.p1 for s in stats if s.p1 is not None]
    highs = [s.p99 for s in stats if s.p99 is not None]
    return min(lows), max(highs)


def _units_of(stats: Sequence[_BandStats]) -> Optional[float]:
    """1.0 (0-1 reflectance), 10000.0 (x 10000) or None, from the sampled ranges of all bands."""
    lo, hi = _sampled_range(stats)
    if UNIT_MIN <= lo and UNIT_MIN_P99 <= hi <= UNIT_MAX and all(s.floating or s.declared for s in stats):
        return 1.0
    return 10000.0 if DN_MIN_P99 < hi <= DN_MAX_P99 else None


def check_scale(dataset: Any, bands: Sequence[int], preset: Preset, label: str,
                max_pixels: int = SAMPLE_PIXELS, declared: Optional["Radiometry"] = None) -> ScaleCheck:
    """Whether the values are on the scale the model was trained on, and how to bring them there.

    The declared band scale/offset (GDAL's, else ``declared``'s) are applied to a sample of each
    model band; the 1st-99th percentile range over the bands then says 0-1 reflectance (floats,
    or declared scale) or reflectance x 10000. Declared conversions are followed; an undeclared
    one the model needs is an error (it would be a guess), as are 8-bit data, undeclared values
    whose darkest pixels are all above 5000 (Landsat Collection 2 Level-2 DN: the error gives the
    formula, whatever the scene's brightness) and ranges that are neither.

    Args:
        dataset: ``gdal.Dataset``; bands: its 1-based model bands in model order.
        preset: the model's statistics (its means give its units, :func:`model_units`).
        label: the file name for messages; max_pixels: sample size per band.
        declared: the conversion the input's product or metadata declares (used for bands
            without a GDAL scale/offset; its nodata is left out of the sample), or None.
    Returns:
        :class:`ScaleCheck`: per band ``(scale, offset)`` to model units (None where
        undetermined), findings (``check="scale"``) and notes.
    """
    target = model_units(preset)
    if target is None:
        return ScaleCheck(affine=((1.0, 0.0),) * len(bands), findings=(Finding(WARNING, "scale", _(
            "{label}: the model's band means ({means}) are neither 0-1 nor x 10000 reflectance, so the scale of "
            "the input values is not checked").format(label=label, means=", ".join(f"{m:g}" for m in preset.mean))),))
    pairs = declared.affine if declared is not None else (None,) * len(bands)
    stats = [_band_stats(dataset, b, preset, max_pixels, pair, declared.nodata if declared else None)
             for b, pair in zip(bands, pairs)]
    if any(s.byte and not s.declared for s in stats):
        return _undetermined(bands, _byte_message(label, preset))
    sampled = [s for s in stats if s.p1 is not None]
    if not sampled:
        # not a doubt about the scale: a raster without valid pixels is reported by the tile filter
        return ScaleCheck(affine=tuple((s.scale, s.offset) for s in stats), notes=(_(
            "{label}: the sample of the model bands holds no valid pixel (all nodata or masked); the scale "
            "of the values is not checked").format(label=label),))
    if _looks_like_landsat_dn(sampled):
        return _undetermined(bands, _landsat_message(label, sampled))
    units = _units_of(sampled)
    said = any(s.declared for s in stats)
    if units is None or (units != target and not said):
        by = declared.evidence if declared is not None and any(s.by_product for s in stats) else None
        return _undetermined(bands, _scale_message(label, preset, sampled, units, target, said, by))
    factor = target / units
    affine = tuple((_clean(s.scale * factor), _clean(s.offset * factor)) for s in stats)
    by = declared.evidence if declared is not None and any(s.by_product for s in stats) else None
    findings = _offset_suspect(label, sampled, factor) + _negative_suspect(label, sampled, factor, by)
    return ScaleCheck(affine=affine, findings=findings, notes=_scale_notes(label, stats, affine, units))


def _looks_like_landsat_dn(stats: Sequence[_BandStats]) -> bool:
    """Undeclared values whose darkest non-zero pixels, in every band, lie above 5000 (and none above 65535):
    integers as USGS writes them, or floats as some exports keep them."""
    if any(s.declared or s.raw_p1 is None or s.raw_p99 is None for s in stats):
        return False
    return (min(s.raw_p1 for s in stats if s.raw_p1 is not None) > LANDSAT_DN_P1
            and max(s.raw_p99 for s in stats if s.raw_p99 is not None) <= LANDSAT_DN_MAX)


def _landsat_message(label: str, stats: Sequence[_BandStats]) -> str:
    low = min(s.raw_p1 for s in stats if s.raw_p1 is not None)
    high = max(s.raw_p99 for s in stats if s.raw_p99 is not None)
    return _("{label}: even the darkest pixels of every band are above {limit} (raw values {low} to {high}, 1st to "
             "99th percentile without 0): these are not reflectance x 10000 but look like Landsat Collection 2 "
             "Level-2 DN, whose reflectance = DN x 0.0000275 - 0.2 (0 = fill), and nothing in the file says so; put "
             "the product's MTL file (<product ID>_MTL.txt) beside it or keep the product ID in its name, or "
             "declare the conversion with gdal_edit.py -scale 0.0000275 -offset -0.2 -a_nodata 0; if the values "
             "really are reflectance x 10000 (a scene of only cloud or snow), declare that with gdal_edit.py -scale "
             "0.0001").format(label=label, limit=f"{LANDSAT_DN_P1:g}", low=f"{low:.0f}", high=f"{high:.0f}")


def _clean(value: float) -> float:
    """``value`` to 12 significant digits (0.0001 x 10000 is 1.0, not 1.0000000000000002)."""
    return float(f"{value:.12g}") + 0.0


def _undetermined(bands: Sequence[int], message: str) -> ScaleCheck:
    return ScaleCheck(affine=(None,) * len(bands), findings=(Finding(ERROR, "scale", message),))


def _range(stats: Sequence[_BandStats]) -> str:
    lo, hi = _sampled_range(stats)
    return _("values from {low} to {high} (1st to 99th percentile of the bands {bands})").format(
        low=f"{lo:.4g}", high=f"{hi:.4g}", bands=", ".join(BANDS))


def _byte_message(label: str, preset: Preset) -> str:
    return _("{label}: the model bands are 8-bit (0-255): this looks like a rendered picture (e.g. a true-colour "
             "export), not surface reflectance; {model} expects surface reflectance x 10000 in the 6 bands "
             "{bands}: use the reflectance bands themselves (HLS or Sentinel-2 L2A)").format(
        label=label, model=preset.name, bands=", ".join(BANDS))


def _scale_message(label: str, preset: Preset, stats: Sequence[_BandStats], units: Optional[float],
                   target: float, declared: bool, declared_by: Optional[str] = None) -> str:
    """The error for values whose scale is unknown or needs an undeclared conversion."""
    found = _range(stats) + (_(" after the conversion declared by {evidence}").format(evidence=declared_by)
                             if declared_by else _(" after the bands' declared scale/offset") if declared else "")
    want = (_("reflectance x 10000 (integers, typically 0 to 10000)") if target == 10000.0 else
            _("reflectance 0-1"))
    if units is None:
        message = _("{label}: {found} are neither reflectance 0-1 nor reflectance x 10000, so how to bring them to "
                    "the {want} that {model} expects cannot be determined; give the bands a scale/offset "
                    "(gdal_edit.py -scale / -offset) that makes them reflectance, or convert them")
    elif units == 1.0:
        message = _("{label}: {found} look like reflectance scaled to 0-1, but {model} was trained on {want}; "
                    "multiply the bands by 10000 (e.g. gdal_calc.py -A input.tif --allBands=A --calc=\"A*10000\" "
                    "--type=Int16 --NoDataValue=-9999 --outfile=scaled.tif), or use a custom checkpoint whose "
                    "mean/std are in 0-1 reflectance")
    else:
        message = _("{label}: {found} look like reflectance x 10000, but the model's statistics are in {want}; "
                    "divide the bands by 10000, or declare it with gdal_edit.py -scale 0.0001")
    return message.format(label=label, found=found, want=want, model=preset.name)


def _offset_suspect(label: str, stats: Sequence[_BandStats], factor: float) -> Tuple[Finding, ...]:
    lo = _sampled_range(stats)[0] * factor
    if lo <= OFFSET_SUSPECT_P1:
        return ()
    return (Finding(WARNING, "scale", _(
        "{label}: even the darkest pixels are bright (1st percentile {low} in reflectance x 10000 over "
        "the bands {bands}): the values may carry an undeclared offset (Landsat Collection 2 "
        "stores reflectance as DN x 0.0000275 - 0.2; Sentinel-2 since baseline 04.00 adds 1000), or the scene "
        "is all cloud or snow; set the offset/scale with gdal_edit.py -offset / -scale if it is an offset").format(
        label=label, low=f"{lo:.0f}", bands=", ".join(BANDS))),)


def _negative_suspect(label: str, stats: Sequence[_BandStats], factor: float,
                      evidence: Optional[str]) -> Tuple[Finding, ...]:
    """A warning when a declared offset takes the darkest pixels well below zero reflectance."""
    if not any(s.declared and s.offset != 0 for s in stats):
        return ()
    lo = _sampled_range(stats)[0] * factor
    if lo >= NEGATIVE_P1:
        return ()
    return (Finding(WARNING, "scale", _(
        "{label}: after the declared offset ({evidence}) the 1st percentile is {low} in reflectance x 10000, well "
        "below zero reflectance: the offset may not apply to these values (e.g. a Sentinel-2 product whose DN carry "
        "no offset); check the product's metadata, or set the band offsets with gdal_edit.py -offset").format(
        label=label, evidence=evidence or _("the GDAL band offset"), low=f"{lo:.0f}")),)


def _scale_notes(label: str, stats: Sequence[_BandStats], affine: Sequence[Tuple[float, float]],
                 units: float) -> Tuple[str, ...]:
    shown = [_("{name} (band {band}) scale {scale} offset {offset} -> x {a} {b}").format(
        name=name, band=s.band, scale=f"{s.scale:g}", offset=f"{s.offset:g}", a=f"{a:g}", b=f"{b:+g}")
        for name, s, (a, b) in zip(BANDS, stats, affine)
        if (s.declared or (a, b) != (1.0, 0.0)) and not s.by_product]  # a product's: in the conversion line
    if not shown:
        return ()
    unit = _("reflectance 0-1") if units == 1.0 else _("reflectance x 10000")
    return (_("{label}: declared scale/offset give {unit}; model values = raw x a + b: ").format(label=label, unit=unit)
            + "; ".join(shown),)


# ------------------------------------------------------------------------------------------------
# nodata
# ------------------------------------------------------------------------------------------------
def _same_value(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


def check_nodata(dataset: Any, bands: Sequence[int], preset: Preset, label: str) -> List[Finding]:
    """Report a declared nodata value that is not the model's (a report only: both masks apply).

    Args:
        dataset: ``gdal.Dataset``; bands: its 1-based model bands; preset: the model's
            statistics (``preset.no_data``); label: the file name for messages.
    Returns:
        warnings (``check="nodata"``): bands declaring different nodata values, and a declared
        nodata other than the model's. Empty when nothing is declared or it matches.
    """
    declared: List[float] = []
    for b in bands:
        v = dataset.GetRasterBand(b).GetNoDataValue()
        if v is not None and not any(_same_value(v, d) for d in declared):
            declared.append(float(v))
    findings = []
    if len(declared) > 1:
        findings.append(Finding(WARNING, "nodata", _(
            "{label}: the model bands declare different nodata values ({values}); each band's own value is no "
            "data in that band").format(label=label, values=", ".join(f"{v:g}" for v in declared))))
    for v in declared:
        if not _same_value(v, float(preset.no_data)):
            findings.append(Finding(WARNING, "nodata", _(
                "{label}: declares nodata {value} where {model} expects {expected}: pixels equal to either value "
                "(and NaN) are treated as no data; nothing to do unless {expected} is a valid value in this "
                "image").format(label=label, value=f"{v:g}", model=preset.name, expected=f"{preset.no_data:g}")))
    return findings


# ------------------------------------------------------------------------------------------------
# dates
# ------------------------------------------------------------------------------------------------
def _doy_gap(a: _dt.date, b: _dt.date) -> int:
    """Days between two days of the year, across the new year (0 to 183)."""
    gap = abs(a.timetuple().tm_yday - b.timetuple().tm_yday)
    return max(0, min(gap, 365 - gap))


def check_dates_known(names: Sequence[str], dates: Sequence[Optional[int]], pattern: str) -> List[Finding]:
    """A warning for each image of a pair whose acquisition date is unknown.

    Without both dates :func:`check_dates` can check neither the order of the pair nor its
    season, so a swapped or winter pair would pass unnoticed.

    Args:
        names: the inputs' GDAL dataset names, in date order.
        dates: their YYYYDDD (:func:`planaura_plugin.dates.input_dates`), None where not found.
        pattern: the date regular expression the names were searched with.
    Returns:
        warnings (``check="dates"``), one per undated image, each giving why its name gave no
        date (none matched, or what matched is not a date) and what to do; none for one image.
    """
    if len(names) < 2:
        return []
    out: List[Finding] = []
    for i, (name, date) in enumerate(zip(names, dates)):
        if date is not None:
            continue
        try:
            date_from_name(name, pattern)
            reason = _("no date in its metadata")
        except InputError as exc:
            reason = str(exc)
        # the parameter that gives this image's date in QGIS (the first image is the before one)
        parameter = _("Date of the before image") if i == 0 else _("Date of the after image")
        out.append(Finding(WARNING, "dates", _(
            "{name}: acquisition date unknown ({reason}); the order of the before and after images and their "
            "season are not checked. Give the date in the parameter '{parameter}' (advanced parameters of the "
            "algorithm), or a date pattern that finds it in the name (DATE_REGEX in QGIS, change_map.date_regex "
            "in a YAML)").format(name=name, reason=reason, parameter=parameter)))
    return out


def check_dates(before_date: Optional[int], after_date: Optional[int], names: Tuple[str, str],
                fingerprints: Optional[Tuple[str, str]] = None) -> List[Finding]:
    """Whether two dates make a pair the model can compare.

    Args:
        before_date, after_date: YYYYDDD (:mod:`planaura_plugin.dates`), or None when unknown
            (the date checks are then skipped).
        names: the before and after dataset names, for messages and to spot one file given twice.
        fingerprints: :func:`fingerprint` of the two datasets, to spot one image given twice
            under two names; None to compare names only.
    Returns:
        warnings (``check="dates"``), naming the files and the dates (YYYY-MM-DD): the same image
        twice; the after date earlier than the before date; a date outside June-September
        (Planaura's training season); dates more than 60 days of the year apart.
    """
    a, b = names
    out: List[Finding] = []
    if a == b or (fingerprints is not None and fingerprints[0] == fingerprints[1]):
        how = _("the same dataset") if a == b else _("two names for the same image (same content)")
        out.append(Finding(WARNING, "dates", _(
            "{before} and {after} are {how}: the change map would show no change anywhere; give two dates").format(
            before=a, after=b, how=how)))
    if before_date is None or after_date is None:
        return out
    d0, d1 = yyyyddd_to_date(before_date), yyyyddd_to_date(after_date)
    s0, s1 = format_date(before_date), format_date(after_date)
    if d1 < d0:
        out.append(Finding(WARNING, "dates", _(
            "the after image {after} ({after_date}) is older than the before image {before} ({before_date}); swap "
            "them, or the before/after date layers and the reading of the change are the wrong way round").format(
            after=b, after_date=s1, before=a, before_date=s0)))
    for name, d, s in ((a, d0, s0), (b, d1, s1)):
        if d.month not in SEASON_MONTHS:
            out.append(Finding(WARNING, "dates", _(
                "{name} was acquired on {date} ({month}); Planaura was trained on images of June to September: "
                "outside these months (snow, leaf-off, low sun) its change map is less reliable").format(
                name=name, date=s, month=_month(d.month))))
    gap = _doy_gap(d0, d1)
    if gap > MAX_DOY_GAP:
        out.append(Finding(WARNING, "dates", _(
            "{before} ({before_date}) and {after} ({after_date}) are {gap} days apart in the season (day of the "
            "year): seasonal change (phenology, snow) will show as change; prefer dates within {limit} days of "
            "the same season").format(before=a, before_date=s0, after=b, after_date=s1, gap=gap, limit=MAX_DOY_GAP)))
    return out
