"""Which PyTorch build *Install dependencies* installs on this machine, and why.

A pure decision (no Qt, no QGIS, no network): the platform and what ``nvidia-smi`` printed go
in, a :class:`TorchBuild` comes out, with the wheel index pip is given and the reason shown to
the user before anything is installed.

- Windows or Linux with an NVIDIA driver: the newest CUDA build of the pinned torch that the
  driver supports, from NVIDIA's minimum driver version of each CUDA toolkit (the "Toolkit Driver
  Version" table of the CUDA Toolkit release notes, Linux x86_64 and Windows x86_64 columns).
- Windows or Linux without a usable NVIDIA driver (no ``nvidia-smi``, ``nvidia-smi`` failing, a
  driver older than every CUDA build): the CPU build (much smaller: no CUDA libraries).
- macOS: the default wheel of PyPI, which has the Apple GPU (``mps``) backend; the device is
  offered where torch reports it (``torch.backends.mps.is_available()``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Sequence, Tuple

INDEX_BASE = "https://download.pytorch.org/whl/"

#: (wheel tag, minimum Linux driver, minimum Windows driver), newest CUDA first: NVIDIA's
#: published "Toolkit Driver Version" of each CUDA toolkit's GA release.
CUDA_MINIMUM_DRIVERS: Tuple[Tuple[str, str, str], ...] = (
    ("cu130", "580.65.06", "580.88"),
    ("cu129", "575.51.03", "576.02"),
    ("cu128", "570.26", "570.65"),
    ("cu126", "560.28.03", "560.76"),
    ("cu124", "550.54.14", "551.61"),
    ("cu121", "530.30.02", "531.14"),
    ("cu118", "520.61.05", "520.06"),
)
#: The CUDA builds published on the PyTorch wheel index for the torch pinned in requirements.txt
#: (update together with the pin).
TORCH_CUDA_BUILDS: Tuple[str, ...] = ("cu126", "cu128", "cu130")
#: The same for each torch that requirements.txt pins for some Python (torch 2.8.0: Python 3.9).
CUDA_BUILDS_BY_TORCH: Dict[str, Tuple[str, ...]] = {"2.13.0": TORCH_CUDA_BUILDS,
                                                    "2.8.0": ("cu126", "cu128", "cu129")}

NVIDIA_SMI_QUERY = ("--query-gpu=driver_version,name", "--format=csv,noheader")


@dataclass(frozen=True)
class SmiResult:
    """What running ``nvidia-smi`` gave: found=False when the program is not there."""

    found: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""


@dataclass(frozen=True)
class TorchBuild:
    """The PyTorch build to install.

    Attributes:
        kind: ``cuda``, ``cpu`` or ``default`` (PyPI's own wheel: macOS).
        tag: the wheel's local version label (``cu128``, ``cpu``) or None for ``default``.
        reason: why, as a code the settings dialog translates: ``driver`` (CUDA matched to the
            driver), ``driver_too_old``, ``no_nvidia_smi``, ``nvidia_smi_failed``, ``apple``.
        driver: the NVIDIA driver version read from nvidia-smi, if any.
        gpu: the GPU name read from nvidia-smi, if any.
        needed_driver: the minimum driver of the chosen CUDA build, or of the oldest CUDA build
            when the driver is too old.
        detail: nvidia-smi's error text when it failed.
    """

    kind: str
    tag: Optional[str]
    reason: str
    driver: Optional[str] = None
    gpu: Optional[str] = None
    needed_driver: Optional[str] = None
    detail: str = ""

    @property
    def index_url(self) -> Optional[str]:
        """The PyTorch wheel index (``https://download.pytorch.org/whl/cu128``), None for PyPI's wheel."""
        return INDEX_BASE + self.tag if self.tag else None

    @property
    def cuda_version(self) -> Optional[str]:
        """``12.8`` for ``cu128``, None for a CPU or default build."""
        if not self.tag or not self.tag.startswith("cu"):
            return None
        digits = self.tag[2:]
        return f"{digits[:-1]}.{digits[-1]}"

    def torch_spec(self, version: str) -> str:
        """The pip requirement of torch: ``torch==2.13.0+cu128`` (the build's local label pins the build)."""
        return f"torch=={version}+{self.tag}" if self.tag else f"torch=={version}"

    def describe(self) -> str:
        """One English sentence for the command line (the dialog builds its own, translated)."""
        what = {"cuda": f"CUDA {self.cuda_version} build", "cpu": "CPU build", "default": "default build"}[self.kind]
        why = {
            "driver": f"NVIDIA driver {self.driver} ({self.gpu}) supports it (needs {self.needed_driver} or newer)",
            "driver_too_old": f"NVIDIA driver {self.driver} ({self.gpu}) is older than {self.needed_driver}, "
                              "the oldest driver of the CUDA builds",
            "no_nvidia_smi": "no NVIDIA driver found (no nvidia-smi)",
            "nvidia_smi_failed": f"nvidia-smi failed: {self.detail}",
            "apple": "macOS: PyPI's wheel, with the Apple GPU (mps) backend",
        }[self.reason]
        return f"PyTorch {what}: {why}"


def version_tuple(version: str) -> Tuple[int, ...]:
    """``(570, 133, 7)`` for ``570.133.07`` (non-numeric parts end the tuple)."""
    parts = []
    for part in version.strip().split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


def parse_nvidia_smi(stdout: str) -> Tuple[Optional[str], Optional[str]]:
    """(driver version, GPU name) of the first GPU in nvidia-smi's output.

    Reads both the CSV answer of ``nvidia-smi --query-gpu=driver_version,name --format=csv,noheader``
    (``570.133.07, NVIDIA RTX A4000``) and the banner of a plain ``nvidia-smi``
    (``Driver Version: 570.133.07``; the GPU name is then not read).

    Args:
        stdout: what nvidia-smi printed.

    Returns:
        (driver, name); (None, None) when no driver version is found.
    """
    for line in stdout.splitlines():
        match = re.match(r"^\s*(\d+\.\d+(?:\.\d+)?)\s*,\s*(.+?)\s*$", line)
        if match:
            return match.group(1), match.group(2)
    match = re.search(r"Driver Version:\s*(\d+\.\d+(?:\.\d+)?)", stdout)
    return (match.group(1), None) if match else (None, None)


def newest_cuda_build(driver: str, windows: bool, builds: Sequence[str] = TORCH_CUDA_BUILDS
                      ) -> Tuple[Optional[str], str]:
    """The newest CUDA build among ``builds`` whose minimum driver ``driver`` meets.

    Args:
        driver: the NVIDIA driver version (``550.54.14`` on Linux, ``551.86`` on Windows).
        windows: use the Windows column of the minimum driver table.
        builds: the CUDA wheel tags published for the pinned torch.

    Returns:
        (tag or None, minimum driver of that tag; of the oldest build when none fits).
    """
    have = version_tuple(driver)
    oldest = ""
    for tag, linux_min, windows_min in CUDA_MINIMUM_DRIVERS:
        if tag not in builds:
            continue
        minimum = windows_min if windows else linux_min
        if have >= version_tuple(minimum):
            return tag, minimum
        oldest = minimum
    return None, oldest


def choose_torch_build(platform: str, smi: SmiResult, builds: Sequence[str] = TORCH_CUDA_BUILDS) -> TorchBuild:
    """The PyTorch build for a machine (see the module's description).

    Args:
        platform: ``sys.platform`` (``linux``, ``win32``, ``darwin``).
        smi: the result of :func:`run_nvidia_smi` (ignored on macOS).
        builds: the CUDA wheel tags published for the pinned torch.

    Returns:
        The build, with its reason.
    """
    if platform == "darwin":
        return TorchBuild("default", None, "apple")
    if not smi.found:
        return TorchBuild("cpu", "cpu", "no_nvidia_smi")
    driver, gpu = parse_nvidia_smi(smi.stdout) if smi.returncode == 0 else (None, None)
    if driver is None:
        detail = (smi.stderr or smi.stdout).strip().splitlines()
        return TorchBuild("cpu", "cpu", "nvidia_smi_failed",
                          detail=(detail[0] if detail else f"exit status {smi.returncode}"))
    tag, minimum = newest_cuda_build(driver, platform.startswith("win"), builds)
    if tag is None:
        return TorchBuild("cpu", "cpu", "driver_too_old", driver=driver, gpu=gpu, needed_driver=minimum)
    return TorchBuild("cuda", tag, "driver", driver=driver, gpu=gpu, needed_driver=minimum)


def run_nvidia_smi(run: Callable[..., "subprocess.CompletedProcess[str]"] = subprocess.run,
                   which: Callable[[str], Optional[str]] = shutil.which, timeout: float = 20.0) -> SmiResult:
    """Run ``nvidia-smi --query-gpu=driver_version,name --format=csv,noheader``.

    Args:
        run: subprocess.run (replaced in tests).
        which: shutil.which (replaced in tests).
        timeout: seconds before a hanging nvidia-smi counts as failed.

    Returns:
        The result; found=False when nvidia-smi is not on PATH.
    """
    program = which("nvidia-smi")
    if not program:
        return SmiResult(found=False)
    try:
        done = run([program, *NVIDIA_SMI_QUERY], capture_output=True, text=True, timeout=timeout, check=False,
                   creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except (OSError, subprocess.SubprocessError) as exc:
        return SmiResult(found=True, returncode=-1, stderr=f"{type(exc).__name__}: {exc}")
    return SmiResult(found=True, returncode=done.returncode, stdout=done.stdout or "", stderr=done.stderr or "")


def torch_build_for_this_machine(torch_version: Optional[str] = None) -> TorchBuild:
    """:func:`choose_torch_build` for this computer (runs nvidia-smi once), among the CUDA builds of
    ``torch_version`` (the pin for this Python; default: :data:`TORCH_CUDA_BUILDS`)."""
    builds = CUDA_BUILDS_BY_TORCH.get((torch_version or "").split("+", 1)[0], TORCH_CUDA_BUILDS)
    return choose_torch_build(sys.platform, SmiResult(found=False) if sys.platform == "darwin" else run_nvidia_smi(),
                              builds)


def build_mismatch(installed: Optional[str], build: TorchBuild, platform: str = sys.platform) -> bool:
    """True when the installed torch is a CPU build but the machine can use a CUDA one.

    Args:
        installed: the installed torch version (``2.13.0+cpu``), or None.
        build: the build chosen for this machine.
        platform: ``sys.platform`` (PyPI's Windows wheel is CPU only; its Linux wheel has CUDA).

    Returns:
        True when *Install dependencies* should replace torch with ``build``.
    """
    if installed is None or build.kind != "cuda":
        return False
    local = installed.split("+", 1)[1] if "+" in installed else None
    return local == "cpu" or (local is None and platform.startswith("win"))
