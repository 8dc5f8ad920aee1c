"""Cesium time-series features as a scikit-learn transformer."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from numbers import Integral
from typing import ClassVar

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._cesium_fast import FAST_FEATURES, fast_features
from tsclf.utils.constraints import StrOptions
from tsclf.utils.validation import SAMPLING_RATE, validate_series

#: Largest number of series featurized in one piece by the fast engine,
#: which bounds its memory (about 0.5 MB per series of length 1200).
_FAST_CHUNK = 256

#: The eleven features of the reference study.
DEFAULT_FEATURES = (
    "amplitude",
    "percent_beyond_1_std",
    "maximum",
    "max_slope",
    "median",
    "median_absolute_deviation",
    "percent_close_to_median",
    "minimum",
    "period_fast",
    "skew",
    "std",
)


def _cesium_chunk(X: np.ndarray, times: np.ndarray, features: list[str]) -> np.ndarray:
    """Cesium's own features for a chunk, as (n_series, n_channels, n_features)."""
    import dask
    from cesium.featurize import featurize_time_series

    table = featurize_time_series(
        times=[times] * X.shape[0],
        values=list(X),
        features_to_use=features,
        scheduler=dask.get,
    )
    # cesium orders columns feature-major: (feature, channel)
    values = table.to_numpy(dtype=np.float64)
    return values.reshape(X.shape[0], len(features), X.shape[1]).transpose(0, 2, 1)


def _features_chunk(
    X: np.ndarray, sampling_rate: float, features: list[str], engine: str
) -> np.ndarray:
    """All features of a chunk, feature-major: (n_series, n_features * n_channels)."""
    n_series, n_channels, length = X.shape
    fast = [name for name in features if engine == "fast" and name in FAST_FEATURES]
    slow = [name for name in features if name not in fast]
    table = np.empty((n_series, n_channels, len(features)))
    if fast:
        columns = [features.index(name) for name in fast]
        flat = fast_features(X.reshape(-1, length), fast, sampling_rate)
        table[:, :, columns] = flat.reshape(n_series, n_channels, len(fast))
    if slow:
        columns = [features.index(name) for name in slow]
        times = np.arange(length) / sampling_rate
        table[:, :, columns] = _cesium_chunk(X, times, slow)
    return table.transpose(0, 2, 1).reshape(n_series, -1)


class CesiumFeatures(TransformerMixin, BaseEstimator):
    """Compute cesium features for each channel of each series.

    Every series is featurized as :func:`cesium.featurize.featurize_time_series`
    would featurize it, channel by channel, with sample times
    ``arange(length) / sampling_rate`` seconds and cesium's default
    measurement errors. The transformer is stateless: ``fit`` only validates
    the input and the feature names.

    Parameters
    ----------
    features : sequence of str, default=None
        Any cesium feature names; ``None`` uses the reference study's eleven
        (:data:`DEFAULT_FEATURES`).
    sampling_rate : float, default=1.0
        Samples per second, which sets the time axis of time-dependent
        features such as ``period_fast`` and ``max_slope``.
    engine : {"fast", "cesium"}, default="fast"
        ``"cesium"`` calls cesium for every series. ``"fast"`` computes the
        features listed in :data:`FAST_FEATURES` for a whole batch at once
        with the same formulas (``period_fast`` included: the same
        Press-Rybicki periodogram and period search as cesium's gatspy
        backend), which agrees with cesium to rounding and is tens of times
        faster; any other feature is still computed by cesium.
    n_jobs : int, default=None
        Parallel jobs over chunks of series, as in joblib; -1 uses all
        cores, or all the workers of a dask cluster under
        ``joblib.parallel_config(backend="dask")``.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit`` (channels for 3-D input,
        time steps for 2-D input).
    n_channels_ : int
        Channels per series.
    features_ : list of str
        Feature names used.

    See Also
    --------
    BandEnergies : Spectral band energies, for vibration signals.
    EnvelopeSpectrum : Envelope-spectrum band energies, for bearing faults.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import CesiumFeatures
    >>> X = np.sin(np.linspace(0, 20, 100))[np.newaxis, np.newaxis, :].repeat(2, 0)
    >>> features = CesiumFeatures(features=["maximum", "std"]).fit(X)
    >>> features.transform(X).round(3)
    array([[1.   , 0.699],
           [1.   , 0.699]])
    >>> features.get_feature_names_out().tolist()
    ['maximum_ch0', 'std_ch0']

    The two engines agree:

    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(3, 200))
    >>> fast = CesiumFeatures(sampling_rate=100.0).fit_transform(X)
    >>> cesium = CesiumFeatures(sampling_rate=100.0, engine="cesium")
    >>> bool(np.allclose(fast, cesium.fit_transform(X), rtol=1e-9))
    True
    """

    def __init__(
        self,
        features: Sequence[str] | None = None,
        sampling_rate: float = 1.0,
        engine: str = "fast",
        n_jobs: int | None = None,
    ) -> None:
        self.features = features
        self.sampling_rate = sampling_rate
        self.engine = engine
        self.n_jobs = n_jobs

    _parameter_constraints: ClassVar[dict] = {
        "features": ["array-like", None],
        "sampling_rate": SAMPLING_RATE,
        "engine": [StrOptions({"fast", "cesium"})],
        "n_jobs": [Integral, None],
    }

    def _check_features(self) -> list[str]:
        from cesium.features import dask_feature_graph

        features = list(DEFAULT_FEATURES if self.features is None else self.features)
        if not features:
            raise ValueError("features must name at least one cesium feature.")
        unknown = [name for name in features if name not in dask_feature_graph]
        if unknown:
            raise ValueError(f"Unknown cesium features: {unknown}.")
        return features

    def fit(self, X, y=None) -> CesiumFeatures:
        """Validate the input and the feature names.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)
        y : ignored

        Returns
        -------
        self : CesiumFeatures
        """
        self._validate_params()
        self.features_ = self._check_features()
        X = _at_least_two_samples(validate_series(self, X, reset=True))
        self.n_channels_ = X.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        """Compute the features.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        features : ndarray of shape (n_series, n_features * n_channels)
            Feature-major: all channels of the first feature, then the next.
        """
        check_is_fitted(self)
        X = _at_least_two_samples(validate_series(self, X, reset=False))
        chunks = self._chunks(X.shape[0])
        args = (self.sampling_rate, self.features_, self.engine)
        parts = Parallel(n_jobs=self.n_jobs)(
            delayed(_features_chunk)(X[chunk], *args) for chunk in chunks
        )
        features = np.concatenate(parts)
        bad = ~np.isfinite(features)
        if bad.any():
            names = self.get_feature_names_out()[bad.any(axis=0)].tolist()
            warnings.warn(
                f"CesiumFeatures: {int(bad.any(axis=1).sum())} of {len(features)} "
                f"windows gave non-finite values for {names}, as cesium does on "
                "constant (or near-constant) windows and extreme amplitudes. "
                "Impute or drop them before a model that refuses NaN.",
                RuntimeWarning,
                stacklevel=2,
            )
        return features

    def _chunks(self, n_series: int) -> list[np.ndarray]:
        """Split the series into pieces for the workers."""
        # Under joblib's dask backend this is the cluster's worker count.
        n_workers = effective_n_jobs(self.n_jobs)
        # cesium's per-series cost dwarfs any per-chunk overhead; the fast
        # engine wants few, large chunks, capped for memory.
        n_chunks = 4 * n_workers
        if self.engine == "fast":
            n_chunks = max(n_workers, -(-n_series // _FAST_CHUNK))
        n_chunks = max(1, min(n_series, n_chunks))
        return np.array_split(np.arange(n_series), n_chunks)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Return ``<feature>_ch<channel>`` for each output column.

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
                f"{name}_ch{channel}"
                for name in self.features_
                for channel in range(self.n_channels_)
            ],
            dtype=object,
        )


def _at_least_two_samples(X: np.ndarray) -> np.ndarray:
    """``X`` itself, once checked to hold windows of two samples or more."""
    if X.shape[2] < 2:
        raise ValueError(
            "CesiumFeatures needs windows of at least 2 samples, got "
            f"{X.shape[2]} feature(s) per window (its moments, spectrum and period "
            "have no meaning on one sample)."
        )
    return X
