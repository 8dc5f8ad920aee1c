"""Applying batch transforms to each training batch, and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import torch
from torch.utils.data import default_convert

from tsclf.utils.validation import check_positive_int


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


def augmented_copies(
    X: np.ndarray,
    transforms: Sequence,
    n_copies: int,
    seed: int,
    y: np.ndarray | None = None,
    chunk_size: int = 256,
) -> Iterator[np.ndarray]:
    """Yield transformed copies of the series ``X``, a chunk at a time.

    For models trained outside a torch loop (a forest on features): the
    same batch transforms make ``n_copies`` copies of every series, in
    order, ``chunk_size`` series at a time, so that the copies never all
    sit in memory.

    Parameters
    ----------
    X : ndarray of shape (n_series, n_channels, length)
    transforms : sequence of BatchTransform
    n_copies : int
    seed : int
        Seeds the generator that draws every random choice.
    y : ndarray of shape (n_series,) or (n_series, n_tasks), default=None
        Integer labels, for transforms that read them.
    chunk_size : int, default=256

    Yields
    ------
    chunk : ndarray of shape (<= chunk_size, n_channels, length)
        The next transformed series: every series of the first copy, then
        of the second.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.augmentation import RandomScale, augmented_copies
    >>> X = np.ones((3, 1, 4), dtype=np.float32)
    >>> chunks = augmented_copies(X, [RandomScale(2.0, 2.0)], 2, seed=0, chunk_size=2)
    >>> [chunk[:, 0, 0].tolist() for chunk in chunks]
    [[2.0, 2.0], [2.0], [2.0, 2.0], [2.0]]
    """
    n_copies = check_positive_int(n_copies, "n_copies", minimum=0)
    chunk_size = check_positive_int(chunk_size, "chunk_size")
    collate = AugmentBatch(transforms, seed)
    labels = np.zeros(len(X), dtype=np.int64) if y is None else np.asarray(y)
    for _ in range(n_copies):
        for start in range(0, len(X), chunk_size):
            stop = start + chunk_size
            chunk, _ = collate((X[start:stop], labels[start:stop]))
            yield chunk.numpy()
