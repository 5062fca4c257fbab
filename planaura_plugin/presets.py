"""Normalisation presets of the published Planaura checkpoints.

Each preset ties a checkpoint file name to the per-band statistics it was trained with,
the nodata value of the imagery it expects and the regular expression that finds the
acquisition date in a file name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence, Tuple

HF_REPO_ID = "NRCan/Planaura-1.0"
BANDS = ("B02", "B03", "B04", "B8A", "B11", "B12")
NO_DATA_FLOAT = 0.0001


@dataclass(frozen=True)
class Preset:
    """Statistics and conventions of one checkpoint family."""

    name: str
    checkpoint_file: Optional[str]
    mean: Tuple[float, ...]
    std: Tuple[float, ...]
    no_data: float
    date_regex: str
    bands: Tuple[str, ...] = field(default=BANDS)

    def __post_init__(self) -> None:
        if len(self.mean) != len(self.std):
            raise ValueError(f"preset {self.name}: {len(self.mean)} means but {len(self.std)} stds")
        if len(self.mean) != len(self.bands):
            raise ValueError(f"preset {self.name}: {len(self.mean)} means for {len(self.bands)} bands")
        if any(s <= 0 for s in self.std):
            raise ValueError(f"preset {self.name}: every std must be > 0, got {self.std}")


HLS = Preset(
    name="Planaura-1.0-HLS",
    checkpoint_file="Planaura-1.0-HLS.pth",
    mean=(643.9851, 845.6229, 788.6456, 2172.8008, 1489.5220, 883.1777),
    std=(1560.9802, 1540.3963, 1490.3253, 1327.4828, 906.7046, 672.1715),
    no_data=-9999,
    date_regex=r"\.(\d{7})T",
)

S2 = Preset(
    name="Planaura-1.0-S2",
    checkpoint_file="Planaura-1.0-S2.pth",
    mean=(1112.6296, 1294.6424, 1194.6553, 2941.6995, 1664.4121, 1025.6766),
    std=(2091.0797, 2022.7262, 2023.6636, 1491.4366, 880.0135, 711.8505),
    no_data=0,
    date_regex=r"_(\d{8})_",
)

# Sentinel-2 L2A over Senegal (upstream ``planaura_s2_senegal_config.yaml``). Its statistics are
# those of x 10000 reflectance like the other two, but its nodata is HLS's -9999, not S2's 0;
# its date regex (upstream ``\_(\d{8})_``) is the S2 one, written there with a redundant escape.
S2_SENEGAL = Preset(
    name="Planaura-1.0-S2-Senegal",
    checkpoint_file="Planaura-1.0-S2-Senegal.pth",
    mean=(836.1105, 1312.5455, 1840.4399, 3188.1226, 3874.2311, 3024.4216),
    std=(385.7821, 595.9305, 1020.3113, 918.3842, 1614.7953, 1595.0770),
    no_data=-9999,
    date_regex=S2.date_regex,
)

PRESETS: Dict[str, Preset] = {p.name: p for p in (HLS, S2, S2_SENEGAL)}


def custom_preset(mean: Sequence[float], std: Sequence[float], no_data: float,
                  date_regex: str = HLS.date_regex, bands: Sequence[str] = BANDS,
                  name: str = "custom") -> Preset:
    """A preset for a custom checkpoint, validated like the built-in ones."""
    return Preset(name=name, checkpoint_file=None, mean=tuple(float(m) for m in mean),
                  std=tuple(float(s) for s in std), no_data=float(no_data),
                  date_regex=date_regex, bands=tuple(bands))
