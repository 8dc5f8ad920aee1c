from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tsclf.datasets import Recording, make_forecasting_windows, make_windows


def _recordings():
    a = Recording("a", np.arange(20.0).reshape(2, 10), 100.0, labels={"t": "x"})
    b = Recording("b", -np.arange(14.0).reshape(2, 7), 100.0, labels={"t": "y"})
    return [a, b]


def test_windows_match_a_naive_cut():
    recordings = _recordings()
    windows = make_windows(recordings, length=4, step=2)
    expected, groups, starts = [], [], []
    for rec in recordings:
        for start in range(0, rec.n_samples - 4 + 1, 2):
            expected.append(rec.signal[:, start : start + 4])
            groups.append(rec.name)
            starts.append(start)
    assert np.array_equal(windows.X, np.array(expected, dtype=np.float32))
    assert windows.groups.tolist() == groups
    assert windows.starts.tolist() == starts
    assert windows.y["t"].tolist() == ["x"] * 4 + ["y"] * 2
    assert windows.metadata["recording"].tolist() == groups
    assert windows.X.flags["C_CONTIGUOUS"]


def test_seconds_are_converted_at_the_recording_rate():
    windows = make_windows(_recordings(), length=0.04, step=0.03)
    assert windows.length == 4
    assert windows.starts.tolist() == [0, 3, 6, 0, 3]


def test_default_step_is_non_overlapping():
    windows = make_windows(_recordings(), length=3)
    assert windows.starts.tolist() == [0, 3, 6, 0, 3]


def test_subset_keeps_everything_aligned():
    windows = make_windows(_recordings(), length=4, step=2)
    part = windows.subset(windows.groups == "b")
    assert len(part) == 2
    assert part.y["t"].tolist() == ["y", "y"]
    assert part.starts.tolist() == [0, 2]


@pytest.mark.parametrize(
    ("length", "step", "error", "message"),
    [
        (4, 0, ValueError, "step must be positive, got 0"),
        (4, -2, ValueError, "step must be positive, got -2"),
        (0, None, ValueError, "length must be positive, got 0"),
        (4, 0.001, ValueError, r"step must be positive, got 0.001 \(0 samples\)"),
        (8, None, ValueError, r"Window length 8 is longer than recording 'b' \(7"),
        ("4", None, TypeError, "length must be an int"),
    ],
)
def test_bad_window_parameters(length, step, error, message):
    with pytest.raises(error, match=message):
        make_windows(_recordings(), length=length, step=step)


def test_mixed_rates_and_channels_are_refused():
    a = Recording("a", np.zeros(10), 100.0)
    with pytest.raises(ValueError, match="different sampling rates"):
        make_windows([a, Recording("b", np.zeros(10), 200.0)], 4)
    with pytest.raises(ValueError, match="different channels"):
        make_windows([a, Recording("b", np.zeros((2, 10)), 100.0)], 4)
    with pytest.raises(ValueError, match="at least one recording"):
        make_windows([], 4)


def test_nan_in_signal_is_refused():
    signal = np.zeros(10)
    signal[3] = np.nan
    with pytest.raises(ValueError, match=r"Recording 'r' holds 1 NaN .*sample 3"):
        Recording("r", signal, 100.0)


def test_forecasting_windows_match_a_naive_loop():
    rng = np.random.default_rng(0)
    stream = rng.normal(size=(50, 3))
    lookback, horizon, step = 7, 3, 2
    X, y = make_forecasting_windows(
        stream, lookback, horizon, target=[2, 0], step=step, dtype=np.float64
    )
    expected_X, expected_y = [], []
    for start in range(0, 50 - lookback - horizon + 1, step):
        expected_X.append(stream[start : start + lookback].T)
        expected_y.append(stream[start + lookback - 1 + horizon, [2, 0]])
    assert np.array_equal(X, np.array(expected_X))
    assert np.array_equal(y, np.array(expected_y))


def test_forecasting_windows_from_a_dataframe():
    frame = pd.DataFrame({"speed": np.arange(10.0), "vib": np.arange(10.0) ** 2})
    X, y = make_forecasting_windows(frame, lookback=4, horizon=2, target="vib")
    assert X.shape == (5, 2, 4)
    assert y.tolist() == [25.0, 36.0, 49.0, 64.0, 81.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lookback": 0}, "lookback must be a positive int"),
        ({"lookback": 3, "horizon": 0}, "horizon must be a positive int"),
        ({"lookback": 3, "step": -1}, "step must be a positive int"),
        ({"lookback": 10}, "too short for lookback=10 and horizon=1"),
        ({"lookback": 3, "target": 5}, "target 5 out of range for 2 channels"),
        ({"lookback": 3, "target": "x"}, "Unknown target column 'x'"),
    ],
)
def test_bad_forecasting_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_forecasting_windows(np.zeros((10, 2)), **kwargs)
