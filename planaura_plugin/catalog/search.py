"""Searching a STAC API (pystac-client) for the scenes over an area and a date window.

Cloud is not asked of the server: NASA's CMR-STAC ignores ``eo:cloud_cover`` queries for HLS
(nasa/cmr-stac#239), and a scene's cover says nothing about the area of interest. Cloud over the
area is measured on the client (:mod:`.aoi_quality`).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, List, Optional, Sequence, Tuple

from ..errors import MissingDependencyError
from ..i18n import _
from .errors import CatalogError
from .access import bearer_headers, pc_sign, pc_token
from .scenes import Scene, scene_from_item
from .search_failures import search_failure_message
from .sources import Catalogue

BBoxWgs84 = Tuple[float, float, float, float]  # west, south, east, north (degrees)


def open_client(catalogue: Catalogue, token: Optional[str] = None) -> Any:
    """The ``pystac_client.Client`` of a catalogue (its landing page read).

    Raises:
        MissingDependencyError: pystac-client is not installed.
        CatalogError: the API cannot be reached or refuses (message: which catalogue, what to do).
    """
    try:
        from pystac_client import Client
    except ImportError:
        raise MissingDependencyError(_("searching a catalogue needs the Python package pystac-client: install the "
                                       "plugin's dependencies")) from None
    try:
        return Client.open(catalogue.url, headers=bearer_headers(token))
    except Exception as exc:  # noqa: BLE001 - pystac-client raises APIError, requests' or pystac's errors
        raise CatalogError(search_failure_message(catalogue.title, catalogue.url, _reason(exc))) from None


def search_scenes(catalogue: Catalogue, bbox: BBoxWgs84, start: _dt.date, end: _dt.date,
                  collections: Sequence[str] = (), ids: Sequence[str] = (), token: Optional[str] = None,
                  max_items: int = 200, signer: Optional[Callable[[str], str]] = None) -> List[Scene]:
    """The scenes of a catalogue over ``bbox`` acquired from ``start`` to ``end`` (both included), by date.

    Args:
        catalogue: where to search (:func:`.sources.catalogue_for`).
        bbox: the area of interest in WGS 84 degrees.
        start, end: the date window (UTC days).
        collections: collections to search; () = the catalogue's own (all when it names none).
        ids: item ids to take (the window and area still apply); () = any.
        token: bearer token sent to the API (e.g. an Earthdata token), or None.
        max_items: at most this many items are read.
        signer: signs asset URLs (Planetary Computer); None = the catalogue's own signing.

    Returns:
        Scenes with every asset the pipeline needs, oldest first; items without them are left out.

    Raises:
        CatalogError: the search fails (offline, 401, 403, 404 ...).
    """
    client = open_client(catalogue, token)
    wanted = list(collections or catalogue.collections) or None
    window = f"{start.isoformat()}T00:00:00Z/{end.isoformat()}T23:59:59Z"
    try:
        found = client.search(collections=wanted, bbox=list(bbox), datetime=window, ids=list(ids) or None,
                              max_items=max_items)
        items = list(found.items())
    except Exception as exc:  # noqa: BLE001 - see open_client
        raise CatalogError(search_failure_message(catalogue.title, catalogue.url, _reason(exc))) from None
    sign = signer or _signer(catalogue)
    scenes = []
    for item in items:
        try:
            scenes.append(scene_from_item(item, catalogue.title, sign=sign))
        except CatalogError:
            continue  # not an item of imagery the model reads (e.g. another product in the collection)
    return sorted(scenes, key=lambda s: (s.datetime, s.item_id))


def _signer(catalogue: Catalogue) -> Optional[Callable[[str], str]]:
    """Planetary Computer signing with one token per collection, fetched when first needed."""
    if catalogue.signing != "planetary-computer":
        return None
    tokens: dict = {}

    def sign(href: str) -> str:
        collection = catalogue.collections[0] if catalogue.collections else "sentinel-2-l2a"
        if collection not in tokens:
            tokens[collection] = pc_token(collection)
        return pc_sign(href, tokens[collection])
    return sign


def _reason(exc: BaseException) -> str:
    """An error's text, with ``HTTP response code: <n>`` first when it carries a status (pystac-client's APIError)."""
    status = getattr(exc, "status_code", None)
    text = str(exc) or type(exc).__name__
    return f"HTTP response code: {status}; {text}" if status else text
