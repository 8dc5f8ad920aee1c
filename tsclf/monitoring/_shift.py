"""A pipeline step that warns when the series it sees leave the training range."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from scipy import stats
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, clone
from sklearn.covariance import LedoitWolf
from sklearn.model_selection import KFold, check_cv
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from tsclf.exceptions import InputShiftWarning
from tsclf.transformers import BandEnergies
from tsclf.utils.constraints import HasMethods, Interval
from tsclf.utils.validation import explaining_missing_groups, validate_series


def _passed_on(X):
    """``X`` as it came (arrays, DataFrames, panels); a nested list as an array."""
    return X if hasattr(X, "shape") else np.asarray(X)


def _p_value(p: float) -> str:
    """``p=3.1e-05``, or ``p<1e-16`` where the float no longer resolves it."""
    return "p<1e-16" if p < 1e-16 else f"p={p:.1e}"


@dataclass(frozen=True, eq=False)
class ShiftReport:
    """How far a batch of series sits from the training data.

    Attributes
    ----------
    n_samples : int
        Series in the batch.
    n_outside : int
        Series outside the training range (the range that holds
        ``quantile`` of new series like the training ones).
    expected_share : float
        The share expected outside when the batch is like the training data
        (``1 - quantile``).
    p_value : float
        Probability of ``n_outside`` or more under that share (binomial).
    shifted : bool
        Whether the monitor warns: at least ``alarm_share`` outside, and
        ``p_value`` below ``significance``.
    moved : tuple of (str, float)
        The three features whose batch mean moved most, each with its move
        in training standard deviations.
    outside : ndarray of shape (n_samples,)
        Whether each series is outside the range: the windows whose
        predictions to distrust first.
    distance : ndarray of shape (n_samples,)
        Each series' Mahalanobis distance in units of the range's edge:
        above 1 is outside. A stream that checks one window at a time
        thresholds this (or ``outside``): one series alone never raises
        the warning.
    """

    n_samples: int
    n_outside: int
    expected_share: float
    p_value: float
    shifted: bool
    moved: tuple[tuple[str, float], ...]
    outside: np.ndarray = field(repr=False)
    distance: np.ndarray = field(repr=False)

    @property
    def share_outside(self) -> float:
        """Share of the batch outside the training range."""
        return self.n_outside / self.n_samples


class ShiftMonitor(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Pass series through unchanged; warn when they leave the training range.

    A model trained on one machine answers on another without a word, even
    when its input looks nothing like what it learnt from (a network
    trained on a drive-end accelerometer predicts one class for nearly
    every fan-end window). Placed first in a pipeline, or in a deep
    estimator's ``preprocessor``, this step learns in ``fit`` how the
    training series spread in a feature space (log band energies by
    default: level and spectral shape) and, at every later ``transform``
    (that is, at ``predict``), counts the series outside the range that
    holds ``quantile`` of new series like the training ones (Mahalanobis
    distance under ``covariance``, calibrated on training series held out
    of it). When a batch has at least ``alarm_share`` of its series
    outside, and that many would be improbable from the training
    distribution (binomial test at ``significance``, so that a few series
    never raise it alone), it raises :class:`~tsclf.exceptions.InputShiftWarning`
    naming the features that moved most. The series themselves pass on
    untouched, so predictions do not change.

    The warning needs at least two series: one series outside a range of
    ``quantile=0.99`` has a binomial p-value of 0.01, above the default
    ``significance``. A stream that predicts one window at a time reads
    :meth:`check`'s per-series ``outside`` and ``distance`` instead (or
    checks its recent windows as one batch).

    ``adapt(X_new)`` makes unlabelled data of the new machine the reference
    (once the model itself is adapted to it): an
    :class:`~tsclf.compose.AdaptivePipeline`'s ``adapt`` and a deep
    estimator's reach it among their steps.

    Parameters
    ----------
    features : transformer or None, default=None
        Maps series to the feature vectors compared; cloned in ``fit``.
        None: ``BandEnergies(n_bands=16)``.
    covariance : covariance estimator or None, default=None
        A :mod:`sklearn.covariance` estimator (anything with ``fit`` and
        ``mahalanobis``); cloned in ``fit``. None: ``LedoitWolf()``, whose
        shrunk estimate stays well-conditioned on correlated features.
    quantile : float, default=0.99
        The training series' distance quantile that bounds the training
        range: about ``1 - quantile`` of series like the training ones lie
        outside it.
    alarm_share : float, default=0.1
        Smallest share of a batch outside the range that raises the warning.
    significance : float, default=0.001
        The binomial test's level: the warning needs a count outside the
        range less probable than this under ``1 - quantile``.
    cv : int or cross-validation splitter, default=5
        How the range is calibrated: each reference series' distance is
        measured by a ``covariance`` fitted without it (its fold held
        out), so that the range holds ``quantile`` of *new* series like
        the reference ones. Distances of the series a covariance was fitted
        on are too small wherever the series are few against the features
        (36 series of 16 features put 43 % of ArrowHead's test series
        outside such a range). An int is the number of shuffled folds
        (:class:`~sklearn.model_selection.KFold`); a splitter such as
        :class:`~sklearn.model_selection.GroupKFold` with ``groups`` passed
        to ``fit`` holds out whole recordings (in a ``Pipeline`` or as a
        deep estimator's ``preprocessor``, through metadata routing and
        ``set_fit_request(groups=True)``).
    random_state : int, RandomState instance or None, default=None
        Shuffles the folds when ``cv`` is an int.

    Attributes
    ----------
    features_ : transformer
        The fitted ``features``.
    covariance_ : covariance estimator
        Fitted on the reference features.
    threshold_ : float
        The ``quantile`` of the reference series' held-out Mahalanobis
        distances.
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Mean and standard deviation of each reference feature, to say which
        moved.
    feature_names_ : ndarray of str
        Names of the features (the transformer's, or ``feature<i>``).
    adapted_ : bool
        Whether the reference is a new domain's (``adapt``).
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.

    See Also
    --------
    tsclf.exceptions.InputShiftWarning : The warning, and what to do.
    tsclf.compose.AdaptivePipeline : Adapts every step that can.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from tsclf.monitoring import ShiftMonitor
    >>> rng = np.random.default_rng(0)
    >>> train = rng.normal(size=(300, 256))  # white noise
    >>> monitor = ShiftMonitor(random_state=0).fit(train)
    >>> monitor.check(rng.normal(size=(100, 256))).shifted
    False
    >>> smoothed = np.cumsum(rng.normal(size=(100, 256)), axis=1)  # red noise
    >>> report = monitor.check(smoothed)
    >>> report.shifted, report.n_outside
    (True, 100)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = monitor.transform(smoothed)
    >>> caught[0].category.__name__
    'InputShiftWarning'
    """

    _parameter_constraints: ClassVar[dict] = {
        "features": [HasMethods(["fit", "transform"]), None],
        "covariance": [HasMethods(["fit", "mahalanobis"]), None],
        "quantile": [Interval(Real, 0.5, 1, closed="neither")],
        "alarm_share": [Interval(Real, 0, 1, closed="right")],
        "significance": [Interval(Real, 0, 1, closed="neither")],
        "cv": [Interval(Integral, 2, None, closed="left"), "cv_object"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        features: Any = None,
        covariance: Any = None,
        quantile: float = 0.99,
        alarm_share: float = 0.1,
        significance: float = 0.001,
        cv: Any = 5,
        random_state: Any = None,
    ) -> None:
        self.features = features
        self.covariance = covariance
        self.quantile = quantile
        self.alarm_share = alarm_share
        self.significance = significance
        self.cv = cv
        self.random_state = random_state

    def fit(self, X, y=None, groups=None) -> ShiftMonitor:
        """Learn the range of the training series.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)
        y : ignored
        groups : array-like of shape (n_series,), default=None
            Passed to the ``cv`` splitter (recordings, for a group splitter).

        Returns
        -------
        self : ShiftMonitor
        """
        self._validate_params()
        series = self._reference_series(X, reset=True)
        try:
            features = (
                BandEnergies(n_bands=16) if self.features is None else self.features
            )
            self.features_ = clone(features).fit(series)
        except ValueError as error:
            raise ValueError(
                f"{type(self).__name__}'s features, {features!r}, do not fit "
                f"these series: {error} Pass features= suited to them."
            ) from error
        self._set_reference(self.features_.transform(series), groups)
        self.adapted_ = False
        return self

    def adapt(self, X) -> ShiftMonitor:
        """Make unlabelled series of a new domain the reference.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        self : ShiftMonitor
        """
        check_is_fitted(self)
        series = self._reference_series(X, reset=False)
        self._set_reference(self.features_.transform(series), None)
        self.adapted_ = True
        return self

    def _reference_series(self, X, *, reset: bool) -> np.ndarray:
        """Validate series to learn a range from (``fit``) or adapt it to."""
        series = validate_series(self, X, reset=reset)
        if series.shape[0] < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 series to learn a "
                f"range, got n_samples = {series.shape[0]}."
            )
        return series

    def _new_covariance(self):
        """Return a fresh clone of ``covariance`` (None: ``LedoitWolf()``)."""
        return LedoitWolf() if self.covariance is None else clone(self.covariance)

    def _set_reference(self, features: np.ndarray, groups) -> None:
        if not np.isfinite(features).all():
            raise ValueError(
                "The features of some series are NaN or infinite; the "
                "reference range cannot be learnt from them."
            )
        self.covariance_ = self._new_covariance().fit(features)
        self.threshold_ = self._held_out_quantile(features, groups)
        self.feature_mean_ = features.mean(axis=0)
        self.feature_scale_ = features.std(axis=0)
        self.feature_scale_[self.feature_scale_ == 0] = 1.0
        names = getattr(self.features_, "get_feature_names_out", None)
        self.feature_names_ = (
            np.asarray(names(), dtype=object)
            if names is not None
            else np.array([f"feature{i}" for i in range(features.shape[1])])
        )

    def _held_out_quantile(self, features: np.ndarray, groups) -> float:
        """``quantile`` of the distances of series a covariance did not see."""
        cv = self.cv
        if isinstance(cv, Integral):
            rng = check_random_state(self.random_state)
            cv = KFold(
                min(cv, features.shape[0]),
                shuffle=True,
                random_state=rng.randint(np.iinfo(np.int32).max),
            )
        distances = np.full(features.shape[0], np.inf)
        with explaining_missing_groups(
            groups,
            f"{type(self).__name__}(cv={self.cv!r}) needs groups: pass "
            "fit(X, groups=recordings), or in a Pipeline or a deep estimator's "
            "preprocessor enable metadata routing "
            "(sklearn.set_config(enable_metadata_routing=True)) and "
            "set_fit_request(groups=True) on the monitor.",
        ):
            splits = list(check_cv(cv).split(features, groups=groups))
        for train, held_out in splits:
            covariance = self._new_covariance().fit(features[train])
            distances[held_out] = covariance.mahalanobis(features[held_out])
        # A distance a degenerate fold left undefined counts as far.
        distances[~np.isfinite(distances)] = np.inf
        return float(np.quantile(distances, self.quantile))

    def check(self, X) -> ShiftReport:
        """Measure how far ``X`` sits from the reference; never warns.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        report : ShiftReport
        """
        check_is_fitted(self)
        features = self.features_.transform(validate_series(self, X, reset=False))
        distances = self.covariance_.mahalanobis(features)
        # A series whose features are not finite is outside any range.
        outside = ~(distances <= self.threshold_)
        n_samples, n_outside = features.shape[0], int(outside.sum())
        expected = 1.0 - self.quantile
        p_value = float(stats.binom.sf(n_outside - 1, n_samples, expected))
        shifted = n_outside >= self.alarm_share * n_samples and (
            p_value < self.significance
        )
        moves = (np.nanmean(features, axis=0) - self.feature_mean_) / (
            self.feature_scale_
        )
        order = np.argsort(-np.abs(np.nan_to_num(moves, nan=np.inf)))[:3]
        moved = tuple((str(self.feature_names_[i]), float(moves[i])) for i in order)
        with np.errstate(divide="ignore", invalid="ignore"):
            distance = np.where(np.isfinite(distances), distances, np.inf) / (
                self.threshold_
            )
        return ShiftReport(
            n_samples, n_outside, expected, p_value, shifted, moved, outside, distance
        )

    def transform(self, X):
        """Return ``X`` unchanged; warn when it left the reference range.

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)

        Returns
        -------
        X : the input, unchanged (a nested list as an array)
        """
        report = self.check(X)
        if report.shifted:
            reference = "adapted" if self.adapted_ else "training"
            moved = ", ".join(f"{name} {move:+.1f}" for name, move in report.moved)
            warnings.warn(
                f"{report.n_outside} of {report.n_samples} series "
                f"({report.share_outside:.0%}) lie outside the range of "
                f"{self.quantile:.0%} of the {reference} series (about "
                f"{report.expected_share:.0%} expected; binomial "
                f"{_p_value(report.p_value)}): the model's answers on them may be "
                f"wrong. Features that moved most, in standard deviations: {moved}. "
                "See tsclf.exceptions.InputShiftWarning for what to do.",
                InputShiftWarning,
                stacklevel=2,
            )
        return _passed_on(X)

    def fit_transform(self, X, y=None, groups=None):
        """Fit, and return ``X`` unchanged (the training data are the reference).

        Parameters
        ----------
        X : array-like of shape (n_series, length) or (n_series, n_channels, length)
        y : ignored
        groups : array-like of shape (n_series,), default=None
            Passed to the ``cv`` splitter, as in ``fit``.

        Returns
        -------
        X : the input, unchanged (a nested list as an array)
        """
        self.fit(X, y, groups=groups)
        return _passed_on(X)
