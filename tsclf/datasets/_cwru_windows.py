"""CWRU recordings cut into labelled windows."""

from __future__ import annotations

import os

from tsclf.datasets._cwru import load_cwru
from tsclf.datasets._windows import Windows, make_windows


def load_cwru_windows(
    path: str | os.PathLike | None = None,
    *,
    length: int | float = 1200,
    step: int | float | None = None,
    resample_to: float = 12000,
    **filters,
) -> Windows:
    """Load CWRU recordings and cut them into labelled windows.

    This is the reference study's preparation: recordings resampled to
    12 kHz, cut into non-overlapping windows of 1200 samples (0.1 s, about
    three shaft revolutions), each with the three CWRU labels. The windows'
    ``groups`` are the recordings; ``metadata`` holds each recording's
    ``load_hp``, ``recording`` and the rest of its catalogue entry.

    Evaluation protocols build on this:
    :func:`tsclf.model_selection.block_lone_recordings` cuts the lone normal
    baseline into blocks and spreads them over the loads for
    leave-one-load-out.

    Parameters
    ----------
    path : path-like, default=None
        Folder of CWRU ``.mat`` files; ``None`` uses the embedded copy.
    length, step : int or float
        Window length and hop, in samples (int) or seconds (float); see
        :func:`tsclf.datasets.make_windows`.
    resample_to : float, default=12000
        Common sampling rate.
    **filters
        ``channels``, ``ids``, ``rate``, ``end``, ``load``, ``fault`` and
        ``size``, passed to :func:`load_cwru`.

    Returns
    -------
    windows : Windows

    Examples
    --------
    >>> from tsclf.datasets import load_cwru_windows
    >>> windows = load_cwru_windows()
    >>> windows
    Windows(n_windows=2780, n_channels=1, length=1200, n_groups=28, tasks=['detection', 'location', 'size'])
    >>> sorted(set(windows.groups[windows.y["detection"] == "normal"]))
    ['97']
    """  # noqa: E501
    recordings = load_cwru(path, resample_to=resample_to, **filters)
    return make_windows(recordings, length, step)
