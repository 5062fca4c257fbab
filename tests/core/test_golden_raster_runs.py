"""End-to-end parity with the reference: every golden run folder, through the command line.

For each folder under shared/golden/raster holding config.yaml and manifest.json (found at
collection time, so new golden cases are picked up as they come): write the checkpoint the
manifest names, copy the run (config with ``<CHECKPOINT>`` filled in, inputs linked, outputs
written in a temporary folder), run ``python -m planaura_plugin run config.yaml`` there, then
compare every GeoTIFF the manifest lists and the golden folder still holds.

Checked per file: the name, size, band count, data type, nodata, CRS (equivalent), geotransform,
the validity mask and the values, on the pixels where the order-sensitivity mask is 0 (pixels
whose reference value depended on directory listing order; the golden README).
Tolerances (golden README): per-pair cosine 1e-4, features 1e-3, reconstructions 0.2 DN, dates
and quality exact; mosaics as the mosaic tests (mosaic_compare: cosine and features 1e-3,
reconstructions 0.2 DN, Int16 inputs 1 DN, dates, quality and persistence exact), with up to
0.1 % of the compared pixels allowed to differ, all within 2 px of a validity border (cubic
warps near nodata differ between GDAL versions).

Where SPEC section 7 says the reference is wrong, only what the reference got right is
compared. Each exclusion below is applied only when the run's config or inputs trigger it,
and the number of pixels it removes is reported:
- Fmask fill (255) decodes to 6 in the reference: when a run's Fmask inputs hold 255, a
  quality pixel that is 6 in the reference and not 6 here is left out.
- ``upsample_cosine_map: false`` at stride p: the reference pastes the edge-flush tiles up to
  p-1 input pixels off their place; the whole footprint of those tiles (as the reference placed
  them) is left out, and the raster may be one coarse pixel smaller here (the common window is
  compared; reference pixels outside it must be nodata).
- ``num_predictions > 1``: the reference sizes the merged files from the x extent for both axes
  (301 x 301 for a 300 x 260 input) and merges feature maps (and, not tested by any golden run,
  reconstructions) with a minimum that picks nodata; the common window is compared, reference
  pixels outside it must be nodata, and for feature maps / reconstructions only "valid in the
  reference -> valid here" is checked (their values follow the winning cosine here).
- Mosaics of a run with either per-pair bug above are built from wrong per-pair layers and on
  a grid sized from them: not compared (the golden README removed those of runs ii and iv).
- Mosaic input layers: the reference writes -100 where the input is nodata; such a pixel
  agrees when it is nodata here.
- Compression, overviews and band descriptions are not compared (the reference leaves some
  files uncompressed and drops descriptions); .tfw world files are not compared.
Non-GeoTIFF outputs listed in the manifest (GeoParquet feature tables) must exist under the
same name; their content is not part of this harness.

Each run's report is written to .cache/parity/<run>.txt.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import pytest
import yaml

import mosaic_compare
from run_compare import (FileReport, Tolerance, checkpoint_file_name, checkpoint_request, compare_values,
                         discover_runs, fmask_inputs_hold_fill, misplaced_edge_tiles, read_raster, same_crs)
from support import CACHE, GOLDEN, REPO, TEST_DEVICE, make_checkpoint

RASTER = GOLDEN / "raster"
RUNS = discover_runs(RASTER)
REPORTS = REPO / ".cache" / "parity"
RUN_TIMEOUT_S = int(os.environ.get("PLANAURA_GOLDEN_RUN_TIMEOUT", "1800"))

PAIR_TOL = {"cosine_map": Tolerance(1e-4), "feature_maps": Tolerance(1e-3), "infer": Tolerance(0.2),
            "before_date": Tolerance(0), "after_date": Tolerance(0), "quality_fmask": Tolerance(0)}


def mosaic_tolerance(kind: str) -> Tolerance:
    """The mosaic tests' tolerances (mosaic_compare), with their share of border mismatches."""
    return Tolerance(mosaic_compare.tolerance(kind), mosaic_compare.MAX_MISMATCH_FRACTION)


def _tif_entries(run_dir: Path) -> List[str]:
    manifest = json.loads((run_dir / "manifest.json").read_text())
    return sorted(k for k, v in manifest["files"].items() if k.endswith(".tif"))


def _cases():
    for run in RUNS:
        for key in _tif_entries(run):
            yield pytest.param(run.name, key, id=f"{run.name}:{Path(key).name}")


@dataclass
class RunCase:
    name: str
    golden: Path
    work: Path
    manifest: dict
    config: dict
    result: subprocess.CompletedProcess
    pairs: Dict[str, List[str]]  # file id (!A!B) -> input paths (in the work folder)

    @property
    def c(self) -> str:
        return self.config.get("concatenate_char", "!")


def _csv_pairs(config: dict, work: Path) -> Dict[str, List[str]]:
    import csv

    c = config.get("concatenate_char", "!")
    t = int(config.get("num_frames", 2))
    csv_path = work / config["csv_inference_file"]
    pairs = {}
    with open(csv_path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            entries = [row[f"input_file_{k}"].strip() for k in range(t)]
            if config.get("paths_included_in_csvs", True):
                paths = [str(work / e) for e in entries]
            else:
                paths = [str(work / config[f"inference_input_folder_frame_{k}"] / e) for k, e in enumerate(entries)]
            fid = c + c.join(os.path.splitext(os.path.basename(e))[0] for e in entries)
            pairs[fid] = paths
    return pairs


_EXECUTED: Dict[str, RunCase] = {}


@pytest.fixture(scope="session")
def golden_run(tmp_path_factory):
    """Runs each golden case once per session, on first use."""

    def get(name: str) -> RunCase:
        if name in _EXECUTED:
            return _EXECUTED[name]
        run_dir = RASTER / name
        manifest = json.loads((run_dir / "manifest.json").read_text())
        config_text = (run_dir / "config.yaml").read_text()
        preset, seed, extra = checkpoint_request(manifest, config_text)
        checkpoint = make_checkpoint(CACHE / checkpoint_file_name(preset, seed, extra), preset, seed, extra)
        from run_compare import prepare_run

        work = prepare_run(run_dir, tmp_path_factory.mktemp(name), checkpoint)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        # the config's own device unless the tests are asked to run elsewhere (bench/gpu_check.py)
        device = ["--device", TEST_DEVICE] if "PLANAURA_TEST_DEVICE" in os.environ else []
        result = subprocess.run([sys.executable, "-m", "planaura_plugin", "run", "config.yaml", *device], cwd=work,
                                env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        config = yaml.safe_load((work / "config.yaml").read_text())
        case = RunCase(name, run_dir, work, manifest, config, result, _csv_pairs(config, work))
        _EXECUTED[name] = case
        REPORTS.mkdir(parents=True, exist_ok=True)
        (REPORTS / f"{name}.txt").write_text(f"# {name}: exit status {result.returncode}\n")
        return case

    return get


def _require_success(case: RunCase) -> None:
    if case.result.returncode != 0:
        tail = (case.result.stdout[-3000:] + "\n" + case.result.stderr[-3000:]).strip()
        pytest.fail(f"python -m planaura_plugin run config.yaml failed in {case.work} "
                    f"(exit {case.result.returncode}):\n{tail}")


@pytest.mark.parametrize("run", [r.name for r in RUNS])
def test_run_completes(golden_run, run):
    case = golden_run(run)
    _require_success(case)
    # the command line's summary: the files written, no pair failed
    assert re.search(r"^[1-9]\d* file\(s\) written in [\d.]+ s:$", case.result.stdout, re.M), case.result.stdout[-2000:]
    assert ", 0 failed" in case.result.stdout, case.result.stdout[-2000:]


@pytest.mark.parametrize("run", [r.name for r in RUNS])
def test_other_outputs_exist(golden_run, run):
    """GeoParquet feature tables (and any other non-GeoTIFF output) carry the reference's names."""
    case = golden_run(run)
    _require_success(case)
    missing = []
    for key, info in case.manifest["files"].items():
        if key.endswith((".tif", ".tfw")) or info.get("removed_from_golden"):
            continue
        if not (case.work / key).is_file():
            missing.append(key)
    assert not missing, f"outputs not written: {missing}"


def _kind(name: str, case: RunCase) -> tuple:
    """(kind family, is mosaic, exact kind) from an output file name."""
    stem = os.path.splitext(name)[0]
    if stem.startswith("mosaic_"):
        post = case.config.get("mosaic_params", {}).get("mosaic_save_postfix", "")
        body = stem[len("mosaic_"):]
        for suffix in (f"_{post}_c", f"_{post}_f", "_c", "_f"):
            if body.endswith(suffix):
                body = body[: -len(suffix)]
                break
        mosaic = True
    else:
        body = stem.split(case.c)[0]
        mosaic = False
    family = body.rsplit("_", 1)[0] if body.startswith(("feature_maps_", "infer_")) else body
    return family, mosaic, body


def _pair_bug(case: RunCase) -> Optional[str]:
    cfg = case.config
    mp = cfg.get("model_params", {})
    if int(cfg.get("num_predictions", 1)) > 1:
        return "num_predictions"
    stride_p = int(mp.get("patch_stride", 16)) == int(mp.get("patch_size", 16)) > 1
    if stride_p and not cfg.get("change_map", {}).get("upsample_cosine_map", True):
        return "edge_tile"
    return None


def _order_mask(case: RunCase, rel: str, shape) -> Optional[np.ndarray]:
    info = case.manifest.get("order_sensitivity_vs_reverse_sorted", {}).get(rel, {})
    mask_path = info.get("mask")
    if not mask_path:  # not in the manifest: the folder's naming convention
        candidate = Path("order_sensitivity") / (rel[:-len(".tif")] + ".order_mask.tif")
        mask_path = str(candidate) if (case.golden / candidate).is_file() else None
    if not mask_path:
        return None
    m = read_raster(case.golden / mask_path).array[0] != 0
    if m.shape != tuple(shape):
        raise AssertionError(f"order mask {mask_path} is {m.shape}, the golden file {shape}")
    return m


def compare_file(case: RunCase, key: str, ours_root: Path) -> FileReport:
    """The report of one GeoTIFF of the manifest: ``ours_root / key`` against the golden file."""
    info = case.manifest["files"][key]
    name = Path(key).name
    report = FileReport(name)
    golden_path = case.golden / key
    family, mosaic, kind = _kind(name, case)
    bug = _pair_bug(case)
    if info.get("removed_from_golden") or not golden_path.is_file():
        report.skipped = "removed from the golden data"
        return report
    if mosaic and bug:
        report.skipped = f"mosaic of per-pair layers with a reference bug ({bug}, SPEC 7)"
        return report
    ours_path = ours_root / key
    if not ours_path.is_file():
        report.problems.append(f"not written (expected {ours_path})")
        return report
    golden = read_raster(golden_path)
    ours = read_raster(ours_path)

    # metadata
    problems = report.problems
    if ours.array.shape[0] != golden.array.shape[0]:
        problems.append(f"{ours.array.shape[0]} bands, reference {golden.array.shape[0]}")
    if ours.dtype != golden.dtype:
        problems.append(f"type {ours.dtype}, reference {golden.dtype}")
    if ours.nodata != golden.nodata:
        problems.append(f"nodata {ours.nodata}, reference {golden.nodata}")
    if not same_crs(ours.wkt, golden.wkt):
        problems.append("CRS differs from the reference's")
    g_gt, o_gt = np.array(golden.geotransform), np.array(ours.geotransform)
    if not (np.allclose(o_gt[[1, 2, 4, 5]], g_gt[[1, 2, 4, 5]], rtol=1e-9, atol=1e-9)
            and np.allclose(o_gt[[0, 3]], g_gt[[0, 3]], rtol=0, atol=1e-3 * abs(g_gt[1]))):
        problems.append(f"geotransform {tuple(o_gt)}, reference {tuple(g_gt)}")
    gh, gw = golden.array.shape[1:]
    oh, ow = ours.array.shape[1:]
    window = (min(gh, oh), min(gw, ow))
    if (gh, gw) != (oh, ow) and not (bug and not mosaic):
        problems.append(f"size {ow}x{oh}, reference {gw}x{gh}")
    if problems:
        return report

    # SPEC 7 exclusions
    exclusions: Dict[str, np.ndarray] = {}
    rel = key[len("outputs/"):] if key.startswith("outputs/") else key
    order = _order_mask(case, rel, (gh, gw))
    if order is not None:
        exclusions["order-sensitive in the reference"] = order
    if family == "quality_fmask" and fmask_inputs_hold_fill([p for ps in case.pairs.values() for p in ps]):
        not6 = np.zeros((gh, gw), bool)
        not6[:window[0], :window[1]] = ours.array[0, :window[0], :window[1]] != 6
        exclusions["reference decodes Fmask fill as 6"] = (golden.array[0] == 6) & not6
    values_excluded = False
    if bug == "edge_tile" and not mosaic:
        fid = os.path.splitext(name)[0][len(kind):]
        first = read_raster(case.pairs[fid][0])
        mp = case.config["model_params"]
        shifts = [64 * k for k in range(int(case.config.get("num_predictions", 1)))]
        exclusions["misplaced edge-flush tile in the reference"] = misplaced_edge_tiles(
            first.array.shape[1:], first.geotransform, (gh, gw), golden.geotransform, int(mp["img_size"]),
            int(mp["patch_size"]), shifts)
    if bug == "num_predictions" and family in ("feature_maps", "infer"):
        values_excluded = True
        report.excluded["values (reference merges shifts with a minimum that picks nodata)"] = 0

    if (gh, gw) != (oh, ow):
        # the reference's size is wrong here (SPEC 7): compare the common window; reference
        # pixels outside it must be nodata or lie in an excluded area
        outside = np.ones((gh, gw), bool)
        outside[:window[0], :window[1]] = False
        for mask in exclusions.values():
            outside &= ~mask
        g_valid = golden.array != np.asarray(golden.nodata[0]).astype(golden.array.dtype)
        lost = int((g_valid.any(0) & outside).sum())
        if lost:
            report.problems.append(f"{lost} px valid in the reference lie outside this raster "
                                   f"({ow}x{oh} vs {gw}x{gh})")
        report.excluded[f"reference extent {gw}x{gh}, here {ow}x{oh} ({bug})"] = int(outside.sum())

    tol = mosaic_tolerance(kind) if mosaic else PAIR_TOL[family]
    compare_values(report, golden, ours, tol, exclusions, window,
                   golden_minus100_is_nodata=mosaic and family in ("before_input", "after_input"),
                   values_excluded=values_excluded)
    return report


@pytest.mark.parametrize("run, key", list(_cases()))
def test_geotiff_matches_golden(golden_run, run, key):
    case = golden_run(run)
    info = case.manifest["files"][key]
    if not (info.get("removed_from_golden") or not (case.golden / key).is_file()):
        _require_success(case)
    report = compare_file(case, key, case.work)
    _write(case, report)
    if report.skipped:
        pytest.skip(report.skipped)
    assert not report.problems, report.line()


@pytest.mark.parametrize("run", [r.name for r in RUNS])
def test_harness_accepts_the_reference_itself(run, tmp_path):
    """The comparison finds no difference between the golden files and themselves."""
    run_dir = RASTER / run
    manifest = json.loads((run_dir / "manifest.json").read_text())
    from run_compare import prepare_run

    work = prepare_run(run_dir, tmp_path, tmp_path / "unused.pth")
    config = yaml.safe_load((work / "config.yaml").read_text())
    case = RunCase(run, run_dir, work, manifest, config, subprocess.CompletedProcess([], 0), _csv_pairs(config, work))
    reports = [compare_file(case, key, run_dir) for key in _tif_entries(run_dir)]
    bad = [r.line() for r in reports if r.problems]
    assert not bad, "\n".join(bad)
    compared = [r for r in reports if not r.skipped]
    assert compared and all(r.max_abs_diff == 0 and r.compared > 0 for r in compared)


def _write(case: RunCase, report: FileReport) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    with open(REPORTS / f"{case.name}.txt", "a") as fh:
        fh.write(report.line() + "\n")


def test_edge_tile_exclusion_of_run_ii_geometry():
    """300 x 260 input, 64 px tiles, p 16: the edge tiles at col 236 / row 196 land on coarse
    cols 14-18 / rows 12-15 of the 19 x 16 reference raster (golden README; gdal_merge rounds
    the column tile's end 18.75 up to 19)."""
    from run_compare import misplaced_edge_tiles, tile_starts

    assert tile_starts(300, 64) == [0, 32, 64, 96, 128, 160, 192, 224, 236]
    assert tile_starts(260, 64, shift=64) == [64, 96, 128, 160, 192, 196]
    m = misplaced_edge_tiles((260, 300), (600600, 30, 0, 3591000, 0, -30), (16, 19),
                             (600600, 480, 0, 3591000, 0, -480), 64, 16, [0])
    assert np.array_equal(np.where(m[0])[0], [14, 15, 16, 17, 18])  # 4 coarse px stretched to 5
    assert np.array_equal(np.where(m[:, 0])[0], [12, 13, 14, 15])
    assert int((~m).sum()) == 12 * 14


def test_checkpoint_command_is_read_from_the_manifest():
    from run_compare import checkpoint_request

    cmd = "python shared/tools/make_checkpoint.py --preset tiny --seed 3 --set num_frames=3 --out t.pth"
    assert checkpoint_request({"checkpoint_command": cmd}) == ("tiny", 3, ("--set", "num_frames=3"))
    assert checkpoint_request({}, "# <CHECKPOINT> = output of: python x/make_checkpoint.py --preset base "
                                  "--seed 1 --out b.pth") == ("base", 1, ())


@pytest.mark.parametrize("run", [r.name for r in RUNS])
def test_mosaic_task_alone_on_the_reference_pairs(run, tmp_path):
    """task_list [mosaic] over the reference's own per-pair files (an earlier run, as upstream
    allows): the mosaics found, named and valued as the reference's. Independent of the
    change-map pipeline, so it isolates the runner's mosaic path."""
    run_dir = RASTER / run
    manifest = json.loads((run_dir / "manifest.json").read_text())
    mosaics = [k for k, v in manifest["files"].items() if Path(k).name.startswith("mosaic_")
               and k.endswith(".tif") and not v.get("removed_from_golden") and (run_dir / k).is_file()]
    pair_files = [k for k in manifest["files"] if k.endswith(".tif") and not Path(k).name.startswith("mosaic_")
                  and (run_dir / k).is_file()]
    if not mosaics or not pair_files:
        pytest.skip("no mosaic, or no per-pair file to mosaic, in this golden run")
    from run_compare import prepare_run

    work = prepare_run(run_dir, tmp_path, tmp_path / "unused.pth")
    (tmp_path / "unused.pth").write_bytes(b"")
    for key in manifest["files"]:
        src = run_dir / key
        if key.endswith(".tif") and not Path(key).name.startswith("mosaic_") and src.is_file():
            (work / key).parent.mkdir(parents=True, exist_ok=True)
            (work / key).symlink_to(src)
    config = yaml.safe_load((work / "config.yaml").read_text())
    config["task_list"] = ["mosaic"]
    config["mosaic_params"]["delete_residues"] = False
    (work / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-m", "planaura_plugin", "run", "config.yaml"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    case = RunCase(run, run_dir, work, manifest, config, result, _csv_pairs(config, work))
    reports = [compare_file(case, key, work) for key in sorted(mosaics)]
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{run}.mosaic_task.txt").write_text("\n".join(r.line() for r in reports) + "\n")
    bad = [r.line() for r in reports if r.problems]
    assert not bad, "\n".join(bad)
