"""Per-pair parity of ``run_change_map`` with the reference (shared/golden/raster).

Every run folder and every CSV row is run straight through the pipeline (request built from
the run's config.yaml, checkpoint from its manifest) and each per-pair GeoTIFF the reference
left is compared: size, data type, nodata, geotransform (exact), CRS (equivalent), the
validity mask (exact) and the values (cosine 1e-4, features 1e-3, reconstructions 0.2 DN,
dates and quality exact), on the pixels whose order-sensitivity mask is 0.

Where SPEC 7 says the reference is wrong only what it got right is compared, and the fixed
behaviour is tested on its own:
- ``upsample_cosine_map: false``: coarse pixels written by an off-grid edge tile are left out;
- Fmask fill (255): output pixels whose patch may hold a fill pixel are left out of quality;
- ``num_predictions > 1``: the common window is compared (the reference's file is sized from
  the x extent); feature maps are checked against each shifted pass, run on its own.
Reports go to .cache/parity/change_map_<run>_<row>.txt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
import pytest

import golden_compare as gc
from support import REPO
from planaura_plugin.pipeline.change import SHIFT_STEP, run_change_map

CASES = [(run, i) for run in gc.golden_runs() for i in range(len(gc.run_pairs(run)))]
REPORTS = REPO / ".cache" / "parity"
KIND_RE = re.compile(r"^(cosine_map|before_date|after_date|quality_fmask|feature_maps_\d|infer_\d)$")


@dataclass
class Case:
    run: str
    row: int
    pair: List[Path]
    request: object
    ours: Dict[str, str]
    written: Dict[str, str]
    out_dir: Path

    @property
    def suffix(self) -> str:
        return gc.pair_suffix(self.pair, gc.run_config(self.run).get("concatenate_char", "!"))


@pytest.fixture(scope="module", params=CASES, ids=[f"{r}-row{i}" for r, i in CASES])
def case(request, tmp_path_factory) -> Case:
    run, row = request.param
    pair = gc.run_pairs(run)[row]
    out = tmp_path_factory.mktemp(f"{run}_{row}")
    req, ours = gc.golden_change_request(run, pair, out, gc.golden_checkpoint(run))
    written = run_change_map(req)
    return Case(run, row, pair, req, ours, written, out)


def golden_files(case: Case) -> Dict[str, Path]:
    """Per-pair GeoTIFFs of this row in the golden run, by kind."""
    found = {}
    for p in sorted((gc.golden_raster_root() / case.run / "outputs").glob(f"*/*{case.suffix}.tif")):
        kind = p.name[:-len(case.suffix) - 4]
        if KIND_RE.match(kind):
            found[kind] = p
    return found


def processing_window(case: Case):
    """The pixel window the run processed on its first image (the pipeline's own rule)."""
    from planaura_plugin.pipeline.change.plan import _processing_window
    from planaura_plugin.raster.reader import describe

    base = describe(str(case.pair[0]))
    return _processing_window(case.request, base), base


def exclusions(case: Case, kind: str, golden: Path) -> np.ndarray:
    """SPEC 7 pixels of ``golden`` where the reference is known to be wrong."""
    info = gc.raster_info(str(golden))
    shape = (info.height, info.width)
    mask = np.zeros(shape, bool)
    req = case.request
    cfg = req.model.config
    window, base = processing_window(case)
    if req.patch_stride == cfg.patch_size and not req.upsample:
        shifts = [SHIFT_STEP * k for k in range(max(1, req.num_predictions))]
        mask |= gc.misplaced_edge_footprint(info.geotransform, shape, base.geotransform, window,
                                            cfg.img_size, cfg.patch_size, shifts)
    if kind == "quality_fmask":
        from planaura_plugin.raster.datasets import fmask_beside

        fmasks = list(req.fmasks) or [fmask_beside(str(p)) for p in case.pair]
        mask |= gc.fmask_fill_footprint(fmasks, info.geotransform, info.wkt, shape, cfg.patch_size)
    return mask


def write_report(case: Case, lines: Sequence[str]) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"change_map_{case.run}_{case.row}.txt").write_text("\n".join(lines) + "\n")


def test_every_golden_output_is_written(case):
    expected = golden_files(case)
    assert expected, f"no golden per-pair file for {case.suffix}"
    for kind in expected:
        assert kind in case.written, f"{kind} not written"
        assert Path(case.written[kind]).is_file()


def test_per_pair_rasters_match_golden(case):
    np_passes = max(1, case.request.num_predictions)
    lines = [f"{case.run} row {case.row} {case.suffix}"]
    failures = []
    for kind, golden in golden_files(case).items():
        if np_passes > 1 and kind.startswith(("feature_maps_", "infer_")):
            continue  # the reference merges these with a minimum that picks nodata: see the test below
        cfg = case.request.model.config
        coarse = case.request.patch_stride == cfg.patch_size and not case.request.upsample
        # with several passes the extent is the unshifted run's (SPEC 7): the reference's may be larger
        res = gc.compare_pair_raster(case.written[kind], str(golden), kind, exclusions(case, kind, golden),
                                     exact_size=np_passes == 1 and not coarse, outside_nodata=np_passes == 1)
        lines.append(res.line())
        if res.comparison.mismatches:
            failures.append(res.line())
    write_report(case, lines)
    print("\n".join(lines))
    assert not failures, "\n".join(failures)


def test_feature_tables_match_golden(case):
    found = sorted((gc.golden_raster_root() / case.run / "outputs").glob(f"*/feature_maps_*{case.suffix}.geoparquet"))
    if not found:
        pytest.skip("no golden feature table for this run")
    pytest.importorskip("pyarrow")
    for golden in found:
        t = int(golden.name.split("!")[0].rsplit("_", 1)[1])
        n, worst = gc.compare_feature_tables(case.written[f"feature_table_{t}"], str(golden))
        assert n > 0
        print(f"feature_table_{t}: {n} rows, max |diff| {worst:g}")


# ------------------------------------------------------------------------------------------------
# num_predictions > 1: each shifted pass on its own, the reference's merge and the fixed one
# ------------------------------------------------------------------------------------------------
def shifted_pass(case: Case, k: int, out: Path) -> Dict[str, str]:
    """Pass k of num_predictions: the same run on a window starting 64 k px further (same tiles)."""
    from planaura_plugin.raster.reader import describe

    base = describe(str(case.pair[0]))
    x0, dx, _, y0, _, dy = base.geotransform
    s = SHIFT_STEP * k
    bbox = None if k == 0 else (x0 + s * dx, y0 + base.height * dy, x0 + base.width * dx, y0 + s * dy)
    req, _ours = gc.golden_change_request(case.run, case.pair, out, gc.golden_checkpoint(case.run),
                                          num_predictions=1, bbox=bbox)
    return run_change_map(req)


def on_grid(path: str, ref_gt, shape) -> np.ndarray:
    """A raster's bands on another raster's grid (same resolution, integer offset), nodata elsewhere."""
    info = gc.raster_info(path)
    data = gc.read_bands(path).astype(np.float64)
    out = np.full((info.bands,) + tuple(shape), info.nodata[0], dtype=np.float64)
    r = int(round((info.geotransform[3] - ref_gt[3]) / ref_gt[5]))
    c = int(round((info.geotransform[0] - ref_gt[0]) / ref_gt[1]))
    r0, c0 = max(r, 0), max(c, 0)
    r1, c1 = min(r + info.height, shape[0]), min(c + info.width, shape[1])
    out[:, r0:r1, c0:c1] = data[:, r0 - r:r1 - r, c0 - c:c1 - c]
    return out


@pytest.mark.slow
def test_num_predictions_merge(case, tmp_path):
    n = case.request.num_predictions
    if n <= 1 or "cosine_map" not in case.written:
        pytest.skip("one pass")
    passes = [shifted_pass(case, k, tmp_path / f"pass{k}") for k in range(n)]
    info = gc.raster_info(case.written["cosine_map"])
    gt, shape = info.geotransform, (info.height, info.width)
    cos = np.stack([on_grid(p["cosine_map"], gt, shape)[0] for p in passes])
    ours_cos = gc.read_bands(case.written["cosine_map"])[0]
    winner = np.argmax(np.where(cos != -100, cos, -np.inf), axis=0)
    assert np.array_equal(ours_cos, np.take_along_axis(cos, winner[None], 0)[0].astype(np.float32))
    for kind in [k for k in case.written if k.startswith(("feature_maps_", "infer_", "before_date", "quality"))]:
        stack = np.stack([on_grid(p[kind], gt, shape) for p in passes])  # (pass, bands, h, w)
        expect = np.take_along_axis(stack, winner[None, None], 0)[0]
        assert np.array_equal(gc.read_bands(case.written[kind]).astype(np.float64), expect), \
            f"{kind} does not follow the winning cosine"
    # the reference's feature merge: argmin of band 1 over the passes (nodata -100 wins), on its grid
    for kind, golden in golden_files(case).items():
        if not kind.startswith("feature_maps_"):
            continue
        ginfo = gc.raster_info(str(golden))
        gshape = (ginfo.height, ginfo.width)
        stack = np.stack([on_grid(p[kind], ginfo.geotransform, gshape) for p in passes])
        pick = np.argmin(stack[:, 0], axis=0)
        ref = np.take_along_axis(stack, pick[None, None], 0)[0]
        skip = exclusions(case, kind, golden)
        om = gc.order_mask(golden)
        if om is not None:
            skip |= om
        res = gc.compare_values(ref, gc.read_bands(str(golden)), gc.per_pair_tolerance(kind), -100.0, -100.0,
                                where=~skip)
        print(f"{kind} (reference merge of our passes): {res}")
        assert res.mismatches == 0, f"{kind}: {res}"
