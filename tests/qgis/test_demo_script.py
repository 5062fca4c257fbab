"""`make demo` renders its pictures with the plugin's styles: the script imports them as QGIS does
(the plugin package, whose modules import each other relatively), not as top-level modules."""
from __future__ import annotations

import importlib.util
import sys

from support import REPO


def _demo_module():
    spec = importlib.util.spec_from_file_location("planaura_demo_script", REPO / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_demo_imports_the_styles_through_the_plugin_package():
    styles = _demo_module().plugin_module("processing_provider.styles")
    assert styles.__name__.endswith("processing_provider.styles")
    assert "." in styles.__package__  # inside a package: its relative imports resolve
    assert callable(styles.apply_style) and styles.STYLE_BANDS in styles.STYLES
