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


def most_probable(classes, proba) -> np.ndarray:
    """Return the most probable label of each sample, task by task.

    Parameters
    ----------
    classes : ndarray, or list of ndarray (one per task)
    proba : ndarray of shape (n_samples, n_classes), or list of them

    Returns
    -------
    labels : ndarray of shape (n_samples,), or (n_samples, n_tasks) for lists

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.utils.labels import most_probable
    >>> most_probable(np.array(["a", "b"]), np.array([[0.2, 0.8]])).tolist()
    ['b']
    >>> classes = [np.array(["x", "y"]), np.array([1, 2, 3])]
    >>> most_probable(classes, [np.array([[0.9, 0.1]]), np.array([[0, 0, 1.0]])])
    array([['x', '3']], dtype='<U21')
    """
    if isinstance(proba, list):
        return np.column_stack(
            [
                np.asarray(labels)[task.argmax(axis=1)]
                for labels, task in zip(classes, proba, strict=True)
            ]
        )
    return np.asarray(classes)[proba.argmax(axis=1)]


def mean_probabilities(probas: list) -> np.ndarray | list[np.ndarray]:
    """Return the mean of several classifiers' probabilities, task by task.

    Parameters
    ----------
    probas : list
        One ``predict_proba`` output per classifier, all over the same
        classes: an array of shape (n_samples, n_classes), or a list of
        them, one per task.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes), or a list, one per task

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.utils.labels import mean_probabilities
    >>> mean_probabilities([np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]])])
    array([[0.75, 0.25]])
    >>> tasks = [[np.array([[1.0, 0.0]])], [np.array([[0.0, 1.0]])]]
    >>> mean_probabilities(tasks)
    [array([[0.5, 0.5]])]
    """
    if isinstance(probas[0], list):
        return [np.mean(task, axis=0) for task in zip(*probas, strict=True)]
    return np.mean(probas, axis=0)
