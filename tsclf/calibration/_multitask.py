"""Calibrating each task's probabilities of a fitted multi-task classifier."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted

from tsclf.metrics import MultiTaskClassifierMixin
from tsclf.utils.constraints import HasMethods, StrOptions
from tsclf.utils.labels import most_probable


class _OneTask(ClassifierMixin, BaseEstimator):
    """One task of a fitted multi-task classifier, as a fitted one-task one.

    Its classes are the positions 0..k-1 of the task's labels: the
    calibrator's cross-validated predictions index columns by class.
    """

    def __init__(self, estimator=None, task: int = 0) -> None:
        self.estimator = estimator
        self.task = task

    def fit(self, X, y):  # never called: it is wrapped in FrozenEstimator
        raise NotImplementedError

    def __sklearn_is_fitted__(self) -> bool:
        check_is_fitted(self.estimator)
        return True

    @property
    def classes_(self) -> np.ndarray:
        return np.arange(len(self.estimator.classes_[self.task]))

    def predict_proba(self, X) -> np.ndarray:
        return self.estimator.predict_proba(X)[self.task]

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class MultiTaskCalibratedClassifier(
    MultiTaskClassifierMixin, ClassifierMixin, BaseEstimator
):
    """Calibrate the probabilities of every task of a fitted multi-task model.

    scikit-learn's :class:`~sklearn.calibration.CalibratedClassifierCV`
    takes one task. This fits one per task, each on the fitted
    ``estimator``'s probabilities for that task (the estimator is frozen:
    it is not refitted), on calibration data the estimator did not train
    on. Hold the calibration windows out by recording, as any test data.

    Parameters
    ----------
    estimator : fitted classifier, default=None
        Required: a fitted multi-task classifier whose ``predict_proba``
        returns one array per task (every tsclf deep classifier).
    method : {"sigmoid", "isotonic", "temperature"}, default="sigmoid"
        As for :class:`~sklearn.calibration.CalibratedClassifierCV`;
        ``"temperature"`` scales each task's logits by one fitted number.

    Attributes
    ----------
    calibrators_ : list of CalibratedClassifierCV
        One per task, over the positions of that task's classes.
    classes_ : list of ndarray
        Each task's classes.

    Notes
    -----
    Each task is calibrated on its own: with ``not_applicable`` gating the
    calibrated location and size probabilities of a window need no longer
    put exactly the detection's normal probability on ``n/a``.

    Examples
    --------
    >>> from tsclf.calibration import MultiTaskCalibratedClassifier
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import load_cwru_windows
    >>> windows = load_cwru_windows()
    >>> X, y = windows.X[::5], windows.y.iloc[::5]
    >>> # The last third of each recording calibrates (the only normal
    >>> # recording cannot be held out whole).
    >>> position = windows.metadata.groupby("recording").cumcount()[::5]
    >>> size = windows.metadata.groupby("recording")["recording"].transform("size")
    >>> held_out = (position >= 2 * size[::5] // 3).to_numpy()
    >>> model = CNNClassifier(max_epochs=2, validation=None, random_state=0)
    >>> model = model.fit(X[~held_out], y[~held_out])
    >>> calibrated = MultiTaskCalibratedClassifier(model, method="temperature")
    >>> calibrated = calibrated.fit(X[held_out], y[held_out])
    >>> [proba.shape[1] for proba in calibrated.predict_proba(X[:5])]
    [2, 4, 4]
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["predict_proba"])],
        "method": [StrOptions({"sigmoid", "isotonic", "temperature"})],
    }

    def __init__(self, estimator=None, method: str = "sigmoid") -> None:
        self.estimator = estimator
        self.method = method

    def fit(self, X, y) -> MultiTaskCalibratedClassifier:
        """Fit one calibrator per task on held-out data.

        Parameters
        ----------
        X : array-like
            Calibration samples, as ``estimator`` takes them.
        y : array-like of shape (n_samples, n_tasks)

        Returns
        -------
        self : MultiTaskCalibratedClassifier
        """
        self._validate_params()
        check_is_fitted(self.estimator)
        y = np.asarray(y)
        if y.ndim != 2:
            raise ValueError(
                "MultiTaskCalibratedClassifier calibrates several tasks: y must be "
                f"2-D (n_samples, n_tasks), got shape {y.shape}; for one task "
                "use sklearn.calibration.CalibratedClassifierCV."
            )
        n_tasks = len(self.estimator.classes_)
        if y.shape[1] != n_tasks:
            raise ValueError(
                f"y has {y.shape[1]} tasks; the estimator predicts {n_tasks}."
            )
        self.classes_ = [np.asarray(classes) for classes in self.estimator.classes_]
        self.calibrators_ = []
        for task, classes in enumerate(self.classes_):
            codes = np.searchsorted(classes, y[:, task])
            codes = np.minimum(codes, len(classes) - 1)
            unknown = classes[codes] != y[:, task]
            if unknown.any():
                raise ValueError(
                    f"y holds labels {np.unique(y[unknown, task]).tolist()} for task "
                    f"{task} that the estimator does not predict."
                )
            if np.unique(codes).size < 2:
                raise ValueError(
                    f"The calibration data hold one class of task {task} "
                    f"({classes[codes[0]]!r}); calibrating needs at least two."
                )
            self.calibrators_.append(
                CalibratedClassifierCV(
                    FrozenEstimator(_OneTask(self.estimator, task)), method=self.method
                ).fit(X, codes)
            )
        return self

    def predict_proba(self, X) -> list[np.ndarray]:
        """Calibrated probabilities, one array per task.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        proba : list of ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "calibrators_")
        probas = []
        for classes, calibrator in zip(self.classes_, self.calibrators_, strict=True):
            # A class absent from the calibration data keeps probability 0.
            full = np.zeros((len(X), len(classes)))
            full[:, calibrator.classes_] = calibrator.predict_proba(X)
            probas.append(full)
        return probas

    def predict(self, X) -> np.ndarray:
        """Most probable label of each task after calibration.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        y : ndarray of shape (n_samples, n_tasks)
        """
        check_is_fitted(self, "calibrators_")
        return most_probable(self.classes_, self.predict_proba(X))
