"""Precision choices: what the CPU can do natively and how a network is prepared for each.

- ``float32``: the reference numbers (the default everywhere).
- ``bfloat16``: autocast to bfloat16. On a GPU as before; on a CPU only worth it when the
  CPU has bfloat16 instructions (``avx512_bf16`` or ``amx_bf16``), otherwise oneDNN emulates
  them and the run is slower than float32 (it still runs, with a note saying so).
- ``float16``: autocast to float16, a GPU option (a CPU runs float32 instead).
- ``int8``: dynamic quantisation of the encoder's linear layers (weights int8 per channel,
  activations quantised per call), CPU only. The decoder (reconstructions) stays float32.

torch is imported inside the functions, as everywhere in the core.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Dict, Literal, Optional, Tuple, get_args

from ..i18n import _

#: Every precision, in the order the settings dialog and the algorithms' PRECISION parameter list them
#: (plugin_services/settings_keys.py re-exports this tuple: the one list).
Precision = Literal["float32", "bfloat16", "float16", "int8"]
PRECISIONS: Tuple[Precision, ...] = get_args(Precision)
#: What a user chooses: a device kind (``cuda:<n>`` is accepted too, as text); ``auto`` takes a GPU when one works.
DeviceChoice = Literal["auto", "cpu", "cuda", "mps"]
DEVICE_CHOICES: Tuple[DeviceChoice, ...] = get_args(DeviceChoice)


@functools.lru_cache(maxsize=1)
def cpu_flags() -> Tuple[str, ...]:
    """The CPU flags of ``/proc/cpuinfo`` (empty where there is no such file).

    Returns:
        The flags of the first processor, sorted.
    """
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return tuple(sorted(line.split(":", 1)[1].split()))
    except OSError:
        pass
    return ()


def cpu_bf16_native() -> bool:
    """Whether this CPU computes bfloat16 products natively (AVX-512 BF16 or AMX).

    Asks oneDNN through torch when it can (``torch.ops.mkldnn._is_mkldnn_bf16_supported``),
    else reads the CPU flags.

    Returns:
        True when bfloat16 matrix products run in hardware.
    """
    flags = set(cpu_flags())
    if flags:
        return bool({"avx512_bf16", "amx_bf16"} & flags)
    try:
        import torch

        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (ImportError, AttributeError, RuntimeError):
        return False


def resolve_precision(precision: str, device: str) -> Tuple[str, Optional[str]]:
    """The precision a run really uses on ``device``, and a note when it differs or is slow.

    Args:
        precision: one of :data:`PRECISIONS`.
        device: ``cpu``, ``cuda[:n]`` or ``mps`` (already resolved).

    Returns:
        (precision used, note or None).

    Raises:
        ValueError: for an unknown precision.
    """
    if precision not in PRECISIONS:
        raise ValueError(_("precision must be one of {precisions}, got {precision!r}").format(
                             precisions=PRECISIONS, precision=precision))
    if device.startswith("mps") and precision != "float32":
        return "float32", f"{precision} is not offered on the Apple GPU (mps); it runs float32"
    gpu = device.startswith("cuda")
    if gpu and precision == "int8":
        return "float32", "int8 (dynamic quantisation) runs on the CPU only; the GPU runs float32"
    if not gpu and precision == "float16":
        return "float32", "float16 is a GPU option; the CPU runs float32 (choose bfloat16 or int8 on a CPU)"
    if not gpu and precision == "bfloat16" and not cpu_bf16_native():
        return precision, ("this CPU has no bfloat16 instructions (avx512_bf16 / amx_bf16): bfloat16 is "
                           "emulated and slower than float32 here")
    return precision, None


def quantize_encoder_int8(network: Any) -> Any:
    """Replace the encoder blocks' ``nn.Linear`` layers by dynamically quantised int8 ones, in place.

    Uses ``torch.ao.quantization.quantize_dynamic`` (per-channel int8 weights, activations
    quantised at run time). torch 2.13 marks ``torch.ao.quantization`` deprecated in favour of
    torchao's ``quantize_``; torchao is not one of the plugin's dependencies, so the torch.ao
    API is used and its deprecation warnings are silenced here.

    Args:
        network: a :class:`~planaura_plugin.model.network.PlanauraNetwork` on the CPU.

    Returns:
        The same network, its encoder blocks quantised.
    """
    import torch
    from torch import nn

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        blocks = network.backbone.encoder.blocks
        qblocks = quantize_dynamic(blocks, {nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
    network.backbone.encoder.blocks = qblocks
    return network


def cast_encoder_linear_bf16(network: Any) -> Any:
    """Store the encoder blocks' linear weights in bfloat16, in place.

    Under bfloat16 autocast every linear layer casts its float32 weights to bfloat16 on every
    call; cast once, the numbers are the same (autocast leaves bfloat16 weights alone) and
    the copies and half the weight memory are saved.

    Args:
        network: a :class:`~planaura_plugin.model.network.PlanauraNetwork`.

    Returns:
        The same network.
    """
    import torch

    for module in network.backbone.encoder.blocks.modules():
        if type(module) is torch.nn.Linear:
            module.to(torch.bfloat16)
    return network


def autocast_context(precision: str, device: str) -> Any:
    """The autocast context of a precision (a null context for float32 and int8).

    Args:
        precision: a resolved precision (see :func:`resolve_precision`).
        device: ``cpu`` or ``cuda[:n]``.

    Returns:
        A context manager.
    """
    import contextlib

    import torch

    if precision in ("float32", "int8"):
        return contextlib.nullcontext()
    dtype = torch.float16 if precision == "float16" else torch.bfloat16
    return torch.autocast(device_type="cuda" if device.startswith("cuda") else "cpu", dtype=dtype)


def describe_cpu() -> Dict[str, Any]:
    """What the precision choices depend on, for logs and the benchmark.

    Returns:
        A dict with torch's CPU capability, bfloat16 support and the relevant flags.
    """
    info: Dict[str, Any] = {"bf16_native": cpu_bf16_native(),
                            "flags": [f for f in cpu_flags() if f.startswith(("avx512", "amx", "avx2", "fma"))]}
    try:
        import torch

        info["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        info["quantized_engine"] = torch.backends.quantized.engine
    except (ImportError, AttributeError):
        pass
    return info
