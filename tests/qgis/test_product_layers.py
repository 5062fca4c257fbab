"""The algorithms' outputs come from the product registry: parameters, labels, layer names, styles."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.qgis


def test_change_map_outputs_are_the_registry_products(qgis_app):
    from planaura_qgis.processing_provider.change_map import ChangeMapAlgorithm

    alg = ChangeMapAlgorithm()
    alg.initAlgorithm()
    outputs = [(d.name(), d.description(), bool(d.flags() & d.FlagOptional))
               for d in alg.destinationParameterDefinitions()]
    assert outputs == [
        ("OUTPUT", "Change intensity (cosine map)", False),
        ("OUTPUT_BEFORE_DATE", "Before date", True), ("OUTPUT_AFTER_DATE", "After date", True),
        ("OUTPUT_QUALITY", "Quality (Fmask class)", True), ("OUTPUT_CLASSES", "Change classes", True),
        ("OUTPUT_EMBEDDINGS_BEFORE", "Embeddings of the before image", True),
        ("OUTPUT_EMBEDDINGS_AFTER", "Embeddings of the after image", True),
        ("OUTPUT_RECONSTRUCTION_BEFORE", "Reconstruction of the before image", True),
        ("OUTPUT_RECONSTRUCTION_AFTER", "Reconstruction of the after image", True)]


def test_layer_names_from_the_registry(qgis_app):
    from planaura_qgis.processing_provider.product_layers import mosaic_layer_name, pair_layer_name

    assert pair_layer_name("cosine_map", "2021-09-07", "2022-09-02") == "Change intensity 2021-09-07 \u2192 2022-09-02"
    assert pair_layer_name("quality_fmask", "a", "b") == "Quality (Fmask) a \u2192 b"
    assert pair_layer_name("feature_maps_0", "a", "b") == "Embeddings a (with b)"
    assert pair_layer_name("feature_maps_1", "a", "b") == "Embeddings b (with a)"
    assert pair_layer_name("infer_1", "a", "b") == "Reconstruction b"
    assert mosaic_layer_name("cosine_map", 12) == "Mosaic change intensity (12 pairs)"
    assert mosaic_layer_name("feature_maps_1", 3) == "Mosaic embeddings after"


def test_mosaic_outputs_and_styles(qgis_app):
    from planaura_qgis.planaura_plugin.products import PRODUCTS
    from planaura_qgis.processing_provider import styles
    from planaura_qgis.processing_provider.persistence_mosaic import PersistenceMosaicAlgorithm

    assert PersistenceMosaicAlgorithm.OUTPUT_KINDS == (
        ("OUTPUT", "cosine_map"), ("OUTPUT_PERSISTENCE", "persistence"), ("OUTPUT_BEFORE_DATE", "before_date"),
        ("OUTPUT_AFTER_DATE", "after_date"), ("OUTPUT_QUALITY", "quality_fmask"),
        ("OUTPUT_BEFORE_INPUT", "before_input"), ("OUTPUT_AFTER_INPUT", "after_input"),
        ("OUTPUT_EMBEDDINGS_BEFORE", "feature_maps_0"), ("OUTPUT_EMBEDDINGS_AFTER", "feature_maps_1"))
    for key, product in PRODUCTS.items():
        assert product.style in styles.STYLES or not product.parameter, key


def test_change_types_output_from_the_registry(qgis_app):
    from planaura_qgis.processing_provider.change_types import ChangeTypesAlgorithm
    from planaura_qgis.processing_provider.product_layers import pair_layer_name

    alg = ChangeTypesAlgorithm()
    alg.initAlgorithm()
    assert [(d.name(), d.description()) for d in alg.destinationParameterDefinitions()] == \
        [("OUTPUT", "Change types")]
    assert pair_layer_name("change_types", "2021-09-07", "2022-09-02") == "Change types 2021-09-07 \u2192 2022-09-02"


def test_mosaic_output_parameters_from_the_registry(qgis_app):
    """The mosaic's output keys (qgis_process users rely on them), labels and optional flags, and its help rows."""
    from planaura_qgis.processing_provider.persistence_mosaic import PersistenceMosaicAlgorithm

    alg = PersistenceMosaicAlgorithm()
    alg.initAlgorithm()
    outputs = [(d.name(), d.description(), bool(d.flags() & d.FlagOptional))
               for d in alg.destinationParameterDefinitions()]
    assert outputs == [
        ("OUTPUT", "Mosaic change intensity", False), ("OUTPUT_PERSISTENCE", "Persistence (number of pairs)", False),
        ("OUTPUT_BEFORE_DATE", "Mosaic before date", True), ("OUTPUT_AFTER_DATE", "Mosaic after date", True),
        ("OUTPUT_QUALITY", "Mosaic quality (Fmask class)", True),
        ("OUTPUT_BEFORE_INPUT", "Mosaic before image", True), ("OUTPUT_AFTER_INPUT", "Mosaic after image", True),
        ("OUTPUT_EMBEDDINGS_BEFORE", "Mosaic embeddings before", True),
        ("OUTPUT_EMBEDDINGS_AFTER", "Mosaic embeddings after", True)]
    assert [labels for labels, _text in alg.outputs_help()] == [
        "Mosaic change intensity", "Persistence (number of pairs)", "Mosaic before date, Mosaic after date",
        "Mosaic quality (Fmask class)", "Mosaic before image, Mosaic after image",
        "Mosaic embeddings before, Mosaic embeddings after"]
    assert alg.outputs_help()[2][1] == "int32 YYYYDDD dates of the winning pair."


@pytest.mark.parametrize("kind, style", [
    ("cosine_map", "cosine"), ("persistence", "persistence"), ("before_date", "date"), ("after_date", "date"),
    ("quality_fmask", "quality"), ("classes", "classes"), ("before_input", "bands"), ("after_input", "bands"),
    ("infer_0", "bands"), ("infer_2", "bands"), ("feature_maps_0", "embeddings"), ("feature_maps_1", "embeddings"),
    ("change_types", "change_types"),
    ("feature_table_0", None),  # a table: no raster style
    ("types", None), ("", None), ("infer_3", None), ("cosine_map_0", None),  # no product of the registry
])
def test_kind_style_is_the_registry_style(qgis_app, kind, style):
    """The style planaura:runconfig gives each file it wrote (its .qml sidecar and the loaded layer)."""
    from planaura_qgis.processing_provider import styles
    from planaura_qgis.processing_provider.product_layers import kind_style

    assert kind_style(kind) == style
    assert style is None or style in styles.STYLES


def test_every_registry_kind_has_its_product_style(qgis_app):
    from planaura_qgis.planaura_plugin.products import all_kinds, product_of
    from planaura_qgis.processing_provider.product_layers import kind_style

    for kind in all_kinds():
        assert kind_style(kind) == (product_of(kind).style or None), kind
