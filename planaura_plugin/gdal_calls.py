"""GDAL, OSR and OGR calls that give the same result whatever the session's exceptions state.

The Python bindings report a failure in one of two ways, chosen for the whole process: with
exceptions off (QGIS 3.22, a plain Python) a call returns None or a non-zero error code and
logs the message through GDAL's error handler; with exceptions on (QGIS >= 3.40, whose
Processing plugin calls ``UseExceptions()`` for gdal, ogr and osr when it is imported) the
same call raises ``RuntimeError``. The plugin never switches that state (on GDAL 3.6 it cannot
always be switched back: ``DontUseExceptions()`` refuses while other modules' handlers are
stacked above its own), so every call whose failure matters goes through here:

- :func:`gdal_call` for a call that returns an object (None when it failed);
- :func:`gdal_status` for a call that returns an error code (``OGRErr`` or ``CPLErr``, 0 = success);
- :func:`spatial_reference` for an ``osr.SpatialReference`` from WKT or user input;
- :func:`gdal_messages` to collect GDAL's messages quietly around a block.

Each pushes a Python error handler for the call and pops it afterwards, so GDAL prints
nothing and the session's handlers and exceptions state are left as they were.
Never imports QGIS; GDAL is imported inside the functions.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator, List, Optional, Tuple

from .i18n import _

# the message lists of the open gdal_messages blocks of this thread (GDAL keeps error handlers per thread)
_active = threading.local()


@contextlib.contextmanager
def gdal_messages() -> Iterator[List[Tuple[int, str]]]:
    """Collect GDAL's (error class, message) pairs during the block, quietly.

    Pushes a Python error handler and pops it on exit; the exceptions state of the
    bindings (``GetUseExceptions()`` of gdal, osr and ogr) is neither read nor changed. With
    exceptions on, a failure may reach the caller as a ``RuntimeError`` instead of a message.
    Blocks nest: a message is added to the lists of every enclosing block of the thread.

    Returns:
        The list the messages are appended to (context manager value).
    """
    from osgeo import gdal

    messages: List[Tuple[int, str]] = []
    stack: List[List[Tuple[int, str]]] = getattr(_active, "stack", None) or []
    _active.stack = stack + [messages]
    collectors = _active.stack

    def handler(err_class: int, _err_no: int, message: str) -> None:
        for collected in collectors:
            collected.append((int(err_class), str(message)))

    gdal.PushErrorHandler(handler)
    try:
        yield messages
    finally:
        gdal.PopErrorHandler()
        _active.stack = stack


def _run(function: Callable[..., Any], args: Tuple[Any, ...], kwargs: Any) -> Tuple[Any, bool, str]:
    """(result, raised, last failure message) of one call under a quiet error handler."""
    from osgeo import gdal

    with gdal_messages() as messages:
        try:
            result, raised = function(*args, **kwargs), False
        except RuntimeError as exc:  # exceptions are on
            result, raised = None, True
            if (gdal.CE_Failure, str(exc)) not in messages:  # the handler may have had it already
                for collected in _active.stack:  # this block's and the enclosing ones'
                    collected.append((gdal.CE_Failure, str(exc)))
    if result is not None and getattr(result, "this", True) is None:
        result = None  # a proxy of nothing: osr.CoordinateTransformation's failure with exceptions off
    failures = [m.strip() for c, m in messages if c >= gdal.CE_Failure and m.strip()]
    return result, raised, (failures[-1] if failures else "")


def gdal_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Tuple[Any, str]:
    """``function(*args, **kwargs)`` for a binding that returns an object, under either state.

    Args:
        function: a GDAL/OSR/OGR binding or bound method (``gdal.OpenEx``, ``gdal.Translate``,
            ``gdal.Warp``, ``osr.CoordinateTransformation``, ``ds.ReadAsArray``...).
        *args: its positional arguments.
        **kwargs: its keyword arguments.

    Returns:
        (result, message): the result, None when GDAL failed (whether it raised, returned None
        or returned a proxy of nothing); GDAL's last failure message, '' when it gave none. A call that succeeds while
        GDAL logs a failure (exceptions off) keeps its result and gives the message too.
    """
    result, _raised, message = _run(function, args, kwargs)
    return result, message


def gdal_status(function: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """Run a binding that returns an error code (``OGRErr``/``CPLErr``, 0 = success), under either state.

    ``srs.ImportFromWkt``, ``srs.AutoIdentifyEPSG``, ``gdal.Polygonize``... return a non-zero
    code with exceptions off and raise ``RuntimeError`` with them on; both are a failure here.

    Args:
        function: the binding or bound method.
        *args: its positional arguments.
        **kwargs: its keyword arguments.

    Returns:
        '' on success, else the reason (GDAL's message, or the error code when it gave none).
    """
    result, raised, message = _run(function, args, kwargs)
    if not raised and (result is None or result == 0):
        return ""
    return message or _("GDAL error code {code}").format(code=result)


def spatial_reference(text: str, user_input: bool = False, gis_order: bool = True) -> Tuple[Optional[Any], str]:
    """An ``osr.SpatialReference`` read from WKT (or any user input), under either state.

    Args:
        text: a WKT; with ``user_input`` anything ``SetFromUserInput`` reads (``EPSG:3979``,
            a PROJ string, a WKT...).
        user_input: read ``text`` with ``SetFromUserInput`` instead of ``ImportFromWkt``.
        gis_order: x/y (easting/northing, longitude/latitude) axis order, as rasters use.

    Returns:
        (srs, '') or (None, the reason) when ``text`` is empty or OSR cannot read it.
    """
    from osgeo import osr

    text = str(text or "").strip()
    if not text:
        return None, _("no coordinate reference system given")
    srs = osr.SpatialReference()
    reason = gdal_status(srs.SetFromUserInput if user_input else srs.ImportFromWkt, text)
    if reason:
        return None, reason
    if gis_order:
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs, ""


def epsg_code(srs: Any) -> Optional[int]:
    """The EPSG code of ``srs`` when OSR identifies one (``AutoIdentifyEPSG``), else None.

    A CRS without an authority code (HLS's own UTM WKT, a custom projection) has none: OSR
    returns an error code with exceptions off and raises with them on; both give None, and
    ``srs`` keeps its definition either way.

    Args:
        srs: an ``osr.SpatialReference``.

    Returns:
        The code, or None.
    """
    gdal_status(srs.AutoIdentifyEPSG)
    code = srs.GetAuthorityCode(None)
    if not code or (srs.GetAuthorityName(None) or "").upper() != "EPSG":
        return None
    try:
        return int(code)
    except ValueError:
        return None


def band_min_max(band: Any, approximate: bool = False) -> Optional[Tuple[float, float]]:
    """(minimum, maximum) of a band's valid pixels (``ComputeRasterMinMax``), None when it has none.

    A band whose pixels are all nodata gives (nan, nan) with exceptions off and raises with
    them on; both are None here.

    Args:
        band: a ``gdal.Band``.
        approximate: let GDAL use overviews or a sample (faster, may miss extreme pixels).

    Returns:
        The limits in the band's units, or None.
    """
    import math

    limits, _reason = gdal_call(band.ComputeRasterMinMax, bool(approximate))
    if limits is None or not all(math.isfinite(v) for v in limits):
        return None
    return float(limits[0]), float(limits[1])
