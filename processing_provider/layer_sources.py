"""The GDAL dataset a QGIS raster layer reads."""
from __future__ import annotations

from qgis.core import QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication


def layer_dataset(layer, label: str) -> str:
    """The exact string GDAL opens for a raster layer, or a clear refusal.

    ``/vsizip/`` and ``/vsicurl/`` paths, sub-datasets (``NETCDF:"f.nc":var``, ``GPKG:f.gpkg:table``,
    HDF), VRT files and temporary outputs of other algorithms are kept whole; open options
    (``|option:...``) are dropped. Layers of other providers (WMS, PostGIS raster...) are refused.

    Args:
        layer: a QgsRasterLayer (as the dialog, the modeler or ``processing.run`` hand it over).
        label: the parameter's label, for messages.

    Returns:
        The GDAL dataset name.

    Raises:
        QgsProcessingException: the layer is not read by GDAL, or its dataset is not there.
    """
    from ..planaura_plugin.inputs.datasets import exists

    provider = layer.providerType()
    if provider != "gdal":
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "{0}: the layer '{1}' comes from the '{2}' data provider, not from a raster file "
            "GDAL reads, so Planaura cannot read its pixels; save it as a GeoTIFF first (right-click the layer > "
            "Export > Save As...) and choose that file.").format(label, layer.name(), provider))
    name = gdal_name(layer.source())
    if not exists(name):
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "{0}: the layer '{1}' reads {2}, which does not exist (any more); check the file "
            "or load the layer again.").format(label, layer.name(), name))
    return name


def gdal_name(source: str) -> str:
    """The GDAL dataset name of a QGIS 'gdal' provider source.

    For that provider the source is the name GDAL opens (QGIS itself opens it so:
    ``/vsizip//p/a.zip/x.tif``, ``NETCDF:"/p/f.nc":B``, ``GPKG:/p/f.gpkg:table``), except
    for the open options QGIS appends as ``|option:KEY=VALUE``, which are dropped.

    Args:
        source: ``QgsRasterLayer.source()``.

    Returns:
        The GDAL dataset name.
    """
    return str(source).split("|option:", 1)[0]
