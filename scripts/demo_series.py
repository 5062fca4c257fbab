"""`make demo`'s change over time: a synthetic series of the sample scene, its date of change and timeline.

Six dates ten days apart of a 512 x 512 px window of the real HLS scene (``../shared/data``), with
small noise per date, the burn scar of the synthetic 2022 image over one patch from the fourth date
on and a flagged cloud over another patch at the second date (``tests/series_data.py``), run
through :func:`planaura_plugin.series.run.run_series` with the demo's weights (consecutive pairs,
threshold 0.8). Draws ``change_over_time[_fr].png``: the date of change over the last image, and
the changed area per date. Run by ``scripts/demo.py``, or alone:
``python scripts/demo_series.py CHECKPOINT LABEL``.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Dict

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

OUT = REPO / "demo_output" / "series"
WINDOW = (488, 488, 512, 512)  # row, col, rows, cols of the scene
THRESHOLD = 0.8
TEXTS = {"en": ("Date of change (consecutive pairs, cosine < {t})", "Changed area per date (ha)",
                "no change", "RANDOM WEIGHTS: not a real prediction"),
         "fr": ("Date de changement (paires consécutives, cosinus < {t})", "Superficie changée par date (ha)",
                "aucun changement", "POIDS ALÉATOIRES : pas une vraie prédiction")}


def run(checkpoint: str) -> Dict[str, str]:
    """The series' outputs (kind -> path) in ``demo_output/series``."""
    from series_data import make_series

    from planaura_plugin.feedback import TerminalFeedback
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.series.date_of_change import MergeRule
    from planaura_plugin.series.run import SeriesRequest, run_series

    images = make_series(OUT / "images", n=6, change_at=3, cloud_at=1, crop=WINDOW)
    request = SeriesRequest(inputs=[str(p) for p in images.values()], output_dir=str(OUT), rule=MergeRule(THRESHOLD),
                            model=ModelSpec(checkpoint=checkpoint, device="cpu"))
    return run_series(request, TerminalFeedback())


def draw(written: Dict[str, str], png: Path, lang: str, random: bool) -> None:
    """The date of change over the last image (grey) beside the changed area per date (bars)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from osgeo import gdal

    from planaura_plugin.products import DATE_NODATA

    title, area_title, _none, note = TEXTS[lang]
    date = gdal.Open(written["date_of_change"]).ReadAsArray()
    with open(Path(written["report"]).with_suffix(".csv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    labels = [r["date"] for r in rows]
    areas = [float(r["changed_area_ha"]) for r in rows]
    inputs = sorted((OUT / "images").glob("HLS*.tif"))
    last = gdal.Open(str(inputs[-1]))  # kept open while its band is read
    grey = last.GetRasterBand(3).ReadAsArray().astype(float)
    colours = plt.get_cmap("viridis", len(rows))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.6), gridspec_kw={"width_ratios": [1, 1.1]})
    left.imshow(grey, cmap="gray", vmin=np.percentile(grey, 2), vmax=np.percentile(grey, 98))
    index = np.full(date.shape, np.nan)
    for i, r in enumerate(rows):
        index[date == int(r["yyyyddd"])] = i
    index[date == DATE_NODATA] = np.nan
    left.imshow(index, cmap=colours, vmin=-0.5, vmax=len(rows) - 0.5, interpolation="nearest")
    left.set_title(title.format(t=THRESHOLD), fontsize=10)
    left.axis("off")
    right.bar(range(len(rows)), areas, color=[colours(i) for i in range(len(rows))])
    right.set_xticks(range(len(rows)), labels, rotation=30, fontsize=8)
    right.set_title(area_title, fontsize=10)
    fig.suptitle(("Planaura: " + ("change over time" if lang == "en" else "changement dans le temps"))
                 + (f"  ({note})" if random else ""), fontsize=11)
    fig.tight_layout()
    fig.savefig(png, dpi=90)
    plt.close(fig)
    print(f"demo: date of change and timeline: {png}")


def series_demo(checkpoint: str, label: str) -> Dict[str, Path]:
    """Run the series and draw its pictures (English and French); returns language -> PNG."""
    written = run(checkpoint)
    pictures = {lang: OUT / f"change_over_time_{label}{'' if lang == 'en' else '_' + lang}.png" for lang in TEXTS}
    for lang, png in pictures.items():
        draw(written, png, lang, label == "randomweights")
    return pictures


if __name__ == "__main__":
    series_demo(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "randomweights")
