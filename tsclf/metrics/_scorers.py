"""Scorers for multi-task classification, for GridSearchCV and friends."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score, f1_score, make_scorer, recall_score

# scikit-learn keeps _check_sample_weight private (no public function checks
# sample weights against X); its own estimators and scorers use it.
from sklearn.utils.validation import _check_sample_weight

_METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "accuracy": accuracy_score,
    "f1_macro": lambda y_true, y_pred: f1_score(
        y_true, y_pred, average="macro", zero_division=0.0
    ),
    "recall_macro": lambda y_true, y_pred: recall_score(
        y_true, y_pred, average="macro", zero_division=0.0
    ),
}


def _columns(y) -> np.ndarray:
    values = np.asarray(y)
    return values[:, np.newaxis] if values.ndim == 1 else values


def _checked_columns(
    y_true, y_pred, tasks: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Both label sets as 2-D arrays, after checking they describe the same tasks.

    Shapes must match; with ``tasks``, ``y_true`` must have one column per
    task and, when it names its columns (a DataFrame, or a Series' name),
    those names in that order.
    """
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        values = np.asarray(labels)
        if values.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be labels of shape (n_samples,) or (n_samples, "
                f"n_tasks), got shape {values.shape}."
            )
        if values.shape[0] == 0:
            raise ValueError(f"{name} holds no samples: there is nothing to score.")
        missing = pd.isna(_columns(values)).any(axis=0)
        if missing.any():
            raise ValueError(
                f"{name} holds missing labels (None or NaN) in task column(s) "
                f"{np.flatnonzero(missing).tolist()}; every sample needs a label "
                "per task (use a label such as 'n/a' where a task does not apply)."
            )
    true, pred = _columns(y_true), _columns(y_pred)
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true has shape {true.shape} and y_pred {pred.shape}; they must match."
        )
    if tasks is None:
        return true, pred
    tasks = list(tasks)
    names = getattr(y_true, "columns", None)
    if names is None and getattr(y_true, "name", None) is not None:
        names = [y_true.name]
    if true.shape[1] != len(tasks) or (
        names is not None and list(map(str, names)) != list(map(str, tasks))
    ):
        found = list(names) if names is not None else f"{true.shape[1]} unnamed"
        raise ValueError(
            f"This scorer was built for the tasks {tasks}, but y has the tasks "
            f"{found}. Build it with multitask_scoring(y.columns) for this y."
        )
    return true, pred


def task_score(
    y_true,
    y_pred,
    *,
    task: int | str,
    metric: str = "accuracy",
    tasks: Sequence[str] | None = None,
) -> float:
    """Score one task (column) of multi-output labels.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks) or (n_samples,)
        True and predicted labels; a DataFrame works too. Their shapes must
        match.
    task : int or str
        Column position of the task, from 0, or its name in ``tasks`` (or
        among ``y_true``'s columns).
    metric : {"accuracy", "f1_macro", "recall_macro"}, default="accuracy"
    tasks : sequence of str, default=None
        The task names ``y_true`` must have, in order (checked against a
        DataFrame's columns, else against the number of columns).

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        When the shapes differ, ``y_true`` does not hold ``tasks``, or
        ``task`` names no column.

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
    true, pred = _checked_columns(y_true, y_pred, tasks)
    if isinstance(task, str):
        names = list(tasks if tasks is not None else getattr(y_true, "columns", []))
        if task not in names:
            raise ValueError(f"task {task!r} is not among the tasks {names}.")
        task = names.index(task)
    if isinstance(task, bool) or not isinstance(task, int | np.integer):
        raise ValueError(f"task must be a column position or name, got {task!r}.")
    if not 0 <= task < true.shape[1]:
        raise ValueError(
            f"task={task} is not a column of y: it has {true.shape[1]} "
            f"(positions 0 to {true.shape[1] - 1})."
        )
    try:
        return float(_METRICS[metric](true[:, task], pred[:, task]))
    except ValueError as error:  # scikit-learn's, e.g. on continuous values
        raise ValueError(
            f"Task {task} of y_true and y_pred cannot be scored as class labels: "
            f"{error}"
        ) from error


def mean_task_score(
    y_true, y_pred, *, metric: str = "accuracy", tasks: Sequence[str] | None = None
) -> float:
    """Average :func:`task_score` over all tasks.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks)
    metric : {"accuracy", "f1_macro", "recall_macro"}, default="accuracy"
    tasks : sequence of str, default=None
        As for :func:`task_score`.

    Returns
    -------
    score : float
    """
    n_tasks = _checked_columns(y_true, y_pred, tasks)[0].shape[1]
    return float(
        np.mean(
            [
                task_score(y_true, y_pred, task=t, metric=metric, tasks=tasks)
                for t in range(n_tasks)
            ]
        )
    )


def joint_accuracy(
    y_true, y_pred, *, sample_weight=None, tasks: Sequence[str] | None = None
) -> float:
    """Share of samples with every task right (subset accuracy).

    On CWRU this is the accuracy over the ten joint classes (normal, or
    location and size of the fault). For one task it is the accuracy.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks) or (n_samples,)
    sample_weight : array-like of shape (n_samples,), default=None
    tasks : sequence of str, default=None
        As for :func:`task_score`.

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        When ``y_true`` and ``y_pred`` differ in shape, or ``y_true`` does
        not hold ``tasks``.

    Examples
    --------
    >>> from tsclf.metrics import joint_accuracy
    >>> joint_accuracy([["a", "x"], ["b", "y"]], [["a", "x"], ["b", "z"]])
    0.5
    """
    true, pred = _checked_columns(y_true, y_pred, tasks)
    if sample_weight is not None:
        try:
            sample_weight = _check_sample_weight(
                sample_weight, true, ensure_non_negative=True
            )
        except ValueError as error:
            raise ValueError(f"sample_weight: {error}") from error
        if not sample_weight.sum() > 0:
            raise ValueError("sample_weight sums to zero: no sample counts.")
    return float(np.average(np.all(true == pred, axis=1), weights=sample_weight))


def multitask_scoring(
    tasks: Sequence[str], metrics: Sequence[str] = ("accuracy",)
) -> dict[str, Callable]:
    """Build a multi-metric scoring dict for multi-output classifiers.

    Parameters
    ----------
    tasks : sequence of str
        Task names, in the column order of ``y``. Every scorer checks the
        ``y`` it is given against them: a DataFrame must have exactly these
        columns in this order, an array this many columns; anything else
        raises a ValueError rather than scoring the wrong column.
    metrics : sequence of {"accuracy", "f1_macro", "recall_macro"}, \
default=("accuracy",)
        ``"recall_macro"`` is the mean recall over classes, the figure the
        reference CWRU study reports.

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
    if isinstance(tasks, str):
        raise TypeError(
            f"tasks must be a sequence of task names, got the string {tasks!r}; "
            f"for one task pass [{tasks!r}]."
        )
    tasks = [str(task) for task in tasks]
    if not tasks or len(set(tasks)) != len(tasks):
        raise ValueError(f"tasks must be distinct names, got {tasks}.")
    scoring: dict[str, Callable] = {}
    for metric in metrics:
        if metric not in _METRICS:
            raise ValueError(
                f"metric must be one of {sorted(_METRICS)}, got {metric!r}."
            )
        for position, task in enumerate(tasks):
            scoring[f"{metric}_{task}"] = make_scorer(
                task_score, task=position, metric=metric, tasks=tasks
            )
        scoring[f"{metric}_mean"] = make_scorer(
            mean_task_score, metric=metric, tasks=tasks
        )
        if metric == "accuracy":
            scoring["accuracy_joint"] = make_scorer(joint_accuracy, tasks=tasks)
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
