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
        **kwargs,
    ) -> None:
        sampler = (
            RandomSampler(dataset, generator=generator)
            if shuffle
            else SequentialSampler(dataset)
        )
        super().__init__(
            dataset,
            sampler=BatchSampler(sampler, batch_size, drop_last),
            batch_size=None,
            generator=generator,
            **kwargs,
        )
