"""The CSV of an upstream run: its rows, the paths and the names its entries give."""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import List, Tuple

from .checkers import ConfigError
from ..i18n import _


def resolve_path(path: str, cwd: Path) -> Path:
    """``path`` made absolute against the working folder, '..' folded (links are kept)."""
    p = Path(os.path.expanduser(path))
    return Path(os.path.normpath(p if p.is_absolute() else cwd / p))


def check_csv_name(entry: str, row: int, column: str) -> None:
    """With paths_included_in_csvs false an entry is a file name inside the frame folder.

    Raises:
        ConfigError: the entry is a path (absolute, with a separator, a drive, ``.``/``..``).
    """
    bad = (os.path.isabs(entry) or "/" in entry or "\\" in entry or "\0" in entry
           or entry in (".", "..") or re.match(r"^[A-Za-z]:", entry) is not None)
    if bad:
        raise ConfigError(_("CSV line {row}, {column}: '{entry}' is not a plain file name. With paths_included_in_csvs "
                            "false the CSV holds only file names (no folder, no '..'); set paths_included_in_csvs true "
                            "to give paths").format(row=row, column=column, entry=entry))


def output_name(entry: str) -> str:
    """The name an input contributes to output names: its file name without extension.

    A GDAL name that is not a plain path (``/vsizip//p/a.zip/x.tif``, ``NETCDF:"/p/f.nc":B``)
    gives the stem of :func:`.inputs.datasets.output_stem` (``x``, ``f_B``): a valid file name.
    """
    if is_gdal_name(entry):
        from ..inputs.datasets import output_stem

        return output_stem(entry)
    return os.path.splitext(os.path.basename(entry.replace("\\", "/")))[0]


def is_gdal_name(entry: str) -> bool:
    """Whether a CSV entry is a GDAL dataset name to keep whole (``/vsi*``, sub-dataset, VRT XML)."""
    from ..inputs.datasets import parse

    parsed = parse(entry)
    return entry.startswith("/vsi") or parsed.is_subdataset or parsed.is_xml


def check_output_name(name: str, entry: str, row: int) -> None:
    """The output name of a CSV entry must be usable in a file name.

    Raises:
        ConfigError: it is empty, ``.``/``..`` or holds a path separator (the message names the CSV line).
    """
    if not name or name in (".", "..") or any(c in name for c in ("/", "\\", "\0")):
        raise ConfigError(_("CSV line {row}: the input '{entry}' gives no usable output name ('{name}')").format(
                              row=row, entry=entry, name=name))


def read_csv_rows(csv_path: Path, num_frames: int) -> List[Tuple[int, Tuple[str, ...]]]:
    """(line number, entries) of every data row; columns ``input_file_0..input_file_<T-1>``."""
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise ConfigError(_("the CSV {csv_path} is empty; it needs a header line {header}").format(
                    csv_path=csv_path, header=",".join(f"input_file_{k}" for k in range(num_frames))))
            header = [h.strip() for h in header]
            wanted = [f"input_file_{k}" for k in range(num_frames)]
            missing = [w for w in wanted if w not in header]
            if missing:
                raise ConfigError(_("the CSV {csv_path} has no column {missing} (num_frames is {num_frames}; its "
                                    "columns are {value})").format(
                                      csv_path=csv_path, missing=', '.join(missing), num_frames=num_frames,
                                      value=', '.join((h for h in header if h)) or 'none'))
            index = [header.index(w) for w in wanted]
            rows = []
            for line_no, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                entries = []
                for col, i in zip(wanted, index):
                    value = cells[i].strip() if i < len(cells) else ""
                    if not value:
                        raise ConfigError(_("CSV {csv_path} line {line_no}: {col} is empty").format(
                                              csv_path=csv_path, line_no=line_no, col=col))
                    entries.append(value)
                rows.append((line_no, tuple(entries)))
    except FileNotFoundError:
        raise ConfigError(_("the CSV file {csv_path} (csv_inference_file) does not exist").format(
                              csv_path=csv_path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(_("the CSV file {csv_path} is not UTF-8 text: {exc}").format(
                              csv_path=csv_path, exc=exc)) from exc
    except csv.Error as exc:
        raise ConfigError(_("the CSV file {csv_path} cannot be read: {exc}").format(
                              csv_path=csv_path, exc=exc)) from exc
    if not rows:
        raise ConfigError(_("the CSV {csv_path} lists no image (only a header)").format(csv_path=csv_path))
    return rows
