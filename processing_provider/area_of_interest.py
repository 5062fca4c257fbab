"""The *Area of interest* (EXTENT) of an algorithm in its raster's CRS, or a refusal.

QGIS returns a null rectangle when it cannot transform the extent to the raster's CRS (an extent
far outside the CRS's area of use): the run must not then go on over the whole image as if no area
had been given.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from qgis.core import QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication


def extent_in_crs(alg, parameters: Dict[str, Any], name: str, context, crs) -> Optional[Tuple[float, ...]]:
    """``(xmin, ymin, xmax, ymax)`` of the extent parameter ``name`` in ``crs``; None when none is given.

    Raises:
        QgsProcessingException: an extent is given but cannot be placed in ``crs`` (QGIS's transform
            gave no rectangle).
    """
    if not parameters.get(name):
        return None
    rect = alg.parameterAsExtent(parameters, name, context, crs)
    if rect.isNull() or rect.isEmpty():  # QGIS gives an empty rectangle for a failed transform too
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "The area of interest {0} cannot be placed in the image's CRS ({1}): it has no "
            "area there (a point or a line, or an extent outside the region where that CRS is defined, far from "
            "the image). Give an area of interest that covers part of the image, or none.").format(
            parameters.get(name), crs.authid() or crs.description()))
    return rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()
