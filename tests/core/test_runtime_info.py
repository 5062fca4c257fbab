"""The threads and BLAS line every change-map run logs (issue 27: QGIS and the command line compared)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import torch

from planaura_plugin.model.runtime_info import describe_runtime, runtime_line

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))


def test_plain_python_uses_torchs_own_blas():
    info = describe_runtime()
    assert info["torch_threads"] == torch.get_num_threads() and info["torch"] == torch.__version__
    assert info["global_openblas"] is False and info["blas_build"]
    line = runtime_line(info)
    assert line == f"torch {torch.__version__}: {torch.get_num_threads()} threads; matrix products: torch's own " \
                   f"({info['blas_build']})"
    from qgis_vs_cli import RUNTIME_LINE  # what make bench reads back from qgis_process's log

    assert RUNTIME_LINE.search(f'"log": "... {line}\\n..."').group(0) == line


def test_an_application_openblas_is_seen_as_qgis_sees_it():
    """OpenBLAS loaded into the global symbols before torch, as QGIS does: the line says so."""
    lib = next((p for p in ("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so",
                            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0") if Path(p).exists()), None)
    if lib is None:
        import pytest
        pytest.skip("no system OpenBLAS here")
    code = (f"import ctypes; ctypes.CDLL({lib!r}, mode=ctypes.RTLD_GLOBAL); "
            "from planaura_plugin.model.runtime_info import describe_runtime, runtime_line; "
            "i = describe_runtime(); print(i['global_openblas']); print(runtime_line(i))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(REPO), check=True)
    first, line = out.stdout.strip().splitlines()
    assert first == "True" and "the application's OpenBLAS" in line
