"""Reading one CWRU ``.mat`` file: its sensor channels and recorded speed."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.io

#: Sensor channels of a CWRU file: drive end, fan end and base accelerometers.
CWRU_CHANNELS = ("DE", "FE", "BA")


def _pick_key(keys: Sequence[str], suffix: str, cwru_id: int, file: Path) -> str:
    matches = [key for key in keys if key.endswith(suffix)]
    if len(matches) > 1:
        own = [key for key in matches if key.startswith(f"X{cwru_id:03d}")]
        matches = own if len(own) == 1 else matches
    if len(matches) != 1:
        found = "none" if not matches else ", ".join(matches)
        raise ValueError(
            f"{file}: expected exactly one variable ending in {suffix!r}, found "
            f"{found} (variables: {', '.join(keys)})."
        )
    return matches[0]


def read_cwru_mat(
    file: str | os.PathLike, cwru_id: int, channels: Sequence[str] = ("DE",)
) -> tuple[np.ndarray, float | None]:
    """Read the sensor channels and the recorded rpm from one CWRU file.

    Variables are matched by suffix (``_DE_time``, ``_FE_time``,
    ``_BA_time``, ``RPM``) because some files name them after another id:
    ``174.mat`` holds ``X173_*``.

    Parameters
    ----------
    file : path-like
        The ``.mat`` file.
    cwru_id : int
        The file's CWRU id; it breaks ties when a file holds variables of
        several ids.
    channels : sequence of {"DE", "FE", "BA"}, default=("DE",)
        Sensor channels to read, in order.

    Returns
    -------
    signal : ndarray of shape (n_channels, n_samples), dtype float64
    rpm : float or None
        The shaft speed stored in the file, if any.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file cannot be read as a MAT file, lacks a requested channel,
        or its channels differ in length.
    """
    file = Path(file)
    if not file.is_file():
        raise FileNotFoundError(f"CWRU file not found: {file}")
    unknown = [ch for ch in channels if ch not in CWRU_CHANNELS]
    if unknown or not channels:
        raise ValueError(
            f"channels must be a non-empty subset of {CWRU_CHANNELS}, got "
            f"{tuple(channels)!r}."
        )
    try:
        content = scipy.io.loadmat(file)
    except Exception as exc:  # scipy raises many types on a damaged file
        raise ValueError(f"Could not read CWRU file {file}: {exc}") from exc
    keys = [key for key in content if not key.startswith("__")]
    columns = []
    for channel in channels:
        key = _pick_key(keys, f"_{channel}_time", cwru_id, file)
        values = np.asarray(content[key])
        if values.ndim != 2 or min(values.shape) != 1:
            raise ValueError(
                f"{file}: variable {key} has shape {values.shape}; a CWRU channel "
                "is one column (or row) of samples."
            )
        if np.iscomplexobj(values) or not np.issubdtype(values.dtype, np.number):
            raise ValueError(
                f"{file}: variable {key} holds {values.dtype} values, not real numbers."
            )
        columns.append(values.astype(np.float64).ravel())
    lengths = {column.size for column in columns}
    if len(lengths) != 1:
        raise ValueError(f"{file}: channels {channels} differ in length {lengths}.")
    rpm_keys = [key for key in keys if key.endswith("RPM")]
    rpm = None
    if rpm_keys:
        key = _pick_key(keys, "RPM", cwru_id, file)
        values = np.asarray(content[key]).ravel()
        if values.size != 1 or not np.issubdtype(values.dtype, np.number):
            raise ValueError(
                f"{file}: variable {key} should hold the shaft speed as one "
                f"number, got {values.size} value(s) of type {values.dtype}."
            )
        rpm = float(values[0])
    return np.stack(columns), rpm
