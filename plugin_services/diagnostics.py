"""*Settings ▸ Copy diagnostics*: the facts a bug report needs, as plain text.

:func:`diagnostics_text` formats (pure, tested); :func:`collect` gathers the facts on this
machine (plugin version, QGIS, Python, torch, CUDA, GPU, NVIDIA driver, package folder, the
last error). The text stays in English whatever QGIS's language: it is read by whoever fixes
the bug, and a fixed wording can be searched for in the tracker.
"""
from __future__ import annotations

import configparser
import platform
import sys
from pathlib import Path
from typing import Dict, Mapping, Optional

from . import torch_build
from .dependencies import DependencyStatus

PLUGIN_DIR = Path(__file__).resolve().parents[1]
#: the order and the labels of the report's lines
FIELDS = (("plugin", "Planaura for QGIS"), ("qgis", "QGIS"), ("os", "OS"), ("python", "Python"),
          ("torch", "PyTorch"), ("cuda", "CUDA"), ("gpu", "GPU"), ("driver", "NVIDIA driver"),
          ("build", "PyTorch build for this machine"), ("folder", "Package folder"),
          ("packages", "Packages"), ("last_error", "Last error"))


def interpreter() -> str:
    """The Python interpreter running QGIS: inside QGIS ``sys.executable`` is often the QGIS program
    itself (``/usr/bin/qgis``, ``qgis-bin.exe``), so the interpreter beside ``sys.exec_prefix`` is named
    (the one *Install dependencies* runs pip with), else ``sys.executable`` marked as such."""
    from .dependencies import python_executable

    try:
        return python_executable()
    except FileNotFoundError:
        return f"{sys.executable} (not a Python interpreter found next to {sys.exec_prefix})"


def plugin_version(folder: Path = PLUGIN_DIR) -> str:
    """The ``version`` of metadata.txt, or ``unknown``."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(folder / "metadata.txt", encoding="utf-8")
        return parser["general"]["version"]
    except (KeyError, configparser.Error, OSError):
        return "unknown"


def diagnostics_text(facts: Mapping[str, str]) -> str:
    """The report: one ``Label: value`` line per fact (``-`` when unknown); the last error may span lines.

    Args:
        facts: values keyed as in :data:`FIELDS`.

    Returns:
        Plain text ending with a newline.
    """
    lines = ["Planaura for QGIS diagnostics"]
    for key, label in FIELDS:
        value = str(facts.get(key) or "-").strip() or "-"
        lines.append(f"{label}: {value}")
    return "\n".join(lines) + "\n"


def torch_facts(status: DependencyStatus) -> Dict[str, str]:
    """PyTorch's version and place, CUDA (torch's CUDA version and whether it is usable), GPU."""
    facts = {"torch": "not installed", "cuda": "-", "gpu": status.gpu_name or "none"}
    if status.torch_version:
        facts["torch"] = f"{status.torch_version} ({status.torch_location})"
        try:
            import torch

            built = torch.version.cuda or "none (CPU build)"
            mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
        except Exception as exc:  # noqa: BLE001 - a report must never fail
            built, mps = f"? ({type(exc).__name__})", False
        facts["cuda"] = f"built for {built}; available: {'yes' if status.cuda_available else 'no'}" + (
            "; Apple GPU (mps) available" if mps else "")
    elif status.torch_error:
        facts["torch"] = f"cannot be imported: {status.torch_error}"
    elif status.packages.get("torch"):
        facts["torch"] = str(status.packages["torch"])
    return facts


def collect(status: DependencyStatus, qgis_version: str, last_error: str,
            smi: Optional[torch_build.SmiResult] = None) -> Dict[str, str]:
    """The facts of this machine for :func:`diagnostics_text`.

    Args:
        status: the dependency probe (``dependencies.probe``; torch imported when installed).
        qgis_version: ``Qgis.QGIS_VERSION``.
        last_error: the last error the plugin recorded (``last_error.last_error()``).
        smi: a nvidia-smi result (tests); run here when None (except on macOS).

    Returns:
        Values keyed as in :data:`FIELDS`.
    """
    if smi is None:
        smi = torch_build.SmiResult(found=False) if sys.platform == "darwin" else torch_build.run_nvidia_smi()
    driver, smi_gpu = torch_build.parse_nvidia_smi(smi.stdout) if smi.returncode == 0 else (None, None)
    build = torch_build.choose_torch_build(sys.platform, smi)
    facts = {
        "plugin": plugin_version(),
        "qgis": qgis_version,
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{status.python} ({interpreter()})",
        "driver": driver or ("no nvidia-smi" if not smi.found else f"nvidia-smi failed: {build.detail}"),
        "build": build.describe(),
        "folder": f"{status.folder} ({'on' if status.folder_on_path else 'not on'} sys.path)",
        "packages": ", ".join(f"{name} {version or 'missing'}" for name, version in status.packages.items()),
        "last_error": last_error or "none recorded",
    }
    facts.update(torch_facts(status))
    if facts["gpu"] == "none" and smi_gpu:
        facts["gpu"] = f"{smi_gpu} (seen by nvidia-smi, not by torch)"
    return facts
