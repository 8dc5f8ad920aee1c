"""Task and class weights of the multi-task cross-entropy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from sklearn.utils.class_weight import compute_class_weight

# scikit-learn keeps _check_sample_weight private (no public function checks
# sample weights against X); its own estimators and scorers use it.
from sklearn.utils.validation import _check_sample_weight

from tsclf.deep._losses import IGNORE_INDEX


def task_weight_list(task_weights, names: Sequence) -> list[float]:
    """Weight of each task's loss, by position or by task name.

    Parameters
    ----------
    task_weights : sequence of float, dict or None
        None weighs every task 1; a dict maps task names to weights (tasks
        left out weigh 1).
    names : sequence
        Task names (the columns of a DataFrame ``y``, else positions).

    Returns
    -------
    weights : list of float

    Examples
    --------
    >>> from tsclf.deep import task_weight_list
    >>> task_weight_list({"detection": 0.5}, ["detection", "location"])
    [0.5, 1.0]
    """
    if task_weights is None:
        return [1.0] * len(names)
    if isinstance(task_weights, dict):
        unknown = set(task_weights) - set(names)
        if unknown:
            raise ValueError(f"task_weights names unknown tasks {unknown}.")
        weights = [float(task_weights.get(name, 1.0)) for name in names]
    else:
        weights = [float(w) for w in np.ravel(task_weights)]
    if len(weights) != len(names):
        raise ValueError(
            f"task_weights has {len(weights)} entries for {len(names)} tasks."
        )
    if not all(np.isfinite(w) and w >= 0 for w in weights) or not any(weights):
        raise ValueError(
            "task_weights must be finite, non-negative and not all zero, got "
            f"{weights}."
        )
    return weights


def class_weight_tensors(
    class_weight, codes: np.ndarray, head_classes: Sequence[np.ndarray]
) -> list[torch.Tensor | None]:
    """Per-task class weights of the heads, from ``class_weight``.

    Parameters
    ----------
    class_weight : None, "balanced", dict or list of them
        One setting for every task, or a list with one per task; a dict maps
        labels to weights, as in scikit-learn's ``compute_class_weight``.
    codes : ndarray of shape (n_samples, n_tasks)
        Head codes of the training labels; ``IGNORE_INDEX`` is not counted.
    head_classes : sequence of ndarray
        Labels of each head.

    Returns
    -------
    weights : list of (Tensor or None)
        One weight per head class; a class absent from training weighs 1.
    """
    n_tasks = len(head_classes)
    settings = class_weight if isinstance(class_weight, list) else None
    if settings is None:
        settings = [class_weight] * n_tasks
    if len(settings) != n_tasks:
        raise ValueError(
            f"class_weight has {len(settings)} entries for {n_tasks} tasks."
        )
    weights: list[torch.Tensor | None] = []
    for task, setting in enumerate(settings):
        if setting is None:
            weights.append(None)
            continue
        classes = head_classes[task]
        counted = codes[codes[:, task] != IGNORE_INDEX, task]
        present = np.unique(counted)
        weight = compute_class_weight(
            setting, classes=classes[present], y=classes[counted]
        )
        if not (np.isfinite(weight).all() and (weight > 0).all()):
            raise ValueError(
                f"class_weight of task {task} must be finite and positive, got "
                f"{dict(zip(classes[present].tolist(), weight.tolist(), strict=True))}."
            )
        full = np.ones(len(classes))
        full[present] = weight
        weights.append(torch.as_tensor(full, dtype=torch.float32))
    return weights


def with_sample_weight(y: np.ndarray, sample_weight, X) -> np.ndarray | dict:
    """Attach the sample weights to the targets (none or uniform: targets alone).

    Uniform weights change nothing (each loss is a weighted mean), so they
    train exactly as no weights.

    Parameters
    ----------
    y : ndarray
        Training targets (head codes or scaled values).
    sample_weight : array-like of shape (n_samples,) or None
    X : ndarray
        The samples, for the length check.

    Returns
    -------
    y : ndarray or dict
        ``{"target": y, "sample_weight": weights}`` for non-uniform weights.
    """
    if sample_weight is None:
        return y
    weights = _check_sample_weight(
        sample_weight, X, dtype=np.float32, ensure_non_negative=True
    )
    if np.all(weights == weights[0]):
        return y
    return {"target": y, "sample_weight": weights}


def target_rows(y, positions: np.ndarray):
    """Take rows of the targets, with their weights when they carry them.

    Parameters
    ----------
    y : ndarray or dict
    positions : ndarray

    Returns
    -------
    rows : ndarray or dict
    """
    if isinstance(y, dict):
        return {key: value[positions] for key, value in y.items()}
    return y[positions]
