"""Windows on disk as a deep estimator reads them: a batch at a time.

A :class:`~tsclf.datasets.WindowArray` given to ``fit`` or ``predict`` is
never read whole. Its labels are checked and its shape read; the
``preprocessor`` is fitted a chunk at a time (:func:`fit_in_chunks`); and
the network gets :class:`NetworkWindows`, which reads, preprocesses and
checks the windows of each batch when the batch loader asks for them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_array, check_consistent_length

from tsclf.datasets import WindowArray
from tsclf.utils.chunks import fit_in_chunks
from tsclf.utils.validation import _check_label_columns, validate_series

#: Windows the ``preprocessor`` is fitted on at a time, from windows on disk.
PREPROCESSOR_CHUNK = 1024


def validate_windows_on_disk(estimator, X: WindowArray, y, *, reset: bool):
    """Validate windows on disk as ``validate_series`` does windows in memory.

    The first window stands for the shape (``n_features_in_`` and the
    checks against the fitted shape); ``y`` is checked whole. Returns
    ``X`` unread, and ``y`` when given.
    """
    validate_series(estimator, X.read([0]), reset=reset, dtype=np.float32)
    if y is None:
        return X
    _check_label_columns(y)
    y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
    check_consistent_length(X, y)
    return X, y


class NetworkWindows:
    """Windows on disk through the fitted preprocessor, read batch by batch.

    Indexed with positions (as the batch loader does), it reads those
    windows and returns what the network takes; :meth:`subset` gives the
    windows at some positions, unread (the training and validation sides).

    Parameters
    ----------
    windows : WindowArray
    prepare : callable
        Windows (an array) to the network's input, checked.
    item_shape : tuple of int
        The shape ``prepare`` gives one window.
    """

    def __init__(
        self,
        windows: WindowArray,
        prepare: Callable[[np.ndarray], np.ndarray],
        item_shape: tuple[int, ...],
    ) -> None:
        self.windows, self.prepare, self.item_shape = windows, prepare, item_shape

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.windows), *self.item_shape)

    def __len__(self) -> int:
        return len(self.windows)

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, tuple):  # scikit-learn's (rows, ...)
            key = key[0]
        return self.prepare(self.windows.read(np.arange(len(self))[key]))

    def subset(self, rows) -> NetworkWindows:
        """Return the windows at ``rows``, unread."""
        return NetworkWindows(self.windows[rows], self.prepare, self.item_shape)


def rows_of(X, rows):
    """Return the windows of ``X`` at ``rows``: unread when on disk."""
    return X.subset(rows) if isinstance(X, NetworkWindows) else X[rows]


def network_windows(estimator, X: WindowArray, *, fit: bool, params: dict):
    """Return windows on disk as ``estimator``'s network reads them.

    When ``fit``, a clone of the resolved ``preprocessor`` is fitted first,
    a chunk at a time, and set as ``preprocessor_``.
    """
    if fit:
        preprocessor = estimator._resolved_preprocessor()
        if preprocessor is not None and params:
            raise ValueError(
                f"The preprocessor is fitted a chunk at a time on windows on "
                f"disk and cannot take {sorted(params)}; leave the request out "
                "or fit on windows in memory."
            )
        estimator.preprocessor_ = (
            None
            if preprocessor is None
            else fit_in_chunks(clone(preprocessor), X, PREPROCESSOR_CHUNK)
        )
    prepare = _Prepare(estimator)
    return NetworkWindows(X, prepare, prepare(X.read([0])).shape[1:])


class _Prepare:
    """The estimator's fitted preprocessor and output check, as one callable."""

    def __init__(self, estimator) -> None:
        self.estimator = estimator

    def __call__(self, windows: np.ndarray) -> np.ndarray:
        preprocessor = self.estimator.preprocessor_
        if preprocessor is None:
            return np.asarray(windows, dtype=np.float32)
        return self.estimator._network_input(
            preprocessor.transform(windows), len(windows)
        )
