"""Spectral views of a window that a 1-D network can read as a series."""

from __future__ import annotations

from numbers import Real
from typing import ClassVar

import numpy as np
from sklearn.utils._param_validation import Interval

from tsclf.transformers._series import SeriesTransformer
from tsclf.transformers._stft import STFTImage


class MagnitudeSpectrum(SeriesTransformer):
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


class SpectrogramChannels(STFTImage):
    """STFT magnitudes with the frequency bins as channels, over time frames.

    Band energies over time for a 1-D network: :class:`STFTImage`'s images
    reshaped to ``(n_windows, n_channels * n_freqs, n_frames)``,
    channel-major (all frequencies of the first input channel, then the
    next).

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

    def transform(self, X) -> np.ndarray:
        """Return each window's spectrogram with frequencies as channels.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        series : ndarray of shape (n_windows, n_channels * n_freqs, n_frames)
        """
        images = super().transform(X)
        n_windows, n_channels, n_freqs, n_frames = images.shape
        return images.reshape(n_windows, n_channels * n_freqs, n_frames)
