"""Checking that a train/test split does not leak between its sides."""

from __future__ import annotations

import numpy as np

from tsclf.utils.validation import check_positive_int


class LeakageError(AssertionError):
    """A group or a stretch of signal sits on both sides of a split."""


def assert_no_leakage(
    train: np.ndarray,
    test: np.ndarray,
    groups: np.ndarray,
    *,
    recordings: np.ndarray | None = None,
    starts: np.ndarray | None = None,
    length: int | None = None,
) -> None:
    """Assert that no group, and no sample range, is on both sides of a split.

    Parameters
    ----------
    train, test : array-like of int
        Window positions of each side.
    groups : array-like of shape (n_windows,)
        Group of each window (recording, or block of a recording).
    recordings : array-like of shape (n_windows,), default=None
        Source recording of each window, when ``groups`` are finer (blocks).
        Defaults to ``groups``.
    starts : array-like of shape (n_windows,), default=None
        First sample of each window in its recording. With ``length``, the
        sample ranges of train and test windows of one recording are checked
        not to overlap.
    length : int, default=None
        Samples per window.

    Raises
    ------
    LeakageError
        Naming the offending groups or recordings.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import assert_no_leakage
    >>> groups = np.array(["a", "a", "b", "b"])
    >>> assert_no_leakage([0, 1], [2, 3], groups)
    >>> assert_no_leakage([0, 2], [1, 3], groups)
    Traceback (most recent call last):
    ...
    tsclf.model_selection._leakage.LeakageError: 2 groups on both sides: ['a', 'b']
    """
    train, test = _positions(train, "train"), _positions(test, "test")
    groups = np.asarray(groups, dtype=object)
    if np.intersect1d(train, test).size:
        raise LeakageError("Some windows are in both train and test.")
    shared = sorted(set(groups[train]) & set(groups[test]), key=str)
    if shared:
        raise LeakageError(f"{len(shared)} groups on both sides: {shared[:10]}")
    if starts is None and length is None:
        return
    if starts is None or length is None:
        raise ValueError("Pass both `starts` and `length` to check sample ranges.")
    length = check_positive_int(length, "length")
    starts = _positions(starts, "starts")
    recordings = groups if recordings is None else np.asarray(recordings, dtype=object)
    overlapping = []
    for recording in set(recordings[train]) & set(recordings[test]):
        train_starts = starts[train][recordings[train] == recording]
        test_starts = np.sort(starts[test][recordings[test] == recording])
        # Two windows of equal length overlap iff their starts differ by less
        # than a length: look for a test start in (s - length, s + length).
        first = np.searchsorted(test_starts, train_starts - length, side="right")
        hit = first < test_starts.size
        hit[hit] = test_starts[first[hit]] < train_starts[hit] + length
        if hit.any():
            overlapping.append(recording)
    if overlapping:
        raise LeakageError(
            f"Train and test windows share samples of recordings "
            f"{sorted(overlapping, key=str)[:10]}."
        )


def _positions(values, name: str) -> np.ndarray:
    """``values`` as integer positions; floats and negatives are refused."""
    array = np.asarray(values)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(
            f"{name} must hold integer positions, got dtype {array.dtype} "
            "(a float index would be truncated and could hide an overlap)."
        )
    if array.size and array.min() < 0:
        raise ValueError(f"{name} holds negative positions.")
    return array.astype(np.int64)
