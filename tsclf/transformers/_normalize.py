"""Per-window standardisation."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from tsclf.transformers._series import SeriesOutputMixin
from tsclf.utils.validation import as_numpy_panel


class WindowStandardizer(SeriesOutputMixin, TransformerMixin, BaseEstimator):
    """Z-score every window on its own, channel by channel.

    Unlike :class:`~sklearn.preprocessing.StandardScaler`, which learns one
    mean and scale per column over the training set, this removes each
    window's own offset and gain, as the reference study did before its deep
    models. It learns nothing in ``fit``. It is the deep estimators' default
    ``preprocessor``.

    Parameters
    ----------
    eps : float, default=1e-8
        Added to the standard deviation, so flat windows map to zeros.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import WindowStandardizer
    >>> X = np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]])
    >>> WindowStandardizer().fit_transform(X).round(3)
    array([[-1.225,  0.   ,  1.225],
           [-0.707, -0.707,  1.414]])
    """

    def __init__(self, eps: float = 1e-8) -> None:
        self.eps = eps

    def fit(self, X, y=None) -> WindowStandardizer:
        """Validate the input.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : WindowStandardizer
        """
        validate_data(self, as_numpy_panel(X), reset=True, allow_nd=True)
        return self

    def transform(self, X) -> np.ndarray:
        """Standardise each window; the output has the shape of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        Z : ndarray of the same shape as ``X``
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            as_numpy_panel(X),
            reset=False,
            allow_nd=True,
            dtype=[np.float64, np.float32],
        )
        mean = X.mean(axis=-1, keepdims=True)
        std = X.std(axis=-1, keepdims=True)
        return ((X - mean) / (std + self.eps)).astype(X.dtype, copy=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
