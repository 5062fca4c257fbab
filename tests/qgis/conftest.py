"""QGIS test fixtures: the plugin importable as ``planaura_qgis``, its provider, small data.

QGIS installs the plugin as a folder named ``planaura_qgis``; the repository root is that
folder. A temporary plugins folder holding a symlink ``planaura_qgis -> <repo>`` is put on
``sys.path`` (and given to ``qgis_process`` as QGIS_PLUGINPATH), so the tests import exactly
what QGIS imports. Data: 128 x 128 crops of the bundled sample pair (HLS names, so dates
are found) and the tiny test checkpoint with a YAML that describes its architecture.
"""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Optional

import pytest

from support import REPO, TINY

if TYPE_CHECKING:
    import subprocess

PLUGIN_NAME = "planaura_qgis"
PLUGINS_DIR = Path(tempfile.mkdtemp(prefix="planaura_qgis_plugins_"))
(PLUGINS_DIR / PLUGIN_NAME).symlink_to(REPO, target_is_directory=True)
atexit.register(shutil.rmtree, PLUGINS_DIR, True)
if str(PLUGINS_DIR) not in sys.path:
    sys.path.insert(0, str(PLUGINS_DIR))

SAMPLE = REPO / "sample_data"
BEFORE_NAME = "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER_NAME = "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
CROP = 128
# crop offsets (x, y) in the sample images: pair A holds the burn scar's edge, pair B overlaps A
CROP_A = (256, 128)
CROP_B = (320, 192)

TINY_YAML = """\
# the tiny test architecture (tests/support.py TINY), HLS statistics by default
model_params:
  img_size: {img_size}
  embed_dim: {embed_dim}
  depth: {depth}
  num_heads: {num_heads}
  decoder_embed_dim: {decoder_embed_dim}
  decoder_depth: {decoder_depth}
  decoder_num_heads: {decoder_num_heads}
""".format(**TINY)


def crop(src: Path, dst: Path, xoff: int, yoff: int, size: int = CROP, bands: Optional[list] = None) -> Path:
    """A GeoTIFF window of ``src`` (same type, nodata, CRS), optionally only some bands."""
    from osgeo import gdal

    dst.parent.mkdir(parents=True, exist_ok=True)
    options = gdal.TranslateOptions(srcWin=[xoff, yoff, size, size], bandList=bands,
                                    creationOptions=["COMPRESS=LZW"])
    ds = gdal.Translate(str(dst), str(src), options=options)
    assert ds is not None, f"gdal.Translate failed for {src}"
    ds = None
    return dst


@pytest.fixture(scope="session")
def plugins_dir() -> Path:
    """A QGIS plugins folder holding the plugin as ``planaura_qgis``."""
    return PLUGINS_DIR


@pytest.fixture(scope="session")
def planaura_provider(qgis_processing):
    """The Planaura provider, registered once in the test session's processing registry."""
    from qgis.core import QgsApplication

    from planaura_qgis.processing_provider.provider import PlanauraProvider

    from planaura_qgis.planaura_plugin.i18n import set_language

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("planaura")
    if provider is None:
        provider = PlanauraProvider()
        assert registry.addProvider(provider)
    set_language("en")  # the provider follows the machine's locale; the tests read English messages
    return provider


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """Crops of the sample pair: a/ (pair A) and b/ (pair B), with their Fmasks (upstream names)."""
    root = tmp_path_factory.mktemp("planaura_data")
    for folder, (x, y) in (("a", CROP_A), ("b", CROP_B)):
        for name in (BEFORE_NAME, AFTER_NAME):
            crop(SAMPLE / name, root / folder / name, x, y)
            crop(SAMPLE / f"fmask_{name}", root / folder / f"fmask_{name}", x, y)
    crop(SAMPLE / BEFORE_NAME, root / "three_bands" / BEFORE_NAME, *CROP_A, bands=[1, 2, 3])
    return root


@pytest.fixture(scope="session")
def pair_a(data_dir) -> Dict[str, str]:
    d = data_dir / "a"
    return {"before": str(d / BEFORE_NAME), "after": str(d / AFTER_NAME),
            "before_fmask": str(d / f"fmask_{BEFORE_NAME}"), "after_fmask": str(d / f"fmask_{AFTER_NAME}")}


@pytest.fixture(scope="session")
def pair_b(data_dir) -> Dict[str, str]:
    d = data_dir / "b"
    return {"before": str(d / BEFORE_NAME), "after": str(d / AFTER_NAME)}


@pytest.fixture(scope="session")
def tiny_yaml(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("planaura_config") / "tiny_model.yaml"
    path.write_text(TINY_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_model(tiny_checkpoint, tiny_yaml) -> Dict[str, object]:
    """Algorithm parameters that run the tiny checkpoint on the CPU."""
    return {"MODEL": 0, "CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml),
            "DEVICE": 1, "HALF_PRECISION": False, "BATCH_SIZE": 4}


@pytest.fixture
def run_alg(planaura_provider):
    """``run_alg(id, parameters, feedback=None) -> results``, in a fresh processing context."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    def run(alg_id: str, parameters: dict, feedback=None, context=None):
        context = context or QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg_id, parameters, feedback=feedback or QgsProcessingFeedback(), context=context)

    return run


class RecordingFeedback:
    """Factory of a QgsProcessingFeedback that records errors, warnings and progress."""

    @staticmethod
    def make(cancel_after_progress: bool = False, cancel_on_text: str = ""):
        """``cancel_after_progress``: cancel at the first progress above 0;
        ``cancel_on_text``: cancel at the first progress whose text holds this string."""
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.errors, self.warnings, self.infos, self.progress_values = [], [], [], []
                self.texts = []
                self.progressChanged.connect(self._on_progress)

            def setProgressText(self, text):  # noqa: N802 - QGIS API
                self.texts.append(text)
                super().setProgressText(text)

            def _on_progress(self, value):
                self.progress_values.append(value)
                text = self.texts[-1] if self.texts else ""
                if (cancel_after_progress and value > 0) or (cancel_on_text and cancel_on_text in text):
                    self.cancel()

            def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
                self.errors.append(error)

            def pushWarning(self, warning):  # noqa: N802 - QGIS API
                self.warnings.append(warning)

            def pushInfo(self, info):  # noqa: N802 - QGIS API
                self.infos.append(info)

        return _Feedback()


@pytest.fixture
def no_layer_tree_view(monkeypatch):
    """Processing's post-processing runs as without a layer tree panel, on every QGIS.

    pytest-qgis's stand-in iface gives a MagicMock for ``layerTreeView()``. QGIS 3.22 to 3.40 only
    call methods on it (``currentNode()``, ``setUpdatesEnabled()``), which the MagicMock takes; from
    3.44 on, post-processing also hands it to a C++ call, ``QgsProcessingGuiUtils.addResultLayers``,
    which refuses a MagicMock (TypeError) but accepts no view (it then inserts at the top of the
    project's tree). So where Processing has that call, it is given None as the view; the
    stand-in stays for the method calls. A real QgsLayerTreeView crashes the offscreen test
    session (SIGFPE in Qt's event loop).
    """
    from processing.gui import Postprocessing

    real = getattr(Postprocessing, "QgsProcessingGuiUtils", None)
    if real is None or not hasattr(real, "addResultLayers"):
        return  # QGIS < 3.44: nothing is handed to C++

    class WithoutView:
        """QgsProcessingGuiUtils, with addResultLayers given no layer tree view."""

        def __getattr__(self, name):
            return getattr(real, name)

        @staticmethod
        def addResultLayers(layers, context, _view=None):
            return real.addResultLayers(layers, context, None)

    monkeypatch.setattr(Postprocessing, "QgsProcessingGuiUtils", WithoutView())


@pytest.fixture
def recording_feedback():
    return RecordingFeedback.make


def files_in(folder: Path) -> list:
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


@pytest.fixture
def list_files():
    """``list_files(folder)``: every file under ``folder``, relative, sorted."""
    return files_in


def env_for_qgis_process(plugins: Path, profile: Path) -> Dict[str, str]:
    """Environment of a ``qgis_process.bin`` run that loads the plugin from ``plugins``."""
    import sysconfig

    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QGIS_PLUGINPATH"] = str(plugins)
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(profile)
    env.pop("QGIS_OPTIONS_PATH", None)
    # QGIS's embedded Python is the system one: make the venv's packages (torch...) visible to it
    venv_paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(venv_paths + [p for p in env.get("PYTHONPATH", "").split(
        os.pathsep) if p]))
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    return env


@pytest.fixture(scope="session", autouse=True)
def collect_qgis_garbage_before_exit(qgis_app):
    """Free Python wrappers of QGIS objects (feedbacks, contexts, layers) before QGIS exits:
    collected after exitQgis() they can crash the interpreter at the end of the session."""
    yield
    import gc

    from qgis.core import QgsMapLayer, QgsProject

    for attribute in ("last_type", "last_value", "last_traceback"):  # failed tests keep their frames here
        if hasattr(sys, attribute):
            setattr(sys, attribute, None)
    QgsProject.instance().removeAllMapLayers()
    gc.collect()
    try:
        from qgis.PyQt import sip
    except ImportError:  # pragma: no cover - sip ships with PyQt
        return
    for obj in gc.get_objects():  # layers Python still owns die now, while QGIS is up
        try:
            if isinstance(obj, QgsMapLayer) and sip.ispyowned(obj):
                sip.delete(obj)
        except (ReferenceError, RuntimeError):
            continue
    gc.collect()


QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


class QgisProcess:
    """Runs ``qgis_process.bin`` with the plugin enabled in a throw-away profile."""

    def __init__(self, plugins: Path, profile: Path) -> None:
        self.env = env_for_qgis_process(plugins, profile)

    def __call__(self, *args: str, timeout: int = 600) -> "subprocess.CompletedProcess":
        import subprocess

        return subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True, env=self.env, timeout=timeout)

    def run_json(self, alg: str, parameters: Dict[str, object], timeout: int = 600):
        """``run alg -- KEY=VALUE ...`` with --json; returns (CompletedProcess, parsed JSON or None)."""
        import json

        args = ["--json", "run", alg, "--"]
        for key, value in parameters.items():
            for item in (value if isinstance(value, (list, tuple)) else [value]):
                args.append(f"{key}={item}")
        done = self(*args, timeout=timeout)
        try:
            data = json.loads(done.stdout[done.stdout.index("{"):]) if "{" in done.stdout else None
        except ValueError:
            data = None
        return done, data


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory, plugins_dir) -> QgisProcess:
    """qgis_process with a fresh profile in which ``plugins enable planaura_qgis`` was run."""
    if not os.path.exists(QGIS_PROCESS):
        pytest.fail(f"{QGIS_PROCESS} not found: install QGIS (make setup)")
    runner = QgisProcess(plugins_dir, tmp_path_factory.mktemp("qgis_profile"))
    done = runner("plugins", "enable", PLUGIN_NAME)
    assert done.returncode == 0, done.stdout + done.stderr
    return runner


@pytest.fixture(scope="module", autouse=True)
def release_cached_models():
    """Free the networks cached by a test module's runs, so that modules start alike."""
    yield
    if "planaura_qgis.planaura_plugin.model.loading" in sys.modules:
        sys.modules["planaura_qgis.planaura_plugin.model.loading"].release_models()
