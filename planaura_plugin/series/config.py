"""Change over time from a YAML file (and CSV lists), for the command line and batch runs.

The YAML holds upstream's model keys (``model_params`` with ``load_params``, ``use_gpu``,
``batch_size``, ...: read by :func:`~..model.loading.spec_from_upstream`) and one block of its own::

    change_over_time:
      images: [a.tif, b.tif, c.tif]     # or images_csv: series.csv (columns image[, date][, quality])
      pairing: consecutive              # or reference (reference_date: 2021-09-07)
      threshold: 0.6
      rule: strongest                   # or first_persistent (persistence: 2)
      outputs: [date_of_change, change_intensity, valid_observations, cosine_per_pair]
      report: true
      points_csv: points.csv            # columns name, x, y (points_crs: EPSG:4326; default the images')
      output_dir: series_out
      missing_quality_clear: false
      patch_stride: 16
      upsample: true

Relative paths are relative to the current folder, as in upstream's YAML. Run it with
``python -m planaura_plugin.series CONFIG.yaml [--scheduler local:2] [--no-resume]``.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..errors import InputError
from ..i18n import _
from .date_of_change import MergeRule
from .run import DEFAULT_KINDS, SeriesRequest

BLOCK = "change_over_time"
KEYS = ("images", "images_csv", "pairing", "reference_date", "threshold", "rule", "persistence", "outputs",
        "report", "points_csv", "points_crs", "output_dir", "missing_quality_clear", "fmask_bitwise",
        "patch_stride", "upsample", "min_valid", "date_regex")


def _rows(path: str) -> List[Dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
    except OSError as exc:
        raise InputError(_("the CSV {path} cannot be read: {reason}").format(path=path, reason=exc)) from exc


def _images(block: Mapping[str, Any]) -> Tuple[List[str], List[Optional[int]], List[Optional[str]]]:
    """(images, dates, quality layers) of the block: its ``images`` list or its ``images_csv``."""
    from ..dates import parse_iso_date

    if block.get("images_csv"):
        rows = _rows(str(block["images_csv"]))
        if not rows or "image" not in rows[0]:
            raise InputError(_("{path} needs a column 'image' (and optionally 'date' YYYY-MM-DD and 'quality')").format(
                path=block["images_csv"]))
        dates = [parse_iso_date(r["date"], r["image"]) if r.get("date") else None for r in rows]
        return [r["image"] for r in rows], dates, [r.get("quality") or None for r in rows]
    images = [str(p) for p in block.get("images") or []]
    return images, [], []


def _points(block: Mapping[str, Any]) -> List[Tuple[str, float, float]]:
    if not block.get("points_csv"):
        return []
    rows = _rows(str(block["points_csv"]))
    try:
        return [(r.get("name") or str(i + 1), float(r["x"]), float(r["y"])) for i, r in enumerate(rows)]
    except (KeyError, ValueError) as exc:
        raise InputError(_("{path} needs the columns name, x and y (numbers in points_crs)").format(
            path=block["points_csv"])) from exc


def series_request(config: Mapping[str, Any], scheduler: Optional[str] = None, resume: bool = True,
                   device: Optional[str] = None) -> SeriesRequest:
    """The :class:`~.run.SeriesRequest` of a YAML's content (already parsed).

    Raises:
        InputError: no ``change_over_time`` block, an unknown key in it, a bad CSV or reference date.
    """
    from dataclasses import replace

    from ..dates import parse_iso_date
    from ..model.loading import spec_from_upstream

    block = config.get(BLOCK)
    if not isinstance(block, Mapping):
        raise InputError(_("the YAML has no '{block}' block: see the README's Change over time section").format(
            block=BLOCK))
    unknown = sorted(set(block) - set(KEYS))
    if unknown:
        raise InputError(_("unknown key(s) {keys} in '{block}'; the keys are {known}").format(
            keys=", ".join(unknown), block=BLOCK, known=", ".join(KEYS)))
    model = spec_from_upstream(config, Path.cwd())
    if device:
        model = replace(model, device=device)
    images, dates, qualities = _images(block)
    reference = block.get("reference_date")
    return SeriesRequest(
        inputs=images, output_dir=str(block.get("output_dir") or "series_out"), model=model,
        pairing=str(block.get("pairing", "consecutive")),  # type: ignore[arg-type]  # checked by series_pairs
        reference_date=parse_iso_date(str(reference), "reference_date") if reference else None,
        rule=MergeRule(float(block.get("threshold", 0.6)), str(block.get("rule", "strongest")),  # type: ignore
                       int(block.get("persistence", 1))),
        kinds=tuple(block.get("outputs") or DEFAULT_KINDS), report=bool(block.get("report", True)),
        points=_points(block), points_crs=block.get("points_crs"), dates=dates, qualities=qualities,
        date_regex=block.get("date_regex"), missing_quality_clear=bool(block.get("missing_quality_clear", False)),
        fmask_bitwise=bool(block.get("fmask_bitwise", True)), patch_stride=int(block.get("patch_stride", 16)),
        upsample=bool(block.get("upsample", True)), min_valid=float(block.get("min_valid", 0.7)),
        resume=resume, scheduler=scheduler)


def load_series_config(path: str, **options: Any) -> SeriesRequest:
    """:func:`series_request` of a YAML file (InputError when it cannot be read or parsed)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            config = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(_("the YAML {path} cannot be read: {reason}").format(path=path, reason=exc)) from exc
    if not isinstance(config, Mapping):
        raise InputError(_("the YAML {path} is not a mapping of keys").format(path=path))
    return series_request(config, **options)
