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


class _Warnings:
    """A feedback that keeps the warnings (and is silent otherwise)."""

    def __init__(self):
        from planaura_plugin.feedback import Feedback

        self.list = []
        outer = self

        class Keep(Feedback):
            def warning(self, message):
                outer.list.append(message)

        self.feedback = Keep()


@pytest.mark.parametrize("max_similarity, min_cluster_size, expected", [
    (0.2, 15, ["no pixel of the change map has a cosine below MAX_SIMILARITY 0.2", "raise MAX_SIMILARITY"]),
    (0.9, 2000, ["1100 changed pixel(s)", "fewer than MIN_CLUSTER_SIZE 2000", "lower MIN_CLUSTER_SIZE to 550"]),
    (0.9, 1000, ["no group of at least MIN_CLUSTER_SIZE 1000", "1100 sampled of 1100", "scattered",
                 "lower MIN_CLUSTER_SIZE (e.g. 500)"]),
])
def test_no_type_found_says_why_and_what_to_change(tmp_path, max_similarity, min_cluster_size, expected):
    cos, f0, f1, changed, _left, _right = synthetic(tmp_path)
    assert int(changed.sum()) == 1100
    kept = _Warnings()
    written = run_change_types(ChangeTypesRequest(cosine_map=cos, feature_maps=(f0, f1),
                                                  output=str(tmp_path / "types.tif"), max_similarity=max_similarity,
                                                  min_cluster_size=min_cluster_size, sample_size=5000, memory_mb=1),
                               kept.feedback)
    assert json.load(open(written["types"]))["types"] == []
    assert len(kept.list) == 1 and all(part in kept.list[0] for part in expected), kept.list


def test_types_found_give_no_such_warning(tmp_path):
    cos, f0, f1, *_rest = synthetic(tmp_path)
    kept = _Warnings()
    run_change_types(ChangeTypesRequest(cosine_map=cos, feature_maps=(f0, f1), output=str(tmp_path / "types.tif"),
                                        max_similarity=0.9, min_cluster_size=15, sample_size=500, memory_mb=1),
                     kept.feedback)
    assert not kept.list


def noisy_kinds(seed, channels=768, noise=0.6, sizes=(400, 700)):
    """Unit directions of two change kinds (channel 0 and 5, magnitude 2-4) with noise in every channel: in 768
    channels the noise's norm (0.5 x sqrt(768) = 14) dwarfs the change (bench/change_types_reduction.py)."""
    rng = np.random.default_rng(seed)
    diff = rng.normal(scale=noise, size=(sum(sizes), channels))
    diff[:sizes[0], 0] += rng.uniform(2, 4, sizes[0])
    diff[sizes[0]:, 5] += rng.uniform(2, 4, sizes[1])
    return (diff / np.linalg.norm(diff, axis=1, keepdims=True)).astype(np.float32), \
        np.r_[np.zeros(sizes[0], int), np.ones(sizes[1], int)]


@pytest.mark.parametrize("seed", range(4))
def test_high_dimensional_kinds_are_found_after_the_projection(seed):
    from sklearn.metrics import adjusted_rand_score

    from planaura_plugin.analysis.change_types import DEFAULT_COMPONENTS, assign_types, fit_types

    directions, truth = noisy_kinds(seed)
    types = fit_types(directions, directions, 20)  # the default: PCA to DEFAULT_COMPONENTS first
    labels = assign_types(directions, types)
    assert DEFAULT_COMPONENTS == 16 and len(types) == 2
    assert adjusted_rand_score(truth, labels) >= 0.95 and (labels < 0).mean() <= 0.02
    # the directions as they are: distances concentrate, HDBSCAN calls (nearly) everything noise
    raw = assign_types(directions, fit_types(directions, directions, 20, components=0))
    assert adjusted_rand_score(truth, raw) < 0.5
    # types are described in the full space, whatever HDBSCAN saw: 768-channel unit directions
    assert all(len(t["direction"]) == 768 and np.linalg.norm(t["direction"]) == pytest.approx(1.0) for t in types)


def test_projection_of_few_or_narrow_directions_is_the_identity():
    from planaura_plugin.analysis.change_types import reduced_directions

    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 6))
    for components in (0, 6, 10, 50):
        assert np.array_equal(reduced_directions(x, components), x)
    y = reduced_directions(rng.normal(size=(40, 32)), 5)
    assert y.shape == (40, 5) and np.allclose(np.linalg.norm(y, axis=1), 1.0)


def test_components_are_written_and_checked(tmp_path):
    cos, f0, f1, changed, left, right = synthetic(tmp_path)
    req = ChangeTypesRequest(cosine_map=cos, feature_maps=(f0, f1), output=str(tmp_path / "types.tif"),
                             max_similarity=0.9, min_cluster_size=15, components=4)
    written = run_change_types(req)
    data = json.load(open(written["types"]))
    assert data["components"] == 4 and len(data["types"]) == 2
    with pytest.raises(Exception, match="components 0 or more"):
        run_change_types(ChangeTypesRequest(**{**req.__dict__, "components": -1,
                                               "output": str(tmp_path / "bad.tif")}))
    assert not (tmp_path / "bad.tif").exists()


@pytest.mark.parametrize("components, recorded, warned", [(0, 0, False), (1, 1, False), (16, 0, False),
                                                            (1000, 0, True)])
def test_components_beyond_the_channels_are_warned_and_recorded_as_used(tmp_path, components, recorded, warned):
    from planaura_plugin.feedback import Feedback

    class Recording(Feedback):
        def __init__(self) -> None:
            self.warnings: list = []

        def warning(self, message: str) -> None:
            self.warnings.append(message)

    cos, f0, f1, *_rest = synthetic(tmp_path)  # 16 channels
    log = Recording()
    req = ChangeTypesRequest(cosine_map=cos, feature_maps=(f0, f1), output=str(tmp_path / "types.tif"),
                             max_similarity=0.9, min_cluster_size=15, components=components)
    data = json.load(open(run_change_types(req, log)["types"]))
    assert data["components"] == recorded
    assert [w for w in log.warnings if "principal components" in w] == (
        ["1000 principal components asked, but the embeddings have 16 channels: the change directions are clustered "
         "on all channels (as with 0)"] if warned else [])
