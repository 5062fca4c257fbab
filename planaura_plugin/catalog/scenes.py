"""One STAC item as the change map needs it: six band URLs, the quality URL, the date, the radiometry.

The radiometric conversion is the item's own declaration, strongest first:

1. ``raster:bands`` ``scale`` / ``offset`` of the band assets (value = raw x scale + offset), as
   Earth Search writes them (``0.0001`` and ``-0.1`` for baseline >= 04.00 data);
2. else ``s2:processing_baseline`` >= 04.00 without ``earthsearch:boa_offset_applied``: the L2A
   offset (DN - 1000 = reflectance x 10000), as Planetary Computer's items need;
3. else none (HLS: reflectance x 10000 as stored).

The result becomes the VRT bands' GDAL scale/offset (:mod:`.assemble`), which the ordinary scale
check (:func:`planaura_plugin.inputs.checks.check_scale`) then follows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from ..i18n import _
from .errors import CatalogError
from .sources import AssetNames, asset_names

S2_OFFSET = -1000.0  # Sentinel-2 L2A baseline >= 04.00: BOA_ADD_OFFSET in DN


@dataclass(frozen=True)
class Scene:
    """A catalogue item made ready for the pipeline.

    Attributes:
        item_id, collection: the item's id and collection id.
        date: acquisition date YYYYDDD (UTC); datetime: the item's datetime (ISO 8601).
        sensor: platform (``sentinel-2a``, ``landsat-8`` ...) or the kind of item (``HLS S30``).
        tile: MGRS tile (``15SXR``) or "".
        scene_cloud: the item's ``eo:cloud_cover`` (percent of the whole scene), or None.
        bands: the six band asset URLs, model order (B02, B03, B04, B8A, B11, B12).
        quality: the Fmask / SCL asset URL; quality_kind: ``fmask_bitwise`` or ``scl``.
        affine: per band (scale, offset): value = raw x scale + offset (see the module).
        evidence: what declared ``affine``, for the log.
        geometry: the item's footprint (GeoJSON geometry, WGS 84).
        self_href: the item's own URL, or "".
    """

    item_id: str
    collection: str
    date: int
    datetime: str
    sensor: str
    tile: str
    scene_cloud: Optional[float]
    bands: Tuple[str, ...]
    quality: str
    quality_kind: str
    affine: Tuple[Tuple[float, float], ...]
    evidence: str
    geometry: Dict[str, Any]
    self_href: str = ""


def scene_from_item(item: Any, catalogue: str, sign=None) -> Scene:
    """The :class:`Scene` of a ``pystac.Item``.

    Args:
        item: the item; catalogue: the catalogue's title, for messages.
        sign: a function signing an asset URL (Planetary Computer), or None.

    Raises:
        CatalogError: the item has none of the known asset namings (six bands and a quality asset).
    """
    names = asset_names(item.id, item.collection_id, item.assets)
    if names is None:
        raise CatalogError(_("{catalogue}: item {item} has no known assets for the six model bands and their quality "
                             "layer (found: {assets}); choose HLS or Sentinel-2 L2A items").format(
                                 catalogue=catalogue, item=item.id, assets=", ".join(sorted(item.assets))))

    def href(key: str) -> str:
        url = item.assets[key].get_absolute_href() or item.assets[key].href
        return sign(url) if sign else url

    affine, evidence = _item_radiometry(item, names)
    props = item.properties
    when = item.datetime or item.common_metadata.start_datetime
    cloud = props.get("eo:cloud_cover")
    return Scene(item_id=item.id, collection=item.collection_id or "", date=int(when.strftime("%Y%j")),
                 datetime=when.isoformat(), sensor=str(props.get("platform") or names.kind),
                 tile=_tile(item.id, props), scene_cloud=None if cloud is None else float(cloud),
                 bands=tuple(href(k) for k in names.bands), quality=href(names.quality),
                 quality_kind=names.quality_kind, affine=affine, evidence=evidence, geometry=item.geometry or {},
                 self_href=item.get_self_href() or "")


def _item_radiometry(item: Any, names: AssetNames) -> Tuple[Tuple[Tuple[float, float], ...], str]:
    """Per band (scale, offset) the item declares, and the evidence (see the module)."""
    declared = []
    for key in names.bands:
        bands = item.assets[key].extra_fields.get("raster:bands") or [{}]
        first = bands[0] if isinstance(bands[0], dict) else {}
        declared.append((first.get("scale"), first.get("offset")))
    if any(s is not None or o is not None for s, o in declared):
        affine = tuple((1.0 if s is None else float(s), 0.0 if o is None else float(o)) for s, o in declared)
        return affine, _("the item's raster:bands scale and offset")
    props = item.properties
    baseline = props.get("s2:processing_baseline")
    applied = bool(props.get("earthsearch:boa_offset_applied", False))
    try:
        newer = baseline is not None and float(baseline) >= 4.0
    except ValueError:
        newer = False
    if newer and not applied:
        return ((1.0, S2_OFFSET),) * 6, _("the item's s2:processing_baseline {baseline} (offset -1000)").format(
            baseline=baseline)
    return ((1.0, 0.0),) * 6, _("the item (no offset declared)")


_HLS_TILE = re.compile(r"\.T(\d{2}[A-Z]{3})\.")


def _tile(item_id: str, props: Dict[str, Any]) -> str:
    """The MGRS tile from the item's properties (Earth Search ``mgrs:*``, Planetary Computer ``s2:mgrs_tile``)
    or its HLS id."""
    if props.get("mgrs:grid_square"):
        return f"{props.get('mgrs:utm_zone', '')}{props.get('mgrs:latitude_band', '')}{props['mgrs:grid_square']}"
    if props.get("s2:mgrs_tile"):
        return str(props["s2:mgrs_tile"])
    found = _HLS_TILE.search(item_id)
    return found.group(1) if found else ""
