"""Permutation importance of channels or time segments of series."""

from __future__ import annotations

import itertools

import numpy as np
from sklearn.metrics import check_scoring
from sklearn.utils import Bunch, check_random_state

from tsclf.utils.validation import as_numpy_panel


def series_permutation_importance(
    estimator,
    X,
    y,
    *,
    by: str | int = "channel",
    scoring=None,
    n_repeats: int = 5,
    random_state=None,
) -> Bunch:
    """How much the score drops when a channel or a time segment is shuffled.

    :func:`sklearn.inspection.permutation_importance` shuffles one column
    of a 2-D table at a time and refuses 3-D series. This shuffles a whole
    channel (every time step of it), or one time segment of every channel,
    across the samples, ``n_repeats`` times, and records the drop of the
    score: the feature groups a series model uses. Works with any fitted
    estimator of series, deep or classical, one task or several.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like of shape (n_samples, n_channels, length) or (n_samples, length)
        Held-out series (importance on training data measures memory).
    y : array-like of shape (n_samples,) or (n_samples, n_tasks)
    by : "channel" or int, default="channel"
        Shuffle each channel, or cut the time axis into this many equal
        segments and shuffle each segment (all channels at once).
    scoring : str, callable or None, default=None
        As for scikit-learn; None uses ``estimator.score`` (the joint
        accuracy for tsclf's multi-task classifiers).
    n_repeats : int, default=5
    random_state : int, RandomState or None, default=None

    Returns
    -------
    result : Bunch
        ``importances`` of shape (n_groups, n_repeats), their mean and std
        (``importances_mean``, ``importances_std``), the ``baseline_score``
        and the ``groups``: channel numbers, or (start, stop) of each
        segment.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> from tsclf.inspection import series_permutation_importance
    >>> from tsclf.transformers import Flatten
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 2, 8))
    >>> y = (X[:, 0, :4].sum(axis=1) > 0).astype(int)  # only channel 0 matters
    >>> model = make_pipeline(Flatten(), RandomForestClassifier(random_state=0))
    >>> model = model.fit(X, y)
    >>> result = series_permutation_importance(model, X, y, random_state=0)
    >>> bool(result.importances_mean[0] > result.importances_mean[1])
    True
    >>> segments = series_permutation_importance(model, X, y, by=2, random_state=0)
    >>> segments.groups
    [(0, 4), (4, 8)]
    """
    X = np.asarray(as_numpy_panel(X))
    if X.ndim == 2:
        X = X[:, np.newaxis, :]
    if X.ndim != 3:
        raise ValueError(f"X must hold series (2-D or 3-D), got shape {X.shape}.")
    if not isinstance(n_repeats, int | np.integer) or n_repeats < 1:
        raise ValueError(f"n_repeats must be a positive integer, got {n_repeats!r}.")
    length = X.shape[2]
    if isinstance(by, str) and by == "channel":
        groups = list(range(X.shape[1]))
        slices = [(slice(None), channel, slice(None)) for channel in groups]
    elif isinstance(by, int | np.integer) and not isinstance(by, bool) and by >= 1:
        if by > length:
            raise ValueError(f"by={by} segments exceed the length {length}.")
        edges = np.linspace(0, length, int(by) + 1).round().astype(int)
        groups = [(int(a), int(b)) for a, b in itertools.pairwise(edges)]
        slices = [(slice(None), slice(None), slice(a, b)) for a, b in groups]
    else:
        raise ValueError(
            f"by must be 'channel' or a positive number of segments, got {by!r}."
        )
    scorer = check_scoring(estimator, scoring=scoring)
    rng = check_random_state(random_state)
    baseline = scorer(estimator, X, y)
    importances = np.empty((len(groups), n_repeats))
    for position, where in enumerate(slices):
        for repeat in range(n_repeats):
            shuffled = X.copy()
            order = rng.permutation(len(X))
            block = shuffled[where]
            shuffled[where] = block[order]
            importances[position, repeat] = baseline - scorer(estimator, shuffled, y)
    return Bunch(
        importances=importances,
        importances_mean=importances.mean(axis=1),
        importances_std=importances.std(axis=1),
        baseline_score=baseline,
        groups=groups,
    )
