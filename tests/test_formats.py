"""sktime's data formats in, sktime's API out, and 3-D steps in tabular pipelines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sktime.datatypes import convert_to

from tsclf.classification import CNNClassifier
from tsclf.compose import SktimeClassifier
from tsclf.datasets import load_ucr_uea
from tsclf.regression import LSTMRegressor
from tsclf.transformers import (
    BandEnergies,
    CesiumFeatures,
    ChannelScaler,
    Flatten,
    STFTImage,
    WindowStandardizer,
)
from tsclf.utils.validation import as_numpy_panel

from estimator_params import tiny


@pytest.fixture(scope="module")
def basic_motions():
    """A real multivariate UCR/UEA set (6 channels), shipped with sktime."""
    X_train, y_train = load_ucr_uea("BasicMotions", split="train")
    X_test, _ = load_ucr_uea("BasicMotions", split="test")
    return X_train, y_train, X_test


@pytest.mark.parametrize("mtype", ["pd-multiindex", "nested_univ"])
def test_sktime_panels_give_the_numpy_features_and_predictions(basic_motions, mtype):
    X_train, y_train, X_test = basic_motions
    panel_train = convert_to(X_train, to_type=mtype)
    panel_test = convert_to(X_test, to_type=mtype)
    np.testing.assert_array_equal(as_numpy_panel(panel_train), X_train)
    features = CesiumFeatures(features=["amplitude", "std"], sampling_rate=10.0)
    np.testing.assert_array_equal(
        clone(features).fit_transform(panel_test), features.fit_transform(X_test)
    )
    assert features.fit_transform(panel_test).shape[0] == len(X_test)
    model = make_pipeline(
        BandEnergies(n_bands=4), RandomForestClassifier(random_state=0)
    )
    np.testing.assert_array_equal(
        clone(model).fit(panel_train, y_train).predict(panel_test),
        clone(model).fit(X_train, y_train).predict(X_test),
    )
    deep = tiny(CNNClassifier, max_epochs=1, validation=None)
    np.testing.assert_allclose(
        clone(deep).fit(panel_train, y_train).predict_proba(panel_test),
        clone(deep).fit(X_train, y_train).predict_proba(X_test),
        atol=1e-6,
    )
    # Equal up to summation order (the converted array has another layout).
    np.testing.assert_allclose(
        WindowStandardizer().fit_transform(panel_test),
        WindowStandardizer().fit_transform(X_test),
        rtol=1e-12,
        atol=1e-12,
    )


def test_unequal_length_panels_are_refused():
    series = [pd.Series(np.arange(5.0)), pd.Series(np.arange(7.0))]
    nested = pd.DataFrame({"c0": series})
    with pytest.raises(ValueError, match="unequal lengths"):
        CesiumFeatures(features=["amplitude"]).fit(nested)


def test_sktime_evaluate_scores_a_tsclf_classifier(basic_motions):
    from sklearn.model_selection import KFold
    from sktime.classification.model_evaluation import evaluate

    X_train, y_train, _ = basic_motions
    clf = SktimeClassifier(tiny(CNNClassifier, max_epochs=2, validation=None))
    results = evaluate(
        clf, KFold(n_splits=2), convert_to(X_train, "nested_univ"), y_train
    )
    assert len(results) == 2
    assert np.isfinite(results["test_accuracy_score"]).all()


def test_a_tsclf_classifier_sits_in_an_sktime_pipeline():
    from sktime.transformations.panel.padder import PaddingTransformer

    from tsclf.datasets import make_spike_anomaly

    X, y = make_spike_anomaly(n_samples=40, random_state=0)
    clf = SktimeClassifier(tiny(CNNClassifier, max_epochs=1, validation=None))
    pipeline = PaddingTransformer(pad_length=60) * clf
    panel = convert_to(X, to_type="nested_univ")
    assert type(pipeline).__name__ == "ClassifierPipeline"
    assert pipeline.fit(panel, y).predict(panel).shape == (40,)
    assert pipeline.classifier_.estimator_.n_timepoints_ == 60  # padded first


def test_the_sktime_adapter_fits_several_tasks_as_one_multi_task_estimator():
    import pandas as pd

    from tsclf.datasets import make_spike_anomaly

    X, y = make_spike_anomaly(n_samples=20, random_state=0)
    tasks = np.column_stack([y, np.where(y == y[0], "same", "other")])
    clf = SktimeClassifier(tiny(CNNClassifier, max_epochs=1, validation=None))
    clf.fit(X, pd.DataFrame(tasks, columns=["anomaly", "kind"]))
    # one network with a head per task, not one copy per column
    assert clf.estimator_.n_tasks_ == 2
    assert clf.predict(X).shape == (20, 2)
    with pytest.raises(NotImplementedError, match="one array per task"):
        clf.predict_proba(X)
    assert [p.shape for p in clf.estimator_.predict_proba(X)] == [(20, 2), (20, 2)]
    assert clf.fit(X, y).predict_proba(X).shape == (20, 2)


def test_the_sktime_adapter_passes_sktime_checks():
    from sktime.utils.estimator_checks import check_estimator

    results = check_estimator(SktimeClassifier, raise_exceptions=False)
    failed = {name: result for name, result in results.items() if result != "PASSED"}
    assert len(results) > 100 and not failed


def test_channel_scaler_learns_one_statistic_per_channel():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3, 50)) * np.array([1.0, 10.0, 100.0])[:, None] + 5.0
    scaled = ChannelScaler().fit(X).transform(X)
    assert scaled.shape == X.shape
    np.testing.assert_allclose(
        scaled.transpose(1, 0, 2).reshape(3, -1).mean(1), 0, atol=1e-9
    )
    np.testing.assert_allclose(
        scaled.transpose(1, 0, 2).reshape(3, -1).std(1), 1, atol=1e-9
    )
    minmax = ChannelScaler(MinMaxScaler()).fit(X[:10])
    fitted_range = minmax.transform(X[:10]).transpose(1, 0, 2).reshape(3, -1)
    np.testing.assert_allclose(fitted_range.min(1), 0.0, atol=1e-12)
    np.testing.assert_allclose(fitted_range.max(1), 1.0, atol=1e-12)
    other = minmax.transform(X[10:]).transpose(1, 0, 2).reshape(3, -1)
    assert not np.allclose(other.max(1), 1.0)  # statistics from fit, not per call
    np.testing.assert_allclose(minmax.inverse_transform(minmax.transform(X)), X)
    flat = ChannelScaler().fit(X[:, 0, :])
    assert flat.transform(X[:, 0, :]).shape == (20, 50)  # 2-D in, 2-D out
    with pytest.raises(ValueError, match="expecting 3 features"):
        ChannelScaler().fit(X).transform(X[:, :2])


def test_channel_scaler_puts_a_scaler_in_front_of_a_recurrent_regressor():
    rng = np.random.default_rng(0)
    X = 1000.0 * rng.normal(size=(40, 1, 12))
    y = X[:, 0, -1] / 1000.0
    model = make_pipeline(
        ChannelScaler(MinMaxScaler()), tiny(LSTMRegressor, max_epochs=2)
    ).fit(X, y)
    assert model.predict(X).shape == (40,)


def test_the_default_scaler_is_resolved_in_fit_and_a_given_one_is_nested():
    X = np.random.default_rng(0).normal(3.0, 2.0, size=(8, 2, 16))
    fitted = ChannelScaler().fit(X)
    assert ChannelScaler().scaler is None
    assert isinstance(fitted.scaler_, StandardScaler)
    scaler = ChannelScaler(StandardScaler()).set_params(scaler__with_mean=False)
    assert scaler.fit(X).scaler_.with_mean is False


def test_flatten_and_set_output_make_a_pandas_pipeline(basic_motions):
    X_train, y_train, X_test = basic_motions
    pipe = make_pipeline(
        ChannelScaler(),
        WindowStandardizer(),
        Flatten(),
        RandomForestClassifier(random_state=0),
    ).set_output(transform="pandas")
    pipe.fit(X_train, y_train)
    table = pipe[:-1].transform(X_test)
    assert isinstance(table, pd.DataFrame)
    assert table.shape == (len(X_test), 6 * 100)
    assert list(table.columns[:2]) == ["c0_t0", "c0_t1"]
    assert pipe.predict(X_test).shape == (len(X_test),)
    image = Flatten().fit(STFTImage(nperseg=16).fit_transform(X_test))
    assert image.get_feature_names_out()[0] == "c0_h0_w0"
    with pytest.raises(ValueError, match="transform must be"):
        WindowStandardizer().set_output(transform="arrow")
