"""The images of a series sorted by their acquisition dates, and the pairs compared.

A series is any number (two or more) of images of one place on one grid, in any input form the
change map takes. Their dates come from the same rule as the change map's (given, else the
product's metadata, else the file name: :func:`~..dates.input_dates`); they are sorted by date,
so the order the user gives them in does not matter. Pairs are either *consecutive*
(t[i-1], t[i]) or against a *reference* date (t[ref], t[i]) for every later date.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Literal, Optional, Sequence, Tuple

from ..dates import format_date, input_dates
from ..errors import InputError
from ..i18n import _
from ..presets import Preset

Pairing = Literal["consecutive", "reference"]
PAIRINGS: Tuple[Pairing, ...] = ("consecutive", "reference")
GRID_TOLERANCE = 1e-6  # fraction of a pixel two geotransforms may differ by and still be one grid


@dataclass(frozen=True)
class SeriesImage:
    """One image of the series.

    Attributes:
        path: the GDAL dataset name (or product) as the user gave it.
        date: its acquisition date, YYYYDDD.
        quality: a quality layer given for it (None = the one found with the image, as the change map does).
        bands: explicit 1-based band numbers B02..B12 (None = found by the change map).
        found_quality: a quality layer was found with the image (its product's, or ``fmask_<name>``
            beside it), used when quality layers are looked for.
    """

    path: str
    date: int
    quality: Optional[str] = None
    bands: Optional[Tuple[int, ...]] = None
    found_quality: bool = False

    def has_quality(self, find_quality: bool = True) -> bool:
        """Whether the change map will have a quality layer for this date."""
        return bool(self.quality) or (find_quality and self.found_quality)


@dataclass(frozen=True)
class SeriesPair:
    """Two images compared by one change map; ``after`` is the later one and dates the pair."""

    before: SeriesImage
    after: SeriesImage

    @property
    def pair_id(self) -> str:
        """``<before YYYYDDD>_<after YYYYDDD>``: the pair's name in files and the manifest."""
        return f"{self.before.date}_{self.after.date}"


def _at(values: Sequence, i: int):
    return values[i] if i < len(values) else None


def order_images(paths: Sequence[str], preset: Preset, dates: Sequence[Optional[int]] = (),
                 qualities: Sequence[Optional[str]] = (), bands: Sequence[Optional[Sequence[int]]] = (),
                 date_regex: Optional[str] = None) -> List[SeriesImage]:
    """The images of a series with their dates, sorted by date, checked to be on one grid.

    Args:
        paths: two or more GDAL dataset names or products, in any order.
        preset: the model preset (its band statistics to read the inputs, its date regex).
        dates: YYYYDDD given per path (same order; None or missing = from the product or the name).
        qualities: a quality layer per path (same order; None = found with the image).
        bands: explicit band numbers per path (same order; None = found).
        date_regex: the regular expression of dates in file names (None = the preset's).

    Returns:
        The images, earliest first.

    Raises:
        InputError: fewer than two images; an image that cannot be read or has no date; two images of
            the same date; images on different grids (the message names both files).
    """
    from ..inputs.sources import describe_input

    if len(paths) < 2:
        raise InputError(_("a series needs at least two images, got {n}").format(n=len(paths)))
    infos = [describe_input(str(p), preset, _at(bands, i)) for i, p in enumerate(paths)]
    found = input_dates([str(p) for p in paths], [info.date for info in infos], list(dates),
                        date_regex or preset.date_regex, strict=True)
    from ..raster.datasets import fmask_beside

    images = [SeriesImage(str(p), int(d or 0), _at(qualities, i),
                          None if _at(bands, i) is None else tuple(int(b) for b in _at(bands, i)),
                          found_quality=infos[i].quality is not None or fmask_beside(str(p)) is not None)
              for i, (p, d) in enumerate(zip(paths, found))]
    order = sorted(range(len(images)), key=lambda i: (images[i].date, images[i].path))
    for a, b in zip(order, order[1:]):
        if images[a].date == images[b].date:
            raise InputError(_("{first} and {second} have the same date {date}: a series has one image per date; "
                               "remove one of them or give their dates").format(
                first=images[a].path, second=images[b].path, date=format_date(images[a].date)))
    check_one_grid([infos[i] for i in order])
    return [images[i] for i in order]


def check_one_grid(infos: Sequence) -> None:
    """Refuse images whose pixels are not those of the first one (size, geotransform, CRS).

    Raises:
        InputError: names the image, what differs and what to do (warp it onto the first image's grid).
    """
    from ..raster.grids import same_crs

    first = infos[0]
    for info in infos[1:]:
        same_size = (info.width, info.height) == (first.width, first.height)
        pixel = max(abs(first.geotransform[1]), abs(first.geotransform[5]), 1e-12)
        same_gt = all(abs(a - b) <= GRID_TOLERANCE * pixel for a, b in zip(info.geotransform, first.geotransform))
        if not (same_size and same_gt and same_crs(first.projection, info.projection, first.geotransform,
                                                   first.width, first.height)):
            raise InputError(_("{name} is not on the grid of {first} ({width} x {height} px, origin {origin}, "
                               "pixel {pixel}): every image of a series must have the same pixels; warp it onto "
                               "that grid first (gdalwarp, or Raster > Align rasters in QGIS)").format(
                name=info.name, first=first.name, width=first.width, height=first.height,
                origin=f"({first.geotransform[0]:.15g}, {first.geotransform[3]:.15g})",
                pixel=f"{first.geotransform[1]:.15g} x {abs(first.geotransform[5]):.15g}"))


def series_pairs(images: Sequence[SeriesImage], pairing: Pairing = "consecutive",
                 reference_date: Optional[int] = None) -> List[SeriesPair]:
    """The pairs compared, in the order of their after dates.

    Args:
        images: the series, earliest first (:func:`order_images`).
        pairing: ``consecutive``: (t[i-1], t[i]) for i = 1..n-1, each change seen once, at the date it
            happens; ``reference``: (t[ref], t[i]) for every date after the reference, a lasting change
            seen in every pair from its date on.
        reference_date: YYYYDDD of the reference image (``reference`` only; None = the earliest image).
            It must be one of the series' dates; images before it take no part.

    Raises:
        InputError: an unknown pairing, or a reference date that is no image's.
    """
    if pairing not in PAIRINGS:
        raise InputError(_("unknown pairing {pairing}: choose one of {choices}").format(
            pairing=repr(pairing), choices=", ".join(PAIRINGS)))
    if pairing == "consecutive":
        return [SeriesPair(a, b) for a, b in zip(images, images[1:])]
    ref = 0
    if reference_date is not None:
        dates = [im.date for im in images]
        if int(reference_date) not in dates:
            raise InputError(_("the reference date {date} is not the date of an image of the series ({dates})").format(
                date=format_date(int(reference_date)), dates=", ".join(format_date(d) for d in dates)))
        ref = dates.index(int(reference_date))
    if ref == len(images) - 1:
        raise InputError(_("the reference date {date} is the last date of the series: no image comes after "
                           "it").format(date=format_date(images[ref].date)))
    return [SeriesPair(images[ref], im) for im in images[ref + 1:]]


def pairs_without_quality(pairs: Sequence[SeriesPair], find_quality: bool = True) -> List[SeriesPair]:
    """The pairs neither of whose dates has a quality layer: their quality is 'no information' (255)
    everywhere, so they observe nothing unless dates without a quality layer count as clear."""
    return [p for p in pairs if not p.before.has_quality(find_quality) and not p.after.has_quality(find_quality)]


def check_quality(pairs: Sequence[SeriesPair], find_quality: bool, missing_clear: bool) -> List[str]:
    """Refuse a series whose pairs would observe nothing; warnings (lines) for the pairs that observe nothing.

    Raises:
        InputError: no pair has a quality layer on either date and dates without one are not counted as
            clear: every pixel would be unobserved. The message says what to do.
    """
    if missing_clear:
        return []
    blind = pairs_without_quality(pairs, find_quality)
    if blind and len(blind) == len(pairs):
        raise InputError(_("no image of the series has a quality layer (Fmask, SCL or fmask_<image name>): every "
                           "pair's quality would be 'no information' and no pixel would be observed; give the "
                           "quality layers, or count dates without a quality layer as clear"))
    return [_("the pair {pair} has no quality layer on either date: it observes no pixel and takes no part in the "
              "series").format(pair=p.pair_id) for p in blind]
