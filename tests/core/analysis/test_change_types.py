"""Change types: synthetic embeddings with two known change directions give two types."""
from __future__ import annotations

import json

import numpy as np
import pytest

from area_truth import region_area_m2
from planaura_plugin.analysis.change_types import ChangeTypesRequest, run_change_types

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

pytest.importorskip("sklearn.cluster", reason="scikit-learn (requirements.txt) is needed for change types")


def write(path, array, nodata=-100.0):
    from osgeo import gdal, osr

    array = np.asarray(array, dtype=np.float32)
    if array.ndim == 2:
        array = array[None]
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[2], array.shape[1], array.shape[0],
                                              gdal.GDT_Float32)
    ds.SetGeoTransform([500000.0, 30.0, 0.0, 4000000.0, 0.0, -30.0])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(array.shape[0]):
        ds.GetRasterBand(b + 1).SetNoDataValue(nodata)
        ds.GetRasterBand(b + 1).WriteArray(array[b])
    ds = None
    return str(path)


def synthetic(tmp_path, seed=1):
    """60 x 60 px, 16 channels: left block changes along u, right block along v, elsewhere no change."""
    rng = np.random.default_rng(seed)
    h = w = 60
    e = 16
    f0 = rng.normal(size=(e, h, w)).astype(np.float32)
    f1 = f0 + rng.normal(scale=0.01, size=f0.shape).astype(np.float32)
    u, v = np.zeros(e), np.zeros(e)
    u[0], v[5] = 1.0, 1.0
    left, right = (slice(10, 30), slice(5, 25)), (slice(30, 55), slice(30, 58))
    for (rows, cols), d in ((left, u), (right, v)):
        scale = rng.uniform(2.0, 4.0, size=(rows.stop - rows.start, cols.stop - cols.start))
        f1[:, rows, cols] += d[:, None, None] * scale[None] + rng.normal(scale=0.05, size=(e,) + scale.shape)
    changed = np.zeros((h, w), bool)
    changed[left] = changed[right] = True
    cos = np.where(changed, 0.3, 0.98)
    cos[0, :] = -100
    return (write(tmp_path / "cos.tif", cos), write(tmp_path / "f0.tif", f0), write(tmp_path / "f1.tif", f1),
            changed, left, right)


def read(path):
    from osgeo import gdal

    return gdal.Open(str(path)).ReadAsArray()


def test_two_known_directions_give_two_types_deterministically(tmp_path):
    cos, f0, f1, changed, left, right = synthetic(tmp_path)
    req = ChangeTypesRequest(cosine_map=cos, feature_maps=(f0, f1), output=str(tmp_path / "types.tif"),
                             max_similarity=0.9, min_cluster_size=15, sample_size=500, memory_mb=1)
    written = run_change_types(req)
    types = read(written["change_types"])
    assert (types[~changed] == -100).all()
    ids_left, ids_right = np.unique(types[left]), np.unique(types[right])
    assert len(ids_left) == 1 and len(ids_right) == 1 and ids_left[0] != ids_right[0] and ids_left[0] >= 0
    data = json.load(open(written["types"]))
    assert len(data["types"]) == 2
    big = {t["type"]: t for t in data["types"]}
    assert big[int(ids_right[0])]["pixels"] == 25 * 28 and big[int(ids_left[0])]["pixels"] == 20 * 20
    direction = np.array(big[int(ids_left[0])]["direction"])
    assert np.argmax(np.abs(direction)) == 0 and big[int(ids_right[0])]["centre"][5] == pytest.approx(3.0, abs=0.2)
    # the true area of the 400 pixels of 30 m in UTM 15 near its central meridian (planar: 36 ha)
    left_mask = np.zeros(changed.shape, bool)
    left_mask[left] = True
    assert big[int(ids_left[0])]["area_ha"] == pytest.approx(region_area_m2(cos, left_mask) / 1e4, rel=1e-6)
    assert data["area_note"].startswith("area_ha: true areas on the WGS 84 ellipsoid")
    again = run_change_types(ChangeTypesRequest(**{**req.__dict__, "output": str(tmp_path / "again.tif")}))
    assert (read(again["change_types"]) == types).all()


def test_saved_types_assign_new_pixels(tmp_path):
    cos, f0, f1, changed, left, right = synthetic(tmp_path)
    first = run_change_types(ChangeTypesRequest(cosine_map=cos, feature_maps=(f0, f1),
                                                output=str(tmp_path / "types.tif"), max_similarity=0.9,
                                                min_cluster_size=15))
    other = tmp_path / "other"
    other.mkdir()
    cos2, g0, g1, changed2, left2, right2 = synthetic(other, seed=7)
    second = run_change_types(ChangeTypesRequest(cosine_map=cos2, feature_maps=(g0, g1),
                                                 output=str(other / "types.tif"), max_similarity=0.9,
                                                 types_in=first["types"]))
    a, b = read(first["change_types"]), read(second["change_types"])
    assert np.unique(b[left2]).tolist() == np.unique(a[left]).tolist()
    assert np.unique(b[right2]).tolist() == np.unique(a[right]).tolist()


@pytest.mark.parametrize("content, why", [("not json", "is not a change types file"),
                                          (json.dumps({"types": [{"type": 0, "direction": [1.0] * 16}]}),
                                           "have [16] embedding channels; the embeddings given have 3")])
def test_a_wrong_types_file_is_refused_before_any_model_work(tmp_path, content, why):
    from support import TINY
    from planaura_plugin.analysis.change_types import change_types_of_pair
    from planaura_plugin.errors import InputError
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    types = tmp_path / "earlier.types.json"
    types.write_text(content)
    missing_weights = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tmp_path / "none.pth"))
    request = ChangeMapRequest(inputs=[str(tmp_path / "a.tif"), str(tmp_path / "b.tif")],  # never opened
                               outputs=ChangeMapOutputs(), model=missing_weights, embeddings=[0, 1, 2])
    with pytest.raises(InputError, match=why.replace("[", r"\[").replace("]", r"\]")):
        change_types_of_pair(request, str(tmp_path / "types.tif"), 0.6, 20, types_in=str(types))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier.types.json"]
