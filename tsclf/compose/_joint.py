"""One single-output classifier for several tasks, through their joint label."""

from __future__ import annotations

import copy
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from tsclf.metrics import MultiTaskClassifierMixin
from tsclf.utils.constraints import HasMethods
from tsclf.utils.defaults import estimator_has
from tsclf.utils.labels import joint_labels
from tsclf.utils.routing import RoutesFitToEstimatorMixin
from tsclf.utils.validation import check_y_given


class JointLabelClassifier(
    RoutesFitToEstimatorMixin,
    MetaEstimatorMixin,
    MultiTaskClassifierMixin,
    BaseEstimator,
):
    """Fit a single-output classifier on the joint label of a multi-task ``y``.

    Each distinct row of ``y`` (on CWRU, a (detection, location, size)
    triple) becomes one class of ``estimator``; predictions are split back
    into one column per task, so the tasks can never contradict each other
    (``score`` is the joint accuracy).
    :class:`~sklearn.multioutput.MultiOutputClassifier` fits one model per
    task instead. A 1-D ``y`` passes through unchanged.

    Parameters
    ----------
    estimator : classifier, default=None
        Required; cloned in ``fit`` (tunable as ``estimator__<name>``).

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone, whose classes are joint labels.
    classes_ : ndarray or list of ndarray
        Labels of each task (an array for a 1-D ``y``).
    joint_rows_ : ndarray of shape (n_joint_classes, n_tasks)
        The task labels of each of ``estimator_.classes_``.

    Examples
    --------
    >>> from sklearn.linear_model import RidgeClassifierCV
    >>> from sklearn.pipeline import make_pipeline
    >>> from tsclf.compose import JointLabelClassifier
    >>> from tsclf.datasets import load_cwru_windows
    >>> from tsclf.transformers import BandEnergies
    >>> windows = load_cwru_windows()
    >>> X, y = windows.X[::10], windows.y.iloc[::10]
    >>> model = JointLabelClassifier(
    ...     make_pipeline(BandEnergies(sampling_rate=12000), RidgeClassifierCV())
    ... ).fit(X, y)
    >>> model.predict(X[:2]).tolist()
    [['normal', 'n/a', 'n/a'], ['normal', 'n/a', 'n/a']]
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
    }

    def __init__(self, estimator=None) -> None:
        self.estimator = estimator

    def fit(self, X, y, **fit_params) -> JointLabelClassifier:
        """Fit ``estimator`` on the joint labels.

        Parameters
        ----------
        X : array-like
            Whatever ``estimator`` takes.
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        **fit_params : dict
            Passed to ``estimator.fit``; under metadata routing, what
            ``estimator`` requests of them.

        Returns
        -------
        self : JointLabelClassifier
        """
        self._validate_params()
        fit_params = self._estimator_fit_params(fit_params)
        check_y_given(self, y)
        values = np.asarray(y)
        if values.ndim not in (1, 2):
            raise ValueError(f"y must be 1-D or 2-D, got shape {values.shape}.")
        self.multi_output_ = values.ndim == 2
        if not self.multi_output_:
            self.estimator_ = clone(self.estimator).fit(X, values, **fit_params)
            self.classes_ = self.estimator_.classes_
            return self
        if any("|" in str(label) for label in np.unique(values.astype(str))):
            raise ValueError(
                "JointLabelClassifier joins task labels with '|'; a label "
                "holds '|', so its joint labels would be ambiguous."
            )
        labels = joint_labels(values)
        self.estimator_ = clone(self.estimator).fit(X, labels, **fit_params)
        _, first = np.unique(labels, return_index=True)
        rows = dict(zip(labels[first], values[first], strict=True))
        self.joint_rows_ = np.array([rows[label] for label in self.estimator_.classes_])
        self.classes_ = [np.unique(column) for column in values.T]
        return self

    def predict(self, X) -> np.ndarray:
        """Predict every task at once.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_tasks)
        """
        check_is_fitted(self, "estimator_")
        predicted = self.estimator_.predict(X)
        if not self.multi_output_:
            return predicted
        position = np.searchsorted(self.estimator_.classes_, predicted)
        return self.joint_rows_[position]

    @available_if(estimator_has("predict_proba"))
    def predict_joint_proba(self, X) -> np.ndarray:
        """Probabilities of the joint labels, rows of ``joint_rows_``.

        Averaging these over several classifiers fitted on the same
        labels and taking the most probable row keeps the tasks
        consistent, which averaging the per-task probabilities does not.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        proba : ndarray of shape (n_samples, n_joint_classes)
            For a 1-D ``y``, ``predict_proba``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X) -> np.ndarray | list[np.ndarray]:
        """Per-task probabilities: the joint probabilities summed per label.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        proba : ndarray or list of ndarray of shape (n_samples, n_classes)
            One array per task for a multi-task ``y``.
        """
        check_is_fitted(self, "estimator_")
        joint = self.estimator_.predict_proba(X)
        if not self.multi_output_:
            return joint
        return [
            np.column_stack(
                [
                    joint[:, self.joint_rows_[:, task] == label].sum(axis=1)
                    for label in labels
                ]
            )
            for task, labels in enumerate(self.classes_)
        ]

    @property
    def n_features_in_(self) -> int:
        """Number of features ``estimator_`` saw in ``fit``."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.n_features_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        if self.estimator is not None:  # takes what its estimator takes
            tags.input_tags = copy.deepcopy(get_tags(self.estimator).input_tags)
        return tags
