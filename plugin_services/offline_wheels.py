"""The offline route of *Install dependencies*: a folder of wheels made on a computer with internet,
installed from the dialog without any connection.

:func:`pip_download_command` is the command to run elsewhere (any OS, any Python with pip): it
asks for the wheels of *this* QGIS's platform and Python (``--platform``, ``--python-version``,
``--only-binary=:all:``), at the pins of requirements.txt and with QGIS's numpy and scipy.
:func:`offline_install_command` turns the dialog's usual pip command into one that reads only
that folder (``--no-index --find-links``).

No Qt and no QGIS here.
"""
from __future__ import annotations

import shlex
import subprocess
import sys
import sysconfig
from typing import List, Optional, Sequence

#: ``--platform`` tags per ``sysconfig.get_platform()``: pip accepts several and takes a wheel of any.
#: Linux wheels of torch are manylinux_2_28, older packages manylinux2014 (= manylinux_2_17).
_PLATFORM_TAGS = {
    "linux-x86_64": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"),
    "linux-aarch64": ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"),
    "win-amd64": ("win_amd64",),
    "win-arm64": ("win_arm64",),
    "macosx-arm64": ("macosx_14_0_arm64", "macosx_12_0_arm64", "macosx_11_0_arm64"),
    "macosx-x86_64": ("macosx_12_0_x86_64", "macosx_11_0_x86_64", "macosx_10_15_x86_64", "macosx_10_13_x86_64"),
}
#: The folder name the command writes into (the user picks it in the dialog afterwards).
DEFAULT_FOLDER = "planaura_wheels"


def platform_tags(platform: Optional[str] = None) -> List[str]:
    """pip ``--platform`` tags for ``platform`` (``sysconfig.get_platform()`` form: ``linux-x86_64``,
    ``win-amd64``, ``macosx-11.0-arm64``); this machine's by default.

    Raises:
        ValueError: a platform PyTorch publishes no wheels for.
    """
    platform = (platform or sysconfig.get_platform()).lower()
    arch = platform.rsplit("-", 1)[-1]
    if platform.startswith("macosx-"):  # macosx-11.0-arm64: the OS version is not the wheels'
        platform = f"macosx-{arch}"
    elif platform.startswith("linux-"):
        platform = "linux-aarch64" if arch == "arm64" else f"linux-{arch}"
    if platform not in _PLATFORM_TAGS:
        raise ValueError(f"no wheels of PyTorch are published for the platform {platform}")
    return list(_PLATFORM_TAGS[platform])


def _quote(arg: str, windows: bool) -> str:
    if windows:
        return subprocess.list2cmdline([arg])
    return shlex.quote(arg)


def pip_download_command(specs: Sequence[str], python_version: Sequence[int] = sys.version_info,
                         platform: Optional[str] = None, index_url: Optional[str] = None,
                         folder: str = DEFAULT_FOLDER) -> str:
    """The ``pip download`` command (one line, quoted for the target's shell) that fills ``folder``
    with the wheels of ``specs`` for this QGIS's platform and Python.

    Args:
        specs: the requirement strings (``torch==2.13.0+cpu``, ``numpy==1.26.4``...).
        python_version: QGIS's Python (major, minor).
        platform: ``sysconfig.get_platform()`` of QGIS's machine (default: this one).
        index_url: the PyTorch wheel index of the build to install (CPU or CUDA), added with
            ``--extra-index-url``; None: torch from PyPI.
        folder: where the wheels go.

    Raises:
        ValueError: no specs, or a platform without PyTorch wheels.
    """
    if not specs:
        raise ValueError("nothing to download")
    platform = platform or sysconfig.get_platform()
    windows = platform.lower().startswith("win")
    major, minor = int(python_version[0]), int(python_version[1])
    args = ["python", "-m", "pip", "download", "--dest", folder, "--only-binary=:all:",
            "--python-version", f"{major}.{minor}", "--implementation", "cp"]
    for tag in platform_tags(platform):
        args += ["--platform", tag]
    if index_url:
        args += ["--extra-index-url", index_url]
    args += list(specs)
    return " ".join(_quote(arg, windows) for arg in args)


def offline_install_command(cmd: Sequence[str], folder: str) -> List[str]:
    """The dialog's ``pip install`` command ``cmd`` made to read only the wheels in ``folder``:
    ``--no-index --find-links <folder>``, without its ``--extra-index-url``/``--index-url``."""
    out: List[str] = []
    skip = False
    for arg in cmd:
        if skip:
            skip = False
            continue
        if arg in ("--extra-index-url", "--index-url", "-i"):
            skip = True
            continue
        if arg.startswith(("--extra-index-url=", "--index-url=")):
            continue
        out.append(arg)
    where = out.index("install") + 1 if "install" in out else len(out)
    return out[:where] + ["--no-index", "--find-links", str(folder)] + out[where:]
