"""A data loader that gathers each batch with one fancy-indexing call."""

from __future__ import annotations

from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler


class BatchIndexLoader(DataLoader):
    """DataLoader whose dataset is indexed with a whole batch of positions.

    The default loader fetches samples one at a time and stacks them; for
    in-memory arrays, ``dataset[batch_indices]`` (one numpy fancy index)
    does the same work at a fraction of the Python overhead. skorch's
    :class:`skorch.dataset.Dataset` accepts such index arrays.

    Parameters
    ----------
    dataset : Dataset
        Must accept a list of positions in ``__getitem__``.
    batch_size : int, default=1
    shuffle : bool, default=False
    drop_last : bool, default=False
    generator : torch.Generator, default=None
        Random generator for shuffling.
    num_replicas : int, default=1
        The number of processes training one network together
        (:mod:`torch.distributed`'s world size). Each draws the same
        batches, from generators seeded alike, and takes its share.
    rank : int, default=0
        This process's rank: it takes the windows at positions ``rank``,
        ``rank + num_replicas``, ... of every batch.
    **kwargs
        Passed to :class:`torch.utils.data.DataLoader`.
    """

    def __init__(
        self,
        dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator=None,
        num_replicas: int = 1,
        rank: int = 0,
        **kwargs,
    ) -> None:
        sampler = (
            RandomSampler(dataset, generator=generator)
            if shuffle
            else SequentialSampler(dataset)
        )
        batches = BatchSampler(sampler, batch_size, drop_last)
        if num_replicas > 1:
            batches = _Share(batches, num_replicas, rank)
        super().__init__(
            dataset,
            sampler=batches,
            batch_size=None,
            generator=generator,
            **kwargs,
        )


class _Share:
    """One rank's share of each batch: every ``num_replicas``-th position."""

    def __init__(self, batches: BatchSampler, num_replicas: int, rank: int) -> None:
        self.batches, self.num_replicas, self.rank = batches, num_replicas, rank

    def __iter__(self):
        for batch in self.batches:
            yield batch[self.rank :: self.num_replicas]

    def __len__(self) -> int:
        return len(self.batches)
