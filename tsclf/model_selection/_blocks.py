"""Cutting a lone recording into contiguous blocks that act as recordings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tsclf.utils.constraints import Interval, validate_params
from tsclf.utils.labels import joint_labels

if TYPE_CHECKING:
    from tsclf.datasets import Windows


@dataclass(frozen=True)
class BlockGroups:
    """Result of :func:`block_groups`.

    Attributes
    ----------
    groups : ndarray of shape (n_windows,), dtype object
        New group per window: ``"<recording>#<block>"`` for windows of a
        split recording, the recording name otherwise.
    keep : ndarray of shape (n_windows,), dtype bool
        False for windows that fall in a gap between blocks (or straddle a
        block boundary); drop them before cross-validation.
    block : ndarray of shape (n_windows,), dtype int64
        Block number of each window of a split recording (that of its
        first sample for a window dropped by ``keep``), -1 for recordings
        left whole.
    """

    groups: np.ndarray
    keep: np.ndarray
    block: np.ndarray

    def spread(self, values) -> np.ndarray:
        """Spread a split recording's blocks over the other windows' values.

        Block ``k`` takes the ``k``-th of the distinct values of the windows
        left whole (cycling): the conditions that
        :func:`block_lone_recordings` gives a lone recording's blocks.

        Parameters
        ----------
        values : array-like of shape (n_windows,)
            A condition per window, such as the motor load.

        Returns
        -------
        spread : ndarray of shape (n_windows,)

        Examples
        --------
        >>> import numpy as np
        >>> from tsclf.model_selection import block_groups
        >>> blocks = block_groups(
        ...     ["a"] * 6 + ["b", "c"], [0, 10, 20, 30, 40, 50, 0, 0], 10,
        ...     recordings=["a"], n_blocks=3, gap=0,
        ... )
        >>> blocks.spread([0, 0, 0, 0, 0, 0, 1, 2]).tolist()
        [1, 1, 2, 2, 1, 1, 1, 2]
        """
        values = np.asarray(values).copy()
        in_block = self.block >= 0
        others = values[~in_block] if (~in_block).any() else values
        present = np.unique(others)
        values[in_block] = present[self.block[in_block] % present.size]
        return values


def _lone_recordings(y: np.ndarray, groups: np.ndarray) -> list:
    frame = pd.DataFrame({"label": y, "group": groups})
    per_class = frame.drop_duplicates().groupby("label")["group"].unique()
    return [members[0] for members in per_class if len(members) == 1]


@validate_params(
    {
        "groups": ["array-like"],
        "starts": ["array-like"],
        "length": [Interval(Integral, 1, None, closed="left")],
        "y": ["array-like", None],
        "recordings": [list, None],
        "n_blocks": [Interval(Integral, 2, None, closed="left")],
        "gap": [Interval(Integral, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def block_groups(
    groups: np.ndarray,
    starts: np.ndarray,
    length: int,
    *,
    y: np.ndarray | None = None,
    recordings: list | None = None,
    n_blocks: int = 3,
    gap: int = 1,
) -> BlockGroups:
    """Split lone recordings into contiguous blocks that act as recordings.

    Group-aware splitters need at least two groups per class. When a class
    has a single recording (CWRU has one normal baseline), that recording is
    cut into ``n_blocks`` contiguous stretches of equal span, and each
    stretch becomes a group of its own. Between two stretches ``gap`` window
    lengths of signal are left out, so windows of different blocks never
    share a sample and are at least ``gap * length`` samples apart, whatever
    the window step. Windows that overlap a gap are dropped (``keep`` is
    False).

    Blocks of one recording are less independent than two recordings:
    they share the sensor, the mounting and the operating condition. Scores
    on such a class are therefore optimistic compared to classes with
    several recordings.

    Parameters
    ----------
    groups : array-like of shape (n_windows,)
        Recording of each window.
    starts : array-like of shape (n_windows,)
        Offset of each window's first sample in its recording.
    length : int
        Samples per window.
    y : array-like of shape (n_windows,), default=None
        Class of each window. Recordings that are the only one of their
        class are split. Ignored when ``recordings`` is given.
    recordings : list, default=None
        Recordings to split, explicitly.
    n_blocks : int, default=3
        Blocks per split recording.
    gap : int, default=1
        Window lengths of signal left out between consecutive blocks.

    Returns
    -------
    result : BlockGroups
        New ``groups``, a ``keep`` mask and the ``block`` of each window.

    Raises
    ------
    ValueError
        If neither ``y`` nor ``recordings`` is given, or a recording is too
        short for ``n_blocks`` blocks of at least one window.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import block_groups
    >>> groups = np.array(["a"] * 8 + ["b"] * 4 + ["c"] * 4)
    >>> starts = np.r_[np.arange(8), np.arange(4), np.arange(4)] * 10
    >>> y = np.array(["normal"] * 8 + ["fault"] * 8)
    >>> result = block_groups(groups, starts, length=10, y=y, n_blocks=2)
    >>> result.groups[result.keep].tolist()[:7]
    ['a#0', 'a#0', 'a#0', 'a#1', 'a#1', 'a#1', 'b']
    >>> result.keep[:8].tolist()
    [True, True, True, False, False, True, True, True]
    """
    groups = np.asarray(groups, dtype=object)
    starts = np.asarray(starts, dtype=np.int64)
    if groups.shape != starts.shape or groups.ndim != 1:
        raise ValueError(
            f"groups and starts must be 1-D and aligned, got shapes {groups.shape} "
            f"and {starts.shape}."
        )
    if recordings is None:
        if y is None:
            raise ValueError("Pass `y` to find lone recordings, or `recordings`.")
        recordings = _lone_recordings(np.asarray(y), groups)
    new_groups = groups.copy()
    keep = np.ones(groups.shape[0], dtype=bool)
    block = np.full(groups.shape[0], -1, dtype=np.int64)
    gap_samples = gap * length
    for recording in recordings:
        members = np.flatnonzero(groups == recording)
        if members.size == 0:
            raise ValueError(f"Recording {recording!r} has no windows.")
        first = starts[members].min()
        span = starts[members].max() + length - first
        block_span = (span - (n_blocks - 1) * gap_samples) / n_blocks
        if block_span < length:
            raise ValueError(
                f"Recording {recording!r} spans {span} samples: too short for "
                f"{n_blocks} blocks of at least one {length}-sample window with "
                f"gaps of {gap_samples} samples."
            )
        offset = starts[members] - first
        index = np.floor(offset / (block_span + gap_samples)).astype(np.int64)
        block_start = index * (block_span + gap_samples)
        inside = offset + length <= block_start + block_span
        keep[members] = inside
        block[members] = index
        new_groups[members] = [f"{recording}#{b}" for b in index]
    return BlockGroups(groups=new_groups, keep=keep, block=block)


def block_lone_recordings(
    windows: Windows,
    *,
    n_blocks: int = 3,
    gap: int = 1,
    condition: str | None = None,
) -> Windows:
    """Cut each recording alone in its class into blocks of its own.

    A protocol step for :class:`~tsclf.datasets.Windows`: every recording
    that is the only one of its class (by joint label; on CWRU, the normal
    baseline) is cut into ``n_blocks`` groups with :func:`block_groups`, and
    windows that fall in the gaps are dropped. Group-aware splitters then
    find that class on both sides of a split.

    With ``condition`` (a metadata column such as ``"load_hp"``),
    ``metadata["condition"]`` copies that column, except that block ``k``
    gets the ``k``-th condition of the other recordings (cycling), so that
    :class:`LeaveOneConditionOut` has the lone class on both sides of every
    split. Those blocks were recorded under one condition: a score on them
    says less about a condition never seen than a score on the others.

    Parameters
    ----------
    windows : Windows
    n_blocks : int, default=3
        Blocks per lone recording.
    gap : int, default=1
        Window lengths of signal left out between consecutive blocks.
    condition : str, default=None
        Metadata column to spread the blocks over; None sets no condition.

    Returns
    -------
    windows : Windows
        A new ``Windows``; the input is left as it was.

    Examples
    --------
    >>> from tsclf.datasets import load_cwru_windows
    >>> from tsclf.model_selection import block_lone_recordings
    >>> windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
    >>> windows
    Windows(n_windows=2778, n_channels=1, length=1200, n_groups=30, tasks=['detection', 'location', 'size'])
    >>> normal = (windows.y["detection"] == "normal").to_numpy()
    >>> sorted(set(zip(windows.groups[normal], windows.metadata["condition"][normal])))
    [('97#0', 0), ('97#1', 1), ('97#2', 2)]
    """  # noqa: E501
    blocks = block_groups(
        windows.groups,
        windows.starts,
        windows.length,
        y=joint_labels(windows.y),
        n_blocks=n_blocks,
        gap=gap,
    )
    metadata = windows.metadata.copy()
    if condition is not None:
        metadata["condition"] = blocks.spread(metadata[condition].to_numpy())
    blocked = replace(windows, groups=blocks.groups, metadata=metadata)
    return blocked.subset(blocks.keep)
