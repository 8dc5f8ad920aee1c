"""Adapting fitted steps to a new domain, wherever they sit in a composition.

A step adapts when it has an ``adapt`` method (an ``AdaptiveScaler``, a
``ShiftMonitor``, a deep estimator, an ``AdaptivePipeline``). One nested
in a plain :class:`~sklearn.pipeline.Pipeline` or a
:class:`~sklearn.pipeline.FeatureUnion` is reached too: a pipeline passes
the new data through its steps in order, adapting each that can before it
transforms; a union gives each branch the same data.
"""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import FeatureUnion, Pipeline

from tsclf.utils.labels import most_probable


def _steps(step) -> list:
    if isinstance(step, Pipeline):
        return [s for _, s in step.steps]
    if isinstance(step, FeatureUnion):
        return [t for _, t in step.transformer_list]
    return []


def can_adapt(step) -> bool:
    """Whether ``step``, or a step nested in it, has an ``adapt`` method.

    Parameters
    ----------
    step : estimator, None or "passthrough"

    Returns
    -------
    bool

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline, make_union
    >>> from sklearn.preprocessing import StandardScaler
    >>> from tsclf.transformers import AdaptiveScaler
    >>> can_adapt(make_pipeline(StandardScaler()))
    False
    >>> can_adapt(make_union(StandardScaler(), make_pipeline(AdaptiveScaler())))
    True
    """
    if step is None or isinstance(step, str):  # "passthrough", "drop"
        return False
    return hasattr(step, "adapt") or any(can_adapt(s) for s in _steps(step))


def adapt_fitted(step, X) -> None:
    """Adapt the fitted ``step`` and every adaptable step nested in it to ``X``.

    Parameters
    ----------
    step : fitted estimator
        Its ``adapt`` is called when it has one; otherwise a pipeline's
        steps adapt in order on ``X`` as the steps before each transform
        it (those already adapted), and a union's branches each on ``X``.
    X : array-like
        Unlabelled data of the new domain, as the step's input.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline, make_union
    >>> from tsclf.transformers import AdaptiveScaler
    >>> union = make_union(make_pipeline(AdaptiveScaler())).fit(np.eye(3))
    >>> adapt_fitted(union, np.eye(3) + 5.0)
    >>> bool(union.transformer_list[0][1][0].adapted_)
    True
    """
    if hasattr(step, "adapt"):
        step.adapt(X)
    elif isinstance(step, FeatureUnion):
        for branch in _steps(step):
            if can_adapt(branch):
                adapt_fitted(branch, X)
    elif isinstance(step, Pipeline):
        adapt_in_sequence(_steps(step), X)


def adapt_in_sequence(steps: list, X) -> None:
    """Adapt fitted pipeline ``steps`` in order.

    Each adapts on ``X`` as the steps before it transform it.

    Parameters
    ----------
    steps : list of fitted estimators, None or "passthrough"
    X : array-like
        Unlabelled data of the new domain, as the first step's input.
    """
    for position, step in enumerate(steps):
        if step is None or isinstance(step, str):
            continue
        if can_adapt(step):
            adapt_fitted(step, X)
        if any(map(can_adapt, steps[position + 1 :])):
            X = step.transform(X)


def surest_predictions(classifier, X, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the positions and labels of the ``share`` of ``X`` predicted surest.

    Self-training's first step: a window's confidence is the product over
    tasks of its largest class probability.

    Parameters
    ----------
    classifier : fitted classifier with ``predict_proba``
    X : array-like of shape (n_samples, ...)
    share : float in (0, 1]
        At least one sample is kept.

    Returns
    -------
    kept : ndarray of int
        Positions in ``X``, surest first.
    labels : ndarray
        ``classifier``'s most probable labels for them (what ``predict``
        returns, read from the probabilities already computed).
    """
    if not hasattr(classifier, "predict_proba"):
        raise ValueError(
            f"Ranking predictions by confidence needs predict_proba, which "
            f"{type(classifier).__name__} lacks."
        )
    proba = classifier.predict_proba(X)
    tasks = proba if isinstance(proba, list) else [proba]
    confidence = np.prod([p.max(axis=1) for p in tasks], axis=0)
    n_kept = max(1, round(share * len(confidence)))
    kept = np.argsort(-confidence, kind="stable")[:n_kept]
    surest = [p[kept] for p in tasks] if isinstance(proba, list) else proba[kept]
    return kept, most_probable(classifier.classes_, surest)
