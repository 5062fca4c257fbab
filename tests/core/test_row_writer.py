"""BlockRowWriter: rows written in a thread of its own give the file written in the caller's thread,
and the writing thread's errors reach the caller."""
from __future__ import annotations

import numpy as np
import pytest

from planaura_plugin.errors import OutputError
from planaura_plugin.raster.geotiff import GeoTiffWriter
from planaura_plugin.raster.row_writer import BlockRowWriter

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")


def _write(path, background: bool, chunks) -> np.ndarray:
    w = GeoTiffWriter(str(path), 300, 700, 2, np.float32, (0, 30, 0, 0, 0, -30), None, -100.0, fill=False)
    rows = BlockRowWriter(w, background=background)
    for chunk in chunks:
        rows.append(chunk)
    rows.finish()
    w.close()
    from osgeo import gdal

    return gdal.Open(str(path)).ReadAsArray()


def test_background_writing_gives_the_same_file(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(2, 700, 300)).astype(np.float32)
    cuts = [0, 5, 100, 256, 300, 511, 512, 700]  # groups that straddle block rows and end mid-block
    chunks = [data[:, a:b] for a, b in zip(cuts, cuts[1:])]
    fg = _write(tmp_path / "fg.tif", False, chunks)
    bg = _write(tmp_path / "bg.tif", True, chunks)
    assert np.array_equal(fg, data) and np.array_equal(bg, data)
    assert (tmp_path / "fg.tif").read_bytes() == (tmp_path / "bg.tif").read_bytes()


def test_missing_rows_are_an_error(tmp_path):
    w = GeoTiffWriter(str(tmp_path / "short.tif"), 10, 300, 1, np.uint8, None, None, 0, fill=False)
    rows = BlockRowWriter(w)
    rows.append(np.ones((1, 299, 10), np.uint8))
    with pytest.raises(RuntimeError, match="299 rows written of 300"):
        rows.finish()


def test_an_error_of_the_writing_thread_reaches_the_caller(tmp_path):
    w = GeoTiffWriter(str(tmp_path / "closed.tif"), 10, 600, 1, np.uint8, None, None, 0, fill=False)
    rows = BlockRowWriter(w)
    w.close()  # as a failed run's clean-up does: the rows still queued cannot be written
    rows.append(np.ones((1, 256, 10), np.uint8))
    with pytest.raises(OutputError, match="closed before all its rows were written"):
        rows.finish()
