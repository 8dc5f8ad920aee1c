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
    a task with no counted target in a batch adds nothing.
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
        target = target.reshape(target.shape[0], -1)
        total = outputs[0].new_zeros(())
        for task, (logits, weight) in enumerate(
            zip(outputs, self.task_weights, strict=True)
        ):
            labels = target[:, task]
            counted = labels != IGNORE_INDEX
            if weight == 0 or not counted.any():
                continue
            total = total + weight * F.cross_entropy(
                logits[counted],
                labels[counted],
                weight=getattr(self, f"class_weight_{task}"),
            )
        return total


class MultiOutputMSE(nn.Module):
    """Mean squared error over every target of the single regression head."""

    def forward(
        self, outputs: Sequence[torch.Tensor], target: torch.Tensor
    ) -> torch.Tensor:
        """Return the loss of a batch."""
        (prediction,) = outputs
        return F.mse_loss(prediction, target.reshape(prediction.shape))
