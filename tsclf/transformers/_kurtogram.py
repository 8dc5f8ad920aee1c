"""Spectral kurtosis: which band carries the impacts, and a band-pass to it."""

from __future__ import annotations

from numbers import Integral
from typing import ClassVar

import numpy as np
from scipy import signal

from tsclf.transformers._series import SeriesTransformer
from tsclf.utils.validation import SAMPLING_RATE


def spectral_kurtosis(
    X: np.ndarray, sampling_rate: float, nperseg: int
) -> tuple[np.ndarray, np.ndarray]:
    """Spectral kurtosis of each series from its short-time Fourier transform.

    ``SK(f) = <|S(t, f)|^4> / <|S(t, f)|^2>^2 - 2`` over the segments ``t``
    (Antoni 2006): about 0 for stationary Gaussian noise at ``f``, large
    where the energy at ``f`` comes in bursts, as the impacts of a local
    bearing fault ring a resonance. A gain or a filter that is about
    constant across one frequency bin does not change it.

    Parameters
    ----------
    X : ndarray of shape (..., length)
    sampling_rate : float
    nperseg : int
        STFT segment length (Hann window, 75 % overlap): the frequency
        resolution is ``sampling_rate / nperseg``.

    Returns
    -------
    frequencies : ndarray of shape (nperseg // 2 + 1,)
    kurtosis : ndarray of shape (..., nperseg // 2 + 1)

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import spectral_kurtosis
    >>> rng = np.random.default_rng(0)
    >>> noise = rng.normal(size=12000)
    >>> frequencies, sk = spectral_kurtosis(noise, 12000.0, nperseg=64)
    >>> bool(np.abs(sk[1:-1]).max() < 0.5)
    True
    """
    frequencies, _, stft = signal.stft(
        X, fs=sampling_rate, nperseg=nperseg, noverlap=3 * nperseg // 4, axis=-1
    )
    power = np.abs(stft) ** 2
    mean = power.mean(axis=-1)
    kurtosis = (power**2).mean(axis=-1) / np.where(mean > 0, mean, 1.0) ** 2 - 2.0
    return frequencies, kurtosis


def kurtogram(
    X: np.ndarray, sampling_rate: float, nperseg: tuple[int, ...]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Compute the STFT kurtogram: spectral kurtosis at several resolutions.

    Antoni (2007) reads the band to demodulate off this map: the
    (resolution, frequency) cell of largest kurtosis. Bins at 0 Hz and at
    the Nyquist frequency (whose kurtosis is not that of a band) are set
    to ``-inf``.

    Parameters
    ----------
    X : ndarray of shape (..., length)
    sampling_rate : float
    nperseg : tuple of int
        STFT segment lengths, one per level.

    Returns
    -------
    levels : list of (frequencies, kurtosis)
        As :func:`spectral_kurtosis` returns them, one per segment length.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import kurtogram
    >>> x = np.random.default_rng(0).normal(size=1200)
    >>> levels = kurtogram(x, 12000.0, nperseg=(16, 64))
    >>> [sk.shape for _, sk in levels]
    [(9,), (33,)]
    """
    levels = []
    for n in nperseg:
        frequencies, sk = spectral_kurtosis(X, sampling_rate, n)
        sk[..., 0] = sk[..., -1] = -np.inf
        levels.append((frequencies, sk))
    return levels


class KurtogramBandpass(SeriesTransformer):
    """Band-pass each window to the band of largest spectral kurtosis.

    The band a bearing's impacts ring is the one to demodulate: this step
    finds it on the STFT kurtogram (:func:`kurtogram`) and keeps only that
    band (an ideal zero-phase filter applied in the frequency domain), so
    that a :class:`SquaredEnvelopeSpectrum` after it reads the impacts and
    not the rest. The band is ``f +/- sampling_rate / nperseg`` around the
    cell of largest kurtosis.

    Parameters
    ----------
    sampling_rate : float, default=1.0
        Samples per second.
    nperseg : tuple of int, default=(16, 32, 64, 128)
        STFT segment lengths searched: wide bands to narrow ones. Each must
        fit in the window.
    per_window : bool, default=False
        False learns one band in ``fit``, the largest kurtosis averaged over
        the training windows (and channels); True chooses each window's own
        band when it is transformed (nothing is learnt).

    Attributes
    ----------
    band_ : tuple of float or None
        The band learnt in ``fit`` (``per_window=False``), in Hz.
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int
    length_ : int
        Window length seen in ``fit``; ``transform`` requires the same.

    See Also
    --------
    SquaredEnvelopeSpectrum : What to compute on the band-passed windows.

    Examples
    --------
    Impacts ringing a 4 kHz resonance, buried in noise:

    >>> import numpy as np
    >>> from scipy import signal
    >>> from tsclf.transformers import KurtogramBandpass
    >>> rng = np.random.default_rng(0)
    >>> impacts = np.zeros((20, 1200))
    >>> impacts[:, ::120] = 5.0
    >>> b, a = signal.iirpeak(4000, Q=20, fs=12000)
    >>> X = signal.lfilter(b, a, impacts) + 0.2 * rng.normal(size=(20, 1200))
    >>> low, high = KurtogramBandpass(sampling_rate=12000.0).fit(X).band_
    >>> bool(low < 4000 < high)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_rate": SAMPLING_RATE,
        "nperseg": ["array-like"],
        "per_window": ["boolean"],
    }

    def __init__(
        self,
        sampling_rate: float = 1.0,
        nperseg: tuple[int, ...] = (16, 32, 64, 128),
        per_window: bool = False,
    ) -> None:
        self.sampling_rate = sampling_rate
        self.nperseg = nperseg
        self.per_window = per_window

    def fit(self, X, y=None):
        """Validate the input; learn the band unless ``per_window``.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : KurtogramBandpass
        """
        super().fit(X, y)
        segments = np.asarray(self.nperseg).reshape(-1)
        if segments.size == 0 or not all(
            isinstance(n, Integral) and 4 <= n <= self.length_
            for n in segments.tolist()
        ):
            raise ValueError(
                "nperseg must be one or more integers between 4 and the window "
                f"length ({self.length_} feature(s), that is time steps), got "
                f"{self.nperseg!r}."
            )
        self.band_ = None
        if not self.per_window:
            X = self._checked(X)
            self.band_ = tuple(self._bands(X)[0].tolist())
        return self

    def _bands(self, X: np.ndarray) -> np.ndarray:
        """Find the band of largest kurtosis per window, or one for all (``fit``)."""
        pooled = not self.per_window
        best = np.full(1 if pooled else X.shape[0], -np.inf)
        bands = np.zeros((best.size, 2))
        nyquist = self.sampling_rate / 2
        for frequencies, sk in kurtogram(X, self.sampling_rate, tuple(self.nperseg)):
            sk = sk.mean(axis=(0, 1))[np.newaxis] if pooled else sk.max(axis=1)
            where = sk.argmax(axis=-1)
            value = sk[np.arange(best.size), where]
            width = frequencies[1] - frequencies[0]
            better = value > best
            best[better] = value[better]
            centre = frequencies[where[better]]
            bands[better, 0] = np.maximum(centre - width, 0.0)
            bands[better, 1] = np.minimum(centre + width, nyquist)
        return bands

    def transform(self, X) -> np.ndarray:
        """Keep only the band of each window (learnt, or its own).

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        filtered : ndarray of shape (n_windows, n_channels, length)
        """
        X = self._checked(X)
        bands = (
            self._bands(X) if self.per_window else np.array([self.band_] * X.shape[0])
        )
        frequencies = np.fft.rfftfreq(X.shape[-1], 1.0 / self.sampling_rate)
        keep = (frequencies >= bands[:, :1]) & (frequencies <= bands[:, 1:])
        spectrum = np.fft.rfft(X, axis=-1) * keep[:, np.newaxis, :]
        return np.fft.irfft(spectrum, n=X.shape[-1], axis=-1).astype(X.dtype)
