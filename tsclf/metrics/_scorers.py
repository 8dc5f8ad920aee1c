"""Scorers for multi-task classification, for GridSearchCV and friends."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score, f1_score, make_scorer

_METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "accuracy": accuracy_score,
    "f1_macro": lambda y_true, y_pred: f1_score(
        y_true, y_pred, average="macro", zero_division=0.0
    ),
}


def _columns(y) -> np.ndarray:
    values = np.asarray(y)
    return values[:, np.newaxis] if values.ndim == 1 else values


def task_score(y_true, y_pred, *, task: int, metric: str = "accuracy") -> float:
    """Score one task (column) of multi-output labels.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks) or (n_samples,)
        True and predicted labels; a DataFrame works too.
    task : int
        Column position of the task.
    metric : {"accuracy", "f1_macro"}, default="accuracy"

    Returns
    -------
    score : float

    Examples
    --------
    >>> from tsclf.metrics import task_score
    >>> y_true = [["fault", "IR"], ["normal", "n/a"], ["fault", "B"]]
    >>> y_pred = [["fault", "IR"], ["fault", "B"], ["fault", "B"]]
    >>> task_score(y_true, y_pred, task=0), task_score(y_true, y_pred, task=1)
    (0.666..., 0.666...)
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {sorted(_METRICS)}, got {metric!r}.")
    true, pred = _columns(y_true), _columns(y_pred)
    return float(_METRICS[metric](true[:, task], pred[:, task]))


def mean_task_score(y_true, y_pred, *, metric: str = "accuracy") -> float:
    """Average :func:`task_score` over all tasks.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks)
    metric : {"accuracy", "f1_macro"}, default="accuracy"

    Returns
    -------
    score : float
    """
    n_tasks = _columns(y_true).shape[1]
    return float(
        np.mean(
            [task_score(y_true, y_pred, task=t, metric=metric) for t in range(n_tasks)]
        )
    )


def joint_accuracy(y_true, y_pred, *, sample_weight=None) -> float:
    """Share of samples with every task right (subset accuracy).

    On CWRU this is the accuracy over the ten joint classes (normal, or
    location and size of the fault). For one task it is the accuracy.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks) or (n_samples,)
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        When ``y_true`` and ``y_pred`` differ in shape.

    Examples
    --------
    >>> from tsclf.metrics import joint_accuracy
    >>> joint_accuracy([["a", "x"], ["b", "y"]], [["a", "x"], ["b", "z"]])
    0.5
    """
    true, pred = _columns(y_true), _columns(y_pred)
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true has shape {true.shape} and y_pred {pred.shape}; they must match."
        )
    return float(np.average(np.all(true == pred, axis=1), weights=sample_weight))


def multitask_scoring(
    tasks: Sequence[str], metrics: Sequence[str] = ("accuracy",)
) -> dict[str, Callable]:
    """Build a multi-metric scoring dict for multi-output classifiers.

    Parameters
    ----------
    tasks : sequence of str
        Task names, in the column order of ``y``.
    metrics : sequence of {"accuracy", "f1_macro"}, default=("accuracy",)

    Returns
    -------
    scoring : dict of str to scorer
        ``"<metric>_<task>"`` for each task and metric, ``"<metric>_mean"``
        over tasks, and ``"accuracy_joint"`` (all tasks right) when accuracy
        is asked for. Pass it as ``scoring`` to ``cross_validate`` or
        ``GridSearchCV`` (with ``refit`` set to one of its keys).

    Examples
    --------
    >>> from tsclf.metrics import multitask_scoring
    >>> sorted(multitask_scoring(["detection", "size"]))
    ['accuracy_detection', 'accuracy_joint', 'accuracy_mean', 'accuracy_size']
    """
    scoring: dict[str, Callable] = {}
    for metric in metrics:
        if metric not in _METRICS:
            raise ValueError(
                f"metric must be one of {sorted(_METRICS)}, got {metric!r}."
            )
        for position, task in enumerate(tasks):
            scoring[f"{metric}_{task}"] = make_scorer(
                task_score, task=position, metric=metric
            )
        scoring[f"{metric}_mean"] = make_scorer(mean_task_score, metric=metric)
        if metric == "accuracy":
            scoring["accuracy_joint"] = make_scorer(joint_accuracy)
    return scoring


class MultiTaskClassifierMixin(ClassifierMixin):
    """scikit-learn's classifier mixin, scored by joint accuracy.

    For one task the score is the accuracy, as scikit-learn's; for several
    it is :func:`joint_accuracy`, the share of samples with every task
    right, where scikit-learn's would fail on 2-D labels.
    """

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy; for several tasks, the share of samples with all right.

        Parameters
        ----------
        X : array-like
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        return joint_accuracy(y, self.predict(X), sample_weight=sample_weight)
