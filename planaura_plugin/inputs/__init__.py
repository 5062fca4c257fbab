"""What a user hands us, made into "six model bands on a grid, with validity".

Everything here runs before any model work and never imports QGIS or torch.

- :mod:`.sources` (``ImageSource``): one date's GDAL dataset name, the band numbers that hold
  the model bands in model order (B02, B03, B04, B8A, B11, B12), the per-band offset/scale to
  the model's DN convention, the validity rules (declared nodata, NaN, alpha and mask bands)
  and the quality source; :func:`.sources.model_view` turns it into the dataset the
  raster reader opens (the file itself when nothing needs changing, else a VRT).
- :mod:`.products`: imagery as distributed (HLS v2.0 granules as per-band files, Sentinel-2
  L2A SAFE products) resolved into a :class:`DistributedProduct`.
- :mod:`.bands`: band mapping from band descriptions / names.
- :mod:`.checks`: semantic checks of values (scale, offsets, dates) before the model runs.
- :mod:`.radiometry`, :mod:`.landsat`: the radiometric conversion an input declares (product
  offsets, Landsat Collection 2 Level-2 DN) and its evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from ..quality_kinds import QualitySource


@dataclass(frozen=True)
class DistributedProduct:
    """One date of imagery as distributed, resolved to what the pipeline needs.

    Attributes:
        label: what the user chose (the band file, SAFE folder, zip or MTD file), for messages
            and for date parsing / output naming.
        dataset: GDAL dataset name holding the bands: a VRT XML string (HLS per-band files
            stacked) or a sub-dataset name (``SENTINEL2_L2A:...:20m:EPSG_32615``).
        bands: 1-based band numbers in ``dataset`` for B02, B03, B04, B8A, B11, B12 (model order).
        offsets: per model band, the additive DN offset that brings the values to
            DN = 10000 x reflectance (Sentinel-2 baseline >= 04.00: +BOA_ADD_OFFSET i.e. -1000;
            HLS: 0). Applied to valid pixels only; nodata stays nodata.
        nodata: the value the distributor uses for "no data" in ``dataset`` (HLS -9999, S2 0).
        quality: the product's quality layer (HLS Fmask, Sentinel-2 SCL), or None.
        date: acquisition date YYYYDDD from the product's name or metadata, or None.
        kind: "HLS.S30", "HLS.L30", "S2_L2A" ...
        radiometry: what the ``offsets`` (and the values' scale) come from, for the log: the
            metadata key or the rule of the distributor that says so.
    """

    label: str
    dataset: str
    bands: Tuple[int, ...]
    offsets: Tuple[float, ...] = (0.0,) * 6
    nodata: Optional[float] = None
    quality: Optional[QualitySource] = None
    date: Optional[int] = None
    kind: str = ""
    notes: Tuple[str, ...] = field(default=())  # facts worth logging (e.g. "baseline 04.00: offset -1000 removed")
    radiometry: str = ""
