"""Layers that are not plain GeoTIFF files, handed over as QgsRasterLayer objects (as the dialog
and the modeler do): a GeoTIFF inside a zip (``/vsizip/``), a NetCDF sub-dataset, Fmasks from a
GeoPackage holding two raster tables, VRT files and a temporary output of another algorithm.

Every output must equal (max |diff| 0) the output of the same run on the plain GeoTIFFs, and
every case runs with GDAL's Python exceptions off and on: the messages stay ours (they name the
file) and the exceptions state is the same after the run as before.
"""
from __future__ import annotations

import gc
import os
import sys
import zipfile
from pathlib import Path
from typing import Dict

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

CHANGE_OUTPUTS = ("OUTPUT", "OUTPUT_BEFORE_DATE", "OUTPUT_AFTER_DATE", "OUTPUT_QUALITY")
MOSAIC_OUTPUTS = ("OUTPUT", "OUTPUT_PERSISTENCE")


def test_processing_leaves_gdal_in_a_state_the_fixture_covers(qgis_processing):
    """With Processing loaded (as in QGIS), QGIS 3.22 leaves gdal, ogr and osr exceptions off and QGIS >= 3.40
    turns all three on: the ``gdal_exceptions`` fixture's "off" and "on" are those two states."""
    from qgis.core import Qgis

    import gdal_states
    import processing  # noqa: F401 - its modules call UseExceptions() on QGIS >= 3.40

    from processing.core.Processing import Processing

    Processing.initialize()
    found = gdal_states.states()
    assert found in ((0, 0, 0), (1, 1, 1)), (Qgis.QGIS_VERSION, found)
    if Qgis.QGIS_VERSION_INT < 32400 or Qgis.QGIS_VERSION_INT >= 34000:  # seen: 3.22 off; 3.40 and 3.44 on
        assert found == ((1, 1, 1) if Qgis.QGIS_VERSION_INT >= 34000 else (0, 0, 0)), (Qgis.QGIS_VERSION, found)


# ------------------------------------------------------------------------------------------ helpers
_LAYERS: list = []  # every QgsRasterLayer made here, deleted at the end of its test


@pytest.fixture(autouse=True)
def provider(planaura_provider):
    """Every test runs Planaura algorithms; the layers it made are deleted while QGIS is up.

    A Python-held layer that outlives ``exitQgis`` crashes the interpreter at exit, and failed
    runs leave their frames (and so their layers) in tracebacks, ``sys.last_traceback`` included.
    """
    yield planaura_provider
    from qgis.PyQt import sip

    for attribute in ("last_type", "last_value", "last_traceback"):
        if hasattr(sys, attribute):
            setattr(sys, attribute, None)
    gc.collect()
    while _LAYERS:
        loaded = _LAYERS.pop()
        if not sip.isdeleted(loaded):
            sip.delete(loaded)


def pixels(path) -> np.ndarray:
    from osgeo import gdal

    ds = gdal.OpenEx(str(path), gdal.OF_RASTER)
    assert ds is not None, path
    return ds.ReadAsArray()


def assert_same_outputs(results: Dict[str, str], reference: Dict[str, str], keys) -> None:
    for key in keys:
        got, want = pixels(results[key]), pixels(reference[key])
        assert got.shape == want.shape, key
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        assert float(diff.max()) == 0.0, f"{key}: max |diff| {diff.max()}"


def layer(name: str):
    """A QgsRasterLayer of ``name`` read by GDAL, as QGIS loads it."""
    from qgis.core import QgsRasterLayer

    loaded = QgsRasterLayer(name, os.path.basename(name), "gdal")
    _LAYERS.append(loaded)
    assert loaded.isValid(), f"QGIS cannot load {name}"
    return loaded


def run(alg: str, params: dict, feedback=None) -> dict:
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    return processing.run(alg, params, feedback=feedback or QgsProcessingFeedback(), context=QgsProcessingContext())


def outputs_in(folder: Path, keys) -> Dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    return {key: str(folder / f"{key.lower()}.tif") for key in keys}


# ------------------------------------------------------------------------------------------ odd inputs
def netcdf_of_image(src: str, dst: Path) -> str:
    """The 6 bands of ``src`` as one 3-D NetCDF variable ``B`` (band, y, x); its sub-dataset name."""
    from osgeo import gdal, osr

    ds = gdal.Open(src)
    arr, gt = ds.ReadAsArray(), ds.GetGeoTransform()
    nc = gdal.GetDriverByName("netCDF").CreateMultiDimensional(str(dst))
    root = nc.GetRootGroup()
    f64, text = gdal.ExtendedDataType.Create(gdal.GDT_Float64), gdal.ExtendedDataType.CreateString()
    dims = [root.CreateDimension("band", None, None, arr.shape[0]),
            root.CreateDimension("y", gdal.DIM_TYPE_HORIZONTAL_Y, None, arr.shape[1]),
            root.CreateDimension("x", gdal.DIM_TYPE_HORIZONTAL_X, None, arr.shape[2])]
    for dim, axis, start, step in ((dims[1], "y", gt[3], gt[5]), (dims[2], "x", gt[0], gt[1])):
        coord = root.CreateMDArray(axis, [dim], f64)
        coord.CreateAttribute("standard_name", [], text).WriteString(f"projection_{axis}_coordinate")
        coord.CreateAttribute("units", [], text).WriteString("m")
        coord.Write(np.array([start + (i + 0.5) * step for i in range(dim.GetSize())]))
    var = root.CreateMDArray("B", dims, gdal.ExtendedDataType.Create(ds.GetRasterBand(1).DataType))
    var.SetNoDataValueDouble(ds.GetRasterBand(1).GetNoDataValue())
    var.SetSpatialRef(osr.SpatialReference(wkt=ds.GetProjection()))
    var.Write(arr)
    nc = None
    return f'NETCDF:"{dst}":B'


def netcdf_of_band(src: str, dst: Path) -> str:
    from osgeo import gdal

    assert gdal.Translate(str(dst), src, format="netCDF") is not None
    return f'NETCDF:"{dst}":Band1'


@pytest.fixture(scope="module")
def sources(tmp_path_factory, pair_a) -> Dict[str, Dict[str, str]]:
    """kind -> {before, after, before_fmask, after_fmask}: GDAL names of pair A in that kind."""
    from osgeo import gdal

    root = tmp_path_factory.mktemp("layer_sources")
    before, after = Path(pair_a["before"]), Path(pair_a["after"])
    out: Dict[str, Dict[str, str]] = {}

    archive = root / "pair_a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for key in ("before", "after", "before_fmask", "after_fmask"):
            zf.write(pair_a[key], "granules/" + Path(pair_a[key]).name)
    out["zip"] = {k: f"/vsizip/{archive}/granules/{Path(pair_a[k]).name}" for k in pair_a}

    nc = root / "netcdf"
    nc.mkdir()
    out["netcdf"] = {"before": netcdf_of_image(str(before), nc / (before.stem + ".nc")),
                     "after": netcdf_of_image(str(after), nc / (after.stem + ".nc")),
                     "before_fmask": netcdf_of_band(pair_a["before_fmask"], nc / "fmask_before.nc"),
                     "after_fmask": netcdf_of_band(pair_a["after_fmask"], nc / "fmask_after.nc")}

    gpkg = root / "fmasks.gpkg"
    for i, key in enumerate(("before_fmask", "after_fmask")):
        options = [f"RASTER_TABLE={key}"] + (["APPEND_SUBDATASET=YES"] if i else [])
        assert gdal.Translate(str(gpkg), pair_a[key], format="GPKG", creationOptions=options) is not None
    out["gpkg_fmask"] = {"before": pair_a["before"], "after": pair_a["after"],
                         "before_fmask": f"GPKG:{gpkg}:before_fmask", "after_fmask": f"GPKG:{gpkg}:after_fmask"}

    vrt = root / "vrt"
    vrt.mkdir()
    out["vrt"] = {}
    for key in pair_a:
        target = vrt / (Path(pair_a[key]).stem + ".vrt")
        assert gdal.Translate(str(target), pair_a[key], format="VRT") is not None
        out["vrt"][key] = str(target)
    return out


def temporary_copy(path: str) -> str:
    """``path`` through gdal:translate to TEMPORARY_OUTPUT (a name without date, as in a model)."""
    result = run("gdal:translate", {"INPUT": layer(path), "OUTPUT": "TEMPORARY_OUTPUT"})
    assert os.path.exists(result["OUTPUT"]), result
    return result["OUTPUT"]


@pytest.fixture(scope="module")
def change_reference(tmp_path_factory, planaura_provider, pair_a, tiny_model) -> Dict[str, str]:
    """The change map of the plain GeoTIFFs of pair A, Fmasks given."""
    outs = outputs_in(tmp_path_factory.mktemp("reference_change"), CHANGE_OUTPUTS)
    run("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"],
                               "BEFORE_FMASK": pair_a["before_fmask"], "AFTER_FMASK": pair_a["after_fmask"],
                               **tiny_model, **outs})
    return outs


# ------------------------------------------------------------------------------------------ change map
@pytest.mark.parametrize("kind", ["zip", "netcdf", "gpkg_fmask", "vrt"])
def test_change_map_of_layer_sources(kind, sources, change_reference, tiny_model, tmp_path, gdal_exceptions):
    names = sources[kind]
    outs = outputs_in(tmp_path, CHANGE_OUTPUTS)
    params = {"BEFORE": layer(names["before"]), "AFTER": layer(names["after"]),
              "BEFORE_FMASK": layer(names["before_fmask"]), "AFTER_FMASK": layer(names["after_fmask"]),
              **tiny_model, **outs}
    results = run("planaura:changemap", params)
    assert_same_outputs(results, change_reference, CHANGE_OUTPUTS)


def test_change_map_finds_the_fmasks_inside_the_zip(sources, change_reference, tiny_model, tmp_path,
                                                    recording_feedback):
    """FIND_FMASKS: fmask_<image name> in the same folder of the same zip."""
    outs = outputs_in(tmp_path, CHANGE_OUTPUTS)
    feedback = recording_feedback()
    results = run("planaura:changemap", {"BEFORE": layer(sources["zip"]["before"]),
                                         "AFTER": layer(sources["zip"]["after"]), **tiny_model, **outs}, feedback)
    assert any(sources["zip"]["before_fmask"] in info for info in feedback.infos), feedback.infos
    assert_same_outputs(results, change_reference, CHANGE_OUTPUTS)


def test_change_map_of_temporary_outputs(pair_a, change_reference, tiny_model, tmp_path, gdal_exceptions):
    """Images and Fmasks chained from gdal:translate's temporary outputs (names without dates)."""
    temps = {key: temporary_copy(pair_a[key]) for key in pair_a}
    outs = outputs_in(tmp_path, ("OUTPUT", "OUTPUT_QUALITY"))
    results = run("planaura:changemap", {"BEFORE": layer(temps["before"]), "AFTER": layer(temps["after"]),
                                         "BEFORE_FMASK": layer(temps["before_fmask"]),
                                         "AFTER_FMASK": layer(temps["after_fmask"]), **tiny_model, **outs})
    assert_same_outputs(results, change_reference, ("OUTPUT", "OUTPUT_QUALITY"))


# ------------------------------------------------------------------------------------------ embeddings
@pytest.fixture(scope="module")
def embeddings_reference(tmp_path_factory, planaura_provider, pair_a, tiny_model) -> Dict[str, str]:
    outs = outputs_in(tmp_path_factory.mktemp("reference_embeddings"), ("OUTPUT",))
    run("planaura:embeddings", {"INPUT": pair_a["before"], "EMBEDDINGS": "0-3", **tiny_model, **outs})
    return outs


@pytest.mark.parametrize("kind", ["zip", "netcdf", "vrt", "temporary"])
def test_embeddings_of_layer_sources(kind, sources, pair_a, embeddings_reference, tiny_model, tmp_path,
                                     gdal_exceptions):
    name = temporary_copy(pair_a["before"]) if kind == "temporary" else sources[kind]["before"]
    outs = outputs_in(tmp_path, ("OUTPUT",))
    results = run("planaura:embeddings", {"INPUT": layer(name), "EMBEDDINGS": "0-3", **tiny_model, **outs})
    assert_same_outputs(results, embeddings_reference, ("OUTPUT",))


# ------------------------------------------------------------------------------------------ mosaic
@pytest.fixture(scope="module")
def change_maps(tmp_path_factory, planaura_provider, pair_a, pair_b, tiny_model) -> Dict[str, object]:
    """Cosine maps of pairs A and B (upstream names, so the kind is in the name) and their mosaic."""
    root = tmp_path_factory.mktemp("mosaic_sources")
    maps = []
    for label, pair in (("a", pair_a), ("b", pair_b)):
        path = root / label / f"cosine_map!{label}_before!{label}_after.tif"
        path.parent.mkdir()
        run("planaura:changemap", {"BEFORE": pair["before"], "AFTER": pair["after"], **tiny_model,
                                   "OUTPUT": str(path)})
        maps.append(str(path))
    reference = outputs_in(root / "reference", MOSAIC_OUTPUTS)
    run("planaura:persistencemosaic", {"CHANGE_MAPS": maps, **reference})
    return {"maps": maps, "reference": reference, "root": root}


def mosaic_sources(kind: str, maps, root: Path):
    from osgeo import gdal

    folder = root / kind
    folder.mkdir(exist_ok=True)
    if kind == "zip":
        archive = folder / "maps.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for i, path in enumerate(maps):
                zf.write(path, f"pair{i}/{Path(path).name}")
        return [f"/vsizip/{archive}/pair{i}/{Path(p).name}" for i, p in enumerate(maps)]
    if kind == "netcdf":
        return [netcdf_of_band(p, folder / (Path(p).stem + ".nc")) for p in maps]
    if kind == "vrt":
        names = []
        for p in maps:
            target = folder / (Path(p).stem + ".vrt")
            assert gdal.Translate(str(target), p, format="VRT") is not None
            names.append(str(target))
        return names
    return [temporary_copy(p) for p in maps]


@pytest.mark.parametrize("kind", ["zip", "netcdf", "vrt", "temporary"])
def test_persistence_mosaic_of_layer_sources(kind, change_maps, tmp_path, gdal_exceptions):
    names = mosaic_sources(kind, change_maps["maps"], change_maps["root"])
    outs = outputs_in(tmp_path, MOSAIC_OUTPUTS)
    results = run("planaura:persistencemosaic", {"CHANGE_MAPS": [layer(n) for n in names], **outs})
    assert_same_outputs(results, change_maps["reference"], MOSAIC_OUTPUTS)


# ------------------------------------------------------------------------------------------ refusals
def test_layer_of_another_provider_is_refused():
    from qgis.core import QgsProcessingException, QgsRasterLayer

    from planaura_qgis.processing_provider.base import layer_dataset

    wms = QgsRasterLayer("crs=EPSG:4326&format=image/png&layers=a&styles=&url=http://127.0.0.1:9/wms", "Basemap",
                         "wms")
    _LAYERS.append(wms)
    with pytest.raises(QgsProcessingException, match=r"Before image: the layer 'Basemap' comes from the 'wms' "
                                                     r"data provider.*GeoTIFF"):
        layer_dataset(wms, "Before image")


def test_layer_whose_file_is_gone(tmp_path, pair_a):
    import shutil

    from qgis.core import QgsProcessingException

    from planaura_qgis.processing_provider.base import layer_dataset

    archive = tmp_path / "gone.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(pair_a["before"], Path(pair_a["before"]).name)
    loaded = layer(f"/vsizip/{archive}/{Path(pair_a['before']).name}")
    shutil.move(str(archive), str(tmp_path / "moved.zip"))
    with pytest.raises(QgsProcessingException, match=r"Before image: .*gone\.zip.* does not exist"):
        layer_dataset(loaded, "Before image")


REASONS = {"truncated": "truncated or corrupt", "garbage": "GDAL cannot open", "zip-member-gone": "does not exist",
           "three-band-netcdf": "has 3 band", "gpkg-table-gone": "does not exist"}


@pytest.mark.parametrize("case", sorted(REASONS))
def test_bad_inputs_name_the_file(case, pair_a, tiny_model, tmp_path, gdal_exceptions):
    """Layers QGIS loaded that cannot be used: our message, naming the file, whatever GDAL's
    exceptions state (never a traceback, nothing written)."""
    from osgeo import gdal
    from qgis.core import QgsProcessingException

    name = Path(pair_a["after"]).name
    fmask = None
    if case == "truncated":
        bad = tmp_path / name
        data = Path(pair_a["after"]).read_bytes()
        bad.write_bytes(data[: len(data) // 2])
        after, culprit = layer(str(bad)), str(bad)
    elif case == "garbage":  # loaded by QGIS, then overwritten by something GDAL cannot open
        bad = tmp_path / name
        bad.write_bytes(Path(pair_a["after"]).read_bytes())
        after, culprit = layer(str(bad)), str(bad)
        bad.write_bytes(b"not a raster" * 100)
    elif case == "zip-member-gone":
        archive = tmp_path / "pair.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.write(pair_a["after"], name)
        after = layer(f"/vsizip/{archive}/{name}")
        with zipfile.ZipFile(archive, "w") as zf:  # the zip is rewritten without the image
            zf.write(pair_a["before"], Path(pair_a["before"]).name)
        culprit = f"/vsizip/{archive}/{name}"
    elif case == "three-band-netcdf":
        three = tmp_path / "three.tif"
        assert gdal.Translate(str(three), pair_a["after"], bandList=[1, 2, 3]) is not None
        after = layer(netcdf_of_image(str(three), tmp_path / name.replace(".tif", ".nc")))
        culprit = name.replace(".tif", ".nc")
    else:
        gpkg = tmp_path / "fmasks.gpkg"
        assert gdal.Translate(str(gpkg), pair_a["after_fmask"], format="GPKG",
                              creationOptions=["RASTER_TABLE=after"]) is not None
        fmask = layer(f"GPKG:{gpkg}:after")
        os.remove(gpkg)
        after, culprit = pair_a["after"], str(gpkg)
    params = {"BEFORE": pair_a["before"], "AFTER": after, **tiny_model, "OUTPUT": str(tmp_path / "out.tif")}
    if fmask is not None:
        params["AFTER_FMASK"] = fmask
    with pytest.raises(QgsProcessingException) as info:
        run("planaura:changemap", params)
    message = str(info.value)
    del info  # its frames hold the run's layers (see the provider fixture)
    assert culprit in message, message
    assert REASONS[case] in message, message
    assert "Traceback" not in message and "RuntimeError" not in message and "AttributeError" not in message
    assert not (tmp_path / "out.tif").exists()
