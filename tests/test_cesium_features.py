from __future__ import annotations

import numpy as np
import pytest
from cesium.featurize import featurize_time_series
from sklearn.base import clone

from tsclf.datasets import load_cwru_windows
from tsclf.transformers import DEFAULT_FEATURES, CesiumFeatures


@pytest.fixture(scope="module")
def cwru_windows():
    windows = load_cwru_windows()
    rng = np.random.default_rng(0)
    return windows.X[rng.choice(len(windows), 12, replace=False)], windows.sampling_rate


def test_matches_a_per_window_cesium_loop(cwru_windows):
    X, rate = cwru_windows
    features = CesiumFeatures(sampling_rate=rate).fit(X)
    table = features.transform(X)
    times = np.arange(X.shape[2]) / rate
    for i, window in enumerate(X):
        row = featurize_time_series(
            times=times, values=window[0], features_to_use=list(DEFAULT_FEATURES)
        )
        np.testing.assert_allclose(table[i], row.to_numpy()[0], rtol=1e-12)
    assert features.get_feature_names_out().tolist() == [
        f"{name}_ch0" for name in DEFAULT_FEATURES
    ]


def test_parallel_equals_serial_and_2d_input(cwru_windows):
    X, rate = cwru_windows
    serial = CesiumFeatures(sampling_rate=rate).fit_transform(X)
    parallel = CesiumFeatures(sampling_rate=rate, n_jobs=2).fit_transform(X)
    flat = CesiumFeatures(sampling_rate=rate).fit_transform(X[:, 0, :])
    np.testing.assert_array_equal(serial, parallel)
    np.testing.assert_array_equal(serial, flat)
    assert clone(CesiumFeatures(n_jobs=2)).get_params()["n_jobs"] == 2


def test_multichannel_names_and_layout():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 2, 64))
    features = CesiumFeatures(features=["maximum", "minimum"]).fit(X)
    out = features.transform(X)
    assert features.get_feature_names_out().tolist() == [
        "maximum_ch0",
        "maximum_ch1",
        "minimum_ch0",
        "minimum_ch1",
    ]
    np.testing.assert_allclose(out[:, 1], X[:, 1].max(axis=1))
    np.testing.assert_allclose(out[:, 2], X[:, 0].min(axis=1))


def test_bad_input():
    X = np.zeros((2, 1, 16))
    with pytest.raises(ValueError, match=r"Unknown cesium features: \['nope'\]"):
        CesiumFeatures(features=["nope"]).fit(X)
    with pytest.raises(ValueError, match="sampling_rate must be positive"):
        CesiumFeatures(sampling_rate=0).fit(X)
    bad = X.copy()
    bad[0, 0, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        CesiumFeatures().fit(bad)
