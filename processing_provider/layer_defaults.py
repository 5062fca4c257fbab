"""Default layers of a pair's BEFORE and AFTER: two different layers of the project, never the active one twice.

QGIS fills every required layer parameter without a default with the active layer, so a
change map dialog opened on a project with two images would compare one image with itself.
The algorithm gives both parameters a default instead, chosen here: by the dates in the layers'
names (the earliest before, the latest after), else by their order in the layer tree (the topmost,
usually the last added, after; the next one before).
"""
from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Tuple


def pick_pair(layers: Sequence[Tuple[str, str]],
              date_of: Callable[[str], Optional[int]]) -> Tuple[Optional[str], Optional[str]]:
    """The ids of the default before and after layers.

    Args:
        layers: (layer id, dataset name) of the project's raster layers, in layer-tree order (top first).
        date_of: YYYYDDD found in a dataset name, or None.

    Returns:
        (before id, after id), two different layers; (None, None) with fewer than two layers, or when
        the two dated layers share one date (QGIS's own default then applies).
    """
    if len(layers) < 2:
        return None, None
    dated = [(date, n, layer_id) for n, (layer_id, name) in enumerate(layers)
             for date in [date_of(name)] if date is not None]
    if len(dated) >= 2:
        dated.sort()
        if dated[0][0] == dated[-1][0]:
            return None, None
        return dated[0][2], dated[-1][2]
    return layers[1][0], layers[0][0]


def project_pair_defaults() -> Tuple[Optional[str], Optional[str]]:
    """:func:`pick_pair` on the current project's GDAL raster layers; (None, None) outside the main thread
    (an algorithm created by a running model must not read the project) or without two layers."""
    from qgis.core import QgsProject, QgsRasterLayer
    from qgis.PyQt.QtCore import QCoreApplication, QThread

    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None, None
    from ..planaura_plugin.dates import date_from_name
    from ..planaura_plugin.presets import HLS, S2

    def date_of(name: str) -> Optional[int]:
        for regex in (HLS.date_regex, S2.date_regex):
            try:
                return date_from_name(name, regex)
            except Exception:  # noqa: BLE001 - no date, or a name the date finder cannot read
                continue
        return None

    layers: List[Tuple[str, str]] = []
    for node in QgsProject.instance().layerTreeRoot().findLayers():
        layer = node.layer()
        if isinstance(layer, QgsRasterLayer) and layer.providerType() == "gdal":
            layers.append((layer.id(), layer.source().split("|", 1)[0]))
    return pick_pair(layers, date_of)
