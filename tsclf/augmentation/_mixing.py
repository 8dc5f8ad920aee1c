"""Mixing samples of a batch, where multi-task labels allow it."""

from __future__ import annotations

from numbers import Real
from typing import ClassVar

import torch

from tsclf.augmentation._transforms import _PROBABILITY, BatchTransform
from tsclf.utils.constraints import Interval


def same_label_partners(y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """For each sample, the position of a random other sample with its labels.

    Samples whose label rows are equal (every task's label) form a group;
    within each group, in a random order, each sample is paired with the
    next one, the last with the first. A sample alone in its group is its
    own partner.

    Parameters
    ----------
    y : Tensor of shape (batch,) or (batch, n_tasks)
    generator : torch.Generator

    Returns
    -------
    partners : Tensor of shape (batch,), int64

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import same_label_partners
    >>> y = torch.tensor([[0, 1], [1, 1], [0, 1], [2, 0]])
    >>> same_label_partners(y, torch.Generator().manual_seed(0)).tolist()
    [2, 1, 0, 3]
    """
    n = y.shape[0]
    _, group = torch.unique(y.reshape(n, -1), dim=0, return_inverse=True)
    # Groups sorted, and shuffled within each group.
    key = group.double() + torch.rand(n, generator=generator, dtype=torch.float64)
    order = torch.argsort(key)
    sorted_group = group[order].contiguous()
    first = torch.searchsorted(sorted_group, sorted_group)
    last = torch.ones(n, dtype=torch.bool)
    last[:-1] = sorted_group[1:] != sorted_group[:-1]
    following = torch.where(last, first, torch.arange(n) + 1)
    partners = torch.empty_like(order)
    partners[order] = order[following]
    return partners


class SameLabelMix(BatchTransform):
    """Blend each sample with another training sample of the same labels.

    ``x' = (1 - w) x + w x_partner`` with ``w`` drawn in ``[0, max_weight]``
    and the partner drawn among the batch's samples whose labels agree on
    every task, so the labels stay true; the blend is a window of the same
    fault seen under a mixture of the partners' conditions (load, recording,
    phase). Mixup's soft labels do not suit tasks that gate each other (a
    normal bearing has no fault location); mixing within a joint label
    needs no change to the loss. A sample with no partner in its batch is
    left as it is.

    Parameters
    ----------
    max_weight : float, default=0.5
        Largest weight of the partner, in [0, 1].
    p : float, default=0.5
        Share of the samples blended.

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import SameLabelMix
    >>> X = torch.tensor([[[0.0, 0.0]], [[2.0, 2.0]], [[9.0, 9.0]]])
    >>> y = torch.tensor([0, 0, 1])
    >>> mixed = SameLabelMix(0.5, p=1.0)(X, torch.Generator().manual_seed(0), y)
    >>> bool(((mixed[:2] >= 0) & (mixed[:2] <= 1.0 + 1e-6)).any()), mixed[2].tolist()
    (True, [[9.0, 9.0]])
    """

    _parameter_constraints: ClassVar[dict] = {
        "p": _PROBABILITY,
        "max_weight": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, max_weight: float = 0.5, p: float = 0.5) -> None:
        self.max_weight = max_weight
        self.p = p

    def _transform(self, X, generator, y):
        if y is None:
            raise ValueError(
                "SameLabelMix blends samples that share their labels; "
                "it needs the batch's labels y."
            )
        y = torch.as_tensor(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"SameLabelMix got {y.shape[0]} labels for {X.shape[0]} samples."
            )
        partners = same_label_partners(y, generator)
        weight = self._uniform(0.0, self.max_weight, X.shape[0], generator).to(X)
        return (1 - weight[:, None, None]) * X + weight[:, None, None] * X[partners]
