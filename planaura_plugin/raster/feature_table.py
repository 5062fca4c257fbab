"""Feature tables: one row per map pixel with its coordinates and every embedding channel.

Formats by extension: ``.csv`` (x, y, f0..), ``.parquet`` / ``.geoparquet`` (GeoParquet
1.1: float16 ``f<k>`` columns, WKB point ``geometry`` and a ``bbox`` covering column, as
the reference writes them; needs pyarrow) and ``.gpkg`` (points through OGR). Rows are
appended as tiles arrive, so a table never sits in memory whole.
"""
from __future__ import annotations

import json
import os
import struct
from typing import Any, Mapping, Optional

import numpy as np

from ..errors import MissingDependencyError, OutputError
from ..i18n import _
from .write_checks import GdalWriteCheck, close_dataset

TABLE_EXTENSIONS = (".csv", ".parquet", ".geoparquet", ".gpkg")


def table_format(path: str) -> str:
    ext = os.path.splitext(str(path))[1].lower()
    if ext not in TABLE_EXTENSIONS:
        raise OutputError(_("a feature table must end with one of {table_extensions}, got {path}").format(
                              table_extensions=', '.join(TABLE_EXTENSIONS), path=path))
    return ext


def require_pyarrow():
    try:
        import pyarrow  # noqa: F401 - imported only to see whether it is installed
        import pyarrow.parquet  # noqa: F401 - idem
    except ImportError as exc:
        raise MissingDependencyError(
            _("writing a (Geo)Parquet feature table needs the Python package pyarrow, which is not installed; install "
              "the plugin's dependencies (pyarrow) or choose a .csv or .gpkg table")) from exc


def coordinate_precision(crs_wkt: str) -> float:
    """Grid the point coordinates are rounded to: 1e-8 degree for geographic CRSs, else 1e-3 (the reference's)."""
    if crs_wkt:
        from ..gdal_calls import spatial_reference

        srs, _reason = spatial_reference(crs_wkt, gis_order=False)
        if srs is not None and srs.IsGeographic():
            return 1e-8
    return 1e-3


class FeatureTableWriter:
    """Streams rows (x, y, features) into a table file; :meth:`close` completes it."""

    def __init__(self, path: str, channels: int, crs_wkt: str = "",
                 metadata: Optional[Mapping[str, str]] = None, write_path: Optional[str] = None) -> None:
        self.path = str(path)
        self.write_path = str(write_path or path)
        self.channels = int(channels)
        self.crs_wkt = crs_wkt or ""
        self.metadata = {str(k): str(v) for k, v in (metadata or {}).items()}
        self.format = table_format(self.path)
        self.names = [f"f{k}" for k in range(self.channels)]
        self.rows = 0
        self.grid = coordinate_precision(self.crs_wkt)
        # the open file / ParquetWriter / OGR data source and layer (untyped third-party handles)
        self._fh: Any = None
        self._pq: Any = None
        self._ds: Any = None
        self._layer: Any = None
        self._check = GdalWriteCheck(self.path, self.write_path)  # OGR's writes (GeoPackage)
        if self.format == ".csv":
            self._fh = open(self.write_path, "w", encoding="utf-8", newline="\n")
            self._fh.write(",".join(["x", "y"] + self.names) + "\n")
        elif self.format in (".parquet", ".geoparquet"):
            require_pyarrow()
            self._open_parquet()
        else:
            self._open_gpkg()

    # -- GeoParquet ---------------------------------------------------------------------------
    def _open_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        bbox_type = pa.struct([(k, pa.float64()) for k in ("xmin", "ymin", "xmax", "ymax")])
        fields = [pa.field(n, pa.float16()) for n in self.names]
        fields += [pa.field("geometry", pa.binary()), pa.field("bbox", bbox_type)]
        geo = {"version": "1.1.0", "primary_column": "geometry",
               "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"],
                                        "crs": self._projjson(),
                                        "covering": {"bbox": {k: ["bbox", k] for k in
                                                              ("xmin", "ymin", "xmax", "ymax")}}}}}
        meta = {b"geo": json.dumps(geo).encode()}
        meta.update({k.encode(): v.encode() for k, v in self.metadata.items()})
        self._schema = pa.schema(fields, metadata=meta)
        self._pq = pq.ParquetWriter(self.write_path, self._schema, compression="zstd")

    def _projjson(self):
        if not self.crs_wkt:
            return None
        from ..gdal_calls import gdal_call, spatial_reference

        srs, _reason = spatial_reference(self.crs_wkt, gis_order=False)
        projjson, _reason = gdal_call(srs.ExportToPROJJSON) if srs is not None else (None, "")
        return json.loads(projjson) if projjson else self.crs_wkt  # WKT in a string when OSR cannot write PROJJSON

    def _append_parquet(self, x: np.ndarray, y: np.ndarray, feats: np.ndarray) -> None:
        import pyarrow as pa

        wkb = [struct.pack("<BIdd", 1, 1, float(a), float(b)) for a, b in zip(x, y)]
        cols = [pa.array(feats[:, k].astype(np.float16), type=pa.float16()) for k in range(self.channels)]
        cols.append(pa.array(wkb, type=pa.binary()))
        cols.append(pa.StructArray.from_arrays([pa.array(x), pa.array(y), pa.array(x), pa.array(y)],
                                               names=["xmin", "ymin", "xmax", "ymax"]))
        self._pq.write_table(pa.Table.from_arrays(cols, schema=self._schema), row_group_size=100_000)

    # -- GeoPackage -----------------------------------------------------------------------------
    def _open_gpkg(self) -> None:
        from osgeo import ogr

        from ..gdal_calls import gdal_call, spatial_reference

        driver = ogr.GetDriverByName("GPKG")
        self._ds, _reason = gdal_call(driver.CreateDataSource, self.write_path)
        if self._ds is None:
            raise OutputError(_("OGR could not create {path}").format(path=self.path))
        srs = spatial_reference(self.crs_wkt, gis_order=False)[0] if self.crs_wkt else None
        name = os.path.splitext(os.path.basename(self.path))[0]
        self._layer, _reason = gdal_call(self._ds.CreateLayer, name, srs, ogr.wkbPoint, ["SPATIAL_INDEX=YES"])
        if self._layer is None:
            raise OutputError(_("OGR could not create {path}").format(path=self.path))
        for n in self.names:
            field = ogr.FieldDefn(n, ogr.OFTReal)
            field.SetSubType(ogr.OFSTFloat32)
            self._layer.CreateField(field)
        if self.metadata:
            self._layer.SetMetadata(dict(self.metadata))

    def _append_gpkg(self, x: np.ndarray, y: np.ndarray, feats: np.ndarray) -> None:
        from osgeo import ogr

        defn = self._layer.GetLayerDefn()
        self._layer.StartTransaction()

        def create_features() -> int:
            """Create the rows; the number of features OGR refused (a non-zero OGRErr)."""
            refused = 0
            for i in range(len(x)):
                f = ogr.Feature(defn)
                f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(struct.pack("<BIdd", 1, 1, float(x[i]), float(y[i]))))
                for k in range(self.channels):
                    f.SetField(k, float(feats[i, k]))
                refused += self._layer.CreateFeature(f) not in (None, 0)
            return refused

        if self._check.run(create_features):
            self._check.failure = self._check.failure or "a feature could not be written"
            self._check.check()
        if self._check.run(self._layer.CommitTransaction) not in (None, 0):
            self._check.failure = self._check.failure or "the transaction could not be committed"
            self._check.check()

    # -- common -----------------------------------------------------------------------------------
    def append(self, x: np.ndarray, y: np.ndarray, feats: np.ndarray) -> None:
        """Rows with point coordinates ``x``, ``y`` (n,) and features (n, channels)."""
        g = self.grid
        x = np.round(np.asarray(x, dtype=np.float64) / g) * g
        y = np.round(np.asarray(y, dtype=np.float64) / g) * g
        feats = np.asarray(feats, dtype=np.float32).reshape(len(x), self.channels)
        if not len(x):
            return
        if self._fh is not None:
            block = np.column_stack([x, y, feats.astype(np.float64)])
            fmt = ["%.12g", "%.12g"] + ["%.7g"] * self.channels
            np.savetxt(self._fh, block, fmt=fmt, delimiter=",")
        elif self._pq is not None:
            self._append_parquet(x, y, feats)
        else:
            self._append_gpkg(x, y, feats)
        self.rows += len(x)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._pq is not None:
            self._pq.close()
            self._pq = None
        if self._ds is not None:
            self._layer = None
            close_dataset(self._check, self, "_ds")
