"""A classification report covering every task of multi-output labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    precision_recall_fscore_support,
)

from tsclf.metrics._scorers import _columns, joint_accuracy


@dataclass(frozen=True)
class MultiTaskReport:
    """Per-task classification metrics, per-class detail and confusion matrices.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per task: ``accuracy``, macro and weighted ``precision``,
        ``recall`` and ``f1``, and ``support``.
    per_class : dict of str to pandas.DataFrame
        For each task, precision, recall, F1 and support of each class.
    confusion_matrices : dict of str to pandas.DataFrame
        For each task, counts with true labels as rows and predicted labels
        as columns.
    joint_accuracy : float or None
        Fraction of samples with every task right; None for one task.
    """

    summary: pd.DataFrame
    per_class: dict[str, pd.DataFrame]
    confusion_matrices: dict[str, pd.DataFrame]
    joint_accuracy: float | None

    def to_text(self, digits: int = 3) -> str:
        """Render the report as plain text.

        Parameters
        ----------
        digits : int, default=3
            Decimals shown for the scores.

        Returns
        -------
        text : str
        """
        fmt = f"{{:.{digits}f}}".format
        parts = ["Summary", self.summary.to_string(float_format=fmt)]
        if self.joint_accuracy is not None:
            parts.append(
                f"\nJoint accuracy (all tasks right): {fmt(self.joint_accuracy)}"
            )
        for task, table in self.per_class.items():
            parts += [f"\n{task}", table.to_string(float_format=fmt)]
            parts += [
                f"\n{task}: confusion matrix (rows true, columns predicted)",
                self.confusion_matrices[task].to_string(),
            ]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()


def multitask_classification_report(
    y_true,
    y_pred,
    *,
    tasks: Sequence[str] | None = None,
    labels: dict[str, Sequence] | None = None,
) -> MultiTaskReport:
    """Build a classification report for every task of multi-output labels.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks) or (n_samples,)
        True and predicted labels; DataFrames work too and name the tasks.
    tasks : sequence of str, default=None
        Task names; taken from ``y_true``'s columns when it is a DataFrame,
        a named Series' name, else ``task0``, ``task1``, ...
    labels : dict of str to sequence, default=None
        Class order per task for the per-class tables and confusion
        matrices; by default the sorted union of true and predicted labels.

    Returns
    -------
    report : MultiTaskReport
        ``print(report)`` shows it as text.

    Examples
    --------
    >>> import pandas as pd
    >>> from tsclf.metrics import multitask_classification_report
    >>> y_true = pd.DataFrame(
    ...     {"detection": ["fault", "fault", "normal"], "location": ["IR", "B", "n/a"]}
    ... )
    >>> y_pred = pd.DataFrame(
    ...     {"detection": ["fault", "fault", "normal"], "location": ["IR", "IR", "n/a"]}
    ... )
    >>> report = multitask_classification_report(y_true, y_pred)
    >>> report.summary["accuracy"].round(3).to_dict()
    {'detection': 1.0, 'location': 0.667}
    >>> report.confusion_matrices["location"].loc["B"].to_dict()  # true B
    {'B': 0, 'IR': 1, 'n/a': 0}
    """
    true, pred = _columns(y_true), _columns(y_pred)
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {true.shape} "
            f"and {pred.shape}."
        )
    if tasks is None:
        if isinstance(y_true, pd.DataFrame):
            tasks = [str(column) for column in y_true.columns]
        elif isinstance(y_true, pd.Series) and y_true.name is not None:
            tasks = [str(y_true.name)]  # one task keeps its name
        else:
            tasks = [f"task{i}" for i in range(true.shape[1])]
    tasks = list(tasks)
    if len(tasks) != true.shape[1]:
        raise ValueError(f"{len(tasks)} task names for {true.shape[1]} label columns.")
    labels = labels or {}

    rows, per_class, confusion = [], {}, {}
    for column, task in enumerate(tasks):
        t, p = true[:, column], pred[:, column]
        classes = list(labels.get(task, np.unique(np.concatenate([t, p]))))
        row = {"accuracy": accuracy_score(t, p)}
        for average in ("macro", "weighted"):
            precision, recall, f1, _ = precision_recall_fscore_support(
                t, p, labels=classes, average=average, zero_division=0.0
            )
            row |= {
                f"precision_{average}": precision,
                f"recall_{average}": recall,
                f"f1_{average}": f1,
            }
        row["support"] = t.size
        rows.append(row)
        precision, recall, f1, support = precision_recall_fscore_support(
            t, p, labels=classes, zero_division=0.0
        )
        per_class[task] = pd.DataFrame(
            {"precision": precision, "recall": recall, "f1": f1, "support": support},
            index=pd.Index(classes, name="class"),
        )
        confusion[task] = pd.DataFrame(
            confusion_matrix(t, p, labels=classes),
            index=pd.Index(classes, name="true"),
            columns=pd.Index(classes, name="predicted"),
        )
    summary = pd.DataFrame(rows, index=pd.Index(tasks, name="task"))
    joint = joint_accuracy(true, pred) if len(tasks) > 1 else None
    return MultiTaskReport(summary, per_class, confusion, joint)
