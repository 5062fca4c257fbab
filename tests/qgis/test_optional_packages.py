"""An output that needs a missing optional package says so before the run, naming the button that installs it."""
from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProcessingContext

pytestmark = pytest.mark.qgis

BUTTON = "Plugins ▸ Planaura ▸ Settings… ▸ Install dependencies"


@pytest.fixture
def without_pyarrow(monkeypatch):
    from planaura_qgis.processing_provider import optional_packages

    real = optional_packages.importlib.util.find_spec
    monkeypatch.setattr(optional_packages.importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))


def test_geoparquet_embeddings_table_without_pyarrow_is_refused_before_the_run(planaura_provider, pair_a,
                                                                               tiny_model, tmp_path, without_pyarrow):
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:embeddings")
    params = {"INPUT": pair_a["before"], **tiny_model, "OUTPUT": str(tmp_path / "e.tif"),
              "OUTPUT_TABLE": str(tmp_path / "e.parquet")}
    ok, message = alg.checkParameterValues(params, QgsProcessingContext())
    assert not ok
    assert message.startswith(f"The GeoParquet table {tmp_path / 'e.parquet'} needs the Python package pyarrow")
    assert BUTTON in message
    params["OUTPUT_TABLE"] = str(tmp_path / "e.csv")  # a CSV table needs nothing more
    assert alg.checkParameterValues(params, QgsProcessingContext()) == (True, "")


def test_geoparquet_with_pyarrow_passes(planaura_provider, pair_a, tiny_model, tmp_path):
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:embeddings")
    params = {"INPUT": pair_a["before"], **tiny_model, "OUTPUT": str(tmp_path / "e.tif"),
              "OUTPUT_TABLE": str(tmp_path / "e.parquet")}
    assert alg.checkParameterValues(params, QgsProcessingContext()) == (True, "")


def test_write_as_df_message_names_the_button(planaura_provider, without_pyarrow):
    from planaura_qgis.processing_provider.optional_packages import missing_package_message

    message = missing_package_message("pyarrow", "feature_maps.write_as_df: true (GeoParquet tables)")
    assert message.startswith("feature_maps.write_as_df: true (GeoParquet tables) needs the Python package pyarrow")
    assert BUTTON in message
    assert missing_package_message("sklearn", "Change types") is None  # installed here
