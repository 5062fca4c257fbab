"""Points of a series' report outside its images are warned about before any model work."""
from __future__ import annotations

import pytest

from series_data import make_series, series_dates


def test_points_outside_the_first_image_are_named_in_any_crs(tmp_path):
    from osgeo import gdal, osr

    from planaura_plugin.errors import InputError
    from planaura_plugin.inputs.sources import describe_input
    from planaura_plugin.presets import PRESETS
    from planaura_plugin.series.report import points_outside

    path = str(make_series(tmp_path, n=2, change_at=1, cloud_at=None)[series_dates(2)[0]])
    ds = gdal.Open(path)
    gt, width, height = ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize
    utm, wgs84 = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromWkt(ds.GetProjection())
    wgs84.ImportFromEPSG(4326)
    for srs in (utm, wgs84):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_wgs84 = osr.CoordinateTransformation(utm, wgs84)
    cells = {"inside": (0.5, 0.5), "last": (width - 0.5, height - 0.5), "right": (width + 0.5, 3.5),
             "above": (3.5, -0.5)}
    utm_points = [(n, gt[0] + c * gt[1], gt[3] + r * gt[5]) for n, (c, r) in cells.items()]
    wgs_points = [(n, *to_wgs84.TransformPoint(x, y)[:2]) for n, x, y in utm_points]
    info = describe_input(path, next(iter(PRESETS.values())), None)
    for points, crs in ((utm_points, None), (wgs_points, "EPSG:4326"), (wgs_points, wgs84.ExportToWkt())):
        lines = points_outside(points, crs, path, info)
        assert [line.split("'")[1] for line in lines] == ["right", "above"], (crs, lines)
        assert all(path in line for line in lines)
    with pytest.raises(InputError, match="not understood"):
        points_outside(utm_points, "EPSG:999999", path, info)
