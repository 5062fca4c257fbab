"""From an area and two date windows to a change map: the clearest usable scene of each window,
assembled from its assets where they lie, then the ordinary change map (:func:`run_change_map`).
"""
from __future__ import annotations

import csv
import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..feedback import Feedback, ScaledFeedback, ensure_feedback
from ..i18n import _
from ..model.loading import ModelSpec
from ..pipeline.requests import ChangeMapOutputs
from .errors import CatalogError
from .access import EARTHDATA_HOSTS, gdal_http
from .aoi_quality import Aoi, AoiCover, aoi_cover
from .scenes import Scene
from .sources import Catalogue

Window = Tuple[_dt.date, _dt.date]


def rank_scenes(scenes: Sequence[Scene], aoi: Aoi, catalogue: str = "",
                feedback: Optional[Feedback] = None) -> List[Tuple[Scene, AoiCover]]:
    """Every readable scene with its cover over the AOI, clearest first.

    Order: least cloud over the AOI, then most valid share, then least scene cover, then oldest.
    Progress is reported per scene; cancelling stops between scenes. A scene whose quality asset
    cannot be read is left out with a warning saying why.

    Raises:
        CatalogError: no scene could be read (the first one's message: 401, 403, 404, offline ...).
    """
    fb = ensure_feedback(feedback)
    measured, failures = [], []
    for number, scene in enumerate(scenes):
        fb.check_cancelled()
        fb.progress(number / max(len(scenes), 1), _("quality of scene {n} of {m}: {item}").format(
            n=number + 1, m=len(scenes), item=scene.item_id))
        try:
            measured.append((scene, aoi_cover(scene.quality, scene.quality_kind, aoi, catalogue, scene.item_id)))
        except CatalogError as exc:
            failures.append(exc)
            fb.warning(str(exc))
    if failures and not measured:
        raise failures[0]
    return sorted(measured, key=lambda sc: (round(sc[1].cloud, 6), -round(sc[1].valid, 6),
                                            100.0 if sc[0].scene_cloud is None else sc[0].scene_cloud,
                                            sc[0].datetime))


def clearest(ranked: Sequence[Tuple[Scene, AoiCover]], max_cloud: float, min_valid: float,
             window: str) -> Tuple[Scene, AoiCover]:
    """The first scene of ``ranked`` with cloud <= ``max_cloud`` and valid share >= ``min_valid`` over the AOI.

    Raises:
        CatalogError: none qualifies (the message gives the best one found and what to change).
    """
    for scene, cover in ranked:
        if cover.cloud <= max_cloud and cover.valid >= min_valid:
            return scene, cover
    if not ranked:
        raise CatalogError(_("no scene of the catalogue covers the area in the {window} window; widen the dates or "
                             "check the area and the collections").format(window=window))
    best, cover = ranked[0]
    raise CatalogError(_("no usable scene in the {window} window: the clearest, {item}, has {cloud:.0%} cloud and "
                         "{valid:.0%} valid pixels over the area (at most {max_cloud:.0%} cloud and at least "
                         "{min_valid:.0%} valid asked); widen the dates or allow more cloud").format(
                             window=window, item=best.item_id, cloud=cover.cloud, valid=cover.valid,
                             max_cloud=max_cloud, min_valid=min_valid))


@dataclass
class CatalogChangeRequest:
    """A change map from a catalogue: the area, the two windows, the outputs (as for the change map).

    ``before_id`` / ``after_id`` name an item to take instead of the clearest (modeler chains);
    ``download_folder``: a local copy of what is read (the AOI's window) is made there first.
    ``scenes_table``: where the chosen scenes are written (CSV); ``vrt_folder``: where the scenes'
    VRTs go (small text files; default: beside the scenes table).
    """

    catalogue: Catalogue
    aoi: Aoi
    before: Window
    after: Window
    outputs: ChangeMapOutputs
    scenes_table: str
    model: ModelSpec = field(default_factory=ModelSpec)
    collections: Sequence[str] = ()
    before_id: str = ""
    after_id: str = ""
    token: Optional[str] = None
    max_cloud: float = 0.2
    min_valid: float = 0.7
    vrt_folder: Optional[str] = None
    patch_stride: int = 16
    download_folder: Optional[str] = None  # a local copy of the AOI's window of each scene is made and read


def _pick(request: CatalogChangeRequest, window: Window, item_id: str, label: str, fb: Feedback,
          scope: Any) -> Tuple[Scene, AoiCover]:
    from .search import search_scenes

    scenes = search_scenes(request.catalogue, request.aoi.wgs84(), window[0], window[1],
                           collections=request.collections, ids=[item_id] if item_id else (), token=request.token)
    if item_id and not scenes:
        raise CatalogError(_("{catalogue}: item {item} was not found over the area in the {window} window; check the "
                             "id and the dates").format(catalogue=request.catalogue.title, item=item_id, window=label))
    for scene in scenes:  # the token goes with the assets' requests (quality now, bands later)
        for url in scene.bands + (scene.quality,):
            scope.allow(url)
    ranked = rank_scenes(scenes, request.aoi, request.catalogue.title, fb)
    scene, cover = clearest(ranked, 1.0 if item_id else request.max_cloud, 0.0 if item_id else request.min_valid,
                            label)
    fb.info(_("{window}: {item} ({date}), {cloud:.0%} cloud and {valid:.0%} valid over the area, chosen among "
              "{n} scene(s)").format(window=label, item=scene.item_id, date=scene.datetime[:10], cloud=cover.cloud,
                                     valid=cover.valid, n=len(ranked)))
    return scene, cover


def processing_area(aoi: Aoi, vrt: str, tile: int) -> Tuple[Tuple[float, float, float, float], str, bool]:
    """The area the change map processes: the AOI, or when it is narrower or lower than one model tile,
    a tile centred on it (the pipeline writes nothing for an area smaller than a tile).

    Args:
        aoi: the area; vrt: the first scene's VRT (its grid and CRS); tile: the model's tile (pixels).

    Returns:
        (xmin, ymin, xmax, ymax) in the VRT's CRS, that CRS as WKT, and whether the area was widened.

    Raises:
        CatalogError: GDAL cannot open the VRT.
    """
    from osgeo import gdal

    from ..gdal_calls import gdal_call

    ds, reason = gdal_call(gdal.Open, vrt)
    if ds is None:
        raise CatalogError(_("GDAL cannot open {name}: {reason}").format(name=vrt, reason=reason))
    gt, wkt = ds.GetGeoTransform(), ds.GetProjection()
    xmin, ymin, xmax, ymax = aoi.bounds_in(wkt)
    width, height = tile * abs(gt[1]), tile * abs(gt[5])
    widened = (xmax - xmin) < width or (ymax - ymin) < height
    if widened:
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        half_w, half_h = max(width, xmax - xmin) / 2, max(height, ymax - ymin) / 2
        xmin, xmax, ymin, ymax = cx - half_w, cx + half_w, cy - half_h, cy + half_h
    return (xmin, ymin, xmax, ymax), wkt, widened


def write_scenes_table(path: str, chosen: Sequence[Tuple[str, Scene, AoiCover]]) -> str:
    """The chosen scenes as CSV (role, item id, collection, date, sensor, tile, scene cloud %, AOI cloud,
    AOI valid, item URL, band URLs without signatures)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["role", "item_id", "collection", "datetime", "yyyyddd", "sensor", "tile", "scene_cloud",
                         "aoi_cloud", "aoi_valid", "item_url", "bands"])
        for role, s, c in chosen:
            writer.writerow([role, s.item_id, s.collection, s.datetime, s.date, s.sensor, s.tile,
                             "" if s.scene_cloud is None else s.scene_cloud, f"{c.cloud:.6f}", f"{c.valid:.6f}",
                             s.self_href, " ".join(u.split("?")[0] for u in s.bands)])
    return path


def catalog_change_map(request: CatalogChangeRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Search, choose, assemble and run the change map; returns ``{kind: path}`` with ``scenes_table`` added.

    Raises:
        CatalogError: the search fails, no usable scene, or an asset cannot be read (each message names
            the catalogue, the item and what to do).
    """
    from ..pipeline.change import run_change_map
    from ..pipeline.requests import ChangeMapRequest
    from .assemble import scene_quality, scene_vrt

    fb = ensure_feedback(feedback)
    folder = request.vrt_folder or os.path.join(os.path.dirname(os.path.abspath(request.scenes_table)), "scenes")
    hosts = EARTHDATA_HOSTS if request.catalogue.earthdata else ()
    with gdal_http(token=request.token, hosts=hosts) as scope:
        before = _pick(request, request.before, request.before_id, _("before"), ScaledFeedback(fb, 0.0, 0.05),
                       scope)
        after = _pick(request, request.after, request.after_id, _("after"), ScaledFeedback(fb, 0.05, 0.1), scope)
        if before[0].item_id == after[0].item_id:
            raise CatalogError(_("the before and after windows chose the same scene {item}; give windows that do not "
                                 "overlap").format(item=before[0].item_id))
        margin = int(request.model.config.img_size)  # one tile around the AOI: edge tiles see their neighbours
        vrts = [scene_vrt(s, folder, request.catalogue.title, request.aoi, margin) for s, _c in (before, after)]
        qualities: List[Any] = [scene_quality(before[0]), scene_quality(after[0])]  # the request takes either form
        if request.download_folder:
            from .local_copy import copy_scene

            for i, (scene, _cover) in enumerate((before, after)):
                fb.progress(0.1, _("copying {item} into {folder}").format(item=scene.item_id,
                                                                         folder=request.download_folder))
                vrts[i], qualities[i] = copy_scene(vrts[i], qualities[i], request.download_folder, scene.item_id)
        bbox, crs, widened = processing_area(request.aoi, vrts[0], margin)
        if widened:
            fb.info(_("the area is smaller than one tile of the model ({tile} px): the tile centred on it is "
                      "processed").format(tile=margin))
        change = ChangeMapRequest(inputs=vrts, outputs=request.outputs, model=request.model,
                                  fmasks=qualities, find_quality=False,
                                  dates=[before[0].date, after[0].date], bbox=bbox,
                                  bbox_crs=crs, patch_stride=request.patch_stride)
        written = run_change_map(change, ScaledFeedback(fb, 0.1, 1.0))
    table = write_scenes_table(request.scenes_table, [("before",) + before, ("after",) + after])
    return dict(written, scenes_table=table)


__all__ = ["CatalogChangeRequest", "catalog_change_map", "clearest", "processing_area", "rank_scenes",
           "write_scenes_table"]
