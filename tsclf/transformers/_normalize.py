"""Per-window standardisation."""

from __future__ import annotations

from numbers import Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from tsclf.transformers._series import SeriesOutputMixin
from tsclf.utils.constraints import Interval
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
        Windows whose standard deviation is below ``1000 * eps`` (a signal
        in small units) or whose squares overflow (float32 amplitudes above
        about 1e18) are standardised in float64 on a copy scaled to a peak
        of 1, where ``eps`` is then relative to the window's peak: a window
        of amplitude 1e-9 comes out with unit standard deviation, not 0.09.
        Every other window is computed as ``(x - mean) / (std + eps)`` in
        the input's precision. Constant windows map to zeros.

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

    _parameter_constraints: ClassVar[dict] = {
        "eps": [Interval(Real, 0, 1, closed="neither")],
    }

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
        self._validate_params()
        X = validate_data(self, as_numpy_panel(X), reset=True, allow_nd=True)
        if X.shape[-1] < 2:
            raise ValueError(
                "WindowStandardizer needs windows of at least 2 samples, got "
                f"1 feature(s) per window (X of shape {X.shape}): one sample "
                "has no spread to standardise."
            )
        return self

    def transform(self, X) -> np.ndarray:
        """Standardise each window; the output has the shape of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        Z : ndarray of the same shape as ``X``
            float32 for float32 input, float64 otherwise (integers
            included).
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            as_numpy_panel(X),
            reset=False,
            allow_nd=True,
            dtype=[np.float64, np.float32],
        )
        with np.errstate(over="ignore", invalid="ignore"):
            mean = X.mean(axis=-1, keepdims=True)
            std = X.std(axis=-1, keepdims=True)
            Z = ((X - mean) / (std + self.eps)).astype(X.dtype, copy=False)
        # Ill-conditioned windows: redone on a float64 copy scaled to peak 1.
        redo = ~np.isfinite(std[..., 0]) | (std[..., 0] < 1e3 * self.eps)
        if redo.any():
            W = X[redo].astype(np.float64)
            peak = np.abs(W).max(axis=-1, keepdims=True)
            W /= np.where(peak > 0, peak, 1.0)
            centred = W - W.mean(axis=-1, keepdims=True)
            Z[redo] = centred / (centred.std(axis=-1, keepdims=True) + self.eps)
        return Z

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
