"""Metadata routing for meta-estimators that wrap one ``estimator``."""

from __future__ import annotations

from sklearn import get_config
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)


class RoutesFitToEstimatorMixin:
    """``fit`` hands its metadata to the wrapped ``estimator``'s ``fit``.

    As in scikit-learn's meta-estimators: without metadata routing, the
    keyword arguments of ``fit`` are passed on as they are; with it, only
    what ``estimator`` requests (tsclf's deep estimators request
    ``groups`` by default), and metadata nothing requests raises.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn import config_context
    >>> from sklearn.linear_model import LogisticRegression
    >>> from tsclf.classification import SeedEnsembleClassifier
    >>> X, y, weights = np.arange(20.0).reshape(10, 2), np.arange(10) % 2, np.ones(10)
    >>> with config_context(enable_metadata_routing=True):
    ...     member = LogisticRegression().set_fit_request(sample_weight=True)
    ...     ensemble = SeedEnsembleClassifier(member, n_estimators=2)
    ...     len(ensemble.fit(X, y, sample_weight=weights).estimators_)
    2
    >>> with config_context(enable_metadata_routing=True):
    ...     ensemble = SeedEnsembleClassifier(LogisticRegression(), n_estimators=2)
    ...     ensemble.fit(X, y, sample_weight=weights)
    Traceback (most recent call last):
    ...
    sklearn.exceptions.UnsetMetadataPassedError: [sample_weight] are passed but ...
    """

    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this estimator.

        ``fit`` routes to ``estimator.fit`` what ``estimator`` asks for.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating the routing information.
        """
        return MetadataRouter(owner=type(self).__name__).add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )

    def _estimator_fit_params(self, fit_params: dict) -> dict:
        """Return the keyword arguments of ``fit`` that go to ``estimator.fit``."""
        if not get_config()["enable_metadata_routing"]:
            return fit_params
        return process_routing(self, "fit", **fit_params)["estimator"]["fit"]
