"""Seeding torch's global generator for one fit, and noticing fits that overlap."""

from __future__ import annotations

import itertools
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
from sklearn.utils import check_random_state

from tsclf.exceptions import ThreadedFitWarning

_lock = threading.Lock()
_ids = itertools.count()
# Fits in progress in this process: id -> whether another one overlapped it.
_active: dict[int, bool] = {}


def fit_seed(random_state) -> tuple[int, np.random.RandomState]:
    """Return the seed of a fit and the generator it was drawn from.

    The one seeding rule of the deep estimators: one integer drawn from
    ``random_state`` seeds the weights, the batch order, dropout and the
    augmentation; the validation split draws next from the same generator.
    ``partial_fit`` seeds its ``k``-th epoch onwards with ``seed + k``.
    """
    rng = check_random_state(random_state)
    return int(rng.randint(np.iinfo(np.int32).max)), rng


@contextmanager
def seeded_fit(seed: int, device: str, *, owner: str, warn: bool) -> Iterator[None]:
    """Run a fit with torch's global generator seeded, then restore it.

    The generator state before the fit is restored after it (``fork_rng``),
    so the caller's random stream does not move. If another fit runs in a
    thread of this process meanwhile, both share that generator and neither
    is reproducible: with ``warn`` (a ``random_state`` was set) a
    :class:`~tsclf.exceptions.ThreadedFitWarning` says so at the end.
    """
    with _lock:
        fit_id = next(_ids)
        if _active:
            for other in _active:
                _active[other] = True
        _active[fit_id] = bool(_active)
    devices = [torch.device(device)] if torch.device(device).type == "cuda" else []
    try:
        with torch.random.fork_rng(devices=devices, device_type="cuda"):
            torch.manual_seed(seed)
            yield
    finally:
        with _lock:
            overlapped = _active.pop(fit_id)
    if overlapped and warn:
        warnings.warn(
            f"{owner} trained while another deep fit ran in a thread of this "
            "process: both drew from torch's global random generator, so this "
            "fit is not reproducible despite random_state. Run parallel fits in "
            "processes; see tsclf.exceptions.ThreadedFitWarning.",
            ThreadedFitWarning,
            stacklevel=4,
        )
