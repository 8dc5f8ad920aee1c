"""Shared machinery of the deep estimators (skorch composed inside ``fit``)."""

from tsclf.deep._base import BaseDeepClassifier, BaseDeepEstimator, BaseDeepRegressor

__all__ = ["BaseDeepClassifier", "BaseDeepEstimator", "BaseDeepRegressor"]
