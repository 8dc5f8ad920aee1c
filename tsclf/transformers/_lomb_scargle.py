"""Cesium's ``period_fast`` for a whole batch of evenly sampled series at once.

cesium computes ``period_fast`` one series at a time with gatspy's
``LombScargleFast``: the Press & Rybicki (1989) approximation of the
floating-mean Lomb-Scargle periodogram (Lagrange extirpolation of the data
onto a regular grid, then an FFT), scanned by gatspy's ``LinearScanOptimizer``
(a coarse pass with 5 points per peak width, then a 500-point-per-width zoom
on the five best separated peaks).

Every series of a batch shares the same sample times, so the extirpolation
is the same linear map for all of them: here it is built once as a sparse
matrix and applied to the whole batch, and the FFTs run over the batch. The
arithmetic follows gatspy step by step, so the period found is the same
grid point; values agree to rounding (about 1e-15 relative).
"""

from __future__ import annotations

import numpy as np
import scipy.fft
from scipy import sparse

#: Error cesium assigns to every sample when none is given.
CESIUM_DEFAULT_ERROR = 1e-4
_OVERSAMPLING = 5  # gatspy's trig_sum default: FFT points per frequency bin
_LAGRANGE_POINTS = 4  # gatspy's trig_sum default (Mfft)
_FIRST_PASS_COVERAGE = 5
_FINAL_PASS_COVERAGE = 500
_N_CANDIDATES = 5


def _next_power_of_two(n: float) -> int:
    return 1 << (int(n) - 1).bit_length()


def _extirpolation_matrix(positions: np.ndarray, n_grid: int) -> sparse.csr_matrix:
    """Sparse (n_samples, n_grid) map spreading samples onto a regular grid.

    A sample at integer position ``x`` lands on grid point ``x``; any other
    sample is spread over the 4 nearest grid points with Lagrange
    interpolation weights (Press & Rybicki 1989), so that sums of smooth
    functions over the samples equal sums over the grid.
    """
    n_points = _LAGRANGE_POINTS
    sample = np.arange(positions.size)
    on_grid = positions % 1 == 0
    rows = [sample[on_grid]]
    cols = [positions[on_grid].astype(int)]
    values = [np.ones(on_grid.sum())]

    x = positions[~on_grid]
    first = np.clip((x - n_points // 2).astype(int), 0, n_grid - n_points)
    offsets = x - first
    product = np.prod(offsets - np.arange(n_points)[:, np.newaxis], axis=0)
    # Lagrange denominators prod_{m != k} (k - m) for k = n_points-1, ..., 0.
    denominator = float(np.prod(np.arange(1, n_points)))
    for step in range(n_points):
        if step > 0:
            denominator *= step / (step - n_points)
        index = first + (n_points - 1 - step)
        rows.append(sample[~on_grid])
        cols.append(index)
        values.append(product / (denominator * (x - index)))
    matrix = sparse.coo_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
        shape=(positions.size, n_grid),
    )
    return matrix.tocsr()


class _TrigSums:
    """Approximate sums of ``h(t) cos/sin(2 pi f t)`` on a frequency grid.

    For frequencies ``f = factor * (f0 + df * arange(n_freq))``; ``f0`` may
    differ per row of ``h``. Sample times must start at zero.
    """

    def __init__(self, times: np.ndarray, df: float, n_freq: int, factor: int):
        self.times = times
        self.df = df * factor
        self.factor = factor
        self.n_freq = n_freq
        self.n_fft = _next_power_of_two(n_freq * _OVERSAMPLING)
        positions = (times * self.n_fft * self.df) % self.n_fft
        spread = _extirpolation_matrix(positions, self.n_fft)
        # The samples may land on only the first few grid points (the zoom
        # pass covers a tiny frequency span); then a direct transform of those
        # points is far cheaper than an FFT of the whole, mostly empty, grid.
        support = spread.indices.max() + 1
        self.direct = support * n_freq < self.n_fft * np.log2(self.n_fft)
        if self.direct:
            self.spread_support_t = spread[:, :support].toarray().T.copy()
            exponent = np.outer(np.arange(n_freq), np.arange(support)) % self.n_fft
            self.transform = np.exp(2j * np.pi * exponent / self.n_fft)
        else:
            self.spread_t = spread.T.tocsr()

    def __call__(self, h: np.ndarray, f0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (S, C), each of shape (n_freq, n_rows).

        ``h`` is (n_rows, n_samples), or (n_samples,) shared by every row;
        ``f0`` is (n_rows,), all positive.
        """
        # Rows share few distinct f0, so each phase factor is computed once.
        unique_f0, inverse = np.unique(f0, return_inverse=True)
        phase = np.exp(
            2j * np.pi * (unique_f0 * self.factor)[:, np.newaxis] * self.times
        )
        shifted = h * phase[inverse]
        # Frequency-major results (n_freq, n_rows), C-ordered, so that the
        # element-wise algebra downstream runs over contiguous memory.
        if self.direct:
            spectrum = self.transform @ (self.spread_support_t @ shifted.T)
            return spectrum.imag, spectrum.real
        grid = self.spread_t @ shifted.T
        spectrum = scipy.fft.ifft(grid, axis=0)[: self.n_freq]
        return self.n_fft * spectrum.imag, self.n_fft * spectrum.real


def error_weights(n_samples: int) -> np.ndarray:
    """Inverse-variance weights of cesium's default errors, as cesium builds them."""
    return 1.0 / np.full(n_samples, CESIUM_DEFAULT_ERROR) ** 2


def _weights(n_samples: int) -> np.ndarray:
    weights = error_weights(n_samples)
    return weights / weights.sum()


def _floating_mean_power(
    centered: np.ndarray,
    YY: np.ndarray,
    weights: np.ndarray,
    f0: np.ndarray,
    sums: _TrigSums,
    double_sums: _TrigSums,
) -> np.ndarray:
    """Floating-mean Lomb-Scargle power (Zechmeister & Kuerster 2009).

    ``centered`` holds the weighted-mean-removed series, one row per
    frequency grid (``f0`` per row), and ``YY`` their weighted sums of
    squares. The terms that depend only on the sample times and ``f0`` are
    computed once per distinct ``f0``. Returns the power frequency-major:
    (n_freq, n_rows).
    """
    unique_f0, inverse = np.unique(f0, return_inverse=True)
    S2, C2 = double_sums(weights, unique_f0)
    S, C = sums(weights, unique_f0)
    tan_2wt = (S2 - 2 * S * C) / (C2 - (C * C - S * S))
    tan_2wt[0] = np.where(np.isnan(tan_2wt[0]), 0, tan_2wt[0])
    S2w = tan_2wt / np.sqrt(1 + tan_2wt * tan_2wt)
    C2w = 1 / np.sqrt(1 + tan_2wt * tan_2wt)
    Cw = np.sqrt(0.5) * np.sqrt(1 + C2w)
    Sw = np.sqrt(0.5) * np.sign(S2w) * np.sqrt(1 - C2w)
    CC = 0.5 * (1 + C2 * C2w + S2 * S2w) - (C * Cw + S * Sw) ** 2
    SS = 0.5 * (1 - C2 * C2w - S2 * S2w) - (S * Cw - C * Sw) ** 2
    if unique_f0.size > 1:  # else broadcast the single column
        Cw, Sw, CC, SS = (term[:, inverse] for term in (Cw, Sw, CC, SS))

    Sh, Ch = sums(weights * centered, f0)
    YC = Ch * Cw + Sh * Sw
    YS = Sh * Cw - Ch * Sw
    power = (YC * YC / CC + YS * YS / SS) / YY
    power[0] = np.where(np.isnan(power[0]) | np.isinf(power[0]), 0, power[0])
    return power


def lomb_scargle_period(values: np.ndarray, sampling_rate: float) -> np.ndarray:
    """Best Lomb-Scargle period of each series, as cesium's ``period_fast``.

    Parameters
    ----------
    values : ndarray of shape (n_series, length)
        Evenly sampled series, ``length >= 3``.
    sampling_rate : float
        Samples per second; sample ``i`` is at ``i / sampling_rate`` seconds.

    Returns
    -------
    periods : ndarray of shape (n_series,)
        In seconds, searched between two samples and the series' span.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        # Degenerate series (constant, two samples) divide by zero as in
        # cesium; their period is then as arbitrary as cesium's.
        return _period(np.asarray(values, dtype=np.float64), sampling_rate)


def _period(values: np.ndarray, sampling_rate: float) -> np.ndarray:
    n_series, length = values.shape
    times = np.arange(length) / sampling_rate
    span = times.max() - times.min()
    weights = _weights(length)
    # Row by row with np.dot, as gatspy does: a batched product rounds
    # differently, which matters for (near-)constant series, whose
    # periodogram is all rounding noise.
    centered = values - np.array([np.dot(weights, row) for row in values])[:, None]
    YY = np.array([np.dot(weights, row**2) for row in centered])

    # Coarse pass: 5 grid points per peak width, from 1/span to Nyquist.
    width = 2 * np.pi / span
    omega_step = width / _FIRST_PASS_COVERAGE
    omega_min = 2 * np.pi / span
    omega_max = 2 * np.pi / (2 * span / length)
    omegas = np.arange(omega_min, omega_max + omega_step, omega_step)
    df = omega_step / (2 * np.pi)
    sums = _TrigSums(times, df, omegas.size, factor=1)
    double_sums = _TrigSums(times, df, omegas.size, factor=2)
    f0 = np.full(n_series, omega_min / (2 * np.pi))
    power = _floating_mean_power(centered, YY, weights, f0, sums, double_sums)
    score = np.ascontiguousarray(power.T)

    # The five best peaks, each masking its neighbours within one peak width.
    half_width = int(1 + width // omega_step)
    floor = score.min(axis=1, keepdims=True)
    # Columns best - half_width .. best + half_width - 1; clipping to the
    # array keeps the same set as gatspy's slice [max(0, lo):hi].
    around = np.arange(-half_width, half_width)
    rows = np.arange(n_series)[:, np.newaxis]
    candidates = np.empty((n_series, _N_CANDIDATES))
    for rank in range(_N_CANDIDATES):
        best = np.argmax(score, axis=1)
        candidates[:, rank] = omegas[best]
        masked = np.clip(best[:, np.newaxis] + around, 0, score.shape[1] - 1)
        score[rows, masked] = floor
    candidates /= 2 * np.pi

    # Zoom: 500 points per peak width across each candidate's coarse cell.
    offset = -omega_step / (2 * np.pi)
    fine_df = width / _FINAL_PASS_COVERAGE / (2 * np.pi)
    n_fine = int(abs(2 * offset) // fine_df)
    steps = offset + fine_df * np.arange(n_fine)
    fine_sums = _TrigSums(times, fine_df, n_fine, factor=1)
    fine_double_sums = _TrigSums(times, fine_df, n_fine, factor=2)
    zoom_f0 = (candidates + offset).ravel()
    zoom = _floating_mean_power(
        np.repeat(centered, _N_CANDIDATES, axis=0),
        np.repeat(YY, _N_CANDIDATES),
        weights,
        zoom_f0,
        fine_sums,
        fine_double_sums,
    ).T.reshape(n_series, _N_CANDIDATES, n_fine)
    best_step = np.argmax(zoom, axis=2)
    best_candidate = np.argsort(zoom.max(axis=2), axis=1)[:, -1]
    series = np.arange(n_series)
    frequency = (
        steps[best_step[series, best_candidate]] + candidates[series, best_candidate]
    )
    return 1.0 / frequency
