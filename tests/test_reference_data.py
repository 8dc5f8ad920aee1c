from __future__ import annotations

import numpy as np
import pytest

from tsclf.datasets import (
    BUNDLED_UCR_UEA,
    load_ts_file,
    load_ucr_uea,
    make_spike_anomaly,
)

EXPECTED_SHAPES = {
    # name: (n_train, n_test, n_channels, length)
    "GunPoint": (50, 150, 1, 150),
    "ArrowHead": (36, 175, 1, 251),
    "ItalyPowerDemand": (67, 1029, 1, 24),
    "BasicMotions": (40, 40, 6, 100),
    "OSULeaf": (200, 242, 1, 427),
    "ACSF1": (100, 100, 1, 1460),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_bundled_ucr_sets_load_as_3d(name):
    n_train, n_test, n_channels, length = EXPECTED_SHAPES[name]
    X_train, y_train = load_ucr_uea(name, split="train")
    X_test, y_test = load_ucr_uea(name, split="test")
    assert X_train.shape == (n_train, n_channels, length)
    assert X_test.shape == (n_test, n_channels, length)
    assert y_train.shape == (n_train,) and y_test.shape == (n_test,)
    assert np.isfinite(X_train).all()
    assert set(y_test) <= set(y_train)
    X_all, y_all = load_ucr_uea(name)
    assert np.array_equal(X_all, np.concatenate([X_train, X_test]))
    assert np.array_equal(y_all, np.concatenate([y_train, y_test]))


@pytest.mark.parametrize("name", ["JapaneseVowels", "PLAID"])
def test_unequal_length_sets_are_refused_or_padded(name):
    with pytest.raises(ValueError, match=rf"{name} holds series of unequal length"):
        load_ucr_uea(name, split="train")
    X, _ = load_ucr_uea(name, split="train", unequal_length="pad", pad_value=-1.0)
    assert X.ndim == 3 and np.isfinite(X).all()
    assert (X[:, :, -1] == -1.0).any()  # some series were padded


def test_bundled_list_is_offline_complete():
    assert set(EXPECTED_SHAPES) | {"JapaneseVowels", "PLAID"} == set(BUNDLED_UCR_UEA)


TS_EQUAL = """@problemName toy
@timeStamps false
@univariate false
@dimensions 2
@equalLength true
@seriesLength 3
@classLabel true up down
@data
1,2,3:4,5,6:up
3,2,1:6,5,4:down
"""


def test_own_ts_file(tmp_path):
    path = tmp_path / "toy.ts"
    path.write_text(TS_EQUAL)
    X, y = load_ts_file(path)
    assert X.tolist() == [[[1, 2, 3], [4, 5, 6]], [[3, 2, 1], [6, 5, 4]]]
    assert y.tolist() == ["up", "down"]
    with pytest.raises(FileNotFoundError, match=r"\.ts file not found"):
        load_ts_file(tmp_path / "missing.ts")
    with pytest.raises(ValueError, match="unequal_length must be 'error' or 'pad'"):
        load_ts_file(path, unequal_length="truncate")


def test_a_ts_file_is_read_as_declared_and_refused_clearly_otherwise(tmp_path):
    unequal = (
        TS_EQUAL.replace("@equalLength true", "@equalLength false")
        .replace("@seriesLength 3\n", "")
        .replace("3,2,1:6,5,4:down", "3,2:6,5:down")
    )
    path = tmp_path / "unequal.ts"
    path.write_text(unequal)
    # The caller's NaN padding is not a missing value (@missing is not true).
    X, y = load_ts_file(path, unequal_length="pad", pad_value=np.nan)
    assert np.isnan(X[1, :, 2]).all() and not np.isnan(X[0]).any()
    assert y.tolist() == ["up", "down"]
    stray = tmp_path / "stray.ts"
    stray.write_text(TS_EQUAL.replace(":down", ":sideways"))
    with pytest.raises(ValueError, match=r"labels \['sideways'\] are not among"):
        load_ts_file(stray)
    headless = tmp_path / "headless.ts"
    headless.write_text("1,2,3:up\n")
    with pytest.raises(ValueError, match="no @data line"):
        load_ts_file(headless)
    binary = tmp_path / "binary.ts"
    binary.write_bytes(bytes(range(128, 256)))
    with pytest.raises(ValueError, match="not UTF-8 text"):
        load_ts_file(binary)
    with pytest.raises(FileNotFoundError, match=r"\.ts file not found"):
        load_ts_file(tmp_path)  # a folder


def test_spike_anomaly_set():
    X, y = make_spike_anomaly(n_samples=2000, random_state=0)
    assert X.shape == (2000, 1, 50)
    assert y.sum() == 1000
    X2, y2 = make_spike_anomaly(n_samples=2000, random_state=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    t = np.linspace(0, 4 * np.pi, 50)
    residual = X[:, 0, :] - np.sin(t)
    normal, anomaly = residual[y == 0], residual[y == 1]
    assert normal.std() == pytest.approx(0.1, rel=0.05)
    # Each anomaly holds a run of 3 samples near 3 above the sine.
    peaks = np.sort(anomaly, axis=1)[:, -3:]
    assert np.median(peaks) == pytest.approx(3.0, abs=0.2)
    assert (np.abs(normal) < 1).all()
    assert not np.array_equal(X, make_spike_anomaly(n_samples=2000, random_state=1)[0])


def test_spike_anomaly_bad_input():
    with pytest.raises(ValueError, match="anomaly_ratio must be in"):
        make_spike_anomaly(anomaly_ratio=2.0)
    with pytest.raises(ValueError, match="spike_width must be in"):
        make_spike_anomaly(length=2)
