"""Tile planning follows the area that holds data, not the raster's declared size.

A VRT may declare 200000 x 200000 px around one HLS scene: listing its tiles one by one grew
memory past 6 GB and reading its empty rows never ended. Rows and columns of tiles that GDAL's
data coverage says are empty in the first image are not listed (raster/coverage.py); the kept
tiles and the per-date drop counts are those of the plain listing (property test over random
declared sizes and placements of the real scene), and the 200000^2 VRT is planned in a
subprocess within 2 GB.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import valid_tiles
from planaura_plugin.pipeline.change.plan import plan_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS
from support import REPO, SHARED, TINY

DATA = SHARED / "data" / "hls_t15sxr"
SCENES = ("HLS.S30.T15SXR.2021250T163901.v2.0.tif", "HLS.S30.T15SXR.2022245T163901.v2.0.tif")


def declared_vrt(path: Path, scene: str, size, offset) -> str:
    """A VRT of ``size`` (cols, rows) px holding the 1000 x 1000 scene at pixel ``offset`` (col, row)."""
    src = gdal.Open(str(DATA / scene))
    gt = src.GetGeoTransform()
    x0, y0 = gt[0] - offset[0] * gt[1], gt[3] - offset[1] * gt[5]
    bounds = (x0, y0 + size[1] * gt[5], x0 + size[0] * gt[1], y0)
    gdal.BuildVRT(str(path), [str(DATA / scene)], outputBounds=bounds, xRes=gt[1], yRes=-gt[5])
    ds = gdal.Open(str(path))
    assert (ds.RasterXSize, ds.RasterYSize) == tuple(size)
    return str(path)


def request(paths, out: Path, tiny_checkpoint, **kw) -> ChangeMapRequest:
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu")
    return ChangeMapRequest(inputs=list(paths), outputs=ChangeMapOutputs(cosine_map=str(out / "c.tif")), model=spec,
                            **kw)


@pytest.mark.parametrize("seed", range(5))
def test_skipping_empty_rows_keeps_and_counts_as_listing_every_tile(seed, tmp_path, tiny_checkpoint, monkeypatch):
    rng = np.random.default_rng(seed)
    size = tuple(int(v) for v in rng.integers(1100, 2000, 2))
    paths = []
    for t, scene in enumerate(SCENES):  # each date at its own place: partly outside the declared area too
        offset = tuple(int(v) for v in rng.integers(-300, np.array(size) - 200))
        paths.append(declared_vrt(tmp_path / f"d{t}.vrt", scene, size, offset))
    kw = dict(min_valid=float(rng.choice([0.3, 0.7, 0.95])), num_predictions=1 + seed % 2)
    planned = plan_change_map(request(paths, tmp_path, tiny_checkpoint, **kw))
    monkeypatch.setattr(valid_tiles, "empty_regions", lambda info: (lambda *window: False))
    plain = plan_change_map(request(paths, tmp_path, tiny_checkpoint, **kw))
    assert planned.candidates == plain.candidates > 0
    assert planned.passes == plain.passes
    assert planned.dropped == plain.dropped
    assert sum(planned.dropped.values()) + len(planned.passes[0]) == planned.candidates


SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{repo!r}, {tests!r}, {core!r}]
    from pathlib import Path
    from test_sparse_planning import declared_vrt, request, SCENES
    out = Path({out!r})
    paths = [declared_vrt(out / f"d{{t}}.vrt", s, (200000, 200000), (123456, 65432)) for t, s in enumerate(SCENES)]
    from planaura_plugin.pipeline.change.plan import plan_change_map
    start = time.time()
    plan = plan_change_map(request(paths, out, {ckpt!r}))
    # the peak of this process's own memory: VmHWM (ru_maxrss keeps the high-water mark of the
    # process image exec replaced: a child of a 3 GB pytest process reads 3 GB there)
    peak_kb = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
    print(plan.candidates, len(plan.passes[0]), round(time.time() - start, 1), int(peak_kb) * 1024)
""")


def test_a_200000_px_square_vrt_is_planned_within_2_gb(tmp_path, tiny_checkpoint):
    script = SCRIPT.format(repo=str(REPO), tests=str(REPO / "tests"),
                           core=str(REPO / "tests" / "core" / "pipeline" / "change"),
                           out=str(tmp_path), ckpt=str(tiny_checkpoint))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    candidates, kept, seconds, rss = done.stdout.split()[-4:]
    assert int(candidates) == 6249 ** 2  # (200000 - 64) // 32 + 1 starts, plus the edge tile, per axis
    assert 0 < int(kept) <= 31 ** 2  # only the scene's tiles can hold data
    assert int(rss) < 2 * 1024 ** 3, f"{int(rss) / 2 ** 20:.0f} MB"
