"""Constants and small services every Planaura algorithm shares: groups, translation, install hints,
settings defaults, YAML reading."""
from __future__ import annotations

import os
from typing import Any, Dict

from qgis.core import QgsProcessingException, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

from . import settings_keys

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")
PLUGIN_ICON = os.path.join(PLUGIN_DIR, "icons", "planaura.svg")
HELP_URL = "https://github.com/planaura-qgis/planaura-qgis#{anchor}"

BASE_CONTEXT = "PlanauraAlgorithm"

# MODEL enum, in this order (qgis_process users pass the index)
MODEL_HLS, MODEL_S2, MODEL_CUSTOM, MODEL_S2_SENEGAL = 0, 1, 2, 3
STRIDE_FAST, STRIDE_DENSE = 0, 1
STRIDES = {STRIDE_FAST: 16, STRIDE_DENSE: 1}

GROUP_CHANGE = "changedetection"
GROUP_EMBEDDINGS = "embeddings"
GROUP_CONFIG = "configuration"


def translate(context: str, text: str) -> str:
    """QCoreApplication.translate; call it with literal strings so that pylupdate5 extracts them."""
    return QCoreApplication.translate(context, text)


def install_hint() -> str:
    """How a user installs the Python dependencies (torch, ...) of the plugin."""
    return QCoreApplication.translate(
        "PlanauraAlgorithm",
        "Install them with Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies, "
        "or run `make setup` in the plugin folder, then run the algorithm again.")


def require_torch() -> None:
    """Raise a QgsProcessingException that says how to install torch when it cannot be imported."""
    try:
        import torch  # noqa: F401 - imported only to see whether it is installed
    except Exception as exc:  # ImportError, or a broken install (missing shared library...)
        raise QgsProcessingException(
            QCoreApplication.translate(
                "PlanauraAlgorithm",
                "Planaura needs PyTorch, which cannot be imported in QGIS's Python ({0}).").format(exc)
            + " " + install_hint()) from exc


def group_name(group_id: str) -> str:
    names = {
        GROUP_CHANGE: translate("PlanauraAlgorithm", "Change detection"),
        GROUP_EMBEDDINGS: translate("PlanauraAlgorithm", "Embeddings"),
        GROUP_CONFIG: translate("PlanauraAlgorithm", "Upstream configuration"),
    }
    return names.get(group_id, group_id)



def read_yaml(path: str) -> Dict[str, Any]:
    try:
        import yaml
    except ImportError as exc:
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "Reading a YAML configuration needs PyYAML.") + " " + install_hint()) from exc
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "Cannot read the configuration {0}: {1}").format(path, exc)) from exc
    if not isinstance(data, dict):
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "The configuration {0} is not a YAML mapping.").format(path))
    return data


def read_run_defaults() -> Dict[str, Any]:
    """Device, half precision and batch size defaults from the plugin settings."""
    settings = QgsSettings()
    device = str(settings.value(settings_keys.DEVICE, settings_keys.DEFAULT_DEVICE) or settings_keys.DEFAULT_DEVICE)
    if device not in settings_keys.DEVICES:
        device = settings_keys.DEFAULT_DEVICE
    try:
        batch = int(settings.value(settings_keys.BATCH_SIZE, settings_keys.DEFAULT_BATCH_SIZE))
    except (TypeError, ValueError):
        batch = settings_keys.DEFAULT_BATCH_SIZE
    half = settings.value(settings_keys.HALF_PRECISION, settings_keys.DEFAULT_HALF_PRECISION, type=bool)
    return {"device": device, "half_precision": bool(half), "batch_size": max(1, batch)}
