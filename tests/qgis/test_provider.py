"""The provider and its algorithms: ids, parameter names, help, icons, settings, no torch."""
from __future__ import annotations

import html
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.qgis

ALGORITHMS = ("planaura:changemap", "planaura:changeovertime", "planaura:changepolygons", "planaura:changetypes",
              "planaura:embeddings", "planaura:persistencemosaic", "planaura:runconfig",
              # embedding tools
              "planaura:embeddingcolourview", "planaura:similaritysearch", "planaura:embeddingclusters",
              "planaura:classesfromexamples",
              # STAC catalogues
              "planaura:findimagery", "planaura:catalogchangemap")

# parameter names qgis_process users and models depend on (more may exist)
REQUIRED_PARAMETERS = {
    "planaura:changemap": [
        "BEFORE", "AFTER", "BEFORE_FMASK", "AFTER_FMASK", "FMASK_BITWISE", "MODEL", "CHECKPOINT", "MODEL_CONFIG",
        "STRIDE", "UPSAMPLE", "NUM_PREDICTIONS", "MIN_VALID", "DATE_REGEX", "EXTENT", "DEVICE", "HALF_PRECISION",
        "BATCH_SIZE", "EMBEDDINGS", "OUTPUT", "OUTPUT_BEFORE_DATE", "OUTPUT_AFTER_DATE", "OUTPUT_QUALITY",
        "OUTPUT_CLASSES", "OUTPUT_EMBEDDINGS_BEFORE", "OUTPUT_EMBEDDINGS_AFTER", "OUTPUT_RECONSTRUCTION_BEFORE",
        "OUTPUT_RECONSTRUCTION_AFTER", "BEFORE_DATE", "AFTER_DATE"],
    "planaura:embeddings": [
        "INPUT", "SECOND_DATE", "MODEL", "CHECKPOINT", "MODEL_CONFIG", "STRIDE", "UPSAMPLE", "EMBEDDINGS", "EXTENT",
        "DEVICE", "HALF_PRECISION", "BATCH_SIZE", "OUTPUT", "OUTPUT_TABLE", "INPUT_DATE"],
    "planaura:persistencemosaic": [
        "CHANGE_MAPS", "BEFORE_DATES", "AFTER_DATES", "QUALITY", "BEFORE_INPUTS", "AFTER_INPUTS",
        "EMBEDDINGS_BEFORE", "EMBEDDINGS_AFTER", "TARGET_CRS", "TARGET_RESOLUTION", "OUTPUT", "OUTPUT_PERSISTENCE",
        "OUTPUT_BEFORE_DATE", "OUTPUT_AFTER_DATE", "OUTPUT_QUALITY", "OUTPUT_BEFORE_INPUT", "OUTPUT_AFTER_INPUT",
        "OUTPUT_EMBEDDINGS_BEFORE", "OUTPUT_EMBEDDINGS_AFTER"],
    "planaura:runconfig": ["CONFIG"],
    "planaura:changepolygons": ["INPUT", "THRESHOLDS", "MIN_AREA", "EXTENT", "MASK", "SIMPLIFY", "PERSISTENCE",
                                "BEFORE_DATE", "AFTER_DATE", "CHANGE_TYPES", "OUTPUT", "OUTPUT_REPORT"],
    # embedding tools
    "planaura:embeddingcolourview": ["INPUT", "PROJECTION", "SAMPLE_SIZE", "OUTPUT", "OUTPUT_PROJECTION"],
    "planaura:similaritysearch": ["INPUT", "POSITIVE", "NEGATIVE", "MODE", "THRESHOLD", "MIN_AREA", "OUTPUT",
                                  "OUTPUT_POLYGONS"],
    "planaura:embeddingclusters": ["INPUT", "METHOD", "CLUSTERS", "MAX_CLUSTERS", "MIN_CLUSTER_SIZE", "CENTRES",
                                   "SAMPLE_SIZE", "OUTPUT", "OUTPUT_CENTRES"],
    "planaura:classesfromexamples": ["INPUT", "EXAMPLES", "CLASS_FIELD", "THRESHOLD", "OUTPUT", "OUTPUT_CONFIDENCE"],
    "planaura:changetypes": ["BEFORE", "AFTER", "BEFORE_BANDS", "AFTER_BANDS", "MODEL", "CHECKPOINT", "MODEL_CONFIG",
                             "STRIDE", "UPSAMPLE", "NUM_PREDICTIONS", "MIN_VALID", "DATE_REGEX", "EXTENT", "DEVICE",
                             "HALF_PRECISION", "PRECISION", "BATCH_SIZE", "MAX_SIMILARITY", "MIN_CLUSTER_SIZE", "SEED",
                             "TYPES", "OUTPUT"],
    "planaura:changeovertime": ["INPUTS", "PAIRING", "REFERENCE_DATE", "THRESHOLD", "RULE", "PERSISTENCE", "POINTS",
                                "FMASK_BITWISE", "MISSING_QUALITY_CLEAR", "DATE_REGEX", "MODEL", "CHECKPOINT",
                                "MODEL_CONFIG", "STRIDE", "UPSAMPLE", "EXTENT", "DEVICE", "SCHEDULER", "PAIRS_FOLDER",
                                "OUTPUT", "OUTPUT_INTENSITY", "OUTPUT_OBSERVATIONS", "OUTPUT_COSINES",
                                "OUTPUT_REPORT"],
    "planaura:findimagery": ["SOURCE", "STAC_URL", "COLLECTIONS", "EXTENT", "START_DATE", "END_DATE", "MAX_CLOUD",
                             "OUTPUT"],
    "planaura:catalogchangemap": ["SOURCE", "STAC_URL", "COLLECTIONS", "EXTENT", "BEFORE_START", "BEFORE_END",
                                  "AFTER_START", "AFTER_END", "BEFORE_ID", "AFTER_ID", "MAX_CLOUD", "MIN_VALID_AOI",
                                  "MODEL", "CHECKPOINT", "MODEL_CONFIG", "STRIDE", "UPSAMPLE", "DEVICE", "OUTPUT",
                                  "OUTPUT_QUALITY", "OUTPUT_CLASSES", "SCENES_TABLE", "DOWNLOAD_FOLDER"],
}
OPTIONAL_OUTPUTS = {
    "planaura:changemap": ["OUTPUT_BEFORE_DATE", "OUTPUT_AFTER_DATE", "OUTPUT_QUALITY", "OUTPUT_CLASSES",
                           "OUTPUT_EMBEDDINGS_BEFORE", "OUTPUT_EMBEDDINGS_AFTER", "OUTPUT_RECONSTRUCTION_BEFORE",
                           "OUTPUT_RECONSTRUCTION_AFTER"],
    "planaura:embeddings": ["OUTPUT_TABLE"],
    "planaura:changeovertime": ["OUTPUT_COSINES", "OUTPUT_REPORT"],
    "planaura:embeddingcolourview": ["OUTPUT_PROJECTION"],  # embedding tools
    "planaura:similaritysearch": ["OUTPUT_POLYGONS"],
    "planaura:embeddingclusters": ["OUTPUT_CENTRES"],
    "planaura:persistencemosaic": ["OUTPUT_BEFORE_DATE", "OUTPUT_AFTER_DATE", "OUTPUT_QUALITY", "OUTPUT_BEFORE_INPUT",
                                   "OUTPUT_AFTER_INPUT", "OUTPUT_EMBEDDINGS_BEFORE", "OUTPUT_EMBEDDINGS_AFTER"],
}


def algorithm(alg_id):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    assert alg is not None, f"{alg_id} is not registered"
    return alg


def test_provider_identity(planaura_provider):
    assert planaura_provider.id() == "planaura"
    assert planaura_provider.name() == "Planaura"
    assert os.path.exists(planaura_provider.svgIconPath())
    assert not planaura_provider.icon().isNull()
    assert planaura_provider.load_errors == []
    assert sorted(a.id() for a in planaura_provider.algorithms()) == sorted(ALGORITHMS)
    assert planaura_provider.supportedOutputRasterLayerExtensions() == ["tif"]


@pytest.mark.parametrize("alg_id", ALGORITHMS)
def test_parameters_help_group_icon(planaura_provider, alg_id):
    alg = algorithm(alg_id)
    names = [p.name() for p in alg.parameterDefinitions()]
    missing = [n for n in REQUIRED_PARAMETERS[alg_id] if n not in names]
    assert not missing, f"{alg_id} lacks {missing}"
    assert alg.group() and alg.groupId()
    assert os.path.exists(alg.svgIconPath()) and not alg.icon().isNull()
    help_text = alg.shortHelpString()
    assert len(help_text) > 500
    for p in alg.parameterDefinitions():
        if p.isDestination() or p.name() in ("DEVICE", "HALF_PRECISION", "BATCH_SIZE"):
            continue
        described = html.escape(p.description())
        assert described in help_text or described.split(" (")[0] in help_text, \
            f"{alg_id}: the help does not explain {p.name()} ({p.description()})"
    assert alg.helpUrl().startswith("https://")
    assert "<image" not in help_text  # plain texts are escaped, so "fmask_<image name>" stays visible
    for name in OPTIONAL_OUTPUTS.get(alg_id, []):
        definition = alg.parameterDefinition(name)
        assert definition.flags() & definition.FlagOptional, name
        assert not definition.createByDefault(), f"{name} must not be computed unless asked for"


def test_enums_keep_their_order(planaura_provider):
    alg = algorithm("planaura:changemap")
    assert alg.parameterDefinition("MODEL").options()[:2] == ["Planaura-1.0-HLS", "Planaura-1.0-S2"]
    assert alg.parameterDefinition("MODEL").options()[3] == "Planaura-1.0-S2-Senegal"  # after custom (2)
    assert len(alg.parameterDefinition("MODEL").options()) == 4
    assert "16" in alg.parameterDefinition("STRIDE").options()[0]
    assert "1 px" in alg.parameterDefinition("STRIDE").options()[1]
    assert alg.parameterDefinition("DEVICE").options() == ["auto", "cpu", "cuda"]
    assert alg.parameterDefinition("FMASK_BITWISE").defaultValue() is True
    assert alg.parameterDefinition("UPSAMPLE").defaultValue() is True
    assert alg.parameterDefinition("NUM_PREDICTIONS").defaultValue() == 1
    assert alg.parameterDefinition("MIN_VALID").defaultValue() == pytest.approx(0.7)
    mosaic = algorithm("planaura:persistencemosaic")
    # no default: the change maps' own CRS (EPSG:3979 is suggested in the help, not imposed)
    assert mosaic.parameterDefinition("TARGET_CRS").defaultValue() is None
    target = mosaic.parameterDefinition("TARGET_CRS")
    assert target.flags() & target.FlagOptional
    assert "EPSG:3979" in mosaic.shortHelpString()
    embeddings = algorithm("planaura:embeddings")
    assert embeddings.parameterDefinition("UPSAMPLE").defaultValue() is False  # the model's stride
    assert mosaic.parameterDefinition("TARGET_RESOLUTION").defaultValue() == 30


def test_defaults_come_from_the_plugin_settings(planaura_provider):
    from qgis.core import QgsSettings

    from planaura_qgis.plugin_services import settings_keys

    settings = QgsSettings()
    keys = (settings_keys.DEVICE, settings_keys.BATCH_SIZE, settings_keys.HALF_PRECISION)
    saved = {k: settings.value(k) for k in keys if settings.contains(k)}
    try:
        settings.setValue(settings_keys.DEVICE, "cpu")
        settings.setValue(settings_keys.BATCH_SIZE, 7)
        settings.setValue(settings_keys.HALF_PRECISION, True)
        alg = algorithm("planaura:changemap")
        assert alg.parameterDefinition("DEVICE").defaultValue() == 1
        assert alg.parameterDefinition("BATCH_SIZE").defaultValue() == 7
        assert alg.parameterDefinition("HALF_PRECISION").defaultValue() is True
    finally:
        for k in keys:
            settings.remove(k)
        for k, v in saved.items():
            settings.setValue(k, v)


def test_provider_registers_and_explains_when_torch_is_missing(tmp_path, pair_a, plugins_dir):
    """With torch unimportable the plugin still loads and its algorithms say how to install it."""
    script = tmp_path / "no_torch.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.modules["torch"] = None  # import torch -> ImportError
        sys.path.insert(0, {str(plugins_dir)!r})
        sys.path.insert(0, "/usr/share/qgis/python/plugins")
        from qgis.core import QgsApplication, QgsProcessingFeedback, QgsProcessingException
        app = QgsApplication([], False)
        app.initQgis()
        from processing.core.Processing import Processing
        Processing.initialize()
        import planaura_qgis
        plugin = planaura_qgis.classFactory(None)
        plugin.initProcessing()
        provider = QgsApplication.processingRegistry().providerById("planaura")
        assert provider is not None, "provider not registered"
        print("ALGORITHMS", sorted(a.id() for a in provider.algorithms()))

        class Feedback(QgsProcessingFeedback):
            errors = []
            def reportError(self, error, fatalError=False):
                self.errors.append(error)

        import processing
        feedback = Feedback()
        try:
            processing.run("planaura:changemap", {{"BEFORE": {pair_a['before']!r}, "AFTER": {pair_a['after']!r},
                           "OUTPUT": {str(tmp_path / 'out.tif')!r}}}, feedback=feedback)
        except QgsProcessingException as exc:  # processing.run re-raises the algorithm's exception
            feedback.errors.append(str(exc))
        print("ERRORS", " | ".join(feedback.errors))
        assert "torch" not in sys.modules or sys.modules["torch"] is None
    """))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ALGORITHMS {sorted(ALGORITHMS)}" in done.stdout  # every algorithm, the embedding tools too
    errors = done.stdout.split("ERRORS", 1)[1]
    assert "PyTorch" in errors and "Install dependencies" in errors and "make setup" in errors
    assert not (tmp_path / "out.tif").exists()


def _example_points(path) -> str:
    """A GeoPackage of one labelled point (the embedding tools' example layers)."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = vds.CreateLayer("examples", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (700000 3900000)"))
    feature.SetField("label", "a")
    layer.CreateFeature(feature)
    vds = None
    return str(path)


@pytest.mark.parametrize("alg_id", ALGORITHMS)
def test_toolbox_dialog_builds_with_defaults(planaura_provider, qgis_iface, monkeypatch, alg_id, pair_a, tmp_path):
    """Every parameter has a widget in QGIS 3.22's dialog and the dialog's values run as they are."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.core import QgsProcessingContext
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)  # pytest-qgis' stub lacks it
    dialog = AlgorithmDialog(algorithm(alg_id), parent=qgis_iface.mainWindow())
    examples = _example_points(tmp_path / "examples.gpkg")
    try:
        given = {"planaura:changemap": {"BEFORE": pair_a["before"], "AFTER": pair_a["after"]},
                 "planaura:embeddings": {"INPUT": pair_a["before"]},
                 "planaura:persistencemosaic": {"CHANGE_MAPS": [pair_a["before"]]},
                 "planaura:runconfig": {"CONFIG": str(tmp_path / "x.yaml")},
                 "planaura:changepolygons": {"INPUT": pair_a["before"]},
                 "planaura:changetypes": {"BEFORE": pair_a["before"], "AFTER": pair_a["after"]},
                 "planaura:changeovertime": {"INPUTS": [pair_a["before"], pair_a["after"]]},
                 # embedding tools (any raster layer and vector layer will do to build the dialog)
                 "planaura:embeddingcolourview": {"INPUT": pair_a["before"]},
                 "planaura:similaritysearch": {"INPUT": pair_a["before"], "POSITIVE": examples},
                 "planaura:embeddingclusters": {"INPUT": pair_a["before"]},
                 "planaura:classesfromexamples": {"INPUT": pair_a["before"], "EXAMPLES": examples,
                                                  "CLASS_FIELD": "label"},
                 # STAC catalogues
                 "planaura:findimagery": {"EXTENT": "0,1,0,1 [EPSG:4326]", "START_DATE": "2022-09-01",
                                          "END_DATE": "2022-09-10"},
                 "planaura:catalogchangemap": {"EXTENT": "0,1,0,1 [EPSG:4326]", "BEFORE_START": "2021-09-01",
                                               "BEFORE_END": "2021-09-10", "AFTER_START": "2022-09-01",
                                               "AFTER_END": "2022-09-10"}}[alg_id]
        dialog.setParameters(given)
        values = dialog.createProcessingParameters()
        ok, message = algorithm(alg_id).checkParameterValues(values, QgsProcessingContext())
        assert ok, message
        if alg_id == "planaura:changemap":
            assert values["MODEL"] == 0 and values["STRIDE"] == 0 and values["UPSAMPLE"] is True
            assert values.get("OUTPUT_CLASSES") is None  # optional outputs are off by default
            assert values["OUTPUT"] is not None
        if alg_id == "planaura:persistencemosaic":
            assert values["TARGET_RESOLUTION"] == 30
    finally:
        dialog.deleteLater()
