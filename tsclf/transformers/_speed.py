"""The shaft speed of each window, read from its own spectrum."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

# Spectra are zero-padded to this many times the window length, so that
# the harmonics are read between the FFT bins.
_PADDING = 8


def estimate_shaft_speed(
    X: np.ndarray,
    sampling_rate: float,
    speed_range: tuple[float, float],
    n_harmonics: int = 10,
) -> np.ndarray:
    """Estimate each window's shaft speed from its harmonics, in Hz.

    A rotating shaft leaves lines at its speed and at its multiples
    (unbalance, misalignment, looseness). The estimate is the speed within
    ``speed_range`` whose first ``n_harmonics`` multiples stand highest
    above the points half-way between them in the window's log spectrum
    (channels averaged; the k-th multiple weighs 1/k). Comparing with the
    half-way points keeps the estimate off twice the speed, which puts the
    true lines half-way; weighing the low multiples most keeps it off half
    the speed or another fraction, whose lowest multiples fall between the
    true lines.

    Feed the speeds to :class:`SquaredEnvelopeSpectrum` with ``max_order``
    (``shaft_speed=`` in ``fit`` and ``transform``, or by metadata routing
    in a Pipeline) to read spectra in orders when no tachometer was
    recorded. The precision grows with the window's duration and with the
    number of harmonics present: a tenth of a second resolves 10 Hz lines;
    use a second or more, or average the estimates over a recording, when
    the speed varies by a few per cent.

    Parameters
    ----------
    X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
    sampling_rate : float
        Samples per second.
    speed_range : tuple of float
        ``(lowest, highest)`` speed searched, in Hz (revolutions per
        second). Keep it within an octave where the speed is roughly known;
        wider ranges are searched too, at more risk of a wrong multiple.
    n_harmonics : int, default=10
        Multiples of each candidate speed read (those above the Nyquist
        frequency are skipped), the k-th weighing 1/k.

    Returns
    -------
    speeds : ndarray of shape (n_windows,)
        Shaft speeds in Hz; multiply by 60 for rpm.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D or 3-D or not finite, ``speed_range`` is not
        ``0 < lowest < highest < Nyquist``, or ``n_harmonics`` is below 1.

    Examples
    --------
    A 1,750 rpm shaft (29.17 Hz) with its first five harmonics in noise:

    >>> import numpy as np
    >>> from tsclf.transformers import estimate_shaft_speed
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(12000) / 12000.0
    >>> x = sum(np.sin(2 * np.pi * k * 29.17 * t) / k for k in range(1, 6))
    >>> x = x + 0.5 * rng.normal(size=t.size)
    >>> speed = estimate_shaft_speed(x[np.newaxis], 12000.0, speed_range=(20, 40))
    >>> round(float(speed[0]), 1)  # Hz: 1,752 rpm
    29.2
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 2:
        X = X[:, np.newaxis]
    if X.ndim != 3 or X.shape[-1] < 2:
        raise ValueError(
            "X must be windows of shape (n_windows, length) or (n_windows, "
            f"n_channels, length) with length >= 2, got shape {X.shape}."
        )
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or infinite values.")
    if not (np.ndim(sampling_rate) == 0 and sampling_rate > 0):
        raise ValueError(f"sampling_rate must be positive, got {sampling_rate!r}.")
    nyquist = sampling_rate / 2
    low, high = (float(v) for v in speed_range)
    if not 0 < low < high < nyquist:
        raise ValueError(
            f"speed_range must be (lowest, highest) Hz with 0 < lowest < highest "
            f"< the Nyquist frequency ({nyquist:g} Hz), got {speed_range!r}."
        )
    if int(n_harmonics) != n_harmonics or n_harmonics < 1:
        raise ValueError(
            f"n_harmonics must be a positive integer, got {n_harmonics!r}."
        )
    length = X.shape[-1]
    n_fft = _PADDING * length
    taper = np.hanning(length)
    centred = X - X.mean(axis=-1, keepdims=True)
    power = np.abs(np.fft.rfft(centred * taper, n=n_fft, axis=-1)) ** 2
    floor = np.finfo(np.float64).tiny + 1e-12 * power.max(axis=-1, keepdims=True)
    # Channels averaged; smoothed over two FFT bins (a Hann line's main lobe
    # spans four) so that a single noisy bin cannot decide.
    log_power = uniform_filter1d(
        np.log(power + floor).mean(axis=1), 2 * _PADDING, axis=-1, mode="nearest"
    )
    frequencies = np.fft.rfftfreq(n_fft, 1.0 / sampling_rate)
    # Candidates 1/n_harmonics of a padded FFT bin apart: the highest
    # multiple read moves by at most a bin from one to the next. The k-th
    # multiple weighs 1/k (subharmonic summation): a multiple of the speed
    # matches only some of the true lines, and the lowest ones least.
    step = sampling_rate / n_fft / n_harmonics
    candidates = np.arange(low, high + step / 2, step)
    orders = np.arange(1, int(n_harmonics) + 1)
    lines = candidates[:, np.newaxis] * orders
    between = candidates[:, np.newaxis] * (orders - 0.5)
    weights = (lines <= nyquist) / orders
    weights /= weights.sum(axis=1, keepdims=True)
    scores = np.empty((X.shape[0], candidates.size))
    for i, spectrum in enumerate(log_power):
        on = np.interp(lines, frequencies, spectrum)
        off = np.interp(between, frequencies, spectrum)
        scores[i] = ((on - off) * weights).sum(axis=1)
    return candidates[scores.argmax(axis=1)]
