"""Constants and small services every Planaura algorithm shares: groups, translation, install hints,
settings defaults, YAML reading."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict

from qgis.core import QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication


PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")
PLUGIN_ICON = os.path.join(PLUGIN_DIR, "icons", "planaura.svg")

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
    """How a user installs the Python dependencies (torch, ...) of the plugin: the settings dialog;
    ``make setup`` only where it exists (a source checkout, not a ZIP install)."""
    if os.path.isfile(os.path.join(PLUGIN_DIR, "Makefile")):
        return QCoreApplication.translate(
            "PlanauraAlgorithm",
            "Install them with Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies, "
            "or run `make setup` in the plugin folder, then run the algorithm again.")
    return QCoreApplication.translate(
        "PlanauraAlgorithm",
        "Install them with Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies, then run the algorithm again.")


#: packages *Install dependencies* leaves out: Dask for runs on a cluster (README, Running at scale)
DASK_PACKAGES = ("dask", "distributed", "cryptography")


def missing_package_hint(exc: BaseException) -> str:
    """What to do about a missing package: :func:`install_hint`, except for Dask, which *Install
    dependencies* does not install (its message already gives the pip command)."""
    cause = exc.__cause__ if isinstance(exc.__cause__, ImportError) else exc
    name = (getattr(cause, "name", None) or "").split(".")[0]
    words = f" {exc} ".replace("'", " ").replace(",", " ")
    if name in DASK_PACKAGES or any(f" {package} " in words for package in DASK_PACKAGES):
        return QCoreApplication.translate(
            "PlanauraAlgorithm",
            "Install dependencies does not install Dask: run that pip command with QGIS's Python, adding "
            "--target and the plugin package folder shown in Plugins ▸ Planaura ▸ Settings…; or leave the Dask "
            "scheduler empty to run the pairs in QGIS.")
    return install_hint()


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



def model_config_spec(path: str, fallback_preset: Any) -> Any:
    """The core's ModelSpec of a *Model configuration* YAML, resolved as the command line does
    (:func:`planaura_plugin.upstream.spec_from_yaml`; relative paths from the YAML's folder).

    Args:
        path: the YAML file.
        fallback_preset: the preset of the *Model* choice, for a YAML without statistics nor model name.

    Raises:
        QgsProcessingException: the file cannot be read or its model_params are not usable.
    """
    from ..planaura_plugin.errors import PlanauraError
    from ..planaura_plugin.upstream import read_yaml, spec_from_yaml

    try:
        return spec_from_yaml(read_yaml(path), Path(os.path.abspath(path)).parent, fallback_preset)
    except ModuleNotFoundError as exc:
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "Reading a YAML configuration needs PyYAML.") + " " + install_hint()) from exc
    except PlanauraError as exc:
        raise QgsProcessingException(QCoreApplication.translate(
            "PlanauraAlgorithm", "Model configuration {0}: {1}").format(path, exc)) from exc


def read_run_defaults() -> Dict[str, Any]:
    """Device, half precision and batch size defaults from the plugin settings (read by the one typed
    reader, ``plugin_services.settings.load_settings``, as the settings dialog shows them)."""
    from ..plugin_services.settings import load_settings

    values = load_settings()
    return {"device": values.device, "half_precision": values.half_precision, "batch_size": values.batch_size}
