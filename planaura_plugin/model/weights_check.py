"""Checkpoint identity: SHA-256 of a weights file, hashed once, and the check against its pin.

A file is hashed once per (absolute path, size, modification time): the digests are kept in
memory and in a small JSON file (``PLANAURA_HASH_CACHE``, default
``~/.cache/planaura/sha256.json``), so a 1.4 GB checkpoint costs its few seconds of hashing only
the first time it is used. A file in the cache whose size or time changed is hashed again.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Union

from ..errors import CheckpointError
from ..i18n import _
from .weights_pins import WeightsPin

_MEMORY: Dict[str, str] = {}
_LOCK = threading.Lock()
CHUNK = 8 * 2 ** 20
PRUNE_AT = 256  # entries of the JSON cache above which those of vanished files are dropped


@dataclass(frozen=True)
class WeightsIdentity:
    """Which weights ran: recorded in the provenance of every output."""

    path: str
    sha256: str
    size: int
    pinned: bool  # True when the file was checked against an official pin
    revision: Optional[str] = None  # the Hugging Face revision of a pinned file


def hash_cache_file() -> Path:
    """Where the digests are kept between sessions (``PLANAURA_HASH_CACHE`` or ~/.cache/planaura)."""
    env = os.environ.get("PLANAURA_HASH_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "planaura" / "sha256.json"


def _key(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def _load_disk() -> Dict[str, str]:
    try:
        data = json.loads(hash_cache_file().read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_disk(key: str, digest: str) -> None:
    """Add one digest to the JSON cache (written whole under a temporary name, then renamed)."""
    target = hash_cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = _load_disk()
        if len(data) >= PRUNE_AT:  # forget files that are gone (temporary inputs, replaced downloads)
            data = {k: v for k, v in data.items() if os.path.exists(k.split("|", 1)[0])}
        data[key] = digest
        tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only home: the digest stays in memory for this process


def file_sha256(path: Union[str, Path]) -> str:
    """SHA-256 (lower-case hex) of the file's bytes, from the cache when path, size and time match.

    Raises:
        OSError: the file cannot be read.
    """
    path = Path(path)
    key = _key(path)
    with _LOCK:
        known = _MEMORY.get(key) or _load_disk().get(key)
    if known:
        _MEMORY[key] = known
        return known
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    value = digest.hexdigest()
    with _LOCK:
        _MEMORY[key] = value
        _save_disk(key, value)
    return value


def verify_pinned(path: Union[str, Path], pin: WeightsPin, repo_id: str, filename: str) -> WeightsIdentity:
    """Check a downloaded official checkpoint against its pin before any use.

    Raises:
        CheckpointError: size or SHA-256 differ (a broken download or another file); the message
            names the file, both values and what to do.
    """
    path = Path(path)
    size = path.stat().st_size
    if size != pin.size:
        raise CheckpointError(_(
            "The weights file {path} ({file} of {repo}) has {found} bytes where the official file has "
            "{expected}: the download is incomplete or the file was replaced. Delete it and download it "
            "again (Plugins > Planaura > Settings), or choose the official file as a local checkpoint.").format(
            path=path, file=filename, repo=repo_id, found=size, expected=pin.size))
    digest = file_sha256(path)
    if digest != pin.sha256:
        raise CheckpointError(_(
            "The weights file {path} ({file} of {repo}) has SHA-256 {found} where the official file at "
            "revision {revision} has {expected}: the file is corrupted or is not the official one, and "
            "it is not used. Delete it and download it again (Plugins > Planaura > Settings), or choose "
            "the official file as a local checkpoint.").format(
            path=path, file=filename, repo=repo_id, found=digest, expected=pin.sha256, revision=pin.revision))
    return WeightsIdentity(str(path), digest, size, True, pin.revision)


def identify(path: Union[str, Path]) -> WeightsIdentity:
    """The identity of a local (not pinned) checkpoint file: its path, size and SHA-256."""
    path = Path(path)
    return WeightsIdentity(str(path), file_sha256(path), path.stat().st_size, False, None)
