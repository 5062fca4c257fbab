"""Helpers of the catalogue tests: the tiny model, the outputs asked for, reading them, a catalogue run."""
from __future__ import annotations

import datetime as dt

import numpy as np
from osgeo import gdal

from catalog_servers import BURN
from planaura_plugin.catalog.change_pair import CatalogChangeRequest, catalog_change_map
from planaura_plugin.catalog.sources import catalogue_for
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.requests import ChangeMapOutputs
from planaura_plugin.presets import HLS
from support import TINY

WINDOW_2021 = (dt.date(2021, 9, 1), dt.date(2021, 9, 10))
WINDOW_2022 = (dt.date(2022, 9, 1), dt.date(2022, 9, 5))


def tiny_spec(checkpoint) -> ModelSpec:
    """The tiny random model on the CPU (the checkpoint of the ``tiny_checkpoint`` fixture)."""
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(checkpoint), device="cpu", batch_size=4)


def outputs(folder) -> ChangeMapOutputs:
    return ChangeMapOutputs(cosine_map=str(folder / "cosine.tif"), quality_fmask=str(folder / "quality.tif"))


def read(path):
    ds = gdal.Open(str(path))
    return ds.ReadAsArray().astype(np.float64), ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize


def catalogue_run(servers, folder, spec, collection="hls-test", before_id="", after_id="", aoi=BURN,
                  before=WINDOW_2021, after=WINDOW_2022, **options):
    request = CatalogChangeRequest(catalogue=catalogue_for(servers.STAC), aoi=aoi, before=before, after=after,
                                   outputs=outputs(folder), scenes_table=str(folder / "scenes.csv"), model=spec,
                                   collections=(collection,), before_id=before_id, after_id=after_id, max_cloud=1.0,
                                   min_valid=0.0, **options)
    return catalog_change_map(request)
