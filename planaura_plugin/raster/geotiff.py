"""Writing GeoTIFFs safely: block by block, under a temporary name, renamed when complete.

An interrupted or cancelled run therefore never leaves a file with a final name that is
only half written: :class:`OutputSet` removes its temporary files on failure.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np

from ..errors import OutputError

COMPRESSIONS = ("LZW", "DEFLATE", "ZSTD", "NONE")


def creation_options(compression: str = "LZW", block: int = 256) -> List[str]:
    """Tiled, compressed, BigTIFF when needed: every output of the plugin uses these."""
    comp = (compression or "NONE").upper()
    if comp not in COMPRESSIONS:
        raise ValueError(f"compression must be one of {', '.join(COMPRESSIONS)}, got {compression!r}")
    opts = ["TILED=YES", f"BLOCKXSIZE={block}", f"BLOCKYSIZE={block}", "BIGTIFF=IF_SAFER"]
    if comp != "NONE":
        opts.append(f"COMPRESS={comp}")
    return opts


def gdal_type(dtype) -> int:
    from osgeo import gdal_array

    code = gdal_array.NumericTypeCodeToGDALTypeCode(np.dtype(dtype))
    if code is None:
        raise ValueError(f"no GDAL type for {dtype}")
    return code


def check_writable(path: Union[str, Path]) -> None:
    """Fail early (before any model work) when ``path`` cannot be created."""
    folder = Path(path).resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".planaura-write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write into the output folder {folder}: {exc.strerror or exc}") from exc
    if Path(path).is_dir():
        raise OutputError(f"the output path {path} is a folder, a file name is needed")


def check_not_inputs(outputs: Iterable[Union[str, Path]], inputs: Iterable[Union[str, Path]]) -> None:
    """Outputs must never overwrite inputs."""
    ins = {os.path.realpath(str(p)) for p in inputs if p}
    for out in outputs:
        if out and os.path.realpath(str(out)) in ins:
            raise OutputError(f"the output {out} is also an input; choose another output file name")


class GeoTiffWriter:
    """A GeoTIFF written by blocks under a temporary name (see :class:`OutputSet`)."""

    def __init__(self, path: Union[str, Path], width: int, height: int, bands: int, dtype,
                 geotransform: Optional[Sequence[float]], projection: Optional[str], nodata: Optional[float],
                 compression: str = "LZW", band_names: Optional[Sequence[str]] = None,
                 metadata: Optional[Mapping[str, str]] = None, temp_path: Optional[str] = None,
                 fill: bool = True, block: int = 256) -> None:
        """``fill``: write nodata everywhere first (leave False when every block will be written);
        ``block``: the GeoTIFF block size."""
        from osgeo import gdal

        self.path = str(path)
        self.temp_path = temp_path or self.path
        self.dtype = np.dtype(dtype)
        self.nodata = nodata
        driver = gdal.GetDriverByName("GTiff")
        self.ds = driver.Create(self.temp_path, int(width), int(height), int(bands), gdal_type(dtype),
                                creation_options(compression, block))
        if self.ds is None:
            raise OutputError(f"GDAL could not create {self.path}: {gdal.GetLastErrorMsg()}")
        if geotransform is not None:
            self.ds.SetGeoTransform([float(v) for v in geotransform])
        if projection:
            self.ds.SetProjection(projection)
        for b in range(bands):
            band = self.ds.GetRasterBand(b + 1)
            if nodata is not None:
                band.SetNoDataValue(float(nodata))
                if fill:
                    band.Fill(float(nodata))
            if band_names:
                band.SetDescription(str(band_names[b]))
        if metadata:
            self.ds.SetMetadata({str(k): str(v) for k, v in metadata.items()})

    @property
    def width(self) -> int:
        return self.ds.RasterXSize

    @property
    def height(self) -> int:
        return self.ds.RasterYSize

    def write(self, array: np.ndarray, xoff: int = 0, yoff: int = 0) -> None:
        """Write (bands, h, w) or (h, w) at pixel offset (xoff, yoff)."""
        a = np.asarray(array)
        if a.ndim == 2:
            a = a[None]
        for b in range(a.shape[0]):
            self.ds.GetRasterBand(b + 1).WriteArray(a[b].astype(self.dtype, copy=False), int(xoff), int(yoff))

    def build_overviews(self, levels: Sequence[int] = (2, 4, 8, 16), resampling: str = "AVERAGE") -> None:
        levels = [lv for lv in levels if min(self.width, self.height) // lv >= 1]
        if levels:
            self.ds.BuildOverviews(resampling, list(levels))

    def close(self) -> None:
        if self.ds is not None:
            self.ds.FlushCache()
            self.ds = None


class OutputSet:
    """The files of one run: created under temporary names, renamed together on success.

    Use as a context manager; on any exception (cancel included) every temporary file is
    removed and no final name is touched.
    """

    def __init__(self) -> None:
        self._writers: Dict[str, GeoTiffWriter] = {}
        self._temps: Dict[str, str] = {}  # final -> temporary path
        self._token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def temp_name(self, final: Union[str, Path]) -> str:
        final = str(final)
        folder, name = os.path.split(os.path.abspath(final))
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{name}.{self._token}.partial{os.path.splitext(name)[1]}")
        self._temps[os.path.abspath(final)] = tmp
        return tmp

    def create(self, path: Union[str, Path], **kwargs) -> GeoTiffWriter:
        final = os.path.abspath(str(path))
        writer = GeoTiffWriter(final, temp_path=self.temp_name(final), **kwargs)
        self._writers[final] = writer
        return writer

    def writer(self, path: Union[str, Path]) -> GeoTiffWriter:
        return self._writers[os.path.abspath(str(path))]

    def commit(self) -> List[str]:
        """Close every writer and move each temporary file to its final name."""
        for w in self._writers.values():
            w.close()
        done = []
        for final, tmp in self._temps.items():
            if os.path.exists(tmp):
                os.replace(tmp, final)
                done.append(final)
        self._temps.clear()
        self._writers.clear()
        return done

    def abort(self) -> None:
        for w in self._writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - cleaning up after a failure
                pass
        for tmp in self._temps.values():
            for p in (tmp, tmp + ".aux.xml", tmp + ".ovr"):
                if os.path.exists(p):
                    os.remove(p)
        self._temps.clear()
        self._writers.clear()

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
