"""Build two_pairs_mosaic.model3: two planaura:changemap runs chained into planaura:persistencemosaic.

The mosaic gets only the two change maps (temporary files in the model); their companions
travel as GDAL metadata written by the change-map pipeline. Regenerate with
``QT_QPA_PLATFORM=offscreen .venv/bin/python tests/qgis/data/make_two_pairs_model.py`` (run from
the repository root); the file is committed so that qgis_process tests use it as users would.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
MODEL_FILE = HERE / "two_pairs_mosaic.model3"


def build_model():
    """The model, built with the QgsProcessingModelAlgorithm API (needs the planaura provider)."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterEnum,
        QgsProcessingParameterFile,
        QgsProcessingParameterRasterLayer,
    )
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm("two_pairs_mosaic", "Planaura")
    model.setHelpContent({"ALG_DESC": "Change maps of two pairs merged into a persistence mosaic."})

    def add_input(definition, x, y):
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(x, y))
        model.addModelParameter(definition, component)

    for i, name in enumerate(("BEFORE_1", "AFTER_1", "BEFORE_2", "AFTER_2")):
        add_input(QgsProcessingParameterRasterLayer(name, name.replace("_", " ").capitalize()), 120 + 180 * i, 60)
    add_input(QgsProcessingParameterFile("CHECKPOINT", "Checkpoint", optional=True), 840, 60)
    add_input(QgsProcessingParameterFile("MODEL_CONFIG", "Model configuration (YAML)", optional=True), 1020, 60)
    add_input(QgsProcessingParameterEnum("DEVICE", "Device", options=["auto", "cpu", "cuda"], defaultValue=0),
              1200, 60)

    def source(name):
        return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]

    def fill_defaults(child):
        """Static default values for the parameters left unset, as the modeler's dialog stores them."""
        for definition in child.algorithm().parameterDefinitions():
            if definition.isDestination() or definition.name() in child.parameterSources():
                continue
            if definition.defaultValue() is not None:
                child.addParameterSources(definition.name(), [
                    QgsProcessingModelChildParameterSource.fromStaticValue(definition.defaultValue())])

    for k in (1, 2):
        child = QgsProcessingModelChildAlgorithm("planaura:changemap")
        child.setChildId(f"changemap_{k}")
        child.setDescription(f"Change map of pair {k}")
        child.setPosition(QPointF(300 + 400 * (k - 1), 240))
        child.addParameterSources("BEFORE", source(f"BEFORE_{k}"))
        child.addParameterSources("AFTER", source(f"AFTER_{k}"))
        child.addParameterSources("CHECKPOINT", source("CHECKPOINT"))
        child.addParameterSources("MODEL_CONFIG", source("MODEL_CONFIG"))
        child.addParameterSources("DEVICE", source("DEVICE"))
        fill_defaults(child)
        model.addChildAlgorithm(child)

    mosaic = QgsProcessingModelChildAlgorithm("planaura:persistencemosaic")
    mosaic.setChildId("mosaic")
    mosaic.setDescription("Persistence mosaic")
    mosaic.setPosition(QPointF(500, 420))
    mosaic.addParameterSources("CHANGE_MAPS", [
        QgsProcessingModelChildParameterSource.fromChildOutput(f"changemap_{k}", "OUTPUT") for k in (1, 2)])
    mosaic.addParameterSources("TARGET_CRS", [QgsProcessingModelChildParameterSource.fromStaticValue("EPSG:3979")])
    mosaic.addParameterSources("TARGET_RESOLUTION", [QgsProcessingModelChildParameterSource.fromStaticValue(30.0)])
    outputs = {}
    for name, child_output, description in (("MOSAIC", "OUTPUT", "Mosaic change intensity"),
                                            ("PERSISTENCE", "OUTPUT_PERSISTENCE", "Persistence")):
        output = QgsProcessingModelOutput(name, description)
        output.setChildId("mosaic")
        output.setChildOutputName(child_output)
        output.setPosition(QPointF(700, 520 + 60 * len(outputs)))
        outputs[name] = output
    mosaic.setModelOutputs(outputs)
    fill_defaults(mosaic)
    model.addChildAlgorithm(mosaic)
    model.updateDestinationParameters()
    return model


def main() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from model_file import write_model_file

    write_model_file(build_model, MODEL_FILE)


if __name__ == "__main__":
    main()
