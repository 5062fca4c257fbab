"""Properties of the per-pair pipeline (``run_change_map``) on small real and synthetic rasters.

The tiny checkpoint (64 px tiles) keeps every run to a few seconds; crop S of the golden
inputs (130 x 130 px of HLS T15SXR, with the -9999 swath-edge strip in 2022245) is the
usual subject.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from support import GOLDEN, TINY
from planaura_plugin.errors import Cancelled, InputError, OutputError
from planaura_plugin.feedback import Feedback
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline import metadata as md
from planaura_plugin.pipeline.change import change_classes, run_change_map, worst_quality
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS

INPUTS = GOLDEN / "raster" / "inputs"
S21 = INPUTS / "epoch2021" / "HLS.S30.T15SXR-cropS.2021250T163901.v2.0.tif"
S22 = INPUTS / "epoch2022" / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif"
A21 = INPUTS / "epoch2021" / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
A22 = INPUTS / "epoch2022" / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=4)


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    return arr.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize), ds.GetGeoTransform(), ds.GetProjection(), \
        ds.GetRasterBand(1).GetNoDataValue()


def write(path, array, gt=None, wkt="", nodata=None):
    from osgeo import gdal, gdal_array

    array = np.asarray(array)
    if array.ndim == 2:
        array = array[None]
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[2], array.shape[1], array.shape[0],
                                              gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    if gt is not None:
        ds.SetGeoTransform(gt)
    if wkt:
        ds.SetProjection(wkt)
    for b in range(array.shape[0]):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        band.WriteArray(array[b])
    ds = None
    return Path(path)


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def request(spec, inputs, out: Path, **kw) -> ChangeMapRequest:
    outputs = kw.pop("outputs", None) or ChangeMapOutputs(
        cosine_map=str(out / "cosine.tif"), before_date=str(out / "before.tif"), after_date=str(out / "after.tif"),
        quality_fmask=str(out / "quality.tif"), classes=str(out / "classes.tif"),
        feature_maps={0: str(out / "f0.tif"), 1: str(out / "f1.tif")})
    return ChangeMapRequest(inputs=[str(p) for p in inputs], outputs=outputs, model=kw.pop("model", spec),
                            embeddings=kw.pop("embeddings", [0, 5, 17, 63]), **kw)


@pytest.fixture(scope="module")
def frame_blind_spec(spec, tmp_path_factory) -> ModelSpec:
    """The tiny model with the same position table for both frames: identical dates give identical
    embeddings (with the real tables the time encoding alone moves the cosine by up to ~1e-3)."""
    import torch

    sd = torch.load(spec.checkpoint, map_location="cpu", weights_only=True)
    for key in ("backbone.encoder.pos_embed", "backbone.decoder_pos_embed"):
        table = sd[key].clone()
        n = (table.shape[1] - 1) // 2
        table[:, 1 + n:] = table[:, 1:1 + n]
        sd[key] = table
    path = tmp_path_factory.mktemp("ckpt") / "tiny_frame_blind.pth"
    torch.save(sd, path)
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(path), device="cpu", batch_size=4)


# ------------------------------------------------------------------------------------------------
def test_identical_dates_give_cosine_one(frame_blind_spec, tmp_path):
    same = tmp_path / "HLS.S30.T15SXR-cropS.2022250T163901.v2.0.tif"
    shutil.copy(S21, same)
    for stride, upsample in ((16, True), (16, False), (1, True)):
        out = tmp_path / f"s{stride}{upsample}"
        written = run_change_map(request(frame_blind_spec, [S21, same], out, patch_stride=stride,
                                         upsample=upsample))
        cos = read(written["cosine_map"])[0][0]
        valid = cos != -100
        assert valid.sum() > 0.5 * cos.size
        np.testing.assert_allclose(cos[valid], 1.0, atol=1e-5)
        classes = read(written["classes"])[0][0]
        assert set(np.unique(classes[valid])) == {1} and (classes[~valid] == 0).all()


def test_nodata_stays_nodata_and_valid_elsewhere(spec, tmp_path):
    raw21, gt, wkt, nd = read(S21)
    raw22 = read(S22)[0].copy()
    raw22[:, 60:80, 70:100] = -9999  # a hole in the after date, on top of the swath-edge strip
    after = write(tmp_path / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif", raw22, gt, wkt, -9999)
    bad = ((raw21 == -9999) | (raw22 == -9999)).any(axis=0)
    for stride, upsample in ((16, True), (16, False), (1, True)):
        out = tmp_path / f"s{stride}{upsample}"
        written = run_change_map(request(spec, [S21, after], out, patch_stride=stride, upsample=upsample))
        cos, cgt = read(written["cosine_map"])[0][0], read(written["cosine_map"])[1]
        scale = int(round(cgt[1] / gt[1]))
        r0 = int(round((cgt[3] - gt[3]) / gt[5]))
        c0 = int(round((cgt[0] - gt[0]) / gt[1]))
        rows, cols = np.nonzero(bad)
        i, j = (rows - r0) // scale, (cols - c0) // scale
        inside = (i >= 0) & (j >= 0) & (i < cos.shape[0]) & (j < cos.shape[1])
        assert inside.sum() > 500
        assert (cos[i[inside], j[inside]] == -100).all(), f"stride {stride} upsample {upsample}: nodata got a value"
        for kind in ("before_date", "after_date", "quality_fmask", "feature_maps_0", "classes"):
            layer, _g, _w, lnd = read(written[kind])
            assert (layer[:, i[inside], j[inside]] == lnd).all(), kind
        assert (cos != -100).sum() > 0.3 * cos.size


def test_georeferencing_of_each_mode(spec, tmp_path):
    _raw, gt, wkt, _nd = read(S21)
    x0, dx, _, y0, _, dy = gt
    cases = {  # (stride, upsample): (geotransform, width, height)
        (16, True): ((x0, dx, 0.0, y0, 0.0, dy), 130, 130),
        (16, False): ((x0, 16 * dx, 0.0, y0, 0.0, 16 * dy), 8, 8),  # edge tile 66 -> 64: 128 px, 2 px left out
        (1, True): ((x0 + 7 * dx, dx, 0.0, y0 + 7 * dy, 0.0, dy), 115, 115),
    }
    for (stride, upsample), (want_gt, w, h) in cases.items():
        out = tmp_path / f"g{stride}{upsample}"
        outputs = ChangeMapOutputs(cosine_map=str(out / "c.tif"), feature_maps={1: str(out / "f.tif")},
                                   reconstructions={0: str(out / "r.tif")})
        written = run_change_map(request(spec, [S21, S22], out, outputs=outputs, patch_stride=stride,
                                         upsample=upsample))
        for kind in ("cosine_map", "feature_maps_1"):
            arr, g, proj, _ = read(written[kind])
            assert tuple(g) == want_gt, (stride, upsample, kind, g)
            assert arr.shape[1:] == (h, w)
            assert proj == wkt
        # reconstructions are always on the input grid, over the union of the tiles
        arr, g, proj, nd = read(written["infer_0"])
        assert tuple(g)[1:] == gt[1:] and g[0] == x0 and g[3] == y0
        assert nd == -9999 and arr.shape == (6, 128 if (stride, upsample) == (16, False) else 130,
                                             128 if (stride, upsample) == (16, False) else 130)


def test_bbox_gives_the_full_run_values_on_its_pixels(spec, tmp_path):
    _raw, gt, wkt, _nd = read(A21)
    x0, dx, _, y0, _, dy = gt
    full = run_change_map(request(spec, [A21, A22], tmp_path / "full"))
    # a window on the tile grid: rows 64..192, cols 96..224 (no edge tile inside it)
    bbox = (x0 + 96 * dx, y0 + 192 * dy, x0 + 224 * dx, y0 + 64 * dy)
    part = run_change_map(request(spec, [A21, A22], tmp_path / "part", bbox=bbox))
    for kind in ("cosine_map", "feature_maps_0", "quality_fmask", "before_date"):
        a, ga, _, _ = read(part[kind])
        b, gb, _, _ = read(full[kind])
        assert ga[0] == x0 + 96 * dx and ga[3] == y0 + 64 * dy and a.shape[1:] == (128, 128)
        ring = 16  # the outer S/4 ring of the part comes from whole tiles, not from centres
        sub = b[:, 64 + ring:192 - ring, 96 + ring:224 - ring]
        np.testing.assert_array_equal(a[:, ring:-ring, ring:-ring], sub)
    # the same box given in another CRS (EPSG:4326) selects the same pixels (up to the transformed corners)
    from osgeo import osr

    src = osr.SpatialReference()
    src.ImportFromWkt(wkt)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon0, lat0, _ = osr.CoordinateTransformation(src, dst).TransformPoint(bbox[0] + 1, bbox[1] + 1)
    lon1, lat1, _ = osr.CoordinateTransformation(src, dst).TransformPoint(bbox[2] - 1, bbox[3] - 1)
    geo = run_change_map(request(spec, [A21, A22], tmp_path / "geo", bbox=(lon0, lat0, lon1, lat1),
                                 bbox_crs="EPSG:4326"))
    assert read(geo["cosine_map"])[1][0] <= x0 + 96 * dx


def test_second_date_in_another_crs_is_warped(spec, tmp_path):
    from osgeo import gdal

    other = tmp_path / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif"
    gdal.Warp(str(other), str(S22), dstSRS="EPSG:3979", xRes=20, yRes=20, resampleAlg="bilinear",
              srcNodata=-9999, dstNodata=-9999)
    aligned = tmp_path / "aligned" / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif"
    aligned.parent.mkdir()
    _raw, gt, wkt, _nd = read(S21)
    gdal.Warp(str(aligned), str(other), dstSRS=wkt, outputBounds=(gt[0], gt[3] + 130 * gt[5], gt[0] + 130 * gt[1],
                                                                   gt[3]),
              xRes=gt[1], yRes=-gt[5], resampleAlg="cubic", srcNodata=-9999, dstNodata=-9999, errorThreshold=0.125)

    class Log(Feedback):
        lines = []

        def info(self, message):
            self.lines.append(message)

    log = Log()
    warped = run_change_map(request(spec, [S21, other], tmp_path / "w"), log)
    assert any("warped" in line for line in log.lines)
    direct = run_change_map(request(spec, [S21, aligned], tmp_path / "d"))
    a, ga, pa, _ = read(warped["cosine_map"])
    b, gb, pb, _ = read(direct["cosine_map"])
    assert tuple(ga) == tuple(gb) and pa == wkt and a.shape == b.shape
    both = (a != -100) & (b != -100)
    assert both.sum() > 0.3 * a.size and np.array_equal(a == -100, b == -100)
    # one warp of the whole raster and one per tile agree but for the approximate transformer
    assert np.abs(a[both] - b[both]).max() < 1e-2


def test_photo_without_georeferencing(spec, tmp_path):
    raw21 = read(S21)[0]
    raw22 = read(S22)[0]
    a = write(tmp_path / "photo_a.tif", raw21)  # no geotransform, no CRS, no nodata (counts as 0)
    b = write(tmp_path / "photo_b.tif", np.where(raw22 == -9999, 0, raw22).astype(np.int16))
    outputs = ChangeMapOutputs(cosine_map=str(tmp_path / "out" / "c.tif"),
                               feature_maps={0: str(tmp_path / "out" / "f.tif")})
    fb = Warnings()
    written = run_change_map(request(spec, [a, b], tmp_path, outputs=outputs, patch_stride=16, upsample=False), fb)
    undated = [line for line in fb.lines if "acquisition date unknown" in line]
    assert len(undated) == 2 and str(a) in undated[0] and str(b) in undated[1]  # order and season unchecked
    cos, g, proj, _ = read(written["cosine_map"])
    assert proj == ""
    assert tuple(g) == (0.0, 16.0, 0.0, 0.0, 0.0, 16.0) and cos.shape[1:] == (8, 8)
    assert (cos != -100).any()


def test_static_single_image_and_three_dates(spec, tmp_path):
    outputs = ChangeMapOutputs(feature_maps={0: str(tmp_path / "s" / "f.tif")},
                               reconstructions={0: str(tmp_path / "s" / "r.tif")},
                               feature_tables={0: str(tmp_path / "s" / "t.csv")})
    written = run_change_map(request(spec, [S21], tmp_path, outputs=outputs))
    assert set(written) == {"feature_maps_0", "infer_0", "feature_table_0"}
    with pytest.raises(InputError, match="two or three dates"):
        run_change_map(request(spec, [S21], tmp_path / "x",
                               outputs=ChangeMapOutputs(cosine_map=str(tmp_path / "x" / "c.tif"))))
    third = tmp_path / "HLS.S30.T15SXR-cropS.2022250T163901.v2.0.tif"
    shutil.copy(S22, third)
    out = tmp_path / "t3"
    outputs = ChangeMapOutputs(cosine_map=str(out / "c.tif"), before_date=str(out / "b.tif"),
                               after_date=str(out / "a.tif"), feature_maps={2: str(out / "f2.tif")})
    written = run_change_map(request(spec, [S21, S22, third], out, outputs=outputs))
    before = read(written["before_date"])[0][0]
    assert set(np.unique(before)) <= {-100, 2021250, 2022245}
    assert (before == 2022245).sum() > 0.5 * (before != -100).sum()  # the identical date wins nearly everywhere
    assert set(np.unique(read(written["after_date"])[0])) <= {-100, 2022250}


def test_metadata_names_every_companion(spec, tmp_path):
    out = tmp_path / "o"
    outputs = ChangeMapOutputs(cosine_map=str(out / "tmp1.tif"), quality_fmask=str(out / "tmp2.tif"),
                               feature_maps={1: str(out / "tmp3.tif")}, feature_tables={0: str(out / "t.gpkg")})
    written = run_change_map(request(spec, [S21, S22], out, outputs=outputs))
    for kind, path in written.items():
        if not path.endswith(".tif"):
            continue
        meta = md.read_metadata(path)
        assert meta[md.KIND] == kind
        assert meta[md.INPUTS] == [str(S21), str(S22)]
        assert meta[md.DATES] == [2021250, 2022245]
        assert meta[md.COMPANIONS] == {k: v for k, v in written.items() if k != kind}
    assert read_desc(written["feature_maps_1"]) == ["f0", "f5", "f17", "f63"]


def read_desc(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    return [ds.GetRasterBand(b + 1).GetDescription() for b in range(ds.RasterCount)]


def test_feature_tables_hold_the_central_tokens(spec, tmp_path):
    out = tmp_path / "tab"
    outputs = ChangeMapOutputs(feature_maps={0: str(out / "f.tif")},
                               feature_tables={0: str(out / "t.csv"), 1: str(out / "t.gpkg")})
    written = run_change_map(request(spec, [S21, S22], out, outputs=outputs, upsample=False, embeddings=None))
    rows = np.loadtxt(written["feature_table_0"], delimiter=",", skiprows=1)
    header = open(written["feature_table_0"]).readline().strip().split(",")
    assert header[:3] == ["x", "y", "f0"] and len(header) == 2 + 64
    _raw, gt, _wkt, _ = read(S21)
    fmap, fgt, _, _ = read(written["feature_maps_0"])
    assert fmap.shape[0] == 64
    # points are patch corners; each central token's features are the stitched map's there
    col = (rows[:, 0] - fgt[0]) / fgt[1]
    row = (rows[:, 1] - fgt[3]) / fgt[5]
    assert np.allclose(col, np.round(col)) and np.allclose(row, np.round(row))
    unique, counts = np.unique(rows[:, :2], axis=0, return_counts=True)
    once = {tuple(p) for p, c in zip(unique, counts) if c == 1}
    sel = np.array([tuple(p) in once for p in rows[:, :2]])
    got = rows[sel, 2:]
    want = fmap[:, row[sel].astype(int), col[sel].astype(int)].T
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    from osgeo import ogr

    gpkg = ogr.Open(written["feature_table_1"])
    layer = gpkg.GetLayer()
    assert layer.GetFeatureCount() == len(rows) and layer.GetLayerDefn().GetFieldCount() == 64
    assert layer.GetMetadataItem(md.KIND) == "feature_table_1"


def test_parquet_table(spec, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    outputs = ChangeMapOutputs(feature_tables={0: str(out / "t.geoparquet")})
    written = run_change_map(request(spec, [S21, S22], out, outputs=outputs))
    table = pq.read_table(written["feature_table_0"])
    assert table.schema.field("f0").type == pa.float16()
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["crs"]["type"] == "ProjectedCRS"


def test_cancel_leaves_no_file(spec, tmp_path):
    class CancelSoon(Feedback):
        calls = 0

        def progress(self, fraction, message=""):
            if message.startswith("tile batch"):
                self.calls += 1

        def is_cancelled(self):
            return self.calls >= 1

    out = tmp_path / "cancel"
    outputs = ChangeMapOutputs(cosine_map=str(out / "c.tif"), feature_maps={0: str(out / "f.tif")},
                               reconstructions={1: str(out / "r.tif")}, feature_tables={0: str(out / "t.gpkg")})
    with pytest.raises(Cancelled):
        run_change_map(request(spec, [A21, A22], out, outputs=outputs), CancelSoon())
    assert not out.exists(), "a cancelled run leaves no file and removes the folder it created"


def test_errors_before_any_model_work(spec, tmp_path, monkeypatch):
    import planaura_plugin.model.loading as loading

    def no_model(*a, **k):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(loading, "get_runner", no_model)
    out = tmp_path / "e"
    garbage = tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
    garbage.write_text("not a raster")
    with pytest.raises(InputError, match=str(garbage)):
        run_change_map(request(spec, [S21, garbage], out))
    with pytest.raises(InputError, match="missing.tif"):
        run_change_map(request(spec, [S21, tmp_path / "missing.tif"], out))
    raw, gt, wkt, _ = read(S22)
    five = write(tmp_path / "five.2022245T.tif", raw[:5], gt, wkt, -9999)
    with pytest.raises(InputError, match=r"five\.2022245T\.tif has 5 band.*expects 6"):
        run_change_map(request(spec, [S21, five], out))
    far = write(tmp_path / "far.2022245T.tif", raw, (gt[0] + 1e5, gt[1], 0, gt[3], 0, gt[5]), wkt, -9999)
    with pytest.raises(InputError, match="does not overlap"):
        run_change_map(request(spec, [S21, far], out))
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot write"):
        run_change_map(request(spec, [S21, S22], out, outputs=ChangeMapOutputs(cosine_map=str(blocker / "c.tif"))))
    copy = tmp_path / "in.2021250T.tif"
    shutil.copy(S21, copy)
    with pytest.raises(OutputError, match="also an input"):
        run_change_map(request(spec, [copy, S22], out, outputs=ChangeMapOutputs(cosine_map=str(copy))))
    assert not out.exists() or list(out.iterdir()) == []


def test_inputs_are_never_modified(spec, tmp_path):
    a = tmp_path / "in" / "HLS.S30.T15SXR-cropS.2021250T163901.v2.0.tif"
    a.parent.mkdir()
    shutil.copy(S21, a)
    shutil.copy(S21.parent / ("fmask_" + S21.name), a.parent / ("fmask_" + S21.name))
    before = {p.name: digest(p) for p in a.parent.iterdir()}
    run_change_map(request(spec, [a, S22], tmp_path / "o"))
    assert {p.name: digest(p) for p in a.parent.iterdir()} == before


class Warnings(Feedback):
    def __init__(self):
        self.lines = []

    def warning(self, message):
        self.lines.append(message)


def test_no_valid_tile_writes_nothing_and_says_why(spec, tmp_path):
    raw, gt, wkt, _ = read(S22)
    empty = write(tmp_path / "empty.2022245T.tif", np.full_like(raw, -9999), gt, wkt, -9999)
    out = tmp_path / "n"
    fb = Warnings()
    assert run_change_map(request(spec, [S21, empty], out), fb) == {}
    assert not out.exists() or list(out.iterdir()) == []
    assert "16 of the 16 tiles of " + str(empty) in fb.lines[0] and "30 % nodata" in fb.lines[0]
    shifted = write(tmp_path / "shifted.2022245T.tif", raw, (gt[0] + 100 * gt[1], gt[1], 0, gt[3], 0, gt[5]), wkt,
                    -9999)
    fb = Warnings()
    assert run_change_map(request(spec, [S21, shifted], out), fb) == {}
    assert str(shifted) in fb.lines[0] and "smaller than one tile" in fb.lines[0]


# ------------------------------------------------------------------------------------------------
# Fmask fill (SPEC 7 fix) and classes
# ------------------------------------------------------------------------------------------------
def test_fmask_fill_is_no_information(spec, tmp_path):
    raw21, gt, wkt, _ = read(S21)
    fm = np.zeros(raw21.shape[1:], dtype=np.uint8)
    fm[32:48, 32:48] = 255  # one whole patch of fill in the first date
    fm[48:64, 48:64] = 2  # a patch of cloud (bit 1 -> code 1)
    fm[50, 50] = 255  # a fill pixel inside it is ignored
    d = tmp_path / "f"
    d.mkdir()
    a = d / S21.name
    shutil.copy(S21, a)
    write(d / ("fmask_" + S21.name), fm, gt, wkt)
    out = tmp_path / "o"
    outputs = ChangeMapOutputs(quality_fmask=str(out / "q.tif"))
    clear = write(d / "clear_after.tif", np.zeros(read(S22)[0].shape[1:], dtype=np.uint8), *read(S22)[1:3])
    written = run_change_map(request(spec, [a, S22], out, outputs=outputs, upsample=False,
                                     fmasks=[str(d / ("fmask_" + S21.name)), str(clear)]))
    q = read(written["quality_fmask"])[0][0]
    assert q[3, 3] == 1  # patch rows/cols 48..64: the cloud, not "high aerosol" from the fill pixel
    assert q[2, 2] == 0  # a patch of fill only, with a clear after date: clear, not 6


def test_worst_quality_and_classes():
    which = np.array([[0, 1, -100, 0]])
    f0 = np.array([[1, 4, 2, 255]], np.uint8)
    f1 = np.array([[3, 0, 0, 255]], np.uint8)
    f2 = np.array([[2, 2, 2, 6]], np.uint8)
    assert worst_quality(which, [f0, f1, f2]).tolist() == [[2, 2, 255, 6]]
    assert worst_quality(np.array([[0]]), [np.array([[255]], np.uint8), np.array([[255]], np.uint8)]).tolist() \
        == [[255]]
    cos = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, -0.2, -100.0], np.float32)
    assert change_classes(cos, (0.8, 0.6, 0.4)).tolist() == [1, 2, 2, 3, 3, 4, 4, 0]


def test_embeddings_wrapper(spec, tmp_path):
    from planaura_plugin.pipeline.change import run_embeddings

    alone = run_embeddings(str(S21), str(tmp_path / "a.tif"), model=spec, embeddings=[1, 2])
    with_context = run_embeddings(str(S21), str(tmp_path / "b.tif"), model=spec, embeddings=[1, 2], context=str(S22))
    a, b = read(alone["feature_maps_0"])[0], read(with_context["feature_maps_0"])[0]
    assert a.shape == b.shape == (2, 130, 130)
    assert md.read_metadata(alone["feature_maps_0"])[md.INPUTS] == [str(S21)]
    assert not np.array_equal(a, b)  # the second date is context: the embeddings change


def test_balanced_batches():
    from planaura_plugin.pipeline.change.run import balanced_batches

    assert [len(b) for b in balanced_batches(list(range(9)), 4)] == [3, 3, 3]
    assert [len(b) for b in balanced_batches(list(range(10)), 4)] == [4, 3, 3]
    assert [len(b) for b in balanced_batches(list(range(8)), 4)] == [4, 4]
    assert balanced_batches(list(range(3)), 1) == [[0], [1], [2]]
    assert sum(balanced_batches(list(range(17)), 4), []) == list(range(17))
    assert balanced_batches([], 4) == []
