"""Scaling each channel of a batch of windows with statistics learnt in fit."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._series import SeriesOutputMixin
from tsclf.utils.constraints import HasMethods
from tsclf.utils.validation import as_numpy_panel, validate_series


class ChannelScaler(SeriesOutputMixin, TransformerMixin, BaseEstimator):
    """Scale every channel of the windows with a scikit-learn scaler fitted on them.

    scikit-learn's scalers learn one statistic per column of a 2-D table and
    refuse windows of shape (n_windows, n_channels, length). This one fits
    a clone of ``scaler`` on every time point of every training window, with
    the channels as columns, so each channel gets one statistic learnt on the
    training set (unlike :class:`WindowStandardizer`, which rescales each
    window by its own statistics and learns nothing). Use it in front of a
    network fed raw amplitudes, or of a regressor.

    Parameters
    ----------
    scaler : scikit-learn transformer or None, default=None
        A scaler of 2-D data: ``StandardScaler()``, ``MinMaxScaler()``,
        ``RobustScaler()``... Its parameters are nested: ``scaler__with_mean``.
        None: ``StandardScaler()``.

    Attributes
    ----------
    scaler_ : transformer
        The fitted clone; its statistics have one entry per channel.
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from tsclf.transformers import ChannelScaler
    >>> X = np.stack([np.zeros((4, 5)), np.arange(20.0).reshape(4, 5)], axis=1)
    >>> scaler = ChannelScaler(MinMaxScaler()).fit(X)
    >>> scaler.scaler_.data_max_
    array([ 0., 19.])
    >>> scaler.transform(X)[1, 1].round(3)
    array([0.263, 0.316, 0.368, 0.421, 0.474])
    """

    _parameter_constraints: ClassVar[dict] = {
        "scaler": [HasMethods(["fit", "transform"]), None],
    }

    def __init__(self, scaler: Any = None) -> None:
        self.scaler = scaler

    @staticmethod
    def _table(X: np.ndarray) -> np.ndarray:
        """(n, channels, length) as (n * length, channels)."""
        return X.transpose(0, 2, 1).reshape(-1, X.shape[1])

    @staticmethod
    def _windows(table: np.ndarray, shape: tuple, two_d: bool) -> np.ndarray:
        """Undo :meth:`_table`: windows of ``shape`` (2-D again if given 2-D)."""
        n, channels, length = shape
        Z = table.reshape(n, length, channels).transpose(0, 2, 1)
        return Z[:, 0, :] if two_d else Z

    def fit(self, X, y=None) -> ChannelScaler:
        """Fit a clone of ``scaler`` on the time points of every window.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : ChannelScaler
        """
        self._validate_params()
        X = validate_series(self, X, reset=True, dtype=[np.float64, np.float32])
        scaler = StandardScaler() if self.scaler is None else clone(self.scaler)
        self.scaler_ = scaler.fit(self._table(X))
        return self

    def transform(self, X) -> np.ndarray:
        """Scale each channel; the output has the shape of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        Z : ndarray of the same shape as ``X``
        """
        check_is_fitted(self)
        X = as_numpy_panel(X)
        two_d = np.asarray(X).ndim == 2  # (n, length) in, (n, length) out
        X = validate_series(self, X, reset=False, dtype=[np.float64, np.float32])
        table = np.asarray(self.scaler_.transform(self._table(X)), dtype=X.dtype)
        return self._windows(table, X.shape, two_d)

    def inverse_transform(self, X) -> np.ndarray:
        """Undo :meth:`transform`.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        X_original : ndarray of the same shape as ``X``
        """
        check_is_fitted(self)
        X = np.asarray(as_numpy_panel(X), dtype=np.float64)
        two_d = X.ndim == 2
        X = X[:, np.newaxis, :] if two_d else X
        table = self.scaler_.inverse_transform(self._table(X))
        return self._windows(table, X.shape, two_d)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
