"""Input forms through processing.run with layer objects (issues 8 and 9): band choices, alpha bands,
HLS granule band files, south-up layers. Each run is compared with the plain 6-band run."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis


def cosine(path) -> np.ndarray:
    from osgeo import gdal

    ds = gdal.Open(str(path))
    return ds.ReadAsArray()


def layer(path: Path, name: str = "layer"):
    from qgis.core import QgsRasterLayer

    lyr = QgsRasterLayer(str(path), name, "gdal")
    assert lyr.isValid(), path
    return lyr


def run_changemap(params: dict, out: Path) -> Path:
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    out.mkdir(parents=True, exist_ok=True)
    params = dict(params, OUTPUT=str(out / "cos.tif"), FIND_FMASKS=False)
    processing.run("planaura:changemap", params, feedback=QgsProcessingFeedback(), context=QgsProcessingContext())
    return out / "cos.tif"


@pytest.fixture(scope="module")
def plain(planaura_provider, pair_a, tiny_model, tmp_path_factory):
    return cosine(run_changemap({"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model},
                                tmp_path_factory.mktemp("plain")))


def shuffled_stack(src: str, dst: Path, order) -> Path:
    """A stack whose stored band k+1 is band order[k] of ``src`` (bands > 6 are copies of band 1)."""
    from osgeo import gdal

    ds = gdal.Open(src)
    arr = ds.ReadAsArray()
    full = np.concatenate([arr, arr[:1], arr[:1] // 2, arr[:1] // 3, arr[:1] // 4])
    out = gdal.GetDriverByName("GTiff").Create(str(dst), ds.RasterXSize, ds.RasterYSize, len(order),
                                              ds.GetRasterBand(1).DataType)
    out.SetGeoTransform(ds.GetGeoTransform())
    out.SetProjection(ds.GetProjection())
    for k, o in enumerate(order):
        band = out.GetRasterBand(k + 1)
        band.SetNoDataValue(-9999)
        band.WriteArray(full[o - 1])
    out = None
    return dst


def test_band_parameters_pick_the_model_bands(planaura_provider, pair_a, tiny_model, plain, tmp_path):
    order = [8, 3, 1, 7, 2, 9, 4, 5, 10, 6]
    before = shuffled_stack(pair_a["before"], tmp_path / Path(pair_a["before"]).name, order)
    (tmp_path / "b").mkdir()
    after = shuffled_stack(pair_a["after"], tmp_path / "b" / Path(pair_a["after"]).name, order)
    bands = [order.index(m) + 1 for m in range(1, 7)]
    got = cosine(run_changemap({"BEFORE": layer(before), "AFTER": layer(after), "BEFORE_BANDS": bands,
                                "AFTER_BANDS": bands, **tiny_model}, tmp_path / "out"))
    np.testing.assert_array_equal(got, plain)


@pytest.mark.parametrize("form", ["comma", "semicolon"])
def test_band_parameters_as_text_keep_their_order(planaura_provider, pair_a, tiny_model, plain, tmp_path, form):
    """"2,3,4,9,12,13" as qgis_process passes it (QGIS's own parsing splits on ';' only)."""
    order = [6, 5, 4, 3, 2, 1, 7, 8, 9, 10]  # reversed model bands: ignoring the choice would be wrong
    before = shuffled_stack(pair_a["before"], tmp_path / Path(pair_a["before"]).name, order)
    (tmp_path / "b").mkdir()
    after = shuffled_stack(pair_a["after"], tmp_path / "b" / Path(pair_a["after"]).name, order)
    bands = [order.index(m) + 1 for m in range(1, 7)]
    text = ("," if form == "comma" else ";").join(str(b) for b in bands)
    got = cosine(run_changemap({"BEFORE": str(before), "AFTER": str(after), "BEFORE_BANDS": text,
                                "AFTER_BANDS": text, **tiny_model}, tmp_path / "out"))
    np.testing.assert_array_equal(got, plain)


def test_band_parameter_that_is_not_numbers_is_refused(planaura_provider, pair_a, tiny_model, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="not a list of band numbers"):
        run_changemap({"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "AFTER_BANDS": "blue,red",
                       **tiny_model}, tmp_path / "out")


def test_ten_bands_without_a_choice_are_refused_before_model_work(planaura_provider, pair_a, tiny_model, tmp_path):
    from qgis.core import QgsProcessingException

    before = shuffled_stack(pair_a["before"], tmp_path / Path(pair_a["before"]).name, list(range(1, 11)))
    with pytest.raises(QgsProcessingException, match=r"has 10 band\(s\).*BEFORE_BANDS"):
        run_changemap({"BEFORE": layer(before), "AFTER": pair_a["after"], **tiny_model}, tmp_path / "out")
    assert not (tmp_path / "out" / "cos.tif").exists()


def test_alpha_band_layer_from_warp(planaura_provider, pair_a, tiny_model, plain, tmp_path):
    """An after image from Warp (reproject) with "add alpha band": 6 bands + alpha is accepted."""
    from osgeo import gdal

    warped = tmp_path / Path(pair_a["after"]).name
    gdal.Warp(str(warped), pair_a["after"], dstAlpha=True, srcNodata=-9999)
    assert gdal.Open(str(warped)).RasterCount == 7
    got = cosine(run_changemap({"BEFORE": pair_a["before"], "AFTER": layer(warped), **tiny_model}, tmp_path / "o"))
    np.testing.assert_array_equal(got, plain)


def test_hls_granule_band_file_as_layer(planaura_provider, pair_a, tiny_model, plain, tmp_path):
    """BEFORE is one band file of an HLS granule written as per-band COGs: same map as the stack."""
    from osgeo import gdal

    granule = "HLS.S30.T15SXR.2021250T163901.v2.0"
    for k, band in enumerate(("B02", "B03", "B04", "B8A", "B11", "B12"), start=1):
        gdal.Translate(str(tmp_path / f"{granule}.{band}.tif"), pair_a["before"], bandList=[k], format="COG")
    got = cosine(run_changemap({"BEFORE": layer(tmp_path / f"{granule}.B11.tif"), "AFTER": pair_a["after"],
                                **tiny_model}, tmp_path / "out"))
    np.testing.assert_array_equal(got, plain)


def test_south_up_before_layer_gives_the_north_up_map(planaura_provider, pair_a, tiny_model, plain, tmp_path):
    from osgeo import gdal

    src = gdal.Open(pair_a["before"])
    gt = src.GetGeoTransform()
    arr = src.ReadAsArray()[:, ::-1]
    south = tmp_path / Path(pair_a["before"]).name
    out = gdal.GetDriverByName("GTiff").Create(str(south), src.RasterXSize, src.RasterYSize, 6, gdal.GDT_Int16)
    out.SetGeoTransform((gt[0], gt[1], 0, gt[3] + src.RasterYSize * gt[5], 0, -gt[5]))
    out.SetProjection(src.GetProjection())
    for b in range(6):
        out.GetRasterBand(b + 1).SetNoDataValue(-9999)
        out.GetRasterBand(b + 1).WriteArray(np.ascontiguousarray(arr[b]))
    out = None
    result = run_changemap({"BEFORE": layer(south), "AFTER": pair_a["after"], **tiny_model}, tmp_path / "out")
    np.testing.assert_array_equal(cosine(result), plain)
    assert gdal.Open(str(result)).GetGeoTransform()[5] < 0


def test_glob_stack_vrt_is_read_by_its_source_file_names(planaura_provider, pair_a, tiny_model, plain, tmp_path):
    """gdalbuildvrt -separate stack.vrt *.tif over per-band files without descriptions (issue 21): the
    glob puts B11, B12 before B8A; the source file names say which band is which: same map as the stack."""
    from osgeo import gdal

    granule = "HLS.S30.T15SXR.2021250T163901.v2.0"
    folder = tmp_path / "bands"
    folder.mkdir()
    for k, band in enumerate(("B02", "B03", "B04", "B8A", "B11", "B12"), start=1):
        path = str(folder / f"{granule}.{band}.tif")
        gdal.Translate(path, pair_a["before"], bandList=[k])
        ds = gdal.Open(path, gdal.GA_Update)
        ds.GetRasterBand(1).SetDescription("")
        ds = None
    files = sorted(str(p) for p in folder.glob("*.tif"))
    assert [Path(f).name.split(".")[-2] for f in files] == ["B02", "B03", "B04", "B11", "B12", "B8A"]
    vrt = tmp_path / "stack.vrt"
    gdal.BuildVRT(str(vrt), files, separate=True).FlushCache()
    assert gdal.Open(str(vrt)).GetRasterBand(6).GetDescription() == ""
    got = cosine(run_changemap({"BEFORE": layer(vrt), "AFTER": pair_a["after"], **tiny_model}, tmp_path / "out"))
    np.testing.assert_array_equal(got, plain)


@pytest.mark.parametrize("find", [True, False])
def test_quality_choice_of_an_hls_granule_is_honoured(planaura_provider, pair_a, tiny_model, tmp_path,
                                                      recording_feedback, find):
    """FIND_FMASKS unticked: the granule's own Fmask is not used, the quality is 'no information' (255)
    everywhere and the log says no quality source was used; ticked: the log names the Fmask."""
    import processing
    from osgeo import gdal
    from qgis.core import QgsProcessingContext

    granule = "HLS.S30.T15SXR.2021250T163901.v2.0"
    for k, band in enumerate(("B02", "B03", "B04", "B8A", "B11", "B12"), start=1):
        gdal.Translate(str(tmp_path / f"{granule}.{band}.tif"), pair_a["before"], bandList=[k], format="COG")
    gdal.Translate(str(tmp_path / f"{granule}.Fmask.tif"), pair_a["before_fmask"], format="COG")
    feedback = recording_feedback()
    out = tmp_path / "out"
    out.mkdir()
    processing.run("planaura:changemap", {"BEFORE": str(tmp_path / f"{granule}.B04.tif"), "AFTER": pair_a["after"],
                                          **tiny_model, "OUTPUT": str(out / "cos.tif"),
                                          "OUTPUT_QUALITY": str(out / "q.tif"), "FIND_FMASKS": find},
                   feedback=feedback, context=QgsProcessingContext())
    q, cos = cosine(out / "q.tif"), cosine(out / "cos.tif")
    said = [line for line in feedback.infos if "no quality source used" in line]
    if find:
        assert (q[cos != -100] != 255).any()
        assert any(f"quality from {granule}.Fmask.tif, band 1 (HLS Fmask bit flags)" in line
                   for line in feedback.infos), feedback.infos
        assert not said
    else:
        assert (cos != -100).any() and (q == 255).all()
        assert len(said) == 2 and all("not used" in line for line in said), feedback.infos
