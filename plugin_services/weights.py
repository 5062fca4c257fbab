"""Finding and downloading the published Planaura weights (no Qt: the download task calls this).

The checkpoints live in the Hugging Face cache (``huggingface_hub``'s layout), so the
algorithms, the core's command line and the settings dialog all find the same files.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Callable, Optional

from ..planaura_plugin.errors import WeightsUnavailableError
from ..planaura_plugin.presets import HF_REPO_ID


class DownloadCancelled(Exception):
    """The user cancelled the download (raised from the progress hook)."""


def checkpoint_filename(model_name: str) -> str:
    """``Planaura-1.0-HLS.pth`` for ``Planaura-1.0-HLS``."""
    return model_name if model_name.endswith((".pth", ".pt")) else model_name + ".pth"


def offline_mode() -> bool:
    """True when ``HF_HUB_OFFLINE`` forbids every network access to the hub."""
    return (os.environ.get("HF_HUB_OFFLINE") or "").strip().lower() in {"1", "true", "yes", "on"}


def cached_weights(model_name: str, repo_id: str = HF_REPO_ID, cache_dir: Optional[str] = None) -> Optional[Path]:
    """The checkpoint's path if it is already in the Hugging Face cache (never touches the network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    from ..planaura_plugin.model.weights_pins import pin_for

    filename = checkpoint_filename(model_name)
    pin = pin_for(repo_id, filename)  # an official file is looked for at its pinned revision
    found = try_to_load_from_cache(repo_id, filename, cache_dir=cache_dir or None,
                                   revision=pin.revision if pin else None)
    return Path(found) if isinstance(found, (str, os.PathLike)) and Path(found).is_file() else None


def _progress_class(report: Callable[[float], None], cancelled: Callable[[], bool]):
    """A tqdm class that forwards the byte count to ``report`` (0-100) and stops on cancel."""
    from tqdm.auto import tqdm

    class TaskProgress(tqdm):
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = False  # the hub disables bars off a terminal; we still need the counts
            kwargs["file"] = io.StringIO()
            super().__init__(*args, **kwargs)

        def update(self, n=1):
            if cancelled():
                raise DownloadCancelled("download cancelled")
            result = super().update(n)
            if self.total:
                report(min(100.0, 100.0 * self.n / self.total))
            return result

    return TaskProgress


def fetch_weights(model_name: str, repo_id: str = HF_REPO_ID, cache_dir: Optional[str] = None,
                  report: Callable[[float], None] = lambda _p: None,
                  cancelled: Callable[[], bool] = lambda: False) -> Path:
    """The local checkpoint of ``model_name``: from the cache, else downloaded into it.

    Offline (``HF_HUB_OFFLINE``) or without the file, raises the core's
    :class:`WeightsUnavailableError`, whose text says which file is missing and how to get it.
    """
    from ..planaura_plugin.model.checkpoint import hf_checkpoint_path

    filename = checkpoint_filename(model_name)
    try:
        return hf_checkpoint_path(filename, repo_id=repo_id, cache_dir=cache_dir or None, offline=True)
    except WeightsUnavailableError:
        if offline_mode():
            raise
    from huggingface_hub import hf_hub_download

    from ..planaura_plugin.model.weights_pins import pin_for

    pin = pin_for(repo_id, filename)
    try:
        path = hf_hub_download(repo_id=repo_id, filename=filename, cache_dir=cache_dir or None,
                               revision=pin.revision if pin else None,
                               tqdm_class=_progress_class(report, cancelled))
    except DownloadCancelled:
        raise
    except Exception as exc:  # the hub raises many types: connection, HTTP, disk, missing entry
        raise WeightsUnavailableError(
            f"The Planaura weights {filename} (repository {repo_id}) could not be downloaded: "
            f"{type(exc).__name__}: {exc}. Check the internet connection (or the proxy), or download "
            f"{filename} from https://huggingface.co/{repo_id} on another machine and choose it as a "
            "local checkpoint file.") from exc
    report(100.0)
    if pin is not None:  # size and SHA-256 checked now, not at the first run
        from ..planaura_plugin.model.weights_check import verify_pinned

        verify_pinned(path, pin, repo_id, filename)
    return Path(path)
