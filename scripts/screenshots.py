"""Screenshots of the real dialogs for the README, taken in QGIS desktop under Xvfb.

Run as a script (``make screenshots``), it starts QGIS twice (English, then French) under
``xvfb-run`` with a throw-away profile where the plugin is installed and enabled, and asks
QGIS to run this same file on load (``--code``). Inside QGIS it opens the Plugins ▸ Planaura
menu, the settings dialog and the change-map algorithm dialog, loads the demo's outputs (if
``make demo`` ran) into the map, saves each as a PNG under ``docs/images/`` and quits.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# QGIS's --code runs the file's text, perhaps without __file__: the launcher passes the folder
REPO = Path(os.environ.get("PLANAURA_REPO") or Path(globals().get("__file__", ".")).resolve().parents[1])
IMAGES = REPO / "docs" / "images"
DEMO = REPO / "demo_output"
SAMPLE = REPO / "sample_data"
#: a common laptop screen: every dialog must fit it (tests/qgis/test_ui_fits_screen.py)
SCREEN = (1366, 768)


def launch(lang: str) -> None:
    """QGIS desktop under Xvfb, in a fresh profile with the plugin enabled, running this file."""
    sys.path.insert(0, str(REPO / "plugin_services"))
    import dependencies  # plugin_services/dependencies.py: no Qt, importable as a plain module

    profiles = Path(tempfile.mkdtemp(prefix="planaura_shots_"))
    profile = profiles / "profiles" / "default"
    (profile / "python" / "plugins").mkdir(parents=True)
    (profile / "python" / "plugins" / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(
        "[PythonPlugins]\nplanaura_qgis=true\nprocessing=true\n\n"
        "[qgis]\nshowTips322=false\ncheckVersion=false\n\n[UI]\nUI/showNewsFeed=false\n", encoding="utf-8")
    env = dict(os.environ, PLANAURA_SCREENSHOT_LANG=lang, PLANAURA_REPO=str(REPO))
    env.pop("QT_QPA_PLATFORM", None)  # a real X server this time (Xvfb)
    # the packages `make setup` installed for QGIS's Python (the user's default profile)
    env.setdefault("PLANAURA_DEPS_DIR", str(dependencies.deps_dir(dependencies.default_profile_dir(env={}))))
    cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24", "qgis", "--noversioncheck", "--nologo",
           "--profiles-path", str(profiles), "--lang", lang, "--code", str(REPO / "scripts" / "screenshots.py")]
    try:
        subprocess.run(cmd, env=env, timeout=300, check=False)
    finally:
        shutil.rmtree(profiles, ignore_errors=True)


def shrink(png: Path, colors: int = 192) -> None:
    """Quantise a screenshot to a palette: README images stay small."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)


# --- inside QGIS ------------------------------------------------------------------------------
def capture_in_qgis() -> None:
    from qgis.PyQt.QtCore import QTimer

    steps = [_menu, _settings, _algorithm, _result, _quit]
    state = {"i": 0}

    def next_step():
        if state["i"] < len(steps):
            step = steps[state["i"]]
            state["i"] += 1
            try:
                step()
            except Exception:  # a failed picture must not leave QGIS running
                import traceback

                traceback.print_exc()
            QTimer.singleShot(1500, next_step)

    QTimer.singleShot(4000, next_step)


def _suffix() -> str:
    lang = os.environ.get("PLANAURA_SCREENSHOT_LANG", "en")
    return "" if lang.startswith("en") else "_" + lang.split("_")[0]


def _save(widget_or_pixmap, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    pixmap = widget_or_pixmap.grab() if hasattr(widget_or_pixmap, "grab") else widget_or_pixmap
    path = IMAGES / f"{name}{_suffix()}.png"
    pixmap.save(str(path))
    shrink(path)
    print(f"screenshots: {path}", flush=True)


def _menu() -> None:
    from qgis.PyQt.QtWidgets import QApplication
    from qgis.utils import iface

    window = iface.mainWindow()
    window.resize(*SCREEN)
    window.move(0, 0)
    plugin_menu = iface.pluginMenu()
    planaura = next(a.menu() for a in plugin_menu.actions() if a.menu() and "Planaura" in a.text())
    bar = window.menuBar()
    plugins_action = next(a for a in bar.actions() if a.menu() is plugin_menu)
    origin = bar.mapToGlobal(bar.actionGeometry(plugins_action).bottomLeft())
    plugin_menu.popup(origin)
    QApplication.processEvents()
    entry = next(a for a in plugin_menu.actions() if a.menu() is planaura)
    plugin_menu.setActiveAction(entry)
    planaura.popup(plugin_menu.mapToGlobal(plugin_menu.actionGeometry(entry).topRight()))

    def grab():
        QApplication.processEvents()
        screen = QApplication.primaryScreen()
        left = origin.x() - 10
        width = plugin_menu.width() + planaura.width() + 30
        height = max(plugin_menu.height(), planaura.height() + plugin_menu.actionGeometry(entry).y()) + 40
        _save(screen.grabWindow(0, left, origin.y() - 28, width, height), "plugin_menu")
        planaura.hide()
        plugin_menu.hide()

    from qgis.PyQt.QtCore import QTimer

    QTimer.singleShot(800, grab)


def _settings() -> None:
    from qgis.PyQt.QtWidgets import QApplication
    from qgis.utils import plugins

    plugin = plugins["planaura_qgis"]
    plugin.show_settings()
    dialog = plugin.settings_dialog
    dialog.resize(dialog.sizeHint())  # as it opens on a 1366 × 768 screen: the content scrolls
    dialog.move(0, 0)
    QApplication.processEvents()
    _save(dialog, "settings_dialog")
    # the dependencies, with the offline route unfolded, scrolled into view
    dialog.offline_toggle.setChecked(True)
    QApplication.processEvents()
    dialog.scroll.ensureWidgetVisible(dialog.offline_box)
    QApplication.processEvents()
    _save(dialog, "settings_dependencies")
    dialog.offline_toggle.setChecked(False)
    dialog.reject()


def _algorithm() -> None:
    import processing
    from qgis.PyQt.QtWidgets import QApplication

    before = SAMPLE / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
    after = SAMPLE / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
    dialog = processing.createAlgorithmDialog("planaura:changemap", {"BEFORE": str(before), "AFTER": str(after)})
    dialog.resize(1100, SCREEN[1] - 80)
    dialog.show()
    QApplication.processEvents()
    _save(dialog, "changemap_dialog")
    dialog.close()


def _result() -> None:
    """The demo's outputs in the map: styled change map over the after image, legend in the layer panel."""
    from qgis.core import QgsProject, QgsRasterLayer
    from qgis.PyQt.QtWidgets import QApplication
    from qgis.utils import iface

    change = next(iter(sorted(DEMO.glob("change_map_*.tif"))), None)
    if change is None:
        print("screenshots: no demo output (run `make demo`): result picture skipped", flush=True)
        return
    after = QgsRasterLayer(str(SAMPLE / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"), "HLS 2022-09-02")
    from planaura_qgis.processing_provider.styles import STYLE_BANDS, apply_style

    apply_style(after, STYLE_BANDS)  # true colour, 2-98 % cut: the plugin's own input style
    QgsProject.instance().setCrs(after.crs())
    QgsProject.instance().addMapLayer(after)
    classes = DEMO / change.name.replace("change_map_", "change_classes_")
    if classes.exists():
        layer = QgsRasterLayer(str(classes), "Change classes")
        QgsProject.instance().addMapLayer(layer)
        QgsProject.instance().layerTreeRoot().findLayer(layer.id()).setItemVisibilityChecked(False)
    QgsProject.instance().addMapLayer(QgsRasterLayer(str(change), "Change intensity 2021-09-07 → 2022-09-02"))
    iface.mapCanvas().setExtent(after.extent())
    iface.mapCanvas().refresh()

    def grab():
        QApplication.processEvents()
        _save(iface.mainWindow(), "result_in_qgis")

    from qgis.PyQt.QtCore import QTimer

    QTimer.singleShot(2500, grab)


def _quit() -> None:
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication

    def bye():
        QgsProject.instance().clear()
        QgsProject.instance().setDirty(False)
        QApplication.exit(0)

    QTimer.singleShot(3000, bye)


def _inside_qgis() -> bool:
    try:
        from qgis.utils import iface
    except ImportError:
        return False
    return iface is not None


if _inside_qgis():
    capture_in_qgis()
elif __name__ == "__main__":
    if shutil.which("xvfb-run") is None or shutil.which("qgis") is None:
        raise SystemExit("screenshots: needs xvfb-run and qgis (make setup installs both)")
    for language in ("en_US", "fr_CA"):
        launch(language)
    # the demo's pictures of the change polygons and their areas (scripts/demo.py draws them)
    drawn = sorted(DEMO.glob("change_polygons_*.png"))
    for suffix in ("", "_fr"):
        found = [p for p in drawn if p.stem.endswith("_fr") == (suffix == "_fr")]
        if not found:
            print("screenshots: no demo picture of the change polygons (run `make demo`): skipped", flush=True)
            continue
        shutil.copyfile(found[0], IMAGES / f"change_polygons{suffix}.png")
        shrink(IMAGES / f"change_polygons{suffix}.png")
    # the demo's picture of the embedding tools (scripts/demo_embeddings.py)
    tools = sorted(DEMO.glob("embedding_tools_*.png"))
    if tools:
        shutil.copyfile(tools[0], IMAGES / "embedding_tools.png")
        shrink(IMAGES / "embedding_tools.png")
    else:
        print("screenshots: no demo picture of the embedding tools (run `make demo`): skipped", flush=True)
