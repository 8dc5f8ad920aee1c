"""Shared base of the transformers that map windows to other windows."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsclf.utils.validation import validate_series


class SeriesOutputMixin:
    """``set_output`` for transformers whose output is series, not a table.

    A scikit-learn ``Pipeline.set_output(transform="pandas")`` sets the
    output of every step; a step without ``set_output`` makes it fail. A
    batch of series (3-D) or images (4-D) has no DataFrame form, so these
    transformers accept the setting and keep returning numpy arrays; the
    tabular steps after them (features, :class:`Flatten`) honour it.
    """

    def set_output(self, *, transform: str | None = None):
        """Accept a Pipeline's output setting; series stay numpy arrays.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None

        Returns
        -------
        self : transformer
        """
        if transform not in (None, "default", "pandas", "polars"):
            raise ValueError(
                "transform must be 'default', 'pandas', 'polars' or None, "
                f"got {transform!r}."
            )
        return self


class SeriesTransformer(SeriesOutputMixin, TransformerMixin, BaseEstimator):
    """Base of the transformers from windows to windows of another kind.

    ``fit`` validates the input and its parameters and remembers the window
    length; ``transform`` accepts windows of that length only, since the
    output's shape depends on it.
    """

    def fit(self, X, y=None):
        """Validate the input and remember the window length.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored

        Returns
        -------
        self : transformer
        """
        self._validate_params()
        X = validate_series(self, X, reset=True, dtype=[np.float64, np.float32])
        self.n_channels_, self.length_ = X.shape[1], X.shape[2]
        return self

    def _checked(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_series(self, X, reset=False, dtype=[np.float64, np.float32])
        if X.shape[2] != self.length_:
            raise ValueError(
                f"X has windows of {X.shape[2]} samples; {type(self).__name__} was "
                f"fitted on {self.length_}."
            )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
