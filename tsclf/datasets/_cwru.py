"""Loading the CWRU bearing recordings from ``.mat`` files or the bundle."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from tsclf.datasets._cwru_catalog import (
    NOT_APPLICABLE,
    TASKS,
    checked_cwru_ids,
    cwru_catalog,
)
from tsclf.datasets._cwru_checksums import verify_cwru_file
from tsclf.datasets._cwru_mat import read_cwru_mat
from tsclf.datasets._quantized import decode
from tsclf.datasets._recording import Recording

#: The 28 recordings shipped with tsclf: the 12 kHz drive-end faults at loads
#: 0, 1 and 2 HP and the normal baseline 97 (48 kHz, load 0).
EMBEDDED_IDS = (
    97,
    *(105, 106, 107, 118, 119, 120, 130, 131, 132),
    *(169, 170, 171, 185, 186, 187, 197, 198, 199),
    *(209, 210, 211, 222, 223, 224, 234, 235, 236),
)

BUNDLE_FILE = "cwru_de.npz"

_FILTER_VALUES = {
    "rate": (12000, 48000),
    "end": ("DE", "FE"),
    "load": (0, 1, 2, 3),
    "fault": ("Normal", "IR", "B", "OR"),
    "size": ("007", "014", "021"),
}
_FAULT_ALIASES = {"OR@6": "OR", "normal": "Normal", "N": "Normal"}


def _as_list(value: object) -> list:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _normalise_filter(name: str, value: object) -> list | None:
    if value is None:
        return None
    allowed = _FILTER_VALUES[name]
    chosen = []
    for item in _as_list(value):
        if name == "fault":
            item = _FAULT_ALIASES.get(item, item)
        elif name == "size" and isinstance(item, float):
            item = f"{round(item * 1000):03d}"
        elif name == "end" and isinstance(item, str):
            item = item.upper()
        if item not in allowed:
            raise ValueError(
                f"Unknown value {item!r} for filter `{name}`; valid values are "
                f"{', '.join(map(repr, allowed))}."
            )
        chosen.append(item)
    return chosen


def _select(
    catalog: pd.DataFrame,
    *,
    ids: Sequence[int] | None,
    rate: object,
    end: object,
    load: object,
    fault: object,
    size: object,
) -> pd.DataFrame:
    keep = np.ones(len(catalog), dtype=bool)
    is_normal = (catalog["fault"] == "Normal").to_numpy()
    # `rate`, `end` and `size` describe fault recordings; the normal baseline
    # is the only healthy reference, so they keep it and `fault` removes it.
    columns = {"rate": "rate_hz", "end": "fault_end", "size": "size"}
    for name, column in columns.items():
        chosen = _normalise_filter(name, locals()[name])
        if chosen is not None:
            keep &= catalog[column].isin(chosen).to_numpy() | is_normal
    for name, column in {"load": "load_hp", "fault": "fault"}.items():
        chosen = _normalise_filter(name, locals()[name])
        if chosen is not None:
            keep &= catalog[column].isin(chosen).to_numpy()
    if ids is not None:
        ids = checked_cwru_ids(_as_list(ids))
        keep &= catalog["cwru_id"].isin(ids).to_numpy()
    return catalog[keep]


def _index_folder(path: Path) -> dict[int, Path]:
    index: dict[int, Path] = {}
    for file in sorted(path.rglob("*.mat")):
        # ASCII digits only: str.isdigit also takes other scripts' digits.
        if not (file.stem.isascii() and file.stem.isdigit()):
            continue
        cwru_id = int(file.stem)
        if cwru_id in index:
            raise ValueError(
                f"CWRU id {cwru_id} appears twice under {path}: {index[cwru_id]} "
                f"and {file}."
            )
        index[cwru_id] = file
    return index


def _bundle_path() -> Path:
    return Path(str(resources.files("tsclf.datasets") / "data" / BUNDLE_FILE))


def _read_bundle(ids: Iterable[int]) -> dict[int, tuple[np.ndarray, float]]:
    signals = {}
    with np.load(_bundle_path()) as bundle:
        for cwru_id in ids:
            parts = {
                name: bundle[f"{cwru_id}/{name}"]
                for name in (
                    "codes",
                    "scale",
                    "ulp",
                    "exception_index",
                    "exception_value",
                )
            }
            rpm = float(bundle[f"{cwru_id}/rpm"])
            signals[cwru_id] = (decode(parts)[np.newaxis, :], rpm)
    return signals


def load_cwru(
    path: str | os.PathLike | None = None,
    *,
    channels: Sequence[str] = ("DE",),
    ids: Sequence[int] | None = None,
    rate: int | Sequence[int] | None = None,
    end: str | Sequence[str] | None = None,
    load: int | Sequence[int] | None = None,
    fault: str | Sequence[str] | None = None,
    size: str | Sequence[str] | None = None,
    resample_to: float | None = None,
    verify: bool = True,
) -> list[Recording]:
    """Load CWRU bearing recordings with their labels and metadata.

    Each recording carries three task labels: ``detection`` (``"normal"`` or
    ``"fault"``), ``location`` (``"B"``, ``"IR"`` or ``"OR"``) and ``size``
    (``"007"``, ``"014"`` or ``"021"`` thousandths of an inch). Location and
    size are ``"n/a"`` for the normal baseline.

    Parameters
    ----------
    path : path-like, default=None
        A folder of ``<id>.mat`` files, flat or nested in any way (e.g. by
        fault, rate, location and size). ``None`` loads the copy embedded in
        tsclf: the 28 recordings of :data:`EMBEDDED_IDS`, drive-end channel
        only, bit-identical to the CWRU files.
    channels : sequence of {"DE", "FE", "BA"}, default=("DE",)
        Sensor channels to read, matched by variable-name suffix.
    ids : sequence of int, default=None
        Explicit CWRU ids. Every one must be present, or a
        :class:`FileNotFoundError` names the missing file. ``None`` takes all
        catalogued files found under ``path`` that pass the filters.
    rate, end, load, fault, size : scalar or sequence, default=None
        Filters on the native sampling rate (12000, 48000), fault end
        (``"DE"``, ``"FE"``), motor load in HP (0-3), fault type
        (``"Normal"``, ``"IR"``, ``"B"``, ``"OR"``) and fault size
        (``"007"``, ``"014"``, ``"021"``). ``rate``, ``end`` and ``size``
        describe fault recordings and keep the normal baseline, the only
        healthy reference; exclude it with ``fault``.
    resample_to : float, default=None
        Resample every recording to this rate with an anti-aliasing
        polyphase filter. The normal baseline is at 48 kHz while most faults
        are at 12 kHz, so ``resample_to=12000`` puts them on one footing.
    verify : bool, default=True
        Check each file read from ``path`` against the SHA-256 that
        :func:`cwru_checksums` holds for its id (ids without one are read
        unchecked), and its drive-end sample count.

    Returns
    -------
    recordings : list of Recording
        Sorted by id. ``name`` is the id as a string; ``metadata`` holds
        ``cwru_id``, ``fault``, ``fault_end``, ``load_hp``, ``nominal_rpm``,
        ``rpm`` (as stored in the file) and ``file``.

    Raises
    ------
    FileNotFoundError
        If ``path`` or a requested file is missing, or nothing matches.
    ValueError
        On an unknown filter value or channel, a file that cannot be read, or
        (with ``verify``) a file whose content is not the catalogued one:
        the message names the file and both digests.

    See Also
    --------
    fetch_cwru : Download the files from the CWRU Bearing Data Center.
    tsclf.datasets.make_windows : Cut recordings into labelled windows.

    Examples
    --------
    >>> from tsclf.datasets import load_cwru
    >>> recordings = load_cwru(load=0, resample_to=12000)
    >>> len(recordings)
    10
    >>> recordings[0].name, recordings[0].sampling_rate, recordings[0].labels
    ('97', 12000.0, {'detection': 'normal', 'location': 'n/a', 'size': 'n/a'})
    """
    catalog = cwru_catalog()
    selected = _select(
        catalog, ids=ids, rate=rate, end=end, load=load, fault=fault, size=size
    )
    channels = tuple(channels)
    if path is None:
        if channels != ("DE",):
            raise ValueError(
                "The embedded CWRU copy holds the drive-end channel only; pass "
                "`path` to a folder of CWRU .mat files for channels "
                f"{channels!r} (see tsclf.datasets.fetch_cwru)."
            )
        missing = sorted(set(selected["cwru_id"]) - set(EMBEDDED_IDS))
        if ids is not None and missing:
            raise ValueError(
                f"CWRU ids {missing} are not in the embedded copy (ids "
                f"{list(EMBEDDED_IDS)}); download them with fetch_cwru."
            )
        selected = selected[selected["cwru_id"].isin(EMBEDDED_IDS)]
        signals = _read_bundle(selected["cwru_id"])
        sources = dict.fromkeys(selected["cwru_id"], f"tsclf:{BUNDLE_FILE}")
    else:
        folder = Path(path)
        if not folder.is_dir():
            raise FileNotFoundError(f"CWRU folder not found: {folder}")
        index = _index_folder(folder)
        if ids is not None:
            for cwru_id in selected["cwru_id"]:
                if cwru_id not in index:
                    raise FileNotFoundError(
                        f"CWRU file {cwru_id}.mat not found under {folder}."
                    )
        selected = selected[selected["cwru_id"].isin(index)]
        if verify:
            for cwru_id in selected["cwru_id"]:
                verify_cwru_file(index[cwru_id], cwru_id)
        signals = {
            cwru_id: read_cwru_mat(index[cwru_id], cwru_id, channels)
            for cwru_id in selected["cwru_id"]
        }
        sources = {cwru_id: str(index[cwru_id]) for cwru_id in selected["cwru_id"]}
    if selected.empty:
        raise FileNotFoundError(
            "No CWRU recording matches the filters"
            + ("" if path is None else f" under {path}")
            + "."
        )
    recordings = []
    for row in selected.itertuples(index=False):
        signal, rpm = signals[row.cwru_id]
        recording = Recording(
            name=str(row.cwru_id),
            signal=signal,
            sampling_rate=float(row.rate_hz),
            channels=channels,
            labels={task: getattr(row, task) for task in TASKS},
            metadata={
                "cwru_id": int(row.cwru_id),
                "fault": row.fault,
                "fault_end": row.fault_end,
                "load_hp": int(row.load_hp),
                "nominal_rpm": int(row.nominal_rpm),
                "rpm": rpm,
                "file": sources[row.cwru_id],
            },
        )
        if resample_to is not None:
            recording = recording.resample(resample_to)
        recordings.append(recording)
    return recordings


__all__ = ["EMBEDDED_IDS", "NOT_APPLICABLE", "load_cwru"]
