"""Turning multi-output labels into one label per sample."""

from __future__ import annotations

import numpy as np


def joint_labels(y) -> np.ndarray:
    """Return one string label per sample; the tasks of a 2-D ``y`` are joined.

    The joint label is what stratified splits and single-output classifiers
    see for multi-task targets: on CWRU, the ten classes of (detection,
    location, size). Tasks are joined with ``"|"``.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_tasks)

    Returns
    -------
    labels : ndarray of str, shape (n_samples,)

    Examples
    --------
    >>> from tsclf.utils.labels import joint_labels
    >>> joint_labels([["fault", "IR", "007"], ["normal", "n/a", "n/a"]]).tolist()
    ['fault|IR|007', 'normal|n/a|n/a']
    >>> joint_labels([1, 2]).tolist()
    ['1', '2']
    """
    values = np.asarray(y)
    if values.ndim == 1:
        return values.astype(str)
    if values.ndim == 2:
        return np.array(["|".join(map(str, row)) for row in values])
    raise ValueError(f"y must be 1-D or 2-D, got shape {values.shape}.")
