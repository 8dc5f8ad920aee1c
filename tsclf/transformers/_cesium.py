"""Cesium time-series features as a scikit-learn transformer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsclf.utils.validation import validate_series

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


def _featurize_chunk(
    X: np.ndarray, times: np.ndarray, features: list[str]
) -> np.ndarray:
    import dask
    from cesium.featurize import featurize_time_series

    table = featurize_time_series(
        times=[times] * X.shape[0],
        values=list(X),
        features_to_use=features,
        scheduler=dask.get,
    )
    # cesium orders columns feature-major: (feature, channel)
    return table.to_numpy(dtype=np.float64)


class CesiumFeatures(TransformerMixin, BaseEstimator):
    """Compute cesium features for each channel of each series.

    Each series is featurized by :func:`cesium.featurize.featurize_time_series`
    with sample times ``arange(length) / sampling_rate`` seconds, channel by
    channel. The transformer is stateless: ``fit`` only validates the input.

    Parameters
    ----------
    features : sequence of str, default=None
        Any cesium feature names; ``None`` uses the reference study's eleven
        (:data:`DEFAULT_FEATURES`).
    sampling_rate : float, default=1.0
        Samples per second, which sets the time axis of time-dependent
        features such as ``period_fast`` and ``max_slope``.
    n_jobs : int, default=None
        Parallel jobs over chunks of series, as in joblib; -1 uses all cores.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit`` (channels for 3-D input,
        time steps for 2-D input).
    n_channels_ : int
        Channels per series.
    features_ : list of str
        Feature names used.

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
    """

    def __init__(
        self,
        features: Sequence[str] | None = None,
        sampling_rate: float = 1.0,
        n_jobs: int | None = None,
    ) -> None:
        self.features = features
        self.sampling_rate = sampling_rate
        self.n_jobs = n_jobs

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
        if not self.sampling_rate > 0:
            raise ValueError(
                f"sampling_rate must be positive, got {self.sampling_rate!r}."
            )
        self.features_ = self._check_features()
        X = validate_series(self, X, reset=True)
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
        X = validate_series(self, X, reset=False)
        times = np.arange(X.shape[2]) / self.sampling_rate
        n_chunks = max(1, min(X.shape[0], 4 * (abs(self.n_jobs or 1))))
        chunks = np.array_split(np.arange(X.shape[0]), n_chunks)
        parts = Parallel(n_jobs=self.n_jobs)(
            delayed(_featurize_chunk)(X[chunk], times, self.features_)
            for chunk in chunks
            if chunk.size
        )
        return np.concatenate(parts)

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
