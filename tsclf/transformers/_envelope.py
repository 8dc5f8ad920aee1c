"""The squared envelope spectrum, normalised so that the gain cancels."""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._bands import check_band
from tsclf.transformers._series import SeriesTransformer
from tsclf.utils.constraints import Interval
from tsclf.utils.validation import SAMPLING_RATE


def squared_envelope_spectrum(
    X: np.ndarray, sampling_rate: float, band: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Magnitude spectrum of the squared envelope of each series.

    The analytic signal is formed in the frequency domain (the positive
    frequencies doubled, the negative ones zeroed), keeping only ``band``
    when one is given: an ideal zero-phase band-pass. Its squared magnitude
    is the squared envelope; a local bearing fault shows in its spectrum as
    lines at the fault's characteristic frequency and harmonics (Randall &
    Antoni 2011).

    Parameters
    ----------
    X : ndarray of shape (..., length)
    sampling_rate : float
        Samples per second.
    band : tuple of float, default=None
        ``(low, high)`` carrier band in Hz to demodulate; None takes all.

    Returns
    -------
    frequencies : ndarray of shape (length // 2 + 1,)
        Envelope frequencies in Hz.
    spectrum : ndarray of shape (..., length // 2 + 1)
        ``|rfft(e - mean(e))| / length`` for the squared envelope ``e``
        (zero at 0 Hz).

    Examples
    --------
    A carrier modulated 100 times a second:

    >>> import numpy as np
    >>> from tsclf.transformers import squared_envelope_spectrum
    >>> t = np.arange(12000) / 12000.0
    >>> x = (1 + 0.5 * np.cos(2 * np.pi * 100 * t)) * np.sin(2 * np.pi * 3000 * t)
    >>> frequencies, spectrum = squared_envelope_spectrum(x, 12000.0)
    >>> float(frequencies[spectrum.argmax()])
    100.0
    """
    X = np.asarray(X, dtype=np.float64)
    spectra = _envelope_spectra(X, sampling_rate, [band])[..., 0, :]
    return np.fft.rfftfreq(X.shape[-1], 1.0 / sampling_rate), spectra


def _envelope_spectra(X: np.ndarray, sampling_rate: float, bands) -> np.ndarray:
    """Squared envelope spectra of ``X`` demodulated in each of ``bands``.

    One forward FFT serves every band. Returns an array of shape
    ``(..., len(bands), length // 2 + 1)``; a band of None takes all.
    """
    length = X.shape[-1]
    spectrum = np.fft.fft(X, axis=-1)
    frequencies = np.fft.fftfreq(length, 1.0 / sampling_rate)
    spectra = []
    for band in bands:
        analytic = np.where(frequencies > 0, 2.0, 0.0)
        analytic[0] = 1.0
        if band is not None:
            outside = (np.abs(frequencies) < band[0]) | (np.abs(frequencies) > band[1])
            analytic[outside] = 0
        squared = np.abs(np.fft.ifft(spectrum * analytic, axis=-1)) ** 2
        squared -= squared.mean(axis=-1, keepdims=True)
        spectra.append(np.abs(np.fft.rfft(squared, axis=-1)) / length)
    return np.stack(spectra, axis=-2)


class SquaredEnvelopeSpectrum(SeriesTransformer):
    """Squared envelope spectrum of each window, in Hz or in shaft orders.

    The bearing analyst's main tool (see :func:`squared_envelope_spectrum`),
    as series a network reads or, after :class:`Flatten`, features a forest
    reads. Run it on whitened windows (:class:`CepstralPrewhitening`) or on
    a band chosen by :class:`KurtogramBandpass`. With ``normalize`` each
    spectrum is divided by its own mean over the bins returned, so the gain
    of the acquisition chain cancels.

    ``n_carrier_bands`` splits the carrier range into equal bands and
    demodulates each on its own (a cyclic modulation spectrum): a transfer
    path that is about constant within a band then cancels too, and which
    resonance carries the impacts is kept.

    Orders instead of Hz: set ``max_order``. The shaft speed in Hz comes
    from ``shaft_speed``, or window by window from ``fit`` and ``transform``
    (``shaft_speed=`` an array; in a Pipeline through metadata routing with
    ``set_transform_request(shaft_speed=True)``); each window's spectrum is
    then read at the same orders whatever its speed.

    Parameters
    ----------
    sampling_rate : float, default=1.0
        Samples per second.
    max_frequency : float, default=None
        Highest envelope frequency returned, in Hz; None: the Nyquist
        frequency. Fault frequencies of rolling bearings and their first
        harmonics lie below about 1 kHz.
    n_carrier_bands : int, default=1
        Equal carrier bands demodulated separately.
    band : tuple of float, default=None
        ``(low, high)`` carrier range in Hz; None: 0 Hz to Nyquist.
    normalize : bool, default=True
        Divide each spectrum by its mean over the returned bins.
    shaft_speed : float, default=None
        Shaft speed in Hz (revolutions per second), for ``max_order``.
    max_order : float, default=None
        Return the spectrum over shaft orders up to this one, instead of Hz.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int
    length_ : int
        Window length seen in ``fit``; ``transform`` requires the same.
    frequencies_ : ndarray of shape (n_bins,)
        The envelope frequencies in Hz returned (``max_order`` None).
    orders_ : ndarray of shape (n_bins,) or None
        The shaft orders returned (``max_order`` set).
    carrier_edges_ : ndarray of shape (n_carrier_bands + 1,)
        Carrier band edges in Hz.

    See Also
    --------
    EnvelopeSpectrum : Band energies of the (unsquared) envelope spectrum.
    bearing_frequencies : Where a fault's lines lie.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import SquaredEnvelopeSpectrum
    >>> t = np.arange(1200) / 12000.0
    >>> x = (1 + 0.5 * np.cos(2 * np.pi * 100 * t)) * np.sin(2 * np.pi * 3000 * t)
    >>> ses = SquaredEnvelopeSpectrum(sampling_rate=12000.0, max_frequency=500.0)
    >>> spectrum = ses.fit_transform(x[np.newaxis])
    >>> spectrum.shape, float(ses.frequencies_[spectrum[0, 0].argmax()])
    ((1, 1, 50), 100.0)

    In orders of a 25 Hz shaft, the same line is at order 4:

    >>> orders = SquaredEnvelopeSpectrum(
    ...     sampling_rate=12000.0, shaft_speed=25.0, max_order=10.0
    ... )
    >>> spectrum = orders.fit_transform(x[np.newaxis])
    >>> float(orders.orders_[spectrum[0, 0].argmax()])
    4.0
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_rate": SAMPLING_RATE,
        "max_frequency": [Interval(Real, 0, None, closed="neither"), None],
        "n_carrier_bands": [Interval(Integral, 1, None, closed="left")],
        "band": ["array-like", None],
        "normalize": ["boolean"],
        "shaft_speed": [Interval(Real, 0, None, closed="neither"), None],
        "max_order": [Interval(Real, 0, None, closed="neither"), None],
    }

    def __init__(
        self,
        sampling_rate: float = 1.0,
        max_frequency: float | None = None,
        n_carrier_bands: int = 1,
        band: tuple[float, float] | None = None,
        normalize: bool = True,
        shaft_speed: float | None = None,
        max_order: float | None = None,
    ) -> None:
        self.sampling_rate = sampling_rate
        self.max_frequency = max_frequency
        self.n_carrier_bands = n_carrier_bands
        self.band = band
        self.normalize = normalize
        self.shaft_speed = shaft_speed
        self.max_order = max_order

    def fit(self, X, y=None, shaft_speed=None):
        """Validate the parameters for these windows; set the output axis.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored
        shaft_speed : array-like of shape (n_windows,), default=None
            Each window's shaft speed in Hz; their median sets the order
            grid when ``shaft_speed`` is None.

        Returns
        -------
        self : SquaredEnvelopeSpectrum
        """
        super().fit(X, y)
        nyquist = self.sampling_rate / 2
        if self.band is not None:
            check_band(self.band, self.sampling_rate)
        low, high = (0.0, nyquist) if self.band is None else self.band
        self.carrier_edges_ = np.linspace(low, high, self.n_carrier_bands + 1)
        resolution = self.sampling_rate / self.length_
        if np.diff(self.carrier_edges_).min() < resolution:
            raise ValueError(
                f"{self.n_carrier_bands} carrier bands between {low:g} and "
                f"{high:g} Hz are narrower than the FFT resolution "
                f"({resolution:g} Hz) of windows of {self.length_} feature(s) "
                "(time steps)."
            )
        frequencies = np.fft.rfftfreq(self.length_, 1.0 / self.sampling_rate)[1:]
        self.orders_ = None
        if self.max_order is None:
            top = nyquist if self.max_frequency is None else self.max_frequency
            self.frequencies_ = frequencies[frequencies <= top]
            if self.frequencies_.size == 0:
                raise ValueError(
                    f"max_frequency={self.max_frequency!r} Hz is below the FFT "
                    f"resolution ({resolution:g} Hz) of windows of {self.length_} "
                    "feature(s) (time steps)."
                )
            return self
        speed = self._reference_speed(shaft_speed, len(X))
        step = resolution / speed
        self.orders_ = np.arange(1, int(self.max_order / step) + 1) * step
        if self.orders_.size == 0 or self.max_order * speed > nyquist:
            raise ValueError(
                f"max_order={self.max_order!r} at {speed:g} Hz must lie between "
                f"the resolution ({step:g} orders, for windows of {self.length_} "
                f"feature(s), that is time steps) and the Nyquist frequency "
                f"({nyquist / speed:g} orders)."
            )
        self.frequencies_ = self.orders_ * speed
        return self

    def _reference_speed(self, shaft_speed, n_windows: int) -> float:
        """Return the speed the order grid is built on, in Hz."""
        if self.shaft_speed is not None:
            return float(self.shaft_speed)
        if shaft_speed is None:
            raise ValueError(
                "max_order needs a shaft speed: pass shaft_speed= (Hz) to the "
                "constructor, or an array of speeds per window to fit and "
                "transform (metadata routing in a Pipeline)."
            )
        return float(np.median(self._speeds(shaft_speed, n_windows)))

    def _speeds(self, shaft_speed, n_windows: int) -> np.ndarray:
        speeds = np.asarray(shaft_speed, dtype=np.float64).reshape(-1)
        if speeds.size == 1:
            speeds = np.full(n_windows, speeds[0])
        if speeds.size != n_windows or not (np.isfinite(speeds) & (speeds > 0)).all():
            raise ValueError(
                f"shaft_speed must hold one positive speed in Hz per window "
                f"({n_windows}), got {speeds.size} value(s)."
            )
        return speeds

    def fit_transform(self, X, y=None, shaft_speed=None):
        """Fit, then transform ``X`` (with the same per-window speeds).

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored
        shaft_speed : array-like of shape (n_windows,), default=None

        Returns
        -------
        spectra : ndarray of shape (n_windows, n_channels * n_carrier_bands, n_bins)
        """
        return self.fit(X, y, shaft_speed=shaft_speed).transform(
            X, shaft_speed=shaft_speed
        )

    def transform(self, X, shaft_speed=None) -> np.ndarray:
        """Return the (normalised) squared envelope spectra.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        shaft_speed : array-like of shape (n_windows,), default=None
            Each window's shaft speed in Hz, for ``max_order``; None uses
            ``shaft_speed`` or the speed the grid was fitted on.

        Returns
        -------
        spectra : ndarray of shape (n_windows, n_channels * n_carrier_bands, n_bins)
            Channel-major: every carrier band of the first channel, then the
            next channel's.
        """
        X = self._checked(X)
        check_is_fitted(self, "frequencies_")
        n_windows, n_channels, length = X.shape
        bands = zip(self.carrier_edges_[:-1], self.carrier_edges_[1:], strict=True)
        spectra = _envelope_spectra(
            np.asarray(X, dtype=np.float64), self.sampling_rate, list(bands)
        )  # (n_windows, n_channels, n_carrier_bands, length // 2 + 1)
        all_frequencies = np.fft.rfftfreq(length, 1.0 / self.sampling_rate)
        if self.orders_ is not None and shaft_speed is not None:
            speeds = self._speeds(shaft_speed, n_windows)
            # Each window read at the same orders: at its own frequencies.
            spectra = np.stack(
                [
                    [
                        np.interp(self.orders_ * speed, all_frequencies, row)
                        for row in rows
                    ]
                    for rows, speed in zip(
                        spectra.reshape(n_windows, -1, length // 2 + 1),
                        speeds,
                        strict=True,
                    )
                ]
            ).reshape(n_windows, n_channels, self.n_carrier_bands, -1)
        else:
            indices = np.rint(self.frequencies_ * length / self.sampling_rate)
            spectra = spectra[..., indices.astype(int)]
        if self.normalize:
            mean = spectra.mean(axis=-1, keepdims=True)
            spectra = spectra / np.where(mean > 0, mean, 1.0)
        return spectra.reshape(n_windows, -1, spectra.shape[-1]).astype(X.dtype)
