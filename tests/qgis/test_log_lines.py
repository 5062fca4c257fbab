"""Log lines of the algorithms (issue 27 point 7): the model a run names."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.qgis


def test_a_custom_checkpoint_is_not_named_after_an_official_file(planaura_provider):
    from planaura_qgis.planaura_plugin.model.loading import ModelSpec
    from planaura_qgis.planaura_plugin.presets import PRESETS
    from planaura_qgis.processing_provider.base import model_label

    for name, preset in PRESETS.items():
        assert model_label(ModelSpec(preset=preset)) == name
        label = model_label(ModelSpec(preset=preset, checkpoint="/data/my_finetuned.pth"))
        assert label.startswith("local checkpoint") and ".pth" not in label and name.replace(".pth", "") in label
