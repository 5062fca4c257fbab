"""The product registry: every output declared once, the lists the pipelines use derived from it."""
from __future__ import annotations

import os

import pytest

from planaura_plugin import products as P
from planaura_plugin.pipeline.requests import OUTPUT_KINDS, ChangeMapOutputs, MosaicInputs


def test_derived_lists_are_the_ones_the_pipelines_used():
    # the literal tuples the pipelines, the mosaic and the upstream runner held before the registry
    assert P.CHANGE_KINDS == ("cosine_map", "before_date", "after_date", "quality_fmask", "classes")
    assert P.MOSAIC_KINDS == ("cosine_map", "persistence", "before_date", "after_date", "quality_fmask",
                              "before_input", "after_input")
    assert P.pair_raster_kinds() == ["cosine_map", "before_date", "after_date", "quality_fmask", "feature_maps_0",
                                     "feature_maps_1", "feature_maps_2", "infer_0", "infer_1", "infer_2"]
    assert OUTPUT_KINDS == ("cosine_map", "before_date", "after_date", "quality_fmask", "classes",
                            "feature_maps_0", "feature_maps_1", "feature_maps_2", "infer_0", "infer_1", "infer_2",
                            "feature_table_0", "feature_table_1", "feature_table_2")
    assert P.REFERENCE_SUFFIX == {"cosine_map": "c", "quality_fmask": "f"}


def test_types_and_nodata_of_the_rasters():
    got = {k: (p.dtype, p.nodata) for k, p in P.PRODUCTS.items() if k in P.CHANGE_KINDS}
    assert got == {"cosine_map": ("float32", -100.0), "before_date": ("int32", -100), "after_date": ("int32", -100),
                   "quality_fmask": ("uint8", 255), "classes": ("uint8", 0)}
    assert P.mosaic_layer_type("infer_2") == ("float32", -9999.0, "cubic")
    assert P.mosaic_layer_type("before_date") == ("int32", -100.0, "near")
    assert P.mosaic_layer_type("feature_maps_0") == ("float32", -100.0, "cubic")


def test_kinds_split_into_product_and_frame():
    product, frame = P.split_kind("feature_maps_1")
    assert (product.key, frame) == ("feature_maps", 1)
    assert P.split_kind("cosine_map") == (P.PRODUCTS["cosine_map"], None)
    assert P.split_kind("feature_table_2")[1] == 2
    for bad in ("feature_maps", "feature_maps_3", "cosine_map_0", "nothing", "infer_x"):
        with pytest.raises(KeyError, match="unknown output kind"):
            P.split_kind(bad)
    # mosaic layers: cosine, dates, quality, then embeddings and reconstructions by frame
    assert sorted(["infer_0", "feature_maps_1", "quality_fmask", "feature_maps_0", "cosine_map", "before_date"],
                  key=P.mosaic_layer_order) == ["cosine_map", "before_date", "quality_fmask", "feature_maps_0",
                                                "feature_maps_1", "infer_0"]


def test_upstream_file_names():
    assert P.pair_file_name("cosine_map", "!A!B") == "cosine_map!A!B.tif"
    assert P.pair_file_name("feature_maps_0", "!A!B", ".geoparquet") == "feature_maps_0!A!B.geoparquet"
    assert P.mosaic_file_name("persistence", "dummy") == "mosaic_persistence_dummy_c.tif"
    assert P.mosaic_file_name("cosine_map", "", "quality_fmask") == "mosaic_cosine_map_f.tif"
    assert P.mosaic_output_path("/out", "after_date", "x") == os.path.join("/out", "mosaic_after_date_x_c.tif")


def test_request_fields_round_trip():
    layers = {"cosine_map": "c.tif", "quality_fmask": "q.tif", "feature_maps_1": "f1.tif", "infer_0": "i0.tif",
              "feature_table_1": "t1.csv"}
    outputs = ChangeMapOutputs(**P.request_fields(layers))
    assert outputs.cosine_map == "c.tif" and outputs.before_date is None
    assert outputs.feature_maps == {1: "f1.tif"} and outputs.reconstructions == {0: "i0.tif"}
    assert outputs.feature_tables == {1: "t1.csv"}
    assert P.request_layers(outputs) == layers
    pair = MosaicInputs(cosine_map="c.tif", feature_maps={2: "f2.tif", 0: "f0.tif"}, before_input="b.tif")
    assert list(P.request_layers(pair, P.pair_raster_kinds(), sort_frames=True)) == \
        ["cosine_map", "feature_maps_0", "feature_maps_2"]
    P.set_request_layer(pair, "feature_maps_2", None)
    P.set_request_layer(pair, "after_date", "a.tif")
    assert pair.feature_maps == {0: "f0.tif"} and pair.after_date == "a.tif"
    cleared = P.request_fields({"cosine_map": "c.tif"}, complete=P.pair_raster_kinds())
    assert cleared["feature_maps"] == {} and cleared["quality_fmask"] is None


def test_every_product_is_declared_consistently():
    for key, p in P.PRODUCTS.items():
        assert p.key == key
        if p.parameter:
            assert len(p.labels) == (2 if p.per_frame else 1), key
        if p.mosaic_names:
            assert p.scope in ("mosaic", "both") and len(p.mosaic_names) == (2 if p.per_frame else 1), key
        if p.scope != "mosaic" and p.parameter:
            assert p.layer_name, key
        assert p.visible == (not p.companion)
    # companions never cover the change map: dates, quality, classes, persistence; nor the date of change its
    # intensity, observations and cosines per pair
    assert {k for k, p in P.PRODUCTS.items() if p.companion} == {"persistence", "before_date", "after_date",
                                                                  "quality_fmask", "classes", "change_intensity",
                                                                  "valid_observations", "cosine_per_pair"}


def test_product_keys_are_the_literal_type():
    from typing import get_args

    assert set(get_args(P.ProductKey)) == set(P.PRODUCTS)


def test_class_thresholds_one_rule_strictly_decreasing():
    from planaura_plugin.errors import InputError
    from planaura_plugin.pipeline.change_map import plan_change_map
    from planaura_plugin.pipeline.requests import ChangeMapRequest

    assert P.check_class_thresholds([0.8, 0.6, 0.4]) == (0.8, 0.6, 0.4)
    assert P.check_class_thresholds(P.DEFAULT_CLASS_THRESHOLDS) == (0.80, 0.60, 0.40)
    for bad, why in (((0.8, 0.6, 0.6), "decrease strictly"), ((0.8, 0.8, 0.4), "decrease strictly"),
                     ((0.4, 0.6, 0.8), "decrease strictly"), ((1.2, 0.6, 0.4), "between -1 and 1"),
                     ((0.8, 0.6), "3 cosines")):
        with pytest.raises(InputError, match=why):
            P.check_class_thresholds(bad)
    # the change-map pipeline refuses equal limits too (it allowed them before), before reading any input
    request = ChangeMapRequest(inputs=["missing_a.tif", "missing_b.tif"],
                               outputs=ChangeMapOutputs(cosine_map="c.tif"), class_thresholds=(0.7, 0.7, 0.4))
    with pytest.raises(InputError, match="decrease strictly"):
        plan_change_map(request)


def test_change_types_are_declared_once_and_stay_out_of_the_change_map():
    """change_types: int16 type ids (-1 noise), nodata -100, a .types.json beside it; written by the
    change types step, so neither the change map's outputs nor the mosaic's take it."""
    from planaura_plugin.analysis import change_types, type_areas

    p = P.PRODUCTS["change_types"]
    assert (p.dtype, p.nodata, p.band_names, p.scope, p.style, p.parameter) == \
        ("int16", -100, ("change type",), "cluster", "change_types", "OUTPUT")
    assert change_types.TYPE_NODATA == -100 and change_types.TYPE_DTYPE.name == "int16"
    assert "change_types" not in P.CHANGE_KINDS + P.MOSAIC_KINDS + tuple(P.pair_raster_kinds())
    assert "change_types" not in OUTPUT_KINDS and "change_types" in P.all_kinds()
    assert P.pair_file_name("change_types", "!A!B") == "change_types!A!B.tif"
    assert P.sidecar_paths("change_types", "/o/change_types!A!B.tif") == ["/o/change_types!A!B.types.json"]
    assert change_types.types_json_path("/o/t.tif") == "/o/t.types.json"
    assert P.sidecar_paths("cosine_map", "/o/c.tif") == []
    # the lookup beside a change map with upstream's names (the change polygons' and the quality's)
    folder = os.path.abspath("o")
    assert P.beside_path("o/cosine_map!A!B.tif", "cosine_map", "change_types") == \
        os.path.join(folder, "change_types!A!B.tif")
    assert P.beside_path("o/cosine_map_x.tif", "cosine_map", "quality_fmask") == \
        os.path.join(folder, "quality_fmask_x.tif")
    for not_upstream in ("o/cosine_map.tif", "o/cosine_maps!A.tif", "o/my_cosine_map!A.tif"):
        assert P.beside_path(not_upstream, "cosine_map", "change_types") is None, not_upstream
    assert type_areas.find_change_types("o/cosine_map!A!B.tif") is None  # not there: not found


def test_change_map_outputs_take_their_fields_from_the_registry(monkeypatch):
    import dataclasses

    from planaura_plugin.pipeline import requests

    names = [(f.name, f.default is None) for f in dataclasses.fields(ChangeMapOutputs)]
    assert names == [("cosine_map", True), ("before_date", True), ("after_date", True), ("quality_fmask", True),
                     ("classes", True), ("feature_maps", False), ("reconstructions", False),
                     ("feature_tables", False)]
    assert ChangeMapOutputs().feature_maps == {} and ChangeMapOutputs().feature_maps is not \
        ChangeMapOutputs().feature_maps
    with pytest.raises(TypeError, match="persistence"):
        ChangeMapOutputs(persistence="p.tif")  # a mosaic product: not an output of the change map
    # one more entry in the registry is one more field (per-frame: a dict)
    extra = dataclasses.replace(P.PRODUCTS["feature_maps"], key="extra_maps", field="extra_maps")
    monkeypatch.setitem(P.PRODUCTS, "extra_maps", extra)
    made = requests._fields_from_registry(type("Outputs", (), {}))
    assert made(extra_maps={1: "e1.tif"}).extra_maps == {1: "e1.tif"} and made().cosine_map is None


def test_quality_legend_names_the_no_information_class():
    """255 (the quality layer's nodata: no quality source, Fmask fill) is named, never "clear"."""
    from planaura_plugin.fmask import FILL

    assert P.PRODUCTS["quality_fmask"].nodata == FILL == 255
    assert P.QUALITY_CLASSES[FILL] == "No information" and P.QUALITY_CLASSES[0] == "Clear"
    assert sorted(P.QUALITY_CLASSES) == [0, 1, 2, 3, 4, 6, 255]


def test_series_products_stay_out_of_the_pair_and_mosaic_lists():
    """Change over time's rasters: declared once (scope series), named with dates by the series' run."""
    from planaura_plugin.series.run import SERIES_KINDS, series_file_name

    series = tuple(k for k, p in P.PRODUCTS.items() if p.scope == "series")
    assert series == SERIES_KINDS == ("date_of_change", "change_intensity", "valid_observations", "cosine_per_pair")
    assert not set(series) & set(P.CHANGE_KINDS + P.MOSAIC_KINDS + tuple(OUTPUT_KINDS) + tuple(P.all_kinds()))
    got = {k: (P.PRODUCTS[k].dtype, P.PRODUCTS[k].nodata, P.PRODUCTS[k].style) for k in series}
    assert got == {"date_of_change": ("int32", -100, "date"), "change_intensity": ("float32", -100.0, "cosine"),
                   "valid_observations": ("uint16", None, "persistence"),
                   "cosine_per_pair": ("float32", -100.0, "cosine")}
    assert series_file_name("date_of_change", 2021250, 2022245) == "date_of_change_2021250_2022245.tif"
