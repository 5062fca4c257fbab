"""The refusal of a series image on another grid gives the expected grid in full (metres, not 3.582e+06)."""
from __future__ import annotations

import pytest

from series_data import make_series, series_dates


@pytest.mark.parametrize("shift", [(7.0, 0.0), (0.0, 15.0), (0.0, 0.5)])
def test_the_expected_origin_and_pixel_are_written_in_full(tmp_path, shift):
    from osgeo import gdal

    from planaura_plugin.errors import InputError
    from planaura_plugin.presets import HLS
    from planaura_plugin.series.series import order_images

    images = make_series(tmp_path, n=2, change_at=1, cloud_at=None)
    first, second = (str(images[d]) for d in series_dates(2))
    gt = gdal.Open(first).GetGeoTransform()
    ds = gdal.Open(second, gdal.GA_Update)
    ds.SetGeoTransform([gt[0] + shift[0], gt[1], gt[2], gt[3] + shift[1], gt[4], gt[5]])
    ds = None
    with pytest.raises(InputError) as caught:
        order_images([first, second], HLS)
    text = str(caught.value)
    assert f"origin ({gt[0]:.15g}, {gt[3]:.15g})" in text and "pixel 30 x 30" in text, text
    assert "e+0" not in text and second in text
