"""Multi-task losses used by the deep estimators."""

from __future__ import annotations

from collections.abc import Sequence

import torch
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
