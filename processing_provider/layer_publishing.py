"""How results arrive in the map: post-processors (style, unique name, visibility, order), output specs
and the dates layer names use."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from qgis.core import QgsProcessingLayerPostProcessorInterface, QgsProject, QgsRasterLayer

from ..planaura_plugin.errors import PlanauraError
from . import styles

class StyledLayerPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Names and styles a result layer once QGIS has loaded it (always on the main thread)."""

    def __init__(self, name: str, style: str, thresholds: Sequence[float], visible: bool = True,
                 main: str = "", companions: Sequence[str] = ()) -> None:
        """``name``: the informative name QGIS gave the layer (made unique here; a name the user chose is
        left alone); ``main``/``companions``: the run's main file and the files to keep below it."""
        super().__init__()
        self.name, self.style, self.thresholds = name, style, tuple(thresholds)
        self.visible, self.main, self.companions = visible, main, tuple(companions)

    def postProcessLayer(self, layer, context, feedback) -> None:  # noqa: N802 - QGIS API
        if not isinstance(layer, QgsRasterLayer):
            return
        project = layer.project() or QgsProject.instance()
        if self.name and layer.name() == self.name:  # our name, not the file's or the user's
            layer.setName(unique_layer_name(project, self.name, layer.id()))
        qml = styles.sidecar_path(layer.source())
        loaded = False
        if os.path.exists(qml):
            _, loaded = layer.loadNamedStyle(qml)
        if not loaded:
            styles.apply_style(layer, self.style, self.thresholds)
        node = project.layerTreeRoot().findLayer(layer.id())
        if node is not None and not self.visible:
            node.setItemVisibilityChecked(False)
        keep_below_main(project, self.main, self.companions)
        layer.triggerRepaint()


def unique_layer_name(project, name: str, own_id: str = "") -> str:
    """``name``, or ``name (2)``, ``name (3)``... when another layer of ``project`` already has it."""
    taken = {lay.name() for lay_id, lay in project.mapLayers().items() if lay_id != own_id}
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _same_file(a: str, b: str) -> bool:
    return bool(a) and bool(b) and os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def keep_below_main(project, main: str, companions: Sequence[str]) -> None:
    """Move the loaded layers of ``companions`` just below the loaded layer of ``main`` (same group),
    in the order given, so that a run's companions never cover the layer the user asked for."""
    if not main or not companions:
        return
    nodes = [n for n in project.layerTreeRoot().findLayers() if n.layer() is not None]
    main_node = next((n for n in nodes if _same_file(n.layer().source(), main)), None)
    if main_node is None:
        return
    parent = main_node.parent()
    for path in reversed(list(companions)):
        node = next((n for n in nodes if _same_file(n.layer().source(), path)), None)
        if node is None or node.parent() is not parent:
            continue
        ids = [child.layerId() if hasattr(child, "layerId") else None for child in parent.children()]
        here, target = ids.index(node.layerId()), ids.index(main_node.layerId()) + 1
        if here == target:
            continue
        clone = node.clone()
        parent.insertChildNode(target, clone)
        parent.removeChildNode(node)
        nodes = [n for n in project.layerTreeRoot().findLayers() if n.layer() is not None]


# Post-processors must outlive the algorithm instance (in a model the child algorithms are gone
# when the layers are loaded), so they are kept here; the list is bounded.
_POST_PROCESSORS: List[StyledLayerPostProcessor] = []
_MAX_POST_PROCESSORS = 500


def keep_post_processor(processor: StyledLayerPostProcessor) -> StyledLayerPostProcessor:
    """Keep ``processor`` alive until QGIS has used it (LayerDetails does not own it)."""
    _POST_PROCESSORS.append(processor)
    del _POST_PROCESSORS[:-_MAX_POST_PROCESSORS]
    return processor


@dataclass
class OutputSpec:
    """How one written file is published: which output, which style, which layer name."""

    parameter: str
    style: str
    layer_name: str
    companion: bool = False  # loaded below the main output and not visible (dates, quality, classes...)



def date_period(paths: Sequence[str], regex: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """('2021-09-07', '2022-09-02') from the first and last file names, or (None, None)."""
    from ..planaura_plugin.dates import date_from_name, format_date

    try:
        return (format_date(date_from_name(paths[0], regex)), format_date(date_from_name(paths[-1], regex)))
    except (PlanauraError, ValueError, TypeError, IndexError):
        return None, None


def written_dates(path: str) -> List[Optional[str]]:
    """The inputs' dates ('2021-09-07', None where unknown) the core recorded in an output's
    PLANAURA_DATES metadata: right even when the inputs were temporary files with no date in their names."""
    from ..planaura_plugin.dates import format_date
    from ..planaura_plugin.pipeline.metadata import DATES, read_metadata

    values = read_metadata(path).get(DATES)
    if not isinstance(values, list):
        return []
    return [format_date(int(v)) if isinstance(v, int) else None for v in values]


def single_date(path: str, regex: Optional[str]) -> Optional[str]:
    from ..planaura_plugin.dates import date_from_name, format_date

    try:
        return format_date(date_from_name(path, regex))
    except (PlanauraError, ValueError, TypeError):
        return None
