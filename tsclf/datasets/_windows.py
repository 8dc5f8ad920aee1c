"""Cutting recordings into fixed-length labelled windows.

Two cuts are provided:

- :func:`make_windows` turns classification recordings into windows that
  inherit their recording's labels, with the recording as group;
- :func:`make_forecasting_windows` turns one multivariate stream into
  (past ``lookback`` steps of every channel, value ``horizon`` steps ahead)
  pairs for regression.

Both use strided views (:func:`numpy.lib.stride_tricks.sliding_window_view`),
never a Python loop over windows.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from tsclf.datasets._recording import Recording


@dataclass(frozen=True, eq=False)
class Windows:
    """Windows cut from recordings, with labels, groups and offsets.

    Attributes
    ----------
    X : ndarray of shape (n_windows, n_channels, length), dtype float32
        The window samples.
    y : pandas.DataFrame of shape (n_windows, n_tasks)
        One label column per task, inherited from the recording.
    groups : ndarray of shape (n_windows,), dtype object
        Name of the recording each window comes from; pass it as ``groups``
        to cross-validation so that no recording is split.
    starts : ndarray of shape (n_windows,), dtype int64
        Offset of each window's first sample in its recording.
    length : int
        Samples per window.
    sampling_rate : float
        Sampling rate shared by all windows, in Hz.
    metadata : pandas.DataFrame of shape (n_windows, n_fields)
        The recording's metadata repeated per window, e.g. ``load_hp``.
    """

    X: np.ndarray
    y: pd.DataFrame
    groups: np.ndarray
    starts: np.ndarray
    length: int
    sampling_rate: float
    metadata: pd.DataFrame

    def __len__(self) -> int:
        return self.X.shape[0]

    def __repr__(self) -> str:
        return (
            f"Windows(n_windows={len(self)}, n_channels={self.X.shape[1]}, "
            f"length={self.length}, n_groups={len(np.unique(self.groups))}, "
            f"tasks={list(self.y.columns)})"
        )

    def subset(self, index: np.ndarray) -> Windows:
        """Return the windows at ``index`` (integer positions or a mask).

        Parameters
        ----------
        index : array-like of int or bool

        Returns
        -------
        windows : Windows
        """
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return Windows(
            X=self.X[index],
            y=self.y.iloc[index].reset_index(drop=True),
            groups=self.groups[index],
            starts=self.starts[index],
            length=self.length,
            sampling_rate=self.sampling_rate,
            metadata=self.metadata.iloc[index].reset_index(drop=True),
        )


def _to_samples(value: float, rate: float, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be an int (samples) or a float (seconds).")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    samples = value if isinstance(value, numbers.Integral) else round(value * rate)
    if samples <= 0:
        raise ValueError(
            f"{name} must be positive, got {value!r}"
            + ("" if isinstance(value, numbers.Integral) else f" ({samples} samples)")
            + "."
        )
    return int(samples)


def make_windows(
    recordings: Sequence[Recording],
    length: int | float,
    step: int | float | None = None,
    *,
    dtype: np.dtype | type = np.float32,
) -> Windows:
    """Cut recordings into fixed-length windows labelled like their recording.

    Window ``k`` of a recording covers samples ``[k * step, k * step +
    length)``; the tail shorter than a window is dropped, so a recording of
    ``n`` samples gives ``(n - length) // step + 1`` windows, and
    ``n // length`` without overlap.

    Parameters
    ----------
    recordings : sequence of Recording
        All at one sampling rate (resample them first otherwise) and with the
        same channels.
    length : int or float
        Window length: an int counts samples, a float is seconds.
    step : int or float, default=None
        Hop between window starts, in samples (int) or seconds (float).
        ``None`` means ``length``: contiguous windows without overlap, as in
        the reference study (1200 samples at 12 kHz).
    dtype : numpy dtype, default=numpy.float32
        Floating data type of ``X`` (float16, float32 or float64); a value
        out of its range raises rather than becoming infinite.

    Returns
    -------
    windows : Windows
        ``X`` of shape (n_windows, n_channels, length), labels ``y``, groups
        (recording names), ``starts`` and per-window ``metadata``.

    Raises
    ------
    ValueError
        If ``length`` or ``step`` is not positive, a window is longer than a
        recording, the recordings differ in rate, channels or label names,
        ``dtype`` is not floating, or a value does not fit in it.
    MemoryError
        If the windows do not fit in memory; the message gives the size
        asked for and what to change.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.datasets._recording import Recording
    >>> from tsclf.datasets import make_windows
    >>> rec = Recording("a", np.arange(10.0), 1.0, labels={"task": "x"})
    >>> windows = make_windows([rec], length=4, step=3)
    >>> windows.X[:, 0, :]
    array([[0., 1., 2., 3.],
           [3., 4., 5., 6.],
           [6., 7., 8., 9.]], dtype=float32)
    >>> windows.starts.tolist(), windows.groups.tolist()
    ([0, 3, 6], ['a', 'a', 'a'])
    """
    recordings = list(recordings)
    if not recordings:
        raise ValueError("make_windows needs at least one recording.")
    names = pd.Series([rec.name for rec in recordings])
    if names.duplicated().any():
        raise ValueError(
            f"Recordings share names {sorted(set(names[names.duplicated()]))}: a "
            "name is the windows' group, so recordings with one name would be "
            "split (and leak) as one recording. Give each a distinct name."
        )
    rates = sorted({rec.sampling_rate for rec in recordings})
    if len(rates) > 1:
        raise ValueError(
            f"Recordings have different sampling rates {rates}; resample them "
            "to one rate first (Recording.resample, or the loader's resampling)."
        )
    rate = rates[0]
    channel_sets = {rec.channels for rec in recordings}
    if len(channel_sets) > 1:
        raise ValueError(f"Recordings have different channels: {channel_sets}.")
    label_sets = {tuple(sorted(rec.labels)) for rec in recordings}
    if len(label_sets) > 1:
        raise ValueError(
            f"Recordings have different label names {sorted(label_sets)}; every "
            "recording needs a label for every task."
        )
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"dtype must be a floating type, got {dtype}.")
    length = _to_samples(length, rate, "length")
    step = length if step is None else _to_samples(step, rate, "step")
    for rec in recordings:
        if rec.n_samples < length:
            raise ValueError(
                f"Window length {length} is longer than recording {rec.name!r} "
                f"({rec.n_samples} samples)."
            )
    n_windows_total = sum((rec.n_samples - length) // step + 1 for rec in recordings)
    n_bytes = n_windows_total * len(recordings[0].channels) * length * dtype.itemsize
    blocks, starts, counts = [], [], []
    for rec in recordings:
        view = sliding_window_view(rec.signal, length, axis=-1)[:, ::step]
        n_windows = view.shape[1]
        try:
            block = np.ascontiguousarray(view.transpose(1, 0, 2), dtype=dtype)
        except MemoryError as error:
            raise MemoryError(
                f"make_windows needs {n_bytes / 2**30:.1f} GiB for {n_windows_total} "
                f"windows of {length} samples every {step}; use a larger step, "
                "fewer recordings or a smaller dtype."
            ) from error
        if not np.isfinite(block).all():
            raise ValueError(
                f"Recording {rec.name!r} holds values beyond the range of {dtype} "
                f"(largest magnitude {np.abs(rec.signal).max():.3g}); use a wider "
                "dtype."
            )
        blocks.append(block)
        starts.append(np.arange(n_windows, dtype=np.int64) * step)
        counts.append(n_windows)
    try:
        X = np.concatenate(blocks)
    except MemoryError as error:
        raise MemoryError(
            f"make_windows needs {n_bytes / 2**30:.1f} GiB for {n_windows_total} "
            f"windows of {length} samples every {step}; use a larger step, fewer "
            "recordings or a smaller dtype."
        ) from error
    return labelled_windows(
        X,
        np.repeat(np.arange(len(recordings)), counts),
        [(rec.name, rec.labels, rec.metadata) for rec in recordings],
        np.concatenate(starts),
        length,
        rate,
    )


def labelled_windows(
    X,
    recording: np.ndarray,
    recordings: Sequence[tuple[str, Mapping, Mapping]],
    starts: np.ndarray,
    length: int,
    sampling_rate: float,
) -> Windows:
    """Return :class:`Windows` labelled, grouped and described by their recordings.

    ``recording`` gives each window's position in ``recordings``, a
    ``(name, labels, metadata)`` triple per recording.
    """
    names, labels, metadata = zip(*recordings, strict=True)
    return Windows(
        X=X,
        y=pd.DataFrame(list(labels)).iloc[recording].reset_index(drop=True),
        groups=np.array(names, dtype=object)[recording],
        starts=starts,
        length=length,
        sampling_rate=sampling_rate,
        metadata=pd.DataFrame(
            [
                {"recording": name, **meta}
                for name, meta in zip(names, metadata, strict=True)
            ]
        )
        .iloc[recording]
        .reset_index(drop=True),
    )


def make_forecasting_windows(
    series: np.ndarray | pd.DataFrame,
    lookback: int,
    horizon: int = 1,
    *,
    target: int | str | Sequence[int | str] = 0,
    step: int = 1,
    dtype: np.dtype | type = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair the past ``lookback`` steps of a stream with a value ahead.

    Window ``k`` holds every channel over steps ``[s, s + lookback)`` with
    ``s = k * step``; its target is the ``target`` channel(s) at step
    ``s + lookback - 1 + horizon``, i.e. ``horizon`` steps after the window's
    last step.

    Parameters
    ----------
    series : ndarray of shape (n_steps, n_channels) or (n_steps,), or DataFrame
        A multivariate stream with time along the first axis, as a table of
        sensor columns would hold it.
    lookback : int
        Steps of history per window.
    horizon : int, default=1
        How many steps ahead of the window's last step the target lies.
    target : int, str or sequence of them, default=0
        Target channel position(s), or column name(s) for a DataFrame. A
        sequence gives a 2-D ``y``.
    step : int, default=1
        Hop between window starts.
    dtype : numpy dtype, default=numpy.float32
        Data type of ``X`` and ``y``.

    Returns
    -------
    X : ndarray of shape (n_windows, n_channels, lookback)
    y : ndarray of shape (n_windows,) or (n_windows, n_targets)

    Raises
    ------
    ValueError
        If a parameter is not positive, the stream is too short for one
        window and its target, or holds NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.datasets import make_forecasting_windows
    >>> stream = np.column_stack([np.arange(6.0), 10 * np.arange(6.0)])
    >>> X, y = make_forecasting_windows(stream, lookback=3, horizon=1, target=1)
    >>> X.shape, y.tolist()
    ((3, 2, 3), [30.0, 40.0, 50.0])
    >>> X[0].tolist()
    [[0.0, 1.0, 2.0], [0.0, 10.0, 20.0]]
    """
    columns = list(series.columns) if isinstance(series, pd.DataFrame) else None
    values = np.asarray(series, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, np.newaxis]
    if values.ndim != 2:
        raise ValueError(
            f"series must have shape (n_steps, n_channels), got {values.shape}."
        )
    if not np.isfinite(values).all():
        raise ValueError("series holds NaN or infinite values.")
    for name, value in (("lookback", lookback), ("horizon", horizon), ("step", step)):
        if not isinstance(value, numbers.Integral) or value <= 0:
            raise ValueError(f"{name} must be a positive int, got {value!r}.")
    single = isinstance(target, (numbers.Integral, str))
    targets = [target] if single else list(target)
    if not targets:
        raise ValueError("target names no column: give at least one.")
    positions = []
    for item in targets:
        if isinstance(item, bool) or not isinstance(item, (numbers.Integral, str)):
            raise TypeError(
                f"target must be column positions (int) or names (str), got {item!r}."
            )
        if isinstance(item, str):
            if columns is None or item not in columns:
                raise ValueError(f"Unknown target column {item!r}.")
            positions.append(columns.index(item))
        elif 0 <= item < values.shape[1]:
            positions.append(int(item))
        else:
            raise ValueError(
                f"target {item!r} out of range for {values.shape[1]} channels."
            )
    n_steps = values.shape[0]
    if n_steps < lookback + horizon:
        raise ValueError(
            f"A stream of {n_steps} steps is too short for lookback={lookback} "
            f"and horizon={horizon}."
        )
    usable = values[: n_steps - horizon]
    X = sliding_window_view(usable, lookback, axis=0)[::step]
    target_steps = np.arange(X.shape[0]) * step + lookback - 1 + horizon
    y = values[np.ix_(target_steps, positions)]
    return np.ascontiguousarray(X, dtype=dtype), (y[:, 0] if single else y).astype(
        dtype
    )
