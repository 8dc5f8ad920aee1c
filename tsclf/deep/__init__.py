"""Shared machinery of the deep estimators (skorch composed inside ``fit``)."""

from tsclf.deep._base import (
    FAST_TEST_PARAMS,
    BaseDeepClassifier,
    BaseDeepEstimator,
    BaseDeepRegressor,
)

__all__ = [
    "FAST_TEST_PARAMS",
    "BaseDeepClassifier",
    "BaseDeepEstimator",
    "BaseDeepRegressor",
]
