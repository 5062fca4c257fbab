"""Reaching a catalogue's data: credentials, GDAL's HTTP options for one run, and failure messages.

- LP DAAC (HLS) data needs an Earthdata login: a token (``Authorization: Bearer``, sent by GDAL
  only to the URLs of that catalogue's assets through a path-specific option) or the user's
  ``~/.netrc`` (GDAL's ``GDAL_HTTP_NETRC``, with a cookie file for the login redirects).
- Planetary Computer asset URLs are signed with a SAS token from its documented token endpoint
  (``https://planetarycomputer.microsoft.com/api/sas/v1/token/<collection>``: JSON with ``token``
  and ``msft:expiry``), appended as the URL's query.
- GDAL's HTTP retries, timeout and ``/vsicurl/`` cache are set by :func:`gdal_http` for the run
  only and restored after.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

from ..i18n import _
from .errors import CatalogError

#: where an Earthdata token may be sent
EARTHDATA_HOSTS = (".earthdata.nasa.gov", ".earthdatacloud.nasa.gov")

PC_TOKEN_URL = "https://planetarycomputer.microsoft.com/api/sas/v1/token/{collection}"

#: GDAL options of a catalogue run: retries on 429/5xx, a timeout, a larger block cache of /vsicurl/
#: and no directory listing of the servers (one request less per file)
RUN_OPTIONS: Dict[str, str] = {
    "GDAL_HTTP_MAX_RETRY": "3",
    "GDAL_HTTP_RETRY_DELAY": "1",
    "GDAL_HTTP_TIMEOUT": "60",
    "GDAL_HTTP_CONNECTTIMEOUT": "15",
    "CPL_VSIL_CURL_CACHE_SIZE": str(64 * 1024 * 1024),
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_HTTP_MULTIRANGE": "YES",
}


def bearer_headers(token: Optional[str]) -> Dict[str, str]:
    """``{"Authorization": "Bearer <token>"}``, or {} without a token."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def earthdata_token(given: Optional[str] = None) -> Optional[str]:
    """The Earthdata token: the one given, else ``$EARTHDATA_TOKEN``, else None (``~/.netrc`` is then used)."""
    return given or os.environ.get("EARTHDATA_TOKEN") or None


class TokenScope:
    """Sends the run's bearer token with GDAL's requests to the asset URLs allowed one by one.

    The header is set as a path-specific option of each allowed server and, because GDAL 3.6 reads
    ``GDAL_HTTP_HEADERS`` for ``/vsicurl/`` only from the configuration, also for the run (restored by
    :func:`gdal_http`): the run reads only the chosen items' assets, whose servers passed ``hosts``.
    """

    def __init__(self, token: Optional[str], hosts: Sequence[str] = ()) -> None:
        self.token, self.hosts = token, tuple(hosts)
        self.paths: List[str] = []

    def allow(self, url: str) -> None:
        """Send the token with GDAL's requests to ``url``'s server (only to ``hosts`` when they are given)."""
        from osgeo import gdal

        prefix = url_prefix(url)
        host = urllib.parse.urlsplit(prefix).hostname or ""
        if not self.token or (self.hosts and not host.endswith(self.hosts)):
            return
        path = f"/vsicurl/{prefix}"
        if path not in self.paths:
            header = f"Authorization: Bearer {self.token}"
            gdal.SetPathSpecificOption(path, "GDAL_HTTP_HEADERS", header)
            gdal.SetConfigOption("GDAL_HTTP_HEADERS", header)
            self.paths.append(path)

    def clear(self) -> None:
        from osgeo import gdal

        for path in self.paths:
            gdal.ClearPathSpecificOptions(path)
        self.paths = []


@contextlib.contextmanager
def gdal_http(token: Optional[str] = None, hosts: Sequence[str] = (),
              options: Mapping[str, str] = RUN_OPTIONS) -> Iterator[TokenScope]:
    """GDAL's HTTP options set for the body of the ``with`` only, then restored as they were.

    Args:
        token: the bearer token, sent only to the servers the yielded :class:`TokenScope` allows;
            None: ``~/.netrc`` is allowed instead, with a temporary cookie file for login redirects.
        hosts: host name endings the token may go to (e.g. NASA's for an Earthdata token); () = any allowed.
        options: global GDAL options of the run (:data:`RUN_OPTIONS`).
    """
    from osgeo import gdal

    with tempfile.TemporaryDirectory(prefix="planaura-http-") as tmp:
        # GDAL_HTTP_HEADERS: restored after, set by TokenScope.allow
        wanted: Dict[str, Optional[str]] = dict(options, GDAL_HTTP_HEADERS=None)
        if not token:
            cookies = os.path.join(tmp, "cookies.txt")
            wanted.update(GDAL_HTTP_NETRC="YES", GDAL_HTTP_COOKIEFILE=cookies, GDAL_HTTP_COOKIEJAR=cookies)
        before = {key: gdal.GetConfigOption(key) for key in wanted}
        for key, value in wanted.items():
            if value is not None:
                gdal.SetConfigOption(key, value)
        scope = TokenScope(token, hosts)
        try:
            yield scope
        finally:
            scope.clear()
            for key, value in before.items():
                gdal.SetConfigOption(key, value)
            gdal.VSICurlClearCache()  # a failure (401 ...) is cached per URL: the next run asks again


def pc_sign(href: str, token: str) -> str:
    """A Planetary Computer asset URL with its SAS token as the query (an URL already signed is kept)."""
    parts = urllib.parse.urlsplit(href)
    if "sig=" in parts.query:
        return href
    query = f"{parts.query}&{token}" if parts.query else token
    return urllib.parse.urlunsplit(parts._replace(query=query))


def pc_token(collection: str, opener=urllib.request.urlopen) -> str:
    """The SAS token of a Planetary Computer collection, from its token endpoint.

    Raises:
        CatalogError: the endpoint cannot be reached or answers without a token.
    """
    url = PC_TOKEN_URL.format(collection=collection)
    try:
        with opener(url, timeout=30) as answer:
            body = json.loads(answer.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(_("the Planetary Computer token for {collection} could not be obtained from {url}: "
                             "{reason}; check the connection and try again").format(
                                 collection=collection, url=url, reason=exc)) from None
    token = body.get("token") if isinstance(body, dict) else None
    if not token:
        raise CatalogError(_("the Planetary Computer token endpoint {url} answered without a token").format(url=url))
    return str(token)


_HTTP_CODE = re.compile(r"HTTP (?:response code|error code)\s*:?\s*(\d{3})", re.IGNORECASE)
_OFFLINE = ("couldn't connect", "could not resolve", "failed to connect", "timed out", "connection refused",
            "network is unreachable")


def http_status(message: str) -> Optional[int]:
    """The HTTP status in a GDAL or HTTP error message (``HTTP response code: 401``), or None."""
    found = _HTTP_CODE.search(message or "")
    return int(found.group(1)) if found else None


def failure_message(catalogue: str, item: str, url: str, reason: str) -> str:
    """What to tell the user when an item's data cannot be read: which catalogue, which item, what to do.

    Args:
        catalogue: the catalogue's title; item: the item id; url: what was asked;
        reason: GDAL's or the HTTP library's message (its status code or connection error decides).
    """
    status = http_status(reason)
    if status == 401:
        return _("{catalogue}: item {item}: the server asks for a login (HTTP 401) for {url}; give an Earthdata "
                 "token (or set EARTHDATA_TOKEN), or put your Earthdata login in ~/.netrc").format(
                     catalogue=catalogue, item=item, url=url)
    if status == 403:
        return _("{catalogue}: item {item}: access refused (HTTP 403) to {url}; the login or token is not allowed "
                 "this data, or a signed URL has expired: accept the data's licence in your account, renew the "
                 "token and run again").format(catalogue=catalogue, item=item, url=url)
    if status == 404:
        return _("{catalogue}: item {item}: {url} does not exist (HTTP 404); the item may have been reprocessed or "
                 "removed: search again").format(catalogue=catalogue, item=item, url=url)
    if any(text in (reason or "").lower() for text in _OFFLINE):
        return _("{catalogue}: item {item}: the server of {url} cannot be reached ({reason}); check the internet "
                 "connection or proxy, then run again").format(catalogue=catalogue, item=item, url=url,
                                                               reason=reason)
    return _("{catalogue}: item {item}: {url} cannot be read: {reason}").format(
        catalogue=catalogue, item=item, url=url, reason=reason)


def vsicurl(url: str) -> str:
    """The GDAL name of an URL (``/vsicurl/https://...``), which GDAL's path-specific options match;
    a GDAL name or local path is kept."""
    return f"/vsicurl/{url}" if url.startswith(("http://", "https://")) else url


def open_remote(url: str, catalogue: str, item: str) -> Any:
    """Open an asset read-only through ``/vsicurl/``, or raise the message its failure calls for.

    Raises:
        CatalogError: GDAL cannot open it (:func:`failure_message`: 401, 403, 404, offline ...).
    """
    from osgeo import gdal

    from ..gdal_calls import gdal_call, gdal_messages

    with gdal_messages() as messages:  # HTTP errors come as messages; their text holds the status
        ds, reason = gdal_call(gdal.OpenEx, vsicurl(url), gdal.OF_RASTER | gdal.OF_READONLY | gdal.OF_VERBOSE_ERROR)
    if ds is None:
        said = [m for c, m in messages if c >= gdal.CE_Warning and m] + ([reason] if reason else [])
        coded = [m for m in said if http_status(m) or any(t in m.lower() for t in _OFFLINE)]
        raise CatalogError(failure_message(catalogue, item, url, (coded or said or [_("not a raster")])[0]))
    return ds


def url_prefix(href: str) -> str:
    """``scheme://host/`` of an URL: where a catalogue's token is sent."""
    parts = urllib.parse.urlsplit(href)
    return f"{parts.scheme}://{parts.netloc}/"
