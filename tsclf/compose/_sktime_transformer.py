"""An sktime transformer as a scikit-learn step, safe in any Pipeline."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from tsclf.utils.constraints import HasMethods
from tsclf.utils.validation import validate_series


class SktimeTransformer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Run an sktime transformer (MiniRocket, Rocket, ...) as a scikit-learn step.

    scikit-learn 1.9's ``Pipeline`` sets and deletes an attribute on each of
    its steps while it fits them, and sktime's ``fit`` resets the object,
    deleting it first: ``make_pipeline(MiniRocket(), RidgeClassifierCV())``
    fails with ``AttributeError: ... '_parent_callback_ctx'`` (sktime issues
    #10725 and #11173, no sktime release fixes it yet). This wrapper is a
    plain scikit-learn transformer that fits a clone of the sktime object
    inside, so the Pipeline never touches the sktime object. It also
    returns numpy arrays: a table (n_series, n_features) for
    series-to-features transformers (a DataFrame after
    ``set_output(transform="pandas")``), a 3-D array for series-to-series
    ones.

    Parameters
    ----------
    transformer : sktime transformer, default=None
        Required; cloned in ``fit`` (its settings are tunable as
        ``transformer__<name>``).

    Attributes
    ----------
    transformer_ : sktime transformer
        The fitted clone.
    n_features_in_ : int
        Channels of the series seen in ``fit``.

    Examples
    --------
    >>> from sklearn.linear_model import RidgeClassifierCV
    >>> from sklearn.pipeline import make_pipeline
    >>> from sktime.transformations.panel.rocket import MiniRocketMultivariate
    >>> from tsclf.compose import SktimeTransformer
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=40, random_state=0)
    >>> model = make_pipeline(
    ...     SktimeTransformer(MiniRocketMultivariate(num_kernels=84, random_state=0)),
    ...     RidgeClassifierCV(),
    ... ).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: ClassVar[dict] = {
        "transformer": [HasMethods(["fit", "transform", "clone", "get_tag"])],
    }

    def __init__(self, transformer=None) -> None:
        self.transformer = transformer

    def fit(self, X, y=None) -> SktimeTransformer:
        """Fit a clone of ``transformer`` on the series.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)
            Or any sktime panel format.
        y : array-like of shape (n_series,), default=None
            Passed to supervised transformers.

        Returns
        -------
        self : SktimeTransformer
        """
        self._validate_params()
        X = validate_series(self, X, reset=True, dtype=np.float64)
        self.transformer_ = self.transformer.clone()
        self.transformer_.fit(X, None if y is None else np.asarray(y))
        if not self._to_series():
            # Feature names (for set_output) need the width: one series shows it.
            self._n_features_out = np.shape(self.transformer_.transform(X[:1]))[1]
        return self

    def _to_series(self) -> bool:
        return self.transformer_.get_tag("scitype:transform-output") == "Series"

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the features: ``sktimetransformer0``, ``sktimetransformer1``...

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        names : ndarray of str

        Raises
        ------
        ValueError
            For a series-to-series transformer, whose 3-D output has no
            feature columns (and so no pandas output).
        """
        check_is_fitted(self, "transformer_")
        if self._to_series():
            raise ValueError(
                f"{type(self.transformer_).__name__} returns series (3-D "
                "windows), which have no feature names and no pandas output; "
                "set_output(transform='pandas') applies to series-to-features "
                "transformers."
            )
        return super().get_feature_names_out(input_features)

    def transform(self, X) -> np.ndarray:
        """Transform the series with the fitted sktime transformer.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        Xt : ndarray of shape (n_series, n_features) or (n_series, n_channels, length)
        """
        check_is_fitted(self, "transformer_")
        X = validate_series(self, X, reset=False, dtype=np.float64)
        Xt = self.transformer_.transform(X)
        if self._to_series():
            from sktime.datatypes import convert_to

            return np.asarray(convert_to(Xt, to_type="numpy3D"), dtype=np.float64)
        return np.asarray(Xt, dtype=np.float64)
