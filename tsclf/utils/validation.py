"""Input validation shared by tsclf's transformers and estimators."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

from tsclf.utils.constraints import Interval

#: ``_parameter_constraints`` entry of every ``sampling_rate`` (in Hz).
SAMPLING_RATE = [Interval(Real, 0, None, closed="neither")]


def _is_sktime_panel(X) -> bool:
    """Whether ``X`` is one of sktime's pandas panel formats.

    ``pd-multiindex``: rows indexed by (instance, time point), one column
    per channel. ``nested_univ``: one row per instance, one column per
    channel, each cell a series.
    """
    if not isinstance(X, pd.DataFrame) or X.empty:
        return False
    if isinstance(X.index, pd.MultiIndex):
        return True
    nested = all(dtype == np.dtype(object) for dtype in X.dtypes)
    return nested and isinstance(X.iat[0, 0], pd.Series)


def as_numpy_panel(X):
    """Convert sktime's ``pd-multiindex`` and ``nested_univ`` panels to 3-D arrays.

    Converted by sktime's own converter (``sktime.datatypes.convert_to``);
    anything else is returned as it is.

    Parameters
    ----------
    X : object

    Returns
    -------
    X : ndarray of shape (n_series, n_channels, length), or ``X`` unchanged

    Raises
    ------
    ValueError
        When the panel's series differ in length (tsclf needs equal lengths)
        or sktime cannot read it.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime.datatypes import convert_to
    >>> from tsclf.utils.validation import as_numpy_panel
    >>> X = np.arange(12.0).reshape(2, 2, 3)
    >>> panel = convert_to(X, to_type="pd-multiindex")
    >>> panel.shape, as_numpy_panel(panel).shape
    ((6, 2), (2, 2, 3))
    """
    if not _is_sktime_panel(X):
        return X
    from sktime.datatypes import check_is_mtype, convert_to

    for mtype in ("pd-multiindex", "nested_univ"):
        valid, _, metadata = check_is_mtype(
            X, mtype, scitype="Panel", return_metadata=["is_equal_length"]
        )
        if valid:
            if not metadata["is_equal_length"]:
                raise ValueError(
                    f"X is an sktime {mtype} panel of series of unequal lengths; "
                    "tsclf needs equal lengths (resample or cut them first)."
                )
            return convert_to(X, to_type="numpy3D", as_scitype="Panel")
    raise ValueError(
        "X looks like an sktime panel (a MultiIndex or nested series) but sktime "
        "cannot read it as pd-multiindex or nested_univ; see "
        "sktime.datatypes.check_raise."
    )


def validate_series(
    estimator, X, *, reset: bool, dtype=np.float64, y="no_validation", **check_params
):
    """Validate a batch of series and return it as a 3-D array.

    Accepts ``(n_series, length)`` arrays and wide DataFrames (one column
    per time step, univariate), ``(n_series, n_channels, length)`` arrays,
    and sktime's ``pd-multiindex`` and ``nested_univ`` panels (converted by
    sktime; see :func:`as_numpy_panel`). ``n_features_in_`` follows
    scikit-learn: the size of the second axis.

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
    X = as_numpy_panel(X)
    _refuse_ragged(X)
    skip_y = isinstance(y, str) and y == "no_validation"
    if not skip_y and y is not None:
        _check_label_columns(y)
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
    if X.shape[1] < 1 or X.shape[2] < 1:
        raise ValueError(
            f"X has {X.shape[1]} channel(s) of {X.shape[2]} time point(s); "
            "a series needs at least one of each."
        )
    return X if skip_y else (X, y)


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise unless it is an integer >= ``minimum``.

    ``True`` is refused although Python counts it as an int.

    Parameters
    ----------
    value : object
    name : str
        Named in the error.
    minimum : int, default=1
        The smallest value accepted (0 for a count that may be empty).

    Returns
    -------
    value : int

    Examples
    --------
    >>> from tsclf.utils.validation import check_positive_int
    >>> check_positive_int(3, "n_splits")
    3
    >>> check_positive_int(True, "n_splits")
    Traceback (most recent call last):
    ...
    ValueError: n_splits must be a positive int, got True.
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        wanted = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{name} must be {wanted}, got {value!r}.")
    return int(value)


def check_y_given(estimator, y) -> None:
    """Raise scikit-learn's error for a supervised ``fit`` given ``y=None``.

    Parameters
    ----------
    estimator : estimator
        Named in the error.
    y : object

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from tsclf.utils.validation import check_y_given
    >>> check_y_given(LogisticRegression(), None)
    Traceback (most recent call last):
    ...
    ValueError: LogisticRegression requires y to be passed, but the target y is None.
    """
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )


def _refuse_ragged(X) -> None:
    """Say so when a list holds series of different lengths."""
    if not isinstance(X, list | tuple) or not X:
        return
    lengths = {np.shape(series) for series in X}
    if len(lengths) > 1:
        raise ValueError(
            f"X holds series of different shapes {sorted(lengths)[:4]}: a batch "
            "of series needs one length. Pad, crop or resample them first (for "
            ".ts files, load_ts_file(..., unequal_length='pad')), or cut windows "
            "of one length with tsclf.datasets.make_windows."
        )


def _check_label_columns(y) -> None:
    """Name the task column of ``y`` that holds missing or mixed labels."""
    if isinstance(y, pd.DataFrame | pd.Series):
        table, named = pd.DataFrame(y), True
    else:
        values = np.asarray(y)
        if values.ndim not in (1, 2) or values.shape[0] == 0:
            return  # shapes are validate_data's to refuse
        table, named = pd.DataFrame(values.reshape(values.shape[0], -1)), False
    for position, column in enumerate(table.columns):
        values = table[column]
        name = column if named else position
        missing = int(values.isna().sum())
        if missing:
            raise ValueError(
                f"y's task column {name!r} holds {missing} missing label(s) (None "
                "or NaN); every sample needs a label per task (use a label such "
                "as 'n/a' where a task does not apply)."
            )
        if values.dtype == object:
            kinds = {type(v).__name__ for v in values if not isinstance(v, str)}
            if kinds and any(isinstance(v, str) for v in values):
                raise ValueError(
                    f"y's task column {name!r} mixes strings with {sorted(kinds)}; "
                    "give each task one type of label (for example "
                    "y.astype(str))."
                )


@contextlib.contextmanager
def explaining_missing_groups(groups, message: str) -> Iterator[None]:
    """Replace a splitter's "groups" error, when no groups were given.

    scikit-learn's group splitters say only that ``groups`` should not be
    None; ``message`` says where the caller's groups should come from.
    """
    try:
        yield
    except ValueError as error:
        if groups is not None or "groups" not in str(error):
            raise
        raise ValueError(message) from error
