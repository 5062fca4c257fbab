"""What to tell the user when a STAC API's landing page or search fails (no item is involved yet).

The item messages of :func:`.access.failure_message` do not fit here: a 404 on the search means a wrong
catalogue URL (or a collection the API does not have), not an item that was reprocessed.
"""
from __future__ import annotations

from ..i18n import _
from .access import http_status

_OFFLINE = ("couldn't connect", "could not resolve", "failed to connect", "timed out", "connection refused",
            "network is unreachable", "max retries exceeded", "name or service not known")


def search_failure_message(catalogue: str, url: str, reason: str) -> str:
    """The message of a failed search of the STAC API ``url``: which catalogue, what was found, what to do.

    Args:
        catalogue: the catalogue's title; url: the STAC API's URL;
        reason: the HTTP library's or pystac-client's message (its status code or connection error decides).
    """
    status = http_status(reason)
    if status == 404:
        return _("{catalogue}: {url} does not exist (HTTP 404): it is not the address of a STAC API, or the API "
                 "has no such collection; check the catalogue URL (the API's landing page) and the "
                 "collections").format(catalogue=catalogue, url=url)
    if status in (401, 403):
        return _("{catalogue}: the STAC API {url} refuses the search (HTTP {status}); give a token the API accepts "
                 "(e.g. an Earthdata token), then search again").format(catalogue=catalogue, url=url, status=status)
    if any(text in (reason or "").lower() for text in _OFFLINE):
        return _("{catalogue}: the STAC API {url} cannot be reached ({reason}); check the URL, the internet "
                 "connection or proxy, then run again").format(catalogue=catalogue, url=url, reason=reason)
    return _("{catalogue}: the search of the STAC API {url} failed: {reason}; check the URL and the "
             "collections").format(catalogue=catalogue, url=url, reason=reason)
