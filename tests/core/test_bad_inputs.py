"""Bad-input matrix of the core (``run_change_map``), plus the safety guarantees.

Every case must fail (or, for "no usable tile", warn) with a message that names the file and
the problem, leave the output folder exactly as it was (no final, partial or temporary file)
and leave every input byte-identical. The tiny checkpoint on 130 px crops keeps each case
to about a second.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np
import pytest

from support import GOLDEN, REPO, TINY
from planaura_plugin.errors import (Cancelled, CheckpointError, InputError, OutputError, PlanauraError,
                                    WeightsUnavailableError)
from planaura_plugin.feedback import Feedback
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS

INPUTS = GOLDEN / "raster" / "inputs"
S21 = INPUTS / "epoch2021" / "HLS.S30.T15SXR-cropS.2021250T163901.v2.0.tif"
S22 = INPUTS / "epoch2022" / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif"
A21 = INPUTS / "epoch2021" / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
A22 = INPUTS / "epoch2022" / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
SENTINEL = "keep_me.txt"


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------
def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(folder: Path) -> Dict[str, str]:
    """Every entry under ``folder`` (hidden ones included): relative path -> content hash ('dir' for folders)."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = "dir" if p.is_dir() and not p.is_symlink() else (
            "link->" + os.readlink(p) if p.is_symlink() else sha(p))
    return out


def hashes(paths: Iterable[Path]) -> Dict[str, str]:
    return {str(p): sha(p) for p in paths if Path(p).is_file()}


class Recorder(Feedback):
    """Keeps warnings; optionally cancels once ``cancel_after`` tile batches were reported."""

    def __init__(self, cancel_after: Optional[int] = None) -> None:
        self.warnings: List[str] = []
        self.batches = 0
        self.cancel_after = cancel_after

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def progress(self, fraction: float, message: str = "") -> None:
        if message.startswith("tile batch"):
            self.batches += 1

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and self.batches >= self.cancel_after


def write_raster(path: Path, array: np.ndarray, gt=None, wkt: str = "", nodata=None, driver: str = "GTiff") -> Path:
    from osgeo import gdal, gdal_array

    array = np.asarray(array)
    if array.ndim == 2:
        array = array[None]
    mem = gdal.GetDriverByName("MEM").Create("", array.shape[2], array.shape[1], array.shape[0],
                                             gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    if gt is not None:
        mem.SetGeoTransform(gt)
    if wkt:
        mem.SetProjection(wkt)
    for b in range(array.shape[0]):
        band = mem.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        band.WriteArray(array[b])
    gdal.GetDriverByName(driver).CreateCopy(str(path), mem)
    return Path(path)


def read(path: Path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    return arr.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize), ds.GetGeoTransform(), ds.GetProjection()


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=4)


@pytest.fixture
def pair(tmp_path) -> Dict[str, Path]:
    """Copies of crop S of the golden pair with their Fmasks, in their own folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    out = {}
    for key, src in (("before", S21), ("after", S22)):
        shutil.copy(src, folder / src.name)
        shutil.copy(src.parent / ("fmask_" + src.name), folder / ("fmask_" + src.name))
        out[key] = folder / src.name
        out[key + "_fmask"] = folder / ("fmask_" + src.name)
    return out


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """An existing output folder holding one unrelated file (it must stay exactly as it is)."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / SENTINEL).write_text("not an output")
    return folder


def change_request(spec: ModelSpec, inputs: Sequence[Path], out: Path, **kw) -> ChangeMapRequest:
    outputs = kw.pop("outputs", None) or ChangeMapOutputs(
        cosine_map=str(out / "cosine_map.tif"), before_date=str(out / "before_date.tif"),
        after_date=str(out / "after_date.tif"), quality_fmask=str(out / "quality.tif"))
    return ChangeMapRequest(inputs=[str(p) for p in inputs], outputs=outputs, model=kw.pop("model", spec), **kw)


def assert_fails_cleanly(run: Callable[[], object], error: type, patterns: Sequence[str], watched: Iterable[Path],
                         out_dir: Path) -> str:
    """``run`` raises ``error`` whose message matches every regex; nothing changes on disk."""
    watched = [Path(p) for p in watched]
    inputs_before = hashes(watched)
    folder_before = snapshot(out_dir)
    with pytest.raises(error) as info:
        run()
    message = str(info.value)
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not in the message: {message}"
    assert "Traceback" not in message
    assert snapshot(out_dir) == folder_before, "the output folder changed"
    assert hashes(watched) == inputs_before, "an input changed"
    return message


def assert_nothing_written(run: Callable[[Feedback], Dict[str, str]], culprit: Path, reasons: Sequence[str],
                           watched: Iterable[Path], out_dir: Path) -> str:
    """No output and one clear message (an error, or a warning with an empty result) naming
    ``culprit`` and one of ``reasons``."""
    watched = [Path(p) for p in watched]
    inputs_before = hashes(watched)
    folder_before = snapshot(out_dir)
    fb = Recorder()
    try:
        written = run(fb)
    except PlanauraError as exc:
        message = str(exc)
    else:
        assert written == {}, f"files were written: {written}"
        message = " ".join(fb.warnings)
    assert snapshot(out_dir) == folder_before, "the output folder changed"
    assert hashes(watched) == inputs_before, "an input changed"
    assert culprit.name in message, f"the message does not name {culprit.name}: {message}"
    assert any(re.search(r, message, re.I) for r in reasons), f"no reason {reasons} in: {message}"
    return message


# ------------------------------------------------------------------------------------------------
# rasters
# ------------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_wrong_band_count(spec, pair, out_dir):
    raw, gt, wkt = read(pair["after"])
    five = write_raster(pair["after"].with_name("HLS.S30.T15SXR-five.2022245T163901.v2.0.tif"), raw[:5], gt, wkt,
                        -9999)
    assert_fails_cleanly(lambda: run_change_map(change_request(spec, [pair["before"], five], out_dir)),
                         InputError, [re.escape(str(five)), "has 5 band", "expects 6", "B02, B03, B04, B8A, B11, B12"],
                         [pair["before"], five], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
@pytest.mark.parametrize("driver, suffix", [("PNG", ".png"), ("JPEG", ".jpg"), ("GTiff", ".tif")])
def test_rgb_photo(spec, pair, out_dir, tmp_path, driver, suffix):
    """An 8-bit RGB picture, without georeferencing, given as the before image."""
    rng = np.random.default_rng(0)
    photo = write_raster(tmp_path / f"holiday{suffix}", rng.integers(0, 255, (3, 130, 130), dtype=np.uint8),
                         driver=driver)
    assert_fails_cleanly(lambda: run_change_map(change_request(spec, [photo, pair["after"]], out_dir)),
                         InputError, [re.escape(photo.name), "has 3 band", "expects 6"], [photo, pair["after"]],
                         out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_rasters_without_overlap(spec, pair, out_dir):
    raw, gt, wkt = read(pair["after"])
    far = write_raster(pair["after"].with_name("HLS.S30.T15SXR-far.2022245T163901.v2.0.tif"), raw,
                       (gt[0] + 1e5, gt[1], 0.0, gt[3], 0.0, gt[5]), wkt, -9999)
    assert_fails_cleanly(lambda: run_change_map(change_request(spec, [pair["before"], far], out_dir)),
                         InputError, [re.escape(str(far)), "does not overlap", re.escape(str(pair["before"]))],
                         [pair["before"], far], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_area_of_interest_outside_the_image_says_where_the_image_is(spec, pair, out_dir):
    """An area of interest that misses the image (a typo, or coordinates in another CRS): the message
    names the image and the area, gives the image's bounds and CRS and says what to do."""
    _, gt, _ = read(pair["before"])
    far = (gt[0] + 1e6, gt[3] - 1e6, gt[0] + 1e6 + 3000, gt[3] - 1e6 + 3000)
    message = assert_fails_cleanly(
        lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir, bbox=far)),
        InputError, ["area of interest", re.escape(str(pair["before"])), r"its bounds are \(" + str(gt[0]),
                     "in its CRS", "give an area of interest that covers part of the image"],
        [pair["before"], pair["after"]], out_dir)
    assert str(far[0]) in message


def test_overlap_smaller_than_one_tile(spec, pair, out_dir):
    """130 px images shifted by 100 px: 30 px of overlap, less than one 64 px tile."""
    raw, gt, wkt = read(pair["after"])
    shifted = write_raster(pair["after"].with_name("HLS.S30.T15SXR-shift.2022245T163901.v2.0.tif"), raw,
                           (gt[0] + 100 * gt[1], gt[1], 0.0, gt[3], 0.0, gt[5]), wkt, -9999)
    assert_nothing_written(lambda fb: run_change_map(change_request(spec, [pair["before"], shifted], out_dir), fb),
                           shifted, [r"overlaps? (by )?less than", r"smaller than one tile", r"does not cover"],
                           [pair["before"], shifted], out_dir)


def test_overlap_smaller_than_one_tile_writes_nothing(spec, pair, out_dir):
    """What already holds for that case: nothing written, a warning, inputs intact."""
    raw, gt, wkt = read(pair["after"])
    shifted = write_raster(pair["after"].with_name("HLS.S30.T15SXR-shift.2022245T163901.v2.0.tif"), raw,
                           (gt[0] + 100 * gt[1], gt[1], 0.0, gt[3], 0.0, gt[5]), wkt, -9999)
    assert_nothing_written(lambda fb: run_change_map(change_request(spec, [pair["before"], shifted], out_dir), fb),
                           pair["before"], [r"smaller than one tile"], [pair["before"], shifted], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_all_nodata_input(spec, pair, out_dir):
    raw, gt, wkt = read(pair["after"])
    empty = write_raster(pair["after"].with_name("HLS.S30.T15SXR-empty.2022245T163901.v2.0.tif"),
                         np.full_like(raw, -9999), gt, wkt, -9999)
    assert_nothing_written(lambda fb: run_change_map(change_request(spec, [pair["before"], empty], out_dir), fb),
                           empty, [r"nodata", r"no ?data", r"valid pixels"], [pair["before"], empty], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_all_nodata_input_writes_nothing(spec, pair, out_dir):
    raw, gt, wkt = read(pair["after"])
    empty = write_raster(pair["after"].with_name("HLS.S30.T15SXR-empty.2022245T163901.v2.0.tif"),
                         np.full_like(raw, -9999), gt, wkt, -9999)
    assert_nothing_written(lambda fb: run_change_map(change_request(spec, [pair["before"], empty], out_dir), fb),
                           pair["before"], [r"valid pixels"], [pair["before"], empty], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
@pytest.mark.parametrize("declared", [True, False], ids=["nodata-nan-declared", "no-nodata-declared"])
def test_nan_filled_float_input_writes_nothing(spec, pair, out_dir, declared):
    """A float32 image full of NaN: no tile is usable, whether or not NaN is its declared nodata."""
    _raw, gt, wkt = read(pair["after"])
    nan = write_raster(pair["after"].with_name("HLS.S30.T15SXR-nan.2022245T163901.v2.0.tif"),
                       np.full((6, 130, 130), np.nan, np.float32), gt, wkt, float("nan") if declared else None)
    assert_nothing_written(lambda fb: run_change_map(change_request(spec, [pair["before"], nan], out_dir), fb),
                           pair["before"], [r"valid pixels"], [pair["before"], nan], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_nan_filled_float_input_is_named(spec, pair, out_dir):
    _raw, gt, wkt = read(pair["after"])
    nan = write_raster(pair["after"].with_name("HLS.S30.T15SXR-nan.2022245T163901.v2.0.tif"),
                       np.full((6, 130, 130), np.nan, np.float32), gt, wkt, None)
    assert_nothing_written(lambda fb: run_change_map(change_request(spec, [pair["before"], nan], out_dir), fb),
                           nan, [r"nan", r"nodata", r"valid pixels"], [pair["before"], nan], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
@pytest.mark.parametrize("damage", ["truncated", "header-only", "garbage", "empty"])
def test_corrupt_geotiff(spec, pair, out_dir, damage):
    data = pair["after"].read_bytes()
    bad = pair["after"].with_name("HLS.S30.T15SXR-bad.2022245T163901.v2.0.tif")
    bad.write_bytes({"truncated": data[: len(data) // 2], "header-only": data[:400],
                     "garbage": b"II*\x00" + os.urandom(2000), "empty": b""}[damage])
    assert_fails_cleanly(lambda: run_change_map(change_request(spec, [pair["before"], bad], out_dir)),
                         InputError, [re.escape(str(bad)), r"cannot (open|read)"], [pair["before"], bad], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_missing_file(spec, pair, out_dir, tmp_path):
    missing = tmp_path / "in" / "HLS.S30.T15SXR.2022245T163901.v2.0-missing.tif"
    assert_fails_cleanly(lambda: run_change_map(change_request(spec, [pair["before"], missing], out_dir)),
                         InputError, [re.escape(str(missing)), "does not exist"], [pair["before"]], out_dir)


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_vrt_missing_a_source(spec, pair, out_dir, tmp_path):
    """Issue 21: a VRT whose source file is gone was reported as "truncated or corrupt"."""
    from osgeo import gdal

    source = tmp_path / "in" / "after_source.tif"
    source.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(pair["after"], source)
    vrt = tmp_path / "in" / "HLS.S30.T15SXR.2022245T163901.v2.0.vrt"
    gdal.BuildVRT(str(vrt), [str(source)])
    source.unlink()
    message = assert_fails_cleanly(lambda: run_change_map(change_request(spec, [pair["before"], vrt], out_dir)),
                                   InputError, [re.escape(str(vrt)), re.escape(str(source)) + " do not exist"],
                                   [pair["before"], vrt], out_dir)
    assert "truncated" not in message and "corrupt" not in message


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_missing_fmask_given_explicitly(spec, pair, out_dir, tmp_path):
    missing = tmp_path / "in" / "fmask_missing.tif"
    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir,  # noqa: E731
                                                fmasks=[str(pair["before_fmask"]), str(missing)]))
    assert_fails_cleanly(run, InputError, [re.escape(str(missing)), "does not exist"], pair.values(), out_dir)


# ------------------------------------------------------------------------------------------------
# checkpoints and weights
# ------------------------------------------------------------------------------------------------
def test_checkpoint_that_is_not_a_checkpoint(spec, pair, out_dir, tmp_path):
    bad = tmp_path / "weights.pth"
    bad.write_bytes(b"PK\x03\x04 this is a zip header and nothing else")
    from dataclasses import replace

    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir,  # noqa: E731
                                                model=replace(spec, checkpoint=str(bad))))
    assert_fails_cleanly(run, CheckpointError, [re.escape(str(bad)), "not a readable PyTorch checkpoint"],
                         [*pair.values(), bad], out_dir)


def test_checkpoint_of_another_architecture(spec, pair, out_dir, tiny_checkpoint):
    """The tiny file with a configuration of three blocks: the missing keys are listed."""
    from dataclasses import replace

    other = replace(spec, config=ModelConfig(**dict(TINY, depth=3)))
    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir,  # noqa: E731
                                                model=other))
    message = assert_fails_cleanly(run, CheckpointError, [re.escape(str(tiny_checkpoint)), "does not match",
                                                          r"missing keys: backbone\.encoder\.blocks\.2\.",
                                                          r"depth=2"], [*pair.values(), tiny_checkpoint], out_dir)
    assert "model_params" in message  # says how to describe a custom architecture


def test_weights_unavailable_offline(spec, pair, out_dir, tmp_path, monkeypatch):
    """No CHECKPOINT, HF_HUB_OFFLINE=1 and an empty Hugging Face cache."""
    from dataclasses import replace

    empty = tmp_path / "hf_cache"
    empty.mkdir()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(empty))
    offline = replace(spec, checkpoint=None, hf_cache_dir=str(empty))
    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir,  # noqa: E731
                                                model=offline))
    assert_fails_cleanly(run, WeightsUnavailableError, ["Planaura-1.0-HLS.pth", "offline", "huggingface.co"],
                         pair.values(), out_dir)
    assert list(empty.rglob("*.pth")) == []


def test_checkpoint_code_never_runs(spec, pair, out_dir, tmp_path):
    """weights_only=True: a pickled payload is refused before it can run (its marker never appears)."""
    import torch
    from dataclasses import replace

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    evil = tmp_path / "evil.pth"
    sd = torch.load(spec.checkpoint, map_location="cpu", weights_only=True)
    sd["backbone.encoder.cls_token"] = Payload()
    torch.save({"model_state_dict": sd}, evil)
    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir,  # noqa: E731
                                                model=replace(spec, checkpoint=str(evil))))
    assert_fails_cleanly(run, CheckpointError, [re.escape(str(evil)), "not a readable PyTorch checkpoint"],
                         [*pair.values(), evil], out_dir)
    assert not marker.exists()


# ------------------------------------------------------------------------------------------------
# outputs
# ------------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_output_folder_under_a_regular_file(spec, pair, tmp_path):
    """Tests run as root, so chmod cannot make a folder unwritable: a regular file stands where a
    folder is needed."""
    blocker = tmp_path / "out_is_a_file"
    blocker.write_text("a file, not a folder")
    target = blocker / "sub" / "cosine_map.tif"
    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], blocker,  # noqa: E731
                                                outputs=ChangeMapOutputs(cosine_map=str(target))))
    assert_fails_cleanly(run, OutputError, ["cannot write into the output folder", re.escape(str(blocker))],
                         [*pair.values(), blocker], tmp_path / "in")
    assert blocker.read_text() == "a file, not a folder"


RO_SCRIPT = textwrap.dedent("""
    import sys
    sys.path[:0] = [{repo!r}, {tests!r}]
    from planaura_plugin.errors import OutputError
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.change import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS
    from support import TINY
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint={ckpt!r}, device="cpu")
    request = ChangeMapRequest(inputs={inputs!r}, model=spec,
                               outputs=ChangeMapOutputs(cosine_map={out!r} + "/cosine_map.tif"))
    try:
        run_change_map(request)
    except OutputError as exc:
        print("OutputError:", exc)
        sys.exit(3)
    sys.exit(0)
""")


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
def test_read_only_output_folder(spec, pair, tmp_path):
    """A read-only tmpfs mounted in a private mount namespace (``unshare -m``): even root cannot write."""
    if not shutil.which("unshare") or os.geteuid() != 0:
        pytest.skip("needs root and unshare to mount a read-only file system")
    ro = tmp_path / "ro"
    ro.mkdir()
    script = RO_SCRIPT.format(repo=str(REPO), tests=str(REPO / "tests"), ckpt=spec.checkpoint,
                              inputs=[str(pair["before"]), str(pair["after"])], out=str(ro))
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o ro tmpfs {ro}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {probe.stderr.decode(errors='replace')}")
    before = hashes(pair.values())
    done = subprocess.run(["unshare", "-m", "sh", "-c",
                           f'mount -t tmpfs -o ro tmpfs "{ro}" && exec "{sys.executable}" -c "$0"', script],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "cannot write into the output folder" in done.stdout and str(ro) in done.stdout
    assert "Read-only file system" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert list(ro.iterdir()) == []  # the real folder (outside the namespace) got nothing either
    assert hashes(pair.values()) == before


@pytest.mark.usefixtures("gdal_exceptions")  # refused the same way whatever GDAL's exceptions state
@pytest.mark.parametrize("which", ["before", "after", "after_fmask", "link_to_before"])
def test_output_equal_to_an_input(spec, pair, out_dir, which):
    """An output that is an input (or a link to one, or an Fmask read for the quality layer) is refused."""
    if which == "link_to_before":
        target = out_dir / "link.tif"
        target.symlink_to(pair["before"])
        culprit = target
    else:
        target = culprit = pair[which]
    outputs = ChangeMapOutputs(cosine_map=str(out_dir / "cosine_map.tif"), quality_fmask=str(out_dir / "q.tif"))
    if which == "after_fmask":
        outputs.quality_fmask = str(target)
    else:
        outputs.cosine_map = str(target)
    run = lambda: run_change_map(change_request(spec, [pair["before"], pair["after"]], out_dir,  # noqa: E731
                                                outputs=outputs))
    assert_fails_cleanly(run, OutputError, [re.escape(str(culprit)), "is also an input"], pair.values(), out_dir)


def test_cancel_after_the_first_batch(spec, tmp_path, out_dir):
    """Cancelled once the first tile batch went through the model: every file of the run is removed."""
    inputs = [tmp_path / A21.name, tmp_path / A22.name]
    for src, dst in zip((A21, A22), inputs):
        shutil.copy(src, dst)
    outputs = ChangeMapOutputs(cosine_map=str(out_dir / "c.tif"), before_date=str(out_dir / "b.tif"),
                               quality_fmask=str(out_dir / "q.tif"), feature_maps={0: str(out_dir / "f.tif")},
                               reconstructions={1: str(out_dir / "r.tif")},
                               feature_tables={0: str(out_dir / "t.csv")})
    fb = Recorder(cancel_after=1)
    run = lambda: run_change_map(change_request(spec, inputs, out_dir, outputs=outputs), fb)  # noqa: E731
    assert_fails_cleanly(run, Cancelled, ["cancelled"], inputs, out_dir)
    assert fb.batches >= 1  # it was cancelled in the middle, not before the model ran


# ------------------------------------------------------------------------------------------------
# two processes writing the same outputs at once
# ------------------------------------------------------------------------------------------------
CONCURRENT_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path[:0] = [{repo!r}, {tests!r}]
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.change import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS
    from support import TINY
    go, ready, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint={ckpt!r}, device="cpu", batch_size=2)
    request = ChangeMapRequest(inputs=sys.argv[4:6], model=spec, outputs=ChangeMapOutputs(
        cosine_map=str(out / "cosine_map.tif"), after_date=str(out / "after_date.tif")))
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.005)
    run_change_map(request)
""")


def test_two_runs_writing_the_same_outputs(spec, tmp_path):
    """Two processes write the same output paths at once, from different inputs: each final
    file is one complete, valid result of one of the runs, and no temporary file is left."""
    from osgeo import gdal

    run_a = [A21, A22]
    other = tmp_path / "HLS.S30.T15SXR.2023100T163901.v2.0.tif"  # another after date, identical to the before
    shutil.copy(A21, other)
    run_b = [A21, other]
    script = tmp_path / "run.py"
    script.write_text(CONCURRENT_SCRIPT.format(repo=str(REPO), tests=str(REPO / "tests"), ckpt=spec.checkpoint))

    def launch(inputs, out: Path, go: Path, tag: str):
        ready = tmp_path / f"ready_{tag}"
        proc = subprocess.Popen([sys.executable, str(script), str(go), str(ready), str(out), *map(str, inputs)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return proc, ready

    def finish(procs):
        for proc, _ in procs:
            out, _ = proc.communicate(timeout=600)
            assert proc.returncode == 0, out

    # each run alone first: the two possible results
    refs = {}
    for tag, inputs in (("a", run_a), ("b", run_b)):
        go = tmp_path / f"go_{tag}"
        go.write_text("")
        p = launch(inputs, tmp_path / f"ref_{tag}", go, tag)
        finish([p])
        refs[tag] = {k: read(tmp_path / f"ref_{tag}" / f"{k}.tif")[0] for k in ("cosine_map", "after_date")}
    assert not np.allclose(refs["a"]["cosine_map"], refs["b"]["cosine_map"], atol=1e-3)
    assert not np.array_equal(refs["a"]["after_date"], refs["b"]["after_date"])

    shared = tmp_path / "shared"
    go = tmp_path / "go_together"
    procs = [launch(run_a, shared, go, "ta"), launch(run_b, shared, go, "tb")]
    for _proc, ready in procs:
        for _ in range(12000):
            if ready.exists() or _proc.poll() is not None:
                break
            time.sleep(0.01)
    go.write_text("")
    finish(procs)
    assert sorted(p.name for p in shared.iterdir()) == ["after_date.tif", "cosine_map.provenance.json",
                                                        "cosine_map.tif"], "a temporary or partial file was left"
    from planaura_plugin.provenance import read_provenance  # the record beside them is of the same run
    sidecar = read_provenance(str(shared / "cosine_map.provenance.json"))
    sidecar.pop("created")
    assert read_provenance(str(shared / "cosine_map.tif")) == sidecar
    for kind in ("cosine_map", "after_date"):
        ds = gdal.Open(str(shared / f"{kind}.tif"))
        assert ds is not None
        arr = ds.GetRasterBand(1).ReadAsArray()
        assert arr is not None, f"{kind} cannot be read completely"
        matches = [tag for tag, ref in refs.items() if np.array_equal(arr, ref[kind][0])]
        assert len(matches) == 1, f"{kind} is neither run's result (a mix?)"


# ------------------------------------------------------------------------------------------------
# the upstream YAML runner stays inside the folders it names
# ------------------------------------------------------------------------------------------------
UPSTREAM_YAML = """\
task_list: [infer, mosaic]
csv_inference_file: pairs.csv
inference_input_folder_frame_0: in/e21
inference_input_folder_frame_1: in/e22
inference_save_folder_frame_0: save/f0
inference_save_folder_frame_1: save/f1
paths_included_in_csvs: false
num_frames: 2
use_gpu: false
minimum_valid_percentage: 0.7
save_reconstructed_images: true
change_map: {{return: true, save_dates_layer: true, save_fmask_layer: true}}
feature_maps: {{return: true, write_as_image: true, write_as_csv: true, embeddings: [0, 5]}}
mosaic_params: {{delete_residues: true, target_crs: "EPSG:3979", target_resolution: 60, mosaic_save_postfix: bench}}
model_params:
  load_params: {{source: local, checkpoint_path: {ckpt}}}
{arch}
"""


def test_upstream_run_writes_only_into_its_save_folders(tiny_checkpoint, tmp_path, monkeypatch):
    """A real run (infer + mosaic + delete_residues) from a YAML: every file created, changed or removed
    lies in a save folder; a symlink planted at an output name is replaced, its target untouched."""
    from planaura_plugin.runs import run_config

    root = tmp_path / "project"
    for folder, src in (("in/e21", S21), ("in/e22", S22)):
        (root / folder).mkdir(parents=True)
        shutil.copy(src, root / folder / src.name)
        shutil.copy(src.parent / ("fmask_" + src.name), root / folder / ("fmask_" + src.name))
    (root / "pairs.csv").write_text(f"input_file_0,input_file_1\n{S21.name},{S22.name}\n")
    arch = "\n".join(f"  {k}: {v}" for k, v in TINY.items())
    (root / "config.yaml").write_text(UPSTREAM_YAML.format(ckpt=tiny_checkpoint, arch=arch))
    victim = tmp_path / "victim.tif"
    victim.write_text("must not be touched")
    (root / "save" / "f0").mkdir(parents=True)
    planted = root / "save" / "f0" / f"cosine_map!{S21.stem}!{S22.stem}.tif"
    planted.symlink_to(victim)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    everything_before = snapshot(tmp_path)
    result = run_config(root / "config.yaml", cwd=root)
    everything_after = snapshot(tmp_path)

    assert result.mosaic, "the mosaic was not written"
    assert victim.read_text() == "must not be touched"
    assert not planted.is_symlink()
    changed = {p for p in set(everything_before) | set(everything_after)
               if everything_before.get(p) != everything_after.get(p)}
    save = ("project/save/f0", "project/save/f1")
    outside = sorted(p for p in changed if not (p.startswith(save[0] + "/") or p.startswith(save[1] + "/")
                                                or p in save))
    assert outside == [], f"written outside the save folders: {outside}"
    assert not any(".partial" in p or ".planaura-write-test" in p for p in everything_after)
    assert list(cwd.iterdir()) == []


# ------------------------------------------------------------------------------------------------
# QGIS's global OpenBLAS never runs its own threads inside the forward
# ------------------------------------------------------------------------------------------------
def test_global_openblas_is_single_threaded_in_attention_only(spec, monkeypatch):
    """In QGIS torch's BLAS calls bind to the application's OpenBLAS (see model/blas.py): inside
    attention (called from torch's OpenMP threads) it must run one thread, in the linear layers
    its own setting, which it gets back after each attention."""
    import torch.nn.functional as F

    from planaura_plugin.model import blas
    from planaura_plugin.model.inference import PlanauraRunner

    class FakeOpenBlas:
        threads = 2
        calls: List[int] = []

        def openblas_get_num_threads(self) -> int:
            return self.threads

        def openblas_set_num_threads(self, n: int) -> None:
            self.calls.append(n)
            self.threads = n

    fake = FakeOpenBlas()
    monkeypatch.setattr(blas, "global_openblas", lambda: fake)
    in_attention, in_linear = [], []
    sdpa = F.scaled_dot_product_attention
    linear = F.linear

    def spy_sdpa(*a, **k):
        in_attention.append(fake.threads)
        return sdpa(*a, **k)

    def spy_linear(*a, **k):
        in_linear.append(fake.threads)
        return linear(*a, **k)

    monkeypatch.setattr(F, "scaled_dot_product_attention", spy_sdpa)
    monkeypatch.setattr(F, "linear", spy_linear)
    runner = PlanauraRunner.from_checkpoint(spec.config, spec.checkpoint)
    runner.infer(np.zeros((1, 6, 2, 64, 64), np.float32))
    depth = spec.config.depth
    assert in_attention == [1] * depth
    assert in_linear and set(in_linear) == {2}
    assert fake.threads == 2 and fake.calls == [1, 2] * depth
