"""Transformers from series to features."""

from tsclf.transformers._cesium import DEFAULT_FEATURES, CesiumFeatures

__all__ = ["DEFAULT_FEATURES", "CesiumFeatures"]
