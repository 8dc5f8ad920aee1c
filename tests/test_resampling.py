"""Resampling windows with several labels, inside the folds of a group-aware CV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

imblearn = pytest.importorskip("imblearn", reason="imbalanced-learn is optional")

from imblearn.over_sampling import SMOTE, RandomOverSampler  # noqa: E402
from imblearn.pipeline import make_pipeline  # noqa: E402
from imblearn.under_sampling import RandomUnderSampler  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.model_selection import GroupKFold, cross_validate  # noqa: E402

from tsclf.metrics import multitask_scoring  # noqa: E402
from tsclf.resampling import MultiTaskResampler  # noqa: E402
from tsclf.transformers import Flatten  # noqa: E402


def _imbalanced(n_minor=4, n_major=20):
    rng = np.random.default_rng(0)
    n = n_minor + n_major
    X = rng.normal(size=(n, 2, 16)).astype(np.float32)
    X[:n_minor] += 2.0
    y = pd.DataFrame(
        {
            "detection": ["normal"] * n_minor + ["fault"] * n_major,
            "location": ["n/a"] * n_minor + ["ball", "inner"] * (n_major // 2),
        }
    )
    return X, y


def test_random_over_sampling_balances_the_joint_labels_and_keeps_shapes():
    X, y = _imbalanced()
    resampler = MultiTaskResampler(RandomOverSampler(random_state=0))
    X_new, y_new = resampler.fit_resample(X, y)
    assert X_new.shape[1:] == X.shape[1:] and X_new.dtype == X.dtype
    assert list(y_new.columns) == ["detection", "location"]
    assert y_new.value_counts().nunique() == 1  # every joint label as common
    origin = resampler.sample_indices_
    np.testing.assert_array_equal(X_new, X[origin])
    pd.testing.assert_frame_equal(y_new, y.iloc[origin].reset_index(drop=True))


def test_smote_rows_lie_between_windows_of_their_label_and_name_their_origin():
    X, y = _imbalanced()
    resampler = MultiTaskResampler(SMOTE(k_neighbors=2, random_state=0))
    X_new, y_new = resampler.fit_resample(X, y.to_numpy())
    synthetic = slice(len(X), None)
    assert len(X_new) > len(X)
    assert (y_new[synthetic, 0] == "normal").all()  # only the minority grows
    origin = resampler.sample_indices_[synthetic]
    assert (y[["detection"]].to_numpy()[origin, 0] == "normal").all()
    minority = X[:4].reshape(4, -1)
    rows = X_new[synthetic].reshape(len(origin), -1)
    assert (rows >= minority.min(0) - 1e-5).all() and (
        rows <= minority.max(0) + 1e-5
    ).all()
    groups = np.arange(len(X))
    assert (groups[resampler.sample_indices_][: len(X)] == groups).all()


def test_under_sampling_and_a_1d_y():
    X, y = _imbalanced()
    X_new, y_new = MultiTaskResampler(RandomUnderSampler(random_state=0)).fit_resample(
        X, y["detection"].to_numpy()
    )
    assert len(X_new) == 8 and sorted(set(y_new)) == ["fault", "normal"]


def test_resampling_runs_inside_the_training_folds_of_a_group_cv():
    X, y = _imbalanced(n_minor=8, n_major=40)
    groups = np.arange(len(X)) // 4
    model = make_pipeline(
        MultiTaskResampler(SMOTE(k_neighbors=2, random_state=0)),
        Flatten(),
        RandomForestClassifier(n_estimators=20, random_state=0),
    )
    scores = cross_validate(
        model,
        X,
        y,
        groups=groups,
        cv=GroupKFold(n_splits=3),
        scoring=multitask_scoring(y.columns, metrics=("recall_macro",)),
    )
    assert np.isfinite(scores["test_recall_macro_detection"]).all()
    # Scoring ran on the untouched test rows: 48 of them over the folds.
    assert len(scores["test_recall_macro_mean"]) == 3


def test_bad_input_is_refused():
    X, y = _imbalanced()
    with pytest.raises(ValueError, match="one row per label"):
        MultiTaskResampler(RandomOverSampler()).fit_resample(X[:5], y)
    with pytest.raises(ValueError, match="'sampler' parameter"):
        MultiTaskResampler("smote").fit_resample(X, y)


def test_resampling_before_a_deep_estimator_under_routing_says_what_to_do():
    import sklearn

    from tsclf.classification import CNNClassifier

    X, y = _imbalanced()
    groups = np.repeat(np.arange(6), 4)
    model = make_pipeline(
        MultiTaskResampler(RandomOverSampler(random_state=0)),
        CNNClassifier(max_epochs=1, validation=0.25, random_state=0),
    )
    with (
        sklearn.config_context(enable_metadata_routing=True),
        pytest.raises(ValueError, match=r"groups has 24 entries.*ResampledClassifier"),
    ):
        model.fit(X, y, groups=groups)


def test_resampled_classifier_hands_each_row_its_sources_recording():
    import sklearn

    from tsclf.classification import CNNClassifier
    from tsclf.compose import ResampledClassifier

    class Recorder(RandomForestClassifier):
        """A forest that keeps the groups its fit was given."""

        def fit(self, X, y, groups=None):
            self.groups_seen_ = groups
            return super().fit(Flatten().fit_transform(X), y)

        def predict(self, X):
            return super().predict(Flatten().fit_transform(X))

    X, y = _imbalanced()
    groups = np.repeat(np.arange(6), 4)
    resampler = MultiTaskResampler(RandomOverSampler(random_state=0))
    model = ResampledClassifier(resampler, Recorder(n_estimators=5, random_state=0))
    model.fit(X, y, groups=groups)
    sources = model.resampler_.sample_indices_
    assert len(sources) > len(X)
    np.testing.assert_array_equal(model.estimator_.groups_seen_, groups[sources])
    assert model.predict(X).shape == (24, 2)
    # The deep estimator under metadata routing: early stopping holds out
    # whole recordings of the resampled rows.
    deep = CNNClassifier(max_epochs=1, validation=0.25, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        fitted = ResampledClassifier(resampler, deep).fit(X, y, groups=groups)
    assert fitted.predict_proba(X)[0].shape == (24, 2)
    # A sampler that does not say where its rows come from is refused.
    with pytest.raises(ValueError, match=r"SMOTE does not say.*MultiTaskResampler"):
        ResampledClassifier(SMOTE(k_neighbors=2), Recorder()).fit(
            Flatten().fit_transform(X), y["detection"], groups=groups
        )
