"""GDAL dataset names: one home for what a user hands us as "a raster".

A dataset name is the exact string GDAL opens: a plain path, a ``/vsi*`` path
(``/vsizip//data/a.zip/dir/x.tif``, ``/vsicurl/https://...``), a sub-dataset name
(``NETCDF:"/p/f.nc":B``, ``GPKG:/p/f.gpkg:table``, ``HDF5:"/p/f.h5"://grid/B``,
``SENTINEL2_L2A:/p/MTD_MSIL2A.xml:20m:EPSG_32615``) or VRT XML. This module opens them
read-only, tells whether they exist (the file under a sub-dataset, ``VSIStatL`` for
``/vsi*``), gives the short name used in messages, the names searched for a date, a stem
usable in output file names and the sibling files (``fmask_<image name>``).

Every GDAL call here works whatever :func:`osgeo.gdal.UseExceptions` state the session
is in (QGIS >= 3.40 switches exceptions on), and never changes that state: the calls go
through :mod:`planaura_plugin.gdal_calls`.

Never imports QGIS; GDAL is imported inside the functions.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from ..errors import InputError
from ..gdal_calls import gdal_call, gdal_messages
from ..i18n import _

# driver prefix of a sub-dataset name: two or more characters, so that "C:\..." is a path
_SUBDATASET = re.compile(r"^([A-Za-z][A-Za-z0-9_]+):(.+)$", re.S)
_VSI_PREFIX = re.compile(r"^(/vsi[a-z0-9_]+(?:\?[^/]*)?/)(.*)$", re.S)
_ARCHIVE_VSI = ("/vsizip/", "/vsitar/", "/vsi7z/", "/vsirar/")
_ARCHIVE_END = re.compile(r"\.(zip|kmz|tar|tgz|tar\.gz|7z|rar)(?=/|$)", re.I)
_QUOTED = re.compile(r'"([^"]*)"')
_BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


@dataclass(frozen=True)
class DatasetName:
    """A GDAL dataset name taken apart.

    Attributes:
        name: the name as GDAL opens it.
        driver: the sub-dataset driver prefix (``NETCDF``, ``GPKG``...), '' for a path.
        file: what must exist for the dataset to exist: the path (``/vsi*`` included) under
            a sub-dataset, the name itself for a path, '' for VRT XML.
        component: what follows the file in a sub-dataset name (variable, table...), ''.
    """

    name: str
    driver: str = ""
    file: str = ""
    component: str = ""

    @property
    def is_subdataset(self) -> bool:
        return bool(self.driver)

    @property
    def is_xml(self) -> bool:
        return not self.file and self.name.lstrip().startswith("<")


# ----------------------------------------------------------------------------------- GDAL calls


def _stat(path: str) -> Optional[Any]:
    """``gdal.VSIStatL`` (None when absent), quiet and safe under either exceptions state."""
    from osgeo import gdal

    if not path:
        return None
    result, _ = gdal_call(gdal.VSIStatL, path)
    return result


def _is_file_or_dir(path: str) -> bool:
    return os.path.exists(path) or _stat(path) is not None


# ----------------------------------------------------------------------------------- parsing


def parse(name: str) -> DatasetName:
    """Take a dataset name apart (no GDAL open; the file system is looked at for ambiguous names).

    Args:
        name: a GDAL dataset name.

    Returns:
        The :class:`DatasetName`.
    """
    name = str(name)
    if name.lstrip().startswith("<"):
        return DatasetName(name=name)
    match = _SUBDATASET.match(name)
    if not match or match.group(2).startswith("//") or _is_file_or_dir(name):
        return DatasetName(name=name, file=name)
    driver, rest = match.group(1), match.group(2)
    quoted = _QUOTED.search(rest)
    if quoted:
        component = rest[quoted.end():].lstrip(":")
        return DatasetName(name=name, driver=driver, file=quoted.group(1), component=component)
    file, component = _split_unquoted(rest)
    return DatasetName(name=name, driver=driver, file=file, component=component)


def _split_unquoted(rest: str) -> Tuple[str, str]:
    """(file, component) of ``GPKG:/p/f.gpkg:table``-like names: the longest run of ':'-parts that exists."""
    parts = rest.split(":")
    for start in range(len(parts)):
        for end in range(len(parts), start, -1):
            candidate = ":".join(parts[start:end])
            if candidate and _is_file_or_dir(candidate):
                return candidate, ":".join(parts[end:])
    for i, part in enumerate(parts):  # nothing exists: the first part that looks like a path
        if "/" in part or "\\" in part or "." in part:
            if i == 0 and len(part) == 1 and len(parts) > 1:  # a drive letter
                return part + ":" + parts[1], ":".join(parts[2:])
            return part, ":".join(parts[i + 1:])
    return parts[0], ":".join(parts[1:])


def split_archive(path: str) -> Optional[Tuple[str, str, str]]:
    """(prefix, container, member) of an archive path such as ``/vsizip//p/a.zip/dir/x.tif``.

    Args:
        path: a path, possibly under ``/vsizip/``, ``/vsitar/``, ``/vsi7z/`` or ``/vsirar/``.

    Returns:
        ('/vsizip/', '/p/a.zip', 'dir/x.tif'), or None when ``path`` is not inside an archive.
    """
    prefix = next((p for p in _ARCHIVE_VSI if path.startswith(p)), None)
    if prefix is None:
        return None
    rest = path[len(prefix):]
    if rest.startswith("{") and "}" in rest:
        container, member = rest[1:rest.index("}")], rest[rest.index("}") + 1:]
        return prefix, container, member.lstrip("/")
    match = _ARCHIVE_END.search(rest)
    if match is None:
        return prefix, rest, ""
    return prefix, rest[:match.end()], rest[match.end():].lstrip("/")


def _inner_path(path: str) -> str:
    """The path with every ``/vsi*`` prefix removed (``/vsicurl/https://h/x.tif`` -> ``https://h/x.tif``)."""
    while True:
        match = _VSI_PREFIX.match(path)
        if not match:
            return path
        path = match.group(2)


# ----------------------------------------------------------------------------------- facts


def exists(name: str) -> bool:
    """Whether the dataset (the file under a sub-dataset name) exists; VRT XML always does.

    Args:
        name: a GDAL dataset name.

    Returns:
        True when the file is there (``os.path.exists`` or ``gdal.VSIStatL``).
    """
    parsed = parse(name)
    if parsed.is_xml:
        return True
    return bool(parsed.file) and _is_file_or_dir(parsed.file)


def is_plain_file(name: str) -> bool:
    """Whether ``name`` is an ordinary local file (no ``/vsi*``, no sub-dataset, no XML).

    Args:
        name: a GDAL dataset name.

    Returns:
        True for a path ``os.path.isfile`` accepts.
    """
    name = str(name)
    return not name.startswith("/vsi") and os.path.isfile(name)


def short_name(name: str) -> str:
    """The file-like name of a dataset for messages and layer names.

    Args:
        name: a GDAL dataset name.

    Returns:
        ``x.tif`` for ``/p/x.tif``, ``a.zip/dir/x.tif`` inside a zip, ``f.nc:B`` for
        ``NETCDF:"/p/f.nc":B``, ``f.gpkg:table`` for ``GPKG:/p/f.gpkg:table``.
    """
    parsed = parse(name)
    if parsed.is_xml:
        return "VRT (XML)"
    if parsed.is_subdataset:
        inner = short_name(parsed.file)
        return f"{inner}:{parsed.component}" if parsed.component else inner
    archive = split_archive(parsed.file)
    if archive is not None:
        _, container, member = archive
        return f"{os.path.basename(container)}/{member}" if member else os.path.basename(container)
    return os.path.basename(_inner_path(parsed.file).rstrip("/")) or parsed.file


def date_names(name: str) -> List[str]:
    """The names searched for an acquisition date, innermost first.

    Args:
        name: a GDAL dataset name.

    Returns:
        ``['x.tif']`` for ``/p/x.tif``; ``['x.tif', 'dir', 'a.zip']`` for
        ``/vsizip//p/a.zip/dir/x.tif``; ``['B', 'f.nc']`` for ``NETCDF:"/p/f.nc":B``.
    """
    parsed = parse(name)
    if parsed.is_xml:
        return []
    names: List[str] = []
    if parsed.is_subdataset:
        names += [p for p in reversed(re.split(r"[:/]", parsed.component)) if p]
        return names + date_names(parsed.file)
    archive = split_archive(parsed.file)
    if archive is not None:
        _, container, member = archive
        names += [p for p in reversed(member.split("/")) if p]
        return names + date_names(container)
    return [os.path.basename(_inner_path(parsed.file).rstrip("/"))]


def output_stem(name: str) -> str:
    """A stem for output file names derived from an input (valid on Windows and POSIX).

    A plain path gives its file name without extension, unchanged; other names give the
    innermost file's stem plus the sub-dataset component, with ``<>:"/\\|?*`` replaced by '_'.

    Args:
        name: a GDAL dataset name.

    Returns:
        e.g. ``HLS.S30.T15SXR.2021250T163901.v2.0`` for ``/vsizip//p/a.zip/HLS...v2.0.tif``,
        ``f_B`` for ``NETCDF:"/p/f.nc":B``, ``f_table`` for ``GPKG:/p/f.gpkg:table``.
    """
    parsed = parse(name)
    if parsed.is_xml:
        return "vrt"
    if parsed.is_subdataset:
        stem, component = output_stem(parsed.file), parsed.component.strip("/:\\")
        return _clean(f"{stem}_{component}" if component else stem)
    archive = split_archive(parsed.file)
    inner = archive[2] if archive and archive[2] else (archive[1] if archive else _inner_path(parsed.file))
    return _clean(os.path.splitext(os.path.basename(inner.rstrip("/")))[0])


def _clean(text: str) -> str:
    cleaned = _BAD_FILE_CHARS.sub("_", text).strip(" ._")
    return cleaned or "input"


# ----------------------------------------------------------------------------------- siblings


def sibling(name: str, file_name: str) -> Optional[str]:
    """The dataset name of ``file_name`` in the folder of ``name`` (inside the same zip folder).

    Args:
        name: a GDAL dataset name (for a sub-dataset, its file's folder is used).
        file_name: a plain file name.

    Returns:
        The sibling's dataset name, or None for VRT XML.
    """
    parsed = parse(name)
    if parsed.is_xml:
        return None
    if parsed.is_subdataset:
        return sibling(parsed.file, file_name)
    archive = split_archive(parsed.file)
    if archive is not None:
        prefix, container, member = archive
        folder = member.rsplit("/", 1)[0] + "/" if "/" in member else ""
        return f"{prefix}{container}/{folder}{file_name}"
    if parsed.file.startswith("/vsi"):
        return parsed.file.rsplit("/", 1)[0] + "/" + file_name
    return os.path.join(os.path.dirname(os.path.abspath(parsed.file)), file_name)


def image_file_name(name: str) -> str:
    """The image's own file name: the zip member's, or the file's under a sub-dataset name.

    Args:
        name: a GDAL dataset name.

    Returns:
        e.g. ``x.tif`` for ``/vsizip//p/a.zip/dir/x.tif``, ``f.nc`` for ``NETCDF:"/p/f.nc":B``.
    """
    parsed = parse(name)
    if parsed.is_subdataset:
        return image_file_name(parsed.file)
    archive = split_archive(parsed.file)
    if archive is not None and archive[2]:
        return os.path.basename(archive[2])
    return os.path.basename(_inner_path(parsed.file).rstrip("/"))


def fmask_beside(name: str) -> Optional[str]:
    """``fmask_<image name>`` (or ``fmask_<stem>.tif``) beside the image, if it exists.

    Args:
        name: the image's GDAL dataset name.

    Returns:
        The Fmask's dataset name, or None.
    """
    image = image_file_name(name)
    if not image or parse(name).is_xml:
        return None
    for candidate_name in dict.fromkeys(("fmask_" + image, "fmask_" + os.path.splitext(image)[0] + ".tif")):
        candidate = sibling(name, candidate_name)
        if candidate and candidate != str(name) and exists(candidate):
            return candidate
    return None


# ----------------------------------------------------------------------------------- opening


def open_dataset(name: str, what: Optional[str] = None, containers: bool = False):
    """Open a raster read-only, or raise an :class:`InputError` that names it.

    Args:
        name: a GDAL dataset name.
        what: what the dataset is, for the message ("input raster", "Fmask"...).
        containers: accept a dataset holding only sub-datasets (a Sentinel-2 product's metadata file).

    Returns:
        The ``gdal.Dataset``.

    Raises:
        InputError: the dataset does not exist, GDAL cannot open it, its header is
            truncated, or it holds sub-datasets instead of bands.
    """
    from osgeo import gdal

    what = what or _("input raster")
    name = str(name) if name else ""
    parsed = parse(name) if name else DatasetName(name="")
    if not name or not exists(name):
        missing = _(" (the file {file} is not there)").format(file=parsed.file) if parsed.is_subdataset else ""
        raise InputError(_("the {what} {name} does not exist{missing}; check the path, or load the layer "
                           "again").format(what=what, name=name, missing=missing))
    flags = gdal.OF_RASTER | gdal.OF_READONLY | gdal.OF_VERBOSE_ERROR
    with gdal_messages() as messages:  # the warnings too: an IO error of a truncated header is one
        ds, _reason = gdal_call(gdal.OpenEx, name, flags)
    errors = [m for c, m in messages if c >= gdal.CE_Failure]
    if ds is None:
        reason = errors[-1] if errors else _("not a raster format GDAL reads")
        raise InputError(_("GDAL cannot open the {what} {name}: {reason}").format(what=what, name=name,
                                                                                  reason=reason))
    io_errors = [m for c, m in messages if c >= gdal.CE_Warning and "IO error" in m]
    if io_errors:  # a truncated header: GDAL opens the file but silently drops the tags it could not read
        raise InputError(_("GDAL cannot read the header of the {what} {name} ({error}); the file is truncated "
                           "or corrupt").format(what=what, name=name, error=io_errors[-1]))
    if ds.RasterCount == 0 and not containers:
        _refuse_container(ds, name, what)
    return ds


def missing_vrt_sources(ds: Any) -> List[str]:
    """The source files a VRT refers to that do not exist (GDAL opens such a VRT, and fails only
    when a block is read, with a message that looks like a damaged file).

    Args:
        ds: a ``gdal.Dataset``.

    Returns:
        The missing sources as the VRT names them (a relative name resolved against the VRT's
        folder), each once, in order; empty for a dataset that is not a VRT.
    """
    from xml.etree import ElementTree as ET

    if ds.GetDriver().ShortName != "VRT":
        return []
    text = (ds.GetMetadata("xml:VRT") or [""])[0]
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return []
    description = ds.GetDescription()
    folder = "" if description.lstrip().startswith("<") else os.path.dirname(description)
    missing: List[str] = []
    for elem in root.iter("SourceFilename"):
        source = (elem.text or "").strip()
        if elem.get("relativeToVRT") == "1" and folder:
            source = folder.rstrip("/\\") + "/" + source if folder.startswith("/vsi") else os.path.join(folder, source)
        if source and source not in missing and not exists(source):
            missing.append(source)
    return missing


def _refuse_container(ds, name: str, what: str) -> None:
    """Raise for a dataset without bands, listing its sub-datasets when it has some."""
    subs = [v for k, v in sorted((ds.GetMetadata("SUBDATASETS") or {}).items()) if k.endswith("_NAME")]
    if subs:
        shown = ", ".join(subs[:3]) + (", ..." if len(subs) > 3 else "")
        raise InputError(_("the {what} {name} holds {n} sub-dataset(s) and no band of its own; give one "
                           "sub-dataset (e.g. {shown}), or in QGIS add the layer and choose it; when each band is "
                           "a sub-dataset of its own (one NetCDF variable per band), stack the six in model order "
                           "first: gdalbuildvrt -separate stack.vrt <sub-dataset B02> ... <B12>").format(
            what=what, name=name, n=len(subs), shown=shown))
    raise InputError(_("the {what} {name} has no raster band; give a raster").format(what=what, name=name))


def stand_in_vrt(name: str, folder: str) -> str:
    """A VRT file in ``folder`` that reads ``name`` (for code that only accepts local files).

    The VRT is named after :func:`output_stem` (``cosine_map!A!B.vrt`` for
    ``/vsizip//p/a.zip/cosine_map!A!B.tif``) and keeps the dataset's metadata and values.

    Args:
        name: a GDAL dataset name.
        folder: an existing folder to write the VRT into.

    Returns:
        ``name`` itself when it is a plain local file, else the VRT's path.

    Raises:
        InputError: GDAL cannot open ``name`` or cannot write the VRT.
    """
    from osgeo import gdal

    if is_plain_file(name):
        return str(name)
    ds = open_dataset(name)
    base = os.path.join(folder, output_stem(name))
    target, n = base + ".vrt", 1
    while os.path.exists(target):
        n += 1
        target = f"{base}_{n}.vrt"
    vrt, message = gdal_call(gdal.Translate, target, ds, format="VRT")
    if vrt is None:
        raise InputError(_("GDAL cannot write a VRT of {name} into {folder}: {reason}").format(
                             name=name, folder=folder, reason=message or _("unknown error")))
    vrt.FlushCache()
    return target
