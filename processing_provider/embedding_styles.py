"""Styles of the embedding tools' outputs (called by :func:`.styles.build_renderer`).

- ``colour_view``: the three bytes as RGB with the fixed limits 1-255, so that two colour views of
  one saved projection (two dates) look alike: no per-layer stretch;
- ``similarity``: a sequential ramp (dark blue, magenta, yellow) from the layer's lowest to its
  highest value, the high (most similar) values brightest;
- ``embedding_classes``: paletted from the file's colour table, labelled with its ``CLASS_n``
  metadata (class names), ``Unknown`` for 0, or ``Cluster n`` for clusters.
"""
from __future__ import annotations

from qgis.core import (
    QgsColorRampShader,
    QgsContrastEnhancement,
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

STYLE_COLOUR_VIEW = "colour_view"
STYLE_SIMILARITY = "similarity"
STYLE_EMBEDDING_CLASSES = "embedding_classes"
EMBEDDING_STYLES = (STYLE_COLOUR_VIEW, STYLE_SIMILARITY, STYLE_EMBEDDING_CLASSES)
SIMILARITY_COLOURS = ("#0d0887", "#cc4778", "#f0f921")  # plasma: dark = unlike, bright = like


def _colour_view(layer: QgsRasterLayer):
    renderer = QgsMultiBandColorRenderer(layer.dataProvider(), 1, 2, 3)
    for band, setter in ((1, renderer.setRedContrastEnhancement), (2, renderer.setGreenContrastEnhancement),
                         (3, renderer.setBlueContrastEnhancement)):
        enhancement = QgsContrastEnhancement(layer.dataProvider().dataType(band))
        enhancement.setContrastEnhancementAlgorithm(QgsContrastEnhancement.StretchToMinimumMaximum)
        enhancement.setMinimumValue(1)
        enhancement.setMaximumValue(255)
        setter(enhancement)
    return renderer


def _similarity(layer: QgsRasterLayer, low: float, high: float):
    if not high > low:
        high = low + 1.0
    values = [low + (high - low) * i / 2 for i in range(3)]
    items = [QgsColorRampShader.ColorRampItem(value, QColor(colour), f"{value:.2f}")
             for value, colour in zip(values, SIMILARITY_COLOURS)]
    ramp = QgsColorRampShader(low, high)
    ramp.setColorRampType(QgsColorRampShader.Interpolated)
    ramp.setColorRampItemList(items)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(low)
    renderer.setClassificationMax(high)
    return renderer


def _class_entries(metadata: dict) -> list:
    """(value, label) of a cluster raster (``CLUSTERS``) or a class raster (``CLASS_n``, unknown 0)."""
    if metadata.get("PLANAURA_KIND") == "embedding_clusters":
        return [(v, QCoreApplication.translate("PlanauraStyles", "Cluster {0}").format(v))
                for v in range(1, int(metadata.get("CLUSTERS", "0")) + 1)]
    named = sorted(int(key[6:]) for key in metadata if key.startswith("CLASS_") and key[6:].isdigit())
    return [(0, QCoreApplication.translate("PlanauraStyles", "Unknown"))] + \
        [(v, metadata[f"CLASS_{v}"]) for v in named]


def _classes(layer: QgsRasterLayer, path: str):
    from osgeo import gdal

    ds = gdal.Open(path)
    metadata = ds.GetMetadata() if ds is not None else {}
    table = ds.GetRasterBand(1).GetColorTable() if ds is not None else None
    classes = []
    for value, label in _class_entries(metadata):
        r, g, b, a = table.GetColorEntry(value) if table is not None and value < table.GetCount() else (64, 64, 64, 255)
        classes.append(QgsPalettedRasterRenderer.Class(value, QColor(r, g, b, a), label))
    return QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes)


def build_embedding_renderer(layer: QgsRasterLayer, style: str, min_max=None):
    """The renderer of one of :data:`EMBEDDING_STYLES` for ``layer`` (``min_max``: the band's range)."""
    if style == STYLE_COLOUR_VIEW:
        return _colour_view(layer)
    if style == STYLE_SIMILARITY:
        low, high = min_max if min_max else (-1.0, 1.0)
        return _similarity(layer, float(low), float(high))
    return _classes(layer, layer.source())
