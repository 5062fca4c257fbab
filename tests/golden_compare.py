"""Comparing a GeoTIFF written by the plugin with a golden one (importable as `golden_compare`).

Generic: header checks (size, bands, type, nodata, geotransform, CRS) and a value comparison
that counts mismatching pixels, so that each test states its own tolerance and the fraction
of border pixels it accepts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np


@dataclass
class RasterInfo:
    path: str
    width: int
    height: int
    bands: int
    dtype: np.dtype
    nodata: List[Optional[float]]
    geotransform: Sequence[float]
    wkt: str
    descriptions: List[str]
    overviews: int


def raster_info(path: str) -> RasterInfo:
    from osgeo import gdal, gdal_array

    ds = gdal.Open(str(path))
    assert ds is not None, f"cannot open {path}"
    b1 = ds.GetRasterBand(1)
    return RasterInfo(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize, bands=ds.RasterCount,
                      dtype=np.dtype(gdal_array.GDALTypeCodeToNumericTypeCode(b1.DataType)),
                      nodata=[ds.GetRasterBand(b + 1).GetNoDataValue() for b in range(ds.RasterCount)],
                      geotransform=tuple(ds.GetGeoTransform()), wkt=ds.GetProjection(),
                      descriptions=[ds.GetRasterBand(b + 1).GetDescription() for b in range(ds.RasterCount)],
                      overviews=b1.GetOverviewCount())


def read_bands(path: str) -> np.ndarray:
    """(bands, h, w) whatever the band count."""
    from osgeo import gdal

    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    return arr.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)


def same_crs(wkt_a: str, wkt_b: str) -> bool:
    from osgeo import osr

    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromWkt(wkt_a)
    b.ImportFromWkt(wkt_b)
    return bool(a.IsSame(b))


def assert_same_header(actual: str, expected: str, geotransform_atol: float = 1e-6, check_nodata: bool = True) -> None:
    """Size, bands, data type, nodata, geotransform (to ``geotransform_atol``) and CRS."""
    a, e = raster_info(actual), raster_info(expected)
    assert (a.width, a.height, a.bands) == (e.width, e.height, e.bands), \
        f"{actual}: {a.width}x{a.height}x{a.bands} != golden {e.width}x{e.height}x{e.bands}"
    assert a.dtype == e.dtype, f"{actual}: {a.dtype} != golden {e.dtype}"
    if check_nodata:
        assert a.nodata == e.nodata, f"{actual}: nodata {a.nodata} != golden {e.nodata}"
    np.testing.assert_allclose(a.geotransform, e.geotransform, atol=geotransform_atol, rtol=0,
                               err_msg=f"{actual}: geotransform")
    assert same_crs(a.wkt, e.wkt), f"{actual}: CRS differs from the golden one"


@dataclass
class ValueComparison:
    """Pixels (band x row x col) compared, how many differ beyond the tolerance, and by how much."""

    compared: int
    mismatches: int
    validity_mismatches: int  # valid in one file, nodata in the other
    max_abs_diff: float  # over pixels valid in both

    @property
    def fraction(self) -> float:
        return self.mismatches / self.compared if self.compared else 0.0

    def __str__(self) -> str:
        return (f"{self.mismatches} of {self.compared} differ ({100 * self.fraction:.4f} %; "
                f"{self.validity_mismatches} in validity), max |diff| {self.max_abs_diff:g}")


def compare_values(actual: np.ndarray, expected: np.ndarray, atol: float, nodata_actual: Optional[float],
                   nodata_expected: Optional[float], where: Optional[np.ndarray] = None) -> ValueComparison:
    """Compare two (bands, h, w) arrays on ``where`` (broadcast to them; None = everywhere)."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, f"shapes {a.shape} != {e.shape}"
    sel = np.ones(a.shape, bool) if where is None else np.broadcast_to(where, a.shape)
    va = np.ones(a.shape, bool) if nodata_actual is None else (a != nodata_actual)
    ve = np.ones(e.shape, bool) if nodata_expected is None else (e != nodata_expected)
    validity = (va != ve) & sel
    both = va & ve & sel
    diff = np.abs(a - e)
    value_bad = both & ~(diff <= atol)  # NaN counts as a mismatch
    max_diff = float(np.nanmax(diff[both])) if both.any() else 0.0
    return ValueComparison(compared=int(sel.sum()), mismatches=int(validity.sum() + value_bad.sum()),
                           validity_mismatches=int(validity.sum()), max_abs_diff=max_diff)


# ------------------------------------------------------------------------------------------
# per-pair outputs of the change-map pipeline against shared/golden/raster/<run>
# ------------------------------------------------------------------------------------------
import csv  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Dict, Tuple  # noqa: E402

PER_PAIR_TOLERANCE = {"cosine_map": 1e-4, "feature_maps": 1e-3, "infer": 0.2, "before_date": 0.0,
                      "after_date": 0.0, "quality_fmask": 0.0}


def per_pair_tolerance(kind: str) -> float:
    """Golden README tolerances of per-pair files (dates and quality exact)."""
    for prefix, tol in PER_PAIR_TOLERANCE.items():
        if kind.startswith(prefix):
            return tol
    raise KeyError(kind)


def golden_raster_root() -> Path:
    from support import GOLDEN

    return GOLDEN / "raster"


def golden_runs() -> List[str]:
    """Run folders (config.yaml + manifest.json) under golden/raster, sorted."""
    root = golden_raster_root()
    return sorted(p.name for p in root.iterdir() if (p / "config.yaml").is_file() and (p / "manifest.json").is_file())


def run_config(run: str) -> dict:
    import yaml

    return yaml.safe_load((golden_raster_root() / run / "config.yaml").read_text())


def run_manifest(run: str) -> dict:
    import json

    return json.loads((golden_raster_root() / run / "manifest.json").read_text())


def checkpoint_args(run: str) -> Tuple[str, int, Tuple[str, ...]]:
    """(preset, seed, extra make_checkpoint args) from the manifest's checkpoint command."""
    cmd = run_manifest(run).get("checkpoint_command") or "--preset tiny --seed 0"
    words = shlex.split(cmd)
    preset, seed, extra = "tiny", 0, []
    i = 0
    while i < len(words):
        w = words[i]
        if w == "--preset":
            preset, i = words[i + 1], i + 2
        elif w == "--seed":
            seed, i = int(words[i + 1]), i + 2
        elif w == "--set":
            extra += ["--set", words[i + 1]]
            i += 2
        elif w == "--wrap":
            extra.append(w)
            i += 1
        else:
            i += 1
    return preset, seed, tuple(extra)


def golden_checkpoint(run: str) -> Path:
    """The checkpoint a run was made with, generated once into the test cache."""
    from support import CACHE, make_checkpoint

    preset, seed, extra = checkpoint_args(run)
    tag = "".join(re.sub(r"[^A-Za-z0-9]+", "_", e) for e in extra if e != "--set")
    return make_checkpoint(CACHE / f"{preset}_s{seed}{('_' + tag) if tag else ''}.pth", preset=preset, seed=seed,
                           extra=extra)


def resolve_input(path: Path) -> Path:
    """An input of a golden run; a symbolic link lost in copying falls back to shared/data (golden README)."""
    from support import DATA

    try:
        ok = path.is_file() and path.stat().st_size > 1024
    except OSError:
        ok = False
    if not ok and (DATA / path.name).is_file():
        return DATA / path.name
    return path


def run_pairs(run: str) -> List[List[Path]]:
    """The input images of every CSV row of a run, in frame order."""
    cfg = run_config(run)
    folder = golden_raster_root() / run
    frames = int(cfg.get("num_frames", 2))
    rows = list(csv.DictReader((folder / cfg.get("csv_inference_file", "infer_data.csv")).open()))
    pairs = []
    for row in rows:
        paths = []
        for t in range(frames):
            name = row[f"input_file_{t}"].strip()
            p = Path(name) if cfg.get("paths_included_in_csvs") else \
                folder / cfg[f"inference_input_folder_frame_{t}"] / name
            paths.append(resolve_input(p if p.is_absolute() else (folder / p)))
        pairs.append(paths)
    return pairs


def pair_suffix(inputs: Sequence, char: str = "!") -> str:
    return "".join(char + os.path.splitext(os.path.basename(str(p)))[0] for p in inputs)


def golden_pair_file(run: str, kind: str, suffix: str, ext: str = ".tif") -> Optional[Path]:
    """The reference's file of one kind for one pair (any save folder), or None."""
    for p in sorted((golden_raster_root() / run / "outputs").glob(f"*/{kind}{suffix}{ext}")):
        return p
    return None


def order_mask(golden_file: Path) -> Optional[np.ndarray]:
    """Order-sensitive pixels of a golden file (True = depends on listing order); None if no mask."""
    from osgeo import gdal

    run_dir = golden_file.parents[2]
    mask = run_dir / "order_sensitivity" / golden_file.parent.name / (golden_file.stem + ".order_mask.tif")
    if not mask.is_file():
        return None
    return gdal.Open(str(mask)).ReadAsArray() > 0


def golden_change_request(run: str, pair: Sequence[Path], out_dir: Path, checkpoint: Path, **overrides):
    """A ChangeMapRequest doing what the run's config.yaml asks for one pair; outputs named as upstream.

    Returns (request, {kind: our path}).
    """
    from dataclasses import replace

    from planaura_plugin.upstream.model_yaml import spec_from_upstream
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest

    cfg = run_config(run)
    spec = spec_from_upstream(cfg, golden_raster_root() / run)
    from support import TEST_DEVICE

    spec = replace(spec, checkpoint=str(checkpoint), device=TEST_DEVICE, precision="float32")
    T = len(pair)
    suffix = pair_suffix(pair, cfg.get("concatenate_char", "!"))
    cm, fm = cfg.get("change_map") or {}, cfg.get("feature_maps") or {}
    paths: Dict[str, str] = {}
    if cm.get("return") and T > 1:
        paths["cosine_map"] = f"cosine_map{suffix}.tif"
        if cm.get("save_dates_layer") or cm.get("save_fmask_layer"):
            paths["before_date"] = f"before_date{suffix}.tif"
            paths["after_date"] = f"after_date{suffix}.tif"
        if cm.get("save_fmask_layer"):
            paths["quality_fmask"] = f"quality_fmask{suffix}.tif"
    feats, recs, tables = {}, {}, {}
    for t in range(T):
        if fm.get("return") and fm.get("write_as_image", True):
            feats[t] = str(out_dir / f"feature_maps_{t}{suffix}.tif")
        if fm.get("return") and (fm.get("write_as_df") or fm.get("write_as_csv")):
            tables[t] = str(out_dir / f"feature_maps_{t}{suffix}.geoparquet")
        if cfg.get("save_reconstructed_images"):
            recs[t] = str(out_dir / f"infer_{t}{suffix}.tif")
    outputs = ChangeMapOutputs(**{k: str(out_dir / v) for k, v in paths.items()},
                               feature_maps=feats, reconstructions=recs, feature_tables=tables)
    kwargs = dict(inputs=[str(p) for p in pair], outputs=outputs, model=spec,
                  fmask_bitwise=bool(cm.get("fmask_in_bit", True)),
                  patch_stride=int(cfg["model_params"].get("patch_stride", cfg["model_params"].get("patch_size", 16))),
                  upsample=bool(cm.get("upsample_cosine_map", True)),
                  num_predictions=int(cfg.get("num_predictions", 1)),
                  min_valid=float(cfg.get("minimum_valid_percentage", 0.7)),
                  date_regex=cm.get("date_regex") or None, bbox=cfg.get("process_bbox"),
                  bbox_crs=cfg.get("process_bbox_crs"), embeddings=fm.get("embeddings") or None,
                  compression=str(cfg.get("tif_compression") or "LZW"))
    kwargs.update(overrides)
    request = ChangeMapRequest(**kwargs)
    ours = {k: str(out_dir / v) for k, v in paths.items()}
    ours.update({f"feature_maps_{t}": p for t, p in feats.items()})
    ours.update({f"infer_{t}": p for t, p in recs.items()})
    ours.update({f"feature_table_{t}": p for t, p in tables.items()})
    return request, ours


def misplaced_edge_footprint(golden_gt: Sequence[float], golden_shape: Tuple[int, int], input_gt: Sequence[float],
                             window: Tuple[int, int, int, int], tile: int, patch: int,
                             shifts: Sequence[int]) -> np.ndarray:
    """Coarse pixels of a golden ``upsample_cosine_map: false`` file that an off-grid edge tile wrote (SPEC 7).

    The reference's ``gdal_merge`` puts a tile starting ``s`` input px after the grid's anchor on coarse
    pixels ``int(s/p + 0.1)`` to ``int((s + S)/p + 0.5)``; those pixels are wrong there.
    """
    from planaura_plugin.raster.tile_grid import axis_starts

    mask = np.zeros(golden_shape, bool)
    anchor_row = int(round((golden_gt[3] - input_gt[3]) / input_gt[5]))
    anchor_col = int(round((golden_gt[0] - input_gt[0]) / input_gt[1]))
    for shift in shifts:
        for axis, (lo_px, hi_px, anchor) in enumerate(((window[0], window[2], anchor_row),
                                                       (window[1], window[3], anchor_col))):
            for start in axis_starts(lo_px, hi_px, tile, shift):
                off = start - anchor
                if off % patch == 0:
                    continue
                lo = max(int(off / patch + 0.1), 0)
                hi = min(int((off + tile) / patch + 0.5), golden_shape[axis])
                if axis == 0:
                    mask[lo:hi, :] = True
                else:
                    mask[:, lo:hi] = True
    return mask


def fmask_fill_footprint(fmask_paths: Sequence[Optional[str]], out_gt: Sequence[float], out_wkt: str,
                         out_shape: Tuple[int, int], patch: int) -> np.ndarray:
    """Output pixels whose patch may hold an Fmask fill (255) pixel of any date (SPEC 7: the reference
    decodes fill as high aerosol there). Conservative: every output pixel within ``patch`` input
    pixels of a fill pixel."""
    from osgeo import gdal, osr

    mask = np.zeros(out_shape, bool)
    for path in fmask_paths:
        if not path:
            continue
        ds = gdal.Open(str(path))
        rows, cols = np.nonzero(ds.ReadAsArray() == 255)
        if not len(rows):
            continue
        gt = ds.GetGeoTransform()
        xs = gt[0] + (cols + 0.5) * gt[1] + (rows + 0.5) * gt[2]
        ys = gt[3] + (cols + 0.5) * gt[4] + (rows + 0.5) * gt[5]
        src_wkt = ds.GetProjection()
        if src_wkt and out_wkt and not same_crs(src_wkt, out_wkt):
            a, b = osr.SpatialReference(), osr.SpatialReference()
            a.ImportFromWkt(src_wkt)
            b.ImportFromWkt(out_wkt)
            for s in (a, b):
                s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            pts = osr.CoordinateTransformation(a, b).TransformPoints(list(zip(xs, ys)))
            xs = np.array([p[0] for p in pts])
            ys = np.array([p[1] for p in pts])
        reach_x = abs(patch * gt[1])
        reach_y = abs(patch * gt[5])
        for x, y in zip(xs, ys):
            c0 = math.floor((x - reach_x - out_gt[0]) / out_gt[1])
            c1 = math.floor((x + reach_x - out_gt[0]) / out_gt[1])
            r0, r1 = sorted((math.floor((y - reach_y - out_gt[3]) / out_gt[5]),
                             math.floor((y + reach_y - out_gt[3]) / out_gt[5])))
            c0, c1 = sorted((c0, c1))
            mask[max(r0, 0):max(r1 + 1, 0), max(c0, 0):max(c1 + 1, 0)] = True
    return mask


@dataclass
class PairFileResult:
    """What comparing one per-pair GeoTIFF with its golden file found."""

    kind: str
    compared: int  # pixels (per band) compared
    excluded: int  # pixels left out (order mask, SPEC 7 exclusions)
    comparison: ValueComparison

    def line(self) -> str:
        return f"{self.kind}: {self.comparison} on {self.compared} px/band ({self.excluded} excluded)"


def compare_pair_raster(ours: str, golden: str, kind: str, exclude: Optional[np.ndarray] = None,
                        exact_size: bool = True, outside_nodata: bool = True) -> PairFileResult:
    """Header (dtype, nodata, exact geotransform, CRS, size) and values of one per-pair file.

    Pixels where the order mask or ``exclude`` is True are left out; without ``exact_size`` the
    common window is compared and (``outside_nodata``) golden pixels outside it must be nodata
    or excluded.
    """
    a, e = raster_info(ours), raster_info(golden)
    assert a.dtype == e.dtype, f"{kind}: {a.dtype} != golden {e.dtype}"
    assert a.bands == e.bands, f"{kind}: {a.bands} bands != golden {e.bands}"
    assert a.nodata == e.nodata, f"{kind}: nodata {a.nodata} != golden {e.nodata}"
    assert tuple(a.geotransform) == tuple(e.geotransform), f"{kind}: geotransform {a.geotransform} != {e.geotransform}"
    assert same_crs(a.wkt, e.wkt), f"{kind}: CRS differs from the golden one"
    if exact_size:
        assert (a.width, a.height) == (e.width, e.height), \
            f"{kind}: {a.width}x{a.height} != golden {e.width}x{e.height}"
    A, E = read_bands(ours), read_bands(golden)
    skip = np.zeros(E.shape[1:], bool)
    om = order_mask(Path(golden))
    if om is not None:
        skip |= om
    if exclude is not None:
        skip |= exclude
    h, w = min(A.shape[1], E.shape[1]), min(A.shape[2], E.shape[2])
    outside = np.ones(E.shape[1:], bool)
    outside[:h, :w] = False
    nd = e.nodata[0]
    if outside_nodata:
        stray = outside & ~skip & (E != nd).any(axis=0)
        assert not stray.any(), f"{kind}: {int(stray.sum())} golden pixels with data outside our raster"
    cmp = compare_values(A[:, :h, :w], E[:, :h, :w], per_pair_tolerance(kind), a.nodata[0], nd,
                         where=~skip[:h, :w])
    return PairFileResult(kind, int((~skip[:h, :w]).sum()), int(skip.sum()), cmp)


def compare_feature_tables(ours: str, golden: str, atol: float = 1e-3) -> Tuple[int, float]:
    """GeoParquet feature tables: same float16 columns and points; features within ``atol`` or one
    float16 step. Rows are matched by their point (row order follows directory listing upstream).
    Returns (rows compared, largest difference)."""
    import struct

    import pyarrow.parquet as pq

    def load(path):
        t = pq.read_table(path)
        names = [n for n in t.column_names if re.fullmatch(r"f\d+", n)]
        pts = [struct.unpack("<BIdd", bytes(b))[2:] for b in t.column("geometry").to_pylist()]
        feats = np.stack([t.column(n).to_numpy() for n in names], axis=1) if names else np.zeros((len(pts), 0))
        return t, names, pts, feats

    ta, na, pa_, fa = load(ours)
    tg, ng, pg, fg = load(golden)
    assert na == ng, "feature columns differ"
    assert str(ta.schema.field(na[0]).type) == "halffloat"
    assert sorted(pa_) == sorted(pg), "the tables do not hold the same points"
    index: Dict[tuple, List[int]] = {}
    for i, p in enumerate(pa_):
        index.setdefault(p, []).append(i)
    worst, n = 0.0, 0
    for j, p in enumerate(pg):
        cands = index[p]
        if len(cands) != 1:  # a repeated point (edge tiles): rows cannot be paired
            continue
        x, y = fa[cands[0]].astype(np.float64), fg[j].astype(np.float64)
        step = np.spacing(np.abs(y).astype(np.float16)).astype(np.float64)
        d = np.abs(x - y)
        assert (d <= np.maximum(atol, step)).all(), f"features differ at {p}: {d.max()}"
        worst, n = max(worst, float(d.max())), n + 1
    return n, worst
