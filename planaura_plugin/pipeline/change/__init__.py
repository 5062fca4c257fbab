"""The change-map pipeline: per-pair change maps, embeddings and reconstructions (SPEC 3, 4, 6).

The public face of the sub-package; its modules, bottom up:

- :mod:`.tile_workers`: thread pools and the model's batch size;
- :mod:`.valid_tiles`: the minimum-valid pre-pass (which tiles every date covers);
- :mod:`.output_sizes`: how large each output will be, before the model runs;
- :mod:`.plan`: every check and the tiles, frozen into a :class:`ChangeMapPlan`;
- :mod:`.tiles`: the maps of one tile (classes, worst quality, upsampling);
- :mod:`.outputs`: the output files; :mod:`.run`: the reader, model and writer threads;
- :mod:`.maps`: :func:`run_change_map`, plan then run; :mod:`.embeddings`: the same with
  feature outputs only.
"""
from .embeddings import LARGE_EMBEDDINGS_BYTES, embeddings_bytes, embeddings_request, run_embeddings
from .maps import run_change_map
from .output_sizes import LARGE_OUTPUT_BYTES, cheaper_setting, declared_sizes, format_bytes
from .plan import PREPASS_SHARE, SHIFT_STEP, ChangeMapPlan, date_readers, no_tile_message, plan_change_map
from .tiles import change_classes, worst_quality

__all__ = ["LARGE_EMBEDDINGS_BYTES", "LARGE_OUTPUT_BYTES", "PREPASS_SHARE", "SHIFT_STEP", "ChangeMapPlan",
           "change_classes", "cheaper_setting", "date_readers", "declared_sizes", "embeddings_bytes",
           "embeddings_request", "format_bytes", "no_tile_message", "plan_change_map", "run_change_map",
           "run_embeddings", "worst_quality"]
