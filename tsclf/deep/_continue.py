"""Training a fitted network further: the engine of ``partial_fit``."""

from __future__ import annotations

import numpy as np

from tsclf.deep._callbacks import restart_cycle
from tsclf.deep._losses import with_sample_weight
from tsclf.deep._seeding import fit_seed, seeded_fit


def continue_training(estimator, X: np.ndarray, targets, sample_weight, epochs):
    """Train ``estimator.net_`` for more epochs on ``X`` and ``targets``.

    ``X`` is validated but not preprocessed (the fitted ``preprocessor_`` is
    applied, not refitted); ``targets`` are already encoded (head codes or
    scaled values). The network, its optimizer state and its validation
    recordings carry on from the last fit; the callbacks start again
    (early stopping counts afresh, the best epoch of this run is kept).
    Each call is seeded by ``random_state`` and the number of epochs so far.

    Parameters
    ----------
    estimator : BaseDeepEstimator
        Fitted, and trainable (not loaded by :func:`tsclf.export.load_model`).
    X : ndarray of shape (n_samples, n_channels, n_timepoints)
    targets : ndarray
    sample_weight : array-like of shape (n_samples,) or None
    epochs : int or None
        None trains ``max_epochs`` more.
    """
    net = estimator.net_
    if getattr(net, "for_prediction_only", False):
        raise ValueError(
            f"This {type(estimator).__name__} was loaded by tsclf.export.load_model, "
            "which restores the network for prediction only (no optimizer "
            "state); fit it to train again."
        )
    if epochs is not None and (not isinstance(epochs, int | np.integer) or epochs < 1):
        raise ValueError(f"epochs must be a positive integer or None, got {epochs!r}.")
    X = estimator._transform_input(X)
    y = with_sample_weight(targets, sample_weight, X)
    restart_cycle(estimator, len(X), epochs or estimator.max_epochs)
    seed, _ = fit_seed(estimator.random_state)
    owner, warn = type(estimator).__name__, estimator.random_state is not None
    try:
        with seeded_fit(
            seed + len(net.history), estimator.device_, owner=owner, warn=warn
        ):
            net.partial_fit(X, y, epochs=epochs)
    finally:  # an interrupt leaves the epochs it finished in the network
        estimator.n_epochs_ = len(net.history)


def continues(estimator, groups, conditions) -> bool:
    """Whether ``fit`` continues training (``warm_start``) on a fitted estimator.

    ``groups`` and ``conditions`` are read by the first fit only: given to a
    continuing fit they raise.
    """
    if not (estimator.warm_start and hasattr(estimator, "net_")):
        return False
    if groups is not None or conditions is not None:
        raise ValueError(
            f"{type(estimator).__name__}(warm_start=True) continues training "
            "on the first fit's validation split: groups and conditions "
            "are read by the first fit only. Leave them out, or set "
            "warm_start=False to fit afresh."
        )
    return True
