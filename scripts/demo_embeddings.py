"""`make demo`, embedding tools: the after image's embeddings, their colour view and a similarity map.

1. The embeddings of the after date of the sample pair (encoded with the before date, one vector
   of 768 numbers per 16 x 16 px patch: 32 x 32 cells), from the demo's checkpoint, with the core.
2. ``planaura:embeddingcolourview`` and ``planaura:similaritysearch`` (seed: a point at
   ``SEED_XY``, a pixel of the after image) through ``qgis_process`` when the plugin is installed,
   else the same core functions.
3. One PNG drawn by QGIS (offscreen): the after image, the colour view, the similarity map with
   the seed, side by side (``demo_output/embedding_tools_<weights>.png``; ``make docs`` copies it
   into ``docs/images/``).

Run alone: ``python scripts/demo_embeddings.py [checkpoint label]`` (default: the demo's weights).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Optional

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
SEED_XY = (300, 150)  # image pixel (column, row) of the after image the similarity search starts from


def write_embeddings(checkpoint: str, before: Path, after: Path, tif: Path) -> None:
    """The after date's embeddings (pair context), all 768 dimensions, at the model's 16 px stride."""
    import numpy as np
    from osgeo import gdal

    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from planaura_plugin.normalisation import normalise
    from planaura_plugin.presets import HLS

    runner = PlanauraRunner.from_checkpoint(ModelConfig(), checkpoint)
    frames = [gdal.Open(str(p)).ReadAsArray() for p in (before, after)]
    x = normalise(np.stack(frames, axis=1)[None], HLS.mean, HLS.std, HLS.no_data, band_axis=1)
    feats = runner.infer(x).features[0, 1]  # (h, w, 768): the after date
    src = gdal.Open(str(after))
    gt = list(src.GetGeoTransform())
    gt[1] *= 16
    gt[5] *= 16
    ds = gdal.GetDriverByName("GTiff").Create(str(tif), feats.shape[1], feats.shape[0], feats.shape[2],
                                              gdal.GDT_Float32, ["COMPRESS=LZW", "INTERLEAVE=PIXEL"])
    ds.SetGeoTransform(gt)
    ds.SetProjection(src.GetProjection())
    for k in range(feats.shape[2]):
        band = ds.GetRasterBand(k + 1)
        band.SetNoDataValue(-100)
        band.SetDescription(f"f{k}")
        band.WriteArray(feats[:, :, k])
    ds = None


def write_seed(after: Path, path: Path) -> None:
    """A point layer (GeoPackage) at the centre of image pixel ``SEED_XY`` of the after image."""
    from osgeo import gdal, ogr, osr

    src = gdal.Open(str(after))
    gt = src.GetGeoTransform()
    srs = osr.SpatialReference()
    srs.ImportFromWkt(src.GetProjection())
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = vds.CreateLayer("seed", srs, ogr.wkbPoint)
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(gt[0] + (SEED_XY[0] + 0.5) * gt[1], gt[3] + (SEED_XY[1] + 0.5) * gt[5])
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(point)
    layer.CreateFeature(feature)
    vds = None


def run_tools(binary: Optional[str], emb: Path, seed: Path, outs: Dict[str, Path]) -> None:
    """Colour view and similarity through qgis_process (the installed plugin), else the core."""
    import demo

    if binary and demo.has_algorithm(binary, "planaura:embeddingcolourview"):
        for args in (["planaura:embeddingcolourview", f"INPUT={emb}", f"OUTPUT={outs['colour']}"],
                     ["planaura:similaritysearch", f"INPUT={emb}", f"POSITIVE={seed}", f"OUTPUT={outs['similarity']}"]):
            print("demo: " + " ".join([Path(binary).name, "run", args[0], "--", *args[1:]]))
            subprocess.run([binary, "run", args[0], "--", *args[1:]], check=True, env=demo.qgis_process_env(),
                           stdout=subprocess.DEVNULL)
        return
    from planaura_plugin.embedding_tools.blocks import open_features
    from planaura_plugin.embedding_tools.colour_view import colour_view
    from planaura_plugin.embedding_tools.examples import example_pixels
    from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map

    print("demo: the embedding tools are not available to qgis_process; running them with the core")
    colour_view(str(emb), str(outs["colour"]))
    pixels = example_pixels(str(seed), open_features(str(emb)))
    similarity_map(str(emb), Seeds(pixels.cols, pixels.rows), str(outs["similarity"]))
    styles = demo.plugin_module("processing_provider.styles")
    for key, style in (("colour", "colour_view"), ("similarity", "similarity")):
        styles.write_sidecar(str(outs[key]), style)


def render(after: Path, outs: Dict[str, Path], png: Path, title: str, panel: int = 420) -> None:
    """The after image, the colour view and the similarity map (seed marked), side by side, drawn by QGIS."""
    import demo
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsRasterLayer
    from qgis.PyQt.QtCore import QPointF, QRectF, QSize, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

    styles = demo.plugin_module("processing_provider.styles")
    image = QgsRasterLayer(str(after), "after")
    styles.apply_style(image, styles.STYLE_BANDS)
    layers = [image, QgsRasterLayer(str(outs["colour"]), "colour"), QgsRasterLayer(str(outs["similarity"]), "sim")]
    captions = ("After image (true colour)", "Embedding colour view (PCA)", "Similarity to the seed (+)")
    sheet = QImage(panel * 3 + 40, panel + 70, QImage.Format.Format_ARGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.setFont(QFont("DejaVu Sans", 11))
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(10, 0, sheet.width() - 20, 30), Qt.AlignmentFlag.AlignVCenter, title)
    for k, (layer, caption) in enumerate(zip(layers, captions)):
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(image.crs())
        settings.setExtent(image.extent())
        settings.setOutputSize(QSize(panel, panel))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        x0 = 10 + k * (panel + 10)
        painter.drawImage(QPointF(x0, 32), job.renderedImage())
        painter.drawText(QRectF(x0, panel + 36, panel, 30), Qt.AlignmentFlag.AlignHCenter, caption)
        if k == 2:
            painter.setPen(QColor("#00ff66"))
            cx, cy = x0 + panel * (SEED_XY[0] + 0.5) / 512, 32 + panel * (SEED_XY[1] + 0.5) / 512
            painter.drawLine(QPointF(cx - 8, cy), QPointF(cx + 8, cy))
            painter.drawLine(QPointF(cx, cy - 8), QPointF(cx, cy + 8))
            painter.setPen(QColor("#202020"))
    painter.end()
    if not sheet.save(str(png)):
        raise SystemExit(f"demo: cannot write {png}")


def embedding_demo(checkpoint: str, label: str, binary: Optional[str], out: Path, before: Path,
                   after: Path) -> Path:
    """Steps 1-2 of the module docstring; returns the outputs' folder. Step 3 needs a QGIS session."""
    folder = out / "embedding_tools"
    folder.mkdir(parents=True, exist_ok=True)
    emb = folder / f"embeddings_after_{label}.tif"
    write_embeddings(checkpoint, before, after, emb)
    write_seed(after, folder / "seed.gpkg")
    outs = {"colour": folder / f"colour_view_{label}.tif", "similarity": folder / f"similarity_{label}.tif"}
    run_tools(binary, emb, folder / "seed.gpkg", outs)
    print(f"demo: embeddings {emb.name}, colour view {outs['colour'].name}, similarity {outs['similarity'].name}")
    return folder


def main() -> None:
    import demo
    from qgis.core import QgsApplication

    checkpoint, label = (sys.argv[1], sys.argv[2]) if len(sys.argv) > 2 else demo.weights()
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="planaura_demo_runtime_"))
    folder = embedding_demo(checkpoint, label, demo.qgis_process(), demo.OUT, demo.BEFORE, demo.AFTER)
    outs = {"colour": folder / f"colour_view_{label}.tif", "similarity": folder / f"similarity_{label}.tif"}
    note = "  (RANDOM WEIGHTS: not real embeddings)" if label == "randomweights" else ""
    png = demo.OUT / f"embedding_tools_{label}.png"
    app = QgsApplication([], False)
    app.initQgis()
    try:
        render(demo.AFTER, outs, png, f"Planaura embeddings of {demo.sample_date(demo.AFTER)}" + note)
    finally:
        app.exitQgis()
    print(f"demo: embedding colour view and similarity map: {png}")


if __name__ == "__main__":
    main()
