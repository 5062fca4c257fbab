"""The output files of a change-map run and how stitched rows become their values."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple

import numpy as np

from ...i18n import _
from ...products import CHANGE_KINDS, PRODUCTS
from ...raster.feature_table import FeatureTableWriter
from ...raster.geotiff import OutputSet
from ...raster.layout import OutputGrid
from ...raster.row_writer import BlockRowWriter
from ... import provenance
from .. import metadata as md
from ...products import DATE_NODATA
from .plan import ChangeMapPlan
from .tiles import change_classes, worst_quality


# ----------------------------------------------------------------------------------------------
# outputs
# ----------------------------------------------------------------------------------------------
class ChangeMapFiles:
    """The output files of a run and how stitched rows become their values."""

    def __init__(self, plan: ChangeMapPlan, outset: OutputSet) -> None:
        self.plan = plan
        req = plan.request
        preset = req.model.preset
        base = plan.base
        self.rows: Dict[str, BlockRowWriter] = {}
        self.tables: Dict[int, FeatureTableWriter] = {}
        common: Dict[str, Any] = dict(inputs=[i.name for i in plan.infos], dates=plan.dates,
                                      companions=plan.outputs, patch_stride=plan.stride, upsampled=plan.upsampled,
                                      model=preset.name, checkpoint=str(req.model.checkpoint or ""))
        # how the outputs were made (provenance.py): on every output and in a JSON beside them
        self.provenance = provenance.change_map_record(req, plan.dates)
        record_items = provenance.metadata_items(self.provenance)
        if req.provenance_file:
            sidecar = provenance.sidecar_path(list(plan.outputs.values()))
            provenance.write_sidecar(self.provenance, outset.temp_name(sidecar))

        def raster(kind: str, grid: OutputGrid, bands: int, dtype, nodata, names, frame=None, emb=None):
            gt: Optional[Tuple[float, ...]] = grid.geotransform(base.geotransform)
            if not base.georeferenced and gt == (0.0, 1.0, 0.0, 0.0, 0.0, 1.0):
                gt = None
            meta = {**md.output_metadata(kind, frame=frame, embeddings=emb, **common), **record_items}
            w = outset.create(plan.outputs[kind], width=grid.width, height=grid.height, bands=bands, dtype=dtype,
                              geotransform=gt, projection=base.projection, nodata=nodata,
                              compression=req.compression, band_names=names, metadata=meta, fill=False)
            self.rows[kind] = BlockRowWriter(w)

        mg = plan.map_grid
        for kind in CHANGE_KINDS:  # one band each, type, nodata and band name from the registry
            product = PRODUCTS[kind]
            if kind in plan.outputs:
                raster(kind, mg, 1, product.dtype, product.nodata, [_(n) for n in product.band_names])
        maps = PRODUCTS["feature_maps"]
        for t in plan.kinds("feature_maps_"):
            raster(f"feature_maps_{t}", mg, len(plan.raster_channels), maps.dtype, maps.nodata,
                   [f"f{k}" for k in plan.raster_channels], frame=t, emb=plan.raster_channels)
        ig = plan.infer_grid or mg
        for t in plan.kinds("infer_"):
            raster(f"infer_{t}", ig, len(preset.bands), np.float32, float(preset.no_data), list(preset.bands), frame=t)
        embed = req.model.config.embed_dim
        for t, path in plan.kinds("feature_table_").items():
            meta = {**md.output_metadata(f"feature_table_{t}", frame=t, embeddings=list(range(embed)), **common),
                    **record_items}
            self.tables[t] = FeatureTableWriter(path, embed, base.projection, meta,
                                                write_path=outset.temp_name(path))
        self.dates_lookup = np.array([DATE_NODATA if d is None else d for d in plan.dates[:-1]] or [DATE_NODATA],
                                     dtype=np.int32)
        self.after = DATE_NODATA if plan.dates[-1] is None else int(plan.dates[-1])

    def write_map_rows(self, rows: Mapping[str, np.ndarray]) -> None:
        plan = self.plan
        out = plan.outputs
        if "cosine" in rows:
            cos = rows["cosine"]
            if "cosine_map" in out:
                self.rows["cosine_map"].append(cos)
            if "classes" in out:
                self.rows["classes"].append(change_classes(cos, plan.request.class_thresholds))
        if "which" in rows:
            which = rows["which"]
            valid = which != DATE_NODATA
            if "before_date" in out:
                idx = np.clip(which, 0, len(self.dates_lookup) - 1)
                self.rows["before_date"].append(np.where(valid, self.dates_lookup[idx], DATE_NODATA).astype(np.int32))
            if "after_date" in out:
                self.rows["after_date"].append(np.where(valid, self.after, DATE_NODATA).astype(np.int32))
            if "quality_fmask" in out:
                self.rows["quality_fmask"].append(worst_quality(which, [rows[f"fmask{t}"]
                                                                         for t in range(plan.frames)]))
        for t in plan.kinds("feature_maps_"):
            self.rows[f"feature_maps_{t}"].append(rows[f"feat{t}"])
        if plan.infer_grid is None:
            self.write_infer_rows(rows)

    def write_infer_rows(self, rows: Mapping[str, np.ndarray]) -> None:
        for t in self.plan.kinds("infer_"):
            self.rows[f"infer_{t}"].append(rows[f"infer{t}"])

    def finish(self) -> None:
        for w in self.rows.values():
            w.finish()
        self.close_tables()

    def close_tables(self) -> None:
        for t in self.tables.values():
            t.close()
