"""Sentinel-2 Level-2A products as ESA distributes them (SPEC section 8), through GDAL's
SENTINEL2 driver.

A product is a ``.SAFE`` folder, its ``.zip`` or its ``MTD_MSIL2A.xml``. GDAL's driver exposes
it as one sub-dataset per resolution (``SENTINEL2_L2A:<MTD>:<10m|20m|60m>:EPSG_<code>``), each
holding only the bands native to that resolution (GDAL 3.6: 10 m B4 B3 B2 B8; 20 m B5 B6 B7 B8A
B11 B12 AOT CLD SCL SNW WVP). No sub-dataset holds all six model bands, so the product becomes a
VRT on one grid that stacks them in model order (B02, B03, B04, B8A, B11, B12):

- 20 m grid (default): B8A, B11, B12 from the driver's 20 m sub-dataset; B02, B03, B04 from the
  product's own 20 m files (``IMG_DATA/R20m/..._B02_20m.jp2``, listed in ``MTD_MSIL2A.xml``),
  which ESA's processor derives at 20 m. Averaging the 10 m bands instead is not used: GDAL's
  VRT averaging counts the 0 (nodata) pixels of a block as values.
- 10 m grid: B02, B03, B04 from the driver's 10 m sub-dataset; B8A, B11, B12 from the 20 m
  sub-dataset, each 20 m pixel repeated over its 2 x 2 10 m pixels (nearest neighbour: no
  invented values, nodata stays exactly 0). The SCL stays at 20 m.

Values are uint16 DN, 0 = nodata. Reflectance = (DN + BOA_ADD_OFFSET) / 10000; since ESA's
processing baseline 04.00 BOA_ADD_OFFSET is -1000 for every band (before: no offset). Our
convention is DN = 10000 x reflectance (the pre-04.00 and HLS scale): the product's ``offsets``
carry BOA_ADD_OFFSET per model band, to be added to valid pixels only (0 stays nodata). GDAL 3.6
does not expose BOA_ADD_OFFSET as band metadata, so it is read from the product's metadata XML
(the driver's ``xml:SENTINEL2`` domain, which works for folders and zips alike). The offset is
applied only where the product declares it (``BOA_ADD_OFFSET_VALUES_LIST``) or where its baseline
is one of ESA's that has it (04.00 to 98.xx without the list: -1000 assumed). Sen2Cor run by a
user writes baseline 99.99 (``N9999`` in the name): without an offset list such a product is
offset-free, whatever the Sen2Cor version.

Level-1C (and 1B) products, their sub-datasets and rasters whose metadata says Level-1C are
refused: top-of-atmosphere values, not surface reflectance.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..errors import InputError
from ..quality_kinds import QUALITY_SCL, QualitySource
from . import DistributedProduct
from .stacked_vrt import VrtBand, open_raster, stacked_vrt
from ..i18n import _

S2_NODATA = 0.0
QUANTIFICATION = 10000.0
MODEL_BANDS = ("B02", "B03", "B04", "B8A", "B11", "B12")
# GDAL's BANDNAME of each model band in the SENTINEL2 driver's sub-datasets
DRIVER_BAND_NAMES = {"B02": "B2", "B03": "B3", "B04": "B4", "B8A": "B8A", "B11": "B11", "B12": "B12"}
# ESA's band_id (BOA_ADD_OFFSET band_id="..." in MTD_MSIL2A.xml) -> band name
ESA_BAND_IDS = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12")
OFFSET_BASELINE = (4, 0)  # processing baseline from which BOA_ADD_OFFSET applies
LOCAL_BASELINE = (99, 0)  # baselines from here on are Sen2Cor run outside ESA (99.99): offset only if listed
DEFAULT_BOA_ADD_OFFSET = -1000.0

_L2A_ZIP = re.compile(r"^S2[A-Z]_MSIL2A_.*\.zip$", re.IGNORECASE)
_L1C_ZIP = re.compile(r"^S2[A-Z]_MSIL1C_.*\.zip$", re.IGNORECASE)
_SUBDATASET = re.compile(r"^SENTINEL2_L2A:(?P<mtd>.+):(?P<res>\d+)m:EPSG_(?P<epsg>\d+)$")
_LEVEL1_SUBDATASET = re.compile(r"^SENTINEL2_(?P<level>L1B|L1C)(?:_TILE)?:", re.IGNORECASE)

@dataclass(frozen=True)
class _ProductInfo:
    """What the product's metadata XML says (the parts we use)."""

    baseline: str = ""
    start_time: str = ""
    offsets: Dict[str, float] = field(default_factory=dict)  # ESA band name -> BOA_ADD_OFFSET
    image_files: Tuple[str, ...] = ()  # IMAGE_FILE entries (relative to the SAFE folder, no .jp2)
    quantification: Optional[float] = None


_SCL_NAME = re.compile(r"(?<![a-z0-9])(scl|scene[ _-]?classification(?:[ _-]?map)?)(?![a-z0-9])", re.IGNORECASE)


def is_scl_layer(name: str) -> bool:
    """Whether a quality layer a user gives is a Sentinel-2 scene classification (SCL), not an Fmask.

    An SCL's classes read as Fmask bit flags would be wrong everywhere (vegetation, 4, as "adjacent
    to cloud"; cloud, 8 and 9, as "shadow"), so the layer says which it is: its file name
    (``T15SXR_20210907T163901_SCL_20m.jp2``, ``..._SCL.tif``) or its band 1's description or name
    metadata (``SCL``, ``Scene Classification``).

    Args:
        name: the layer's GDAL dataset name.
    Returns:
        True for an SCL layer; False otherwise, or when it cannot be opened (opening errors are
        reported by whoever opens it).
    """
    from .band_hints import dataset_hints, source_name
    from ..raster.datasets import image_file_name

    if _SCL_NAME.search(source_name(image_file_name(name)) or image_file_name(name)):
        return True
    try:
        ds = open_raster(name, _("quality layer"))
    except InputError:
        return False
    return ds.RasterCount >= 1 and any(_SCL_NAME.search(hint.text) for hint in dataset_hints(ds, [1])[1])


def locate_l2a(name: str) -> Optional[str]:
    """The name GDAL's SENTINEL2 driver opens for an L2A product, or None when it is not one.

    Args:
        name: a ``.SAFE`` folder (any folder holding ``MTD_MSIL2A.xml``), ``MTD_MSIL2A.xml``
            itself, or the product's ``S2x_MSIL2A_*.zip``; local or ``/vsi...``; or one of the
            product's ``SENTINEL2_L2A:<MTD>:<res>m:EPSG_<code>`` sub-datasets (the layers QGIS
            makes of a product), which designates the whole product.

    Returns:
        The absolute path of ``MTD_MSIL2A.xml`` or of the zip; None for anything else.

    Raises:
        InputError: ``name`` is a Sentinel-2 Level-1C product or one of its ``SENTINEL2_L1C``
            sub-datasets (top-of-atmosphere; the model needs L2A surface reflectance).
    """
    from osgeo import gdal

    level1 = _LEVEL1_SUBDATASET.match(str(name))
    if level1:  # a layer QGIS made of a Level-1 product
        _refuse_l1c(name, level1.group("level")[1:].upper())
    sub = _SUBDATASET.match(str(name))
    if sub:  # a layer QGIS made of the product: one resolution of it, missing bands of the others
        return locate_l2a(sub.group("mtd"))
    path = str(name) if str(name).startswith("/vsi") else os.path.abspath(str(name))
    stat = gdal.VSIStatL(path)
    if stat is None:
        return None
    base = os.path.basename(path.rstrip("/\\"))
    if stat.IsDirectory():
        entries = {e.upper(): e for e in (gdal.ReadDir(path) or [])}
        if "MTD_MSIL2A.XML" in entries:
            return path.rstrip("/\\") + "/" + entries["MTD_MSIL2A.XML"]
        if "MTD_MSIL1C.XML" in entries:
            _refuse_l1c(name)
        return None
    if base.upper() == "MTD_MSIL2A.XML" or _L2A_ZIP.match(base):
        return path
    if base.upper() == "MTD_MSIL1C.XML" or _L1C_ZIP.match(base):
        _refuse_l1c(name)
    return None


def sentinel2_product(name: str, resolution: int = 20) -> Optional[DistributedProduct]:
    """The Sentinel-2 L2A product ``name`` designates, as six model bands on one grid.

    Args:
        name: a ``.SAFE`` folder, its ``.zip`` or its ``MTD_MSIL2A.xml``.
        resolution: 20 (default) or 10 metres; see the module docstring for how each band
            gets onto that grid.

    Returns:
        A :class:`DistributedProduct`: ``dataset`` a VRT XML string over GDAL's SENTINEL2
        sub-datasets (and, at 20 m, the product's R20m B02/B03/B04 files), ``bands``
        (1, ..., 6) in model order, uint16 DN; ``offsets`` BOA_ADD_OFFSET per model band (as
        listed in the metadata; else -1000.0 for ESA baselines from 04.00 on, 0.0 for earlier ones
        and for Sen2Cor's 99.xx), to add to valid pixels; ``radiometry`` where the offsets come from; ``nodata`` 0;
        ``quality`` the SCL band of the 20 m sub-dataset (QUALITY_SCL; map it with
        :func:`..fmask.scl_to_quality`); ``date`` YYYYDDD of the sensing start; ``kind`` ``S2_L2A``;
        ``notes`` the baseline, the offset and the grid. None when ``name`` is not an L2A
        product.

    Raises:
        InputError: a Level-1C product, a resolution other than 10 or 20, a product GDAL
            cannot open, one spanning several UTM zones, bands or band files missing (named), or a
            quantification value other than 10000.
    """
    opened = locate_l2a(name)
    if opened is None:
        return None
    if resolution not in (10, 20):
        raise InputError(_("Sentinel-2 resolution {resolution!r} m is not offered; use 20 or 10").format(
                             resolution=resolution))
    container = open_raster(opened, "the Sentinel-2 L2A product")
    sub10, sub20 = _subdataset_names(container, str(name))
    info = _product_info(container, str(name))
    _check_band_files(sub20, info, resolution, str(name))
    ds20 = open_raster(sub20, "the Sentinel-2 20 m sub-dataset")
    found20 = _band_numbers(ds20, ("B8A", "B11", "B12", "SCL"), sub20)
    if resolution == 20:
        vrt_bands = _r20m_visible_bands(sub20, info, (ds20.RasterXSize, ds20.RasterYSize))
        grid = ds20
    else:
        grid = open_raster(sub10, "the Sentinel-2 10 m sub-dataset")
        found10 = _band_numbers(grid, ("B2", "B3", "B4"), sub10)
        vrt_bands = [VrtBand(sub10, found10[DRIVER_BAND_NAMES[b]], (grid.RasterXSize, grid.RasterYSize), b)
                     for b in MODEL_BANDS[:3]]
    vrt_bands += [VrtBand(sub20, found20[DRIVER_BAND_NAMES[b]], (ds20.RasterXSize, ds20.RasterYSize), b,
                          resampling="nearest") for b in MODEL_BANDS[3:]]
    offsets, offset_note, evidence = _model_offsets(info, str(name))
    dataset = stacked_vrt(vrt_bands, (grid.RasterXSize, grid.RasterYSize), grid.GetGeoTransform(),
                          grid.GetProjection(), "UInt16", S2_NODATA)
    grid_note = ("20 m grid: B02, B03, B04 from the product's R20m files" if resolution == 20 else
                 "10 m grid: B8A, B11, B12 repeated from 20 m (nearest neighbour); SCL stays at 20 m")
    quality = QualitySource(dataset=sub20, kind=QUALITY_SCL, band=found20["SCL"],
                            label=f"SCL of {os.path.basename(str(name).rstrip('/'))}")
    return DistributedProduct(label=str(name), dataset=dataset, bands=tuple(range(1, 7)), offsets=offsets,
                              nodata=S2_NODATA, quality=quality, date=_sensing_date(info, container, str(name)),
                              kind="S2_L2A", notes=(offset_note, grid_note), radiometry=evidence)


def _refuse_l1c(name: str, level: str = "1C") -> None:
    raise InputError(_("'{name}' is a Sentinel-2 Level-{level} product (top-of-atmosphere reflectance); Planaura needs "
                       "Level-2A surface reflectance (MSIL2A): use the Level-2A product of the same date "
                       "(S2x_MSIL2A_..., e.g. from the Copernicus Data Space Ecosystem), or make one from the "
                       "Level-1C product with ESA's Sen2Cor").format(name=name, level=level))


def refuse_declared_level1(ds, name: str) -> None:
    """Refuse a raster whose metadata says it is Sentinel-2 Level-1C or 1B (e.g. a GeoTIFF exported
    from an L1C product: GDAL copies PROCESSING_LEVEL and PRODUCT_TYPE).

    Args:
        ds: the ``gdal.Dataset``; name: its name for the message.

    Raises:
        InputError: ``PROCESSING_LEVEL`` is ``Level-1C`` / ``Level-1B`` or ``PRODUCT_TYPE`` is
            ``S2MSI1C`` / ``S2MSI1B``.
    """
    metadata = {k.upper(): str(v).strip() for k, v in (ds.GetMetadata() or {}).items()}
    level = metadata.get("PROCESSING_LEVEL", "")
    product_type = metadata.get("PRODUCT_TYPE", "").upper()
    if level.upper() in ("LEVEL-1C", "LEVEL-1B") or product_type in ("S2MSI1C", "S2MSI1B"):
        _refuse_l1c(name, level[-2:].upper() if level.upper().startswith("LEVEL-1") else product_type[-2:])


def _check_band_files(sub20: str, info: _ProductInfo, resolution: int, name: str) -> None:
    """Refuse a product whose metadata lists a model band file that is not there.

    GDAL's SENTINEL2 driver reads a missing JP2 file as a band of 0 (nodata): the product
    would look empty rather than incomplete.

    Raises:
        InputError: naming each missing file (and the bands it holds).
    """
    from ..raster.datasets import exists

    match = _SUBDATASET.match(sub20)
    assert match is not None, f"not a SENTINEL2_L2A 20 m sub-dataset name: {sub20}"
    safe = match.group("mtd").replace("\\", "/").rsplit("/", 1)[0]
    wanted = [f"_{b}_20m" for b in MODEL_BANDS[3:]] + [f"_{b}_{resolution}m" for b in MODEL_BANDS[:3]]
    missing = []
    for suffix in wanted:
        listed = [f for f in info.image_files if f.replace("\\", "/").endswith(suffix)]
        for path in (f"{safe}/{f}.jp2" for f in listed[:1]):
            if not exists(path):
                missing.append(path)
    if missing:
        raise InputError(_("the Sentinel-2 product '{name}' is incomplete: band file(s) listed in its metadata are not "
                           "there: {missing} (GDAL would read such a band as all nodata); download or unpack the whole "
                           "product again").format(name=name, missing=", ".join(missing)))


def _subdataset_names(container, name: str) -> Tuple[str, str]:
    """The 10 m and 20 m ``SENTINEL2_L2A`` sub-dataset names of one UTM zone.

    Raises:
        InputError: no such sub-datasets, or the product spans several EPSG codes.
    """
    by_res: Dict[int, List[Tuple[str, str]]] = {}
    for key, value in (container.GetMetadata("SUBDATASETS") or {}).items():
        match = _SUBDATASET.match(value) if key.endswith("_NAME") else None
        if match:
            by_res.setdefault(int(match.group("res")), []).append((match.group("epsg"), value))
    zones = sorted({epsg for subs in by_res.values() for epsg, _name in subs})
    if len(zones) > 1:
        raise InputError(_("the Sentinel-2 product '{name}' spans several projections (EPSG {zones}); choose one of its"
                           " sub-datasets instead").format(name=name, zones=', '.join(zones)))
    if not by_res.get(10) or not by_res.get(20):
        raise InputError(_("GDAL's SENTINEL2 driver gives no 10 m and 20 m sub-datasets for '{name}'").format(
                             name=name))
    return by_res[10][0][1], by_res[20][0][1]


def _band_numbers(ds, wanted: Tuple[str, ...], dataset_name: str) -> Dict[str, int]:
    """1-based numbers of the bands whose BANDNAME (or first word of the description) is in ``wanted``.

    Raises:
        InputError: a wanted band is not in the dataset (the bands there are listed).
    """
    found: Dict[str, int] = {}
    names = []
    for number in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(number)
        label = band.GetMetadataItem("BANDNAME") or band.GetDescription().split(",")[0].strip()
        names.append(label)
        if label in wanted and label not in found:
            found[label] = number
    missing = [w for w in wanted if w not in found]
    if missing:
        raise InputError(_("the Sentinel-2 sub-dataset {dataset_name} has no band {missing} (it has {names})").format(
                             dataset_name=dataset_name, missing=', '.join(missing), names=', '.join(names)))
    return found


def _r20m_visible_bands(sub20: str, info: _ProductInfo, size: Tuple[int, int]) -> List[VrtBand]:
    """VrtBands for B02, B03, B04 from the product's ``R20m`` files, checked against the 20 m grid.

    Raises:
        InputError: a file is not listed in MTD_MSIL2A.xml, is missing, or has another size.
    """
    match = _SUBDATASET.match(sub20)
    assert match is not None, f"not a SENTINEL2_L2A 20 m sub-dataset name: {sub20}"  # the caller's name
    mtd = match.group("mtd")
    safe = mtd.replace("\\", "/").rsplit("/", 1)[0]
    bands = []
    for model in MODEL_BANDS[:3]:
        listed = [f for f in info.image_files if f.replace("\\", "/").endswith(f"_{model}_20m")]
        if not listed:
            raise InputError(_("MTD_MSIL2A.xml of '{safe}' lists no 20 m {model} file (IMG_DATA/R20m/..._{model}_20m); "
                               "use resolution 10 for this product").format(safe=safe, model=model))
        path = f"{safe}/{listed[0]}.jp2"
        ds = open_raster(path, f"the Sentinel-2 20 m {model} file")
        if (ds.RasterXSize, ds.RasterYSize) != tuple(size):
            raise InputError(_("'{path}' is {raster_xsize} x {raster_ysize} px, the 20 m grid {size} x {size_2}")
                               .format(path=path, raster_xsize=ds.RasterXSize, raster_ysize=ds.RasterYSize,
                                 size=size[0], size_2=size[1]))
        bands.append(VrtBand(path, 1, size, model))
    return bands


def _product_info(container, name: str) -> _ProductInfo:
    """Baseline, start time, BOA_ADD_OFFSET per band, IMAGE_FILE list and quantification value
    from the product's metadata XML (GDAL's ``xml:SENTINEL2`` domain)."""
    from xml.etree import ElementTree as ET

    text = (container.GetMetadata("xml:SENTINEL2") or [""])[0]
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(_("cannot read the metadata XML of the Sentinel-2 product '{name}': {exc}").format(
                             name=name, exc=exc)) from exc
    values: Dict[str, str] = {}
    offsets: Dict[str, float] = {}
    files: List[str] = []
    for elem in root.iter():
        tag = elem.tag.rsplit("}", 1)[-1]
        text_value = (elem.text or "").strip()
        if tag == "BOA_ADD_OFFSET" and elem.get("band_id", "").isdigit():
            index = int(elem.get("band_id", ""))
            if index < len(ESA_BAND_IDS):
                offsets[ESA_BAND_IDS[index]] = float(text_value)
        elif tag in ("IMAGE_FILE", "IMAGE_FILE_2A"):
            files.append(text_value)
        elif tag in ("PROCESSING_BASELINE", "PRODUCT_START_TIME", "BOA_QUANTIFICATION_VALUE"):
            values.setdefault(tag, text_value)
    quant = values.get("BOA_QUANTIFICATION_VALUE")
    return _ProductInfo(baseline=values.get("PROCESSING_BASELINE", ""), start_time=values.get("PRODUCT_START_TIME", ""),
                        offsets=offsets, image_files=tuple(files), quantification=float(quant) if quant else None)


def _model_offsets(info: _ProductInfo, name: str) -> Tuple[Tuple[float, ...], str, str]:
    """BOA_ADD_OFFSET per model band, the note that says what was applied, and its evidence.

    The offset comes from the product's ``BOA_ADD_OFFSET`` list when there is one; else from
    ESA's rule for its processing baseline (-1000 from 04.00 on, none before); a baseline of
    99.xx (Sen2Cor run by a user) or an unknown one without a list is offset-free.

    Raises:
        InputError: a quantification value other than 10000, or an offset list that lacks a
            model band.
    """
    if info.quantification is not None and info.quantification != QUANTIFICATION:
        raise InputError(_("the Sentinel-2 product '{name}' has BOA_QUANTIFICATION_VALUE {quantification:g}; only "
                           "{quantification_2:g} (DN = 10000 x reflectance) is supported").format(
                             name=name, quantification=info.quantification, quantification_2=QUANTIFICATION))
    baseline = _baseline_tuple(info.baseline)
    shown_baseline = info.baseline or "?"
    if info.offsets:
        missing = [b for b in MODEL_BANDS if b not in info.offsets]
        if missing:
            raise InputError(_("the Sentinel-2 product '{name}' gives BOA_ADD_OFFSET for some bands but not {missing}")
                               .format(name=name, missing=', '.join(missing)))
        offsets = tuple(info.offsets[b] for b in MODEL_BANDS)
        source = "BOA_ADD_OFFSET from the product metadata"
        evidence = _("BOA_ADD_OFFSET_VALUES_LIST of MTD_MSIL2A.xml (processing baseline {baseline})").format(
            baseline=shown_baseline)
    elif baseline is not None and OFFSET_BASELINE <= baseline < LOCAL_BASELINE:
        offsets = (DEFAULT_BOA_ADD_OFFSET,) * 6
        source = "no BOA_ADD_OFFSET in the metadata: ESA's -1000 of baselines >= 04.00 assumed"
        evidence = _("ESA processing baseline {baseline} of MTD_MSIL2A.xml (from 04.00 on, BOA_ADD_OFFSET is -1000; "
                     "the product lists none)").format(baseline=shown_baseline)
    else:
        why = (_("Sen2Cor run outside ESA") if baseline is not None and baseline >= LOCAL_BASELINE else
               _("before 04.00") if baseline is not None else _("unknown"))
        evidence = _("processing baseline {baseline} of MTD_MSIL2A.xml ({why}) and no BOA_ADD_OFFSET list: no "
                     "offset").format(baseline=shown_baseline, why=why)
        return (0.0,) * 6, (f"Sentinel-2 L2A processing baseline {shown_baseline} ({why}): no BOA_ADD_OFFSET; "
                            "DN = 10000 x reflectance as distributed, 0 = nodata"), evidence
    shown = ", ".join(f"{b} {o:+g}" for b, o in zip(MODEL_BANDS, offsets))
    return offsets, (f"Sentinel-2 L2A processing baseline {info.baseline}: {source} ({shown}) added to valid DN "
                     "so that DN = 10000 x reflectance; 0 stays nodata"), evidence


def _baseline_tuple(baseline: str) -> Optional[Tuple[int, int]]:
    match = re.match(r"^\s*(\d+)\.(\d+)", baseline or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _sensing_date(info: _ProductInfo, container, name: str) -> Optional[int]:
    """YYYYDDD of PRODUCT_START_TIME (else of the date in the product name), or None."""
    candidates = [info.start_time, container.GetMetadataItem("PRODUCT_START_TIME") or "",
                  container.GetMetadataItem("PRODUCT_URI") or "", os.path.basename(name.rstrip("/\\"))]
    for text in candidates:
        match = re.search(r"(\d{4})-?(\d{2})-?(\d{2})T", text)
        if match:
            try:
                day = _dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            return day.year * 1000 + day.timetuple().tm_yday
    return None
