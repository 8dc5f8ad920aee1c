"""The classical baselines: cesium / spectral features into RF and SVC."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from tsclf.datasets import TASKS, load_cwru_windows
from tsclf.metrics import joint_accuracy, multitask_scoring
from tsclf.model_selection import StratifiedGroupShuffleSplit, block_lone_recordings
from tsclf.transformers import BandEnergies, CesiumFeatures, EnvelopeSpectrum


@pytest.fixture(scope="module")
def small_cwru():
    """Every 8th window of the embedded data: ~350 windows, 30 groups."""
    windows = block_lone_recordings(load_cwru_windows())
    keep = np.arange(0, len(windows), 8)
    return windows.X[keep], windows.y.iloc[keep], windows.groups[keep]


def test_grid_search_tunes_a_multioutput_svc_with_groups(small_cwru):
    X, y, groups = small_cwru
    model = make_pipeline(
        CesiumFeatures(sampling_rate=12000.0),
        StandardScaler(),
        MultiOutputClassifier(SVC()),
    )
    search = GridSearchCV(
        model,
        {"multioutputclassifier__estimator__C": [0.01, 10.0]},
        cv=StratifiedGroupShuffleSplit(n_splits=2, test_size=0.4, random_state=0),
        scoring=multitask_scoring(TASKS),
        refit="accuracy_mean",
    )
    search.fit(X, y, groups=groups)
    assert search.best_params_ == {"multioutputclassifier__estimator__C": 10.0}
    scores = search.cv_results_["mean_test_accuracy_mean"]
    assert scores[1] > scores[0]  # a nearly hard-margin SVC beats C=0.01
    predicted = search.predict(X)
    assert predicted.shape == y.shape
    assert set(predicted[:, 1]) <= set(y["location"])


def test_pipelines_clone_and_predict_every_task(small_cwru):
    X, y, _ = small_cwru
    spectral = make_pipeline(
        make_union(
            BandEnergies(n_bands=8, sampling_rate=12000.0),
            EnvelopeSpectrum(n_bands=8, sampling_rate=12000.0, max_frequency=800.0),
        ),
        RandomForestClassifier(n_estimators=20, random_state=0),
    )
    fitted = clone(spectral).fit(X, y)
    assert joint_accuracy(y, fitted.predict(X)) > 0.9  # on its training data
    names = fitted[0].get_feature_names_out()
    assert names[0] == "bandenergies__band_0-750Hz_ch0"
    assert names[-1] == "envelopespectrum__envelope_700-800Hz_ch0"
    assert clone(spectral).get_params()["randomforestclassifier__n_estimators"] == 20
