"""Persistence mosaics count pairs, not files (pipeline/mosaic/identity.py).

A pair is its input images and dates (PLANAURA_INPUTS / PLANAURA_DATES): the same change map
given twice, a copy of it, or the same pair computed twice counts once, with a note. Companions
named in metadata are found next to the change map first (results copied elsewhere use their
own layers, not the originals'), must be the same pair's, and a change map reprojected after
the run (QGIS Warp keeps the metadata) is mosaicked without its stale companions, with a note.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import List

import numpy as np
import pytest
from osgeo import gdal

from golden_compare import read_bands
from planaura_plugin.errors import InputError
from planaura_plugin.feedback import Feedback
from planaura_plugin.pipeline.mosaic import find_pair_layers, run_mosaic
from planaura_plugin.pipeline.requests import MosaicRequest

H, W = 16, 20
UTM = "EPSG:32615"


def write_tif(path: Path, array: np.ndarray, nodata: float, metadata=None, origin=(600000.0, 3600000.0)) -> str:
    """A one-band GeoTIFF on a 30 m UTM 15N grid."""
    from osgeo import gdal_array, osr

    path.parent.mkdir(parents=True, exist_ok=True)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[1], array.shape[0], 1,
                                              gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    ds.SetGeoTransform((origin[0], 30.0, 0.0, origin[1], 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.SetFromUserInput(UTM)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).SetNoDataValue(float(nodata))
    ds.GetRasterBand(1).WriteArray(array)
    if metadata:
        ds.SetMetadata(metadata)
    ds = None
    return str(path)


def smooth(base: float = 0.2) -> np.ndarray:
    r, c = np.mgrid[0:H, 0:W]
    return (base + 0.01 * r + 0.005 * c).astype(np.float32)


def request_for(pairs, out: Path, **kw) -> MosaicRequest:
    kw.setdefault("target_crs", UTM)
    return MosaicRequest(pairs=pairs, output_dir=str(out), postfix="test", target_resolution=30.0, **kw)


class Notes(Feedback):
    def __init__(self) -> None:
        self.warnings: List[str] = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def run_with_metadata(folder: Path, images, dates, quality: int, cosine_base: float = 0.3,
                      origin=(600000.0, 3600000.0)) -> str:
    """A change map as the pipeline writes it: cosine + quality, each naming the other by absolute path."""
    folder.mkdir(parents=True, exist_ok=True)
    cos_path, q_path = folder / "change.tif", folder / "quality.tif"
    common = {"PLANAURA_INPUTS": json.dumps([str(p) for p in images]), "PLANAURA_DATES": json.dumps(dates)}
    write_tif(q_path, np.full((H, W), quality, np.uint8), nodata=255, origin=origin,
              metadata={**common, "PLANAURA_KIND": "quality_fmask",
                        "PLANAURA_COMPANIONS": json.dumps({"cosine_map": str(cos_path)})})
    return write_tif(cos_path, smooth(base=cosine_base), nodata=-100, origin=origin,
                     metadata={**common, "PLANAURA_KIND": "cosine_map",
                               "PLANAURA_COMPANIONS": json.dumps({"quality_fmask": str(q_path)})})


PAIR_A = (["/data/A.2021001T.tif", "/data/A.2022001T.tif"], [2021001, 2022001])
PAIR_B = (["/data/B.2021100T.tif", "/data/B.2022100T.tif"], [2021100, 2022100])


def persistence(written) -> np.ndarray:
    return read_bands(written["persistence"])[0]


def test_same_file_twice_counts_once(tmp_path):
    cosine = run_with_metadata(tmp_path / "run", *PAIR_A, quality=1)
    notes = Notes()
    written = run_mosaic(request_for(find_pair_layers([cosine, cosine]), tmp_path / "out"), notes)
    assert persistence(written).max() == 1
    assert len(notes.warnings) == 1 and "counted once" in notes.warnings[0] and cosine in notes.warnings[0]


def test_a_copy_and_a_second_computation_count_once(tmp_path):
    first = run_with_metadata(tmp_path / "run1", *PAIR_A, quality=1)
    again = run_with_metadata(tmp_path / "run2", *PAIR_A, quality=1, cosine_base=0.31)  # same pair, computed again
    shutil.copytree(tmp_path / "run1", tmp_path / "copy")
    copy = str(tmp_path / "copy" / "change.tif")
    notes = Notes()
    written = run_mosaic(request_for(find_pair_layers([first, again, copy]), tmp_path / "out"), notes)
    assert persistence(written).max() == 1
    assert len(notes.warnings) == 2


def test_two_different_pairs_still_count_twice(tmp_path):
    a = run_with_metadata(tmp_path / "a", *PAIR_A, quality=1)
    b = run_with_metadata(tmp_path / "b", *PAIR_B, quality=3)
    notes = Notes()
    written = run_mosaic(request_for(find_pair_layers([a, b]), tmp_path / "out"), notes)
    assert persistence(written).max() == 2 and not notes.warnings


def test_upstream_files_without_metadata_count_once_by_file_id(tmp_path):
    a = write_tif(tmp_path / "x" / "cosine_map!a21!a22.tif", smooth(), nodata=-100)
    b = write_tif(tmp_path / "y" / "cosine_map!a21!a22.tif", smooth(base=0.5), nodata=-100)
    notes = Notes()
    written = run_mosaic(request_for(find_pair_layers([a, b]), tmp_path / "out"), notes)
    assert persistence(written).max() == 1 and len(notes.warnings) == 1


def test_copied_results_use_their_own_companions_not_the_originals(tmp_path):
    run_with_metadata(tmp_path / "run", *PAIR_A, quality=1)
    shutil.copytree(tmp_path / "run", tmp_path / "moved")
    run_with_metadata(tmp_path / "run", *PAIR_B, quality=3)  # the original folder now holds another pair
    moved = str(tmp_path / "moved" / "change.tif")
    (pair,) = find_pair_layers([moved])
    assert pair.quality_fmask == str(tmp_path / "moved" / "quality.tif")
    written = run_mosaic(request_for([pair], tmp_path / "out"))
    quality = read_bands(written["quality_fmask"])[0]
    assert set(np.unique(quality)) <= {1, 255} and (quality == 1).any()


def test_another_pairs_companion_is_refused(tmp_path):
    cosine = run_with_metadata(tmp_path / "run", *PAIR_A, quality=1)
    run_with_metadata(tmp_path / "other", *PAIR_B, quality=3)
    (pair,) = find_pair_layers([cosine])
    pair.quality_fmask = str(tmp_path / "other" / "quality.tif")
    with pytest.raises(InputError, match="belongs to another pair"):
        run_mosaic(request_for([pair], tmp_path / "out"))


def test_reprojected_change_map_is_mosaicked_without_its_stale_companions(tmp_path):
    cosine = run_with_metadata(tmp_path / "run", *PAIR_A, quality=1)
    warped = str(tmp_path / "warped.tif")
    gdal.Warp(warped, cosine, dstSRS="EPSG:3979", resampleAlg="near", xRes=30, yRes=30)  # what QGIS Warp does
    assert "PLANAURA_COMPANIONS" in gdal.Open(warped).GetMetadata()  # the stale metadata travels with it
    (pair,) = find_pair_layers([warped])
    notes = Notes()
    written = run_mosaic(request_for([pair], tmp_path / "out", target_crs="EPSG:3979"), notes)
    assert set(written) >= {"cosine_map", "persistence"} and "quality_fmask" not in written
    assert persistence(written).max() == 1
    assert len(notes.warnings) == 1 and "reprojected" in notes.warnings[0]


def test_explicit_layer_on_another_grid_is_refused_with_what_to_do(tmp_path):
    cosine = run_with_metadata(tmp_path / "run", *PAIR_A, quality=1)
    (pair,) = find_pair_layers([cosine])
    pair.after_date = write_tif(tmp_path / "shifted_after.tif", np.full((H, W), 2022001, np.int32), nodata=-100,
                                origin=(600030.0, 3600000.0))
    with pytest.raises(InputError, match="reproject all of them onto one grid"):
        run_mosaic(request_for([pair], tmp_path / "out"))


def test_images_named_alike_in_two_folders_are_two_pairs(tmp_path):
    """Two crops saved under the same names in two folders (the QGIS tests' pairs A and B) are two pairs."""
    a = run_with_metadata(tmp_path / "a", ["/crops/a/before.tif", "/crops/a/after.tif"], [2021001, 2022001], 1)
    b = run_with_metadata(tmp_path / "b", ["/crops/b/before.tif", "/crops/b/after.tif"], [2021001, 2022001], 1)
    notes = Notes()
    written = run_mosaic(request_for(find_pair_layers([a, b]), tmp_path / "out"), notes)
    assert persistence(written).max() == 2 and not notes.warnings


def test_one_pair_over_two_separate_areas_is_kept_whole(tmp_path):
    west = run_with_metadata(tmp_path / "west", *PAIR_A, quality=1)
    east = run_with_metadata(tmp_path / "east", *PAIR_A, quality=1, origin=(600000.0 + 30 * (W + 5), 3600000.0))
    notes = Notes()
    written = run_mosaic(request_for(find_pair_layers([west, east]), tmp_path / "out"), notes)
    counts = persistence(written)
    assert counts.max() == 1 and int((counts == 1).sum()) == 2 * H * W and not notes.warnings


def test_one_pair_over_overlapping_areas_is_refused(tmp_path):
    first = run_with_metadata(tmp_path / "first", *PAIR_A, quality=1)
    shifted = run_with_metadata(tmp_path / "shifted", *PAIR_A, quality=1, origin=(600000.0 + 30 * 5, 3600000.0))
    with pytest.raises(InputError, match="same pair .* over overlapping areas"):
        run_mosaic(request_for(find_pair_layers([first, shifted]), tmp_path / "out"))
