"""A STAC item's URL, or a one-band layer of a catalogue's COG (as QGIS's STAC browser loads an asset:
``/vsicurl/https://...``), taken as a whole date: the item's six bands and quality asset are stacked.

An item URL (``https://.../collections/<c>/items/<id>``, or an item's ``.json``) is read as the item
(an image path of the change map, a row of the upstream runner's CSV).

HLS band files need nothing here (their names say the granule; :mod:`..inputs.hls` finds the
siblings beside them, ``/vsicurl/`` included). Other items are found as the STAC item JSON stored
beside the assets, named after the folder (``.../S2A_15SXR_20220902_0_L2A/B04.tif`` ->
``.../S2A_15SXR_20220902_0_L2A/S2A_15SXR_20220902_0_L2A.json``, the layout of Earth Search's COG
bucket); the item must list the layer's file among its assets.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from ..i18n import _
from ..inputs import DistributedProduct
from ..inputs.products import register_adapter

_PREFIX = "/vsicurl/"


def _read_text(name: str) -> Optional[str]:
    """A small remote file's text through GDAL's ``/vsicurl/`` (its HTTP options and credentials), or None."""
    from osgeo import gdal

    from ..gdal_calls import gdal_call, gdal_messages

    with gdal_messages():
        stat, _reason = gdal_call(gdal.VSIStatL, name)
        if stat is None or stat.size > 4 * 2 ** 20:
            return None
        handle, _reason = gdal_call(gdal.VSIFOpenL, name, "rb")
        if handle is None:
            return None
        try:
            data = gdal.VSIFReadL(1, stat.size, handle)
        finally:
            gdal.VSIFCloseL(handle)
    return bytes(data).decode("utf-8", "replace") if data else None


def item_beside(name: str) -> Optional[Any]:
    """The STAC item (``pystac.Item``) stored beside a ``/vsicurl/`` asset that lists it, or None."""
    url = name[len(_PREFIX):] if name.startswith(_PREFIX) else name
    if not url.startswith(("http://", "https://")):
        return None
    folder = url.split("?")[0].rsplit("/", 1)[0]
    text = _read_text(f"{_PREFIX}{folder}/{folder.rsplit('/', 1)[-1]}.json")
    if not text:
        return None
    try:
        import pystac

        item = pystac.Item.from_dict(json.loads(text))
    except Exception:  # noqa: BLE001 - not an item (or pystac missing): the layer stays a plain raster
        return None
    hrefs = {(a.get_absolute_href() or a.href).split("?")[0] for a in item.assets.values()}
    return item if url.split("?")[0] in hrefs else None


def item_at(name: str) -> Optional[Any]:
    """The STAC item an URL designates itself (``.../collections/<c>/items/<id>`` of a STAC API, or an item's
    ``.json``), or None."""
    url = name[len(_PREFIX):] if name.startswith(_PREFIX) else name
    path = url.split("?")[0]
    if not url.startswith(("http://", "https://")) or not ("/items/" in path or path.endswith(".json")):
        return None
    text = _read_text(f"{_PREFIX}{url}")
    try:
        import pystac

        data = json.loads(text or "")
        return pystac.Item.from_dict(data) if data.get("type") == "Feature" else None
    except Exception:  # noqa: BLE001 - not an item (or pystac missing)
        return None


def catalog_layer_product(name: str) -> Optional[DistributedProduct]:
    """The date a STAC item URL or a one-band ``/vsicurl/`` asset layer of an item designates, as a product
    of six bands, or None.

    Raises:
        CatalogError: the item is found but its assets cannot be read (401, 403, 404, offline).
    """
    if not name.startswith((_PREFIX, "http://", "https://")):
        return None
    item = item_at(name) or item_beside(name)
    if item is None:
        return None
    from .assemble import scene_quality, scene_vrt_xml
    from .scenes import scene_from_item

    scene = scene_from_item(item, item.id)
    return DistributedProduct(
        label=name, dataset=scene_vrt_xml(scene, item.id), bands=tuple(range(1, 7)), quality=scene_quality(scene),
        date=scene.date, kind="STAC item",
        notes=(_("{name}: the other bands and the quality layer of STAC item {item} are used with it").format(
            name=name, item=item.id),),
        radiometry=scene.evidence)


register_adapter(catalog_layer_product)  # inputs/ is below this package: it is told, never imports it
