"""What a change-polygons run takes and gives: the request, the map read, counts, zonal statistics, summary."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..products import DEFAULT_CLASS_THRESHOLDS

BBox = Tuple[float, float, float, float]
CHANGE_CLASSES = (2, 3, 4)
HISTOGRAM_BINS = 40  # cosine histogram from -1 to 1, 0.05 wide
VECTOR_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".fgb": "FlatGeobuf",
                  ".shp": "ESRI Shapefile", ".sqlite": "SQLite"}
COMPANION_KINDS = ("before_date", "after_date", "persistence")


@dataclass
class PolygonRequest:
    """What :func:`run_change_polygons` is asked for.

    Attributes:
        change_map: a float cosine raster (1 band, nodata -100 unless the file says otherwise).
        output: the vector file to write (``.gpkg`` by default; ``.geojson``, ``.fgb`` also).
        thresholds: three decreasing cosines (classes 1 > t0, 2 (t1, t0], 3 (t2, t1], 4 <= t2) or
            one cosine (1 above it, 4 "change" at or below it).
        min_area_ha: polygons smaller than this (hectares) are left out.
        bbox: (xmin, ymin, xmax, ymax) in the map's CRS; only pixels inside are analysed.
        mask: an OGR dataset of polygons (any CRS); only pixels whose centre is inside are analysed.
        simplify: tolerance (map units) of a validity-keeping simplification; 0 = none.
        before_date, after_date, persistence: explicit companion layers on the map's grid; None =
            found from the map's metadata or upstream file names when ``find_companions``.
        report: an ``.html`` area report to write (a ``.csv`` and a ``.png`` histogram beside).
        texts: report texts replacing the English ones (see :data:`.report.TEXTS`).
    """

    change_map: str
    output: str
    thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS
    min_area_ha: float = 0.0
    bbox: Optional[BBox] = None
    mask: Optional[str] = None
    simplify: float = 0.0
    before_date: Optional[str] = None
    after_date: Optional[str] = None
    persistence: Optional[str] = None
    find_companions: bool = True
    report: Optional[str] = None
    texts: Optional[Dict[str, str]] = None
    layer_name: str = "change_polygons"
    largest: int = 10
    block_rows: int = 256
    change_types: Optional[str] = None  # change types raster on the map's grid (else found beside it)


@dataclass
class MapSource:
    """The analysed window of a change map: pixels ``[xoff, xoff + width)`` x ``[yoff, yoff + height)``."""

    path: str
    width: int
    height: int
    xoff: int
    yoff: int
    full_size: Tuple[int, int]
    full_geotransform: Tuple[float, ...]
    geotransform: Tuple[float, ...]  # of the window
    projection: str
    nodata: float
    metadata: Dict[str, Any]


@dataclass
class ClassCounts:
    """Pixels and areas of the analysed window per class (index = class code 0-4), and the histogram."""

    pixels: np.ndarray
    area_m2: np.ndarray
    histogram: np.ndarray
    edges: np.ndarray


@dataclass
class ZonalStats:
    """Per polygon id (index 0 unused): pixels, sum and minimum of the cosines, area (m², see
    :class:`.areas.AreaMeter`), companions."""

    pixels: np.ndarray
    cos_sum: np.ndarray
    cos_min: np.ndarray
    area_m2: np.ndarray
    persistence: Optional[np.ndarray] = None
    dates: Dict[str, np.ndarray] = field(default_factory=dict)  # kind -> YYYYDDD per id (-100 = none)


@dataclass
class PolygonSummary:
    """Everything the area report says; areas in hectares, per class code."""

    request: PolygonRequest
    thresholds: Tuple[float, ...]
    area_kind: str  # "ellipsoid" (true areas on ``ellipsoid``) or "none" (no CRS: square map units)
    pixel_size: Tuple[float, float]
    analysed_pixels: int
    analysed_ha: float
    class_pixels: Dict[int, int]
    class_pixel_ha: Dict[int, float]
    polygons: Dict[int, int] = field(default_factory=dict)
    polygon_ha: Dict[int, float] = field(default_factory=dict)
    filtered: Dict[int, int] = field(default_factory=dict)
    filtered_ha: Dict[int, float] = field(default_factory=dict)
    largest: List[Dict[str, Any]] = field(default_factory=list)
    histogram: List[int] = field(default_factory=list)
    edges: List[float] = field(default_factory=list)
    metadata: Dict[str, Any] = field(default_factory=dict)
    companions: Dict[str, str] = field(default_factory=dict)
    dates: Tuple[Optional[int], Optional[int]] = (None, None)
    type_areas: List[Dict[str, Any]] = field(default_factory=list)  # per change type: type, pixels, area_ha
    types_source: str = ""
    ellipsoid: str = ""  # the ellipsoid areas are measured on (the CRS's)

    @property
    def total_polygons(self) -> int:
        """Change polygons written (all classes)."""
        return int(sum(self.polygons.values()))

    @property
    def total_change_ha(self) -> float:
        """Area of the change polygons written, in hectares."""
        return float(sum(self.polygon_ha.values()))
