"""Transformers from series to features, normalised series or images."""

from tsclf.transformers._cesium import DEFAULT_FEATURES, CesiumFeatures
from tsclf.transformers._normalize import WindowStandardizer, standardize_windows
from tsclf.transformers._stft import STFTImage, stft_magnitude

__all__ = [
    "DEFAULT_FEATURES",
    "CesiumFeatures",
    "STFTImage",
    "WindowStandardizer",
    "standardize_windows",
    "stft_magnitude",
]
