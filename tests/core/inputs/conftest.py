"""Distributed products built at test time in temporary folders (nothing large is committed).

- HLS v2.0 granules as per-band COGs cut from the shared real scene (S30 and L30 names, Fmask,
  an angle band, a coastal band and, for L30, a thermal "B11" that must not be used).
- Synthetic Sentinel-2 L2A SAFE products (JPEG 2000 band files, MTD_MSIL2A.xml and MTD_TL.xml
  as GDAL's SENTINEL2 driver reads them), one per processing baseline, holding one surface.
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

import numpy as np
import pytest

from support import DATA

STACK = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
FMASK = DATA / "fmask_HLS.S30.T15SXR.2021250T163901.v2.0.tif"
# 256 x 256 px window holding the real scene's -32768 block (rows 502-505, cols 602-603)
CROP = (400, 400, 256, 256)
HLS_FILE_BANDS = {"S30": ("B02", "B03", "B04", "B8A", "B11", "B12"), "L30": ("B02", "B03", "B04", "B05", "B06", "B07")}


def write_hls_granule(folder: Path, product: str = "S30", stamp: str = "2021250T163901",
                      crop: Tuple[int, int, int, int] = CROP) -> str:
    """Write one granule's band COGs, Fmask, B01 and SZA into ``folder``; returns the granule id."""
    from osgeo import gdal

    folder.mkdir(parents=True, exist_ok=True)
    granule = f"HLS.{product}.T15SXR.{stamp}.v2.0"
    opts = dict(format="COG", srcWin=list(crop), creationOptions=["COMPRESS=DEFLATE"])
    for index, band in enumerate(HLS_FILE_BANDS[product], start=1):
        gdal.Translate(str(folder / f"{granule}.{band}.tif"), str(STACK), bandList=[index], **opts)
    gdal.Translate(str(folder / f"{granule}.B01.tif"), str(STACK), bandList=[1], **opts)
    gdal.Translate(str(folder / f"{granule}.Fmask.tif"), str(FMASK), **opts)
    gdal.Translate(str(folder / f"{granule}.SZA.tif"), str(FMASK), outputType=gdal.GDT_UInt16, **opts)
    if product == "L30":  # Landsat thermal band named like S30's SWIR 1: a trap
        gdal.Translate(str(folder / f"{granule}.B11.tif"), str(STACK), bandList=[1], scaleParams=[[]],
                       outputType=gdal.GDT_Int16, **opts)
    return granule


def stacked_crop(crop: Tuple[int, int, int, int] = CROP) -> np.ndarray:
    """The shared 6-band stack's window, (6, rows, cols) int16."""
    from osgeo import gdal

    ds = gdal.Open(str(STACK))
    return ds.ReadAsArray(*crop)


@pytest.fixture(scope="session")
def hls_stack() -> Path:
    """The shared real 6-band HLS stack (model order), the source of every granule here."""
    return STACK


@pytest.fixture(scope="session")
def hls_crop() -> np.ndarray:
    """The stack's window the granules hold, (6, 256, 256) int16."""
    return stacked_crop()


@pytest.fixture(scope="session")
def fmask_crop() -> np.ndarray:
    """The real Fmask's window the granules hold, (256, 256) uint8."""
    from osgeo import gdal

    return gdal.Open(str(FMASK)).ReadAsArray(*CROP)


@pytest.fixture(scope="session")
def write_hls():
    """:func:`write_hls_granule`, for tests that need their own granule folders."""
    return write_hls_granule


@pytest.fixture(scope="session")
def hls_s30(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hls_s30")
    granule = write_hls_granule(folder, "S30")
    return folder / f"{granule}.B04.tif"


@pytest.fixture(scope="session")
def hls_l30(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hls_l30")
    granule = write_hls_granule(folder, "L30", stamp="2021251T165432")
    return folder / f"{granule}.B05.tif"


# ---------------------------------------------------------------------------------------------
# Sentinel-2 L2A

S2_N20 = 64  # 20 m grid size (10 m: 128)
S2_ULX, S2_ULY, S2_EPSG = 600000.0, 3600000.0, 32615
S2_SURFACE_BANDS = ("B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B11", "B12")


@dataclass(frozen=True)
class S2Surface:
    """One surface on the 20 m grid: DN = 10000 x reflectance (>= 1) per band, nodata mask, SCL."""

    bands20: Dict[str, np.ndarray]  # uint16 (n20, n20), 0 where nodata
    nodata: np.ndarray  # bool (n20, n20)
    scl: np.ndarray  # uint8 (n20, n20), 0 where nodata

    def band10(self, band: str) -> np.ndarray:
        """The 10 m version of a band: each 20 m pixel over 2 x 2 pixels."""
        return np.kron(self.bands20[band], np.ones((2, 2), np.uint16))


def make_surface(n20: int = S2_N20) -> S2Surface:
    """Real HLS reflectance on a 20 m grid, a nodata swath edge, every SCL class."""
    stack = stacked_crop((400, 400, n20, n20)).astype(np.int32)
    model = dict(zip(("B02", "B03", "B04", "B8A", "B11", "B12"), stack))
    rows, cols = np.mgrid[0:n20, 0:n20]
    nodata = cols < rows // 4  # swath edge
    bands = {}
    for band in S2_SURFACE_BANDS:
        base = model.get(band, model["B04"] if band < "B8A" else model["B8A"])
        bands[band] = np.where(nodata, 0, np.clip(base, 1, 20000)).astype(np.uint16)
    scl = np.where(nodata, 0, 1 + (rows * n20 + cols) % 11).astype(np.uint8)
    return S2Surface(bands, nodata, scl)


def write_jp2(path: Path, array: np.ndarray, res: float) -> None:
    """Lossless JPEG 2000 on the tile's grid at ``res`` metres."""
    from osgeo import gdal, osr

    dtype = gdal.GDT_UInt16 if array.dtype == np.uint16 else gdal.GDT_Byte
    mem = gdal.GetDriverByName("MEM").Create("", array.shape[1], array.shape[0], 1, dtype)
    mem.SetGeoTransform((S2_ULX, res, 0, S2_ULY, 0, -res))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(S2_EPSG)
    mem.SetProjection(srs.ExportToWkt())
    mem.GetRasterBand(1).WriteArray(array)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert gdal.Translate(str(path), mem, format="JP2OpenJPEG", creationOptions=["REVERSIBLE=YES", "QUALITY=100"])


def write_s2_l2a(root: Path, baseline: str, surface: S2Surface, r20m_visible: bool = True,
                 offset: Optional[int] = None, offset_list: Optional[bool] = None) -> Path:
    """Write a SAFE_COMPACT L2A product of ``surface``; returns the .SAFE folder.

    Baseline >= 04.00: DN = surface + 1000 on valid pixels and BOA_ADD_OFFSET -1000 per band
    in MTD_MSIL2A.xml; before: DN = surface, no offset list. 0 stays nodata in both. ``offset``
    (the DN added) and ``offset_list`` (whether MTD_MSIL2A.xml lists BOA_ADD_OFFSET = -offset)
    override that rule, e.g. for Sen2Cor's own baseline 99.99.
    """
    offset = (1000 if baseline >= "04.00" else 0) if offset is None else offset
    listed = bool(offset) if offset_list is None else offset_list
    name = f"S2A_MSIL2A_20220907T164901_N{baseline.replace('.', '')}_R026_T15SXR_20220907T205017"
    safe = root / f"{name}.SAFE"
    granule = "L2A_T15SXR_A037604_20220907T165017"
    img = safe / "GRANULE" / granule / "IMG_DATA"
    prefix = "T15SXR_20220907T164901"
    dn = {b: np.where(surface.nodata, 0, a.astype(np.int32) + offset).astype(np.uint16)
          for b, a in surface.bands20.items()}
    aux = np.full(surface.scl.shape, 7, np.uint16)
    files = []
    r20 = ["B05", "B06", "B07", "B8A", "B11", "B12"] + (["B02", "B03", "B04"] if r20m_visible else [])
    for band in r20:
        files.append(f"R20m/{prefix}_{band}_20m")
        write_jp2(img / f"{files[-1]}.jp2", dn[band], 20)
    for band, array in (("SCL", surface.scl), ("AOT", aux), ("WVP", aux)):
        files.append(f"R20m/{prefix}_{band}_20m")
        write_jp2(img / f"{files[-1]}.jp2", array, 20)
    for band in ("B02", "B03", "B04", "B08"):
        files.append(f"R10m/{prefix}_{band}_10m")
        write_jp2(img / f"{files[-1]}.jp2", np.kron(dn[band], np.ones((2, 2), np.uint16)), 10)
    for band in ("CLD", "SNW"):
        write_jp2(safe / "GRANULE" / granule / "QI_DATA" / f"MSK_{band}PRB_20m.jp2", surface.scl * 0, 20)
    image_files = [f"GRANULE/{granule}/IMG_DATA/{f}" for f in files]
    (safe / "MTD_MSIL2A.xml").write_text(_mtd_msil2a(name, baseline, image_files, offset if listed else 0))
    (safe / "GRANULE" / granule / "MTD_TL.xml").write_text(_mtd_tl(baseline, surface.scl.shape[0]))
    return safe


def _mtd_msil2a(name: str, baseline: str, image_files, offset: int) -> str:
    images = "\n".join(f"          <IMAGE_FILE>{f}</IMAGE_FILE>" for f in image_files)
    offsets = ""
    if offset:
        items = "".join(f'\n        <BOA_ADD_OFFSET band_id="{i}">{-offset}</BOA_ADD_OFFSET>' for i in range(13))
        offsets = f"      <BOA_ADD_OFFSET_VALUES_LIST>{items}\n      </BOA_ADD_OFFSET_VALUES_LIST>"
    scl_names = ["NODATA", "SATURATED_DEFECTIVE", "DARK_FEATURE_SHADOW", "CLOUD_SHADOW", "VEGETATION",
                 "NOT_VEGETATED", "WATER", "UNCLASSIFIED", "CLOUD_MEDIUM_PROBA", "CLOUD_HIGH_PROBA", "THIN_CIRRUS",
                 "SNOW_ICE"]
    scl = "".join(f"<Scene_Classification_ID><SCENE_CLASSIFICATION_TEXT>SC_{t}</SCENE_CLASSIFICATION_TEXT>"
                  f"<SCENE_CLASSIFICATION_INDEX>{i}</SCENE_CLASSIFICATION_INDEX></Scene_Classification_ID>"
                  for i, t in enumerate(scl_names))
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
  <n1:General_Info>
    <Product_Info>
      <PRODUCT_START_TIME>2022-09-07T16:49:01.024Z</PRODUCT_START_TIME>
      <PRODUCT_STOP_TIME>2022-09-07T16:49:01.024Z</PRODUCT_STOP_TIME>
      <PRODUCT_URI>{name}.SAFE</PRODUCT_URI>
      <PROCESSING_LEVEL>Level-2A</PROCESSING_LEVEL>
      <PRODUCT_TYPE>S2MSI2A</PRODUCT_TYPE>
      <PROCESSING_BASELINE>{baseline}</PROCESSING_BASELINE>
      <Query_Options completeSingleTile="true"><PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT></Query_Options>
      <Product_Organisation>
        <Granule_List>
          <Granule granuleIdentifier="S2A_OPER_MSI_L2A_TL_2APS_20220907T205017_A037604_T15SXR_N{baseline}"
                   imageFormat="JPEG2000">
{images}
          </Granule>
        </Granule_List>
      </Product_Organisation>
    </Product_Info>
    <Product_Image_Characteristics>
      <Special_Values>
        <SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT><SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX>
      </Special_Values>
      <Special_Values>
        <SPECIAL_VALUE_TEXT>SATURATED</SPECIAL_VALUE_TEXT><SPECIAL_VALUE_INDEX>65535</SPECIAL_VALUE_INDEX>
      </Special_Values>
      <QUANTIFICATION_VALUES_LIST>
        <BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>
      </QUANTIFICATION_VALUES_LIST>
{offsets}
      <Scene_Classification_List>{scl}</Scene_Classification_List>
    </Product_Image_Characteristics>
  </n1:General_Info>
</n1:Level-2A_User_Product>
"""


def _mtd_tl(baseline: str, n20: int) -> str:
    sizes = "".join(f'<Size resolution="{r}"><NROWS>{n20 * 20 // r}</NROWS><NCOLS>{n20 * 20 // r}</NCOLS></Size>'
                    for r in (10, 20, 60))
    geo = "".join(f'<Geoposition resolution="{r}"><ULX>{S2_ULX:.0f}</ULX><ULY>{S2_ULY:.0f}</ULY>'
                  f"<XDIM>{r}</XDIM><YDIM>-{r}</YDIM></Geoposition>" for r in (10, 20, 60))
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_Tile_ID xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd">
  <n1:General_Info>
    <TILE_ID>S2A_OPER_MSI_L2A_TL_2APS_20220907T205017_A037604_T15SXR_N{baseline}</TILE_ID>
    <SENSING_TIME>2022-09-07T16:55:01.000Z</SENSING_TIME>
  </n1:General_Info>
  <n1:Geometric_Info>
    <Tile_Geocoding>
      <HORIZONTAL_CS_NAME>WGS84 / UTM zone 15N</HORIZONTAL_CS_NAME>
      <HORIZONTAL_CS_CODE>EPSG:{S2_EPSG}</HORIZONTAL_CS_CODE>
      {sizes}
      {geo}
    </Tile_Geocoding>
  </n1:Geometric_Info>
</n1:Level-2A_Tile_ID>
"""


def write_s2_l1c(root: Path, surface: S2Surface) -> Path:
    """Write a SAFE_COMPACT Level-1C product of ``surface`` (band files in IMG_DATA, no SCL) as GDAL's
    SENTINEL2 driver reads it (``SENTINEL2_L1C:...`` sub-datasets); returns the .SAFE folder."""
    name = "S2A_MSIL1C_20220907T164901_N0400_R026_T15SXR_20220907T190000"
    safe = root / f"{name}.SAFE"
    granule = "L1C_T15SXR_A037604_20220907T165017"
    prefix = "T15SXR_20220907T164901"
    files = []
    for band in ("B02", "B03", "B04", "B08", "B05", "B06", "B07", "B8A", "B11", "B12"):
        res = 10 if band in ("B02", "B03", "B04", "B08") else 20
        array = surface.band10(band) if res == 10 else surface.bands20[band]
        files.append(f"GRANULE/{granule}/IMG_DATA/{prefix}_{band}")
        write_jp2(safe / f"{files[-1]}.jp2", array, res)
    images = "\n".join(f"          <IMAGE_FILE>{f}</IMAGE_FILE>" for f in files)
    (safe / "MTD_MSIL1C.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-1C_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-1C.xsd">
  <n1:General_Info>
    <Product_Info>
      <PRODUCT_START_TIME>2022-09-07T16:49:01.024Z</PRODUCT_START_TIME>
      <PRODUCT_URI>{name}.SAFE</PRODUCT_URI>
      <PROCESSING_LEVEL>Level-1C</PROCESSING_LEVEL>
      <PRODUCT_TYPE>S2MSI1C</PRODUCT_TYPE>
      <PROCESSING_BASELINE>04.00</PROCESSING_BASELINE>
      <Query_Options completeSingleTile="true"><PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT></Query_Options>
      <Product_Organisation>
        <Granule_List>
          <Granule granuleIdentifier="S2A_OPER_MSI_L1C_TL_2APS_20220907T190000_A037604_T15SXR_N04.00"
                   imageFormat="JPEG2000">
{images}
          </Granule>
        </Granule_List>
      </Product_Organisation>
    </Product_Info>
    <Product_Image_Characteristics>
      <QUANTIFICATION_VALUE unit="none">10000</QUANTIFICATION_VALUE>
    </Product_Image_Characteristics>
  </n1:General_Info>
</n1:Level-1C_User_Product>
""")
    tile = _mtd_tl("04.00", surface.scl.shape[0]).replace("Level-2A_Tile_ID", "Level-1C_Tile_ID").replace("L2A", "L1C")
    (safe / "GRANULE" / granule / "MTD_TL.xml").write_text(tile)
    return safe


def zip_safe(safe: Path) -> Path:
    """``<name>.zip`` beside the SAFE folder, holding ``<name>.SAFE/...`` as ESA's downloads do."""
    out = safe.parent / (safe.name[: -len(".SAFE")] + ".zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for dirpath, _, filenames in os.walk(safe):
            for filename in sorted(filenames):
                full = Path(dirpath) / filename
                archive.write(full, str(full.relative_to(safe.parent)))
    return out


@pytest.fixture(scope="session")
def s2_surface() -> S2Surface:
    return make_surface()


@pytest.fixture(scope="session")
def write_l1c():
    """:func:`write_s2_l1c`."""
    return write_s2_l1c


@pytest.fixture(scope="session")
def write_s2():
    """:func:`write_s2_l2a`, for tests that need their own products."""
    return write_s2_l2a


@pytest.fixture(scope="session")
def s2_products(tmp_path_factory, s2_surface) -> Dict[str, Path]:
    """``{"03.01": SAFE, "04.00": SAFE, "04.00.zip": zip}`` of one surface."""
    out = {}
    for baseline in ("03.01", "04.00"):
        out[baseline] = write_s2_l2a(tmp_path_factory.mktemp(f"s2_{baseline}"), baseline, s2_surface)
    out["04.00.zip"] = zip_safe(out["04.00"])
    return out
