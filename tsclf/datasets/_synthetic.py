"""Synthetic series with a known answer, for tests and tutorials."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state


def make_spike_anomaly(
    n_samples: int = 1000,
    length: int = 50,
    *,
    anomaly_ratio: float = 0.5,
    spike_width: int = 3,
    random_state: int | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Make a "sine + spike" anomaly-detection set.

    With ``t`` spanning two periods over ``length`` samples:

    - normal series (label 0): ``sin(t) + N(0, 0.1)`` noise;
    - anomalous series (label 1): ``sin(t)`` plus a spike of ``spike_width``
      consecutive samples, each drawn from ``N(3, 0.5)``, at a uniformly
      random position, plus ``N(0, 0.3)`` noise.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of series.
    length : int, default=50
        Samples per series.
    anomaly_ratio : float, default=0.5
        Fraction of anomalous series, in [0, 1].
    spike_width : int, default=3
        Samples per spike.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible output.

    Returns
    -------
    X : ndarray of shape (n_samples, 1, length), dtype float64
        One channel per series.
    y : ndarray of shape (n_samples,), dtype int64
        0 for normal, 1 for anomaly, in random order.

    Examples
    --------
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=10, random_state=0)
    >>> X.shape, int(y.sum())
    ((10, 1, 50), 5)
    """
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}.")
    if not 1 <= spike_width <= length:
        raise ValueError(
            f"spike_width must be in [1, length={length}], got {spike_width}."
        )
    if not 0.0 <= anomaly_ratio <= 1.0:
        raise ValueError(f"anomaly_ratio must be in [0, 1], got {anomaly_ratio}.")
    rng = check_random_state(random_state)
    n_anomalies = round(n_samples * anomaly_ratio)
    y = np.zeros(n_samples, dtype=np.int64)
    y[:n_anomalies] = 1
    rng.shuffle(y)
    t = np.linspace(0.0, 4.0 * np.pi, length)
    noise_scale = np.where(y == 1, 0.3, 0.1)[:, np.newaxis]
    X = np.sin(t) + rng.normal(0.0, 1.0, size=(n_samples, length)) * noise_scale
    anomalous = np.flatnonzero(y == 1)
    starts = rng.randint(0, length - spike_width + 1, size=anomalous.size)
    columns = starts[:, np.newaxis] + np.arange(spike_width)
    X[anomalous[:, np.newaxis], columns] += rng.normal(
        3.0, 0.5, size=(anomalous.size, spike_width)
    )
    return X[:, np.newaxis, :], y
