"""ShiftMonitor: a pipeline step that warns when the input leaves the training range."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from scipy import signal
from sklearn import config_context
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline

from tsclf.classification import CNNClassifier
from tsclf.compose import AdaptivePipeline
from tsclf.datasets import load_cwru_windows
from tsclf.exceptions import InputShiftWarning
from tsclf.export import load_model, save_model
from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import AdaptiveScaler, BandEnergies, WindowStandardizer


@pytest.fixture(scope="module")
def loads():
    """Real CWRU drive-end windows: loads 0 and 1 to train on, load 2 to check."""
    windows = load_cwru_windows()
    load = windows.metadata["load_hp"].to_numpy()
    location = windows.y["location"].to_numpy()
    train, new = np.flatnonzero(load < 2)[::3], np.flatnonzero(load == 2)[::3]
    return windows.X[train], location[train], windows.X[new], location[new]


def _watched_cnn(X, y):
    """A one-epoch CNN whose preprocessor starts with a ShiftMonitor."""
    return CNNClassifier(
        preprocessor=make_pipeline(ShiftMonitor(), WindowStandardizer()),
        max_epochs=1,
        validation=None,
        random_state=0,
    ).fit(X, y)


def _warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if w.category is InputShiftWarning]


def test_another_load_is_inside_the_range_another_sensor_is_not(loads):
    X_train, _, X_new, _ = loads
    monitor = ShiftMonitor().fit(X_train)
    report = monitor.check(X_new)
    # A load the model never saw, same sensor: about as many outside as
    # among the training windows themselves.
    assert not report.shifted
    assert report.share_outside < 0.05
    # Another sensor's transfer path: a resonance damped above 2 kHz.
    sos = signal.butter(2, 2000.0, fs=12000.0, output="sos")
    other_sensor = signal.sosfiltfilt(sos, X_new, axis=-1)
    report = monitor.check(other_sensor)
    assert report.shifted
    assert report.share_outside > 0.9 and report.p_value < 1e-10
    # The features that moved most are the damped bands, and they fell.
    for name, move in report.moved:
        # band_<low>-<high>fs_ch0: no sampling rate given, so fractions of it
        assert name.endswith("fs_ch0")
        low = float(name.split("_")[1].split("-")[0])
        assert low >= 0.15 and move < 0  # edges on a 0-0.5 scale: > 1.8 kHz


def test_a_few_far_windows_alone_do_not_raise_the_warning(loads):
    X_train, _, X_new, _ = loads
    monitor = ShiftMonitor().fit(X_train)
    one_far = X_new[:5].copy()
    one_far[0] *= 100.0
    report = monitor.check(one_far)
    assert report.n_outside >= 1 and not report.shifted  # binomial p above 0.001
    assert report.outside[0] and report.outside.sum() == report.n_outside
    _, caught = _warnings(lambda: monitor.transform(one_far))
    assert caught == []


def test_predictions_do_not_change_and_the_warning_names_the_features(loads):
    X_train, y_train, X_new, _ = loads
    plain = make_pipeline(BandEnergies(), RandomForestClassifier(random_state=0))
    watched = make_pipeline(
        ShiftMonitor(), BandEnergies(), RandomForestClassifier(random_state=0)
    )
    plain.fit(X_train, y_train)
    _, caught = _warnings(lambda: watched.fit(X_train, y_train))
    assert caught == []  # the training data are the reference
    quieter = 0.2 * X_new  # a less sensitive sensor
    predicted, caught = _warnings(lambda: watched.predict(quieter))
    np.testing.assert_array_equal(predicted, plain.predict(quieter))
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "outside the range of 99% of the training series" in message
    assert "binomial p<1e-16" in message
    # Every band lost power: the three named moved down.
    moved = message.split("in standard deviations: ")[1].split(". See")[0]
    named = [item.split() for item in moved.split(", ")]
    assert len(named) == 3
    assert all(name.startswith("band_") and float(move) < -1 for name, move in named)


def test_in_a_deep_estimator_preprocessor(loads):
    X_train, y_train, X_new, _ = loads
    params = {"max_epochs": 1, "validation": None, "random_state": 0}
    plain = CNNClassifier(**params).fit(X_train, y_train)
    watched = CNNClassifier(
        preprocessor=make_pipeline(ShiftMonitor(), WindowStandardizer()), **params
    )
    _, caught = _warnings(lambda: watched.fit(X_train, y_train))
    assert caught == []
    other_sensor = np.cumsum(X_new, axis=-1)  # integrated: velocity, not acceleration
    predicted, caught = _warnings(lambda: watched.predict(other_sensor))
    assert len(caught) == 1
    np.testing.assert_array_equal(predicted, plain.predict(other_sensor))
    # It travels with the model.
    restored = pickle.loads(pickle.dumps(watched))
    _, caught = _warnings(lambda: restored.predict(other_sensor))
    assert len(caught) == 1


def test_a_deep_estimator_adapts_the_monitor_in_its_preprocessor(loads):
    X_train, y_train, X_new, _ = loads
    model = _watched_cnn(X_train, y_train)
    other_sensor = np.cumsum(X_new, axis=-1)
    _, caught = _warnings(lambda: model.predict(other_sensor))
    assert len(caught) == 1
    # Adapting (AdaBN) makes the new sensor the monitor's reference too:
    # no warning while adapting, nor after.
    _, caught = _warnings(lambda: model.adapt(other_sensor))
    assert caught == [] and model.preprocessor_["shiftmonitor"].adapted_
    _, caught = _warnings(lambda: model.predict(other_sensor))
    assert caught == []


def test_save_model_keeps_the_monitor(loads, tmp_path):
    X_train, y_train, X_new, _ = loads
    model = _watched_cnn(X_train, y_train)
    save_model(model, tmp_path / "model")
    loaded = load_model(tmp_path / "model")
    _, caught = _warnings(lambda: loaded.predict(3.0 * X_new))
    assert len(caught) == 1


def test_adapting_a_pipeline_makes_the_new_machine_the_reference(loads):
    X_train, y_train, X_new, _ = loads
    pipeline = AdaptivePipeline(
        [
            ("monitor", ShiftMonitor()),
            ("bands", BandEnergies()),
            ("scale", AdaptiveScaler()),
            ("model", LogisticRegression(max_iter=2000)),
        ]
    ).fit(X_train, y_train)
    louder = 3.0 * X_new
    _, caught = _warnings(lambda: pipeline.predict(louder))
    assert len(caught) == 1
    _, caught = _warnings(lambda: pipeline.adapt(louder))
    assert caught == []
    monitor = pipeline.named_steps["monitor"]
    assert monitor.adapted_
    _, caught = _warnings(lambda: pipeline.predict(louder))
    assert caught == []
    # Back on the training machine, the adapted reference now warns.
    _, caught = _warnings(lambda: pipeline.predict(X_new))
    assert len(caught) == 1 and "adapted series" in str(caught[0].message)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"quantile": 1.0}, "quantile"),
        ({"alarm_share": 0.0}, "alarm_share"),
        ({"significance": 1.5}, "significance"),
        ({"features": "bands"}, "features"),
        ({"covariance": RandomForestClassifier()}, "covariance"),
    ],
)
def test_bad_settings_fail_in_fit(loads, params, message):
    with pytest.raises(ValueError, match=message):
        ShiftMonitor(**params).fit(loads[0])


def test_bad_data_is_refused(loads):
    X_train = loads[0]
    with pytest.raises(ValueError, match="n_samples = 1"):
        ShiftMonitor().fit(X_train[:1])
    nan = X_train.copy()
    nan[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        ShiftMonitor().fit(nan)
    monitor = ShiftMonitor().fit(X_train)
    with pytest.raises(ValueError, match="at least 2"):
        monitor.adapt(X_train[:1])
    with pytest.raises(ValueError):
        monitor.check(X_train[:, :, :600])  # another window length
    with pytest.raises(ValueError, match=r"features, BandEnergies\(\), do not fit"):
        ShiftMonitor().fit(X_train[:, :, :24])  # 16 bands need 32 samples


def test_the_range_is_calibrated_on_held_out_series():
    # 40 series of 16 features: distances of the series the covariance was
    # fitted on would put most new series like them outside the range.
    rng = np.random.default_rng(0)
    train, new = rng.normal(size=(40, 256)), rng.normal(size=(400, 256))
    report = ShiftMonitor(random_state=0).fit(train).check(new)
    assert report.share_outside < 0.1 and not report.shifted  # ~1 %, from 40 series
    monitor = ShiftMonitor(cv=GroupKFold(4), random_state=0)
    monitor.fit(train, groups=np.repeat(np.arange(8), 5))
    assert not monitor.check(new).shifted
    # Still sensitive: the same series, twice as loud.
    assert ShiftMonitor(random_state=0).fit(train).check(2.0 * new).shifted


def test_groups_reach_the_calibration_in_a_pipeline():
    # Pipeline.fit calls fit_transform: the recordings must reach the cv
    # splitter there too, not be dropped on the way.
    rng = np.random.default_rng(0)
    train, y = rng.normal(size=(40, 256)), rng.integers(0, 2, size=40)
    groups = np.repeat(np.arange(8), 5)
    direct = ShiftMonitor(cv=GroupKFold(4)).fit(train, groups=groups)
    with config_context(enable_metadata_routing=True):
        monitor = ShiftMonitor(cv=GroupKFold(4)).set_fit_request(groups=True)
        pipeline = make_pipeline(monitor, LogisticRegression()).fit(
            train, y, groups=groups
        )
    assert pipeline[0].threshold_ == direct.threshold_
    # Without them, the error says how to pass them.
    with pytest.raises(ValueError, match=r"needs groups: pass fit\(X, groups="):
        make_pipeline(ShiftMonitor(cv=GroupKFold(4)), LogisticRegression()).fit(
            train, y
        )


def test_one_window_never_warns_but_its_distance_says_where_it_lies(loads):
    X_train, _, X_new, _ = loads
    monitor = ShiftMonitor(random_state=0).fit(X_train)
    far = X_new[:1] * 100.0
    report = monitor.check(far)
    assert report.outside[0] and not report.shifted  # p = 0.01 alone
    assert report.distance[0] > 1.0
    near = monitor.check(X_new[:50])
    np.testing.assert_array_equal(near.outside, near.distance > 1.0)
    assert monitor.check(np.concatenate([far, far])).shifted  # two suffice
