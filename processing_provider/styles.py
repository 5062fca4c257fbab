"""QGIS styles of Planaura outputs: built with the QGIS renderer API, saved as ``.qml`` sidecars.

A sidecar (``name.qml`` beside ``name.tif``) is what QGIS loads as the layer's default
style, so the look travels with the file: in the canvas, in the modeler's outputs and after
``qgis_process``. :func:`write_sidecar` writes it; :func:`apply_style` sets the same renderer
on a loaded layer (the post-processor does that on the main thread).

Styles (keys of :data:`STYLES`):

- ``cosine``: change intensity, an interpolated ramp from dark red ``#a50f15`` at -1 to pale
  ``#ffcbb1`` at 0.75, fully transparent from 0.92 to 1 (upstream's look);
- ``persistence``: number of pairs with a value, a sequential ramp from 1 to the maximum;
- ``classes``: the four change classes, labelled with their thresholds;
- ``date``: YYYYDDD date values as a paletted ramp labelled YYYY-MM-DD;
- ``quality``: the Fmask classes (clear, cloud, adjacent, shadow, snow/ice, aerosol, no information);
- ``embeddings``: the first three embedding channels as RGB (one channel: grey), stretched;
- ``bands``: 6-band imagery or reconstructions as true colour (B04, B03, B02), stretched;
- ``change_types``: the change types of ``planaura:changetypes``, one distinct colour per type
  (a qualitative palette), noise (-1) grey, nodata (-100) transparent.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from qgis.core import (
    QgsColorRampShader,
    QgsContrastEnhancement,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRasterShader,
    QgsRasterTransparency,
    QgsRectangle,
    QgsSingleBandGrayRenderer,
    QgsSingleBandPseudoColorRenderer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..planaura_plugin.i18n import decimal
from ..planaura_plugin.products import DEFAULT_CLASS_THRESHOLDS, QUALITY_CLASSES

TR_CONTEXT = "PlanauraStyles"

STYLE_COSINE = "cosine"
STYLE_PERSISTENCE = "persistence"
STYLE_CLASSES = "classes"
STYLE_DATE = "date"
STYLE_QUALITY = "quality"
STYLE_EMBEDDINGS = "embeddings"
STYLE_BANDS = "bands"
STYLE_TYPES = "change_types"
STYLES = (STYLE_COSINE, STYLE_PERSISTENCE, STYLE_CLASSES, STYLE_DATE, STYLE_QUALITY, STYLE_EMBEDDINGS, STYLE_BANDS,
          STYLE_TYPES)

# change intensity (upstream's QGIS style)
COSINE_STRONG = (-1.0, "#a50f15")
COSINE_WEAK = (0.75, "#ffcbb1")
COSINE_TRANSPARENT_FROM = 0.92
COSINE_TRANSPARENT_TO = 1.0

PERSISTENCE_COLORS = ("#ffffcc", "#41b6c4", "#253494")  # YlGnBu, light = few pairs
DATE_COLORS = ("#440154", "#21918c", "#fde725")  # viridis, early = dark
# "#AARRGGBB": the classes that say "nothing here" are transparent, so a companion layer never hides
# the imagery below it (no change, clear sky, a change seen by one pair only)
CLASS_COLORS = {1: "#00f0f0f0", 2: "#fecc5c", 3: "#fd8d3c", 4: "#bd0026"}
# 255 (no information) is the layer's nodata: never drawn, named in the legend
QUALITY_COLORS = {0: "#00b8e186", 1: "#f7f7f7", 2: "#fdb863", 3: "#542788", 4: "#92c5de", 6: "#bababa",
                  255: "#00000000"}

# change types: ColorBrewer Set1 then Dark2 (qualitative, distinct), repeated darker beyond; noise grey
TYPE_COLORS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#ffff33", "#a65628", "#f781bf",
               "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
TYPE_NOISE_COLOR = "#9e9e9e"
TYPE_NOISE = -1
STRETCH_SAMPLE = 250_000  # pixels sampled for the stretch limits (QGIS's default)


def quality_labels() -> Dict[int, str]:
    """Fmask class code -> translated label (the registry's ``QUALITY_CLASSES``; 255 "No information")."""
    return {code: QCoreApplication.translate("PlanauraStyles", text) for code, text in QUALITY_CLASSES.items()}


def class_labels(thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS) -> Dict[int, str]:
    """Change class code -> label with the cosine thresholds that define it."""
    no_change, low, moderate = (float(t) for t in thresholds)
    return {
        1: QCoreApplication.translate("PlanauraStyles", "No change (> {0})").format(decimal(no_change)),
        2: QCoreApplication.translate("PlanauraStyles", "Low change ({0} to {1})").format(decimal(low),
                                                                                          decimal(no_change)),
        3: QCoreApplication.translate("PlanauraStyles", "Moderate change ({0} to {1})").format(decimal(moderate),
                                                                                               decimal(low)),
        4: QCoreApplication.translate("PlanauraStyles", "High change (<= {0})").format(decimal(moderate)),
    }


def sidecar_path(raster_path: str) -> str:
    """Where QGIS looks for a raster's default style: the same name with ``.qml``."""
    root, _ = os.path.splitext(raster_path)
    return root + ".qml"


def _gradient(colors: Sequence[str]) -> QgsGradientColorRamp:
    stops = [QgsGradientStop(i / (len(colors) - 1), QColor(c)) for i, c in enumerate(colors[1:-1], start=1)]
    return QgsGradientColorRamp(QColor(colors[0]), QColor(colors[-1]), False, stops)


def _band_min_max(path: str, band: int = 1) -> Optional[Tuple[float, float]]:
    """Exact (min, max) of the valid pixels of a band, or None when it has none."""
    from osgeo import gdal

    from ..planaura_plugin.gdal_calls import band_min_max, gdal_call

    ds, _reason = gdal_call(gdal.Open, path)
    return band_min_max(ds.GetRasterBand(band)) if ds is not None else None


def _unique_values(path: str, band: int = 1, limit: int = 256) -> List[int]:
    """Distinct valid values of an integer band, read block by block (at most ``limit``)."""
    import numpy as np
    from osgeo import gdal

    from ..planaura_plugin.gdal_calls import gdal_call

    ds, _reason = gdal_call(gdal.Open, path)
    if ds is None:
        return []
    b = ds.GetRasterBand(band)
    nodata = b.GetNoDataValue()
    bx, by = b.GetBlockSize()
    step_y = max(by, 256)
    values: set = set()
    for y in range(0, ds.RasterYSize, step_y):
        rows = min(step_y, ds.RasterYSize - y)
        block, _reason = gdal_call(b.ReadAsArray, 0, y, ds.RasterXSize, rows)
        if block is None:  # an unreadable block: the values read so far style the layer
            break
        u = np.unique(block)
        if nodata is not None:
            u = u[u != nodata]
        values.update(int(v) for v in u)
        if len(values) > limit:
            break
    return sorted(values)[:limit]


def _format_date_label(value: int) -> str:
    from ..planaura_plugin.dates import format_date

    try:
        return format_date(value)
    except ValueError:
        return str(value)


def _cosine_renderer(layer: QgsRasterLayer, upper: float) -> QgsSingleBandPseudoColorRenderer:
    ramp = QgsColorRampShader(COSINE_STRONG[0], max(upper, COSINE_TRANSPARENT_TO))
    ramp.setColorRampType(QgsColorRampShader.Interpolated)
    ramp.setColorRampItemList([
        QgsColorRampShader.ColorRampItem(COSINE_STRONG[0], QColor(COSINE_STRONG[1]),
                                         QCoreApplication.translate("PlanauraStyles", "-1 strong change")),
        QgsColorRampShader.ColorRampItem(COSINE_WEAK[0], QColor(COSINE_WEAK[1]),
                                         QCoreApplication.translate("PlanauraStyles", "0.75 weak change")),
        QgsColorRampShader.ColorRampItem(COSINE_TRANSPARENT_TO, QColor(COSINE_WEAK[1]),
                                         QCoreApplication.translate("PlanauraStyles",
                                                                    "1 no change (transparent above 0.92)")),
    ])
    ramp.setClip(False)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(COSINE_STRONG[0])
    renderer.setClassificationMax(COSINE_TRANSPARENT_TO)
    transparent = QgsRasterTransparency.TransparentSingleValuePixel()
    transparent.min = COSINE_TRANSPARENT_FROM
    transparent.max = max(upper, COSINE_TRANSPARENT_TO)  # mosaics can slightly exceed 1 (cubic resampling)
    transparent.percentTransparent = 100.0
    transparency = QgsRasterTransparency()
    transparency.setTransparentSingleValuePixelList([transparent])
    renderer.setRasterTransparency(transparency)
    return renderer


def _persistence_renderer(layer: QgsRasterLayer, maximum: int) -> QgsSingleBandPseudoColorRenderer:
    maximum = max(int(maximum), 1)
    gradient = _gradient(PERSISTENCE_COLORS)
    items = []
    for count in range(1, maximum + 1):
        position = 0.0 if maximum == 1 else (count - 1) / (maximum - 1)
        label = QCoreApplication.translate("PlanauraStyles", "{0} pair(s)").format(count)
        color = gradient.color(position)
        if count == 1:  # seen by a single pair: transparent, not a persistent change
            color.setAlpha(0)
        items.append(QgsColorRampShader.ColorRampItem(count, color, label))
    ramp = QgsColorRampShader(1, maximum)
    ramp.setColorRampType(QgsColorRampShader.Interpolated)
    ramp.setColorRampItemList(items)
    ramp.setClip(False)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(1)
    renderer.setClassificationMax(maximum)
    return renderer


def _paletted(layer: QgsRasterLayer, entries: Iterable[Tuple[int, str, str]]) -> QgsPalettedRasterRenderer:
    classes = [QgsPalettedRasterRenderer.Class(value, QColor(color), label) for value, color, label in entries]
    return QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes)


def _date_renderer(layer: QgsRasterLayer, dates: Sequence[int]) -> QgsPalettedRasterRenderer:
    gradient = _gradient(DATE_COLORS)
    n = len(dates)
    entries = []
    for i, value in enumerate(dates):
        position = 0.5 if n == 1 else i / (n - 1)
        entries.append((value, gradient.color(position).name(), _format_date_label(value)))
    return _paletted(layer, entries)


def _stretched(layer: QgsRasterLayer, bands: Sequence[int]):
    if len(bands) >= 3:
        renderer = QgsMultiBandColorRenderer(layer.dataProvider(), bands[0], bands[1], bands[2])
    else:
        renderer = QgsSingleBandGrayRenderer(layer.dataProvider(), bands[0])
    layer.setRenderer(renderer)
    # limits from a 2-98 % cumulative cut of the data, stored in the style
    layer.setContrastEnhancement(QgsContrastEnhancement.StretchToMinimumMaximum, QgsRasterMinMaxOrigin.CumulativeCut,
                                 QgsRectangle(), STRETCH_SAMPLE)
    return layer.renderer().clone()


def type_color(type_id: int) -> str:
    """The colour of change type ``type_id`` (0, 1, ...): the palette, then its colours darker, and so on."""
    color = QColor(TYPE_COLORS[type_id % len(TYPE_COLORS)])
    for _ in range(type_id // len(TYPE_COLORS)):
        color = color.darker(140)
    return color.name()


def type_entries(values: Iterable[int]) -> List[Tuple[int, str, str]]:
    """(value, colour, label) of the change types present, noise (-1) always listed first."""
    entries = [(TYPE_NOISE, TYPE_NOISE_COLOR, QCoreApplication.translate("PlanauraStyles", "Noise (no type)"))]
    for value in sorted(v for v in set(values) if v >= 0):
        entries.append((value, type_color(value), QCoreApplication.translate("PlanauraStyles",
                                                                             "Change type {0}").format(value)))
    return entries


def build_renderer(layer: QgsRasterLayer, style: str, thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS):
    """The renderer of ``style`` for ``layer`` (values read from the layer's file when needed)."""
    path = layer.source()
    if style == STYLE_COSINE:
        mm = _band_min_max(path)
        return _cosine_renderer(layer, mm[1] if mm else COSINE_TRANSPARENT_TO)
    if style == STYLE_PERSISTENCE:
        mm = _band_min_max(path)
        return _persistence_renderer(layer, int(round(mm[1])) if mm else 1)
    if style == STYLE_CLASSES:
        labels = class_labels(thresholds)
        return _paletted(layer, [(code, CLASS_COLORS[code], labels[code]) for code in sorted(labels)])
    if style == STYLE_DATE:
        return _date_renderer(layer, _unique_values(path))
    if style == STYLE_QUALITY:
        labels = quality_labels()
        return _paletted(layer, [(code, QUALITY_COLORS[code], labels[code]) for code in sorted(labels)])
    if style == STYLE_EMBEDDINGS:
        return _stretched(layer, [1, 2, 3] if layer.bandCount() >= 3 else [1])
    if style == STYLE_BANDS:
        # Planaura band order B02, B03, B04, B8A, B11, B12: true colour = 3, 2, 1
        return _stretched(layer, [3, 2, 1] if layer.bandCount() >= 3 else [1])
    if style == STYLE_TYPES:
        return _paletted(layer, type_entries(_unique_values(path)))
    from .embedding_styles import EMBEDDING_STYLES, STYLE_SIMILARITY, build_embedding_renderer  # embedding tools

    if style in EMBEDDING_STYLES:
        return build_embedding_renderer(layer, style, _band_min_max(path) if style == STYLE_SIMILARITY else None)
    raise ValueError(f"unknown style {style!r}; expected one of {', '.join(STYLES)}")


def apply_style(layer: QgsRasterLayer, style: str, thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS) -> None:
    """Give ``layer`` the Planaura style ``style`` (main thread when the layer is in a project)."""
    layer.setRenderer(build_renderer(layer, style, thresholds))
    layer.triggerRepaint()


def write_sidecar(raster_path: str, style: str, thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS) -> str:
    """Write ``<raster>.qml`` with the style, replacing any older one; safe in a worker thread.

    The style is saved under a temporary name and renamed over the old ``.qml``, so QGIS never
    loads a half-written style, and a style left by an earlier run is not kept when saving fails.

    Args:
        raster_path: the styled raster.
        style: one of :data:`STYLES`.
        thresholds: the change class thresholds (``classes`` style).

    Returns:
        The path of the ``.qml``.

    Raises:
        OSError: QGIS cannot open the raster or save the style (no old style is then left).
    """
    options = QgsRasterLayer.LayerOptions(False)  # do not load an old sidecar
    layer = QgsRasterLayer(raster_path, os.path.basename(raster_path), "gdal", options)
    return _save_style_sidecar(layer, raster_path, lambda lyr: apply_style(lyr, style, thresholds))


def _save_style_sidecar(layer, path: str, style_it: Callable[[Any], None]) -> str:
    """Style ``layer`` (opened from ``path`` without its old style) and save it as ``<path>.qml``.

    The style is saved under a temporary name and renamed over the old ``.qml``, so QGIS never
    loads a half-written style; when anything fails, neither the temporary file nor an old style
    (which describes another file) is left.

    Args:
        layer: a QgsRasterLayer or QgsVectorLayer of ``path``.
        path: the styled file.
        style_it: sets the layer's renderer.

    Returns:
        The path of the ``.qml``.

    Raises:
        OSError: QGIS cannot open the file or save the style.
    """
    from ..planaura_plugin.raster.output_safety import new_token, temporary_name

    qml = sidecar_path(path)
    tmp = temporary_name(qml, new_token())
    try:
        if not layer.isValid():
            raise OSError(f"QGIS cannot open {path} to style it")
        style_it(layer)
        message, ok = layer.saveNamedStyle(tmp)
        if not ok or not os.path.exists(tmp):
            raise OSError(f"could not write the style {qml}: {message}")
        os.replace(tmp, qml)
    except BaseException:
        for leftover in (tmp, qml):
            if os.path.exists(leftover):
                os.remove(leftover)
        raise
    return qml


# ---- change polygons (vector) ---------------------------------------------------------------
POLYGON_CLASS_FIELD = "class"


def polygon_renderer(thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS):
    """Categorised renderer of change polygons on ``class``: the colours of the classes raster style.

    Args:
        thresholds: the class limits (one repeated three times for a single threshold).

    Returns:
        A ``QgsCategorizedSymbolRenderer`` for classes 2, 3, 4 (only 4 with one threshold).
    """
    from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory

    thresholds = tuple(float(t) for t in thresholds)
    single = len(set(thresholds)) == 1
    labels = class_labels(thresholds)
    if single:
        labels[4] = QCoreApplication.translate("PlanauraStyles", "Change (<= {0})").format(decimal(thresholds[0]))
    categories = []
    for code in ((4,) if single else (2, 3, 4)):
        colour = QColor(CLASS_COLORS[code])
        symbol = QgsFillSymbol.createSimple({"color": colour.name(), "outline_color": colour.darker(150).name(),
                                             "outline_width": "0.2"})
        categories.append(QgsRendererCategory(code, symbol, labels[code]))
    return QgsCategorizedSymbolRenderer(POLYGON_CLASS_FIELD, categories)


def write_vector_sidecar(vector_path: str, thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS) -> str:
    """Write ``<vector>.qml`` with the change polygon style (temporary name, then renamed).

    Args:
        vector_path: the polygons' file (its first layer is styled).
        thresholds: the class limits.

    Returns:
        The path of the ``.qml``.

    Raises:
        OSError: QGIS cannot open the file or save the style.
    """
    from qgis.core import QgsVectorLayer

    options = QgsVectorLayer.LayerOptions(False, False)
    options.loadDefaultStyle = False
    layer = QgsVectorLayer(vector_path, os.path.basename(vector_path), "ogr", options)
    return _save_style_sidecar(layer, vector_path, lambda lyr: lyr.setRenderer(polygon_renderer(thresholds)))
