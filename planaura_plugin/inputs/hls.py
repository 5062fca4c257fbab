"""HLS v2.0 granules as NASA LP DAAC distributes them (SPEC section 8).

One Cloud-Optimised GeoTIFF per band, named
``HLS.<S30|L30>.T<MGRS tile>.<YYYYDDD>T<HHMMSS>.v2.0.<band>.tif``: int16 surface reflectance
x 10000, fill -9999, 30 m UTM grid; beside them ``<...>.Fmask.tif`` (uint8 bit flags, SPEC 4)
and the angle bands (SZA, SAA, VZA, VAA). Any one of these files, or a folder holding exactly
one granule, designates the granule; it becomes a VRT that stacks the six model bands
(B02, B03, B04, B8A, B11, B12; Landsat-based L30: B02, B03, B04, B05, B06, B07) in model order,
referencing the band files where they are.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ..dates import yyyyddd_to_date
from ..errors import InputError
from ..quality_kinds import QUALITY_FMASK_BITWISE, QualitySource
from . import DistributedProduct
from .stacked_vrt import VrtBand, open_raster, stacked_vrt
from ..i18n import _

HLS_NODATA = -9999.0
MODEL_BANDS = ("B02", "B03", "B04", "B8A", "B11", "B12")
# the HLS band file holding each model band, per product (SPEC 8)
PRODUCT_BANDS = {"S30": MODEL_BANDS, "L30": ("B02", "B03", "B04", "B05", "B06", "B07")}
FMASK_BAND = "Fmask"

_GRANULE_FILE = re.compile(
    r"^(?P<granule>HLS\.(?P<product>S30|L30)\.T(?P<tile>\d{2}[A-Z]{3})\.(?P<date>\d{7})T(?P<time>\d{6})\.v2\.0)"
    r"\.(?P<band>[A-Za-z0-9]+)\.[tT][iI][fF]$")


@dataclass(frozen=True)
class HlsGranule:
    """One HLS v2.0 granule: where its files are and what its name says.

    Attributes:
        folder: the folder holding the band files (absolute, or a ``/vsi...`` path).
        granule_id: e.g. ``HLS.S30.T15SXR.2021250T163901.v2.0``.
        product: ``S30`` (Sentinel-2 based) or ``L30`` (Landsat based).
        tile: MGRS tile, e.g. ``15SXR``.
        date: acquisition date YYYYDDD.
    """

    folder: str
    granule_id: str
    product: str
    tile: str
    date: int

    def band_path(self, band: str) -> str:
        """Path of the granule's file for ``band`` (e.g. ``B8A``, ``Fmask``), present or not."""
        return _join(self.folder, f"{self.granule_id}.{band}.tif")

    def model_band_paths(self) -> List[str]:
        """Paths of the six band files in model order (B02, B03, B04, B8A, B11, B12)."""
        return [self.band_path(b) for b in PRODUCT_BANDS[self.product]]


def parse_granule_file(path: str) -> Optional[HlsGranule]:
    """The granule a file belongs to, from its name alone (the file need not exist).

    Args:
        path: a file path; its base name must be ``HLS.<S30|L30>.T<tile>.<YYYYDDD>T<HHMMSS>.v2.0.<band>.tif``.

    Returns:
        The granule, or None when the name is not an HLS v2.0 granule file name (or its
        date is not a valid YYYYDDD).
    """
    match = _GRANULE_FILE.match(os.path.basename(str(path)))
    if match is None:
        return None
    date = int(match.group("date"))
    try:
        yyyyddd_to_date(date)
    except ValueError:
        return None
    folder = os.path.dirname(str(path)) or "."
    return HlsGranule(folder=_absolute(folder), granule_id=match.group("granule"), product=match.group("product"),
                      tile=match.group("tile"), date=date)


def granules_in_folder(folder: str) -> List[HlsGranule]:
    """The distinct HLS v2.0 granules whose files are in ``folder`` (not in sub-folders).

    Args:
        folder: a local folder or a ``/vsi...`` directory.

    Returns:
        The granules sorted by granule id; empty when the folder holds none.
    """
    from osgeo import gdal

    found: Dict[str, HlsGranule] = {}
    for entry in gdal.ReadDir(folder) or []:
        granule = parse_granule_file(_join(folder, entry))
        if granule is not None:
            found.setdefault(granule.granule_id, granule)
    return [found[key] for key in sorted(found)]


def hls_granule(name: str) -> Optional[DistributedProduct]:
    """The HLS v2.0 granule ``name`` designates, as six model bands stacked in a VRT.

    Args:
        name: any file of the granule (a band, the Fmask, an angle band) or a folder holding
            the files of exactly one granule.

    Returns:
        A :class:`DistributedProduct`: ``dataset`` a VRT XML string referencing the six band
        files (absolute paths) in model order, ``bands`` (1, ..., 6), ``offsets`` 0,
        ``nodata`` -9999 (declared on every VRT band), ``quality`` the granule's Fmask
        (QUALITY_FMASK_BITWISE) or None when there is no Fmask file, ``date`` YYYYDDD from the
        name, ``kind`` ``HLS.S30`` or ``HLS.L30``. None when ``name`` is neither an HLS granule
        file name nor a folder holding HLS granule files.

    Raises:
        InputError: band files missing (all named, with the folder they were expected in), the
            band files (and Fmask) not on one grid, or a folder holding several granules.
    """
    if _is_dir(name):
        granules = granules_in_folder(name)
        if not granules:
            return None
        if len(granules) > 1:
            listed = "\n  ".join(g.granule_id for g in granules)
            raise InputError(_("the folder '{name}' holds {n_granules} HLS granules; choose one of their band files "
                               "instead:\n  {listed}").format(
                                 name=name, n_granules=len(granules), listed=listed))
        return _granule_product(granules[0], label=str(name))
    granule = parse_granule_file(name)
    if granule is None:
        return None
    return _granule_product(granule, label=str(name))


def _granule_product(granule: HlsGranule, label: str) -> DistributedProduct:
    """The DistributedProduct of a granule whose name has been parsed (checks the files)."""
    paths = granule.model_band_paths()
    missing = [p for p in paths if not _exists(p)]
    if missing:
        names = ", ".join(os.path.basename(p) for p in missing)
        expected = ", ".join(PRODUCT_BANDS[granule.product])
        raise InputError(_("HLS granule {granule_id}: band file(s) {names} not found in '{folder}'; the model needs the"
                           " {product} bands {expected} as '{granule_id}.<band>.tif' in that folder").format(
                             granule_id=granule.granule_id, names=names, folder=granule.folder,
                             product=granule.product, expected=expected))
    fmask = granule.band_path(FMASK_BAND)
    has_fmask = _exists(fmask)
    size, geotransform, wkt, data_type = _common_grid(paths + ([fmask] if has_fmask else []), granule)
    vrt_bands = [VrtBand(source=p, band=1, source_size=size, description=model,
                         metadata=(("HLS_BAND", hls_band),))
                 for p, model, hls_band in zip(paths, MODEL_BANDS, PRODUCT_BANDS[granule.product])]
    notes: Tuple[str, ...] = ()
    quality = None
    if has_fmask:
        quality = QualitySource(dataset=fmask, kind=QUALITY_FMASK_BITWISE, band=1, label=os.path.basename(fmask))
    else:
        notes = (_("HLS granule {granule_id}: no Fmask file in '{folder}': the granule has no quality layer").format(
            granule_id=granule.granule_id, folder=granule.folder),)
    dataset = stacked_vrt(vrt_bands, size, geotransform, wkt, data_type, HLS_NODATA)
    return DistributedProduct(label=label, dataset=dataset, bands=tuple(range(1, 7)), offsets=(0.0,) * 6,
                              nodata=HLS_NODATA, quality=quality, date=granule.date,
                              kind=f"HLS.{granule.product}", notes=notes,
                              radiometry=_("HLS v2.0 granule {granule_id}: surface reflectance x 10000 as distributed "
                                           "(fill -9999)").format(granule_id=granule.granule_id))


def _common_grid(paths: List[str], granule: HlsGranule) -> Tuple[Tuple[int, int], Tuple[float, ...], str, str]:
    """Size, geotransform, CRS WKT and data type shared by the band files (band data type of
    the first file; the Fmask may differ in type only).

    Raises:
        InputError: a file cannot be opened, or its size, geotransform or CRS differs from
            the first band file's (both grids are named in the message).
    """
    from osgeo import gdal

    grids = []
    for path in paths:
        ds = open_raster(path, f"HLS granule {granule.granule_id}: the file")
        srs = ds.GetSpatialRef()
        srs = srs.Clone() if srs is not None else None  # outlives the dataset
        grids.append(((ds.RasterXSize, ds.RasterYSize), tuple(ds.GetGeoTransform()), srs,
                      gdal.GetDataTypeName(ds.GetRasterBand(1).DataType)))
    size, geotransform, srs, data_type = grids[0]
    for path, (other_size, other_gt, other_srs, _type) in zip(paths[1:], grids[1:]):
        same_srs = (srs is None and other_srs is None) or (
            srs is not None and other_srs is not None and bool(srs.IsSame(other_srs)))
        if other_size != size or not _same_geotransform(other_gt, geotransform) or not same_srs:
            raise InputError(_("HLS granule {granule_id}: '{path}' is not on the grid of '{paths}' ({other_size} x "
                               "{other_size_2} px, geotransform {other_gt} vs {size} x {size_2} px, "
                               "{geotransform}{value}); the band files of a granule must share one grid").format(
                                 granule_id=granule.granule_id, path=os.path.basename(path),
                                 paths=os.path.basename(paths[0]), other_size=other_size[0],
                                 other_size_2=other_size[1], other_gt=other_gt, size=size[0], size_2=size[1],
                                 geotransform=geotransform, value='' if same_srs else ', different CRS'))
    wkt = srs.ExportToWkt() if srs is not None else ""
    return size, geotransform, wkt, data_type


def _same_geotransform(a: Tuple[float, ...], b: Tuple[float, ...]) -> bool:
    """Equal geotransforms, up to 1e-6 of a pixel."""
    tol = 1e-6 * max(abs(b[1]), abs(b[5]), 1e-12)
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _join(folder: str, name: str) -> str:
    return folder.rstrip("/\\") + "/" + name if folder.startswith("/vsi") else os.path.join(folder, name)


def _absolute(path: str) -> str:
    return path if path.startswith("/vsi") else os.path.abspath(path)


def _exists(path: str) -> bool:
    from osgeo import gdal

    return gdal.VSIStatL(path) is not None


def _is_dir(path: str) -> bool:
    from osgeo import gdal

    stat = gdal.VSIStatL(str(path))
    return stat is not None and stat.IsDirectory()
