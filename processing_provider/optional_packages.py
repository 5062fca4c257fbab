"""Packages only some outputs need (pyarrow for GeoParquet tables, scikit-learn for change types):
the message an algorithm gives *before* the run when one is missing.

The message names the button that installs them: Plugins ▸ Planaura ▸ Settings… ▸ Install
dependencies (``ui/settings_dialog.py``; it installs the optional packages with the others).
"""
from __future__ import annotations

import importlib.util
from typing import Optional

from qgis.PyQt.QtCore import QCoreApplication

#: what each optional module is installed as
PACKAGES = {"pyarrow": "pyarrow", "sklearn": "scikit-learn"}


def installed(module: str) -> bool:
    """Whether QGIS's Python can import ``module`` (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_package_message(module: str, what: str) -> Optional[str]:
    """None when ``module`` is installed; else the translated message that says how to install it.

    Args:
        module: the import name (``pyarrow``, ``sklearn``).
        what: the output that needs it, as the user named it (a file name, "change types").

    Returns:
        The message, or None.
    """
    if installed(module):
        return None
    return QCoreApplication.translate(
        "PlanauraAlgorithm",
        "{0} needs the Python package {1}, which is not installed in QGIS's Python. Install it with "
        "Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies (it installs the optional packages too), "
        "then run the algorithm again.").format(what, PACKAGES.get(module, module))
