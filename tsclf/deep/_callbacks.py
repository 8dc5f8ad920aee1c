"""The skorch callbacks the training policy is made of.

Each setting of the estimator maps to one small skorch callback:
``lr_scheduler`` to :class:`skorch.callbacks.LRScheduler`,
``early_stopping_patience`` to :class:`skorch.callbacks.EarlyStopping`
(best epoch restored), ``gradient_clip`` to
:class:`skorch.callbacks.GradientNormClipping` and ``verbose=2`` to
:class:`skorch.callbacks.ProgressBar`. All of them watch the validation
loss, or the training loss when there is no validation set.
"""

from __future__ import annotations

import functools
from typing import Any


def policy_callbacks(estimator, *, has_validation: bool) -> list[tuple[str, Any]]:
    """Named skorch callbacks for the estimator's training policy.

    Parameters
    ----------
    estimator : BaseDeepEstimator
        Read for ``lr_scheduler`` (and ``lr_scheduler__*``),
        ``early_stopping_patience``, ``gradient_clip`` and ``verbose``.
    has_validation : bool
        Whether a validation set is held out.

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
    callbacks: list[tuple[str, Any]] = []
    if estimator.lr_scheduler is not None:
        policy, settings = scheduler_policy(estimator.lr_scheduler)
        settings |= estimator._params_with_prefix("lr_scheduler__")
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
                    sink=print if estimator.verbose else _silent,
                ),
            )
        )
    if estimator.gradient_clip is not None:
        callbacks.append(
            ("gradient_clipping", GradientNormClipping(estimator.gradient_clip))
        )
    if estimator.verbose >= 2:
        callbacks.append(("progress_bar", ProgressBar()))
    return callbacks


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
