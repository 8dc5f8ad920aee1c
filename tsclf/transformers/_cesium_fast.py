"""Cesium features computed for a whole batch of evenly sampled series at once.

Each function takes a :class:`Batch` (series of shape (n_series, length)
in float64, their sampling rate, and the statistics several features
share) and returns one value per series, computed with the same
formula, and where it matters the same numpy operations, as cesium's own
per-series function (cesium 0.12). Series are evenly sampled from time 0
and carry cesium's default measurement error (1e-4 for every sample), as
:class:`~tsclf.transformers.CesiumFeatures` passes them to cesium.

Features not listed in :data:`FAST_FEATURES` (the Lomb-Scargle harmonic
models, QSO fits, cadence histograms, normality tests) are left to cesium.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np
from scipy import stats

from tsclf.transformers._lomb_scargle import (
    CESIUM_DEFAULT_ERROR,
    error_weights,
    lomb_scargle_period,
)


class Batch:
    """A batch of evenly sampled series, with the statistics features share.

    Parameters
    ----------
    values : ndarray of shape (n_series, length)
        Float64, C-contiguous.
    sampling_rate : float
        Samples per second.
    """

    def __init__(self, values: np.ndarray, sampling_rate: float) -> None:
        self.values = values
        self.sampling_rate = sampling_rate

    @property
    def n_series(self) -> int:
        return self.values.shape[0]

    @property
    def length(self) -> int:
        return self.values.shape[1]

    @cached_property
    def median(self) -> np.ndarray:
        return np.median(self.values, axis=1)

    @cached_property
    def error_weights(self) -> np.ndarray:
        return error_weights(self.length)

    @cached_property
    def weighted_average(self) -> np.ndarray:
        return np.average(self.values, axis=1, weights=self.error_weights)

    @cached_property
    def weighted_std_dev(self) -> np.ndarray:
        deviation = (self.values - self.weighted_average[:, np.newaxis]) ** 2
        return np.sqrt(np.average(deviation, axis=1, weights=self.error_weights))

    @cached_property
    def flux(self) -> np.ndarray:
        # cesium's amplitude features read values as astronomical magnitudes.
        return 10.0 ** (-0.4 * self.values)

    @cached_property
    def stetson_deltas(self) -> np.ndarray:
        error = 0.1
        centre = _stetson_mean(self.values, 1.0 / error**2)
        n = self.length
        return np.sqrt(n / (n - 1.0)) * (self.values - centre[:, np.newaxis]) / error


FeatureFunction = Callable[[Batch], np.ndarray]


def _percent_amplitude(batch: Batch) -> np.ndarray:
    flux = batch.flux
    y_max, y_min, y_med = flux.max(axis=1), flux.min(axis=1), np.median(flux, axis=1)
    return np.maximum(np.abs((y_max - y_med) / y_med), np.abs((y_med - y_min) / y_med))


def _percent_difference_flux_percentile(batch: Batch) -> np.ndarray:
    y_95, y_50, y_5 = np.percentile(batch.flux, [95, 50, 5], axis=1)
    return (y_95 - y_5) / y_50


def _flux_percentile_ratio(percentile_range: int) -> FeatureFunction:
    def feature(batch: Batch) -> np.ndarray:
        y_high, y_low, y_95, y_5 = np.percentile(
            batch.flux,
            [50 + percentile_range / 2.0, 50 - percentile_range / 2.0, 95, 5],
            axis=1,
        )
        return (y_high - y_low) / (y_95 - y_5)

    return feature


def _percent_beyond_1_std(batch: Batch) -> np.ndarray:
    distance = np.abs(batch.values - batch.weighted_average[:, np.newaxis])
    return np.mean(distance > batch.weighted_std_dev[:, np.newaxis], axis=1)


def _percent_close_to_median(batch: Batch) -> np.ndarray:
    values = batch.values
    window = (values.max(axis=1) - values.min(axis=1)) * 0.1
    distance = np.abs(values - batch.median[:, np.newaxis])
    return np.mean(distance < window[:, np.newaxis], axis=1)


def _median_absolute_deviation(batch: Batch) -> np.ndarray:
    return np.median(np.abs(batch.values - batch.median[:, np.newaxis]), axis=1)


def _max_slope(batch: Batch) -> np.ndarray:
    times = np.arange(batch.length) / batch.sampling_rate
    return np.max(np.abs(np.diff(batch.values, axis=1) / np.diff(times)), axis=1)


def _stetson_mean(values: np.ndarray, weight: float) -> np.ndarray:
    """Cesium's iteratively reweighted mean, each series stopping on its own."""
    mean = np.median(values, axis=1)
    active = np.ones(values.shape[0], dtype=bool)
    for _ in range(20):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        x = values[rows]
        residual = np.abs(x - mean[rows, np.newaxis]) * np.sqrt(weight)
        reweight = weight / (1.0 + (residual / 2.0) ** 2.0)
        reweight /= reweight.mean(axis=1, keepdims=True)
        step = np.mean(x * reweight, axis=1) - mean[rows]
        mean[rows] += step
        converged = (np.abs(step) < 1.0e-6 * np.abs(mean[rows])) | (
            np.abs(step) < 1.0e-6
        )
        active[rows[converged]] = False
    return mean


def _stetson_j(batch: Batch) -> np.ndarray:
    p_k = batch.stetson_deltas**2 - 1.0
    return np.mean(np.sign(p_k) * np.sqrt(np.abs(p_k)), axis=1)


def _stetson_k(batch: Batch) -> np.ndarray:
    delta = batch.stetson_deltas
    return (
        1.0
        / 0.798
        * np.mean(np.abs(delta), axis=1)
        / np.sqrt(np.mean(delta**2, axis=1))
    )


def _constant(value: Callable[[int, float], float]) -> FeatureFunction:
    def feature(batch: Batch) -> np.ndarray:
        return np.full(batch.n_series, value(batch.length, batch.sampling_rate))

    return feature


#: Features the vectorized engine computes, by cesium name.
FAST_FEATURES: dict[str, FeatureFunction] = {
    "amplitude": lambda b: (np.max(b.values, axis=1) - np.min(b.values, axis=1)) / 2.0,
    "flux_percentile_ratio_mid20": _flux_percentile_ratio(20),
    "flux_percentile_ratio_mid35": _flux_percentile_ratio(35),
    "flux_percentile_ratio_mid50": _flux_percentile_ratio(50),
    "flux_percentile_ratio_mid65": _flux_percentile_ratio(65),
    "flux_percentile_ratio_mid80": _flux_percentile_ratio(80),
    "max_slope": _max_slope,
    "maximum": lambda b: np.max(b.values, axis=1),
    "mean": lambda b: np.mean(b.values, axis=1),
    "median": lambda b: b.median,
    "median_absolute_deviation": _median_absolute_deviation,
    "minimum": lambda b: np.min(b.values, axis=1),
    "percent_amplitude": _percent_amplitude,
    "percent_beyond_1_std": _percent_beyond_1_std,
    "percent_close_to_median": _percent_close_to_median,
    "percent_difference_flux_percentile": _percent_difference_flux_percentile,
    "period_fast": lambda b: lomb_scargle_period(b.values, b.sampling_rate),
    "skew": lambda b: stats.skew(b.values, axis=1),
    "std": lambda b: np.std(b.values, axis=1),
    "stetson_j": _stetson_j,
    "stetson_k": _stetson_k,
    "weighted_average": lambda b: b.weighted_average,
    "weighted_std_dev": lambda b: b.weighted_std_dev,
    # Features of the sample times and errors alone.
    "n_epochs": _constant(lambda n, rate: n),
    "total_time": _constant(lambda n, rate: (n - 1) / rate),
    "avgt": _constant(lambda n, rate: np.mean(np.arange(n) / rate)),
    "avg_err": _constant(lambda n, rate: np.mean(np.full(n, CESIUM_DEFAULT_ERROR))),
    "med_err": _constant(lambda n, rate: CESIUM_DEFAULT_ERROR),
    "std_err": _constant(lambda n, rate: np.std(np.full(n, CESIUM_DEFAULT_ERROR))),
}


def fast_features(
    values: np.ndarray, features: list[str], sampling_rate: float
) -> np.ndarray:
    """Compute ``features`` (all in :data:`FAST_FEATURES`) for every series.

    Parameters
    ----------
    values : ndarray of shape (n_series, length)
    features : list of str
    sampling_rate : float

    Returns
    -------
    table : ndarray of shape (n_series, len(features))
    """
    batch = Batch(np.ascontiguousarray(values, dtype=np.float64), sampling_rate)
    return np.column_stack([FAST_FEATURES[name](batch) for name in features])
