"""The GDAL dataset a QGIS raster layer reads."""
from __future__ import annotations

from typing import Any, Dict, List

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
    from ..planaura_plugin.raster.datasets import exists

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


def load_dataset_strings(definitions, parameters: Dict[str, Any], context) -> List[str]:
    """Make image parameters given as text that QGIS 3.22 cannot load findable by QGIS.

    QGIS turns a text value into a layer only when it is an existing raster file with bands, so a
    ``/vsizip/`` member or a Sentinel-2 L2A product (``.SAFE``, its ``.zip``, ``MTD_MSIL2A.xml``)
    typed on the ``qgis_process`` command line or in ``processing.run`` fails QGIS's parameter check.
    Such a value becomes a layer named after the text (the product's 20 m sub-dataset for
    Sentinel-2) in the context's temporary layer store, where QGIS's lookup finds it by name in the
    parameter check and in ``parameterAsRasterLayer``.

    Args:
        definitions: the algorithm's parameter definitions.
        parameters: the values given.
        context: the processing context of the check and of the run.

    Returns:
        The names of the parameters for which a layer was added (once per layer).
    """
    from qgis.core import QgsProcessingParameterMultipleLayers, QgsProcessingParameterRasterLayer, QgsProcessingUtils

    added = []
    for definition in definitions:
        value = parameters.get(definition.name())
        if not isinstance(definition, (QgsProcessingParameterRasterLayer, QgsProcessingParameterMultipleLayers)):
            continue
        for text in ([value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else []):
            # as a raster only: without the hint QGIS first tries OGR, which logs 'Cannot open' for every image
            if not isinstance(text, str) or not text or QgsProcessingUtils.mapLayerFromString(
                    text, context, True, QgsProcessingUtils.LayerHint.Raster):
                continue
            layer = _layer_of_text(text)
            if layer is not None:
                context.temporaryLayerStore().addMapLayer(layer)
                added.append(definition.name())
    return added


def _layer_of_text(value: str):
    """A valid GDAL raster layer named ``value`` for that dataset name or Sentinel-2 product, or None."""
    from osgeo import gdal
    from qgis.core import QgsRasterLayer

    from ..planaura_plugin.errors import InputError
    from ..planaura_plugin.gdal_calls import gdal_call
    from ..planaura_plugin.inputs.sentinel2 import locate_l2a

    layer = QgsRasterLayer(value, value, "gdal")
    if layer.isValid():
        return layer
    try:
        product = locate_l2a(value)
    except InputError:  # a Level-1C product: the run refuses it with its own message
        return None
    ds, _reason = gdal_call(gdal.OpenEx, product, gdal.OF_RASTER) if product else (None, "")
    names = [name for name, _ in (ds.GetSubDatasets() if ds is not None else []) if ":20m:" in name]
    layer = QgsRasterLayer(names[0], value, "gdal") if names else None
    return layer if layer is not None and layer.isValid() else None
