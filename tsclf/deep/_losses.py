"""Multi-task losses, and the task, class and sample weights they take."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from sklearn.utils.class_weight import compute_class_weight

# scikit-learn keeps _check_sample_weight private (no public function checks
# sample weights against X); its own estimators and scorers use it.
from sklearn.utils.validation import _check_sample_weight
from torch import nn
from torch.nn import functional as F

#: Target code of a label left out of a head's loss.
IGNORE_INDEX = -100


class MultiTaskCrossEntropy(nn.Module):
    """Weighted sum over tasks of each head's cross-entropy.

    Parameters
    ----------
    task_weights : sequence of float
        Weight of each task's loss.
    class_weights : sequence of (Tensor or None), default=None
        Per-task class weights, as ``weight`` of
        :func:`torch.nn.functional.cross_entropy`.

    Notes
    -----
    Targets equal to :data:`IGNORE_INDEX` do not count in their task's loss;
    a task with no counted target in a batch adds nothing. A target given as
    ``{"target": codes, "sample_weight": weights}`` weighs each sample's
    loss; each task's loss is then the weighted mean
    ``sum(w * class_w * loss) / sum(w * class_w)``, the same normalisation
    as PyTorch's class weights.
    """

    def __init__(
        self,
        task_weights: Sequence[float],
        class_weights: Sequence[torch.Tensor | None] | None = None,
    ) -> None:
        super().__init__()
        self.task_weights = [float(w) for w in task_weights]
        weights = class_weights or [None] * len(self.task_weights)
        for task, weight in enumerate(weights):
            self.register_buffer(f"class_weight_{task}", weight)

    def forward(
        self, outputs: Sequence[torch.Tensor], target: torch.Tensor
    ) -> torch.Tensor:
        """Return the weighted loss of a batch."""
        target, sample_weight = split_sample_weight(target)
        target = target.reshape(target.shape[0], -1)
        total = outputs[0].new_zeros(())
        for task, (logits, weight) in enumerate(
            zip(outputs, self.task_weights, strict=True)
        ):
            labels = target[:, task]
            counted = labels != IGNORE_INDEX
            if weight == 0 or not counted.any():
                continue
            class_weight = getattr(self, f"class_weight_{task}")
            if sample_weight is None:
                loss = F.cross_entropy(
                    logits[counted], labels[counted], weight=class_weight
                )
            else:
                labels, per_sample = labels[counted], sample_weight[counted]
                losses = F.cross_entropy(
                    logits[counted], labels, weight=class_weight, reduction="none"
                )
                if class_weight is not None:
                    per_sample = per_sample * class_weight[labels]
                loss = (losses * sample_weight[counted]).sum() / per_sample.sum().clamp(
                    min=torch.finfo(losses.dtype).tiny
                )
            total = total + weight * loss
        return total


class MultiOutputMSE(nn.Module):
    """Mean squared error over every target of the single regression head.

    A target given as ``{"target": values, "sample_weight": weights}``
    gives the weighted mean over samples.
    """

    def forward(
        self, outputs: Sequence[torch.Tensor], target: torch.Tensor
    ) -> torch.Tensor:
        """Return the loss of a batch."""
        (prediction,) = outputs
        target, sample_weight = split_sample_weight(target)
        target = target.reshape(prediction.shape)
        if sample_weight is None:
            return F.mse_loss(prediction, target)
        errors = ((prediction - target) ** 2).reshape(len(prediction), -1).mean(dim=1)
        return (errors * sample_weight).sum() / sample_weight.sum().clamp(
            min=torch.finfo(errors.dtype).tiny
        )


def split_sample_weight(target) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Split a batch's targets from the per-sample weights it carries (or None).

    Parameters
    ----------
    target : Tensor or dict
        Targets, or ``{"target": ..., "sample_weight": ...}``.

    Returns
    -------
    target : Tensor
    sample_weight : Tensor or None
    """
    if isinstance(target, dict):
        return target["target"], target["sample_weight"]
    return target, None


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
