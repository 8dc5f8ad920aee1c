"""Input validation shared by tsclf's transformers and estimators."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import validate_data

#: ``_parameter_constraints`` entry of every ``sampling_rate`` (in Hz).
SAMPLING_RATE = [Interval(Real, 0, None, closed="neither")]


def validate_series(
    estimator, X, *, reset: bool, dtype=np.float64, y="no_validation", **check_params
):
    """Validate a batch of series and return it as a 3-D array.

    Accepts ``(n_series, length)`` arrays and wide DataFrames (one column
    per time step, univariate) and ``(n_series, n_channels, length)`` arrays.
    ``n_features_in_`` follows scikit-learn: the size of the second axis.

    Parameters
    ----------
    estimator : estimator instance
        Receives ``n_features_in_`` (and ``feature_names_in_`` for a
        DataFrame) when ``reset`` is True, and is checked against them
        otherwise.
    X : array-like of shape (n_series, length) or (n_series, n_channels, length)
    reset : bool
        True in ``fit``, False afterwards.
    dtype : numpy dtype, default=numpy.float64
    y : array-like or None, default="no_validation"
        Validated alongside ``X`` unless left at ``"no_validation"``; None
        raises scikit-learn's "requires y" error for supervised estimators.
    **check_params : dict
        Passed to :func:`sklearn.utils.validation.validate_data`.

    Returns
    -------
    X : ndarray of shape (n_series, n_channels, length)
    y : ndarray, only when ``y`` is validated
    """
    params = {"allow_nd": True, "dtype": dtype, **check_params}
    skip_y = isinstance(y, str) and y == "no_validation"
    if skip_y:
        X = validate_data(estimator, X, reset=reset, **params)
    else:
        X, y = validate_data(estimator, X, y, reset=reset, **params)
    if X.ndim == 2:
        X = X[:, np.newaxis, :]
    elif X.ndim != 3:
        raise ValueError(
            "X must have shape (n_series, length) or (n_series, n_channels, "
            f"length), got {X.shape}."
        )
    return X if skip_y else (X, y)
