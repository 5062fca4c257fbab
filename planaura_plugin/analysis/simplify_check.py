"""The change polygons' simplification tolerance, checked against the pixel size in the CRS's unit.

The tolerance is a distance in the unit of the change map's CRS (like the mosaic's resolution,
checked by :func:`planaura_plugin.raster.mosaic_grid.check_resolution`). Metres typed for a map
in degrees (30 meaning 30 m, i.e. 30 degrees) turn every patch into a box or nothing: a tolerance
of more than :data:`MAX_PIXELS` pixels is refused, one of more than :data:`WARN_PIXELS` pixels
is warned about; both messages give the pixel size in the CRS's unit and, when that unit is not
the ground metre, the tolerance read as metres converted into it.
"""
from __future__ import annotations

import math

from ..errors import InputError
from ..feedback import Feedback
from ..i18n import _
from .areas import AreaMeter

MAX_PIXELS = 100.0  # a tolerance larger than this many pixels is refused
WARN_PIXELS = 10.0  # and one larger than this many pixels is warned about


def crs_unit_name(projection: str) -> str:
    """The unit of a CRS's axes (``metre``, ``degree``, ``US survey foot``), ``map unit`` without CRS."""
    if not projection:
        return _("map unit")
    from osgeo import osr

    from ..raster.mosaic_grid import crs_unit

    srs = osr.SpatialReference()
    srs.ImportFromWkt(projection)
    return crs_unit(srs)


def check_simplify(simplify: float, projection: str, meter: AreaMeter, path: str, fb: Feedback) -> None:
    """Refuse a tolerance of more than MAX_PIXELS pixels, warn above WARN_PIXELS pixels.

    Args:
        simplify: the tolerance, in the unit of the map's CRS (0 = no simplification).
        projection: the map's CRS (WKT, '' without CRS).
        meter: the :class:`.areas.AreaMeter` of the analysed window (its pixel size on the ground).
        path: the change map, for the messages.
        fb: receives the warning.

    Raises:
        InputError: a tolerance of more than MAX_PIXELS pixels: the message gives the pixel size in
            the CRS's unit, the tolerance in metres converted into that unit, and what to give.
    """
    if simplify <= 0:
        return
    gt = meter.gt
    pixel = max(math.hypot(gt[1], gt[4]), math.hypot(gt[2], gt[5]))
    factor = simplify / pixel if pixel > 0 else math.inf
    if factor <= WARN_PIXELS:
        return
    unit = crs_unit_name(projection)
    values = {"simplify": simplify, "path": path, "factor": factor, "pixel": pixel, "unit": unit,
              "few": 3 * pixel}
    advice = _("give a tolerance of one to a few pixels ({pixel:.3g} to {few:.3g} {unit}), or 0 for none").format(
        **values)
    unit_m = 1.0
    if meter.kind == "ellipsoid":
        row = meter.height // 2
        side_m = float(math.sqrt(meter.strip_m2(row, 1)[0, meter.width // 2]))
        unit_m = side_m / math.sqrt(abs(gt[1] * gt[5] - gt[2] * gt[4]))  # ground metres per CRS unit here
        values["converted"] = simplify / unit_m
    if abs(unit_m - 1.0) > 0.01:  # degrees, feet, Mercator's stretched metres
        advice = _("{simplify:g} metres would be about {converted:.4g} {unit} here; ").format(**values) + advice
    message = _("the simplification tolerance {simplify:g} is {factor:.0f} times the pixel size of {path} "
                "({pixel:.3g} {unit}); the tolerance is in the unit of the map's CRS, the {unit}: ").format(**values)
    if factor > MAX_PIXELS:
        raise InputError(message + _("patches would become boxes or vanish; ") + advice)
    fb.warning(message + _("patches smaller than about {factor:.0f} pixels across would lose their shape; ")
               .format(**values) + advice)
