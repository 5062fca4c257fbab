"""Build docs/examples/change_map_to_polygons.model3, the example model of the change analysis chains.

Two chains in one model, every intermediate file temporary:

- pair 1: ``planaura:changemap`` -> ``planaura:changepolygons`` (polygons and the area report);
- pairs 1 and 2: two change maps -> ``planaura:persistencemosaic`` -> ``planaura:changepolygons``
  (polygons of the mosaic with their persistence, and its report).

The model is built with QGIS's QgsProcessingModelAlgorithm API, so that QGIS itself writes the
file (it loads in QGIS 3.22 and later). Regenerate with
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_example_model.py`` from the repository root.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODEL_FILE = REPO / "docs" / "examples" / "change_map_to_polygons.model3"

# model output name -> (child id, child output, description)
OUTPUTS = {
    "CHANGE_MAP": ("changemap_1", "OUTPUT", "Change intensity of pair 1"),
    "POLYGONS": ("polygons", "OUTPUT", "Change polygons of pair 1"),
    "REPORT": ("polygons", "OUTPUT_REPORT", "Area report of pair 1"),
    "MOSAIC": ("mosaic", "OUTPUT", "Mosaic change intensity"),
    "MOSAIC_POLYGONS": ("mosaic_polygons", "OUTPUT", "Change polygons of the mosaic"),
    "MOSAIC_REPORT": ("mosaic_polygons", "OUTPUT_REPORT", "Area report of the mosaic"),
}


def build_model():
    """The model (needs the planaura provider registered)."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterEnum,
        QgsProcessingParameterFile,
        QgsProcessingParameterNumber,
        QgsProcessingParameterRasterLayer,
    )
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm("change_map_to_polygons", "Planaura")
    model.setHelpContent({"ALG_DESC": "Change map of pair 1 -> change polygons and area report; change maps of "
                                      "pairs 1 and 2 -> persistence mosaic -> change polygons and area report."})

    def add_input(definition, x):
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(x, 60))
        model.addModelParameter(definition, component)

    for i, name in enumerate(("BEFORE_1", "AFTER_1", "BEFORE_2", "AFTER_2")):
        add_input(QgsProcessingParameterRasterLayer(name, name.replace("_", " image of pair ").capitalize()),
                  120 + 180 * i)
    add_input(QgsProcessingParameterFile("CHECKPOINT", "Checkpoint", optional=True), 840)
    add_input(QgsProcessingParameterFile("MODEL_CONFIG", "Model configuration (YAML)", optional=True), 1020)
    add_input(QgsProcessingParameterEnum("DEVICE", "Device", options=["auto", "cpu", "cuda"], defaultValue=0), 1200)
    add_input(QgsProcessingParameterNumber("MIN_AREA", "Minimum polygon area (hectares)",
                                           type=QgsProcessingParameterNumber.Double, defaultValue=0.0,
                                           minValue=0.0), 1380)

    def model_input(name):
        return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]

    def child_output(child_id, output):
        return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)]

    def add_child(alg_id, child_id, description, x, y, sources, static=None):
        child = QgsProcessingModelChildAlgorithm(alg_id)
        child.setChildId(child_id)
        child.setDescription(description)
        child.setPosition(QPointF(x, y))
        for name, value in sources.items():
            child.addParameterSources(name, value)
        for name, value in (static or {}).items():
            child.addParameterSources(name, [QgsProcessingModelChildParameterSource.fromStaticValue(value)])
        for definition in child.algorithm().parameterDefinitions():  # defaults, as the modeler stores them
            if not definition.isDestination() and definition.name() not in child.parameterSources() \
                    and definition.defaultValue() is not None:
                child.addParameterSources(definition.name(), [
                    QgsProcessingModelChildParameterSource.fromStaticValue(definition.defaultValue())])
        outputs = {}
        for name, (owner, output_name, text) in OUTPUTS.items():
            if owner == child_id:
                output = QgsProcessingModelOutput(name, text)
                output.setChildId(child_id)
                output.setChildOutputName(output_name)
                output.setPosition(QPointF(x + 200, y + 40 * (len(outputs) + 1)))
                outputs[name] = output
        child.setModelOutputs(outputs)
        model.addChildAlgorithm(child)

    for k in (1, 2):
        add_child("planaura:changemap", f"changemap_{k}", f"Change map of pair {k}", 300 + 500 * (k - 1), 240,
                  {"BEFORE": model_input(f"BEFORE_{k}"), "AFTER": model_input(f"AFTER_{k}"),
                   "CHECKPOINT": model_input("CHECKPOINT"), "MODEL_CONFIG": model_input("MODEL_CONFIG"),
                   "DEVICE": model_input("DEVICE")})
    add_child("planaura:changepolygons", "polygons", "Change polygons of pair 1", 200, 460,
              {"INPUT": child_output("changemap_1", "OUTPUT"), "MIN_AREA": model_input("MIN_AREA")})
    add_child("planaura:persistencemosaic", "mosaic", "Persistence mosaic of pairs 1 and 2", 700, 460,
              {"CHANGE_MAPS": child_output("changemap_1", "OUTPUT") + child_output("changemap_2", "OUTPUT")},
              static={"TARGET_CRS": "EPSG:3979", "TARGET_RESOLUTION": 30.0})
    add_child("planaura:changepolygons", "mosaic_polygons", "Change polygons of the mosaic", 700, 680,
              {"INPUT": child_output("mosaic", "OUTPUT"), "PERSISTENCE": child_output("mosaic", "OUTPUT_PERSISTENCE"),
               "MIN_AREA": model_input("MIN_AREA")})
    model.updateDestinationParameters()
    return model


def main() -> None:
    from model_file import write_model_file

    write_model_file(build_model, MODEL_FILE)


if __name__ == "__main__":
    main()
