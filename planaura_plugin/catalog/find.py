"""Find imagery: the scenes of a catalogue over an area and a date window, clearest over the area first."""
from __future__ import annotations

import datetime as _dt
from typing import List, Optional, Sequence, Tuple

from ..feedback import Feedback, ensure_feedback
from ..i18n import _
from .access import EARTHDATA_HOSTS, gdal_http
from .aoi_quality import Aoi, AoiCover
from .scenes import Scene
from .sources import Catalogue


def find_imagery(catalogue: Catalogue, aoi: Aoi, start: _dt.date, end: _dt.date, max_cloud: float = 1.0,
                 collections: Sequence[str] = (), token: Optional[str] = None, max_items: int = 200,
                 feedback: Optional[Feedback] = None) -> List[Tuple[Scene, AoiCover]]:
    """The scenes over ``aoi`` acquired from ``start`` to ``end``, with their cloud and valid share over
    the AOI (each quality asset read over the AOI window only), clearest first.

    Args:
        catalogue: where to search; aoi: the area; start, end: the date window (days, both included).
        max_cloud: the largest cloud share over the AOI kept (0-1); scenes without information over
            the AOI (valid share 0) are left out.
        collections: collections to search (() = the catalogue's); token: bearer token (Earthdata), or None.
        max_items: at most this many items are read from the search.

    Raises:
        CatalogError: the search or a quality asset fails (message: catalogue, item, what to do).
    """
    from .change_pair import rank_scenes
    from .search import search_scenes

    fb = ensure_feedback(feedback)
    with gdal_http(token=token, hosts=EARTHDATA_HOSTS if catalogue.earthdata else ()) as scope:
        fb.progress(0.0, _("searching {catalogue}").format(catalogue=catalogue.title))
        scenes = search_scenes(catalogue, aoi.wgs84(), start, end, collections=collections, token=token,
                               max_items=max_items)
        for scene in scenes:
            scope.allow(scene.quality)
        ranked = rank_scenes(scenes, aoi, catalogue.title, fb)
    kept = [(s, c) for s, c in ranked if c.valid > 0 and c.cloud <= max_cloud]
    fb.info(_("{n} scene(s) found, {k} with at most {cloud:.0%} cloud over the area").format(
        n=len(ranked), k=len(kept), cloud=max_cloud))
    if not ranked:
        fb.warning(_("{catalogue}: no scene covers the area from {start} to {end}; widen the dates, or check the "
                     "area and the collections").format(catalogue=catalogue.title, start=start.isoformat(),
                                                        end=end.isoformat()))
    elif not kept:
        fb.warning(_("{catalogue}: none of the {n} scene(s) from {start} to {end} has valid pixels and at most "
                     "{cloud:.0%} cloud over the area; raise the cloud limit or widen the dates").format(
                         catalogue=catalogue.title, n=len(ranked), start=start.isoformat(), end=end.isoformat(),
                         cloud=max_cloud))
    return kept
