"""Windows as table rows: the step between a series transformer and a tabular model."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from tsclf.utils.validation import as_numpy_panel, validate_series


class Flatten(TransformerMixin, BaseEstimator):
    """Reshape windows (n_windows, n_channels, length) into rows of a table.

    Puts a transformer that returns series (a scaler, a spectrum, a
    spectrogram) in front of a tabular model such as a random forest. The
    columns are named ``c<channel>_t<time>`` (``get_feature_names_out``), so
    ``set_output(transform="pandas")`` works. Images of shape
    (n, channels, height, width) flatten the same way, named
    ``c<channel>_h<row>_w<column>``.

    Attributes
    ----------
    shape_ : tuple of int
        The shape of one window in ``fit``.
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import Flatten
    >>> X = np.arange(12.0).reshape(2, 2, 3)
    >>> flat = Flatten().fit(X)
    >>> flat.transform(X).shape, flat.get_feature_names_out()[:4].tolist()
    ((2, 6), ['c0_t0', 'c0_t1', 'c0_t2', 'c1_t0'])
    """

    def __init__(self) -> None:
        pass

    def _validate(self, X, reset: bool) -> np.ndarray:
        X = as_numpy_panel(X)
        if np.asarray(X).ndim == 4:  # images
            return validate_data(self, X, reset=reset, allow_nd=True)
        return validate_series(self, X, reset=reset, dtype=[np.float64, np.float32])

    def fit(self, X, y=None) -> Flatten:
        """Remember the shape of one window.

        Parameters
        ----------
        X : array-like of shape (n_windows, length), (n_windows, n_channels, length)
            or (n_windows, n_channels, height, width)
        y : ignored

        Returns
        -------
        self : Flatten
        """
        self.shape_ = self._validate(X, reset=True).shape[1:]
        return self

    def transform(self, X) -> np.ndarray:
        """Return one row per window.

        Parameters
        ----------
        X : array-like of the shape seen in ``fit``

        Returns
        -------
        rows : ndarray of shape (n_windows, n_channels * length)
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        if X.shape[1:] != self.shape_:
            raise ValueError(
                f"X has windows of shape {X.shape[1:]}; Flatten was fitted on "
                f"{self.shape_}."
            )
        return X.reshape(X.shape[0], -1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Column names: ``c<channel>_t<time>`` (images: ``_h<row>_w<column>``).

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        letters = "t" if len(self.shape_) == 2 else "hw"
        grid = np.indices(self.shape_).reshape(len(self.shape_), -1).T
        names = [
            f"c{index[0]}"
            + "".join(f"_{a}{i}" for a, i in zip(letters, index[1:], strict=True))
            for index in grid
        ]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
