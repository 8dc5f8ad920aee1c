"""Spectral views of a window that a 1-D network can read as a series."""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from scipy import signal

from tsclf.transformers._bands import amplitude_envelope, check_band
from tsclf.transformers._series import SeriesTransformer
from tsclf.transformers._stft import STFTImage
from tsclf.utils.constraints import Interval
from tsclf.utils.validation import SAMPLING_RATE


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


class Envelope(SeriesTransformer):
    """Each window's amplitude envelope, as a series a 1-D network can read.

    The envelope ``|hilbert(x)|`` (after an optional band-pass around a
    structural resonance) carries a bearing defect's impacts at the fault's
    characteristic rate, whatever the size of the defect or the carrier the
    sensor picks up: the series behind :class:`EnvelopeSpectrum`'s
    features. Its content lies well below the sampling rate, so
    ``decimation`` keeps every ``q``-th sample after an anti-alias
    low-pass (``scipy.signal.decimate``, FIR, zero phase), which makes the
    network's input ``q`` times shorter. Pass it, followed by
    :class:`WindowStandardizer`, as a deep estimator's ``preprocessor``.

    Parameters
    ----------
    sampling_rate : float, default=1.0
        Samples per second; used by ``band``.
    band : tuple of float, default=None
        ``(low, high)`` pass band in Hz applied before demodulation (4th
        order Butterworth, zero phase); None demodulates the raw signal.
    decimation : int, default=1
        Keep every ``decimation``-th sample of the envelope; 1 keeps all.

    Attributes
    ----------
    n_features_in_ : int
    n_channels_ : int
    length_ : int
        Window length seen in ``fit``; ``transform`` requires the same.

    See Also
    --------
    EnvelopeSpectrum : Band energies of the envelope's spectrum.

    Examples
    --------
    A 3 kHz carrier hit 100 times a second: the envelope, at a quarter of
    the rate, rises and falls 10 times in a 0.1 s window.

    >>> import numpy as np
    >>> from tsclf.transformers import Envelope
    >>> t = np.arange(1200) / 12000.0
    >>> impacts = 1 + np.cos(2 * np.pi * 100 * t)
    >>> X = (impacts * np.sin(2 * np.pi * 3000 * t))[np.newaxis, np.newaxis]
    >>> envelope = Envelope(sampling_rate=12000.0, decimation=4).fit_transform(X)
    >>> envelope.shape
    (1, 1, 300)
    >>> spectrum = np.abs(np.fft.rfft(envelope[0, 0] - envelope[0, 0].mean()))
    >>> int(spectrum.argmax())  # cycles per window
    10
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_rate": SAMPLING_RATE,
        "band": ["array-like", None],
        "decimation": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        sampling_rate: float = 1.0,
        band: tuple[float, float] | None = None,
        decimation: int = 1,
    ) -> None:
        self.sampling_rate = sampling_rate
        self.band = band
        self.decimation = decimation

    def fit(self, X, y=None):
        """Validate the input and the settings; remember the window length.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : transformer
        """
        super().fit(X, y)
        if self.band is not None:
            check_band(self.band, self.sampling_rate)
        if self.decimation > 1 and self.length_ < 2 * self.decimation:
            raise ValueError(
                f"decimation={self.decimation} needs windows of at least "
                f"{2 * self.decimation} samples, got {self.length_}."
            )
        return self

    def transform(self, X) -> np.ndarray:
        """Return the (decimated) amplitude envelope of every channel.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        envelopes : ndarray of shape (n_windows, n_channels, ceil(length / decimation))
        """
        X = self._checked(X)
        envelope = amplitude_envelope(X, self.sampling_rate, self.band)
        if self.decimation > 1:
            envelope = signal.decimate(
                envelope, self.decimation, ftype="fir", axis=-1, zero_phase=True
            )
        return envelope.astype(X.dtype)
