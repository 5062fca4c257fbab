"""Every shipped model (docs/examples/*.model3, in the ZIP) run as the Processing dialog runs it:
every declared layer output is loaded into the map, named as the model declares it, and no child
forgets the pending layers of an earlier one (a later Planaura child once dropped every pending
layer named ``OUTPUT`` it had not written: the example model lost *Change intensity of pair 1*)."""
from __future__ import annotations

import os

import pytest

from support import REPO

pytestmark = pytest.mark.qgis
MODELS = sorted((REPO / "docs" / "examples").glob("*.model3"))


def model_inputs(model, pair_a, pair_b, tiny_model) -> dict:
    """Values for the model's inputs: pair k's images for BEFORE_k/AFTER_k, the tiny model, the CPU."""
    pairs = {"1": pair_a, "2": pair_b}
    values = {"CHECKPOINT": tiny_model["CHECKPOINT"], "MODEL_CONFIG": tiny_model["MODEL_CONFIG"], "DEVICE": 1,
              "MIN_AREA": 0.0}
    params = {}
    for definition in model.parameterDefinitions():
        name = definition.name()
        if definition.isDestination():
            continue
        role, _, k = name.partition("_")
        if role in ("BEFORE", "AFTER") and k in pairs:
            params[name] = pairs[k][role.lower()]
        elif name in values:
            params[name] = values[name]
        else:
            assert definition.flags() & definition.FlagOptional, f"no test value for the model input {name}"
    return params


@pytest.mark.parametrize("model_file", MODELS, ids=[m.name for m in MODELS])
def test_every_declared_output_is_loaded_and_named_as_declared(model_file, planaura_provider, tiny_model, pair_a,
                                                               pair_b, no_layer_tree_view):
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import (QgsProcessingContext, QgsProcessingFeedback, QgsProcessingModelAlgorithm,
                           QgsProcessingOutputLayerDefinition, QgsProcessingParameterFileDestination, QgsProject)

    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(model_file)), f"QGIS cannot load {model_file}"
    assert model.validate()[0], model.validate()[1]
    project = QgsProject.instance()
    params = model_inputs(model, pair_a, pair_b, tiny_model)
    declared = {}  # model destination parameter -> the name its layer must have
    for child in model.childAlgorithms().values():
        for output in child.modelOutputs().values():
            declared[f"{child.childId()}:{output.name()}"] = output.name()
    layer_outputs = {}
    for definition in model.destinationParameterDefinitions():
        params[definition.name()] = QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project)
        if not isinstance(definition, QgsProcessingParameterFileDestination):
            layer_outputs[definition.name()] = declared[definition.name()]
    assert layer_outputs, "the model declares no layer output"
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    results, ok = model.run(params, context, feedback)
    assert ok, results
    assert handleAlgorithmResults(model, context, feedback, parameters=params)
    try:
        loaded = {os.path.realpath(layer.source().split("|")[0]): layer.name()
                  for layer in project.mapLayers().values()}
        for output, name in layer_outputs.items():
            path = os.path.realpath(results[output])
            assert path in loaded, f"{model_file.name}: {output} ({path}) not loaded; loaded: {loaded}"
            assert loaded[path] == name, f"{model_file.name}: {output} loaded as {loaded[path]!r}, not {name!r}"
        for output in set(declared) - set(layer_outputs):
            assert os.path.exists(results[output]), output
    finally:
        project.removeAllMapLayers()
