"""Spectral features for vibration: FFT band energies and envelope spectra."""

from __future__ import annotations

import itertools
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._bands import amplitude_envelope, band_energies, check_band
from tsclf.utils.constraints import Interval
from tsclf.utils.validation import SAMPLING_RATE, validate_series


class _SpectralBands(TransformerMixin, BaseEstimator):
    """Shared machinery: validate, compute a spectrum per channel, sum bands."""

    _parameter_constraints: ClassVar[dict] = {
        "n_bands": [Interval(Integral, 1, None, closed="left")],
        "sampling_rate": SAMPLING_RATE,
        "max_frequency": [Real, None],  # checked against the Nyquist frequency
        "band": ["array-like", None],  # EnvelopeSpectrum only
        "log": ["boolean"],
    }

    def _check_params(self, length: int) -> np.ndarray:
        """Validate the parameters for series of ``length``; return the band edges."""
        if length < 2:
            raise ValueError(
                f"Series of {length} feature(s) (time steps) have no spectrum; "
                "at least 2 are needed."
            )
        self._validate_params()
        if isinstance(self.n_bands, bool):
            raise ValueError(f"n_bands must be an int, got {self.n_bands!r}.")
        nyquist = self.sampling_rate / 2
        top = nyquist if self.max_frequency is None else self.max_frequency
        if not 0 < top <= nyquist:
            raise ValueError(
                f"max_frequency must be in (0, {nyquist:g}] Hz (the Nyquist "
                f"frequency), got {self.max_frequency!r}."
            )
        resolution = self.sampling_rate / length
        if top / self.n_bands < resolution:
            raise ValueError(
                f"{self.n_bands} bands up to {top:g} Hz are narrower than the FFT "
                f"resolution of {resolution:g} Hz for series of {length} samples; "
                "use fewer bands or longer series."
            )
        return np.linspace(0.0, top, int(self.n_bands) + 1)

    def fit(self, X, y=None):
        """Validate the input and set the band edges.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)
        y : ignored

        Returns
        -------
        self : object
        """
        X = validate_series(self, X, reset=True)
        self.band_edges_ = self._check_params(X.shape[2])
        self.n_channels_, self.length_ = X.shape[1], X.shape[2]
        return self

    def transform(self, X) -> np.ndarray:
        """Compute the band energies.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        features : ndarray of shape (n_series, n_bands * n_channels)
            Band-major: all channels of the first band, then the next.
        """
        check_is_fitted(self)
        X = validate_series(self, X, reset=False)
        if X.shape[2] != self.length_:
            # The bands were fitted on one frequency resolution.
            raise ValueError(
                f"X has windows of {X.shape[2]} samples; {type(self).__name__} was "
                f"fitted on {self.length_}."
            )
        energies = band_energies(
            self._signal(X), self.sampling_rate, self.band_edges_
        )  # (n_series, n_channels, n_bands)
        if not np.isfinite(energies).all():
            raise ValueError(
                "Some band energies overflowed to infinity or NaN: the series' "
                f"values (largest magnitude {np.abs(X).max():.3g}) are too large "
                "to square; rescale them (for example to volts or g)."
            )
        if self.log:
            energies = np.log(energies + np.finfo(np.float64).tiny)
        return energies.transpose(0, 2, 1).reshape(X.shape[0], -1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Return ``<prefix>_<low>-<high>Hz_ch<channel>`` for each column.

        At the default ``sampling_rate=1.0`` the edges are fractions of the
        sampling rate and say so: ``<prefix>_<low>-<high>fs_ch<channel>``
        (``0.5fs`` is the Nyquist frequency).

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        edges = self.band_edges_
        unit = "fs" if self.sampling_rate == 1.0 else "Hz"
        return np.array(
            [
                f"{self._prefix}_{low:g}-{high:g}{unit}_ch{channel}"
                for low, high in itertools.pairwise(edges)
                for channel in range(self.n_channels_)
            ],
            dtype=object,
        )


class BandEnergies(_SpectralBands):
    """Power of each channel in equal-width frequency bands.

    The classical vibration feature: faults change how energy spreads over
    the spectrum (bearing defects excite structural resonances at a few
    kHz). Each series' one-sided power spectrum (Hann window, mean removed)
    is summed over ``n_bands`` equal bands from 0 Hz to ``max_frequency``.

    Parameters
    ----------
    n_bands : int, default=16
        Number of equal-width bands.
    sampling_rate : float, default=1.0
        Samples per second.
    max_frequency : float, default=None
        Upper edge of the last band in Hz; None uses the Nyquist frequency.
    log : bool, default=True
        Return the natural log of the band power, which evens out the
        orders of magnitude between bands.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int
        Channels per series.
    band_edges_ : ndarray of shape (n_bands + 1,)
        Band edges in Hz.

    See Also
    --------
    EnvelopeSpectrum : The same bands on the envelope, for impacts.
    band_energies : The function behind both.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import BandEnergies
    >>> t = np.arange(1200) / 12000.0
    >>> X = np.stack([np.sin(2 * np.pi * f * t) for f in (500.0, 3000.0)])
    >>> bands = BandEnergies(n_bands=4, sampling_rate=12000.0).fit(X)
    >>> bands.get_feature_names_out()[:2].tolist()
    ['band_0-1500Hz_ch0', 'band_1500-3000Hz_ch0']
    >>> bands.transform(X).argmax(axis=1)
    array([0, 2])
    """

    _prefix = "band"

    def __init__(
        self,
        n_bands: int = 16,
        sampling_rate: float = 1.0,
        max_frequency: float | None = None,
        log: bool = True,
    ) -> None:
        self.n_bands = n_bands
        self.sampling_rate = sampling_rate
        self.max_frequency = max_frequency
        self.log = log

    def _signal(self, X: np.ndarray) -> np.ndarray:
        return X


class EnvelopeSpectrum(_SpectralBands):
    """Band energies of the envelope spectrum (Hilbert demodulation).

    The standard bearing diagnosis: a local defect sends an impact through
    the structure each time a rolling element passes it, which rings a
    resonance. Band-passing around that resonance, taking the amplitude
    envelope ``|hilbert(x)|`` and its spectrum reveals the impact rate (the
    fault's characteristic frequency, e.g. about 107 Hz for an outer-race
    defect of the CWRU drive-end bearing at 1797 rpm) and its harmonics.

    Parameters
    ----------
    n_bands : int, default=16
        Number of equal-width bands of the envelope spectrum.
    sampling_rate : float, default=1.0
        Samples per second.
    max_frequency : float, default=None
        Upper edge of the last envelope band in Hz; None uses the Nyquist
        frequency. Fault frequencies and their first harmonics sit below
        about 1 kHz for rotating machines.
    band : tuple of float, default=None
        ``(low, high)`` pass band in Hz applied before demodulation (4th
        order Butterworth, zero phase); None demodulates the raw signal.
    log : bool, default=True
        Return the natural log of the band power.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int
        Channels per series.
    band_edges_ : ndarray of shape (n_bands + 1,)
        Envelope band edges in Hz.

    See Also
    --------
    BandEnergies : Band energies of the raw spectrum.
    Envelope : The envelope itself, as a series for a network.

    Examples
    --------
    A 3 kHz carrier hit 100 times a second shows its impact rate:

    >>> import numpy as np
    >>> from tsclf.transformers import EnvelopeSpectrum
    >>> t = np.arange(12000) / 12000.0
    >>> impacts = 1 + np.cos(2 * np.pi * 100 * t)
    >>> X = (impacts * np.sin(2 * np.pi * 3000 * t))[np.newaxis]
    >>> envelope = EnvelopeSpectrum(
    ...     n_bands=10, sampling_rate=12000.0, max_frequency=500.0, band=(2000, 4000)
    ... )
    >>> envelope.fit(X).get_feature_names_out()[envelope.transform(X).argmax()]
    'envelope_100-150Hz_ch0'
    """

    _prefix = "envelope"

    def __init__(
        self,
        n_bands: int = 16,
        sampling_rate: float = 1.0,
        max_frequency: float | None = None,
        band: tuple[float, float] | None = None,
        log: bool = True,
    ) -> None:
        self.n_bands = n_bands
        self.sampling_rate = sampling_rate
        self.max_frequency = max_frequency
        self.band = band
        self.log = log

    def _check_params(self, length: int) -> np.ndarray:
        edges = super()._check_params(length)
        if self.band is not None:
            check_band(self.band, self.sampling_rate)
        return edges

    def _signal(self, X: np.ndarray) -> np.ndarray:
        return amplitude_envelope(X, self.sampling_rate, self.band)
