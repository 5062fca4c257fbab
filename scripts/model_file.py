"""Write a Processing model (``.model3``) built with the Planaura provider, from a plain Python process.

Shared by the scripts that regenerate the committed models (``scripts/make_example_model.py``,
``tests/qgis/data/make_two_pairs_model.py``): QGIS is started offscreen with this repository
linked as the ``planaura_qgis`` plugin, the provider registered, the model built, validated and
written.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict

REPO = Path(__file__).resolve().parents[1]


def write_model_file(build_model: Callable[[], Any], path: Path) -> None:
    """Build the model with the Planaura provider registered, validate it and write it to ``path``.

    Args:
        build_model: returns a QgsProcessingModelAlgorithm (called once QGIS and the provider are up).
        path: the ``.model3`` file to write (its folder is created).

    Raises:
        SystemExit: the model is not valid (QGIS's reasons), or the file cannot be written.
    """
    write_model_files({path: build_model})


def write_model_files(models: Dict[Path, Callable[[], Any]]) -> None:
    """:func:`write_model_file` for several models (one QGIS start): ``{path: build_model}``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    plugins = Path(tempfile.mkdtemp(prefix="planaura_qgis_plugins_"))
    (plugins / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(plugins))
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from planaura_qgis.processing_provider.provider import PlanauraProvider

    provider = PlanauraProvider()  # keep a reference while the model is built
    QgsApplication.processingRegistry().addProvider(provider)
    try:
        for path, build_model in models.items():
            model = build_model()
            ok, errors = model.validate()
            if not ok:
                raise SystemExit("the model is not valid: " + "; ".join(errors))
            path.parent.mkdir(parents=True, exist_ok=True)
            if not model.toFile(str(path)):
                raise SystemExit(f"could not write {path}")
            print(f"wrote {path}: parameters {[p.name() for p in model.parameterDefinitions()]}")
    finally:
        (plugins / "planaura_qgis").unlink()
        plugins.rmdir()
