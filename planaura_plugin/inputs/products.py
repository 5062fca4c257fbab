"""Imagery as distributed (HLS v2.0 granules, Sentinel-2 L2A products) resolved into a
:class:`~planaura_plugin.inputs.DistributedProduct`.

:func:`resolve_product` tries each adapter in turn; an adapter returns None when the name is
not one of its products and raises :class:`~planaura_plugin.errors.InputError` when it is one
but cannot be used (missing band files, bands on different grids, ...). The adapters stack
their bands with :mod:`.stacked_vrt`, which imports none of them.
"""
from __future__ import annotations

from typing import Callable, List, Optional

from . import DistributedProduct
from .hls import hls_granule
from .sentinel2 import sentinel2_product


def resolve_product(name: str) -> Optional[DistributedProduct]:
    """The distributed product ``name`` designates, or None when it is not one we know.

    Args:
        name: what the user chose: an HLS v2.0 band file (any band, the Fmask or an angle
            band) or a folder holding one granule; a Sentinel-2 L2A ``.SAFE`` folder, its
            ``.zip`` or its ``MTD_MSIL2A.xml``; one ``/vsicurl/`` asset of a STAC item stored beside
            its assets, or a STAC item's URL (adapters registered by :mod:`planaura_plugin.catalog`).

    Returns:
        The product (six model bands in model order, offsets, nodata, quality, date), or None
        when ``name`` is neither an HLS granule nor a Sentinel-2 L2A product (a plain raster).

    Raises:
        InputError: ``name`` is such a product but cannot be used (see the adapters).
    """
    product = hls_granule(name)
    if product is None:
        product = sentinel2_product(name)
    for adapter in ADAPTERS:  # registered by higher floors (a STAC item's URL or asset: planaura_plugin.catalog)
        if product is not None:
            break
        product = adapter(name)
    return product


#: further adapters (name -> product or None) that packages above ``inputs/`` register when loaded
#: (:func:`register_adapter`): inputs/ never imports them
ADAPTERS: List[Callable[[str], Optional[DistributedProduct]]] = []


def register_adapter(adapter: Callable[[str], Optional[DistributedProduct]]) -> None:
    """Let :func:`resolve_product` try ``adapter`` after the HLS and Sentinel-2 ones (once, however often called).

    Args:
        adapter: returns the product a name designates, None when it is not one of its kind, and raises
            :class:`~planaura_plugin.errors.InputError` when it is one that cannot be used.
    """
    if adapter not in ADAPTERS:
        ADAPTERS.append(adapter)
