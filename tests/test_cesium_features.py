from __future__ import annotations

import numpy as np
import pytest
from cesium.featurize import featurize_time_series
from joblib import parallel_config
from sklearn.base import clone

from tsclf.datasets import load_cwru_windows
from tsclf.transformers import DEFAULT_FEATURES, FAST_FEATURES, CesiumFeatures


@pytest.fixture(scope="module")
def cwru_windows():
    windows = load_cwru_windows()
    rng = np.random.default_rng(0)
    return windows.X[rng.choice(len(windows), 12, replace=False)], windows.sampling_rate


@pytest.mark.parametrize("engine", ["fast", "cesium"])
def test_matches_a_per_window_cesium_loop(cwru_windows, engine):
    X, rate = cwru_windows
    features = CesiumFeatures(sampling_rate=rate, engine=engine).fit(X)
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
    with pytest.raises(ValueError, match="'sampling_rate' parameter of CesiumFeatures"):
        CesiumFeatures(sampling_rate=0).fit(X)
    with pytest.raises(ValueError, match="'engine' parameter of CesiumFeatures"):
        CesiumFeatures(engine="numba").fit(X)
    bad = X.copy()
    bad[0, 0, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        CesiumFeatures().fit(bad)


@pytest.fixture(scope="module")
def cwru_by_class():
    """Two real CWRU windows of each of the ten conditions."""
    windows = load_cwru_windows()
    joint = windows.y.astype(str).agg("|".join, axis=1).to_numpy()
    chosen = np.concatenate(
        [np.flatnonzero(joint == label)[[0, -1]] for label in np.unique(joint)]
    )
    return windows.X[chosen], windows.sampling_rate


def test_fast_engine_agrees_with_cesium_on_every_feature_it_claims(cwru_by_class):
    X, rate = cwru_by_class
    names = list(FAST_FEATURES)
    fast = CesiumFeatures(names, sampling_rate=rate).fit_transform(X)
    reference = CesiumFeatures(names, sampling_rate=rate, engine="cesium")
    expected = reference.fit_transform(X)
    for column, name in enumerate(names):
        np.testing.assert_allclose(
            fast[:, column], expected[:, column], rtol=1e-6, err_msg=name
        )
    # The periods found differ between windows: the check is not vacuous.
    assert np.unique(fast[:, names.index("period_fast")]).size > 5


@pytest.mark.parametrize(
    "X",
    [
        np.ones((2, 50)),  # constant: the periodogram is rounding noise
        np.random.default_rng(0).normal(size=(3, 2)),
        np.random.default_rng(1).normal(size=(3, 10)),
        np.random.default_rng(2).integers(0, 3, size=(4, 40)).astype(float),
        np.random.default_rng(3).normal(size=(3, 2, 64)),
    ],
    ids=["constant", "two-samples", "short", "ties", "multichannel"],
)
def test_fast_engine_agrees_on_awkward_series(X):
    names = list(FAST_FEATURES)
    fast = CesiumFeatures(names, sampling_rate=7.0).fit_transform(X)
    reference = CesiumFeatures(names, sampling_rate=7.0, engine="cesium")
    np.testing.assert_allclose(
        fast, reference.fit_transform(X), rtol=1e-6, equal_nan=True
    )


def test_features_outside_the_fast_engine_fall_back_to_cesium(cwru_windows):
    X, rate = cwru_windows
    names = ["std", "freq1_freq", "period_fast", "anderson_darling"]
    assert {"freq1_freq", "anderson_darling"}.isdisjoint(FAST_FEATURES)
    fast = CesiumFeatures(names, sampling_rate=rate).fit_transform(X[:4])
    reference = CesiumFeatures(names, sampling_rate=rate, engine="cesium")
    np.testing.assert_allclose(fast, reference.fit_transform(X[:4]), rtol=1e-9)


def test_dask_cluster_through_joblib_gives_the_same_table(cwru_windows):
    distributed = pytest.importorskip("distributed")
    X, rate = cwru_windows
    expected = CesiumFeatures(sampling_rate=rate).fit_transform(X)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        parallel_config(backend="dask"),
    ):
        features = CesiumFeatures(sampling_rate=rate, n_jobs=-1)
        assert len(features._chunks(len(X))) >= 2  # the cluster's two threads
        table = features.fit_transform(X)
    np.testing.assert_array_equal(table, expected)
