"""The pinned official checkpoints: one table, data only (issue 27: weights you can verify).

Each entry ties a file of a Hugging Face repository to the repository revision it is downloaded
at and the SHA-256 and size its bytes must have. A file without an entry is downloaded at the
repository's ``main`` and only its hash is recorded (with a warning that it is not pinned).

Sources of the values: ``Planaura-1.0-HLS.pth`` at ``NRCan/Planaura-1.0`` revision
``fbbabfdcc0d5e48f7bd05c79b512563cf337742f`` (SHA-256 and size as pinned by another public
Planaura integration). The S2 and S2-Senegal checkpoints are not pinned yet: fill in their
revision, SHA-256 and size here once they are confirmed from the hub (``huggingface-cli`` or the
file page's "SHA256"), never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple


@dataclass(frozen=True)
class WeightsPin:
    """What an official checkpoint file must be."""

    revision: str  # the repository commit it is downloaded at (40 hex digits)
    sha256: str  # of the file's bytes, lower-case hex
    size: int  # bytes


PINS: Dict[Tuple[str, str], WeightsPin] = {
    ("NRCan/Planaura-1.0", "Planaura-1.0-HLS.pth"): WeightsPin(
        revision="fbbabfdcc0d5e48f7bd05c79b512563cf337742f",
        sha256="cc3041600ec62bc5452f243304ca446c8793e65baf13440cc21c4cf8ba7199eb",
        size=1_368_772_198),
}


def pin_for(repo_id: str, filename: str) -> Optional[WeightsPin]:
    """The pin of ``filename`` in ``repo_id``, or None when that file is not pinned."""
    return PINS.get((repo_id, filename))
