"""Demo: a change map of the bundled sample pair with the core alone (no QGIS needed).

Uses the official Planaura-1.0-HLS weights when they are available (local Hugging Face cache);
otherwise says so in one line and uses a deterministic random-weight checkpoint of the
official architecture, labelled ``randomweights`` in the output names.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SAMPLE = REPO / "sample_data"
OUT = REPO / "demo_output"
SHARED = Path(os.environ.get("PLANAURA_SHARED", REPO.parent / "shared"))
BEFORE = SAMPLE / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = SAMPLE / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"


def weights() -> tuple:
    """(checkpoint path, label): official weights if cached, else a random-weight stand-in."""
    from planaura_plugin.errors import WeightsUnavailableError
    from planaura_plugin.model.loading import ModelSpec

    try:
        return str(ModelSpec().checkpoint_path()), "official"
    except WeightsUnavailableError:
        print("demo: the official Planaura-1.0-HLS weights are not available offline; "
              "using a deterministic random-weight checkpoint of the same architecture (outputs labelled randomweights)")
    ck = REPO / ".cache" / "checkpoints" / "base_s0.pth"
    if not ck.exists():
        ck.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(SHARED / "tools" / "make_checkpoint.py"), "--preset", "base",
                        "--seed", "0", "--out", str(ck)], check=True, stdout=subprocess.DEVNULL)
    return str(ck), "randomweights"


def main() -> None:
    import numpy as np
    from osgeo import gdal

    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from planaura_plugin.normalisation import normalise
    from planaura_plugin.presets import HLS

    gdal.UseExceptions()
    OUT.mkdir(exist_ok=True)
    ck, label = weights()
    runner = PlanauraRunner.from_checkpoint(ModelConfig(), ck)
    frames = [gdal.Open(str(p)).ReadAsArray() for p in (BEFORE, AFTER)]
    x = normalise(np.stack(frames, axis=1)[None], HLS.mean, HLS.std, HLS.no_data, band_axis=1)
    out = runner.infer(x, feature_channels=[])
    cos = out.cosine[0]
    src = gdal.Open(str(BEFORE))
    gt = list(src.GetGeoTransform())
    gt[1] *= 16
    gt[5] *= 16
    tif = OUT / f"cosine_map_{label}.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(tif), cos.shape[1], cos.shape[0], 1, gdal.GDT_Float32,
                                              ["COMPRESS=LZW"])
    ds.SetGeoTransform(gt)
    ds.SetProjection(src.GetProjection())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-100)
    band.WriteArray(cos)
    ds = None
    # quick-look: dark red (strong change, -1) to pale (0.75), white above
    t = np.clip((cos + 1) / 1.75, 0, 1)
    rgb = np.stack([165 + (255 - 165) * t, 15 + (203 - 15) * t, 21 + (177 - 21) * t]).astype(np.uint8)
    rgb[:, cos > 0.92] = 255
    rgb[:, cos == -100] = 0
    rgb = np.repeat(np.repeat(rgb, 16, axis=1), 16, axis=2)
    png = OUT / f"cosine_map_{label}.png"
    mem = gdal.GetDriverByName("MEM").Create("", rgb.shape[2], rgb.shape[1], 3, gdal.GDT_Byte)
    for i in range(3):
        mem.GetRasterBand(i + 1).WriteArray(rgb[i])
    gdal.GetDriverByName("PNG").CreateCopy(str(png), mem)
    valid = cos[cos != -100]
    print(f"demo: {tif}\ndemo: {png}\ndemo: {valid.size} valid cells, cosine min {valid.min():.3f} "
          f"median {np.median(valid):.3f} max {valid.max():.3f}")


if __name__ == "__main__":
    main()
