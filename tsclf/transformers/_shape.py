"""The spectral shape: log band energies relative to their mean."""

from __future__ import annotations

import numpy as np

from tsclf.transformers._spectral import BandEnergies


class SpectralShape(BandEnergies):
    """Log band energies of each channel relative to their mean over bands.

    A gain of the acquisition chain adds the same constant to every log
    band energy; subtracting each channel's mean takes it away, and what is
    left is how the energy spreads over frequency. The shape still carries
    the transfer path's frequency response (a resonance, a filter): use it
    on the machine it was trained on, or behind a
    :class:`~tsclf.monitoring.ShiftMonitor` that tells another path.

    Parameters
    ----------
    n_bands : int, default=16
        Number of equal-width bands.
    sampling_rate : float, default=1.0
        Samples per second.
    max_frequency : float, default=None
        Upper edge of the last band in Hz; None uses the Nyquist frequency.

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
    BandEnergies : The log band energies themselves.
    CepstralCoefficients : The smooth shape in a few numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import SpectralShape
    >>> X = np.random.default_rng(0).normal(size=(2, 1200))
    >>> shape = SpectralShape(n_bands=4, sampling_rate=12000.0).fit(X)
    >>> bool(np.allclose(shape.transform(X), shape.transform(100.0 * X)))
    True
    >>> shape.get_feature_names_out()[0]
    'shape_0-1500Hz_ch0'
    """

    _prefix = "shape"
    #: The shape is taken of the log energies (not a parameter here).
    log = True

    def __init__(
        self,
        n_bands: int = 16,
        sampling_rate: float = 1.0,
        max_frequency: float | None = None,
    ) -> None:
        self.n_bands = n_bands
        self.sampling_rate = sampling_rate
        self.max_frequency = max_frequency

    def transform(self, X) -> np.ndarray:
        """Compute the log band energies relative to their mean.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        features : ndarray of shape (n_series, n_bands * n_channels)
            Band-major, as :class:`BandEnergies`; each channel's values sum
            to zero.
        """
        energies = super().transform(X)
        by_band = energies.reshape(len(energies), -1, self.n_channels_)
        return (by_band - by_band.mean(axis=1, keepdims=True)).reshape(
            len(energies), -1
        )
