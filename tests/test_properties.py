"""Property tests: random shapes, steps, dtypes and amplitudes never give garbage.

Each property draws inputs far outside the usual (amplitudes from 1e-12 to
1e12, lengths down to one sample, float16 to float64) and accepts exactly
two outcomes: a clear ``ValueError``/``TypeError``, or finite output of the
documented shape.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is a test extra")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tsclf.datasets import Recording, make_forecasting_windows, make_windows  # noqa: E402
from tsclf.transformers import (  # noqa: E402
    BandEnergies,
    CesiumFeatures,
    EnvelopeSpectrum,
    WindowStandardizer,
)

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
amplitudes = st.sampled_from([1e-12, 1e-9, 1e-3, 1.0, 1e3, 1e9, 1e12])
dtypes = st.sampled_from([np.float16, np.float32, np.float64, np.int16, np.int64])


def _signal(seed: int, shape, amplitude: float, dtype) -> np.ndarray:
    values = np.random.default_rng(seed).normal(size=shape) * amplitude
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.round(values), info.min, info.max).astype(dtype)
    with np.errstate(over="ignore"):
        return values.astype(dtype)


def _refused_or_finite(compute, expected_shape=None):
    """Run ``compute``: a ValueError/TypeError, or finite output of the shape."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = compute()
    except (ValueError, TypeError) as error:
        assert str(error), "an error without a message"
        return None
    out = np.asarray(out)
    assert np.isfinite(out).all(), "non-finite output accepted silently"
    if expected_shape is not None:
        assert out.shape == expected_shape
    return out


@SETTINGS
@given(
    n=st.integers(1, 300),
    channels=st.integers(1, 3),
    length=st.integers(0, 64),
    step=st.one_of(st.none(), st.integers(-2, 40)),
    amplitude=amplitudes,
    seed=st.integers(0, 10),
)
def test_make_windows(n, channels, length, step, amplitude, seed):
    signal = _signal(seed, (channels, n), amplitude, np.float64)
    recording = Recording("r", signal, 100.0, labels={"task": "a"})
    windows = _refused_or_finite(lambda: make_windows([recording], length, step).X)
    if windows is not None:
        hop = length if step is None else step
        assert windows.shape == (((n - length) // hop) + 1, channels, length)


@SETTINGS
@given(
    n=st.integers(1, 200),
    channels=st.integers(1, 3),
    lookback=st.integers(-1, 50),
    horizon=st.integers(-1, 10),
    step=st.integers(-1, 7),
    amplitude=amplitudes,
)
def test_make_forecasting_windows(n, channels, lookback, horizon, step, amplitude):
    stream = _signal(0, (n, channels), amplitude, np.float64)
    out = _refused_or_finite(
        lambda: make_forecasting_windows(stream, lookback, horizon, step=step)[0]
    )
    if out is not None:
        assert out.shape[1:] == (channels, lookback)


@SETTINGS
@given(
    n=st.integers(1, 6),
    channels=st.integers(1, 2),
    length=st.integers(1, 80),
    amplitude=amplitudes,
    dtype=dtypes,
)
def test_window_standardizer(n, channels, length, amplitude, dtype):
    X = _signal(1, (n, channels, length), amplitude, dtype)
    Z = _refused_or_finite(
        lambda: WindowStandardizer().fit_transform(X), (n, channels, length)
    )
    if Z is not None and np.isfinite(X.astype(np.float64)).all():
        spread = X.astype(np.float64).std(axis=-1)
        # Any window with a spread comes out with unit standard deviation.
        varied = spread > 0
        np.testing.assert_allclose(Z.std(axis=-1)[varied], 1.0, rtol=1e-2)


@SETTINGS
@given(
    n=st.integers(1, 5),
    length=st.integers(1, 80),
    n_bands=st.integers(1, 12),
    amplitude=amplitudes,
    dtype=dtypes,
    envelope=st.booleans(),
)
def test_spectral_bands(n, length, n_bands, amplitude, dtype, envelope):
    X = _signal(2, (n, 1, length), amplitude, dtype)
    cls = EnvelopeSpectrum if envelope else BandEnergies
    _refused_or_finite(
        lambda: cls(n_bands=n_bands, sampling_rate=100.0).fit_transform(X),
        (n, n_bands),
    )


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(1, 4),
    length=st.integers(1, 60),
    amplitude=amplitudes,
    dtype=dtypes,
)
def test_cesium_features(n, length, amplitude, dtype):
    # Features defined on every window; skew and the like are NaN on constant
    # windows, as in cesium itself, and flagged by a RuntimeWarning.
    X = _signal(3, (n, 1, length), amplitude, dtype)
    features = ["amplitude", "std", "max", "median_absolute_deviation"]
    _refused_or_finite(
        lambda: CesiumFeatures(features=features, sampling_rate=100.0).fit_transform(X),
        (n, len(features)),
    )


# -- invalid input: refused with the argument named, or a documented result --

from hypothesis.extra import numpy as hnp  # noqa: E402

from tsclf.metrics import joint_accuracy, task_score  # noqa: E402

_label_arrays = st.one_of(
    # numbers of any shape, NaN and infinity included
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.int64]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    ),
    hnp.arrays(
        dtype=np.dtype("U2"),
        shape=hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4),
        elements=st.sampled_from(["a", "b", "c"]),
    ),
)
_weights = st.none() | hnp.arrays(
    dtype=np.float64,
    shape=st.integers(0, 5),
    elements=st.floats(-1, 2) | st.sampled_from([np.nan, np.inf]),
)


@settings(max_examples=150, deadline=None)
@given(y_true=_label_arrays, y_pred=_label_arrays, sample_weight=_weights)
def test_scores_answer_in_range_or_name_the_argument(y_true, y_pred, sample_weight):
    scores = {
        "joint_accuracy": lambda: joint_accuracy(
            y_true, y_pred, sample_weight=sample_weight
        ),
        "task_score": lambda: task_score(y_true, y_pred, task=0),
    }
    for name, score in scores.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = score()
        except (ValueError, TypeError) as error:
            named = ("y_true", "y_pred", "sample_weight", "task")
            assert any(arg in str(error) for arg in named), f"{name}: {error}"
        else:
            assert 0.0 <= value <= 1.0, f"{name} gave {value}"
