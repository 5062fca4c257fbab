"""Inputs that are temporary outputs of another algorithm (``OUTPUT.tif``, no date anywhere): the
layers are named by the images' roles, never 'Change intensity OUTPUT.tif → OUTPUT.tif', and the
undated-image warning points to the *Date of the before/after image* parameters."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis


def undated_copy(source: str, folder: Path) -> str:
    """``folder/OUTPUT.tif``: the image's pixels and grid, no date in its name or metadata."""
    from osgeo import gdal

    folder.mkdir(parents=True)
    target = str(folder / "OUTPUT.tif")
    ds = gdal.Translate(target, source, format="GTiff")
    for domain in ds.GetMetadataDomainList() or []:
        if domain not in ("IMAGE_STRUCTURE", "DERIVED_SUBDATASETS"):
            ds.SetMetadata({}, domain)
    for i in range(1, ds.RasterCount + 1):
        ds.GetRasterBand(i).SetMetadata({})
    ds = None
    return target


def test_temporary_undated_inputs_name_layers_by_role_and_the_warning_names_the_date_parameters(
        tmp_path, run_alg, pair_a, tiny_model, recording_feedback):
    from qgis.core import QgsProcessingContext, QgsProcessingOutputLayerDefinition, QgsProject

    from planaura_qgis.processing_provider.input_labels import is_temporary_output

    before = undated_copy(pair_a["before"], tmp_path / "one")
    after = undated_copy(pair_a["after"], tmp_path / "two")
    assert is_temporary_output(before) and not is_temporary_output(pair_a["before"])
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = recording_feedback()
    output = QgsProcessingOutputLayerDefinition(str(tmp_path / "change.tif"), QgsProject.instance())
    run_alg("planaura:changemap", {"BEFORE": before, "AFTER": after, **tiny_model, "OUTPUT": output},
            feedback=feedback, context=context)
    names = [details.name for details in context.layersToLoadOnCompletion().values()]
    assert names == ["Change intensity before image \u2192 after image"], names
    undated = [w for w in feedback.warnings if "acquisition date unknown" in w]
    assert len(undated) == 2, feedback.warnings
    assert "'Date of the before image'" in undated[0] and "'Date of the after image'" in undated[1]
