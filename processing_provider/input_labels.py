"""How an input image is called in a layer name when its date is unknown.

A temporary output of another algorithm (a model's intermediate file) is named after its
parameter (``OUTPUT.tif``): such a name says nothing to the user, so the image's role
("before image", "after image") is used instead.
"""
from __future__ import annotations

import os
import re

from qgis.core import QgsProcessingUtils
from qgis.PyQt.QtCore import QCoreApplication

_PARAMETER_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")  # OUTPUT, OUTPUT_PERSISTENCE...


def is_temporary_output(path: str) -> bool:
    """Whether ``path`` is a Processing temporary output: in QGIS's temporary folder, or named like an
    output parameter (``OUTPUT.tif``)."""
    if not path:
        return False
    file_path = path.split("|")[0]
    stem = os.path.splitext(os.path.basename(file_path))[0]
    try:
        folder = os.path.realpath(QgsProcessingUtils.tempFolder())
        inside = os.path.realpath(file_path).startswith(folder + os.sep)
    except (OSError, RuntimeError):
        inside = False
    return inside or bool(_PARAMETER_NAME.match(stem))


def undated_label(path: str, role: str) -> str:
    """The short file name of ``path``, or the translated ``role`` ('before', 'after', 'image')
    when ``path`` is a temporary output whose name would say nothing."""
    from ..planaura_plugin.raster.datasets import short_name

    if not is_temporary_output(path):
        return short_name(path)
    roles = {"before": QCoreApplication.translate("PlanauraAlgorithm", "before image"),
             "after": QCoreApplication.translate("PlanauraAlgorithm", "after image"),
             "image": QCoreApplication.translate("PlanauraAlgorithm", "image")}
    return roles.get(role, roles["image"])
