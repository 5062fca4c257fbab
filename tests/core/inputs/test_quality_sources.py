"""Quality honest (issue 21, 5): a date without a quality source is "no information" (255),
never "clear"; the user's choice not to use the quality layer found with an image is honoured;
the log names each date's quality source (file and kind).

The upstream YAML runner keeps the reference's "a date without Fmask counts as clear" (SPEC 4,
golden parity): ``missing_quality_clear`` gives it, and only it, the old behaviour.
"""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from support import DATA, TINY
from planaura_plugin.feedback import Feedback
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS

BEFORE = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
CROP = (400, 400, 256, 256)


class Log(Feedback):
    def __init__(self) -> None:
        self.lines: List[str] = []

    def info(self, message):
        self.lines.append(message)

    def warning(self, message):
        self.lines.append(message)


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=16)


@pytest.fixture(scope="module")
def bare_pair(tmp_path_factory):
    """Two dates cut from the real scenes, no Fmask or SCL anywhere near them."""
    from osgeo import gdal

    folder = tmp_path_factory.mktemp("bare")
    out = []
    for src in (BEFORE, AFTER):
        gdal.Translate(str(folder / src.name), str(src), srcWin=list(CROP))
        out.append(folder / src.name)
    return out


def run(spec, inputs, out: Path, **kw):
    from osgeo import gdal

    log = Log()
    outputs = ChangeMapOutputs(cosine_map=str(out / "cos.tif"), quality_fmask=str(out / "q.tif"))
    run_change_map(ChangeMapRequest(inputs=[str(p) for p in inputs], outputs=outputs, model=spec, **kw), log)
    cos = gdal.Open(str(out / "cos.tif")).ReadAsArray()
    return cos, gdal.Open(str(out / "q.tif")).ReadAsArray(), log.lines


def test_pair_without_quality_source_is_no_information_everywhere(spec, bare_pair, tmp_path):
    cos, q, lines = run(spec, bare_pair, tmp_path)
    assert (cos != -100).sum() > 1000, "the change map itself is written"
    assert q.shape == cos.shape and (q == 255).all(), "no quality source: never 'clear'"
    said = [line for line in lines if "no quality source used" in line]
    assert len(said) == 2 and all("'no information' (255)" in line for line in said)
    assert str(bare_pair[0]) in said[0] and str(bare_pair[1]) in said[1]


def test_reference_parity_counts_a_date_without_fmask_as_clear(spec, bare_pair, tmp_path):
    """The upstream YAML path (SPEC 4, golden): clear (0) wherever the cosine has a value."""
    cos, q, lines = run(spec, bare_pair, tmp_path, missing_quality_clear=True)
    assert ((q == 0) == (cos != -100)).all() and (q[cos == -100] == 255).all()
    assert sum("count as clear (0), as the reference does" in line for line in lines) == 2


def test_unticked_quality_choice_is_honoured_for_an_hls_granule(spec, hls_s30, bare_pair, tmp_path):
    kept = tmp_path / "kept"
    _, q_used, lines_used = run(spec, [hls_s30, bare_pair[1]], kept)
    fmask = hls_s30.name.replace(".B04.", ".Fmask.")
    assert (q_used != 255).any() and (q_used > 0).any(), "ticked: the granule's Fmask reaches the quality"
    assert any(f"quality from {fmask}, band 1 (HLS Fmask bit flags)" in line for line in lines_used)

    unticked = tmp_path / "unticked"
    cos, q, lines = run(spec, [hls_s30, bare_pair[1]], unticked, find_quality=False)
    assert (cos != -100).any() and (q == 255).all(), "unticked: the granule's Fmask is not used"
    said = [line for line in lines if "no quality source used" in line]
    assert len(said) == 2 and all("not used" in line for line in said)
    assert not any(fmask in line for line in lines if "quality" in line)


def test_given_fmask_is_used_even_when_found_layers_are_not(spec, bare_pair, tmp_path):
    from osgeo import gdal

    fmask = tmp_path / "given_fmask.tif"
    gdal.Translate(str(fmask), str(DATA / f"fmask_{BEFORE.name}"), srcWin=list(CROP))
    cos, q, lines = run(spec, bare_pair, tmp_path / "o", fmasks=[str(fmask), None], find_quality=False)
    assert (q != 255).any()
    assert any(f"quality from {fmask}, band 1 (HLS Fmask bit flags)" in line for line in lines)
    assert any(str(bare_pair[1]) in line and "no quality source used" in line for line in lines)


def test_log_names_a_beside_fmask_with_its_kind(spec, bare_pair, tmp_path):
    from osgeo import gdal

    folder = tmp_path / "beside"
    folder.mkdir()
    before = folder / BEFORE.name
    gdal.Translate(str(before), str(bare_pair[0]))
    gdal.Translate(str(folder / f"fmask_{BEFORE.name}"), str(DATA / f"fmask_{BEFORE.name}"), srcWin=list(CROP))
    _, q, lines = run(spec, [before, bare_pair[1]], tmp_path / "o", fmask_bitwise=False)
    assert any(f"fmask_{BEFORE.name}, band 1 (Fmask class codes)" in line for line in lines)
    assert (q != 255).any()


# ------------------------------------------------------------------------------------------------
# a Sentinel-2 scene classification given as the quality layer
# ------------------------------------------------------------------------------------------------
import numpy as np  # noqa: E402


def _scl_layer(path: Path, description: str = "") -> Path:
    """An SCL on the crop's grid, its blocks on the 16-pixel patches: vegetation (4) everywhere, a cloud (9)
    block, a cloud shadow (3) block, no data (0) in the first patch row."""
    from osgeo import gdal

    ref = gdal.Open(str(BEFORE))
    ds = gdal.GetDriverByName("GTiff").Create(str(path), CROP[2], CROP[3], 1, gdal.GDT_Byte)
    gt = list(ref.GetGeoTransform())
    gt[0], gt[3] = gt[0] + CROP[0] * gt[1], gt[3] + CROP[1] * gt[5]
    ds.SetGeoTransform(gt)
    ds.SetProjection(ref.GetProjection())
    ds.GetRasterBand(1).WriteArray(_scl_values())
    ds.GetRasterBand(1).SetDescription(description)
    ds = None
    return path


def _scl_values() -> np.ndarray:
    scl = np.full((CROP[3], CROP[2]), 4, dtype=np.uint8)
    scl[96:160, 96:160] = 9
    scl[192:224, 16:64] = 3
    scl[:16] = 0
    return scl


@pytest.mark.parametrize("name, description", [("T15SXR_20210907T163901_SCL_20m.tif", ""),
                                               ("quality_a.tif", "SCL"),
                                               ("quality_b.tif", "Scene Classification Map")])
@pytest.mark.parametrize("bitwise", [True, False])
def test_a_given_scl_is_read_as_scene_classification(spec, bare_pair, tmp_path, name, description, bitwise):
    """Named SCL by its file or its band: read as Sentinel-2 classes whatever the Fmask options (was read as
    Fmask bit flags: vegetation 4 became 'adjacent to cloud' (2), cloud 9 'shadow' (3)); the log says so."""
    scl = _scl_layer(tmp_path / name, description)
    cos, q, lines = run(spec, bare_pair, tmp_path / "o", fmasks=[str(scl), str(scl)], fmask_bitwise=bitwise,
                        find_quality=False)
    expected = np.select([_scl_values() == 0, _scl_values() == 9, _scl_values() == 3], [255, 1, 3], 0)
    valid = cos != -100
    assert valid.sum() > 30000
    np.testing.assert_array_equal(q[valid], expected[valid])
    assert sum(f"quality from {scl}, band 1 (Sentinel-2 scene classification (SCL))" in line for line in lines) == 2


def test_an_fmask_is_not_taken_for_an_scl(tmp_path):
    from planaura_plugin.inputs.sentinel2 import is_scl_layer

    fmask = DATA / f"fmask_{BEFORE.name}"
    assert not is_scl_layer(str(fmask)) and not is_scl_layer(str(tmp_path / "missing.tif"))
    assert is_scl_layer(str(_scl_layer(tmp_path / "q.tif", "SCL")))
    assert not is_scl_layer(str(_scl_layer(tmp_path / "sclerophyll_forest.tif", "")))
