"""How far an area of interest lies from a raster, for the message that refuses it.

Bounds are ``(xmin, ymin, xmax, ymax)`` in one CRS; the gap is the shortest distance between the
two rectangles (0 when they touch or overlap), in the CRS's units.
"""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

from ..i18n import _


def bounds_gap(a: Sequence[float], b: Sequence[float]) -> float:
    """The shortest distance between rectangles ``a`` and ``b`` (0 when they meet), in their CRS units."""
    ax0, ay0, ax1, ay1 = (float(v) for v in a)
    bx0, by0, bx1, by1 = (float(v) for v in b)
    dx = max(0.0, min(ax0, ax1) - max(bx0, bx1), min(bx0, bx1) - max(ax0, ax1))
    dy = max(0.0, min(ay0, ay1) - max(by0, by1), min(by0, by1) - max(ay0, ay1))
    return math.hypot(dx, dy)


def format_gap(distance: float, srs: Optional[Any] = None) -> str:
    """``584 km`` / ``950 m`` in a projected CRS with metres, ``12.5°`` in a geographic one, else the
    number with the CRS's unit name (``1200 US survey foot``) or none."""
    if srs is not None and srs.IsGeographic():
        return f"{distance:.3g}°"
    unit = (srs.GetLinearUnitsName() if srs is not None else "") or ""
    factor = srs.GetLinearUnits() if srs is not None else 0.0
    if unit.lower() in ("metre", "meter", "m") or math.isclose(factor, 1.0):
        return f"{distance / 1000:.4g} km" if distance >= 1000 else f"{distance:.3g} m"
    return f"{distance:.4g} {unit}".strip()


def far_away_note(aoi: Sequence[float], image: Sequence[float], srs: Optional[Any] = None) -> str:
    """'; the area of interest is 584 km from the image' for a refusal message (translated); '' when
    they meet."""
    distance = bounds_gap(aoi, image)
    if distance <= 0:
        return ""
    return "; " + _("the area of interest is {distance} from the image").format(distance=format_gap(distance, srs))
