"""Properties of the persistence mosaic on small synthetic per-pair rasters.

Most cases use a target grid equal to the pairs' own CRS and pixel size, so every warp is an
identity and values can be checked exactly (nearest) or to 1e-5 (cubic).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, Optional, Sequence

import numpy as np
import pytest

from golden_compare import raster_info, read_bands
from planaura_plugin.errors import Cancelled, InputError, OutputError
from planaura_plugin.feedback import Feedback
from planaura_plugin.pipeline.mosaic import find_pair_layers, run_mosaic
from planaura_plugin.products import mosaic_output_path
from planaura_plugin.pipeline.requests import MosaicInputs, MosaicRequest

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

UTM = "EPSG:32615"
RES = 30.0
H, W = 16, 20  # every synthetic pair
A_ORIGIN = (600000.0, 3600000.0)
B_SHIFT = (6, 4)  # pair B starts 6 columns east and 4 rows south of pair A
B_ORIGIN = (A_ORIGIN[0] + B_SHIFT[0] * RES, A_ORIGIN[1] - B_SHIFT[1] * RES)
# union of A and B: 26 x 20 px, and the reference's int(span / res) + 1 adds one row and column
GRID_W, GRID_H = W + B_SHIFT[0] + 1, H + B_SHIFT[1] + 1


def write_tif(path: Path, array: np.ndarray, origin=A_ORIGIN, crs: str = UTM, res: float = RES,
              nodata: Optional[float] = None, descriptions: Optional[Sequence[str]] = None,
              metadata: Optional[Dict[str, str]] = None) -> str:
    from osgeo import gdal, gdal_array, osr

    a = np.asarray(array)
    if a.ndim == 2:
        a = a[None]
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), a.shape[2], a.shape[1], a.shape[0],
                                              gdal_array.NumericTypeCodeToGDALTypeCode(a.dtype))
    ds.SetGeoTransform((origin[0], res, 0.0, origin[1], 0.0, -res))
    srs = osr.SpatialReference()
    srs.SetFromUserInput(crs)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(a.shape[0]):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(float(nodata))
        if descriptions:
            band.SetDescription(descriptions[b])
        band.WriteArray(a[b])
    if metadata:
        ds.SetMetadata(metadata)
    ds.FlushCache()
    ds = None
    return str(path)


def make_pair(folder: Path, pair_id: str, cosine: np.ndarray, before: int, after: int, quality: int,
              features: Sequence[float], origin=A_ORIGIN, crs: str = UTM, res: float = RES,
              with_cosine: bool = True, infer: Optional[np.ndarray] = None) -> MosaicInputs:
    """Per-pair layers named as upstream; layers are nodata wherever the cosine is."""
    h, w = cosine.shape
    invalid = cosine == -100
    cols = np.arange(w, dtype=np.float32)[None, :].repeat(h, 0)
    feats = np.stack([np.float32(f) + 0.01 * cols for f in features]).astype(np.float32)
    feats[:, invalid] = -100

    def const(value, dtype, nodata):
        a = np.full((h, w), value, dtype=dtype)
        a[invalid] = nodata
        return a

    kw = dict(origin=origin, crs=crs, res=res)
    pair = MosaicInputs(pair_id=None)
    if with_cosine:
        pair.cosine_map = write_tif(folder / f"cosine_map{pair_id}.tif", cosine.astype(np.float32), nodata=-100, **kw)
    pair.before_date = write_tif(folder / f"before_date{pair_id}.tif", const(before, np.int32, -100), nodata=-100, **kw)
    pair.after_date = write_tif(folder / f"after_date{pair_id}.tif", const(after, np.int32, -100), nodata=-100, **kw)
    pair.quality_fmask = write_tif(folder / f"quality_fmask{pair_id}.tif", const(quality, np.uint8, 255),
                                   nodata=255, **kw)
    pair.feature_maps[0] = write_tif(folder / f"feature_maps_0{pair_id}.tif", feats, nodata=-100,
                                     descriptions=[f"f{k}" for k in (0, 5)][:len(features)], **kw)
    if infer is not None:
        pair.reconstructions[0] = write_tif(folder / f"infer_0{pair_id}.tif", infer.astype(np.float32),
                                            nodata=-9999, **kw)
    return pair


def smooth(h: int = H, w: int = W, base: float = 0.2) -> np.ndarray:
    r, c = np.mgrid[0:h, 0:w]
    return (base + 0.01 * r + 0.005 * c).astype(np.float32)


def b_region() -> tuple:
    return slice(B_SHIFT[1], B_SHIFT[1] + H), slice(B_SHIFT[0], B_SHIFT[0] + W)


def request_for(pairs, out: Path, **kw) -> MosaicRequest:
    kw.setdefault("target_crs", UTM)
    kw.setdefault("target_resolution", RES)
    return MosaicRequest(pairs=pairs, output_dir=str(out), postfix="test", **kw)


@pytest.fixture
def two_pairs(tmp_path):
    """Pair A (ids sort first) and pair B whose cosine is larger everywhere, B shifted south-east."""
    cos_a = smooth()
    cos_a[2, 3] = -100  # A-only nodata pixel: nobody valid there
    cos_a[10, 10] = -100  # in the overlap: B alone valid
    a = make_pair(tmp_path / "pairs", "!a21!a22", cos_a, 2021001, 2022001, 1, (1.0, 2.0))
    b = make_pair(tmp_path / "pairs", "!b21!b22", smooth(base=0.6), 2021100, 2022100, 3, (10.0, 20.0),
                  origin=B_ORIGIN)
    return a, b, cos_a


def test_larger_cosine_wins_and_persistence_counts(two_pairs, tmp_path):
    a, b, cos_a = two_pairs
    written = run_mosaic(request_for([a, b], tmp_path / "out"))
    cos = read_bands(written["cosine_map"])[0]
    pers = read_bands(written["persistence"])[0]
    before = read_bands(written["before_date"])[0]
    quality = read_bands(written["quality_fmask"])[0]
    feats = read_bands(written["feature_maps_0"])
    assert cos.shape == (GRID_H, GRID_W)

    rb = b_region()
    np.testing.assert_allclose(cos[rb], smooth(base=0.6), atol=1e-5)  # B wins all of its footprint
    assert np.all(before[rb] == 2021100) and np.all(quality[rb] == 3)
    np.testing.assert_allclose(feats[0][rb], read_bands(b.feature_maps[0])[0], atol=1e-5)
    np.testing.assert_allclose(feats[1][rb], read_bands(b.feature_maps[0])[1], atol=1e-5)

    expected = np.zeros((GRID_H, GRID_W), np.uint16)
    expected[:H, :W] += cos_a != -100
    expected[rb] += 1
    np.testing.assert_array_equal(pers, expected)
    assert pers[B_SHIFT[1] + 1, B_SHIFT[0] + 1] == 2

    only_a = np.zeros_like(pers, bool)
    only_a[:H, :W] = True
    only_a[rb] = False
    only_a &= pers == 1
    np.testing.assert_allclose(cos[only_a], np.pad(cos_a, ((0, GRID_H - H), (0, GRID_W - W)))[only_a], atol=1e-5)
    assert np.all(before[only_a] == 2021001)
    # nobody valid: every layer is nodata, persistence 0
    assert pers[2, 3] == 0 and cos[2, 3] == -100 and before[2, 3] == -100 and quality[2, 3] == 255
    assert np.all(cos[:, -1] == -100) and np.all(pers[-1, :] == 0)


def test_names_types_and_file_format(two_pairs, tmp_path):
    from osgeo import gdal

    a, b, _ = two_pairs
    out = tmp_path / "out"
    written = run_mosaic(request_for([a, b], out))
    assert set(written) == {"cosine_map", "persistence", "before_date", "after_date", "quality_fmask",
                            "feature_maps_0"}
    for kind, path in written.items():
        assert path == str(out / f"mosaic_{kind}_test_c.tif")
    expect = {"cosine_map": (np.float32, -100), "persistence": (np.uint16, 0), "before_date": (np.int32, -100),
              "after_date": (np.int32, -100), "quality_fmask": (np.uint8, 255), "feature_maps_0": (np.float32, -100)}
    for kind, (dtype, nodata) in expect.items():
        info = raster_info(written[kind])
        assert info.dtype == np.dtype(dtype) and info.nodata[0] == nodata, kind
        assert info.overviews == 4, kind
        ds = gdal.Open(written[kind])
        assert ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") == "LZW"
        assert ds.GetRasterBand(1).GetBlockSize() == [256, 256]
    assert raster_info(written["feature_maps_0"]).descriptions == ["f0", "f5"]
    assert sorted(os.listdir(out)) == sorted(os.path.basename(p) for p in written.values())


def test_tie_goes_to_the_pair_whose_id_sorts_first(tmp_path):
    cos = smooth()
    z = make_pair(tmp_path, "!z21!z22", cos, 2021001, 2022001, 1, (1.0,))
    b = make_pair(tmp_path, "!b21!b22", cos, 2021100, 2022100, 2, (7.0,))
    written = run_mosaic(request_for([z, b], tmp_path / "out"))  # given order: z first
    assert np.all(read_bands(written["before_date"])[0][:H, :W] == 2021100)
    assert np.all(read_bands(written["persistence"])[0][:H, :W] == 2)
    # an explicit pair id is the tie-break key
    z.pair_id, b.pair_id = "1", "2"
    written = run_mosaic(request_for([b, z], tmp_path / "out2"))
    assert np.all(read_bands(written["before_date"])[0][:H, :W] == 2021001)


def test_quality_only_mosaic_smallest_wins(tmp_path):
    a = make_pair(tmp_path, "!a21!a22", smooth(), 2021001, 2022001, 4, (1.0,), with_cosine=False)
    b = make_pair(tmp_path, "!b21!b22", smooth(), 2021100, 2022100, 2, (5.0,), origin=B_ORIGIN, with_cosine=False)
    out = tmp_path / "out"
    written = run_mosaic(request_for([a, b], out))
    assert "cosine_map" not in written
    assert written["persistence"] == str(out / "mosaic_persistence_test_f.tif")
    assert written["quality_fmask"] == mosaic_output_path(str(out), "quality_fmask", "test", "quality_fmask")
    assert written["quality_fmask"].endswith("mosaic_quality_fmask_test_f.tif")
    quality = read_bands(written["quality_fmask"])[0]
    before = read_bands(written["before_date"])[0]
    rb = b_region()
    assert np.all(quality[rb] == 2) and np.all(before[rb] == 2021100)
    assert np.all(quality[:B_SHIFT[1], :W] == 4) and np.all(before[:B_SHIFT[1], :W] == 2021001)
    assert read_bands(written["persistence"])[0].max() == 2


class CancelAfter(Feedback):
    def __init__(self, blocks: int) -> None:
        self.blocks = blocks
        self.calls = 0

    def progress(self, fraction: float, message: str = "") -> None:
        self.calls += 1

    def is_cancelled(self) -> bool:
        return self.calls >= self.blocks


def test_cancel_leaves_no_output(two_pairs, tmp_path):
    a, b, _ = two_pairs
    out = tmp_path / "out"
    feedback = CancelAfter(2)
    with pytest.raises(Cancelled):
        run_mosaic(request_for([a, b], out, block_size=8), feedback)
    assert feedback.calls == 2
    assert not out.exists() or os.listdir(out) == []


def test_progress_per_block_and_blocks_do_not_change_results(two_pairs, tmp_path):
    """With an identity warp the block layout cannot matter: 5 px blocks equal one block."""
    a, b, _ = two_pairs

    class Record(Feedback):
        def __init__(self) -> None:
            self.fractions = []

        def progress(self, fraction: float, message: str = "") -> None:
            self.fractions.append(fraction)

    feedback = Record()
    small = run_mosaic(request_for([a, b], tmp_path / "small", block_size=5), feedback)
    whole = run_mosaic(request_for([a, b], tmp_path / "whole"))
    blocks = -(-GRID_W // 5) * -(-GRID_H // 5)
    assert len(feedback.fractions) >= blocks
    assert feedback.fractions == sorted(feedback.fractions) and feedback.fractions[-1] == 1.0
    for kind in whole:
        np.testing.assert_array_equal(read_bands(small[kind]), read_bands(whole[kind]), err_msg=kind)


def test_pair_in_another_crs(tmp_path):
    """Pair A in UTM 15N, pair B in EPSG:3979: both are warped onto the target grid."""
    from osgeo import osr

    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.SetFromUserInput(UTM)
    dst.SetFromUserInput("EPSG:3979")
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    centre = osr.CoordinateTransformation(src, dst).TransformPoint(A_ORIGIN[0] + 300, A_ORIGIN[1] - 240)
    b_origin = (round(centre[0]), round(centre[1]))  # B's top-left lies in the middle of A
    a = make_pair(tmp_path, "!a21!a22", np.full((H, W), 0.5, np.float32), 2021001, 2022001, 1, (1.0,))
    b = make_pair(tmp_path, "!b21!b22", np.full((H, W), 0.9, np.float32), 2021100, 2022100, 2, (5.0,),
                  origin=b_origin, crs="EPSG:3979")
    written = run_mosaic(request_for([a, b], tmp_path / "out", target_crs="EPSG:3979"))
    info = raster_info(written["cosine_map"])
    assert info.geotransform[1] == RES
    cos = read_bands(written["cosine_map"])[0]
    pers = read_bands(written["persistence"])[0]
    before = read_bands(written["before_date"])[0]
    assert pers.max() == 2
    np.testing.assert_allclose(cos[pers == 2], 0.9, atol=1e-5)
    assert np.all(before[pers == 2] == 2021100)
    a_only = (pers == 1) & (before == 2021001)
    assert a_only.sum() > 50
    np.testing.assert_allclose(cos[a_only], 0.5, atol=1e-5)
    assert np.all((before == -100) == (pers == 0))
    # the grid covers B entirely: its full 16 x 20 footprint is there
    assert (before == 2021100).sum() == H * W


def make_image(path: Path, values: Sequence[int], origin=A_ORIGIN, strip: Optional[slice] = None) -> str:
    data = np.stack([np.full((H, W), v, np.int16) for v in values])
    if strip is not None:
        data[:, :, strip] = -9999
    return write_tif(path, data, origin=origin, nodata=-9999,
                     descriptions=["B02", "B03", "B04", "B8A", "B11", "B12"])


def test_before_after_inputs_follow_the_chosen_dates(two_pairs, tmp_path):
    a, b, _ = two_pairs
    img = tmp_path / "images"
    images = [make_image(img / "HLS.A.2021001T000000.v2.0.tif", range(100, 106), strip=slice(0, 2)),
              make_image(img / "HLS.A.2022001T000000.v2.0.tif", range(200, 206)),
              make_image(img / "HLS.B.2021100T000000.v2.0.tif", range(300, 306), origin=B_ORIGIN),
              make_image(img / "HLS.B.2022100T000000.v2.0.tif", range(400, 406), origin=B_ORIGIN)]
    a.inputs = images[:2]
    b.inputs = images[2:]
    written = run_mosaic(request_for([a, b], tmp_path / "out", input_images=images))
    before = read_bands(written["before_input"])
    after = read_bands(written["after_input"])
    info = raster_info(written["before_input"])
    assert info.dtype == np.int16 and info.nodata == [-9999.0] * 6
    assert info.descriptions == ["B02", "B03", "B04", "B8A", "B11", "B12"]
    rb = b_region()
    for band in range(6):
        assert np.all(before[band][rb] == 300 + band) and np.all(after[band][rb] == 400 + band)
        assert np.all(before[band][:B_SHIFT[1], 4:W] == 100 + band)  # (2, 3): nobody valid
        assert np.all(after[band][:B_SHIFT[1], 4:W] == 200 + band)
    # the input's own nodata where the image has none (SPEC 7), never -100
    assert np.all(before[:, :B_SHIFT[1], :2] == -9999)
    assert not np.any(before == -100) and not np.any(after == -100)


def test_inputs_found_by_pair_id_among_request_images(tmp_path):
    """Without MosaicInputs.inputs, the images whose names are parts of the pair id are used, so two
    pairs whose before images share a date (golden run v: A21 and C21) each get their own."""
    a = make_pair(tmp_path, "!A.2021001T!A.2022001T", smooth(), 2021001, 2022001, 1, (1.0,))
    b = make_pair(tmp_path, "!AB.2021001T!AB.2022001T", smooth(base=0.6), 2021001, 2022001, 1, (1.0,),
                  origin=B_ORIGIN)
    img = tmp_path / "images"
    images = [make_image(img / "A.2021001T.tif", range(100, 106)),
              make_image(img / "AB.2021001T.tif", range(300, 306), origin=B_ORIGIN)]
    written = run_mosaic(request_for([a, b], tmp_path / "out", input_images=images, kinds=["before_input"]))
    assert set(written) == {"before_input"}
    before = read_bands(written["before_input"])
    assert np.all(before[0][b_region()] == 300)
    assert np.all(before[0][:B_SHIFT[1], :W] == 100)


def test_ambiguous_input_dates_are_an_error(two_pairs, tmp_path):
    a, b, _ = two_pairs
    img = tmp_path / "images"
    images = [make_image(img / "x.2021001T.tif", range(6)), make_image(img / "y.2021001T.tif", range(6))]
    with pytest.raises(InputError, match="two input images have the date 2021001"):
        run_mosaic(request_for([a, b], tmp_path / "out", input_images=images))


def test_first_pair_wins_where_nobody_is_valid(tmp_path):
    """As the reference (golden run i infer): reconstructions of the first pair fill invalid pixels."""
    cos = smooth()
    cos[0, :] = -100
    infer = np.full((6, H, W), 55.0, np.float32)
    a = make_pair(tmp_path, "!a21!a22", cos, 2021001, 2022001, 1, (1.0,), infer=infer)
    b = make_pair(tmp_path, "!b21!b22", cos, 2021100, 2022100, 1, (1.0,), origin=B_ORIGIN,
                  infer=np.full((6, H, W), 77.0, np.float32))
    written = run_mosaic(request_for([a, b], tmp_path / "out"))
    rec = read_bands(written["infer_0"])
    pers = read_bands(written["persistence"])[0]
    assert pers[0, 5] == 0 and np.all(rec[:, 0, :W] == 55.0)
    assert raster_info(written["infer_0"]).nodata[0] == -9999


def test_explicit_outputs_only(two_pairs, tmp_path):
    a, b, _ = two_pairs
    target = tmp_path / "x" / "my_cosine.tif"
    written = run_mosaic(MosaicRequest(pairs=[a, b], outputs={"cosine_map": str(target)}, target_crs=UTM,
                                       target_resolution=RES))
    assert written == {"cosine_map": str(target)}
    assert os.listdir(target.parent) == ["my_cosine.tif"]


def test_a_pair_missing_an_optional_layer_warns(two_pairs, tmp_path):
    a, b, _ = two_pairs
    b.feature_maps = {}
    messages = []

    class Collect(Feedback):
        def warning(self, message: str) -> None:
            messages.append(message)

    written = run_mosaic(request_for([a, b], tmp_path / "out"), Collect())
    assert any("feature_maps_0" in m for m in messages)
    assert np.all(read_bands(written["feature_maps_0"])[:, b_region()[0], b_region()[1]] == -100)


# --------------------------------------------------------------------------- errors


def test_unreadable_raster_is_named(two_pairs, tmp_path):
    a, b, _ = two_pairs
    bad = tmp_path / "broken.tif"
    bad.write_text("not a tiff")
    b.before_date = str(bad)
    with pytest.raises(InputError, match="broken.tif"):
        run_mosaic(request_for([a, b], tmp_path / "out"))
    b.before_date = str(tmp_path / "missing.tif")
    with pytest.raises(InputError, match="missing.tif"):
        run_mosaic(request_for([a, b], tmp_path / "out"))


def test_layers_of_one_pair_on_different_grids(two_pairs, tmp_path):
    a, b, _ = two_pairs
    b.quality_fmask = a.quality_fmask  # A's grid, not B's
    with pytest.raises(InputError, match="not on one grid"):
        run_mosaic(request_for([a, b], tmp_path / "out"))


def test_no_cosine_maps(tmp_path):
    with pytest.raises(InputError, match="no cosine maps"):
        run_mosaic(request_for([], tmp_path / "out"))
    only_dates = MosaicInputs(before_date=write_tif(tmp_path / "d.tif", np.ones((4, 4), np.int32), nodata=-100))
    with pytest.raises(InputError, match="no cosine maps"):
        run_mosaic(request_for([only_dates], tmp_path / "out"))


def test_pair_without_the_reference_layer(two_pairs, tmp_path):
    a, b, _ = two_pairs
    b.cosine_map = None
    with pytest.raises(InputError, match="has no cosine_map layer"):
        run_mosaic(request_for([a, b], tmp_path / "out"))


@pytest.mark.parametrize("crs", ["EPSG:999999", "not a crs", ""])
def test_unknown_target_crs(two_pairs, tmp_path, crs):
    a, b, _ = two_pairs
    with pytest.raises(InputError, match="unknown target CRS"):
        run_mosaic(request_for([a, b], tmp_path / "out", target_crs=crs))


@pytest.mark.parametrize("res", [0, -30, float("nan")])
def test_resolution_must_be_positive(two_pairs, tmp_path, res):
    a, b, _ = two_pairs
    with pytest.raises(InputError, match="resolution must be > 0"):
        run_mosaic(request_for([a, b], tmp_path / "out", target_resolution=res))


def test_output_equal_to_an_input(two_pairs, tmp_path):
    a, b, _ = two_pairs
    with pytest.raises(OutputError, match="also an input"):
        run_mosaic(MosaicRequest(pairs=[a, b], outputs={"cosine_map": a.cosine_map}, target_crs=UTM))
    assert read_bands(a.cosine_map).shape == (1, H, W)  # untouched


def test_unknown_or_unavailable_output_kind(two_pairs, tmp_path):
    a, b, _ = two_pairs
    with pytest.raises(InputError, match="unknown mosaic output kind"):
        run_mosaic(request_for([a, b], tmp_path / "out", kinds=["cosines"]))
    with pytest.raises(InputError, match="cannot write infer_0"):
        run_mosaic(request_for([a, b], tmp_path / "out", kinds=["infer_0"]))


# --------------------------------------------------------------------------- finding pair layers


def test_find_pair_layers_by_name_with_substring_names(tmp_path):
    e21, e22, img = tmp_path / "epoch2021", tmp_path / "epoch2022", tmp_path / "img"
    cos = smooth()
    for pid in ("!img1!img2", "!img1!img22"):
        make_pair(e21, pid, cos, 2021001, 2022001, 1, (1.0,))
        write_tif(e22 / f"feature_maps_1{pid}.tif", np.ones((H, W), np.float32), nodata=-100)
    images = [write_tif(img / f"{n}.tif", np.ones((H, W), np.int16)) for n in ("img1", "img2", "img22", "img")]
    pairs = find_pair_layers([str(e21 / "cosine_map!img1!img22.tif"), str(e21 / "cosine_map!img1!img2.tif")],
                             [str(e22)], input_images=images)
    p22, p2 = pairs
    assert p2.pair_id == "!img1!img2" and p22.pair_id == "!img1!img22"
    assert p2.before_date.endswith("before_date!img1!img2.tif")
    assert p22.before_date.endswith("before_date!img1!img22.tif")
    assert p2.feature_maps[1] == str(e22 / "feature_maps_1!img1!img2.tif")
    assert p22.feature_maps[1] == str(e22 / "feature_maps_1!img1!img22.tif")
    assert [Path(p).name for p in p2.inputs] == ["img1.tif", "img2.tif"]
    assert [Path(p).name for p in p22.inputs] == ["img1.tif", "img22.tif"]
    assert not p2.reconstructions


def test_find_pair_layers_by_metadata(tmp_path):
    folder, other = tmp_path / "maps", tmp_path / "other"
    before = write_tif(folder / "dates_before.tif", np.ones((H, W), np.int32), nodata=-100)
    f1 = write_tif(other / "frame1.tif", np.ones((2, H, W), np.float32), nodata=-100,
                   metadata={"PLANAURA_EMBEDDINGS": "[3, 9]"})
    images = [write_tif(tmp_path / "in" / n, np.ones((H, W), np.int16)) for n in ("first.tif", "second.tif")]
    meta = {"PLANAURA_KIND": "cosine_map",
            "PLANAURA_COMPANIONS": json.dumps({"before_date": "dates_before.tif",
                                               "feature_maps_1": "../other/frame1.tif", "classes": "ignored.tif"}),
            "PLANAURA_INPUTS": json.dumps(images), "PLANAURA_DATES": json.dumps([2021001, 2022001])}
    cosine = write_tif(folder / "change_first_second.tif", smooth(), nodata=-100, metadata=meta)
    (pair,) = find_pair_layers([cosine])
    assert pair.cosine_map == cosine and pair.before_date == before and pair.feature_maps == {1: f1}
    assert pair.inputs == images and pair.input_dates == [2021001, 2022001]
    assert pair.pair_id == "change_first_second"
    # feature rasters without band descriptions get f<k> from PLANAURA_EMBEDDINGS
    written = run_mosaic(request_for([pair], tmp_path / "out"))
    assert raster_info(written["feature_maps_1"]).descriptions == ["f3", "f9"]


def test_find_pair_layers_rejects_other_files(tmp_path):
    path = write_tif(tmp_path / "random.tif", smooth())
    with pytest.raises(InputError, match="not a cosine_map"):
        find_pair_layers([path])
    with pytest.raises(InputError, match="does not exist"):
        find_pair_layers([str(tmp_path / "cosine_map!a!b.tif")])


@pytest.mark.parametrize("band_specific_nodata", [False, True])
def test_input_warps_equal_the_references_per_band_warps(tmp_path, band_specific_nodata):
    """One multi-band warp is used only where it gives exactly the reference's per-band warps."""
    from planaura_plugin.raster.mosaic_grid import MosaicGrid, warp_window

    pair = make_pair(tmp_path, "!a21!a22", smooth(), 2021001, 2022001, 1, (1.0,))
    rng = np.random.default_rng(0)
    data = rng.integers(0, 3000, size=(6, H, W)).astype(np.int16)
    data[:, :, 3:5] = -9999
    if band_specific_nodata:
        data[2, 8:11, 10:13] = -9999
    image = write_tif(tmp_path / "img" / "A.2021001T.tif", data, nodata=-9999)
    pair.inputs = [image]
    written = run_mosaic(request_for([pair], tmp_path / "out", target_crs="EPSG:3979", kinds=["before_input"]))
    info = raster_info(written["before_input"])
    gt = info.geotransform
    grid = MosaicGrid(info.wkt, gt[1], gt[0], gt[3], info.width, info.height)
    expected = np.stack([warp_window(image, [b + 1], grid, (0, 0, grid.width, grid.height), "cubic", -9999, -9999,
                                     np.int16)[0] for b in range(6)])
    dates = warp_window(pair.before_date, [1], grid, (0, 0, grid.width, grid.height), "near", -100, -100,
                        np.int32)[0]
    expected[:, dates != 2021001] = -9999
    np.testing.assert_array_equal(read_bands(written["before_input"]), expected)
    if band_specific_nodata:
        assert np.any((expected[2] == -9999) & (expected[1] != -9999))


def test_works_and_fails_clearly_with_gdal_exceptions(two_pairs, tmp_path, gdal_exceptions):
    a, b, _ = two_pairs
    written = run_mosaic(request_for([a, b], tmp_path / "out"))
    assert read_bands(written["persistence"]).max() == 2
    bad = tmp_path / "broken.tif"
    bad.write_text("not a tiff")
    b.before_date = str(bad)
    with pytest.raises(InputError, match="broken.tif"):
        run_mosaic(request_for([a, b], tmp_path / "out2"))
    with pytest.raises(InputError, match="unknown target CRS"):
        run_mosaic(request_for([a], tmp_path / "out3", target_crs="EPSG:999999"))


def test_bad_compression_is_an_input_error(two_pairs, tmp_path):
    a, b, _ = two_pairs
    with pytest.raises(InputError, match="compression"):
        run_mosaic(request_for([a, b], tmp_path / "out", compression="JPEG2000"))


def test_dates_from_change_map_metadata_equal_date_rasters(two_pairs, tmp_path):
    """A modeler chain that wired only the change maps: PLANAURA_DATES stands in for date rasters."""
    a, b, cos_a = two_pairs
    img = tmp_path / "images"
    images = [make_image(img / "HLS.A.2021001T000000.v2.0.tif", range(100, 106)),
              make_image(img / "HLS.A.2022001T000000.v2.0.tif", range(200, 206)),
              make_image(img / "HLS.B.2021100T000000.v2.0.tif", range(300, 306), origin=B_ORIGIN),
              make_image(img / "HLS.B.2022100T000000.v2.0.tif", range(400, 406), origin=B_ORIGIN)]
    a.inputs, b.inputs = images[:2], images[2:]
    with_rasters = run_mosaic(request_for([a, b], tmp_path / "rasters"))
    only_maps = []
    for pair, dates, ims, origin, pid in ((a, [2021001, 2022001], images[:2], A_ORIGIN, "a"),
                                          (b, [2021100, 2022100], images[2:], B_ORIGIN, "b")):
        cos = read_bands(pair.cosine_map)[0]
        path = write_tif(tmp_path / "tmp" / f"OUTPUT_{pid}.tif", cos, origin=origin, nodata=-100,
                         metadata={"PLANAURA_KIND": "cosine_map", "PLANAURA_DATES": json.dumps(dates),
                                   "PLANAURA_INPUTS": json.dumps(ims)})
        only_maps.append(MosaicInputs(cosine_map=path, pair_id=pid, inputs=list(ims)))
    from_metadata = run_mosaic(request_for(only_maps, tmp_path / "metadata"))
    for kind in ("before_date", "after_date", "before_input", "after_input", "persistence", "cosine_map"):
        assert np.array_equal(read_bands(from_metadata[kind]), read_bands(with_rasters[kind])), kind
    before = read_bands(from_metadata["before_date"])[0]
    assert set(np.unique(before)) == {-100, 2021001, 2021100}


def test_three_date_metadata_gives_no_constant_before_date(tmp_path):
    cos = smooth()
    path = write_tif(tmp_path / "c.tif", cos, nodata=-100,
                     metadata={"PLANAURA_DATES": json.dumps([2021001, 2021005, 2022001])})
    written = run_mosaic(request_for([MosaicInputs(cosine_map=path, pair_id="p")], tmp_path / "out"))
    assert "before_date" not in written
    assert set(np.unique(read_bands(written["after_date"])[0])) == {-100, 2022001}


def test_outputs_name_their_kind_and_companions_for_change_polygons(two_pairs, tmp_path):
    from planaura_plugin.analysis.polygon_inputs import find_companions
    from planaura_plugin.pipeline.metadata import COMPANIONS, KIND, read_metadata

    a, b, _ = two_pairs
    names = {"cosine_map": "intensity.tif", "persistence": "how_often.tif", "before_date": "first.tif",
             "after_date": "second.tif"}
    written = run_mosaic(MosaicRequest(pairs=[a, b], target_crs=UTM, target_resolution=RES,
                                       outputs={k: str(tmp_path / "m" / n) for k, n in names.items()}))
    assert set(written) == set(names)
    for kind, path in written.items():
        meta = read_metadata(path)
        assert meta[KIND] == kind
        assert meta[COMPANIONS] == {k: p for k, p in written.items() if k != kind}
    found = find_companions(written["cosine_map"], read_metadata(written["cosine_map"]))
    assert found == {k: written[k] for k in ("before_date", "after_date", "persistence")}
