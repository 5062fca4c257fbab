"""Sensible defaults and guards of the algorithms: two different default images, labels that say
"optional" once, help links to README sections that exist, help that describes the algorithm's own
parameters, the mosaic's CRS from its inputs, the embeddings' size said before the run."""
from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

REPO = Path(__file__).resolve().parents[2]
ALGORITHMS = ("changemap", "embeddings", "persistencemosaic", "changepolygons", "runconfig",
              "embeddingcolourview", "similaritysearch", "embeddingclusters", "classesfromexamples")


def algorithm(name):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(f"planaura:{name}")
    assert alg is not None, name
    return alg.create()


# ------------------------------------------------------------------------------ BEFORE / AFTER
def test_pick_pair_by_dates_then_by_layer_order():
    from planaura_qgis.processing_provider.layer_defaults import pick_pair

    dates = {"x.2022245T.tif": 2022245, "y.2021250T.tif": 2021250, "z.2023100T.tif": 2023100}
    # layer-tree order, top first: the dates decide, earliest before and latest after
    assert pick_pair([("x", "x.2022245T.tif"), ("y", "y.2021250T.tif"), ("z", "z.2023100T.tif")],
                     dates.get) == ("y", "z")
    # without dates: the topmost layer (usually the last added) is the after image, the next one the before
    assert pick_pair([("top", "a.tif"), ("next", "b.tif"), ("last", "c.tif")], dates.get) == ("next", "top")
    # one layer, or two of one date: QGIS's own default (the active layer) applies
    assert pick_pair([("x", "x.2022245T.tif")], dates.get) == (None, None)
    assert pick_pair([("x", "x.2022245T.tif"), ("w", "x.2022245T.tif")], dates.get) == (None, None)


def test_change_map_dialog_defaults_to_two_different_images(planaura_provider, pair_a):
    from qgis.core import QgsProject, QgsRasterLayer

    project = QgsProject.instance()
    after = QgsRasterLayer(pair_a["after"], "after", "gdal")
    before = QgsRasterLayer(pair_a["before"], "before", "gdal")
    assert after.isValid() and before.isValid()
    project.addMapLayers([after, before])  # the before image on top (the active layer, most likely)
    ids = (before.id(), after.id())
    try:
        alg = algorithm("changemap")
        assert (alg.parameterDefinition("BEFORE").defaultValue(),
                alg.parameterDefinition("AFTER").defaultValue()) == ids
    finally:
        project.removeMapLayers(list(ids))
    alg = algorithm("changemap")  # an empty project: no default, as before
    assert alg.parameterDefinition("BEFORE").defaultValue() is None
    assert alg.parameterDefinition("AFTER").defaultValue() is None


# ------------------------------------------------------------------------------ labels and help
def test_labels_do_not_say_optional_themselves(planaura_provider):
    """QGIS adds "[optional]" to optional parameters; a label saying it too reads it twice."""
    instances = {name: algorithm(name) for name in ALGORITHMS}  # alive while their parameters are read
    said = [f"{name} {p.name()}: {p.description()}" for name, alg in instances.items()
            for p in alg.parameterDefinitions() if re.search(r"optional|facultati", p.description(), re.IGNORECASE)]
    assert not said, said


@pytest.mark.parametrize("language, readme", [("en", "README.md"), ("fr", "README.fr.md")])
def test_help_links_point_to_readme_sections_that_exist(planaura_provider, language, readme):
    from planaura_qgis.processing_provider.help_links import help_url, readme_anchors

    anchors = set(readme_anchors((REPO / readme).read_text(encoding="utf-8")))
    for name in ALGORITHMS:
        url = help_url(name, language)
        assert "#" in url and url.rsplit("#", 1)[1] in anchors, f"{name}: {url} has no heading in {readme}"


def test_help_url_follows_the_core_language(planaura_provider):
    from planaura_qgis.planaura_plugin import i18n

    alg = algorithm("persistencemosaic")
    assert alg.helpUrl().endswith("#a-persistence-mosaic-and-models")
    previous = i18n.language()
    try:
        if i18n.set_language("fr") != "fr":
            pytest.skip("the French catalogue is built by `make translations`")
        assert alg.helpUrl().endswith("README.fr.md#une-mosaïque-de-persistance-et-les-modèles")
    finally:
        i18n.set_language(previous)


def test_heading_anchor_follows_github():
    from planaura_qgis.processing_provider.help_links import heading_anchor

    assert heading_anchor(" A persistence mosaic, and models") == "a-persistence-mosaic-and-models"
    assert heading_anchor("Entrées : ce que donne chaque forme") == "entrées--ce-que-donne-chaque-forme"
    assert heading_anchor("Python and qgis_process") == "python-and-qgis_process"


def test_run_config_help_describes_only_its_parameters(planaura_provider):
    alg = algorithm("runconfig")
    text = alg.shortHelpString()
    own = {d.description() for d in alg.parameterDefinitions()} | {o.description() for o in alg.outputDefinitions()}
    described = {html.unescape(label) for label in re.findall(r"<dt><b>(.*?)</b></dt>", text)}
    assert described and described <= own, described - own
    other = algorithm("changemap")
    assert other.weights_help()[:60] not in text  # the checkpoint-parameter text of the model algorithms
    assert "model_params.load_params" in text  # its own weights: those of the configuration


# ------------------------------------------------------------------------------ mosaic CRS
def cosine(path: Path, epsg: int, origin) -> str:
    from osgeo import gdal, osr

    ds = gdal.GetDriverByName("GTiff").Create(str(path), 20, 20, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((origin[0], 30.0, 0.0, origin[1], 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-100)
    band.WriteArray(np.full((20, 20), 0.5, np.float32))
    ds = None
    return str(path)


def test_mosaic_crs_defaults_to_the_inputs_and_says_when_they_differ(tmp_path, run_alg, recording_feedback):
    from osgeo import gdal, osr

    a = cosine(tmp_path / "cosine_map!a1!a2.tif", 32615, (600000.0, 3600000.0))
    b = cosine(tmp_path / "cosine_map!b1!b2.tif", 32615, (600300.0, 3600300.0))
    feedback = recording_feedback()
    out = {"OUTPUT": str(tmp_path / "m.tif"), "OUTPUT_PERSISTENCE": str(tmp_path / "p.tif")}
    run_alg("planaura:persistencemosaic", {"CHANGE_MAPS": [a, b], **out}, feedback=feedback)
    srs = osr.SpatialReference(wkt=gdal.Open(out["OUTPUT"]).GetProjection())
    srs.AutoIdentifyEPSG()
    assert srs.GetAuthorityCode(None) == "32615"
    assert "Target CRS: the change maps' (EPSG:32615)." in feedback.infos

    c = cosine(tmp_path / "cosine_map!c1!c2.tif", 32614, (300000.0, 3600000.0))
    feedback = recording_feedback()
    out = {"OUTPUT": str(tmp_path / "m2.tif"), "OUTPUT_PERSISTENCE": str(tmp_path / "p2.tif")}
    run_alg("planaura:persistencemosaic", {"CHANGE_MAPS": [c, a], **out}, feedback=feedback)
    srs = osr.SpatialReference(wkt=gdal.Open(out["OUTPUT"]).GetProjection())
    srs.AutoIdentifyEPSG()
    assert srs.GetAuthorityCode(None) == "32614"  # the first change map's
    assert any("2 different CRSs" in w and "EPSG:32614" in w and "EPSG:3979" in w for w in feedback.warnings), \
        feedback.warnings

    out = {"OUTPUT": str(tmp_path / "m3.tif"), "OUTPUT_PERSISTENCE": str(tmp_path / "p3.tif")}
    run_alg("planaura:persistencemosaic", {"CHANGE_MAPS": [c, a], "TARGET_CRS": "EPSG:3979", **out})
    srs = osr.SpatialReference(wkt=gdal.Open(out["OUTPUT"]).GetProjection())
    srs.AutoIdentifyEPSG()
    assert srs.GetAuthorityCode(None) == "3979"  # offered, and taken when given


# ------------------------------------------------------------------------------ embeddings size
class _Layer:
    """What log_size_estimate reads of a raster layer."""

    def __init__(self, width: int, height: int) -> None:
        self._w, self._h = width, height

    def width(self) -> int:
        return self._w

    def height(self) -> int:
        return self._h


def test_embeddings_size_is_estimated_and_warned_above_2_gb(planaura_provider, recording_feedback):
    alg = algorithm("embeddings")
    feedback = recording_feedback()
    # a 10980 px HLS tile, 768 dimensions, 16 px patches: 687 x 687 cells x 768 x 4 bytes = 1.35 GiB
    size = alg.log_size_estimate(_Layer(10980, 10980), None, 768, 16, 16, False, feedback)
    assert size == 687 * 687 * 768 * 4
    assert feedback.infos[-1] == "Embeddings raster: about 1.4 GB (768 dimensions, one value per 16 x 16 px " \
                                 "patch, 10980 x 10980 px)."
    assert not feedback.warnings
    # the same tile upsampled to its pixels: 256 times more, a warning before the run
    size = alg.log_size_estimate(_Layer(10980, 10980), None, 768, 16, 16, True, feedback)
    assert size == 10980 * 10980 * 768 * 4
    assert len(feedback.warnings) == 1 and "about 344.9 GB" in feedback.warnings[0]
    assert "fewer dimensions" in feedback.warnings[0]
