"""Which threads and which BLAS the model's CPU work runs on (issue 27: QGIS as fast as the command line).

The same run can take more CPU time inside QGIS than from a shell: QGIS links the system
OpenBLAS into the application, so torch's matrix products bind to it instead of torch's own
(MKL in the PyPI wheels; see :mod:`.blas`). :func:`describe_runtime` says what this process
uses, for the log of every run and for ``make bench``'s QGIS / command line comparison.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from ..i18n import _


def _loaded_blas() -> List[Dict[str, Any]]:
    """BLAS and OpenMP libraries loaded in the process (threadpoolctl), empty without it."""
    try:
        from threadpoolctl import threadpool_info  # type: ignore[import-untyped]
    except ImportError:
        return []
    keep = ("user_api", "internal_api", "version", "threading_layer", "num_threads", "filepath")
    return [{k: lib.get(k) for k in keep} for lib in threadpool_info()]


def describe_runtime() -> Dict[str, Any]:
    """``{"torch", "torch_threads", "interop_threads", "blas_build", "global_openblas", "libraries"}``.

    ``blas_build``: the BLAS torch was built with (``BLAS_INFO`` of ``torch.__config__.show()``);
    ``global_openblas``: True when OpenBLAS is in the process's global symbols (QGIS), so that
    torch's matrix products run there; ``libraries``: threadpoolctl's list, when installed.
    """
    import torch

    from .blas import global_openblas

    match = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return {"torch": torch.__version__, "torch_threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(), "blas_build": match.group(1) if match else None,
            "global_openblas": global_openblas() is not None, "libraries": _loaded_blas()}


def runtime_line(info: Dict[str, Any]) -> str:
    """One log line from :func:`describe_runtime`'s dict."""
    if info["global_openblas"]:
        blas = _("the application's OpenBLAS (global symbols: torch's matrix products run there)")
    else:
        blas = _("torch's own ({name})").format(name=info["blas_build"] or "?")
    return _("torch {version}: {threads} threads; matrix products: {blas}").format(
        version=info["torch"], threads=info["torch_threads"], blas=blas)
