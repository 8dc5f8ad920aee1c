"""Transformers from series to features, normalised series or images."""

from tsclf.transformers._adaptive import AdaptiveScaler
from tsclf.transformers._cesium import DEFAULT_FEATURES, CesiumFeatures
from tsclf.transformers._cesium_fast import FAST_FEATURES
from tsclf.transformers._channels import ChannelScaler
from tsclf.transformers._flatten import Flatten
from tsclf.transformers._normalize import WindowStandardizer
from tsclf.transformers._spectral import (
    BandEnergies,
    EnvelopeSpectrum,
    amplitude_envelope,
    band_energies,
)
from tsclf.transformers._spectrum_series import (
    Envelope,
    MagnitudeSpectrum,
    SpectrogramChannels,
)
from tsclf.transformers._stft import STFTImage, stft_magnitude

__all__ = [
    "DEFAULT_FEATURES",
    "FAST_FEATURES",
    "AdaptiveScaler",
    "BandEnergies",
    "CesiumFeatures",
    "ChannelScaler",
    "Envelope",
    "EnvelopeSpectrum",
    "Flatten",
    "MagnitudeSpectrum",
    "STFTImage",
    "SpectrogramChannels",
    "WindowStandardizer",
    "amplitude_envelope",
    "band_energies",
    "stft_magnitude",
]
