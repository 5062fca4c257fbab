"""The names a raster band carries about which band it is: every hint the file holds.

:func:`dataset_hints` gathers, for each band of a GDAL dataset, the texts that may say which
spectral band it holds, each with where it was found:

- the band description (``B02``, ``Blue``, ``B4, central wavelength 665 nm``);
- name-like band metadata: ``BANDNAME``, ``long_name``, ``standard_name``, STAC-style common
  names (``common_name`` / ``eo:common_name``: ``blue``, ``nir08``, ``swir16`` ...);
- for a VRT band (``gdalbuildvrt -separate stack.vrt *.tif``), the file names of its sources
  that feed this band only (``HLS.S30.T15SXR.2021250T163901.v2.0.B8A.tif``, Earth Search
  ``nir08.tif``, ``T15SXR_20210907T163901_B8A_20m.jp2``, Landsat ``..._SR_B5.TIF``) and, when
  the VRT band has no name of its own, the hints of the source band itself (a VRT of VRTs is
  followed down to its files).

Reading the hints is left to :mod:`.bands`; nothing here decides a band's role.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Set, Tuple
from xml.etree import ElementTree as ET

from ..i18n import _

# metadata keys whose value names the band, after lower-casing and turning ':', '-', '.', ' ' into '_'
NAME_KEYS = frozenset(("bandname", "band_name", "name", "long_name", "standard_name", "description",
                       "common_name", "eo_common_name", "eo_name", "netcdf_varname"))
_KEY_SEPARATORS = re.compile(r"[^a-z0-9]+")
_SOURCE_FILE = re.compile(r"<SourceFilename(?P<attrs>[^>]*)>(?P<name>[^<]*)</SourceFilename>")
SOURCES_OPENED = 4  # sources of one VRT band opened for their band names (a mosaic's tiles hold the same band)
MAX_VRT_DEPTH = 4  # VRTs of VRTs followed down to their files' names
_SOURCE_BAND = re.compile(r"<SourceBand>(\d+)</SourceBand>")


@dataclass(frozen=True)
class Hint:
    """One text that may say which band a raster band holds.

    Attributes:
        text: the text itself (a description, a metadata value, a source file's name).
        where: what it is, for messages (translated): ``description``, ``metadata <KEY>``,
            ``source file``, ``source band description`` or ``source band metadata <KEY>``.
    """

    text: str
    where: str


def metadata_key(key: str) -> str:
    """A metadata key as compared with :data:`NAME_KEYS` (``eo:common_name`` -> ``eo_common_name``)."""
    return _KEY_SEPARATORS.sub("_", key.lower()).strip("_")


def metadata_items(band: Any) -> List[Tuple[str, str]]:
    """(key, value) of a band's default-domain metadata, read from GDAL's raw ``KEY=VALUE`` list.

    GDAL splits a key at its first ``:`` or ``=``, so a STAC key ``eo:common_name`` comes back
    as ``eo=common_name=nir08``; the value is what follows the last ``=`` and the key what
    precedes it (``eo:common_name``).
    """
    out = []
    for item in band.GetMetadata_List() or []:
        if "=" in item:
            key, value = item.rsplit("=", 1)
        elif ":" in item:
            key, value = item.split(":", 1)
        else:
            continue
        out.append((key.replace("=", ":"), value))
    return out


def own_hints(band: Any, source: bool = False) -> List[Hint]:
    """The description and name-like metadata values of a ``gdal.Band``, description first.

    Args:
        band: a ``gdal.Band``.
        source: the band is a VRT's source band (``where`` says so).
    Returns:
        hints with non-empty text.
    """
    hints = [Hint(band.GetDescription() or "", _("source band description") if source else _("description"))]
    for key, value in metadata_items(band):
        if metadata_key(key) in NAME_KEYS:
            where = _("source band metadata {key}") if source else _("metadata {key}")
            hints.append(Hint(value, where.format(key=key)))
    return [Hint(h.text.strip(), h.where) for h in hints if h.text and h.text.strip()]


def vrt_sources(band: Any, vrt_name: str) -> List[Tuple[str, int]]:
    """The (dataset name, 1-based band) of each source of a VRT band, relative names resolved
    against the VRT's folder.

    Args:
        band: a ``gdal.Band`` of a VRT dataset (any other band has no ``vrt_sources``: []).
        vrt_name: the VRT's file name (its description; a VRT given as XML has no folder).
    Returns:
        the sources in source order, each once.
    """
    folder = "" if vrt_name.lstrip().startswith("<") else os.path.dirname(vrt_name)
    found: List[Tuple[str, int]] = []
    for xml in (band.GetMetadata("vrt_sources") or {}).values():
        match = _SOURCE_FILE.search(str(xml))
        if match is None:
            continue
        name = _xml_text(match.group("name"))
        if 'relativeToVRT="1"' in match.group("attrs") and folder and not os.path.isabs(name):
            name = os.path.join(folder, name)
        number = _SOURCE_BAND.search(str(xml))
        source = (name, int(number.group(1)) if number else 1)
        if name and source not in found:
            found.append(source)
    return found


def _xml_text(text: str) -> str:
    """``text`` with its XML entities (``&amp;``) decoded."""
    try:
        return ET.fromstring(f"<t>{text}</t>").text or ""
    except ET.ParseError:
        return text


def source_name(source: str) -> str:
    """The file name of a source dataset, which may name its band (``..._B8A_20m.jp2``, ``nir08.tif``).

    A sub-dataset name (``SENTINEL2_L2A:/a/MTD_MSIL2A.xml:20m:EPSG_32615``) gives "": its band is
    chosen by number inside a product, and the file name says nothing about it.
    """
    if re.match(r"^[A-Za-z0-9_]{2,}:", source):
        return ""
    return os.path.basename(source.rstrip("/\\"))


def dataset_hints(ds: Any, numbers: Sequence[int], depth: int = 0) -> Dict[int, List[Hint]]:
    """Every hint some bands of a dataset carry about which band each one is.

    For a VRT band, a source file's name is a hint only when that file feeds no other VRT band
    (a per-band file, as ``gdalbuildvrt -separate`` stacks them): the name of a multi-band stack
    (``blue_marble.tif``, bands 1..6) says nothing about one of its bands. When the VRT band has no
    name of its own, the first :data:`SOURCES_OPENED` sources are opened and the hints of their
    band are read the same way: its description and metadata and, for a source that is itself a
    VRT (``gdalbuildvrt mosaic.vrt stack.vrt``), its own sources' names, down to
    :data:`MAX_VRT_DEPTH` VRTs deep.

    Args:
        ds: a ``gdal.Dataset``.
        numbers: the 1-based bands to describe.
        depth: how many VRTs above ``ds`` asked (0: ``ds`` is the dataset given; its own hints
            are then said to be a source band's).
    Returns:
        band number -> its own hints, then its ``source file`` hints, then (only when it has no
        own hint) its source bands' hints. Unreadable sources add nothing.
    """
    vrt_name = ds.GetDescription() or ""
    sources = {i: vrt_sources(ds.GetRasterBand(i), vrt_name) for i in range(1, ds.RasterCount + 1)}
    feeds: Dict[str, Set[int]] = {}
    for i, found in sources.items():
        for name, _band in found:
            feeds.setdefault(name, set()).add(i)
    opened: Dict[str, Any] = {}
    out: Dict[int, List[Hint]] = {}
    for i in numbers:
        own = own_hints(ds.GetRasterBand(i), source=depth > 0)
        names = [source_name(n) for n, _band in sources[i] if len(feeds[n]) == 1]
        hints = own + [Hint(n, _("source file")) for k, n in enumerate(names) if n and n not in names[:k]]
        if not own and depth < MAX_VRT_DEPTH:
            for name, number in sources[i][:SOURCES_OPENED]:
                src = _open_quietly(name, opened)
                if src is not None and 1 <= number <= src.RasterCount:
                    hints += [h for h in dataset_hints(src, [number], depth + 1)[number] if h not in hints]
        out[i] = hints
    return out


def _open_quietly(name: str, opened: Dict[str, Any]) -> Any:
    """``gdal.Open(name)``, once per name, or None when GDAL cannot open it (no message)."""
    from osgeo import gdal

    if name not in opened:
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            opened[name] = gdal.Open(name)
        except RuntimeError:
            opened[name] = None
        finally:
            gdal.PopErrorHandler()
    return opened[name]
