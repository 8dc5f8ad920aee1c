"""Spectral views of a window that a 1-D network can read as a series."""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._stft import stft_magnitude
from tsclf.utils.validation import validate_series


class _SeriesToSeries(TransformerMixin, BaseEstimator):
    """Validate 3-D input and hold the window length fixed after ``fit``."""

    def fit(self, X, y=None):
        """Validate the input and remember the window length.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : transformer
        """
        self._validate_params()
        X = validate_series(self, X, reset=True, dtype=[np.float64, np.float32])
        self.n_channels_, self.length_ = X.shape[1], X.shape[2]
        return self

    def _checked(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_series(self, X, reset=False, dtype=[np.float64, np.float32])
        if X.shape[2] != self.length_:
            raise ValueError(
                f"X has windows of {X.shape[2]} samples; {type(self).__name__} was "
                f"fitted on {self.length_}."
            )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class MagnitudeSpectrum(_SeriesToSeries):
    """Each window's magnitude spectrum, as a series over frequency.

    What a vibration analyst reads, in the shape a 1-D network takes:
    ``(n_windows, n_channels, n_bins)``. Each channel is centred and
    Hann-windowed before its FFT; ``max_share`` keeps the bins up to that
    share of the Nyquist frequency. Pass it as a deep estimator's
    ``preprocessor`` to train a CNN on spectra.

    Parameters
    ----------
    max_share : float, default=1.0
        Highest frequency kept, as a share of the Nyquist frequency.
    log : bool, default=True
        Return ``log1p(magnitude)``, which tames the dynamic range.

    Attributes
    ----------
    n_features_in_ : int
    n_channels_ : int
    length_ : int
        Window length seen in ``fit``; ``transform`` requires the same.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import MagnitudeSpectrum
    >>> t = np.arange(200)
    >>> X = np.sin(2 * np.pi * 20 * t / 200)[np.newaxis, np.newaxis]
    >>> spectrum = MagnitudeSpectrum().fit_transform(X)
    >>> spectrum.shape, int(spectrum.argmax())
    ((1, 1, 101), 20)
    """

    _parameter_constraints: ClassVar[dict] = {
        "max_share": [Interval(Real, 0, 1, closed="right")],
        "log": ["boolean"],
    }

    def __init__(self, max_share: float = 1.0, log: bool = True) -> None:
        self.max_share = max_share
        self.log = log

    def transform(self, X) -> np.ndarray:
        """Return the magnitude spectrum of every channel of every window.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        spectra : ndarray of shape (n_windows, n_channels, n_bins)
        """
        X = self._checked(X)
        centred = X - X.mean(axis=-1, keepdims=True)
        magnitude = np.abs(np.fft.rfft(centred * np.hanning(X.shape[-1]), axis=-1))
        n_bins = max(1, int(np.floor(self.max_share * (magnitude.shape[-1] - 1))) + 1)
        magnitude = magnitude[..., :n_bins]
        return (np.log1p(magnitude) if self.log else magnitude).astype(X.dtype)


class SpectrogramChannels(_SeriesToSeries):
    """STFT magnitudes with the frequency bins as channels, over time frames.

    Band energies over time for a 1-D network: the output has shape
    ``(n_windows, n_channels * n_freqs, n_frames)``, channel-major (all
    frequencies of the first input channel, then the next).

    Parameters
    ----------
    nperseg : int, default=64
        Samples per segment (Hann window); ``nperseg // 2 + 1`` frequencies.
    noverlap : int, default=None
        Overlap between segments; ``nperseg // 2`` when None.
    log : bool, default=True
        Return ``log1p(magnitude)``.

    Attributes
    ----------
    n_features_in_ : int
    n_channels_ : int
    length_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import SpectrogramChannels
    >>> X = np.random.default_rng(0).normal(size=(2, 1, 1200))
    >>> SpectrogramChannels(nperseg=64).fit_transform(X).shape
    (2, 33, 36)
    """

    _parameter_constraints: ClassVar[dict] = {
        "nperseg": [Interval(Integral, 2, None, closed="left")],
        "noverlap": [Interval(Integral, 0, None, closed="left"), None],
        "log": ["boolean"],
    }

    def __init__(
        self, nperseg: int = 64, noverlap: int | None = None, log: bool = True
    ) -> None:
        self.nperseg = nperseg
        self.noverlap = noverlap
        self.log = log

    def transform(self, X) -> np.ndarray:
        """Return each window's spectrogram with frequencies as channels.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        series : ndarray of shape (n_windows, n_channels * n_freqs, n_frames)
        """
        X = self._checked(X)
        images = stft_magnitude(
            X, nperseg=self.nperseg, noverlap=self.noverlap, log=self.log
        )
        n_windows, n_channels, n_freqs, n_frames = images.shape
        return images.reshape(n_windows, n_channels * n_freqs, n_frames)
