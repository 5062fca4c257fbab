"""Demo: the bundled sample pair through ``qgis_process planaura:changemap``, then a styled PNG.

1. Weights: the official Planaura-1.0-HLS checkpoint when it is in the Hugging Face cache or
   can be downloaded; otherwise one line says so and a deterministic random-weight checkpoint
   of the official architecture (``../shared/tools/make_checkpoint.py --preset base``, cached
   in ``.cache/checkpoints``) is used, and every output name says ``randomweights``.
2. The sample pair as NASA distributes HLS v2.0: each date written as a granule of per-band
   Cloud-Optimised GeoTIFFs plus its ``Fmask`` (``demo_output/granules/``), and one band file of
   each granule handed to the algorithm: the six model bands and the Fmask are found beside it.
3. The change map: ``qgis_process.bin run planaura:changemap`` with the plugin as ``make setup``
   installed it (default profile, enabled, dependencies in its own folder) — exactly what a
   user's script runs. Should the algorithm be missing, the core computes the map instead.
4. A PNG of the styled change map (its ``.qml`` sidecar) over the after image (true colour),
   rendered by QGIS itself (QgsMapSettings + QgsMapRendererParallelJob, offscreen).
5. The change polygons and their area report (``qgis_process.bin run planaura:changepolygons``,
   or the core when the algorithm is missing), and a PNG of the polygons over the after image
   with the report's areas per class, in English and French (``make docs`` copies both into
   ``docs/images/``).
6. The embedding tools (:mod:`demo_embeddings`): the after date's embeddings, their colour view and
   a similarity map from one seed point, drawn side by side.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PLUGIN_PACKAGE = "planaura_qgis"  # the plugin's folder name in QGIS: its modules import each other relatively


def plugin_module(name: str):
    """``processing_provider.styles`` of this checkout imported as the plugin package QGIS loads
    (``planaura_qgis.processing_provider.styles``), through a temporary folder linking to the checkout."""
    import atexit
    import importlib

    if PLUGIN_PACKAGE not in sys.modules:
        plugins = Path(tempfile.mkdtemp(prefix="planaura_demo_plugins_"))
        (plugins / PLUGIN_PACKAGE).symlink_to(REPO, target_is_directory=True)
        atexit.register(shutil.rmtree, plugins, True)
        sys.path.insert(0, str(plugins))
    return importlib.import_module(f"{PLUGIN_PACKAGE}.{name}")

SAMPLE = REPO / "sample_data"
OUT = REPO / "demo_output"
SHARED = Path(os.environ.get("PLANAURA_SHARED", REPO.parent / "shared"))
BEFORE = SAMPLE / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = SAMPLE / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
ALGORITHM = "planaura:changemap"
POLYGONS_ALGORITHM = "planaura:changepolygons"
# Qt wants a private runtime folder; without one it prints a warning in every process
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="planaura_demo_runtime_"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the pictures are drawn without a display


def hub_reachable(host: str = "huggingface.co", timeout: float = 3.0) -> bool:
    """A quick connection test, so an offline machine does not wait for the hub's retries."""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def weights() -> Tuple[str, str]:
    """(checkpoint path, label): the official weights if cached or downloadable, else a random-weight stand-in."""
    from planaura_plugin.errors import WeightsUnavailableError
    from planaura_plugin.model.checkpoint import hf_checkpoint_path
    from planaura_plugin.presets import HLS

    offline = (os.environ.get("HF_HUB_OFFLINE") or "").lower() in {"1", "true", "yes", "on"}
    try:
        return str(hf_checkpoint_path(HLS.checkpoint_file, offline=True)), "official"
    except WeightsUnavailableError:
        pass
    if not offline and hub_reachable():
        try:
            print("demo: downloading the official Planaura-1.0-HLS weights (about 450 MB) into the Hugging Face cache")
            return str(hf_checkpoint_path(HLS.checkpoint_file)), "official"
        except WeightsUnavailableError:
            pass
    print("demo: the official Planaura-1.0-HLS weights cannot be fetched (offline); using a deterministic "
          "random-weight checkpoint of the same architecture, outputs labelled randomweights")
    ck = REPO / ".cache" / "checkpoints" / "base_s0.pth"
    if not ck.exists():
        ck.parent.mkdir(parents=True, exist_ok=True)
        tmp = ck.with_suffix(f".tmp{os.getpid()}")
        subprocess.run([sys.executable, str(SHARED / "tools" / "make_checkpoint.py"), "--preset", "base",
                        "--seed", "0", "--out", str(tmp)], check=True, stdout=subprocess.DEVNULL)
        os.replace(tmp, ck)
    return str(ck), "randomweights"


def qgis_process() -> Optional[str]:
    """Debian's real binary (its /usr/bin/qgis_process wrapper passes an option 3.22 rejects)."""
    return shutil.which("qgis_process.bin") or shutil.which("qgis_process")


def qgis_process_env() -> Dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def has_algorithm(binary: str, algorithm: str = ALGORITHM) -> bool:
    done = subprocess.run([binary, "help", algorithm], capture_output=True, text=True, env=qgis_process_env())
    return done.returncode == 0


HLS_S30_BANDS = ("B02", "B03", "B04", "B8A", "B11", "B12")  # the sample stacks' band order


def write_granule(stack: Path, folder: Path) -> Path:
    """``stack`` (6 bands + ``fmask_<name>`` beside it) as an HLS v2.0 granule; returns its B04 file."""
    from osgeo import gdal

    granule = stack.name[:-len(".tif")]  # HLS.S30.T15SXR.2021250T163901.v2.0
    folder.mkdir(parents=True, exist_ok=True)
    for k, band in enumerate(HLS_S30_BANDS, start=1):
        gdal.Translate(str(folder / f"{granule}.{band}.tif"), str(stack), bandList=[k], format="COG",
                       creationOptions=["COMPRESS=DEFLATE"])
    gdal.Translate(str(folder / f"{granule}.Fmask.tif"), str(stack.parent / f"fmask_{stack.name}"), format="COG",
                   creationOptions=["COMPRESS=DEFLATE"])
    return folder / f"{granule}.B04.tif"


def run_qgis_process(binary: str, checkpoint: str, outputs: Dict[str, Path], before: Path, after: Path) -> None:
    """``qgis_process.bin run planaura:changemap -- BEFORE=... AFTER=... OUTPUT=...`` (printed, then run)."""
    args = [binary, "run", ALGORITHM, "--", f"BEFORE={before}", f"AFTER={after}", "MODEL=0",
            f"CHECKPOINT={checkpoint}", "DEVICE=0"]
    args += [f"{key}={path}" for key, path in outputs.items()]
    shown = " ".join(str(a).replace(str(REPO) + "/", "") for a in args)
    print(f"demo: QT_QPA_PLATFORM=offscreen {shown}")
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, env=qgis_process_env())
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"demo: qgis_process failed (exit {done.returncode})")
    for line in done.stdout.splitlines():
        if re.match(r"^\d+ tile\(s\)|^Model |^Device ", line):
            print(f"demo:   {line}")
    print(f"demo: qgis_process finished in {time.monotonic() - started:.0f} s")


def core_change_map(checkpoint: str, tif: Path) -> None:
    """Fallback without the Processing algorithm: the core alone (fast mode, one 512 tile)."""
    import numpy as np
    from osgeo import gdal

    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from planaura_plugin.normalisation import normalise
    from planaura_plugin.presets import HLS

    gdal.UseExceptions()
    print(f"demo: {ALGORITHM} is not available to qgis_process; computing the change map with the core")
    runner = PlanauraRunner.from_checkpoint(ModelConfig(), checkpoint)
    frames = [gdal.Open(str(p)).ReadAsArray() for p in (BEFORE, AFTER)]
    x = normalise(np.stack(frames, axis=1)[None], HLS.mean, HLS.std, HLS.no_data, band_axis=1)
    cos = runner.infer(x, feature_channels=[]).cosine[0]
    src = gdal.Open(str(BEFORE))
    gt = list(src.GetGeoTransform())
    gt[1] *= 16
    gt[5] *= 16
    ds = gdal.GetDriverByName("GTiff").Create(str(tif), cos.shape[1], cos.shape[0], 1, gdal.GDT_Float32,
                                              ["COMPRESS=LZW"])
    ds.SetGeoTransform(gt)
    ds.SetProjection(src.GetProjection())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-100)
    band.WriteArray(cos)
    ds = None


def sample_date(path: Path) -> str:
    """2021-09-07 from an HLS name (.2021250T)."""
    match = re.search(r"\.(\d{4})(\d{3})T", path.name)
    day = dt.date(int(match.group(1)), 1, 1) + dt.timedelta(days=int(match.group(2)) - 1)
    return day.isoformat()


def cosine_summary(tif: Path) -> str:
    import numpy as np
    from osgeo import gdal

    gdal.AllRegister()  # QGIS's exit (after the rendering) deregistered GDAL's drivers
    values = gdal.Open(str(tif)).ReadAsArray()
    valid = values[values != -100]
    if not valid.size:
        return "no valid cell"
    return (f"{valid.size} valid cells, cosine min {valid.min():.3f} median {float(np.median(valid)):.3f} "
            f"max {valid.max():.3f}, {100.0 * (valid <= 0.40).mean():.1f} % high change (<= 0.40)")


def render_png(change_tif: Path, png: Path, title: str, size: int = 900, more=()) -> None:
    """The styled change map over the after image, drawn by QGIS's map renderer (offscreen); then
    ``more``, callables drawing other pictures in the same QGIS session (QGIS starts once a process)."""
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        _render(change_tif, png, title, size)  # every QGIS object is gone when it returns
        for job in more:
            job()
    finally:
        app.exitQgis()


def _render(change_tif: Path, png: Path, title: str, size: int) -> None:
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsRasterLayer, QgsRectangle
    from qgis.PyQt.QtCore import QPointF, QRectF, QSize, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QLinearGradient, QPainter

    after = QgsRasterLayer(str(AFTER), "after")
    change = QgsRasterLayer(str(change_tif), "change")  # loads change_tif's .qml sidecar (the plugin's style)
    if not (after.isValid() and change.isValid()):
        raise SystemExit("demo: QGIS cannot open the rasters to render")
    if change.renderer().type() != "singlebandpseudocolor":
        _style_cosine(change)  # core fallback: no sidecar was written
    styles = plugin_module("processing_provider.styles")
    STYLE_BANDS, apply_style = styles.STYLE_BANDS, styles.apply_style

    apply_style(after, STYLE_BANDS)  # true colour, 2-98 % cut: the plugin's own input style

    extent = QgsRectangle(after.extent())
    settings = QgsMapSettings()
    settings.setLayers([change, after])  # first on top
    settings.setDestinationCrs(after.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, int(size * extent.height() / extent.width())))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans", 11)
    painter.setFont(font)
    painter.fillRect(QRectF(0, 0, image.width(), 30), QColor(255, 255, 255, 215))
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(10, 0, image.width() - 20, 30),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
    # legend: the cosine ramp of the plugin's style
    x0, y0, w, h = 12, image.height() - 58, 260, 14
    painter.fillRect(QRectF(x0 - 8, y0 - 8, w + 150, 52), QColor(255, 255, 255, 215))
    gradient = QLinearGradient(QPointF(x0, 0), QPointF(x0 + w, 0))
    gradient.setColorAt(0.0, QColor("#a50f15"))
    gradient.setColorAt(1.0, QColor("#ffcbb1"))
    painter.fillRect(QRectF(x0, y0, w, h), gradient)
    painter.setFont(QFont("DejaVu Sans", 9))
    painter.drawText(QPointF(x0, y0 + h + 15), "-1 strong change")
    painter.drawText(QPointF(x0 + w - 60, y0 + h + 15), "0.75 weak")
    painter.drawText(QPointF(x0 + w + 10, y0 + h - 2), "> 0.92: clear")
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"demo: cannot write {png}")


def _style_cosine(layer) -> None:
    """The plugin's cosine look, for the core fallback (dark red at -1, pale at 0.75, clear above 0.92)."""
    from qgis.core import (QgsColorRampShader, QgsRasterShader, QgsRasterTransparency,
                           QgsSingleBandPseudoColorRenderer)
    from qgis.PyQt.QtGui import QColor

    ramp = QgsColorRampShader(-1.0, 1.0)
    ramp.setColorRampType(QgsColorRampShader.Interpolated)
    ramp.setColorRampItemList([QgsColorRampShader.ColorRampItem(-1.0, QColor("#a50f15"), "-1"),
                               QgsColorRampShader.ColorRampItem(0.75, QColor("#ffcbb1"), "0.75"),
                               QgsColorRampShader.ColorRampItem(1.0, QColor("#ffcbb1"), "1")])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    clear = QgsRasterTransparency.TransparentSingleValuePixel()
    clear.min, clear.max, clear.percentTransparent = 0.92, 1.0, 100.0
    transparency = QgsRasterTransparency()
    transparency.setTransparentSingleValuePixelList([clear])
    renderer.setRasterTransparency(transparency)
    layer.setRenderer(renderer)


def change_polygons(binary: Optional[str], change: Path, label: str) -> Dict[str, Path]:
    """The change polygons of ``change`` and their area report (qgis_process, else the core)."""
    outputs = {"POLYGONS": OUT / f"change_polygons_{label}.gpkg", "REPORT": OUT / f"change_report_{label}.html"}
    if binary and has_algorithm(binary, POLYGONS_ALGORITHM):
        args = [binary, "run", POLYGONS_ALGORITHM, "--", f"INPUT={change}", f"OUTPUT={outputs['POLYGONS']}",
                f"OUTPUT_REPORT={outputs['REPORT']}"]
        print("demo: QT_QPA_PLATFORM=offscreen " + " ".join(str(a).replace(str(REPO) + "/", "") for a in args))
        done = subprocess.run(args, capture_output=True, text=True, env=qgis_process_env())
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            raise SystemExit(f"demo: {POLYGONS_ALGORITHM} failed (exit {done.returncode})")
    else:
        from planaura_plugin.analysis.polygons import PolygonRequest, run_change_polygons

        print(f"demo: {POLYGONS_ALGORITHM} is not available to qgis_process; the core writes the polygons")
        run_change_polygons(PolygonRequest(change_map=str(change), output=str(outputs["POLYGONS"]),
                                           report=str(outputs["REPORT"])))
    outputs["REPORT_CSV"] = outputs["REPORT"].with_suffix(".csv")
    return outputs


def render_polygons(analysis: Dict[str, Path], png: Path, lang: str, period: str, random: bool,
                    size: int = 900) -> None:
    """The change polygons (their .qml style) over the after image, with the report's areas per class.

    Texts are the report's own (planaura_plugin/analysis/report.py), in French through the plugin's
    compiled translations (i18n/planaura_fr.qm); without them the French picture is skipped.
    """
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsRasterLayer, QgsRectangle, QgsVectorLayer
    from qgis.PyQt.QtCore import QCoreApplication, QSize, QTranslator

    translator = QTranslator()
    if lang != "en":
        if not translator.load(str(REPO / "i18n" / f"planaura_{lang}.qm")):
            print(f"demo: no i18n/planaura_{lang}.qm (make translations): the {lang} picture is skipped")
            return
        QCoreApplication.installTranslator(translator)
    try:
        from planaura_plugin.analysis.report import TEXTS, class_label

        texts = {k: QCoreApplication.translate("PlanauraReport", v) for k, v in TEXTS.items()}
        after = QgsRasterLayer(str(AFTER), "after")
        polygons = QgsVectorLayer(str(analysis["POLYGONS"]), "polygons", "ogr")
        if not (after.isValid() and polygons.isValid()):
            raise SystemExit("demo: QGIS cannot open the after image or the change polygons to render")
        polygons.loadNamedStyle(str(analysis["POLYGONS"].with_suffix(".qml")))
        polygons.setOpacity(0.8)
        styles = plugin_module("processing_provider.styles")
        CLASS_COLORS, STYLE_BANDS, apply_style = styles.CLASS_COLORS, styles.STYLE_BANDS, styles.apply_style

        apply_style(after, STYLE_BANDS)
        settings = QgsMapSettings()
        settings.setLayers([polygons, after])
        settings.setDestinationCrs(after.crs())
        extent = QgsRectangle(after.extent())
        settings.setExtent(extent)
        settings.setOutputSize(QSize(size, int(size * extent.height() / extent.width())))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        rows = {r["class"]: r for r in csv.DictReader(open(analysis["REPORT_CSV"], encoding="utf-8"))}
        lines = [(CLASS_COLORS[c], class_label(c, (0.80, 0.60, 0.40), texts), rows[str(c)]) for c in (2, 3, 4)]
        lines.append((None, texts["total_change"], rows["2-4"]))
        note = {"en": "  (random weights)", "fr": "  (poids aléatoires)"}.get(lang, "") if random else ""
        _draw_area_table(image, f"{texts['title']} {period}{note}", texts, lines, "," if lang == "fr" else ".")
        if not image.save(str(png)):
            raise SystemExit(f"demo: cannot write {png}")
    finally:
        QCoreApplication.removeTranslator(translator)


def _draw_area_table(image, title: str, texts: Dict[str, str], lines, decimal: str = ".") -> None:
    """The title bar and, bottom left, the report's area per class (colour, meaning, ha, %)."""
    from qgis.PyQt.QtCore import QRectF, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QPainter

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(QFont("DejaVu Sans", 11))
    painter.fillRect(QRectF(0, 0, image.width(), 30), QColor(255, 255, 255, 215))
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(10, 0, image.width() - 20, 30),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
    painter.setFont(QFont("DejaVu Sans", 9))
    line_h, columns = 20, ((34, 270), (306, 205), (516, 180))  # (x, width) of meaning, hectares, percent
    y0 = image.height() - line_h * (len(lines) + 1) - 16
    painter.fillRect(QRectF(6, y0 - 6, 700, line_h * (len(lines) + 1) + 12), QColor(255, 255, 255, 225))
    align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    for (x, width), text in zip(columns, (texts["areas"], texts["polygon_area"], texts["percent"])):
        painter.drawText(QRectF(x, y0, width, line_h), align, text)
    for i, (colour, label, row) in enumerate(lines, start=1):
        y = y0 + i * line_h
        if colour:
            painter.fillRect(QRectF(12, y + 4, 16, line_h - 8), QColor(colour))
        values = (label, f"{float(row['polygon_area_ha']):.1f}".replace(".", decimal),
                  f"{float(row['percent']):.1f} %".replace(".", decimal))
        for (x, width), text in zip(columns, values):
            painter.drawText(QRectF(x, y, width, line_h), align, text)
    painter.end()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    checkpoint, label = weights()
    outputs = {
        "OUTPUT": OUT / f"change_map_{label}.tif",
        "OUTPUT_CLASSES": OUT / f"change_classes_{label}.tif",
        "OUTPUT_QUALITY": OUT / f"quality_{label}.tif",
        "OUTPUT_BEFORE_DATE": OUT / f"before_date_{label}.tif",
        "OUTPUT_AFTER_DATE": OUT / f"after_date_{label}.tif",
    }
    for path in OUT.glob(f"*_{label}.*"):
        path.unlink()  # a stale output must never pass for this run's
    granules = OUT / "granules"
    before, after = (write_granule(stack, granules / stack.name[:-len(".tif")]) for stack in (BEFORE, AFTER))
    print(f"demo: the sample pair as HLS granules (per-band COGs + Fmask) in {granules}")
    binary = qgis_process()
    if binary and has_algorithm(binary):
        run_qgis_process(binary, checkpoint, outputs, before, after)
        written = {k: v for k, v in outputs.items() if v.exists()}
    else:
        core_change_map(checkpoint, outputs["OUTPUT"])
        written = {"OUTPUT": outputs["OUTPUT"]}
    change = written["OUTPUT"]
    analysis = change_polygons(binary, change, label)
    written.update(analysis)
    png = OUT / f"change_map_{label}.png"
    period = f"{sample_date(BEFORE)} → {sample_date(AFTER)}"
    random_note = "  (RANDOM WEIGHTS: not a real prediction)" if label == "randomweights" else ""
    title = f"Planaura change intensity {period}" + random_note
    pictures = {lang: OUT / f"change_polygons_{label}{'' if lang == 'en' else '_' + lang}.png" for lang in ("en", "fr")}
    # embedding tools (scripts/demo_embeddings.py): the after date's embeddings, colour view, similarity
    import demo_embeddings

    tools = demo_embeddings.embedding_demo(checkpoint, label, binary, OUT, BEFORE, AFTER)
    tools_png = OUT / f"embedding_tools_{label}.png"
    tools_title = f"Planaura embeddings of {sample_date(AFTER)}" + ("  (RANDOM WEIGHTS)" if random_note else "")
    tools_outs = {"colour": tools / f"colour_view_{label}.tif", "similarity": tools / f"similarity_{label}.tif"}
    render_png(change, png, title, more=[
        lambda lang=lang, path=path: render_polygons(analysis, path, lang, period, bool(random_note))
        for lang, path in pictures.items()] + [
        lambda: demo_embeddings.render(AFTER, tools_outs, tools_png, tools_title)])
    print(f"demo: outputs in {OUT}")
    for key, path in written.items():
        style = path.with_suffix(".qml")
        print(f"demo:   {key:<19} {path.name}" + (f" (+ {style.name})" if style.exists() else ""))
    print(f"demo: {cosine_summary(change)}")
    print(f"demo: styled PNG (QGIS rendering): {png}")
    print(f"demo: embedding colour view and similarity map: {tools_png}")
    drawn = ", ".join(p.name for p in pictures.values() if p.exists())
    print(f"demo: change polygons and their areas over the after image: {drawn}")
    shown = {"png": str(png)} | {f"polygons_png_{k}": str(v) for k, v in pictures.items() if v.exists()}
    from demo_series import series_demo  # change over time: scripts/demo_series.py

    shown |= {f"series_png_{k}": str(v) for k, v in series_demo(checkpoint, label).items()}
    (OUT / f"demo_{label}.json").write_text(json.dumps({k: str(v) for k, v in written.items()} | shown,
                                                       indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
