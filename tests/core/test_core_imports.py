"""The core runs without QGIS, and imports (and explains itself) without torch."""
from __future__ import annotations

import subprocess
import sys

from support import REPO

MODULES = ["planaura_plugin", "planaura_plugin.presets", "planaura_plugin.errors", "planaura_plugin.feedback",
           "planaura_plugin.dates", "planaura_plugin.model.config", "planaura_plugin.model.loading",
           "planaura_plugin.pipeline.requests"]


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=str(REPO), capture_output=True, text=True)


def test_core_never_imports_qgis():
    import pkgutil

    import planaura_plugin

    names = [m.name for m in pkgutil.walk_packages(planaura_plugin.__path__, "planaura_plugin.")
             if not m.name.endswith("__main__")]
    code = ("import sys, importlib\n"
            f"for n in {names!r}: importlib.import_module(n)\n"
            "bad = [m for m in sys.modules if m == 'qgis' or m.startswith('qgis.') or m.startswith('PyQt')]\n"
            "print(len(bad)); sys.exit(1 if bad else 0)")
    out = run(code)
    assert out.returncode == 0, out.stdout + out.stderr
    assert len(names) > 10


def test_core_imports_without_torch_and_says_what_to_install():
    code = ("import sys; sys.modules['torch'] = None\n"
            f"import importlib; [importlib.import_module(n) for n in {MODULES!r}]\n"
            "from planaura_plugin.model.loading import ModelSpec, get_runner\n"
            "from planaura_plugin.errors import MissingDependencyError\n"
            "try:\n    get_runner(ModelSpec(checkpoint='x.pth'))\n"
            "except MissingDependencyError as e:\n    print('OK', e)\n")
    out = run(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("OK PyTorch is not installed") and "Install dependencies" in out.stdout
