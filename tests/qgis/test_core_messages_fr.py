"""A French QGIS gets the core's messages in French: the provider sets the core's language from
QGIS's locale, and errors, warnings and progress lines of a run reach the user translated."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

REPO = Path(__file__).resolve().parents[2]
MO = REPO / "planaura_plugin" / "i18n" / "planaura_fr.mo"


@pytest.fixture
def french_core(planaura_provider, tmp_path):
    """The core in French as the provider sets it for a QGIS whose locale/userLocale is fr_CA."""
    if not MO.exists():
        pytest.skip("planaura_plugin/i18n/planaura_fr.mo is built by `make setup` / `make translations`")
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from planaura_qgis.planaura_plugin import i18n
    from planaura_qgis.processing_provider.provider import set_core_language

    settings = QgsSettings(str(tmp_path / "fr.ini"), QSettings.Format.IniFormat)
    settings.setValue("locale/userLocale", "fr_CA")
    try:
        assert set_core_language(settings) == "fr"
        yield
    finally:
        i18n.set_language("en")


def test_english_qgis_keeps_english_core_messages(planaura_provider, tmp_path):
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from planaura_qgis.planaura_plugin import i18n
    from planaura_qgis.processing_provider.provider import set_core_language

    settings = QgsSettings(str(tmp_path / "en.ini"), QSettings.Format.IniFormat)
    settings.setValue("locale/userLocale", "en_CA")
    try:
        assert set_core_language(settings) == "en"
    finally:
        i18n.set_language("en")


def test_core_errors_and_warnings_reach_a_french_user_in_french(french_core, tmp_path, run_alg, pair_a, tiny_model,
                                                               recording_feedback):
    from qgis.core import QgsProcessingException

    before, after = tmp_path / "premiere.tif", tmp_path / "seconde.tif"
    shutil.copy(pair_a["before"], before)
    shutil.copy(pair_a["after"], after)
    outs = {"OUTPUT": str(tmp_path / "cos.tif"), "OUTPUT_BEFORE_DATE": str(tmp_path / "bd.tif")}
    base = {"BEFORE": str(before), "AFTER": str(after), **tiny_model, **outs}
    with pytest.raises(QgsProcessingException, match="aucune date trouvée dans le nom de fichier 'premiere.tif'"):
        run_alg("planaura:changemap", base)
    # dates given (after before: swapped on purpose), the warnings of the date check come in French
    feedback = recording_feedback()
    run_alg("planaura:changemap", {**base, "BEFORE_DATE": "2022-09-02", "AFTER_DATE": "2021-09-07"},
            feedback=feedback)
    assert any("est plus ancienne que l'image avant" in w for w in feedback.warnings), feedback.warnings
    # progress lines (the log's "tile batch N of M"...) and the band names of the outputs' legends
    assert any(t.startswith("lot de tuiles 1 sur ") for t in feedback.texts), feedback.texts
    assert "vérification des entrées" in feedback.texts and "terminé" in feedback.texts, feedback.texts
    from osgeo import gdal

    assert gdal.Open(outs["OUTPUT"]).GetRasterBand(1).GetDescription() == "similarité cosinus"
    assert gdal.Open(outs["OUTPUT_BEFORE_DATE"]).GetRasterBand(1).GetDescription() == "date avant (AAAAJJJ)"


def test_legend_numbers_use_the_french_decimal_separator(french_core):
    from planaura_qgis.processing_provider.styles import class_labels

    labels = class_labels((0.8, 0.6, 0.4))
    assert "(> 0,80)" in labels[1] and "(0,60 " in labels[2] and "(<= 0,40)" in labels[4], labels


def test_legend_numbers_in_english(planaura_provider):
    from planaura_qgis.processing_provider.styles import class_labels

    assert class_labels((0.8, 0.6, 0.4))[1] == "No change (> 0.80)"
