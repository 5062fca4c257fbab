"""The run manifest ``planaura_run.json``: what each pair of an upstream run read and wrote.

One record per CSV pair (keyed by its file id ``!A!B``) holds its inputs (size and
modification time), a hash of the parameters that decide its numbers, the outputs it wrote
(size, modification time, SHA-256), its status and, for a failure, the reason. The mosaic
has one record of the same shape. A re-run of the same config reads it to skip what is
complete and unchanged (:func:`pair_is_current`, :func:`mosaic_is_current`); the manifest
is rewritten atomically (temporary file then rename) after every pair, so a run killed at
pair 180 of 200 resumes at pair 180.

The manifest is plain JSON and used with and without Dask; nothing here imports Dask,
torch or GDAL.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Union

from ..errors import OutputError
from ..i18n import _

MANIFEST_NAME = "planaura_run.json"
FORMAT = "planaura-run-manifest"
VERSION = 1
DONE, FAILED, RUNNING = "done", "failed", "running"
# fields of a request that do not change its numbers: they may differ between runs that resume
# each other (a run started on a CPU may be finished on GPU workers, with another batch size)
_NOT_PARAMETERS = ("device", "batch_size", "hf_cache_dir")
_CHUNK = 4 * 1024 * 1024
SAVE_EVERY_S = 2.0  # records are written at most this often (and always at the end of a run)


def new_run_id() -> str:
    """A short id for one execution (time then random): ``20261205T074231-1a2b3c``."""
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def sha256_of(path: str) -> str:
    """SHA-256 (hex) of a file's bytes, read in 4 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_facts(path: str) -> Dict[str, Any]:
    """``{"path", "size", "mtime_ns"}`` of an input; a folder (HLS granule, SAFE) sums its files'
    sizes and keeps the latest time; a GDAL name (``/vsicurl/...``) or a missing path has None."""
    facts: Dict[str, Any] = {"path": str(path), "size": None, "mtime_ns": None}
    try:
        st = os.stat(path)
    except OSError:
        return facts
    if not os.path.isdir(path):
        facts.update(size=st.st_size, mtime_ns=st.st_mtime_ns)
        return facts
    size, latest = 0, st.st_mtime_ns
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                s = os.stat(os.path.join(root, name))
            except OSError:
                continue
            size += s.st_size
            latest = max(latest, s.st_mtime_ns)
    facts.update(size=size, mtime_ns=latest)
    return facts


def output_facts(path: str) -> Dict[str, Any]:
    """``{"path", "size", "mtime_ns", "sha256"}`` of a file just written."""
    st = os.stat(path)
    return {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256_of(path)}


def output_records(written: Mapping[str, str]) -> Dict[str, Dict[str, Any]]:
    """kind -> :func:`output_facts` of files just written (those that exist)."""
    return {k: output_facts(p) for k, p in written.items() if os.path.isfile(p)}


def _plain(value: Any) -> Any:
    """A JSON-able, order-stable form of requests (dataclasses, tuples, dicts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in _NOT_PARAMETERS}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def parameters_hash(*parts: Any) -> str:
    """SHA-256 of the canonical JSON of ``parts`` (requests, option dicts); device, batch size and
    the Hugging Face cache folder are left out (they do not decide the numbers)."""
    text = json.dumps([_plain(p) for p in parts], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_file(recorded: Mapping[str, Any], verify_hash: bool = True) -> bool:
    """True when an output recorded by :func:`output_facts` is still there with the same bytes.

    The size must be equal; then, where a SHA-256 is recorded, the file's bytes are hashed again
    and compared (``verify_hash``; a copy or a touch is not a change, a file damaged since it was
    recorded is). Without a recorded hash, or with ``verify_hash`` False, an equal modification
    time is taken as the same file.

    Args:
        recorded: ``{"path", "size", "mtime_ns", "sha256"}`` of :func:`output_facts`.
        verify_hash: hash the file again (the cost of reading it; see ``make bench``).

    Returns:
        Whether the file may be kept.
    """
    path = recorded.get("path")
    if not path:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    if st.st_size != recorded.get("size"):
        return False
    if recorded.get("sha256") and (verify_hash or st.st_mtime_ns != recorded.get("mtime_ns")):
        try:
            return sha256_of(path) == recorded["sha256"]
        except OSError:
            return False
    return st.st_mtime_ns == recorded.get("mtime_ns")


def same_input(recorded: Mapping[str, Any]) -> bool:
    """True when an input has the size and modification time recorded (a GDAL name: always)."""
    if recorded.get("size") is None and recorded.get("mtime_ns") is None:
        return input_facts(recorded["path"])["size"] is None
    now = input_facts(recorded["path"])
    return now["size"] == recorded.get("size") and now["mtime_ns"] == recorded.get("mtime_ns")


class RunManifest:
    """``planaura_run.json`` in the first save folder: read at the start, rewritten after each record.

    Args:
        folder: the save folder of frame 0 (created if missing).
        config: the YAML's path, recorded for the reader.

    Raises:
        OutputError: the file exists but is not a manifest of this format (it is never overwritten).
    """

    def __init__(self, folder: Union[str, os.PathLike], config: Optional[str] = None) -> None:
        self.path = Path(folder) / MANIFEST_NAME
        self._saved_at = float("-inf")
        self.data: Dict[str, Any] = _empty(config)
        self.notices: List[str] = []  # what the reading found and did (a damaged manifest set aside)
        self._changed: Set[str] = set()  # pair ids recorded by this process (merged into the file on save)
        self._mosaic_changed = False
        if self.path.is_file():
            self.data = self._read()
            problem = shape_problem(self.data)
            if problem is not None:
                self.data = _empty(config)
                self._set_aside(problem)
            self.data["config"] = config

    def _set_aside(self, problem: str) -> None:
        """Rename a manifest of the wrong shape to ``planaura_run.json.bad-<time>`` (never deleted)."""
        aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%dT%H%M%S')}-"
                                    f"{uuid.uuid4().hex[:4]}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise OutputError(_("the run manifest {path} is damaged ({problem}) and cannot be moved aside ({error}); "
                                "move it aside yourself to start afresh").format(
                path=self.path, problem=problem, error=exc.strerror or exc)) from exc
        self.notices.append(_("the run manifest {path} is damaged ({problem}): it was moved aside to {aside} and "
                              "every pair is computed again").format(path=self.path, problem=problem, aside=aside))

    def _read(self) -> Dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            raise OutputError(_("the run manifest {path} cannot be read ({error}); move it aside to start "
                                "afresh (the run then recomputes every pair)").format(
                                    path=self.path, error=exc)) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise OutputError(_("{path} is not a Planaura run manifest (no \"format\": \"{format}\"); "
                                "move it aside or choose another save folder").format(path=self.path, format=FORMAT))
        if data.get("version") != VERSION:
            raise OutputError(_("the run manifest {path} has version {found}, this plugin reads version {version}; "
                                "move it aside to start afresh").format(path=self.path, found=repr(data.get("version")),
                                                                        version=VERSION))
        data.setdefault("pairs", {})
        data.setdefault("runs", [])
        data.setdefault("mosaic", None)
        return data

    @property
    def pairs(self) -> Dict[str, Dict[str, Any]]:
        """file id -> pair record."""
        return self.data["pairs"]

    @property
    def mosaic(self) -> Optional[Dict[str, Any]]:
        """The mosaic record, or None."""
        return self.data.get("mosaic")

    def set_pair(self, file_id: str, record: Dict[str, Any]) -> None:
        """Store one pair's record; saved when the last save is :data:`SAVE_EVERY_S` old (a run
        of thousands of pairs does not rewrite the file thousands of times; a crash loses at
        most those seconds of records, whose pairs the next run computes again)."""
        self.pairs[file_id] = record
        self._changed.add(file_id)
        if time.monotonic() - self._saved_at >= SAVE_EVERY_S:
            self.save()

    def set_mosaic(self, record: Optional[Dict[str, Any]]) -> None:
        """Store the mosaic's record and save."""
        self.data["mosaic"] = record
        self._mosaic_changed = True
        self.save()

    def start_run(self, run_id: str, scheduler: Optional[str]) -> Dict[str, Any]:
        """Append and return the record of this execution (computed / skipped / failed lists); the
        file is written with the first pair record (a run cancelled before leaves no manifest)."""
        run: Dict[str, Any] = {"id": run_id, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "scheduler": scheduler, "computed": [], "skipped": [], "failed": [], "mosaic": None}
        self.data["runs"].append(run)
        return run

    def save(self) -> None:
        """Write the manifest atomically (a temporary beside it, then a rename), merged with what
        other runs sharing the folder (another config, another process) recorded meanwhile.

        The merge holds the folder's commit lock (:class:`~..raster.output_safety.FolderLocks`):
        the file on disk is read again, this process's pair records, runs and mosaic record are
        laid over it, and the result replaces it. Nothing another run recorded is lost.

        Raises:
            OutputError: the manifest cannot be written (disk full ...); the previous file stays.
        """
        from ..raster.output_safety import FolderLocks, new_token, temporary_name

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(_("the run manifest {path} cannot be written ({error})").format(
                path=self.path, error=exc.strerror or exc)) from exc
        tmp = Path(temporary_name(str(self.path), new_token()))
        with FolderLocks([str(self.path.parent)]):
            self.data = self._merged()
            try:
                with open(tmp, "w", encoding="utf-8") as handle:
                    handle.write(json.dumps(self.data, indent=1, sort_keys=False) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
                self._saved_at = time.monotonic()
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise OutputError(_("the run manifest {path} cannot be written ({error})").format(
                    path=self.path, error=exc.strerror or exc)) from exc

    def _merged(self) -> Dict[str, Any]:
        """This process's records laid over the manifest now on disk (when it is a readable one)."""
        try:
            disk = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return self.data
        if shape_problem(disk) is not None or disk.get("format") != FORMAT or disk.get("version") != VERSION:
            return self.data
        merged = dict(disk, config=self.data.get("config"))
        merged["pairs"] = dict(disk.get("pairs") or {})
        merged["pairs"].update({k: self.pairs[k] for k in self._changed if k in self.pairs})
        mine = {run.get("id"): run for run in self.data["runs"]}
        merged["runs"] = [mine.pop(run.get("id"), run) for run in disk.get("runs") or []] + list(mine.values())
        merged["mosaic"] = self.data.get("mosaic") if self._mosaic_changed else disk.get("mosaic")
        return merged


def _empty(config: Optional[str]) -> Dict[str, Any]:
    """A manifest with no record."""
    return {"format": FORMAT, "version": VERSION, "config": config, "runs": [], "pairs": {}, "mosaic": None}


def shape_problem(data: Any) -> Optional[str]:
    """What is wrong with the structure of a manifest read as JSON, or None when it can be used.

    Args:
        data: the parsed JSON (its ``format`` and ``version`` are checked elsewhere).

    Returns:
        A short description ("pairs is a list, not an object" ...), or None.
    """
    if not isinstance(data, dict):
        return _("a {name}, not an object").format(name=type(data).__name__)
    expected = (("pairs", dict, _("an object")), ("runs", list, _("a list")), ("mosaic", (dict, type(None)),
                                                                                 _("an object or null")))
    for key, kind, what in expected:
        if key in data and not isinstance(data[key], kind):
            return _("{key} is a {name}, not {what}").format(key=key, name=type(data[key]).__name__, what=what)
    for file_id, record in (data.get("pairs") or {}).items():
        if not isinstance(record, dict) or not isinstance(record.get("outputs") or {}, dict) \
                or not isinstance(record.get("inputs") or [], list):
            return _("the record of pair {pair} is not of the expected form").format(pair=file_id)
        if not all(isinstance(o, dict) for o in (record.get("outputs") or {}).values()) \
                or not all(isinstance(i, dict) for i in record.get("inputs") or []):
            return _("the record of pair {pair} is not of the expected form").format(pair=file_id)
    if not all(isinstance(run, dict) for run in data.get("runs") or []):
        return _("a run record is not an object")
    mosaic = data.get("mosaic")
    if isinstance(mosaic, dict) and not (isinstance(mosaic.get("outputs") or {}, dict)
                                         and isinstance(mosaic.get("inputs") or {}, dict)):
        return _("the mosaic record is not of the expected form")
    return None



class MemoryManifest(RunManifest):
    """A manifest kept in memory only: neither read from nor written to the save folder.

    :func:`~.resumable.run_plan` with ``record=False`` (``execute_plan``,
    ``run_config``) runs through it: every pair is computed and no ``planaura_run.json`` is left.
    """

    def __init__(self, folder: Union[str, os.PathLike], config: Optional[str] = None) -> None:
        self.path = Path(folder) / MANIFEST_NAME
        self._saved_at = float("inf")  # set_pair never saves
        self.data = _empty(config)
        self.notices = []
        self._changed = set()
        self._mosaic_changed = False

    def save(self) -> None:
        """Nothing is written."""


def pair_is_current(record: Optional[Mapping[str, Any]], params: str, inputs: Iterable[str],
                    removed_ok: bool = False) -> bool:
    """True when a pair need not run again: done, same parameters, same inputs, outputs intact.

    Args:
        record: the pair's manifest record (None: never run).
        params: :func:`parameters_hash` of the pair now.
        inputs: the pair's input paths now (images and Fmask files).
        removed_ok: outputs removed by ``delete_residues`` after a mosaic still count as intact.

    Returns:
        Whether the recorded outputs may be kept.
    """
    if not record or record.get("status") != DONE or record.get("params") != params:
        return False
    recorded_inputs = record.get("inputs") or []
    if [r.get("path") for r in recorded_inputs] != [str(p) for p in inputs]:
        return False
    if not all(same_input(r) for r in recorded_inputs):
        return False
    for out in (record.get("outputs") or {}).values():
        if out.get("removed") and removed_ok:
            continue
        if not same_file(out):
            return False
    return True


def mosaic_is_current(record: Optional[Mapping[str, Any]], params: str, inputs: Mapping[str, str]) -> bool:
    """True when the mosaic need not run again: done, same parameters, the same per-pair files
    (path -> SHA-256) and input images, and its outputs intact.

    Args:
        record: the mosaic's manifest record (None: never run).
        params: :func:`parameters_hash` of the mosaic request now (without its pairs).
        inputs: path -> SHA-256 of every per-pair file and input image it reads now.
    """
    if not record or record.get("status") != DONE or record.get("params") != params:
        return False
    if dict(record.get("inputs") or {}) != dict(inputs):
        return False
    return all(same_file(out) for out in (record.get("outputs") or {}).values())


def failed_pairs(manifest: RunManifest, file_ids: Iterable[str]) -> List[str]:
    """The ids among ``file_ids`` whose record says failed."""
    return [f for f in file_ids if (manifest.pairs.get(f) or {}).get("status") == FAILED]
