"""Helpers of the end-to-end golden harness (tests/core/test_golden_raster_runs.py).

What golden_compare (GeoTIFF headers and values) and mosaic_compare (mosaic tolerances, input
images) do not cover: a writable copy of a golden run folder, the make_checkpoint command of a
manifest, the masks of pixels where SPEC section 7 says the reference output is wrong, and a
value comparison that knows where mismatches lie (validity borders) and what it left out.
"""
from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from golden_compare import raster_info, read_bands, same_crs  # noqa: F401 - re-exported for the harness
from mosaic_compare import usable_image


# ----------------------------------------------------------------------------- run folders

def mirror_tree(src: Path, dst: Path, skip: Sequence[str] = ()) -> None:
    """Real folders with symbolic links to the files of ``src`` (read-only data stays shared).

    A GeoTIFF that is a symbolic link a copy turned into its text links to its target
    (mosaic_compare.usable_image).
    """
    dst.mkdir(parents=True, exist_ok=True)
    for entry in sorted(src.iterdir()):
        if entry.name in skip:
            continue
        out = dst / entry.name
        if entry.is_dir():
            mirror_tree(entry, out)
        else:
            target = usable_image(entry) if entry.suffix.lower() in (".tif", ".tiff") else entry
            if out.is_symlink() or out.exists():
                out.unlink()
            out.symlink_to(Path(target).resolve())


def is_run_folder(path: Path) -> bool:
    return path.is_dir() and (path / "config.yaml").is_file() and (path / "manifest.json").is_file()


def discover_runs(raster_root: Path) -> List[Path]:
    """Every golden run folder (config.yaml + manifest.json) under ``raster_root``."""
    if not raster_root.is_dir():
        return []
    return sorted(p for p in raster_root.iterdir() if is_run_folder(p))


def prepare_run(run_dir: Path, work_root: Path, checkpoint: Path) -> Path:
    """A writable copy of a golden run: its config with ``<CHECKPOINT>`` filled in, the other
    files of the run folder and every sibling data folder (e.g. ``inputs``) mirrored, so that
    the config's relative paths (``../inputs/...``) resolve; outputs go to the copy."""
    root = work_root / run_dir.parent.name
    for sibling in sorted(run_dir.parent.iterdir()):
        if sibling.is_dir() and not is_run_folder(sibling):
            mirror_tree(sibling, root / sibling.name)
    work = root / run_dir.name
    mirror_tree(run_dir, work, skip=("outputs", "order_sensitivity", "config.yaml", "manifest.json"))
    text = (run_dir / "config.yaml").read_text()
    (work / "config.yaml").write_text(text.replace("<CHECKPOINT>", str(checkpoint)))
    return work


def checkpoint_request(manifest: dict, config_text: str = "") -> Tuple[str, int, Tuple[str, ...]]:
    """(preset, seed, extra args) of make_checkpoint.py, from the manifest's command (else the
    config's comment, else tiny seed 0)."""
    command = manifest.get("checkpoint_command") or ""
    if not command:
        for line in config_text.splitlines():
            if "make_checkpoint.py" in line:
                command = line.split(":", 1)[-1]
                break
    args = shlex.split(command)
    try:
        args = args[next(i for i, a in enumerate(args) if a.endswith("make_checkpoint.py")) + 1:]
    except StopIteration:
        return "tiny", 0, ()
    preset, seed, extra = "tiny", 0, []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--preset":
            preset, i = args[i + 1], i + 2
        elif a == "--seed":
            seed, i = int(args[i + 1]), i + 2
        elif a == "--out":
            i += 2
        elif a.startswith("--") and i + 1 < len(args) and not args[i + 1].startswith("--"):
            extra += [a, args[i + 1]]
            i += 2
        else:
            extra.append(a)
            i += 1
    return preset, seed, tuple(extra)


def checkpoint_file_name(preset: str, seed: int, extra: Sequence[str]) -> str:
    tag = hashlib.sha1(" ".join(extra).encode()).hexdigest()[:8] if extra else ""
    return f"{preset}_s{seed}{'_' + tag if tag else ''}.pth"


# ----------------------------------------------------------------------------- rasters

@dataclass
class Raster:
    path: str
    array: np.ndarray  # (bands, h, w)
    nodata: List[Optional[float]]
    geotransform: Tuple[float, ...]
    wkt: str
    dtype: str  # numpy type name


def read_raster(path) -> Raster:
    info = raster_info(str(path))
    return Raster(str(path), read_bands(str(path)), list(info.nodata), tuple(info.geotransform), info.wkt,
                  info.dtype.name)


def valid_mask(r: Raster, nodata: Optional[float]) -> np.ndarray:
    a = r.array
    bad = np.isnan(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool)
    if nodata is not None:
        bad |= a == np.asarray(nodata).astype(a.dtype)
    return ~bad


def border_zone(valid_any: np.ndarray, width: int = 2) -> np.ndarray:
    """Pixels within ``width`` px of a change of validity (where cubic warps may differ)."""
    from scipy import ndimage

    edge = valid_any ^ ndimage.binary_erosion(valid_any, iterations=1, border_value=1)
    edge |= ndimage.binary_dilation(valid_any, iterations=1) ^ valid_any
    return ndimage.binary_dilation(edge, iterations=width)


# ----------------------------------------------------------------------------- SPEC 7 masks

def tile_starts(size: int, tile: int, shift: int = 0) -> List[int]:
    """The reference's tile starts along one axis: every half tile from ``shift``, plus one
    tile flush with the far edge when the last one stops short of it."""
    starts = list(range(shift, size - tile + 1, tile // 2))
    if starts and starts[-1] + tile < size:
        starts.append(size - tile)
    return starts


def misplaced_edge_tiles(in_shape: Tuple[int, int], in_gt: Sequence[float], out_shape: Tuple[int, int],
                         out_gt: Sequence[float], tile: int, patch: int, shifts: Sequence[int]) -> np.ndarray:
    """Coarse pixels (upsample_cosine_map false) that the reference filled from an edge-flush
    tile pasted at the wrong place (SPEC 7). ``gdal_merge`` puts a tile starting at input pixel
    ``s`` on coarse pixels ``int(s/p + 0.1)`` to ``int((s + S)/p + 0.5)`` (exclusive), moving it
    by up to p-1 input pixels and stretching it by one pixel when the end rounds up. That whole
    footprint is marked; an overestimate where a later tile's centre covers it."""
    h_in, w_in = in_shape
    mask = np.zeros(out_shape, bool)
    off = (int(round((out_gt[3] - in_gt[3]) / in_gt[5])), int(round((out_gt[0] - in_gt[0]) / in_gt[1])))
    for shift in shifts:
        for axis, size in ((1, w_in), (0, h_in)):
            for start in tile_starts(size, tile, shift):
                if start % patch == 0:
                    continue
                lo = int((start - off[axis]) / patch + 0.1)
                hi = int((start + tile - off[axis]) / patch + 0.5)
                lo, hi = max(lo, 0), min(hi, out_shape[axis])
                if lo < hi:
                    if axis == 1:
                        mask[:, lo:hi] = True
                    else:
                        mask[lo:hi, :] = True
    return mask


def fmask_inputs_hold_fill(images: Sequence[str]) -> bool:
    """Whether any ``fmask_<image>`` beside the run's images holds the fill value 255."""
    from osgeo import gdal

    for img in images:
        fm = Path(img).parent / f"fmask_{Path(img).name}"
        if fm.is_file():
            ds = gdal.Open(str(fm))
            if ds is not None and (ds.ReadAsArray() == 255).any():
                return True
    return False


# ----------------------------------------------------------------------------- comparison

@dataclass
class Tolerance:
    atol: float  # 0 = exact
    mismatch_fraction: float = 0.0  # share of compared pixels allowed to differ ...
    border_px: int = 2  # ... only within this distance of a validity border


@dataclass
class FileReport:
    name: str
    compared: int = 0  # pixel positions compared (all bands)
    total: int = 0
    excluded: Dict[str, int] = field(default_factory=dict)  # reason -> pixel positions left out
    max_abs_diff: float = 0.0
    validity_mismatch: int = 0
    value_mismatch: int = 0  # positions with a band beyond the tolerance (both valid)
    tolerated: int = 0  # mismatching positions inside the allowance
    problems: List[str] = field(default_factory=list)
    skipped: Optional[str] = None

    def line(self) -> str:
        if self.skipped:
            return f"{self.name}: not compared ({self.skipped})"
        ex = ", ".join(f"{k} {v}" for k, v in self.excluded.items()) or "none"
        status = "OK" if not self.problems else "FAIL: " + "; ".join(self.problems)
        return (f"{self.name}: compared {self.compared}/{self.total} px, max |diff| {self.max_abs_diff:.3g}, "
                f"validity mismatches {self.validity_mismatch}, value mismatches {self.value_mismatch}, "
                f"tolerated {self.tolerated}; excluded: {ex} -> {status}")


def compare_values(report: FileReport, golden: Raster, ours: Raster, tol: Tolerance,
                   exclusions: Dict[str, np.ndarray], window: Tuple[int, int],
                   golden_minus100_is_nodata: bool = False, values_excluded: bool = False) -> None:
    """Compare ``ours`` with ``golden`` on the top-left ``window`` (h, w) where no exclusion applies.

    ``golden_minus100_is_nodata``: the reference wrote -100 instead of the nodata value (mosaic
    input layers, SPEC 7); such a pixel agrees when ours is nodata. ``values_excluded``: only
    validity is checked, and only one way (golden valid -> ours valid).
    """
    h, w = window
    g = golden.array[:, :h, :w]
    o = ours.array[:, :h, :w]
    g_nd = golden.nodata[0]
    o_nd = ours.nodata[0]
    gv = valid_mask(Raster(golden.path, g, golden.nodata, golden.geotransform, golden.wkt, golden.dtype), g_nd)
    ov = valid_mask(Raster(ours.path, o, ours.nodata, ours.geotransform, ours.wkt, ours.dtype), o_nd)
    keep = np.ones((h, w), bool)
    for reason, mask in exclusions.items():
        m = mask[:h, :w] & keep
        report.excluded[reason] = report.excluded.get(reason, 0) + int(m.sum())
        keep &= ~m
    if golden_minus100_is_nodata:
        wrote_minus100 = (g == -100) & ~ov
        gv = gv & ~wrote_minus100
        report.excluded["reference -100 for nodata (agrees when nodata here)"] = int(
            (wrote_minus100.any(0) & keep).sum())
    report.total = h * w
    report.compared = int(keep.sum())
    if values_excluded:
        lost = (gv & ~ov).any(0) & keep
        report.validity_mismatch = int(lost.sum())
        if report.validity_mismatch:
            report.problems.append(f"{report.validity_mismatch} px valid in the reference are nodata here")
        return
    valid_diff = (gv != ov).any(0) & keep
    both = gv & ov & keep[None]
    diff = np.zeros(g.shape, np.float64)
    diff[both] = np.abs(g[both].astype(np.float64) - o[both].astype(np.float64))
    report.max_abs_diff = float(diff.max()) if both.any() else 0.0
    over = (diff > tol.atol).any(0)
    report.validity_mismatch = int(valid_diff.sum())
    report.value_mismatch = int(over.sum())
    bad = valid_diff | over
    n_bad = int(bad.sum())
    if not n_bad:
        return
    if tol.mismatch_fraction > 0:
        zone = border_zone(gv.any(0), tol.border_px) | border_zone(ov.any(0), tol.border_px)
        at_border = int((bad & zone).sum())
        inner = n_bad - at_border
        allowance = int(np.ceil(tol.mismatch_fraction * max(report.compared, 1)))
        if inner == 0 and at_border <= allowance:
            report.tolerated = at_border
            report.max_abs_diff = float(diff[:, ~bad].max()) if (~bad).any() and both.any() else 0.0
            return
        report.problems.append(f"{n_bad} px differ ({inner} away from validity borders, {at_border} at borders; "
                               f"allowance {allowance} at borders)")
        return
    if report.validity_mismatch:
        report.problems.append(f"{report.validity_mismatch} px differ in validity")
    if report.value_mismatch:
        report.problems.append(f"{report.value_mismatch} px beyond atol {tol.atol:g} (max {report.max_abs_diff:.3g})")
