"""Imagery found in STAC catalogues and read where it lies (``/vsicurl/``), never downloaded whole.

Never imports QGIS. Modules, one concept each:

- :mod:`.sources`: the catalogues we know (NASA CMR-STAC ``LPCLOUD`` HLS, Earth Search v1 and
  Planetary Computer Sentinel-2 L2A, any STAC API URL) and their asset names per model band;
- :mod:`.access`: credentials (Earthdata token or ``~/.netrc``, Planetary Computer signing), GDAL's
  HTTP options for one run only, and the messages of offline / 401 / 403 / 404;
- :mod:`.search`: the search (pystac-client) and the items made into :class:`.scenes.Scene`;
- :mod:`.scenes`: one item as the pipeline needs it (band and quality URLs, date, radiometry);
- :mod:`.aoi_quality`: cloud and valid share over the area of interest, read from the quality
  asset over the AOI window only;
- :mod:`.assemble`: a scene as a VRT of ``/vsicurl/`` URLs with the item's offsets and scales;
- :mod:`.change_pair`: the clearest usable scene of each window, then the ordinary change map;
- :mod:`.layers`: a STAC item's URL, or one asset of an item (QGIS's STAC browser), as an image: loading
  this package registers it with :func:`planaura_plugin.inputs.products.resolve_product`.
"""
from __future__ import annotations

from . import layers  # noqa: F401 - registers the STAC item adapter of resolve_product
from .errors import CatalogError

__all__ = ["CatalogError"]
