"""Band energies and envelopes of series: the computations behind the spectral steps."""

from __future__ import annotations

from numbers import Real

import numpy as np
from scipy import signal


def band_energies(
    X: np.ndarray,
    sampling_rate: float,
    edges: np.ndarray,
) -> np.ndarray:
    """Power of each series in each frequency band.

    The one-sided power spectral density (Hann window, mean removed) times
    the bin width is summed over the FFT bins with
    ``edges[i] <= f < edges[i + 1]``; the last band also takes a bin at its
    upper edge. Bands covering 0 Hz to Nyquist add up to the series'
    variance (a unit sine has power 1/2).

    Parameters
    ----------
    X : ndarray of shape (..., length)
    sampling_rate : float
        Samples per second.
    edges : ndarray of shape (n_bands + 1,)
        Increasing band edges in Hz, within [0, sampling_rate / 2].

    Returns
    -------
    energies : ndarray of shape (..., n_bands)

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import band_energies
    >>> t = np.arange(1000) / 1000.0
    >>> tone = np.sin(2 * np.pi * 120 * t)  # 120 Hz
    >>> energies = band_energies(tone, 1000.0, np.array([0, 100, 200, 500]))
    >>> int(np.argmax(energies))
    1
    """
    X = np.asarray(X)
    window = signal.get_window("hann", X.shape[-1])
    spectrum = np.fft.rfft((X - X.mean(axis=-1, keepdims=True)) * window, axis=-1)
    power = spectrum.real**2 + spectrum.imag**2
    return power @ band_weights(X.shape[-1], sampling_rate, edges)


def band_weights(length: int, sampling_rate: float, edges: np.ndarray) -> np.ndarray:
    """Return the matrix that sums a Hann-windowed power spectrum into bands.

    ``|rfft(hann * (x - mean(x)))|**2 @ band_weights(...)`` is the one-sided
    periodogram (density times bin width, as :func:`scipy.signal.periodogram`
    with a Hann window) summed over each band's bins, as
    :func:`band_energies` computes it. The export of the spectral
    transformers to torch uses the same matrix.

    Parameters
    ----------
    length : int
        Samples per series.
    sampling_rate : float
    edges : ndarray of shape (n_bands + 1,)

    Returns
    -------
    weights : ndarray of shape (length // 2 + 1, n_bands)
    """
    freqs = np.fft.rfftfreq(length, 1.0 / sampling_rate)
    window = signal.get_window("hann", length)
    # Density times bin width; every bin but 0 Hz (and Nyquist, for an even
    # length) also holds its negative frequency.
    scale = np.full(freqs.size, 2.0 / (length * np.sum(window**2)))
    scale[0] /= 2
    if length % 2 == 0:
        scale[-1] /= 2
    band = np.searchsorted(edges, freqs, side="right") - 1
    band[freqs == edges[-1]] = edges.size - 2
    inside = (band >= 0) & (band < edges.size - 1)
    weights = np.zeros((freqs.size, edges.size - 1))
    weights[np.flatnonzero(inside), band[inside]] = scale[inside]
    return weights


def amplitude_envelope(
    X: np.ndarray, sampling_rate: float, band: tuple[float, float] | None = None
) -> np.ndarray:
    """``|hilbert(x)|`` along the last axis, after an optional band-pass.

    Parameters
    ----------
    X : ndarray of shape (..., length)
    sampling_rate : float
        Samples per second.
    band : tuple of float, default=None
        ``(low, high)`` pass band in Hz (4th order Butterworth, zero phase)
        applied before demodulation; None demodulates ``X`` as it is.

    Returns
    -------
    envelope : ndarray of shape (..., length)

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import amplitude_envelope
    >>> t = np.arange(1200) / 12000.0
    >>> carrier = np.sin(2 * np.pi * 3000 * t)
    >>> envelope = amplitude_envelope(2.0 * carrier, 12000.0, band=(2000, 4000))
    >>> bool(np.allclose(envelope[100:-100], 2.0, atol=0.05))
    True
    """
    if band is not None:
        check_band(band, sampling_rate)
        sos = signal.butter(4, band, btype="bandpass", fs=sampling_rate, output="sos")
        try:
            X = signal.sosfiltfilt(sos, X, axis=-1)
        except ValueError as error:
            if "padlen" not in str(error):
                raise
            raise ValueError(
                f"Series of {X.shape[-1]} samples are too short to band-pass to "
                f"{band!r} Hz (the zero-phase filter pads each edge; scipy: "
                f"{error}). Use longer windows, or no band."
            ) from error
    return np.abs(signal.hilbert(X, axis=-1))


def check_band(band, sampling_rate: float) -> None:
    """Raise unless ``band`` is ``(low, high)`` with 0 < low < high < Nyquist."""
    values = np.asarray(band, dtype=object).ravel()
    if values.size != 2 or not all(
        isinstance(v, Real) and not isinstance(v, bool) for v in values
    ):
        raise ValueError(
            f"band must be (low, high): two frequencies in Hz, got {band!r}."
        )
    low, high = (float(v) for v in values)
    if not 0 < low < high < sampling_rate / 2:
        raise ValueError(
            "band must be (low, high) with 0 < low < high < "
            f"{sampling_rate / 2:g} Hz (Nyquist), got {band!r}."
        )
