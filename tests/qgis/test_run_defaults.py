"""The algorithms' device, precision and batch defaults are the settings as the dialog reads them."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.qgis


@pytest.mark.parametrize("stored, expected", [
    ({"planaura/device": "cpu", "planaura/precision": "bfloat16", "planaura/batch_size": 7},
     {"device": "cpu", "half_precision": True, "batch_size": 7}),
    ({"planaura/device": "tpu", "planaura/precision": "int8", "planaura/batch_size": "x"},
     {"device": "auto", "half_precision": False, "batch_size": 4}),
])
def test_run_defaults_come_from_the_one_settings_reader(qgis_app, stored, expected):
    from qgis.core import QgsSettings

    from planaura_qgis.processing_provider.algorithm_common import read_run_defaults
    from planaura_qgis.plugin_services.settings import load_settings

    settings = QgsSettings()
    before = {k: settings.value(k) for k in stored}
    try:
        for key, value in stored.items():
            settings.setValue(key, value)
        dialog = load_settings()
        assert read_run_defaults() == expected
        assert expected == {"device": dialog.device, "half_precision": dialog.half_precision,
                            "batch_size": dialog.batch_size}
    finally:
        for key, value in before.items():
            if value is None:
                settings.remove(key)
            else:
                settings.setValue(key, value)
