"""Bad-input matrix through ``qgis_process.bin run planaura:changemap``.

Each case must end with a non-zero exit and a message that names the file and the problem,
leave the output folder exactly as it was (no final, partial or temporary file, no style
sidecar) and every input byte-identical. The tiny checkpoint with its YAML (conftest's
``tiny_yaml``) on 128 px crops keeps each run to a few seconds, mostly QGIS's start.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, Iterable, Sequence

import numpy as np
import pytest

from support import REPO

pytestmark = pytest.mark.qgis

SENTINEL = "keep_me.txt"


NO_TILE = r"No tile could be processed.*(nodata|cover)"  # the provider's lead, then the core's reason

def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(folder: Path) -> Dict[str, str]:
    """Every entry under ``folder``, hidden ones included: relative path -> content hash."""
    out = {}
    for p in sorted(Path(folder).rglob("*")):
        out[str(p.relative_to(folder))] = "dir" if p.is_dir() else sha(p)
    return out


def hashes(paths: Iterable[Path]) -> Dict[str, str]:
    return {str(p): sha(p) for p in paths if Path(p).is_file()}


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"


def write_raster(path: Path, array: np.ndarray, gt=None, wkt: str = "", nodata=None, driver: str = "GTiff") -> Path:
    from osgeo import gdal, gdal_array

    array = np.asarray(array)
    mem = gdal.GetDriverByName("MEM").Create("", array.shape[2], array.shape[1], array.shape[0],
                                             gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    if gt is not None:
        mem.SetGeoTransform(gt)
    if wkt:
        mem.SetProjection(wkt)
    for b in range(array.shape[0]):
        if nodata is not None:
            mem.GetRasterBand(b + 1).SetNoDataValue(nodata)
        mem.GetRasterBand(b + 1).WriteArray(array[b])
    gdal.GetDriverByName(driver).CreateCopy(str(path), mem)
    return Path(path)


def read(path: Path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    return ds.ReadAsArray(), ds.GetGeoTransform(), ds.GetProjection()


@pytest.fixture
def case(tmp_path, pair_a, tiny_checkpoint, tiny_yaml):
    """Per test: copies of pair A (with Fmasks), an output folder holding one unrelated file, and
    ``run(**parameters)`` that checks the output folder and the inputs did not change."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    files = {}
    for key in ("before", "after"):
        src = Path(pair_a[key])
        shutil.copy(src, inputs / src.name)
        shutil.copy(src.parent / ("fmask_" + src.name), inputs / ("fmask_" + src.name))
        files[key] = inputs / src.name
    out = tmp_path / "out"
    out.mkdir()
    (out / SENTINEL).write_text("not an output")
    model = {"CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1}
    return {"in": inputs, "out": out, "before": files["before"], "after": files["after"], "model": model,
            "tmp": tmp_path}


def run_failing(qgis_process, parameters: Dict[str, object], patterns: Sequence[str], watched: Iterable[Path],
                out: Path, env: Dict[str, str] = None) -> str:
    """Run planaura:changemap; it must fail with every pattern in its output, changing nothing."""
    watched = list(watched)
    before_inputs, before_out = hashes(watched), snapshot(out)
    if env:
        saved = dict(qgis_process.env)
        qgis_process.env.update(env)
    try:
        done, _data = qgis_process.run_json("planaura:changemap", parameters)
    finally:
        if env:
            qgis_process.env.clear()
            qgis_process.env.update(saved)
    text = done.stdout + done.stderr
    assert done.returncode != 0, log(done)
    for pattern in patterns:
        assert re.search(pattern, text), f"{pattern!r} not in the output\n{log(done)}"
    assert "Traceback" not in text, log(done)
    assert snapshot(out) == before_out, f"the output folder changed\n{log(done)}"
    assert hashes(watched) == before_inputs, "an input changed"
    return text


def params(c, before=None, after=None, output=None, **extra) -> Dict[str, object]:
    return {"BEFORE": str(before or c["before"]), "AFTER": str(after or c["after"]), **c["model"],
            "OUTPUT": str(output or c["out"] / "cosine_map.tif"), "OUTPUT_BEFORE_DATE": str(c["out"] / "before.tif"),
            "OUTPUT_QUALITY": str(c["out"] / "quality.tif"), **extra}


# ------------------------------------------------------------------------------------------------
def test_wrong_band_count(qgis_process, case):
    raw, gt, wkt = read(case["after"])
    five = write_raster(case["in"] / "HLS.S30.T15SXR-five.2022245T163901.v2.0.tif", raw[:5], gt, wkt, -9999)
    run_failing(qgis_process, params(case, after=five), [re.escape(five.name), r"5 band", r"6 bands"],
                [case["before"], five], case["out"])


def test_rgb_photo(qgis_process, case):
    photo = write_raster(case["in"] / "holiday.png",
                         np.random.default_rng(0).integers(0, 255, (3, 128, 128), dtype=np.uint8), driver="PNG")
    run_failing(qgis_process, params(case, before=photo), [re.escape(photo.name), r"3 band", r"6 bands"],
                [photo, case["after"]], case["out"])


def test_rasters_without_overlap(qgis_process, case):
    raw, gt, wkt = read(case["after"])
    far = write_raster(case["in"] / "HLS.S30.T15SXR-far.2022245T163901.v2.0.tif", raw,
                       (gt[0] + 1e5, gt[1], 0.0, gt[3], 0.0, gt[5]), wkt, -9999)
    run_failing(qgis_process, params(case, after=far), [re.escape(far.name), "does not overlap"],
                [case["before"], far], case["out"])


OVERLAP_REASON = r"(?i)overlaps? (by )?less than|smaller than one tile|less than one tile"  # not a tmp path


def shifted_after(case) -> Path:
    """The after image moved 100 px east: 28 px of overlap, less than one 64 px tile."""
    raw, gt, wkt = read(case["after"])
    return write_raster(case["in"] / "HLS.S30.T15SXR-shift.2022245T163901.v2.0.tif", raw,
                        (gt[0] + 100 * gt[1], gt[1], 0.0, gt[3], 0.0, gt[5]), wkt, -9999)


def test_overlap_smaller_than_one_tile(qgis_process, case):
    shifted = shifted_after(case)
    run_failing(qgis_process, params(case, after=shifted),
                [re.escape(shifted.name), NO_TILE],
                [case["before"], shifted], case["out"])


def test_overlap_smaller_than_one_tile_says_why(qgis_process, case):
    shifted = shifted_after(case)
    run_failing(qgis_process, params(case, after=shifted), [re.escape(shifted.name), OVERLAP_REASON],
                [case["before"], shifted], case["out"])


def test_all_nodata_input(qgis_process, case):
    raw, gt, wkt = read(case["after"])
    empty = write_raster(case["in"] / "HLS.S30.T15SXR-empty.2022245T163901.v2.0.tif", np.full_like(raw, -9999),
                         gt, wkt, -9999)
    run_failing(qgis_process, params(case, after=empty), [re.escape(empty.name), NO_TILE],
                [case["before"], empty], case["out"])


@pytest.mark.parametrize("declared", [True, False], ids=["nodata-nan-declared", "no-nodata-declared"])
def test_nan_filled_float_input(qgis_process, case, declared):
    _raw, gt, wkt = read(case["after"])
    nan = write_raster(case["in"] / "HLS.S30.T15SXR-nan.2022245T163901.v2.0.tif",
                       np.full((6, 128, 128), np.nan, np.float32), gt, wkt, float("nan") if declared else None)
    run_failing(qgis_process, params(case, after=nan), [re.escape(nan.name), NO_TILE],
                [case["before"], nan], case["out"])


@pytest.mark.parametrize("damage", ["truncated", "header-only", "garbage"])
def test_corrupt_geotiff(qgis_process, case, damage):
    data = case["after"].read_bytes()
    bad = case["in"] / "HLS.S30.T15SXR-bad.2022245T163901.v2.0.tif"
    bad.write_bytes({"truncated": data[: len(data) // 2], "header-only": data[:400],
                     "garbage": b"II*\x00" + os.urandom(2000)}[damage])
    run_failing(qgis_process, params(case, after=bad), [re.escape(bad.name), r"(?i)cannot|not a valid|could not|"
                                                        r"truncated|corrupt"], [case["before"], bad], case["out"])


def test_missing_file(qgis_process, case):
    missing = case["in"] / "HLS.S30.T15SXR-missing.2022245T163901.v2.0.tif"
    run_failing(qgis_process, params(case, after=missing), [re.escape(missing.name), r"AFTER"], [case["before"]],
                case["out"])


def test_checkpoint_that_is_not_a_checkpoint(qgis_process, case):
    bad = case["in"] / "weights.pth"
    bad.write_bytes(b"this is not a checkpoint")
    p = params(case, CHECKPOINT=str(bad))
    run_failing(qgis_process, p, [re.escape(str(bad)), "not a readable PyTorch checkpoint"],
                [case["before"], case["after"], bad], case["out"])


def test_checkpoint_of_another_architecture(qgis_process, case, tiny_checkpoint, tiny_yaml):
    """The tiny checkpoint (2 blocks) with a MODEL_CONFIG of 3 blocks: the missing keys are listed."""
    other = case["in"] / "three_blocks.yaml"
    other.write_text(tiny_yaml.read_text().replace("depth: 2", "depth: 3"))
    assert "depth: 3" in other.read_text()
    p = params(case, MODEL_CONFIG=str(other))
    run_failing(qgis_process, p, [re.escape(str(tiny_checkpoint)), "does not match the configured architecture",
                                  r"missing keys: backbone\.encoder\.blocks\.2\."],
                [case["before"], case["after"], tiny_checkpoint, other], case["out"])


def test_weights_unavailable_offline(qgis_process, case):
    """No CHECKPOINT, HF_HUB_OFFLINE=1, an empty Hugging Face cache (the profile sets no weights path)."""
    home = case["tmp"] / "hf_home"
    home.mkdir()
    p = params(case)
    p.pop("CHECKPOINT")
    p.pop("MODEL_CONFIG")
    run_failing(qgis_process, p, ["Planaura-1.0-HLS.pth", "offline", r"huggingface\.co"],
                [case["before"], case["after"]], case["out"],
                env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(home), "HF_HUB_CACHE": str(home / "hub")})
    assert list(home.rglob("*.pth")) == []


def test_output_folder_under_a_regular_file(qgis_process, case):
    """Tests run as root (chmod stops nothing): a regular file stands where the folder should be."""
    blocker = case["out"] / "not_a_folder"
    blocker.write_text("a file")
    target = blocker / "cosine_map.tif"
    p = params(case, output=target)
    p.pop("OUTPUT_BEFORE_DATE")
    p.pop("OUTPUT_QUALITY")
    run_failing(qgis_process, p, [re.escape(str(blocker)), r"(?i)cannot write|not a directory|could not create"],
                [case["before"], case["after"]], case["out"])


@pytest.mark.parametrize("which", ["before", "after"])
def test_output_equal_to_an_input(qgis_process, case, which):
    p = params(case, output=case[which])
    run_failing(qgis_process, p, [re.escape(str(case[which])), "is also an input"],
                [case["before"], case["after"]], case["out"])


def big_pair(case) -> Dict[str, Path]:
    """The bundled sample pair tiled 3 x 3 (1536 x 1536 px): a run of a few hundred tiny tiles, long
    enough that a SIGTERM one second after the first write lands in the middle on a quiet machine."""
    from osgeo import gdal

    sample = REPO / "sample_data"
    out = {}
    for key, name in (("before", "HLS.S30.T15SXR.2021250T163901.v2.0.tif"),
                      ("after", "HLS.S30.T15SXR.2022245T163901.v2.0.tif")):
        dst = case["tmp"] / "big" / name
        dst.parent.mkdir(exist_ok=True)
        if not dst.exists():
            src = gdal.Open(str(sample / name))
            arr = np.tile(src.ReadAsArray(), (1, 3, 3))
            ds = gdal.GetDriverByName("GTiff").Create(str(dst), arr.shape[2], arr.shape[1], arr.shape[0],
                                                      src.GetRasterBand(1).DataType)
            ds.SetGeoTransform(src.GetGeoTransform())
            ds.SetProjection(src.GetProjection())
            for b in range(arr.shape[0]):
                ds.GetRasterBand(b + 1).SetNoDataValue(src.GetRasterBand(b + 1).GetNoDataValue())
                ds.GetRasterBand(b + 1).WriteArray(arr[b])
            ds = None
        out[key] = dst
    return out


def start(qgis_process, parameters: Dict[str, object]) -> subprocess.Popen:
    """qgis_process in the background, with default signal dispositions (a shell may have left
    SIGINT ignored, and that would be inherited)."""
    exe = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
    args = [exe, "--json", "run", "planaura:changemap", "--"]
    args += [f"{k}={v}" for k, v in parameters.items()]

    def defaults():
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_DFL)

    return subprocess.Popen(args, env=qgis_process.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=defaults)


def wait_for_partial(folder: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if any(".partial" in p.name for p in folder.iterdir()):
            time.sleep(1.0)  # some batches through the model
            return
        time.sleep(0.05)
    raise AssertionError("the run never started writing")


def terminate_midway(qgis_process, p, out) -> None:
    """Start a run, SIGTERM it once it is writing, and check that it did not exit 0."""
    proc = start(qgis_process, p)
    try:
        wait_for_partial(out, proc)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0


def test_terminated_in_the_middle_leaves_nothing(qgis_process, case):
    """SIGTERM (the only way to stop a command-line run: qgis_process 3.22 swallows SIGINT) removes the
    run's temporaries before the process ends (OutputSet's SIGTERM guard)."""
    big = big_pair(case)
    p = params(case, before=big["before"], after=big["after"])
    before_out, before_in = snapshot(case["out"]), hashes(big.values())
    terminate_midway(qgis_process, p, case["out"])
    assert hashes(big.values()) == before_in
    assert snapshot(case["out"]) == before_out, sorted(os.listdir(case["out"]))


def test_terminated_run_leaves_no_final_file(qgis_process, case):
    """What holds already: a killed run never leaves a file under a final name."""
    big = big_pair(case)
    p = params(case, before=big["before"], after=big["after"])
    before_in = hashes(big.values())
    existing = set(os.listdir(case["out"]))  # the folder is shared with the other cases of this module
    terminate_midway(qgis_process, p, case["out"])
    assert hashes(big.values()) == before_in
    new = sorted(set(os.listdir(case["out"])) - existing)
    assert [n for n in new if not n.startswith(".") and n != SENTINEL] == [], new


def test_two_runs_writing_the_same_output(qgis_process, case):
    """Two qgis_process runs write the same OUTPUT at once from different inputs: the final file is
    one complete result of one of them, and no temporary file is left."""
    from osgeo import gdal

    other_after = case["in"] / "HLS.S30.T15SXR.2023100T163901.v2.0.tif"  # the before image, a later date
    shutil.copy(case["before"], other_after)
    refs = {}
    for tag, after in (("a", case["after"]), ("b", other_after)):
        ref = case["tmp"] / f"ref_{tag}.tif"
        done, _ = qgis_process.run_json("planaura:changemap", {"BEFORE": str(case["before"]), "AFTER": str(after),
                                                                **case["model"], "OUTPUT": str(ref)})
        assert done.returncode == 0, log(done)
        refs[tag] = gdal.Open(str(ref)).ReadAsArray()
    assert not np.allclose(refs["a"], refs["b"], atol=1e-3)

    shared = case["tmp"] / "shared"
    shared.mkdir()
    target = shared / "cosine_map.tif"
    procs = [start(qgis_process, {"BEFORE": str(case["before"]), "AFTER": str(after), **case["model"],
                                  "OUTPUT": str(target)}) for after in (case["after"], other_after)]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    names = sorted(os.listdir(shared))
    assert not [n for n in names if ".partial" in n or n.startswith(".")], names
    ds = gdal.Open(str(target))
    arr = ds.GetRasterBand(1).ReadAsArray() if ds is not None else None
    assert arr is not None, "the final file cannot be read completely"
    matches = [tag for tag, ref in refs.items() if np.array_equal(arr, ref)]
    assert len(matches) == 1, "the final file is neither run's result (a mix?)"
