"""Quality layers: the kinds of per-pixel quality a date can carry and where a date's comes from.

A leaf of the core (imports nothing of it): the input adapters (:mod:`.inputs`) declare a
:class:`QualitySource`, the raster reader (:mod:`.raster.reader`) reads it and
:func:`.fmask.decode_quality` turns its values into the quality codes of SPEC section 4.
"""
from __future__ import annotations

from dataclasses import dataclass

# quality kinds a QualitySource can hold
QUALITY_FMASK_BITWISE = "fmask_bitwise"   # HLS Fmask bit flags (SPEC 4)
QUALITY_FMASK_CLASSES = "fmask_classes"   # already integer quality codes (0,1,2,3,4,6; 255 fill)
QUALITY_SCL = "scl"                       # Sentinel-2 scene classification (SPEC 8), mapped to codes


@dataclass(frozen=True)
class QualitySource:
    """Where a date's per-pixel quality comes from.

    ``dataset`` is a GDAL dataset name (file path, ``/vsizip/...``, a Sentinel-2
    sub-dataset, or VRT XML), ``band`` the 1-based band in it, ``kind`` one of the
    ``QUALITY_*`` constants above.
    """

    dataset: str
    kind: str = QUALITY_FMASK_BITWISE
    band: int = 1
    label: str = ""  # what to call it in messages (a file name); defaults to ``dataset``

    @property
    def name(self) -> str:
        return self.label or self.dataset
