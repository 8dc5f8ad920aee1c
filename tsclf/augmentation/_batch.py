"""Applying batch transforms to each training batch, and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.utils.data import default_convert


class AugmentBatch:
    """A training loader's ``collate_fn`` that transforms each batch's series.

    The training loader of a deep estimator gathers a whole batch at once
    (``dataset[batch_indices]``); this turns it into tensors, as the default
    does, then applies ``transforms`` in order to the series, never to the
    labels. Validation and prediction batches go through another loader and
    are left as they are.

    Parameters
    ----------
    transforms : sequence of BatchTransform
    seed : int
        Seeds the generator that draws every random choice.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.augmentation import AugmentBatch, RandomScale
    >>> collate = AugmentBatch([RandomScale(3.0, 3.0)], seed=0)
    >>> X, y = collate((np.ones((2, 1, 4), dtype=np.float32), np.array([0, 1])))
    >>> X[:, 0, 0], y
    (tensor([3., 3.]), tensor([0, 1]))
    """

    def __init__(self, transforms: Sequence, seed: int) -> None:
        self.transforms = list(transforms)
        self.generator = torch.Generator().manual_seed(int(seed))

    def __call__(self, batch):
        X, y = default_convert(batch)
        X = torch.as_tensor(X)
        # Targets may travel with their sample weights; transforms see labels.
        labels = y["target"] if isinstance(y, dict) else y
        for transform in self.transforms:
            X = transform(X, self.generator, labels)
        return X, y
