"""Windows cut lazily from recordings stored on disk, for data larger than memory.

:func:`save_recordings` writes each recording's samples as a NumPy ``.npy``
file and their names, rates, labels and metadata as one small JSON index;
:func:`open_windows` returns the same :class:`~tsclf.datasets.Windows` as
:func:`~tsclf.datasets.make_windows`, with labels, groups, starts and
metadata in memory and ``X`` a :class:`WindowArray` that reads windows from
the files only when they are asked for. Each read maps the files it needs
(:func:`numpy.load` with ``mmap_mode="r"``), copies the windows out and
lets the mapping go, so what a process holds does not grow with the data.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tsclf.datasets._recording import Recording
from tsclf.datasets._windows import Windows, _to_samples, labelled_windows

INDEX = "recordings.json"


def _plain(value):
    """Return a label or metadata value as JSON takes it (NumPy scalars as Python)."""
    return value.item() if isinstance(value, np.generic) else value


def save_recordings(
    recordings: Sequence[Recording], folder: str | os.PathLike, *, dtype=np.float32
) -> Path:
    """Write recordings to ``folder``: one ``.npy`` file each and an index.

    Parameters
    ----------
    recordings : sequence of Recording
        Distinct names; the same sampling rate and channels (as for
        :func:`~tsclf.datasets.make_windows`).
    folder : str or path-like
        Created if missing; an index already there is replaced.
    dtype : numpy dtype, default=numpy.float32
        Floating type the samples are stored in.

    Returns
    -------
    folder : Path

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from tsclf.datasets import Recording, open_windows, save_recordings
    >>> rec = Recording("a", np.arange(10.0), 1.0, labels={"task": "x"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     windows = open_windows(save_recordings([rec], folder), length=4, step=3)
    ...     windows.X[1:]
    WindowArray(n_windows=2, n_channels=1, length=4, dtype=float32)
    """
    recordings = list(recordings)
    if not recordings:
        raise ValueError("save_recordings needs at least one recording.")
    names = [rec.name for rec in recordings]
    if len(set(names)) != len(names):
        raise ValueError("Recordings share names; each needs its own.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for number, rec in enumerate(recordings):
        file = f"recording_{number:06d}.npy"
        np.save(folder / file, np.asarray(rec.signal, dtype=dtype))
        entries.append(
            {
                "file": file,
                "name": rec.name,
                "sampling_rate": float(rec.sampling_rate),
                "channels": list(rec.channels),
                "labels": {k: _plain(v) for k, v in rec.labels.items()},
                "metadata": {k: _plain(v) for k, v in rec.metadata.items()},
            }
        )
    (folder / INDEX).write_text(json.dumps(entries, indent=1))
    return folder


class WindowArray:
    """Windows of recordings on disk, read when indexed.

    Behaves as a read-only array of shape ``(n_windows, n_channels,
    length)`` for what scikit-learn and tsclf ask of one: ``len``,
    ``shape``, ``dtype``; an integer index reads one window; a slice, a
    list or array of positions or a boolean mask gives another
    ``WindowArray`` over those windows (nothing read), so cross-validation
    and splitters keep it lazy; :meth:`read` and :meth:`chunks` read
    windows, and ``numpy.asarray`` reads them all.

    Built by :func:`open_windows`; it holds the folder and one row per
    window (its recording and first sample), and pickles as such.
    """

    def __init__(
        self,
        folder: Path,
        files: Sequence[str],
        n_channels: int,
        recording: np.ndarray,
        start: np.ndarray,
        length: int,
        dtype,
    ) -> None:
        self.folder, self.files = Path(folder), tuple(files)
        self.n_channels, self.length = int(n_channels), int(length)
        self.recording, self.start = recording, start
        self.dtype = np.dtype(dtype)

    @property
    def shape(self) -> tuple[int, int, int]:
        return (len(self.start), self.n_channels, self.length)

    ndim = 3

    def __len__(self) -> int:
        return len(self.start)

    def __repr__(self) -> str:
        return (
            f"WindowArray(n_windows={len(self)}, n_channels={self.n_channels}, "
            f"length={self.length}, dtype={self.dtype})"
        )

    def __getitem__(self, key):
        if isinstance(key, int | np.integer):
            return self.read([key])[0]
        rows = np.arange(len(self))[key]  # numpy's rules for slices and masks
        return WindowArray(
            self.folder,
            self.files,
            self.n_channels,
            self.recording[rows],
            self.start[rows],
            self.length,
            self.dtype,
        )

    def read(self, positions) -> np.ndarray:
        """Read the windows at ``positions``, in that order.

        Parameters
        ----------
        positions : array-like of int

        Returns
        -------
        windows : ndarray of shape (len(positions), n_channels, length)
        """
        positions = np.asarray(positions, dtype=np.intp).reshape(-1)
        out = np.empty((len(positions), self.n_channels, self.length), self.dtype)
        recordings = self.recording[positions]
        for number in np.unique(recordings):
            mine = np.flatnonzero(recordings == number)
            signal = np.load(self.folder / self.files[number], mmap_mode="r")
            view = sliding_window_view(signal, self.length, axis=-1)
            out[mine] = view[:, self.start[positions[mine]]].transpose(1, 0, 2)
            del view, signal  # unmapped: what was read leaves with the copy
        return out

    def chunks(self, size: int) -> Iterator[np.ndarray]:
        """Read the windows in order, ``size`` at a time."""
        for first in range(0, len(self), size):
            yield self.read(np.arange(first, min(first + size, len(self))))

    def __array__(self, dtype=None, copy=None):
        return self.read(np.arange(len(self))).astype(dtype or self.dtype, copy=False)


def open_windows(
    folder: str | os.PathLike, length: int | float, step: int | float | None = None
) -> Windows:
    """Windows of the recordings :func:`save_recordings` wrote, read lazily.

    The same cut as :func:`~tsclf.datasets.make_windows` (window ``k`` of a
    recording covers samples ``[k * step, k * step + length)``), with ``X``
    a :class:`WindowArray`: labels, groups, starts and metadata are in
    memory; samples stay on disk until a window is read.

    Parameters
    ----------
    folder : str or path-like
        A folder written by :func:`save_recordings`.
    length : int or float
        Window length in samples (int) or seconds (float).
    step : int or float, default=None
        Hop between window starts; None means ``length``.

    Returns
    -------
    windows : Windows
        With ``X`` a :class:`WindowArray`; pass ``windows.X`` to a deep
        estimator's ``fit`` and ``predict``, or to a feature transformer
        through :class:`~tsclf.compose.ChunkedTransformer`.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from tsclf.datasets import Recording, make_windows, open_windows
    >>> from tsclf.datasets import save_recordings
    >>> rec = Recording("a", np.arange(10.0), 1.0, labels={"task": "x"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     lazy = open_windows(save_recordings([rec], folder), length=4, step=3)
    ...     read = lazy.X.read([0, 2])
    >>> np.array_equal(read, make_windows([rec], length=4, step=3).X[[0, 2]])
    True
    >>> len(lazy), lazy.groups.tolist()
    (3, ['a', 'a', 'a'])
    """
    folder = Path(folder)
    entries = json.loads((folder / INDEX).read_text())
    rates = sorted({entry["sampling_rate"] for entry in entries})
    if len(rates) > 1:
        raise ValueError(f"Recordings have different sampling rates {rates}.")
    rate = rates[0]
    length = _to_samples(length, rate, "length")
    step = length if step is None else _to_samples(step, rate, "step")
    recording, start, dtypes, n_channels = [], [], set(), set()
    for number, entry in enumerate(entries):
        signal = np.load(folder / entry["file"], mmap_mode="r")
        dtypes.add(signal.dtype)
        n_channels.add(1 if signal.ndim == 1 else signal.shape[0])
        n_samples = signal.shape[-1]
        if n_samples < length:
            raise ValueError(
                f"Window length {length} is longer than recording "
                f"{entry['name']!r} ({n_samples} samples)."
            )
        n_windows = (n_samples - length) // step + 1
        recording.append(np.full(n_windows, number, dtype=np.intp))
        start.append(np.arange(n_windows, dtype=np.int64) * step)
    if len(n_channels) > 1 or len(dtypes) > 1:
        raise ValueError("Recordings differ in their channels or sample types.")
    recording, start = np.concatenate(recording), np.concatenate(start)
    X = WindowArray(
        folder,
        [entry["file"] for entry in entries],
        n_channels.pop(),
        recording,
        start,
        length,
        dtypes.pop(),
    )
    return labelled_windows(
        X,
        recording,
        [(e["name"], e["labels"], e["metadata"]) for e in entries],
        start,
        length,
        rate,
    )
