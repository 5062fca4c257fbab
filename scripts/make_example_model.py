"""Build docs/examples/change_map_to_polygons.model3 (and .fr.model3), the example model of the change chains.

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
EXAMPLES = REPO / "docs" / "examples"
MODEL_FILES = {"en": EXAMPLES / "change_map_to_polygons.model3", "fr": EXAMPLES / "change_map_to_polygons.fr.model3"}
MODEL_FILE = MODEL_FILES["en"]

# Model outputs are named as their layers should be in the map: QGIS 3.22 names a model's result
# layer after the output's name (the description is only a label). Key -> (child id, child output).
OUTPUTS = {
    "change_map": ("changemap_1", "OUTPUT"),
    "polygons": ("polygons", "OUTPUT"),
    "report": ("polygons", "OUTPUT_REPORT"),
    "mosaic": ("mosaic", "OUTPUT"),
    "mosaic_polygons": ("mosaic_polygons", "OUTPUT"),
    "mosaic_report": ("mosaic_polygons", "OUTPUT_REPORT"),
}
# The model's words in each language: inputs (in pair order), outputs, children, help.
TEXTS = {
    "en": {
        "BEFORE_1": "Before image of pair 1", "AFTER_1": "After image of pair 1",
        "BEFORE_2": "Before image of pair 2", "AFTER_2": "After image of pair 2",
        "CHECKPOINT": "Checkpoint", "MODEL_CONFIG": "Model configuration (YAML)", "DEVICE": "Device",
        "MIN_AREA": "Minimum polygon area (hectares)",
        "change_map": "Change intensity of pair 1", "polygons": "Change polygons of pair 1",
        "report": "Area report of pair 1", "mosaic": "Change intensity mosaic of pairs 1 and 2",
        "mosaic_polygons": "Change polygons of the mosaic", "mosaic_report": "Area report of the mosaic",
        "changemap_1": "Change map of pair 1", "changemap_2": "Change map of pair 2",
        "mosaic_child": "Persistence mosaic of pairs 1 and 2", "help": (
            "Change map of pair 1 -> change polygons and area report; change maps of pairs 1 and 2 -> "
            "persistence mosaic -> change polygons and area report."),
    },
    "fr": {
        "BEFORE_1": "Image avant de la paire 1", "AFTER_1": "Image après de la paire 1",
        "BEFORE_2": "Image avant de la paire 2", "AFTER_2": "Image après de la paire 2",
        "CHECKPOINT": "Fichier de poids (checkpoint)", "MODEL_CONFIG": "Configuration du modèle (YAML)",
        "DEVICE": "Processeur", "MIN_AREA": "Superficie minimale des polygones (hectares)",
        "change_map": "Intensité du changement de la paire 1", "polygons": "Polygones de changement de la paire 1",
        "report": "Rapport des superficies de la paire 1",
        "mosaic": "Mosaïque de l'intensité du changement des paires 1 et 2",
        "mosaic_polygons": "Polygones de changement de la mosaïque",
        "mosaic_report": "Rapport des superficies de la mosaïque",
        "changemap_1": "Carte de changement de la paire 1", "changemap_2": "Carte de changement de la paire 2",
        "mosaic_child": "Mosaïque de persistance des paires 1 et 2", "help": (
            "Carte de changement de la paire 1 -> polygones de changement et rapport des superficies ; cartes de "
            "changement des paires 1 et 2 -> mosaïque de persistance -> polygones de changement et rapport "
            "des superficies."),
    },
}
INPUT_ORDER = ("BEFORE_1", "AFTER_1", "BEFORE_2", "AFTER_2", "CHECKPOINT", "MODEL_CONFIG", "DEVICE", "MIN_AREA")


def build_model(language: str = "en"):
    """The model in ``language`` ('en' or 'fr'; needs the planaura provider registered)."""
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

    words = TEXTS[language]
    name = "change_map_to_polygons" if language == "en" else "carte_de_changement_vers_polygones"
    model = QgsProcessingModelAlgorithm(name, "Planaura")
    model.setHelpContent({"ALG_DESC": words["help"]})

    def add_input(definition, x):
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(x, 60))
        model.addModelParameter(definition, component)

    for i, key in enumerate(("BEFORE_1", "AFTER_1", "BEFORE_2", "AFTER_2")):
        add_input(QgsProcessingParameterRasterLayer(key, words[key]), 120 + 180 * i)
    add_input(QgsProcessingParameterFile("CHECKPOINT", words["CHECKPOINT"], optional=True), 840)
    add_input(QgsProcessingParameterFile("MODEL_CONFIG", words["MODEL_CONFIG"], optional=True), 1020)
    add_input(QgsProcessingParameterEnum("DEVICE", words["DEVICE"], options=["auto", "cpu", "cuda"], defaultValue=0),
              1200)
    add_input(QgsProcessingParameterNumber("MIN_AREA", words["MIN_AREA"], type=QgsProcessingParameterNumber.Double,
                                           defaultValue=0.0, minValue=0.0), 1380)

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
        for key, (owner, output_name) in OUTPUTS.items():
            if owner == child_id:
                output = QgsProcessingModelOutput(words[key], words[key])
                output.setChildId(child_id)
                output.setChildOutputName(output_name)
                output.setPosition(QPointF(x + 200, y + 40 * (len(outputs) + 1)))
                outputs[words[key]] = output
        child.setModelOutputs(outputs)
        model.addChildAlgorithm(child)

    for k in (1, 2):
        add_child("planaura:changemap", f"changemap_{k}", words[f"changemap_{k}"], 300 + 500 * (k - 1), 240,
                  {"BEFORE": model_input(f"BEFORE_{k}"), "AFTER": model_input(f"AFTER_{k}"),
                   "CHECKPOINT": model_input("CHECKPOINT"), "MODEL_CONFIG": model_input("MODEL_CONFIG"),
                   "DEVICE": model_input("DEVICE")})
    add_child("planaura:changepolygons", "polygons", words["polygons"], 200, 460,
              {"INPUT": child_output("changemap_1", "OUTPUT"), "MIN_AREA": model_input("MIN_AREA")})
    add_child("planaura:persistencemosaic", "mosaic", words["mosaic_child"], 700, 460,
              {"CHANGE_MAPS": child_output("changemap_1", "OUTPUT") + child_output("changemap_2", "OUTPUT")},
              static={"TARGET_CRS": "EPSG:3979", "TARGET_RESOLUTION": 30.0})
    add_child("planaura:changepolygons", "mosaic_polygons", words["mosaic_polygons"], 700, 680,
              {"INPUT": child_output("mosaic", "OUTPUT"), "PERSISTENCE": child_output("mosaic", "OUTPUT_PERSISTENCE"),
               "MIN_AREA": model_input("MIN_AREA")})
    model.updateDestinationParameters()
    model.setParameterOrder(list(INPUT_ORDER))  # pair order in the dialog, not alphabetical
    return model


def main() -> None:
    from model_file import write_model_files

    write_model_files({path: (lambda lang=language: build_model(lang)) for language, path in MODEL_FILES.items()})


if __name__ == "__main__":
    main()
