"""Imagery as distributed (HLS v2.0 granules, Sentinel-2 L2A products) resolved into a
:class:`~planaura_plugin.inputs.DistributedProduct`, and the VRT stacking both adapters use.

:func:`resolve_product` tries each adapter in turn; an adapter returns None when the name is
not one of its products and raises :class:`~planaura_plugin.errors.InputError` when it is one
but cannot be used (missing band files, bands on different grids, ...).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple
from xml.etree import ElementTree as ET

from . import DistributedProduct


@dataclass(frozen=True)
class VrtBand:
    """One band of a stacked VRT: a whole band of a source dataset, resampled to the VRT's grid.

    Attributes:
        source: GDAL dataset name of the source (absolute path, ``/vsizip/...`` or a
            sub-dataset name such as ``SENTINEL2_L2A:...:20m:EPSG_32615``).
        band: 1-based band number in ``source``.
        source_size: (columns, rows) of the source band; the whole band is read.
        description: band description in the VRT (the model band name, e.g. ``B8A``).
        resampling: GDAL resampling when the source and the VRT sizes differ
            (``nearest``, ``average``, ...); unused when they are equal.
        metadata: extra (key, value) band metadata items (e.g. the distributor's band name).
    """

    source: str
    band: int
    source_size: Tuple[int, int]
    description: str = ""
    resampling: str = "nearest"
    metadata: Tuple[Tuple[str, str], ...] = ()


def stacked_vrt(bands: Sequence[VrtBand], size: Tuple[int, int], geotransform: Sequence[float],
                srs_wkt: str, data_type: str, nodata: Optional[float]) -> str:
    """VRT XML stacking whole source bands, one VRT band each, without copying pixels.

    Args:
        bands: the VRT's bands in order (band 1 first).
        size: (columns, rows) of the VRT grid.
        geotransform: GDAL geotransform of the VRT grid (6 numbers, CRS units).
        srs_wkt: CRS of the grid as WKT ("" for none).
        data_type: GDAL data type name of every band (``Int16``, ``UInt16``).
        nodata: value declared as ``NoDataValue`` on every band, or None.

    Returns:
        The VRT as an XML string that ``gdal.Open`` accepts directly.
    """
    root = ET.Element("VRTDataset", rasterXSize=str(size[0]), rasterYSize=str(size[1]))
    if srs_wkt:
        ET.SubElement(root, "SRS").text = srs_wkt
    ET.SubElement(root, "GeoTransform").text = ", ".join(repr(float(v)) for v in geotransform)
    for number, vband in enumerate(bands, start=1):
        elem = ET.SubElement(root, "VRTRasterBand", dataType=data_type, band=str(number))
        if vband.description:
            ET.SubElement(elem, "Description").text = vband.description
        if vband.metadata:
            md = ET.SubElement(elem, "Metadata")
            for key, value in vband.metadata:
                ET.SubElement(md, "MDI", key=key).text = value
        if nodata is not None:
            ET.SubElement(elem, "NoDataValue").text = repr(float(nodata))
        attrs = {} if tuple(vband.source_size) == tuple(size) else {"resampling": vband.resampling}
        src = ET.SubElement(elem, "SimpleSource", attrs)
        ET.SubElement(src, "SourceFilename", relativeToVRT="0").text = vband.source
        ET.SubElement(src, "SourceBand").text = str(vband.band)
        ET.SubElement(src, "SrcRect", xOff="0", yOff="0", xSize=str(vband.source_size[0]),
                      ySize=str(vband.source_size[1]))
        ET.SubElement(src, "DstRect", xOff="0", yOff="0", xSize=str(size[0]), ySize=str(size[1]))
    return ET.tostring(root, encoding="unicode")


def open_raster(name: str, what: str):
    """Open a GDAL raster read-only, whether or not GDAL exceptions are enabled.

    Args:
        name: GDAL dataset name.
        what: how to call it in the message (e.g. "HLS granule HLS.S30...: band file").

    Returns:
        The ``gdal.Dataset``.

    Raises:
        InputError: GDAL cannot open it (GDAL's message included); see :func:`.datasets.open_dataset`.
    """
    from .datasets import open_dataset

    return open_dataset(str(name), what, containers=True)


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
    from .hls import hls_granule
    from .sentinel2 import sentinel2_product

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
