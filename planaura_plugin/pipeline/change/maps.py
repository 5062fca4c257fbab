"""Per-pair change maps, embeddings and reconstructions of one, two or three dates (SPEC 3, 4, 6).

Everything the reference does with temporary tile files happens here in memory, streamed:
tiles of the first image are cut row-major, every date is read on them (integer offset or
GDAL warp), the model runs on batches, and each tile's maps are upsampled and stitched
into rows that are written as soon as no later tile can touch them. A reader thread
prepares the next batches and a writer thread stitches and writes while the model runs.

All checks (inputs, bands, overlap, outputs) and the minimum-valid filter run before the
model is loaded; all outputs are written under temporary names and renamed together.

Modules: :mod:`.plan` (checks and tiles), :mod:`.tiles` (per-tile maps),
:mod:`.outputs` (the output files), :mod:`.run` (the threads and the model).
"""
from __future__ import annotations

import os
from typing import Dict, Optional

from ...feedback import Feedback, ensure_feedback
from ...i18n import _
from ...raster.geotiff import OutputSet
from ..requests import ChangeMapRequest
from .outputs import ChangeMapFiles
from .plan import date_readers, no_tile_message, plan_change_map
from .run import ChangeMapRun


def run_change_map(request: ChangeMapRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Run one image, pair or triple; returns ``{kind: path}`` of the files written.

    Returns an empty dict (with a warning) when no tile has enough valid pixels.
    """
    fb = ensure_feedback(feedback)
    fb.progress(0.0, _("checking inputs"))
    plan = plan_change_map(request, fb)
    for line in plan.warnings:
        fb.warning(line)
    if not plan.passes[0]:
        fb.warning(no_tile_message(plan))
        return {}
    n_tiles = sum(len(p) for p in plan.passes)
    fb.info(_("{n} tile(s) of {size} px in {passes} pass(es); output grid {width} x {height}").format(
        n=n_tiles, size=plan.tile_size, passes=len(plan.passes), width=plan.map_grid.width,
        height=plan.map_grid.height))
    for info, reader in zip(plan.infos[1:], date_readers(plan, with_fmask=False)[1:]):
        if not reader.same_grid:
            fb.info(_("{name} is on another grid: it is warped onto each tile (cubic)").format(
                name=os.path.basename(info.name)))

    from ...model.loading import get_runner

    def load_runner():
        from ...model.runtime_info import describe_runtime, runtime_line

        runner = get_runner(request.model.for_run(plan.frames, plan.stride))
        fb.info(runtime_line(describe_runtime()))  # threads and BLAS: QGIS and a shell can differ
        return runner

    with OutputSet() as outset:
        outputs = ChangeMapFiles(plan, outset)
        try:
            ChangeMapRun(plan, load_runner, outputs, fb).execute()
        except BaseException:
            outputs.close_tables()
            raise
        outset.commit()
    fb.progress(1.0, _("done"))
    return dict(plan.outputs)

