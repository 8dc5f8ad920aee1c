"""The cepstrum: removing a transfer path, and describing it."""

from __future__ import annotations

from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._series import SeriesTransformer
from tsclf.utils.constraints import Interval
from tsclf.utils.validation import validate_series

# Added to magnitudes before a division or a log: silent bins stay finite.
_TINY = np.finfo(np.float64).tiny


def cepstral_prewhitening(X: np.ndarray, lifter: int | None = None) -> np.ndarray:
    """Flatten each series' magnitude spectrum and keep its phase.

    Cepstral pre-whitening (Sawalhi & Randall 2011; Borghesani et al. 2013)
    sets the real cepstrum to zero: ``ifft(F / |F|)`` for ``F = fft(x)``.
    A transfer path (sensor, mounting, cable, filter) multiplies ``F`` by
    its frequency response, which cancels in ``F / |F|``; so do the gain
    and the discrete lines of shafts and gears. What is left are the
    impulsive, modulated parts that carry a bearing fault.

    Parameters
    ----------
    X : ndarray of shape (..., length)
    lifter : int, default=None
        None whitens fully. An integer ``q`` removes only the cepstrum below
        quefrency ``q`` samples (the smooth spectral envelope: the transfer
        path) and keeps the finer structure (harmonic families).

    Returns
    -------
    whitened : ndarray of shape (..., length)
        Zero mean; with ``lifter=None`` every non-zero frequency has the same
        magnitude.

    Examples
    --------
    A gain and a (zero-phase, low-pass) path leave the whitened signal as
    it was:

    >>> import numpy as np
    >>> from tsclf.transformers import cepstral_prewhitening
    >>> x = np.random.default_rng(0).normal(size=1024)
    >>> response = 1.0 / (1.0 + (np.arange(513) / 100.0) ** 2)
    >>> through_a_path = 5.0 * np.fft.irfft(np.fft.rfft(x) * response, n=1024)
    >>> whitened = cepstral_prewhitening(through_a_path)
    >>> bool(np.allclose(cepstral_prewhitening(x), whitened))
    True
    """
    X = np.asarray(X, dtype=np.float64)
    spectrum = np.fft.fft(X - X.mean(axis=-1, keepdims=True), axis=-1)
    magnitude = np.abs(spectrum)
    if lifter is None:
        flat = spectrum / (magnitude + _TINY)
    else:
        log_magnitude = np.log(magnitude + _TINY)
        # The centred window's 0 Hz bin is rounding noise, whose log would
        # move the whole cepstrum: it continues the envelope from bin 1.
        log_magnitude[..., 0] = log_magnitude[..., 1]
        cepstrum = np.fft.ifft(log_magnitude, axis=-1).real
        cepstrum[..., :lifter] = 0.0
        if lifter > 1:
            cepstrum[..., -(lifter - 1) :] = 0.0
        kept = np.exp(np.fft.fft(cepstrum, axis=-1).real)
        flat = kept * spectrum / (magnitude + _TINY)
    flat[..., 0] = 0.0
    return np.fft.ifft(flat, axis=-1).real


def real_cepstrum(X: np.ndarray, n_coefficients: int) -> np.ndarray:
    """Real cepstrum coefficients 1 to ``n_coefficients`` of each series.

    The inverse FFT of the log magnitude spectrum (mean removed, Hann
    window). Coefficient 0 (the log gain) is left out, so the result does
    not change with the gain; the low coefficients describe the smooth
    spectral envelope, which is mostly the transfer path.

    Parameters
    ----------
    X : ndarray of shape (..., length)
    n_coefficients : int
        At most ``length // 2``.

    Returns
    -------
    cepstrum : ndarray of shape (..., n_coefficients)

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import real_cepstrum
    >>> x = np.random.default_rng(0).normal(size=256)
    >>> bool(np.allclose(real_cepstrum(x, 8), real_cepstrum(10 * x, 8)))
    True
    """
    X = np.asarray(X, dtype=np.float64)
    centred = X - X.mean(axis=-1, keepdims=True)
    magnitude = np.abs(np.fft.rfft(centred * np.hanning(X.shape[-1]), axis=-1))
    cepstrum = np.fft.irfft(np.log(magnitude + _TINY), n=X.shape[-1], axis=-1)
    return cepstrum[..., 1 : n_coefficients + 1]


class CepstralPrewhitening(SeriesTransformer):
    """Cepstral pre-whitening: windows in, whitened windows out.

    Removes the transfer path between a bearing and its sensor, the gain
    and the discrete shaft and gear lines, and keeps the impulses a local
    fault sends through the structure (see :func:`cepstral_prewhitening`).
    Put it before :class:`SquaredEnvelopeSpectrum`, before any other step,
    or in a deep estimator's ``preprocessor``.

    Parameters
    ----------
    lifter : int, default=None
        None whitens fully; ``q`` removes the cepstrum below ``q`` samples
        of quefrency only (must be below half the window length).

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int
    length_ : int
        Window length seen in ``fit``; ``transform`` requires the same.

    See Also
    --------
    SquaredEnvelopeSpectrum : What to read from the whitened windows.
    CepstralCoefficients : The part this step removes, as features.

    Examples
    --------
    An impulse train rung through a resonance comes back with a flat
    spectrum, its impulses standing out:

    >>> import numpy as np
    >>> from scipy import signal
    >>> from tsclf.transformers import CepstralPrewhitening
    >>> impulses = np.zeros(1200)
    >>> impulses[::100] = 1.0
    >>> b, a = signal.iirpeak(3000, Q=10, fs=12000)
    >>> rung = signal.lfilter(b, a, impulses)[np.newaxis, np.newaxis]
    >>> whitened = CepstralPrewhitening().fit_transform(rung)
    >>> magnitude = np.abs(np.fft.rfft(whitened[0, 0]))[1:-1]
    >>> bool(np.allclose(magnitude, magnitude[0]))
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "lifter": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, lifter: int | None = None) -> None:
        self.lifter = lifter

    def fit(self, X, y=None):
        """Validate the input and the lifter; remember the window length.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : CepstralPrewhitening
        """
        super().fit(X, y)
        if self.lifter is not None and self.lifter >= self.length_ // 2:
            raise ValueError(
                f"lifter={self.lifter} must be below half the window length "
                f"({self.length_} feature(s), that is time steps)."
            )
        return self

    def transform(self, X) -> np.ndarray:
        """Whiten every channel of every window.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        whitened : ndarray of shape (n_windows, n_channels, length)
        """
        X = self._checked(X)
        return cepstral_prewhitening(X, self.lifter).astype(X.dtype)


class CepstralCoefficients(TransformerMixin, BaseEstimator):
    """The low real-cepstrum coefficients of each channel: a path signature.

    The smooth shape of a spectrum, what a transfer path imposes on it,
    in a few numbers that do not change with the gain (coefficient 0 is
    left out; see :func:`real_cepstrum`). The opposite of
    :class:`CepstralPrewhitening`: that step removes this part. A
    :class:`~tsclf.monitoring.ShiftMonitor` on these features tells
    windows recorded through another path from the training ones.

    Parameters
    ----------
    n_coefficients : int, default=24
        Coefficients 1 to ``n_coefficients`` (at most half the window
        length).

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import CepstralCoefficients
    >>> X = np.random.default_rng(0).normal(size=(3, 2, 256))
    >>> cepstrum = CepstralCoefficients(n_coefficients=4).fit(X)
    >>> cepstrum.transform(X).shape
    (3, 8)
    >>> cepstrum.get_feature_names_out()[:2].tolist()
    ['cepstrum_q1_ch0', 'cepstrum_q1_ch1']
    """

    _parameter_constraints: ClassVar[dict] = {
        "n_coefficients": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, n_coefficients: int = 24) -> None:
        self.n_coefficients = n_coefficients

    def fit(self, X, y=None):
        """Validate the input and the number of coefficients.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : CepstralCoefficients
        """
        self._validate_params()
        X = validate_series(self, X, reset=True)
        if self.n_coefficients > X.shape[2] // 2:
            raise ValueError(
                f"n_coefficients={self.n_coefficients} is more than half the "
                f"window length ({X.shape[2]} feature(s), that is time steps); use "
                f"at most {X.shape[2] // 2}."
            )
        self.n_channels_ = X.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        """Return the coefficients, coefficient-major.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        cepstrum : ndarray of shape (n_windows, n_coefficients * n_channels)
        """
        check_is_fitted(self)
        X = validate_series(self, X, reset=False)
        if X.shape[2] // 2 < self.n_coefficients:
            raise ValueError(
                f"X has windows of {X.shape[2]} samples, too short for "
                f"{self.n_coefficients} coefficients."
            )
        cepstrum = real_cepstrum(X, self.n_coefficients)
        return cepstrum.transpose(0, 2, 1).reshape(X.shape[0], -1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Return ``cepstrum_q<k>_ch<channel>`` for each column.

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        return np.array(
            [
                f"cepstrum_q{k}_ch{channel}"
                for k in range(1, self.n_coefficients + 1)
                for channel in range(self.n_channels_)
            ],
            dtype=object,
        )
