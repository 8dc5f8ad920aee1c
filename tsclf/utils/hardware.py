"""What the host's CPU can do, as far as training speed depends on it."""

from __future__ import annotations

import platform
from pathlib import Path

#: The CPU flags that give bfloat16 arithmetic native kernels (x86).
NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_model_and_flags(
    cpuinfo: Path = Path("/proc/cpuinfo"),
) -> tuple[str, frozenset[str] | None]:
    """Return the CPU's model name and its flags (None where unknown).

    Parameters
    ----------
    cpuinfo : Path, default=Path("/proc/cpuinfo")
        Where Linux lists the CPU; elsewhere (or unreadable) the flags are
        unknown and the model is what :func:`platform.processor` says.

    Returns
    -------
    model : str
    flags : frozenset of str or None

    Examples
    --------
    >>> from tsclf.utils.hardware import cpu_model_and_flags
    >>> model, flags = cpu_model_and_flags()
    >>> isinstance(model, str) and (flags is None or isinstance(flags, frozenset))
    True
    """
    model, flags = platform.processor() or "unknown CPU", None
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return model, None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            model = value.strip()
        elif key.strip() == "flags" and flags is None:
            flags = frozenset(value.split())
    return model, flags


def cpu_has_native_bf16() -> bool | None:
    """Return whether the CPU computes bfloat16 natively (None: unknown).

    Without AVX512-BF16 or AMX-BF16, torch emulates bfloat16 arithmetic on
    the CPU, often no faster than float32.

    Returns
    -------
    native : bool or None

    Examples
    --------
    >>> from tsclf.utils.hardware import cpu_has_native_bf16
    >>> cpu_has_native_bf16() in (True, False, None)
    True
    """
    _, flags = cpu_model_and_flags()
    if flags is None:
        return None
    return any(flag in flags for flag in NATIVE_BF16_FLAGS)
