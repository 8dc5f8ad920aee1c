"""The training policy: the skorch callbacks it is made of, and its rules.

Each setting of the estimator maps to one small skorch callback:
``lr_scheduler`` to :class:`skorch.callbacks.LRScheduler`,
``early_stopping_patience`` to :class:`skorch.callbacks.EarlyStopping`
(best epoch restored), ``gradient_clip`` to
:class:`skorch.callbacks.GradientNormClipping` and ``verbose=2`` to
:class:`skorch.callbacks.ProgressBar`. All of them watch the validation
loss, or the training loss when there is no validation set. A
:class:`DivergenceGuard` always runs first at the end of each epoch.
The epoch table (:class:`TerminalAwarePrintLog`) is the one the net
prints.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import Any

import numpy as np
import torch
from skorch.callbacks import Callback, PrintLog
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import BatchSampler

from tsclf.augmentation import AugmentBatch
from tsclf.exceptions import DivergenceError


class DivergenceGuard(Callback):
    """Stop training with a clear error the first epoch anything is non-finite.

    At the end of each epoch it checks the epoch's training and validation
    losses and every parameter of the network; the first NaN or infinity
    raises :class:`~tsclf.exceptions.DivergenceError` naming the epoch, what
    is non-finite and the estimator settings most likely at fault.

    Parameters
    ----------
    settings : str, default=""
        The estimator's settings worth suspecting, quoted in the message.
    """

    def __init__(self, settings: str = "") -> None:
        self.settings = settings

    def on_epoch_end(self, net, **kwargs) -> None:
        epoch = net.history[-1]
        for key in ("train_loss", "valid_loss"):
            value = epoch.get(key)
            if value is not None and not np.isfinite(value):
                self._fail(epoch["epoch"], f"the {key.replace('_', ' ')} is {value}")
        for name, parameter in net.module_.named_parameters():
            if not torch.isfinite(parameter).all():
                self._fail(epoch["epoch"], f"the network's weight {name} is not finite")

    def _fail(self, epoch: int, what: str) -> None:
        raise DivergenceError(
            f"Training diverged in epoch {epoch}: {what}. Likely causes: a "
            f"learning rate too high, extreme task or class weights, or inputs of "
            f"huge amplitude without a preprocessor ({self.settings}). Lower lr, "
            "keep gradient_clip, or standardise the input."
        )


#: Training policy that is a rule, not a setting (docs/engine.md lists it).
#: Training batches come in a new random order each epoch.
SHUFFLE_TRAINING_BATCHES = True
#: The augmentation draws from a generator of its own, seeded this far from
#: the fit's seed, so that the batch order is the same with or without it.
AUGMENTATION_SEED_OFFSET = 1


def drops_lone_last_batch(n_train: int, batch_size: int, n_replicas: int = 1) -> bool:
    """Whether training leaves out a last batch of one window (per process).

    BatchNorm cannot train on one sample; any other remainder is kept. In
    data-parallel training each of ``n_replicas`` processes takes its share
    of the batch, and the batch is left out when a share would hold one
    window or none.
    """
    remainder = n_train % batch_size
    return remainder > 0 and remainder // n_replicas < 2


def batches_per_epoch(n_train: int, batch_size: int, settings: dict[str, Any]) -> int:
    """Return how many training batches an epoch takes.

    ``settings`` are the fit's loader settings: ``iterator_train__drop_last``
    and, where given, ``iterator_train__batch_size``.
    """
    size = settings.get("iterator_train__batch_size", batch_size)
    drop_last = settings["iterator_train__drop_last"]
    return len(BatchSampler(range(n_train), size, drop_last))


def training_loader_policy(
    n_train: int,
    batch_size: int,
    seed: int,
    augmentation: list | None,
    *,
    n_replicas: int = 1,
    rank: int = 0,
) -> dict[str, Any]:
    """Return the training loader's settings (``iterator_train__*``) for one fit.

    With ``n_replicas`` processes training together, this one (``rank``)
    takes its share of every batch.
    """
    if n_replicas > 1 and (batch_size < n_replicas or n_train < 2 * n_replicas):
        raise ValueError(
            f"Data-parallel training over {n_replicas} processes needs a "
            f"batch_size of at least {n_replicas} and at least "
            f"{2 * n_replicas} training windows (each process takes its share "
            f"of every batch); got batch_size={batch_size} and {n_train} "
            "training windows."
        )
    settings = {
        "iterator_train__shuffle": SHUFFLE_TRAINING_BATCHES,
        "iterator_train__drop_last": drops_lone_last_batch(
            n_train, batch_size, n_replicas
        ),
        "iterator_train__generator": torch.Generator().manual_seed(seed),
    }
    if n_replicas > 1:
        settings["iterator_train__num_replicas"] = n_replicas
        settings["iterator_train__rank"] = rank
    if augmentation:
        settings["iterator_train__collate_fn"] = AugmentBatch(
            augmentation, seed + AUGMENTATION_SEED_OFFSET
        )
    return settings


def policy_callbacks(
    estimator, *, has_validation: bool, verbose: int, batches_per_epoch: int
) -> list[tuple[str, Any]]:
    """Named skorch callbacks for the estimator's training policy.

    Parameters
    ----------
    estimator : BaseDeepEstimator
        Read for ``lr_scheduler`` (and ``lr_scheduler__*``),
        ``early_stopping_patience`` and ``gradient_clip``.
    has_validation : bool
        Whether a validation set is held out.
    verbose : int
        The estimator's ``verbose``, or 0 in a process that keeps quiet
        (all but rank 0 of a data-parallel fit).
    batches_per_epoch : int
        Training batches in an epoch: a one-cycle schedule spans
        ``max_epochs`` of them.

    Returns
    -------
    callbacks : list of (name, callback)
    """
    from skorch.callbacks import (
        EarlyStopping,
        GradientNormClipping,
        LRScheduler,
        ProgressBar,
    )

    monitor = "valid_loss" if has_validation else "train_loss"
    suspects = ", ".join(
        f"{name}={getattr(estimator, name, None)!r}"
        for name in ("lr", "gradient_clip", "task_weights", "class_weight")
        if hasattr(estimator, name)
    )
    # First: nothing else should act on a diverged epoch.
    callbacks: list[tuple[str, Any]] = [("divergence_guard", DivergenceGuard(suspects))]
    if estimator.lr_scheduler is not None:
        policy, settings = scheduler_settings(
            estimator, estimator.max_epochs * batches_per_epoch
        )
        callbacks.append(
            ("lr_scheduler", LRScheduler(policy, monitor=monitor, **settings))
        )
    if estimator.early_stopping_patience is not None:
        callbacks.append(
            (
                "early_stopping",
                EarlyStopping(
                    monitor=monitor,
                    patience=estimator.early_stopping_patience,
                    load_best=True,
                    sink=print if verbose else _silent,
                ),
            )
        )
    if estimator.gradient_clip is not None:
        callbacks.append(
            ("gradient_clipping", GradientNormClipping(estimator.gradient_clip))
        )
    if verbose >= 2:
        callbacks.append(("progress_bar", ProgressBar()))
    return callbacks


def scheduler_settings(estimator, total_steps: int) -> tuple[type, dict[str, Any]]:
    """Return the estimator's scheduler class and its settings for one run.

    ``total_steps`` are the training batches the run takes: a one-cycle
    schedule spans them (:func:`one_cycle_settings`).
    """
    policy, settings = scheduler_policy(estimator.lr_scheduler)
    settings |= estimator._params_with_prefix("lr_scheduler__")
    if policy is OneCycleLR:
        settings = one_cycle_settings(settings, estimator.lr, total_steps)
    return policy, settings


def restart_cycle(estimator, n_train: int, epochs: int) -> None:
    """Give a one-cycle schedule a new cycle over a continued run's batches.

    Other schedulers carry on where the last run left them.
    """
    if estimator.lr_scheduler is None:
        return
    net = estimator.net_
    steps = epochs * batches_per_epoch(n_train, net.batch_size, net.get_params())
    policy, settings = scheduler_settings(estimator, steps)
    if policy is OneCycleLR:
        net.set_params(
            **{f"callbacks__lr_scheduler__{key}": v for key, v in settings.items()}
        )


def one_cycle_settings(
    settings: dict[str, Any], lr: float, total_steps: int
) -> dict[str, Any]:
    """Complete the settings of a :class:`~torch.optim.lr_scheduler.OneCycleLR`.

    The cycle belongs to the training run: it peaks at the estimator's
    ``lr``, spans every training batch of the run (``max_epochs`` epochs of
    a fit; a continued run, :meth:`partial_fit` or ``warm_start``, gets a
    cycle of its own), stepped after each batch. Settings given
    (``lr_scheduler__max_lr``, ``__total_steps``, ``__epochs`` with
    ``__steps_per_epoch``) are kept.

    Parameters
    ----------
    settings : dict
        The scheduler's own settings.
    lr : float
        The estimator's learning rate, the cycle's peak.
    total_steps : int
        Training batches over all epochs.

    Returns
    -------
    settings : dict

    Examples
    --------
    >>> from tsclf.deep import one_cycle_settings
    >>> settings = one_cycle_settings({"pct_start": 0.25}, 3e-3, 100)
    >>> settings["max_lr"], settings["total_steps"], settings["pct_start"]
    (0.003, 100, 0.25)
    >>> settings["step_every"], settings["last_epoch"]
    ('batch', -1)
    """
    filled: dict[str, Any] = {"max_lr": lr}
    if "total_steps" not in settings and "epochs" not in settings:
        filled["total_steps"] = total_steps
    filled["step_every"] = "batch"
    # skorch would resume a continued run's scheduler at its epoch count,
    # a position that means nothing to a cycle counted in batches.
    filled["last_epoch"] = -1
    return filled | settings


def scheduler_policy(lr_scheduler) -> tuple[type, dict[str, Any]]:
    """Split a scheduler setting into its class and its settings.

    Parameters
    ----------
    lr_scheduler : type or functools.partial of one
        E.g. ``partial(ReduceLROnPlateau, factor=0.5, patience=3)``.

    Returns
    -------
    policy : type
    settings : dict

    Examples
    --------
    >>> from functools import partial
    >>> from torch.optim.lr_scheduler import ReduceLROnPlateau
    >>> from tsclf.deep import scheduler_policy
    >>> scheduler_policy(partial(ReduceLROnPlateau, factor=0.5))
    (<class 'torch.optim.lr_scheduler.ReduceLROnPlateau'>, {'factor': 0.5})
    """
    # skorch recognises ReduceLROnPlateau by identity, so it must see the
    # class itself, not a partial of it.
    if isinstance(lr_scheduler, functools.partial):
        if lr_scheduler.args:
            raise ValueError(
                "lr_scheduler: give a partial keyword arguments only, got "
                f"{lr_scheduler!r}."
            )
        return lr_scheduler.func, dict(lr_scheduler.keywords)
    return lr_scheduler, {}


def _silent(*args: Any, **kwargs: Any) -> None:
    """Swallow early-stopping messages when not verbose."""


def checked_callbacks(callbacks: list, owner: str) -> list:
    """Return ``callbacks`` once each is a skorch callback (or a named one)."""
    for item in callbacks:
        callback = item[1] if isinstance(item, tuple) and len(item) == 2 else item
        if not (
            isinstance(callback, Callback)
            or (isinstance(callback, type) and issubclass(callback, Callback))
        ):
            raise TypeError(
                f"{owner}(callbacks=...) takes skorch callbacks (instances or "
                f"classes of skorch.callbacks.Callback) or (name, callback) "
                f"pairs, got {item!r}."
            )
    return callbacks


# ANSI "select graphic rendition" sequences: what skorch colours with.
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class TerminalAwarePrintLog(PrintLog):
    """Print the epoch table; colour the best scores only on a terminal.

    skorch's :class:`~skorch.callbacks.PrintLog` wraps the best value of
    each score in ANSI colour codes, which a terminal shows as colour and a
    log file or a notebook's captured output as escape sequences. Here the
    codes are kept only when standard output is a terminal.

    Parameters
    ----------
    **kwargs
        As for :class:`skorch.callbacks.PrintLog`.
    """

    def format_row(self, row, key, color):
        formatted = super().format_row(row, key, color)
        if isinstance(formatted, str) and not _on_a_terminal():
            return _COLOUR.sub("", formatted)
        return formatted


def _on_a_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())
