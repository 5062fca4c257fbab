"""Outputs never replace a file an input reads (issue 22, inputs never touched): not the input itself, nor
a source of an input VRT (nested VRTs included), nor the archive of a ``/vsizip/`` input.

An output named like a source of an input VRT passed the check (only the VRT's own name was compared)
and replaced that source when the run committed: the input was changed for good.
"""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from support import DATA
from planaura_plugin.errors import OutputError
from planaura_plugin.raster.geotiff import check_not_inputs, files_read

SCENE = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"


def _band_files(folder: Path) -> list:
    from osgeo import gdal

    paths = []
    for b in range(1, 7):
        path = folder / f"layer{b}.tif"
        gdal.Translate(str(path), str(SCENE), bandList=[b], srcWin=[0, 0, 64, 64])
        paths.append(str(path))
    return paths


def _vrt(path: Path, sources: list, separate: bool = True) -> str:
    from osgeo import gdal

    gdal.BuildVRT(str(path), sources, separate=separate).FlushCache()
    return str(path)


def test_a_source_of_an_input_vrt_is_refused_as_output(tmp_path):
    files = _band_files(tmp_path)
    vrt = _vrt(tmp_path / "stack.vrt", files)
    with pytest.raises(OutputError, match=r"the output .*layer3\.tif is a file the input .*stack\.vrt reads"):
        check_not_inputs([str(tmp_path / "cos.tif"), files[2]], [vrt])
    check_not_inputs([str(tmp_path / "cos.tif")], [vrt])


@pytest.mark.parametrize("levels", [1, 2, 3])
def test_sources_of_nested_vrts_are_inputs_too(tmp_path, levels):
    files = _band_files(tmp_path)
    path = _vrt(tmp_path / "stack.vrt", files)
    for level in range(levels):
        folder = tmp_path / f"level{level}"
        folder.mkdir()
        path = _vrt(folder / "mosaic.vrt", [path], separate=False)
    read = {str(Path(p).resolve()) for p in files_read(path)}
    assert {str(Path(f).resolve()) for f in files} <= read
    with pytest.raises(OutputError, match="layer6.tif is a file the input"):
        check_not_inputs([files[5]], [path])


def test_the_archive_of_an_input_member_is_an_input(tmp_path):
    archive = tmp_path / "scene.tif.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SCENE, SCENE.name)
    member = f"/vsizip/{archive}/{SCENE.name}"
    assert str(archive) in files_read(member)
    with pytest.raises(OutputError, match="scene.tif.zip is a file the input /vsizip/"):
        check_not_inputs([str(archive)], [member])


def test_the_input_itself_keeps_its_message_and_unreadable_names_are_kept(tmp_path):
    with pytest.raises(OutputError, match=r"the output .* is also an input"):
        check_not_inputs([str(tmp_path / "a" / ".." / "x.tif")], [str(tmp_path / "x.tif")])
    assert files_read(str(tmp_path / "missing.tif")) == [str(tmp_path / "missing.tif")]


def test_a_change_map_over_a_source_of_its_input_vrt_leaves_the_input_as_it_was(tmp_path, tiny_checkpoint):
    """End to end: the run refuses before any model work, and the source file is byte for byte the same."""
    from support import TINY
    from planaura_plugin.feedback import Feedback
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.change import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    files = _band_files(tmp_path)
    vrt = _vrt(tmp_path / "stack.2021250T.vrt", files)
    before = hashlib.sha256(Path(files[0]).read_bytes()).hexdigest()
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu")
    request = ChangeMapRequest(inputs=[vrt, vrt], outputs=ChangeMapOutputs(cosine_map=files[0]), model=spec)
    with pytest.raises(OutputError, match="layer1.tif is a file the input"):
        run_change_map(request, Feedback())
    assert hashlib.sha256(Path(files[0]).read_bytes()).hexdigest() == before
