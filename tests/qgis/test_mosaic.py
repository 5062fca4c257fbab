"""planaura:persistencemosaic through processing.run, fed by planaura:changemap outputs, under both GDAL
exceptions states (off as on QGIS 3.22, on for gdal, ogr and osr as on QGIS >= 3.40 once Processing is loaded)."""
from __future__ import annotations

import numpy as np
import pytest

from support import REPO

pytestmark = [pytest.mark.qgis, pytest.mark.usefixtures("gdal_exceptions")]

HLS_SAMPLE = REPO / "sample_data" / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds


@pytest.fixture(scope="module")
def two_change_maps(tmp_path_factory, planaura_provider, pair_a, pair_b, tiny_model):
    """Change maps of pairs A and B under names that say nothing (as the modeler's temporary files)."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    out = tmp_path_factory.mktemp("mosaic_inputs")
    maps = []
    for label, pair in (("a", pair_a), ("b", pair_b)):
        folder = out / label
        folder.mkdir()
        params = {"BEFORE": pair["before"], "AFTER": pair["after"], **tiny_model,
                  "OUTPUT": str(folder / "OUTPUT.tif"), "OUTPUT_BEFORE_DATE": str(folder / "OUTPUT_BEFORE_DATE.tif"),
                  "OUTPUT_AFTER_DATE": str(folder / "OUTPUT_AFTER_DATE.tif"),
                  "OUTPUT_QUALITY": str(folder / "OUTPUT_QUALITY.tif")}
        processing.run("planaura:changemap", params, feedback=QgsProcessingFeedback(), context=QgsProcessingContext())
        maps.append({k: params[k] for k in params if k.startswith("OUTPUT")})
    return maps


def test_companions_found_from_metadata(tmp_path, run_alg, two_change_maps):
    outputs = {"OUTPUT": "mosaic.tif", "OUTPUT_PERSISTENCE": "persistence.tif", "OUTPUT_BEFORE_DATE": "bd.tif",
               "OUTPUT_AFTER_DATE": "ad.tif", "OUTPUT_QUALITY": "q.tif", "OUTPUT_BEFORE_INPUT": "bi.tif"}
    params = {"CHANGE_MAPS": [m["OUTPUT"] for m in two_change_maps]}
    params.update({k: str(tmp_path / v) for k, v in outputs.items()})
    results = run_alg("planaura:persistencemosaic", params)
    for key, name in outputs.items():
        assert results[key] == str(tmp_path / name)
        assert (tmp_path / name).with_suffix(".qml").exists(), name
    mosaic = read(tmp_path / "mosaic.tif")
    from osgeo import osr

    srs = osr.SpatialReference(wkt=mosaic.GetProjection())
    # no target CRS given: the change maps' (UTM zone 15N of the HLS tile), not EPSG:3979
    assert srs.IsSame(osr.SpatialReference(wkt=read(two_change_maps[0]["OUTPUT"]).GetProjection()))
    gt = mosaic.GetGeoTransform()
    assert gt[1] == pytest.approx(30) and gt[5] == pytest.approx(-30)
    persistence = read(tmp_path / "persistence.tif").ReadAsArray()
    assert persistence.max() == 2 and set(np.unique(persistence)) <= {0, 1, 2}
    dates = read(tmp_path / "bd.tif").ReadAsArray()
    assert set(np.unique(dates[persistence > 0])) <= {2021250}
    assert read(tmp_path / "bi.tif").RasterCount == 6


def test_explicit_companion_lists(tmp_path, run_alg, two_change_maps):
    params = {"CHANGE_MAPS": [m["OUTPUT"] for m in two_change_maps],
              "AFTER_DATES": [m["OUTPUT_AFTER_DATE"] for m in two_change_maps],
              "TARGET_CRS": "EPSG:32615", "TARGET_RESOLUTION": 60,
              "OUTPUT": str(tmp_path / "m.tif"), "OUTPUT_PERSISTENCE": str(tmp_path / "p.tif"),
              "OUTPUT_AFTER_DATE": str(tmp_path / "ad.tif")}
    run_alg("planaura:persistencemosaic", params)
    gt = read(tmp_path / "m.tif").GetGeoTransform()
    assert gt[1] == pytest.approx(60)
    after = read(tmp_path / "ad.tif").ReadAsArray()
    assert 2022245 in np.unique(after)


def test_list_lengths_must_match(tmp_path, run_alg, two_change_maps):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="one per change map"):
        run_alg("planaura:persistencemosaic", {
            "CHANGE_MAPS": [m["OUTPUT"] for m in two_change_maps],
            "BEFORE_DATES": [two_change_maps[0]["OUTPUT_BEFORE_DATE"]],
            "OUTPUT": str(tmp_path / "m.tif"), "OUTPUT_PERSISTENCE": str(tmp_path / "p.tif")})
    assert not (tmp_path / "m.tif").exists()


def test_cancel_leaves_no_output(tmp_path, run_alg, two_change_maps, recording_feedback, list_files):
    from qgis.core import QgsProcessingException

    feedback = recording_feedback(cancel_after_progress=True)
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg("planaura:persistencemosaic", {
            "CHANGE_MAPS": [m["OUTPUT"] for m in two_change_maps], "TARGET_RESOLUTION": 5,
            "OUTPUT": str(tmp_path / "m.tif"), "OUTPUT_PERSISTENCE": str(tmp_path / "p.tif")}, feedback=feedback)
    assert list_files(tmp_path) == []



def warped_copy(path, dst, crs: str) -> str:
    from osgeo import gdal

    ds = gdal.Warp(str(dst), str(path), dstSRS=crs, format="GTiff")
    assert ds is not None, dst
    ds = None
    return str(dst)


def test_inputs_crs_of_maps_without_an_epsg_code(tmp_path):
    """HLS's own UTM WKT has no EPSG code: AutoIdentifyEPSG raises 'Unsupported SRS' with osr exceptions on
    (QGIS >= 3.40) and returns an error code with them off; either way the map's own WKT is the CRS."""
    from osgeo import gdal, osr

    from planaura_qgis.processing_provider.persistence_mosaic import inputs_crs

    hls_wkt = gdal.Open(str(HLS_SAMPLE)).GetProjection()
    lambert = warped_copy(HLS_SAMPLE, tmp_path / "lambert.tif", "EPSG:3979")
    first, names = inputs_crs([str(HLS_SAMPLE), str(tmp_path / "absent.tif"), lambert, str(HLS_SAMPLE)])
    assert first == hls_wkt
    assert names == ["UTM Zone 15, Northern Hemisphere", "EPSG:3979"]
    first, names = inputs_crs([lambert, str(HLS_SAMPLE)])
    assert first == "EPSG:3979" and names == ["EPSG:3979", "UTM Zone 15, Northern Hemisphere"]
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    utm = warped_copy(HLS_SAMPLE, tmp_path / "utm.tif", srs.ExportToWkt())
    assert inputs_crs([utm]) == ("EPSG:32615", ["EPSG:32615"])
    assert inputs_crs([str(tmp_path / "absent.tif")]) == (None, [])
