"""Transformers from series to features, normalised series or images."""

from tsclf.transformers._adaptive import AdaptiveScaler
from tsclf.transformers._bands import amplitude_envelope, band_energies
from tsclf.transformers._bearings import (
    BEARINGS,
    Bearing,
    FaultFrequencyFeatures,
    bearing_frequencies,
)
from tsclf.transformers._cepstrum import (
    CepstralCoefficients,
    CepstralPrewhitening,
    cepstral_prewhitening,
    real_cepstrum,
)
from tsclf.transformers._cesium import DEFAULT_FEATURES, CesiumFeatures
from tsclf.transformers._cesium_fast import FAST_FEATURES
from tsclf.transformers._channels import ChannelScaler
from tsclf.transformers._envelope import (
    SquaredEnvelopeSpectrum,
    squared_envelope_spectrum,
)
from tsclf.transformers._flatten import Flatten
from tsclf.transformers._kurtogram import (
    KurtogramBandpass,
    kurtogram,
    spectral_kurtosis,
)
from tsclf.transformers._normalize import WindowStandardizer
from tsclf.transformers._shape import SpectralShape
from tsclf.transformers._spectral import BandEnergies, EnvelopeSpectrum
from tsclf.transformers._spectrum_series import (
    Envelope,
    MagnitudeSpectrum,
    SpectrogramChannels,
)
from tsclf.transformers._speed import estimate_shaft_speed
from tsclf.transformers._stft import STFTImage, stft_magnitude

__all__ = [
    "BEARINGS",
    "DEFAULT_FEATURES",
    "FAST_FEATURES",
    "AdaptiveScaler",
    "BandEnergies",
    "Bearing",
    "CepstralCoefficients",
    "CepstralPrewhitening",
    "CesiumFeatures",
    "ChannelScaler",
    "Envelope",
    "EnvelopeSpectrum",
    "FaultFrequencyFeatures",
    "Flatten",
    "KurtogramBandpass",
    "MagnitudeSpectrum",
    "STFTImage",
    "SpectralShape",
    "SpectrogramChannels",
    "SquaredEnvelopeSpectrum",
    "WindowStandardizer",
    "amplitude_envelope",
    "band_energies",
    "bearing_frequencies",
    "cepstral_prewhitening",
    "estimate_shaft_speed",
    "kurtogram",
    "real_cepstrum",
    "spectral_kurtosis",
    "squared_envelope_spectrum",
    "stft_magnitude",
]
