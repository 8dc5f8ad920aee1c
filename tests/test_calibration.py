"""Calibrating every task of a fitted multi-task classifier."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from tsclf.calibration import MultiTaskCalibratedClassifier
from tsclf.classification import CNNClassifier
from tsclf.datasets import load_cwru_windows


@pytest.fixture(scope="module")
def fitted():
    windows = load_cwru_windows()
    X, y = windows.X[::5], windows.y.iloc[::5].to_numpy()
    # The last third of each recording calibrates: the one normal recording
    # cannot be held out whole, and every class must be in both parts.
    by_recording = windows.metadata.groupby("recording")
    position = by_recording.cumcount().to_numpy()[::5]
    size = by_recording["recording"].transform("size").to_numpy()[::5]
    held_out = position >= 2 * size // 3
    model = CNNClassifier(max_epochs=3, validation=None, random_state=0)
    model.fit(X[~held_out], y[~held_out])
    return model, X[held_out], y[held_out]


@pytest.mark.parametrize("method", ["sigmoid", "isotonic", "temperature"])
def test_each_task_is_calibrated_as_sklearn_calibrates_one(fitted, method):
    model, X, y = fitted
    calibrated = MultiTaskCalibratedClassifier(model, method=method).fit(X, y)
    probas = calibrated.predict_proba(X)
    assert len(probas) == 3
    for task, proba in enumerate(probas):
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        np.testing.assert_array_equal(calibrated.classes_[task], model.classes_[task])
    # Task 1 by hand: scikit-learn's calibrator on that task's probabilities.
    from tsclf.calibration._multitask import _OneTask

    codes = np.searchsorted(model.classes_[1], y[:, 1])
    by_hand = CalibratedClassifierCV(
        FrozenEstimator(_OneTask(model, 1)), method=method
    ).fit(X, codes)
    np.testing.assert_allclose(probas[1], by_hand.predict_proba(X))
    assert calibrated.predict(X).shape == y.shape
    assert 0.0 <= calibrated.score(X, y) <= 1.0


def test_temperature_lowers_the_log_loss_on_the_calibration_windows(fitted):
    from sklearn.metrics import log_loss

    model, X, y = fitted
    calibrated = MultiTaskCalibratedClassifier(model, method="temperature").fit(X, y)
    for task, (before, after) in enumerate(
        zip(model.predict_proba(X), calibrated.predict_proba(X), strict=True)
    ):
        labels = model.classes_[task]
        assert (
            log_loss(y[:, task], after, labels=labels)
            <= log_loss(y[:, task], before, labels=labels) + 1e-9
        )


def test_the_model_is_not_refitted_and_bad_targets_are_refused(fitted):
    model, X, y = fitted
    weights = [p.detach().clone() for p in model.net_.module_.parameters()]
    MultiTaskCalibratedClassifier(model).fit(X, y)
    after = list(model.net_.module_.parameters())
    assert all(
        np.array_equal(a.numpy(), b.detach().numpy())
        for a, b in zip(weights, after, strict=True)
    )
    with pytest.raises(ValueError, match="must be 2-D"):
        MultiTaskCalibratedClassifier(model).fit(X, y[:, 0])
    with pytest.raises(ValueError, match="2 tasks; the estimator predicts 3"):
        MultiTaskCalibratedClassifier(model).fit(X, y[:, :2])
    with pytest.raises(ValueError, match="one class of task 0"):
        MultiTaskCalibratedClassifier(model).fit(
            X[y[:, 0] == "fault"], y[y[:, 0] == "fault"]
        )
    unknown = y.copy()
    unknown[0, 1] = "cage"
    with pytest.raises(ValueError, match=r"\['cage'\] for task 1"):
        MultiTaskCalibratedClassifier(model).fit(X, unknown)
