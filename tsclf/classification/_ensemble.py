"""Several fits of one classifier with different seeds, probabilities averaged."""

from __future__ import annotations

from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from tsclf.metrics import MultiTaskClassifierMixin
from tsclf.utils.constraints import HasMethods, Interval
from tsclf.utils.labels import mean_probabilities, most_probable
from tsclf.utils.routing import RoutesFitToEstimatorMixin


def _members_adapt(ensemble) -> bool:
    return hasattr(ensemble.estimator, "adapt")


class SeedEnsembleClassifier(
    RoutesFitToEstimatorMixin,
    MetaEstimatorMixin,
    MultiTaskClassifierMixin,
    BaseEstimator,
):
    """Average the per-task probabilities of one classifier fitted with several seeds.

    InceptionTime is defined as an ensemble of five networks that differ only
    in their random initialisation; this builds such an ensemble from any
    tsclf deep classifier (or any classifier with ``random_state`` and
    ``predict_proba``). Each member is a clone of ``estimator`` with its own
    ``random_state``; ``fit`` parameters such as ``groups`` reach every
    member. Several tasks are averaged task by task.

    Parameters
    ----------
    estimator : classifier
        Cloned for each member.
    n_estimators : int, default=5
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.

    Attributes
    ----------
    estimators_ : list of classifiers
    classes_ : ndarray or list of ndarray
        As the members' ``classes_``.

    Examples
    --------
    >>> from tsclf.classification import MLPClassifier, SeedEnsembleClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> ensemble = SeedEnsembleClassifier(MLPClassifier(max_epochs=2), n_estimators=3)
    >>> ensemble.set_params(random_state=0).fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    >>> len({member.random_state for member in ensemble.estimators_})
    3
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator, n_estimators: int = 5, random_state=None) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state

    def fit(self, X, y, **fit_params) -> SeedEnsembleClassifier:
        """Fit ``n_estimators`` clones, each with its own seed.

        Parameters
        ----------
        X : array-like
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        **fit_params : dict
            Passed to every member's ``fit``, e.g. ``groups``: the recording
            of each sample, for their validation split. Under metadata
            routing, what ``estimator`` requests of them.

        Returns
        -------
        self : SeedEnsembleClassifier
        """
        self._validate_params()
        fit_params = self._estimator_fit_params(fit_params)
        rng = check_random_state(self.random_state)
        seeds = rng.randint(np.iinfo(np.int32).max, size=self.n_estimators)
        self.estimators_ = [
            clone(self.estimator)
            .set_params(random_state=int(seed))
            .fit(X, y, **fit_params)
            for seed in seeds
        ]
        first = self.estimators_[0]
        self.classes_ = first.classes_
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(first, name):
                setattr(self, name, getattr(first, name))
        return self

    def predict_proba(self, X) -> np.ndarray | list[np.ndarray]:
        """Mean of the members' probabilities, per task.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or a list, one per task
        """
        check_is_fitted(self)
        return mean_probabilities([m.predict_proba(X) for m in self.estimators_])

    @available_if(_members_adapt)
    def adapt(self, X, y=None) -> SeedEnsembleClassifier:
        """Adapt every member to new-domain data (see the members' ``adapt``).

        Available when ``estimator`` has ``adapt``, as tsclf's deep
        classifiers with BatchNorm do (AdaBN).

        Parameters
        ----------
        X : array-like
            Unlabelled windows of the new domain.
        y : None
            Ignored.

        Returns
        -------
        self : SeedEnsembleClassifier
            Adapted in place; refitting undoes it.

        Examples
        --------
        >>> from tsclf.classification import CNNClassifier, SeedEnsembleClassifier
        >>> from tsclf.datasets import make_spike_anomaly
        >>> X, y = make_spike_anomaly(n_samples=60, random_state=0)
        >>> member = CNNClassifier(max_epochs=2)
        >>> ensemble = SeedEnsembleClassifier(member, n_estimators=2, random_state=0)
        >>> ensemble.fit(X, y).adapt(2.0 * X + 1.0).predict(X[:3]).shape
        (3,)
        """
        check_is_fitted(self)
        for member in self.estimators_:
            member.adapt(X)
        return self

    def predict(self, X) -> np.ndarray:
        """Predict the most probable label of each task.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_tasks)
        """
        check_is_fitted(self)
        return most_probable(self.classes_, self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.non_deterministic = inner.non_deterministic
        return tags
