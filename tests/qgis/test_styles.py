"""Style sidecars: each kind of output gets a .qml that QGIS loads as the layer's default style."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis


def write_raster(path: Path, array: np.ndarray, nodata, dtype=None) -> str:
    from osgeo import gdal, gdal_array, osr

    a = array if array.ndim == 3 else array[None]
    dtype = np.dtype(dtype or a.dtype)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), a.shape[2], a.shape[1], a.shape[0],
                                              gdal_array.NumericTypeCodeToGDALTypeCode(dtype))
    ds.SetGeoTransform([600000, 30, 0, 3600000, 0, -30])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(a.shape[0]):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(float(nodata))
        band.WriteArray(a[b].astype(dtype))
    ds = None
    return str(path)


@pytest.fixture
def styles(qgis_app):
    from planaura_qgis.processing_provider import styles as module

    return module


def qml_root(path: str) -> ET.Element:
    qml = Path(path).with_suffix(".qml")
    assert qml.exists(), f"no sidecar {qml}"
    return ET.parse(qml).getroot()


def test_cosine_style_ramp_and_transparency(tmp_path, styles):
    cos = np.linspace(-1, 1, 64 * 64, dtype=np.float32).reshape(64, 64)
    cos[0, :4] = -100
    path = write_raster(tmp_path / "cosine.tif", cos, -100)
    styles.write_sidecar(path, styles.STYLE_COSINE)
    root = qml_root(path)
    renderer = root.find(".//rasterrenderer")
    assert renderer.get("type") == "singlebandpseudocolor"
    shader = root.find(".//colorrampshader")
    assert shader.get("colorRampType") == "INTERPOLATED"
    items = {float(i.get("value")): i.get("color").lower() for i in shader.findall("item")}
    assert items[-1.0] == "#a50f15"
    assert items[0.75] == "#ffcbb1"
    pixel = root.find(".//singleValuePixelList/pixelListEntry")
    assert float(pixel.get("min")) == pytest.approx(0.92)
    assert float(pixel.get("max")) == pytest.approx(1.0)
    assert float(pixel.get("percentTransparent")) == 100


def test_cosine_style_covers_values_above_one(tmp_path, styles):
    """Mosaic cosines can exceed 1 after cubic resampling: they stay transparent."""
    cos = np.full((8, 8), 0.5, dtype=np.float32)
    cos[0, 0] = 1.03
    path = write_raster(tmp_path / "mosaic.tif", cos, -100)
    styles.write_sidecar(path, styles.STYLE_COSINE)
    pixel = qml_root(path).find(".//singleValuePixelList/pixelListEntry")
    assert float(pixel.get("max")) == pytest.approx(1.03, abs=1e-4)


def test_date_style_labels_are_iso_dates(tmp_path, styles):
    dates = np.full((16, 16), 2021250, dtype=np.int32)
    dates[8:] = 2022245
    dates[0, 0] = -100
    path = write_raster(tmp_path / "dates.tif", dates, -100)
    styles.write_sidecar(path, styles.STYLE_DATE)
    root = qml_root(path)
    assert root.find(".//rasterrenderer").get("type") == "paletted"
    entries = {int(e.get("value")): e.get("label") for e in root.findall(".//colorPalette/paletteEntry")}
    assert entries == {2021250: "2021-09-07", 2022245: "2022-09-02"}


def test_quality_style_has_the_fmask_classes(tmp_path, styles):
    q = np.array([[0, 1, 2, 3], [4, 6, 255, 0]], dtype=np.uint8)
    path = write_raster(tmp_path / "quality.tif", q, 255)
    styles.write_sidecar(path, styles.STYLE_QUALITY)
    entries = {int(e.get("value")): e.get("label") for e in qml_root(path).findall(".//colorPalette/paletteEntry")}
    assert set(entries) == {0, 1, 2, 3, 4, 6, 255}
    assert entries[0] == "Clear" and entries[1] == "Cloud" and entries[4] == "Snow/ice"
    assert entries[255] == "No information"  # a date without a quality layer is never "clear"
    assert "Adjacent" in entries[2] and "shadow" in entries[3].lower() and "aerosol" in entries[6].lower()


def test_classes_style_labels_carry_thresholds(tmp_path, styles):
    c = np.array([[0, 1], [3, 4]], dtype=np.uint8)
    path = write_raster(tmp_path / "classes.tif", c, 0)
    styles.write_sidecar(path, styles.STYLE_CLASSES, thresholds=(0.9, 0.6, 0.3))
    entries = {int(e.get("value")): e.get("label") for e in qml_root(path).findall(".//colorPalette/paletteEntry")}
    assert sorted(entries) == [1, 2, 3, 4]
    assert "0.90" in entries[1] and "0.30" in entries[4]


def test_persistence_style_ramps_from_one_to_max(tmp_path, styles):
    p = np.array([[0, 1, 2], [3, 3, 1]], dtype=np.uint16)
    path = write_raster(tmp_path / "persistence.tif", p, 0)
    styles.write_sidecar(path, styles.STYLE_PERSISTENCE)
    root = qml_root(path)
    values = sorted(float(i.get("value")) for i in root.findall(".//colorrampshader/item"))
    assert values[0] == 1 and values[-1] == 3


@pytest.mark.parametrize("bands, renderer", [(6, "multibandcolor"), (1, "singlebandgray")])
def test_multiband_styles(tmp_path, styles, bands, renderer):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(bands, 32, 32)).astype(np.float32)
    path = write_raster(tmp_path / f"emb{bands}.tif", a, -100)
    styles.write_sidecar(path, styles.STYLE_BANDS if bands == 6 else styles.STYLE_EMBEDDINGS)
    node = qml_root(path).find(".//rasterrenderer")
    assert node.get("type") == renderer
    if bands == 6:
        assert (node.get("redBand"), node.get("greenBand"), node.get("blueBand")) == ("3", "2", "1")


def test_sidecar_is_the_default_style_qgis_loads(tmp_path, styles):
    from qgis.core import QgsRasterLayer

    cos = np.linspace(-1, 1, 16 * 16, dtype=np.float32).reshape(16, 16)
    path = write_raster(tmp_path / "cosine_map!a!b.tif", cos, -100)
    styles.write_sidecar(path, styles.STYLE_COSINE)
    layer = QgsRasterLayer(path, "x", "gdal")  # loads <name>.qml by default
    assert layer.renderer().type() == "singlebandpseudocolor"
    transparent = layer.renderer().rasterTransparency().transparentSingleValuePixelList()
    assert transparent and transparent[0].min == pytest.approx(0.92)


def test_unknown_style_is_an_error(tmp_path, styles):
    path = write_raster(tmp_path / "x.tif", np.zeros((4, 4), np.float32), None)
    with pytest.raises(ValueError):
        styles.write_sidecar(path, "nope")


def test_change_types_style_one_colour_per_type_noise_grey(tmp_path, styles):
    values = np.full((20, 20), -100, dtype=np.int16)
    values[:5] = -1
    for t in range(17):  # more types than the palette has colours
        values[5 + t // 20, t % 20] = t
    path = write_raster(tmp_path / "types.tif", values, -100)
    qml = styles.write_sidecar(path, styles.STYLE_TYPES)
    entries = {int(e.get("value")): (e.get("color").lower(), e.get("label"))
               for e in qml_root(qml).findall(".//colorPalette/paletteEntry")}
    assert set(entries) == {-1} | set(range(17))  # nodata (-100) has no entry: transparent
    assert entries[-1] == ("#9e9e9e", "Noise (no type)") and entries[3][1] == "Change type 3"
    colours = [entries[t][0] for t in range(17)]
    assert len(set(colours)) == 17 and "#9e9e9e" not in colours


def test_vector_sidecar_categories_and_no_stale_style(tmp_path, styles):
    """Change polygons get a .qml categorised on ``class`` (2, 3, 4); a file QGIS cannot open is an
    OSError and leaves neither a temporary file nor an old style beside it."""
    from osgeo import ogr, osr

    path = tmp_path / "polygons.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    layer = ds.CreateLayer("polygons", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn(styles.POLYGON_CLASS_FIELD, ogr.OFTInteger))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField(styles.POLYGON_CLASS_FIELD, 3)
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON ((0 0, 30 0, 30 30, 0 0))"))
    layer.CreateFeature(feature)
    ds = None
    qml = styles.write_vector_sidecar(str(path))
    assert qml == str(tmp_path / "polygons.qml")
    root = ET.parse(qml).getroot()
    renderer = root.find(".//renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "class"
    assert [c.get("value") for c in renderer.iter("category")] == ["2", "3", "4"]

    broken = tmp_path / "broken.gpkg"
    broken.write_text("not a geopackage")
    (tmp_path / "broken.qml").write_text("<qgis/>")  # a style of an earlier file
    with pytest.raises(OSError, match="cannot open"):
        styles.write_vector_sidecar(str(broken))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("broken")) == ["broken.gpkg"]
