"""Change over time end to end on a synthetic series of the real scene, with the tiny random model.

The series (``tests/series_data.py``): six dates ten days apart (2021-09-07 .. 2021-10-27) of one
clean 128 x 128 px crop with tiny noise (sigma 5 DN); from the fourth date (index 3, 2021-10-07)
the patch BURN holds the burn scar of the synthetic 2022 image; at the second date (index 1,
2021-09-17) a bright cloud over the patch CLOUD, flagged cloud in its quality layer over CLOUD_MASK
(the blob and one model patch around it).

The threshold: with these random weights the cosines of unchanged pairs (tiny noise only) are all
>= 0.998, those in the burn patch's interior <= 0.39 at its date, and those the cloud leaves outside
its quality mask >= 0.949; 0.8 lies between. The upsampled change map spreads a change about one
model patch (16 px) outward (cubic interpolation between patch centres), so "exactly at the date"
is checked in the patch shrunk by half a patch and "nodata elsewhere" outside the patch grown by
one patch.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Dict

import numpy as np
import pytest

from series_data import BURN, CLOUD_MASK, make_series, patch_mask, series_dates
from support import TINY
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.presets import HLS
from planaura_plugin.products import COSINE_NODATA, DATE_NODATA
from planaura_plugin.series import run as series_run
from planaura_plugin.series.date_of_change import MergeRule, PairMaps, merge_pairs
from planaura_plugin.series.run import SERIES_KINDS, SeriesRequest, run_series

THRESHOLD = 0.8
N, CHANGE_AT, CLOUD_AT = 6, 3, 1
DATES = series_dates(N)
SHAPE = (128, 128)
INSIDE = patch_mask(SHAPE, BURN, -8)
OUTSIDE = ~patch_mask(SHAPE, BURN, 16)
CLOUDY = patch_mask(SHAPE, CLOUD_MASK)
POINTS = (("burn", 0, 0), ("field", 0, 0))  # coordinates set from the grid in `images`


def read(path) -> np.ndarray:
    from osgeo import gdal

    ds = gdal.Open(str(path))
    return ds.ReadAsArray()


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> Dict[int, Path]:
    return make_series(tmp_path_factory.mktemp("series_in"), n=N, change_at=CHANGE_AT, cloud_at=CLOUD_AT)


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=4)


def points_of(images):
    from osgeo import gdal

    gt = gdal.Open(str(images[DATES[0]])).GetGeoTransform()
    at = {"burn": (40, 40), "field": (8, 120)}  # (row, col): the burn's interior; a never-changed corner
    return [(name, gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]) for name, (r, c) in at.items()]


def request(images, spec, out: Path, **kw) -> SeriesRequest:
    paths = kw.pop("paths", [str(p) for p in images.values()])
    return SeriesRequest(inputs=paths, output_dir=str(out), model=spec, rule=kw.pop("rule", MergeRule(THRESHOLD)),
                         kinds=SERIES_KINDS, points=points_of(images), **kw)


@pytest.fixture(scope="module")
def consecutive(images, spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("series_consecutive")
    return out, run_series(request(images, spec, out))


def test_date_of_change_is_the_burn_date_in_the_patch_and_nodata_elsewhere(consecutive):
    _out, written = consecutive
    first, last = DATES[0], DATES[-1]
    assert sorted(written) == sorted(SERIES_KINDS + ("report",))
    assert Path(written["date_of_change"]).name == f"date_of_change_{first}_{last}.tif"
    date = read(written["date_of_change"])
    assert (date[INSIDE] == DATES[CHANGE_AT]).all()
    assert (date[OUTSIDE] == DATE_NODATA).all()
    # the cloud's pairs (ending at the cloud date and the next one) never give a date, anywhere
    assert not np.isin(date, DATES[CLOUD_AT:CLOUD_AT + 2]).any()
    cos = read(written["cosine_per_pair"])
    intensity = read(written["change_intensity"])
    assert np.array_equal(intensity[INSIDE], cos[CHANGE_AT - 1][INSIDE]) and (intensity[INSIDE] < THRESHOLD).all()
    assert (intensity[date == DATE_NODATA] == np.float32(COSINE_NODATA)).all()


def test_observation_counts_are_exact(consecutive):
    count = read(consecutive[1]["valid_observations"])
    assert count.dtype == np.uint16
    assert (count[CLOUDY] == N - 3).all()  # 5 pairs, 2 of them see the cloud date
    assert (count[~CLOUDY] == N - 1).all()


def test_cosine_per_pair_bands_are_the_pairs(consecutive):
    from osgeo import gdal

    ds = gdal.Open(consecutive[1]["cosine_per_pair"])
    names = [ds.GetRasterBand(b + 1).GetDescription() for b in range(ds.RasterCount)]
    assert names == [f"{a}_{b}" for a, b in zip(DATES, DATES[1:])]
    assert ds.GetMetadataItem("PLANAURA_KIND") == "cosine_per_pair"


def test_report_areas_and_points(consecutive, images):
    from planaura_plugin.analysis.areas import AreaMeter
    from osgeo import gdal

    written = consecutive[1]
    page = Path(written["report"]).read_text(encoding="utf-8")
    assert "<svg" in page and "Changed area per date of change" in page and "Cosine through time" in page
    rows = Path(written["report"]).with_suffix(".csv").read_text().splitlines()
    assert rows[0] == "date,yyyyddd,changed_area_ha" and len(rows) == N
    # the area of the burn date is the ellipsoidal area of its pixels
    ds = gdal.Open(written["date_of_change"])
    meter = AreaMeter(ds.GetProjection(), ds.GetGeoTransform(), SHAPE, "d")
    date = read(written["date_of_change"])
    want = meter.strip_m2(0, SHAPE[0])[date == DATES[CHANGE_AT]].sum() / 1e4
    assert rows[CHANGE_AT].split(",") == ["2021-10-07", str(DATES[CHANGE_AT]), f"{want:.2f}"]
    assert 0.9 * 48 * 48 * 0.09 < want < 1.6 * 48 * 48 * 0.09  # 48 x 48 px of 30 m, and its ring
    assert all(r.endswith(",0.00") for i, r in enumerate(rows[1:], 1) if i != CHANGE_AT)


def test_point_cosines_through_time(consecutive, images):
    from planaura_plugin.series.report import point_cosines

    out = consecutive[0]
    maps = _maps(out, zip(DATES, DATES[1:]))
    cos = read(consecutive[1]["cosine_per_pair"])
    got = point_cosines(maps, points_of(images))
    assert got["burn"] == pytest.approx([float(c) for c in cos[:, 40, 40]])
    assert got["burn"][CHANGE_AT - 1] < THRESHOLD < min(got["field"])
    # in the points' own CRS (geographic) they are the same pixels
    geographic = [(n, *_to_lonlat(x, y, images)) for n, x, y in points_of(images)]
    assert point_cosines(maps, geographic, "EPSG:4326") == got


def _to_lonlat(x, y, images):
    from osgeo import gdal, osr

    src = osr.SpatialReference(wkt=gdal.Open(str(images[DATES[0]])).GetProjection())
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon, lat, _z = osr.CoordinateTransformation(src, dst).TransformPoint(x, y)
    return lon, lat


def test_reference_pairs_see_a_lasting_change_in_every_later_pair(consecutive, images, spec, tmp_path):
    """The documented difference: consecutive pairs see the burn once (the pair ending at its date);
    pairs against the first date see it in every pair from its date on, so the first persistent
    change over 3 observations is its date, while consecutive pairs never persist."""
    written = run_series(request(images, spec, tmp_path, pairing="reference"))
    cos = read(written["cosine_per_pair"])
    below = (cos < THRESHOLD) & INSIDE
    assert [bool(b[INSIDE].all()) for b in below] == [i >= CHANGE_AT for i in range(1, N)]
    assert set(np.unique(read(written["date_of_change"])[INSIDE])) <= set(DATES[CHANGE_AT:])
    count = read(written["valid_observations"])
    assert (count[CLOUDY] == N - 2).all() and (count[~CLOUDY] == N - 1).all()  # one pair sees the cloud
    maps = _maps(tmp_path, [(DATES[0], b) for b in DATES[1:]])
    persistent = {"date_of_change": str(tmp_path / "persistent.tif")}
    merge_pairs(maps, persistent, MergeRule(THRESHOLD, "first_persistent", 3))
    date = read(persistent["date_of_change"])
    assert (date[INSIDE] == DATES[CHANGE_AT]).all() and (date[OUTSIDE] == DATE_NODATA).all()
    # consecutive pairs: the burn is below the threshold in one pair only, so it never persists
    consecutive_maps = _maps(consecutive[0], [(a, b) for a, b in zip(DATES, DATES[1:])])
    merge_pairs(consecutive_maps, persistent, MergeRule(THRESHOLD, "first_persistent", 2))
    assert (read(persistent["date_of_change"]) == DATE_NODATA).all()


def _maps(out: Path, pairs):
    return [PairMaps(f"{a}_{b}", b, str(out / "pairs" / f"cosine_map_{a}_{b}.tif"),
                     str(out / "pairs" / f"quality_fmask_{a}_{b}.tif")) for a, b in pairs]


def test_shuffled_order_gives_the_same_bytes_and_a_second_run_no_model_work(consecutive, images, spec, tmp_path,
                                                                            monkeypatch):
    paths = [str(p) for p in images.values()]
    shuffled = [paths[i] for i in np.random.default_rng(7).permutation(len(paths))]
    assert shuffled != paths
    written = run_series(request(images, spec, tmp_path, paths=shuffled))
    for kind, path in consecutive[1].items():
        assert digest(written[kind]) == digest(path), kind

    def no_model(change):
        raise AssertionError("a pair was computed again")

    monkeypatch.setattr(series_run, "run_pair_task", no_model)
    again = run_series(request(images, spec, tmp_path))
    for kind, path in consecutive[1].items():
        assert digest(again[kind]) == digest(path), kind
    # another threshold needs no model work either: only the merge runs again
    dated = (read(again["date_of_change"]) != DATE_NODATA).sum()
    lower = run_series(request(images, spec, tmp_path, rule=MergeRule(0.2)))
    assert 0 < (read(lower["date_of_change"]) != DATE_NODATA).sum() < dated
    # a damaged pair map is computed again
    damaged = tmp_path / "pairs" / f"cosine_map_{DATES[0]}_{DATES[1]}.tif"
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(AssertionError, match="computed again"):
        run_series(request(images, spec, tmp_path))


def test_two_dask_workers_give_the_same_bytes(consecutive, images, spec, tmp_path):
    pytest.importorskip("distributed")
    written = run_series(replace(request(images, spec, tmp_path), scheduler="local:2"))
    for kind, path in consecutive[1].items():
        assert digest(written[kind]) == digest(path), kind


def test_the_yaml_form_gives_the_same_bytes(consecutive, images, tiny_checkpoint, tmp_path, monkeypatch, capsys):
    """``python -m planaura_plugin.series CONFIG.yaml``: upstream's model keys, images from a CSV (shuffled,
    with the dates given), points from a CSV; the same files as the API's run."""
    import yaml

    from planaura_plugin.series.__main__ import main

    monkeypatch.chdir(tmp_path)
    rows = ["image,date"] + [f"{p},{_iso(d)}" for d, p in reversed(list(images.items()))]
    (tmp_path / "series.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "points.csv").write_text("name,x,y\n" + "".join(f"{n},{x!r},{y!r}\n" for n, x, y in points_of(images)))
    config = {"model_params": {**TINY, "load_params": {"source": "local", "checkpoint_path": str(tiny_checkpoint)}},
              "use_gpu": False, "batch_size": 4,
              "change_over_time": {"images_csv": "series.csv", "threshold": THRESHOLD, "outputs": list(SERIES_KINDS),
                                   "points_csv": "points.csv", "output_dir": "out"}}
    (tmp_path / "series.yaml").write_text(yaml.safe_dump(config))
    assert main(["series.yaml"]) == 0
    printed = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines() if ": " in line)
    for kind, path in consecutive[1].items():
        assert digest(printed[kind]) == digest(path), kind
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({"change_over_time": {"images": [], "treshold": 0.5}}))
    assert main(["bad.yaml"]) == 1
    assert "unknown key(s) treshold" in capsys.readouterr().err


def _iso(yyyyddd: int) -> str:
    from planaura_plugin.dates import format_date

    return format_date(yyyyddd)
