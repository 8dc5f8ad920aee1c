"""Permutation importance over channels and time segments of series."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline

from tsclf.classification import CNNClassifier
from tsclf.inspection import series_permutation_importance
from tsclf.metrics import multitask_scoring
from tsclf.transformers import Flatten


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3, 32)).astype(np.float32)
    # The label lives in channel 1, in the second half of the window only.
    y = (X[:, 1, 16:].mean(axis=1) > 0).astype(int)
    return X, y


def test_the_informative_channel_and_segment_stand_out():
    X, y = _data()
    model = make_pipeline(Flatten(), RandomForestClassifier(random_state=0))
    model.fit(X[:80], y[:80])
    channels = series_permutation_importance(
        model, X[80:], y[80:], n_repeats=5, random_state=0
    )
    assert channels.groups == [0, 1, 2]
    assert channels.importances.shape == (3, 5)
    assert np.argmax(channels.importances_mean) == 1
    segments = series_permutation_importance(
        model, X[80:], y[80:], by=2, n_repeats=5, random_state=0
    )
    assert segments.groups == [(0, 16), (16, 32)]
    assert segments.importances_mean[1] > segments.importances_mean[0]
    np.testing.assert_allclose(channels.baseline_score, model.score(X[80:], y[80:]))


def test_a_multi_task_deep_model_with_a_per_task_scorer():
    X, y = _data()
    y2 = np.column_stack([y, 1 - y])
    model = CNNClassifier(max_epochs=2, validation=None, random_state=0).fit(X, y2)
    scorer = multitask_scoring(["a", "b"])["accuracy_a"]
    result = series_permutation_importance(
        model, X, y2, scoring=scorer, n_repeats=2, random_state=0
    )
    assert result.importances.shape == (3, 2)
    again = series_permutation_importance(
        model, X, y2, scoring=scorer, n_repeats=2, random_state=0
    )
    np.testing.assert_array_equal(result.importances, again.importances)


@pytest.mark.parametrize(
    ("by", "n_repeats", "message"),
    [
        ("time", 1, "by must be"),
        (0, 1, "by must be"),
        (True, 1, "by must be"),
        (64, 1, "exceed the length"),
        ("channel", 0, "n_repeats"),
    ],
)
def test_bad_settings_are_refused(by, n_repeats, message):
    X, y = _data(n=20)
    model = make_pipeline(Flatten(), RandomForestClassifier(n_estimators=5)).fit(X, y)
    with pytest.raises(ValueError, match=message):
        series_permutation_importance(model, X, y, by=by, n_repeats=n_repeats)
