"""One YAML, one model: the algorithms' *Model configuration* and the command line resolve the same
upstream YAML to the same model, statistics, weights and date convention."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

RUN_KEYS = """\
csv_inference_file: pairs.csv
inference_save_folder_frame_0: out0
inference_save_folder_frame_1: out1
num_frames: 2
"""
CASES = {
    "statistics and regex": """\
model_params:
  img_size: 64
  embed_dim: 32
  depth: 2
  num_heads: 4
  data_mean: [1, 2, 3, 4, 5, 6]
  data_std: [7, 8, 9, 10, 11, 12]
  no_data: -1
  load_params:
    checkpoint_path: weights/model.pth
change_map:
  date_regex: '_(\\d{8})_'
""",
    "named model, nulls": """\
model_params:
  img_size: 64
  data_mean: null
  data_std: null
  load_params:
    source: local
    model_name: Planaura-1.0-S2
    checkpoint_path: weights/model.pth
""",
}


def resolve_both(folder: Path, text: str):
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from planaura_qgis.planaura_plugin import upstream
    from planaura_qgis.processing_provider.change_map import ChangeMapAlgorithm

    (folder / "weights").mkdir()
    (folder / "weights" / "model.pth").write_bytes(b"")
    path = folder / "config.yaml"
    path.write_text(RUN_KEYS + text, encoding="utf-8")
    cli = upstream.model_spec(upstream.load_config(path), cwd=folder, check_checkpoint=False)
    alg = ChangeMapAlgorithm()
    alg.initAlgorithm()
    spec, regex = alg.model_spec({"MODEL": 1, "MODEL_CONFIG": str(path), "CHECKPOINT": "", "DEVICE": 1},
                                 QgsProcessingContext(), QgsProcessingFeedback(), num_frames=2, patch_stride=16)
    return cli, spec, regex


@pytest.mark.parametrize("case", list(CASES))
def test_processing_and_cli_resolve_a_yaml_alike(tmp_path, qgis_app, case):
    cli, spec, regex = resolve_both(tmp_path, CASES[case])
    assert spec.preset == cli.preset
    assert spec.config == cli.config
    assert spec.checkpoint == cli.checkpoint == str(tmp_path / "weights" / "model.pth")
    assert regex == cli.preset.date_regex
    if case == "statistics and regex":
        assert spec.preset.mean == (1, 2, 3, 4, 5, 6) or list(spec.preset.mean) == [1, 2, 3, 4, 5, 6]
        assert regex == "_(\\d{8})_"
    else:
        assert spec.preset.name == "Planaura-1.0-S2" and regex == "_(\\d{8})_"
