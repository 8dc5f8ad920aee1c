"""Data-parallel training: one network trained by several processes at once.

torch's :class:`~torch.nn.parallel.DistributedDataParallel` is the engine:
each process (a *rank*) holds the whole network and the whole training set,
trains on its share of every batch, and the gradients are averaged across
ranks during the backward pass, so every rank takes the same optimiser step
and keeps the same weights. The processes are started by ``torchrun`` (or
any launcher that sets torch's ``RANK``/``WORLD_SIZE`` environment); gloo
joins CPU processes, NCCL GPUs.

What makes the ranks agree, beyond the gradients:

- one seed and one validation split, rank 0's, sent to every rank;
- the same global batches: every rank draws the same shuffled order and
  takes every ``world_size``-th window of each batch
  (:class:`~tsclf.deep.BatchIndexLoader`'s ``num_replicas`` and ``rank``);
- the training loss recorded in the history is the mean over all ranks'
  shares of the batch, and every rank validates on the whole validation
  set, so early stopping, the scheduler and the divergence guard read the
  same numbers on every rank and stop at the same epoch;
- only rank 0 prints.
"""

from __future__ import annotations

import os

import numpy as np
import torch
import torch.distributed as dist
from skorch.dataset import get_len

from tsclf.deep._precision import PrecisionNet

_LAUNCH = (
    "Launch the script with torchrun (torchrun --nproc_per_node 2 "
    "train.py), or call torch.distributed.init_process_group first."
)


def join_process_group(device: str) -> tuple[int, int, str]:
    """Join (or find) the process group; return ``(rank, world_size, device)``.

    A group already initialised is used as it is; otherwise one is
    initialised from torchrun's environment with gloo on the CPU and NCCL
    on CUDA. ``device`` ``"cuda"`` becomes this process's own GPU
    (``cuda:LOCAL_RANK``).
    """
    cuda = device.startswith("cuda")
    if not dist.is_available():
        raise RuntimeError(
            "distributed=True needs torch.distributed, which this build of torch lacks."
        )
    if not dist.is_initialized():
        if "WORLD_SIZE" not in os.environ or "RANK" not in os.environ:
            raise RuntimeError(
                "distributed=True, but this process belongs to no process "
                f"group and its environment names none. {_LAUNCH}"
            )
        dist.init_process_group(backend="nccl" if cuda else "gloo")
    if device == "cuda":
        device = f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}"
    if cuda:
        torch.cuda.set_device(torch.device(device))
    return dist.get_rank(), dist.get_world_size(), device


def from_rank_zero(value):
    """Rank 0's ``value``, on every rank."""
    box = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def join_fit(
    device: str, seed: int, rng: np.random.RandomState, X, y, *, owner: str
) -> tuple[int, int, str, int]:
    """Join the process group for one fit; return ``(rank, world, device, seed)``.

    Every rank then holds rank 0's seed and ``rng`` state (the validation
    split draws from it), after checking that all were given the same data.
    """
    rank, world_size, device = join_process_group(device)
    check_same_training_data(X, y, owner)
    seed, rng_state = from_rank_zero((seed, rng.get_state()))
    rng.set_state(rng_state)
    return rank, world_size, device, seed


def check_same_training_data(X: np.ndarray, y: np.ndarray, owner: str) -> None:
    """Raise unless every rank was given the same training windows and targets.

    Each rank trains on its share of batches drawn from the whole training
    set, so every rank must call ``fit`` with the same data; a rank that
    loaded other windows would train silently on a mixture.
    """
    # A spread of windows stands for X (windows on disk are not read whole).
    sample = np.unique(np.linspace(0, len(X) - 1, 64).astype(int))
    summary = (
        X.shape,
        float(np.asarray(X[sample], dtype=np.float64).sum()),
        np.asarray(y).tobytes(),
    )
    summaries = [None] * dist.get_world_size()
    dist.all_gather_object(summaries, summary)
    differing = [rank for rank, other in enumerate(summaries) if other != summary]
    if differing:
        raise ValueError(
            f"{owner}(distributed=True): rank {dist.get_rank()} was given other "
            f"training data than ranks {differing}. Every process must call fit "
            "with the same X and y; each trains on its share of every batch."
        )


class DistributedNet(PrecisionNet):
    """A :class:`PrecisionNet` whose training runs on every rank at once.

    During ``fit`` the module is wrapped in
    :class:`~torch.nn.parallel.DistributedDataParallel`, which averages the
    gradients across ranks in the backward pass; the plain module is put
    back when training ends, so the fitted net pickles, predicts and
    exports as one trained alone. The loss of each training batch is
    averaged across ranks, and recorded with the whole batch's size, so the
    history is the same on every rank.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`PrecisionNet`.
    """

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        # Wrapped for the whole of training: early stopping's best weights
        # are taken from, and restored into, the wrapped module.
        from torch.nn.parallel import DistributedDataParallel

        if not self.initialized_:
            self.initialize()
        if not dist.is_initialized():
            raise RuntimeError(
                "This network was trained data-parallel (distributed=True): "
                f"training it further needs a process group too. {_LAUNCH}"
            )
        plain = self.module_
        device = torch.device(self.device)
        self.module_ = DistributedDataParallel(
            plain, device_ids=[device] if device.type == "cuda" else None
        )
        try:
            return super().partial_fit(X, y, classes, **fit_params)
        finally:
            self.module_ = plain

    def train_step(self, batch, **fit_params):
        step = super().train_step(batch, **fit_params)
        loss = step["loss"].detach().float()
        n_windows = float(get_len(batch[0]))
        both = torch.stack([loss * n_windows, loss.new_tensor(n_windows)])
        dist.all_reduce(both)  # sums: gloo has no mean
        step["loss"] = both[0] / both[1]
        self._batch_windows = int(both[1])
        return step

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        # skorch weighs each batch's loss by the windows this rank took; the
        # whole batch's count makes the epoch's mean the same on every rank
        # (shares of a batch can differ by one window).
        if training:
            self.history.record_batch("train_batch_size", self._batch_windows)
        super().on_batch_end(net, batch=batch, training=training, **kwargs)
