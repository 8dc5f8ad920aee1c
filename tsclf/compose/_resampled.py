"""Resampling the training windows, the rows' metadata following them."""

from __future__ import annotations

from typing import Any, ClassVar

from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.utils.metaestimators import available_if

# scikit-learn keeps _check_method_params private (no public function takes
# the rows of every fit parameter that has one per sample).
from sklearn.utils.validation import _check_method_params, check_is_fitted

from tsclf.metrics import MultiTaskClassifierMixin
from tsclf.utils.constraints import HasMethods
from tsclf.utils.defaults import estimator_has
from tsclf.utils.routing import RoutesFitToEstimatorMixin
from tsclf.utils.validation import check_y_given


class ResampledClassifier(
    RoutesFitToEstimatorMixin,
    MetaEstimatorMixin,
    MultiTaskClassifierMixin,
    BaseEstimator,
):
    """Resample the training windows, then fit a classifier on them.

    An :class:`imblearn.pipeline.Pipeline` resamples ``X`` and ``y`` only:
    the ``groups`` (and sample weights) routed to the classifier after the
    resampler are still the input's, one per input row, and a deep
    estimator that holds out recordings for early stopping cannot use
    them. This classifier resamples with ``resampler``, then hands
    ``estimator.fit`` every per-row argument (``groups``, ``sample_weight``,
    ``conditions``) taken at the resampler's ``sample_indices_``: each new
    row carries its source row's recording. Prediction is the fitted
    ``estimator``'s.

    Parameters
    ----------
    resampler : sampler, default=None
        Required: it must record ``sample_indices_`` after
        ``fit_resample``, as :class:`~tsclf.resampling.MultiTaskResampler`
        and imbalanced-learn's random under- and over-samplers do. Cloned.
    estimator : classifier, default=None
        Required; cloned in ``fit``.

    Attributes
    ----------
    resampler_ : sampler
        The fitted clone.
    estimator_ : classifier
        The clone fitted on the resampled rows.
    classes_ : ndarray or list of ndarray
        The fitted estimator's classes.

    See Also
    --------
    tsclf.resampling.MultiTaskResampler : Resampling windows with several labels.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn.over_sampling import RandomOverSampler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from tsclf.compose import ResampledClassifier
    >>> from tsclf.resampling import MultiTaskResampler
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> recordings = np.array(["a", "a", "b", "b", "c", "d"])
    >>> model = ResampledClassifier(
    ...     MultiTaskResampler(RandomOverSampler(random_state=0)), LogisticRegression()
    ... )
    >>> model.fit(X, y).resampler_.sample_indices_.tolist()
    [0, 1, 2, 3, 4, 5, 4, 5]
    >>> recordings[model.resampler_.sample_indices_].tolist()  # what fit routes
    ['a', 'a', 'b', 'b', 'c', 'd', 'c', 'd']
    """

    _parameter_constraints: ClassVar[dict] = {
        "resampler": [HasMethods(["fit_resample"])],
        "estimator": [HasMethods(["fit", "predict"])],
    }

    def __init__(self, resampler: Any = None, estimator: Any = None) -> None:
        self.resampler = resampler
        self.estimator = estimator

    def fit(self, X, y, **fit_params) -> ResampledClassifier:
        """Resample ``X`` and ``y``, then fit ``estimator`` with the rows' metadata.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        **fit_params : dict
            Passed to ``estimator.fit`` (under metadata routing, what it
            requests); those with one entry per row of ``X`` are taken at
            the resampled rows' sources.

        Returns
        -------
        self : ResampledClassifier
        """
        self._validate_params()
        fit_params = self._estimator_fit_params(fit_params)
        check_y_given(self, y)
        self.resampler_ = clone(self.resampler)
        X_resampled, y_resampled = self.resampler_.fit_resample(X, y)
        sources = getattr(self.resampler_, "sample_indices_", None)
        if sources is None:
            name = type(self.resampler).__name__
            raise ValueError(
                f"{name} does not say which input row each resampled row comes "
                "from (no sample_indices_ after fit_resample), so the rows' "
                f"groups and weights cannot follow them. Wrap it: "
                f"tsclf.resampling.MultiTaskResampler({name}(...)) records them "
                "(for synthetic rows, the nearest input row of the same label)."
            )
        fit_params = _check_method_params(X, fit_params, indices=sources)
        self.estimator_ = clone(self.estimator).fit(
            X_resampled, y_resampled, **fit_params
        )
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def predict(self, X):
        """Predict with the fitted ``estimator``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_tasks)
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Predict class probabilities with the fitted ``estimator``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), or one per task
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.estimator is not None:
            inner = clone(self.estimator).__sklearn_tags__()
            tags.input_tags.allow_nan = inner.input_tags.allow_nan
            tags.target_tags.multi_output = inner.target_tags.multi_output
        return tags
