"""CWRU windows ready for leakage-free cross-validation."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np

from tsclf.datasets._cwru import load_cwru
from tsclf.model_selection import block_groups
from tsclf.windows import Windows, make_windows


def load_cwru_windows(
    path: str | os.PathLike | None = None,
    *,
    length: int | float = 1200,
    step: int | float | None = None,
    resample_to: float = 12000,
    normal_blocks: int = 3,
    gap: int = 1,
    **filters,
) -> Windows:
    """Load CWRU recordings and cut them into windows for group-aware CV.

    This is the reference study's preparation: recordings resampled to
    12 kHz, cut into non-overlapping windows of 1200 samples (0.1 s, about
    three shaft revolutions). The windows' ``groups`` are the recordings,
    except that the normal baseline, the only recording of its class, is
    cut into ``normal_blocks`` contiguous blocks, each a group of its own,
    with ``gap`` window lengths left out between blocks (see
    :func:`tsclf.model_selection.block_groups`).

    ``metadata["condition"]`` is the motor load of each window, except for
    the normal blocks: block ``k`` gets the ``k``-th load present (cycling),
    so that leave-one-load-out with
    :class:`~tsclf.model_selection.LeaveOneConditionOut` has normal windows
    on both sides of every split. ``metadata["load_hp"]`` keeps the true
    load and ``metadata["recording"]`` the source recording.

    Parameters
    ----------
    path : path-like, default=None
        Folder of CWRU ``.mat`` files; ``None`` uses the embedded copy.
    length, step : int or float
        Window length and hop, in samples (int) or seconds (float); see
        :func:`tsclf.windows.make_windows`.
    resample_to : float, default=12000
        Common sampling rate.
    normal_blocks : int, default=3
        Blocks cut from each normal recording that is alone in its class;
        0 or 1 keeps normal recordings whole.
    gap : int, default=1
        Window lengths left out between blocks.
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
    Windows(n_windows=2778, n_channels=1, length=1200, n_groups=30, tasks=['detection', 'location', 'size'])
    >>> sorted(set(windows.groups[windows.y["detection"] == "normal"]))
    ['97#0', '97#1', '97#2']
    """  # noqa: E501
    recordings = load_cwru(path, resample_to=resample_to, **filters)
    windows = make_windows(recordings, length, step)
    condition = windows.metadata["load_hp"].to_numpy().copy()
    groups = windows.groups
    normal = (windows.y["detection"] == "normal").to_numpy()
    lone_normal = np.unique(groups[normal]) if normal_blocks > 1 else []
    if len(lone_normal) == 1:
        blocks = block_groups(
            groups,
            windows.starts,
            windows.length,
            recordings=list(lone_normal),
            n_blocks=normal_blocks,
            gap=gap,
        )
        loads = np.unique(condition[~normal] if (~normal).any() else condition)
        in_block = blocks.block >= 0
        condition[in_block] = loads[blocks.block[in_block] % loads.size]
        windows = replace(windows, groups=blocks.groups)
        windows.metadata["condition"] = condition
        return windows.subset(blocks.keep)
    windows.metadata["condition"] = condition
    return windows
