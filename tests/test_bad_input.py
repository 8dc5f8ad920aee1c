"""Every bad input or setting gets a clear error (type and message) or a warning.

One table per area; each case names the call, the exception (or warning)
class and a fragment of its message. ``test_the_table_is_large`` keeps the
count honest.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import FunctionTransformer

from tsclf import classification, regression
from tsclf.augmentation import RandomScale, SameLabelMix, TimeStretch
from tsclf.classification import CNNClassifier, LSTMClassifier, SeedEnsembleClassifier
from tsclf.datasets import (
    Recording,
    fetch_cwru,
    load_cwru,
    load_ts_file,
    make_forecasting_windows,
    make_windows,
)
from tsclf.deep import BaseDeepEstimator, WeightAveraging
from tsclf.exceptions import (
    DivergenceError,
    NoValidationWarning,
    UngroupedValidationWarning,
)
from tsclf.metrics import (
    joint_accuracy,
    multitask_scoring,
    plot_training_curves,
    plot_windows,
    task_score,
)
from tsclf.model_selection import (
    LeaveOneConditionOut,
    StratifiedGroupShuffleSplit,
    assert_no_leakage,
    block_groups,
)
from tsclf.transformers import (
    BandEnergies,
    CesiumFeatures,
    ChannelScaler,
    EnvelopeSpectrum,
    Flatten,
    STFTImage,
    WindowStandardizer,
)

from estimator_params import tiny

RNG = np.random.default_rng(0)
X = RNG.normal(size=(24, 1, 32))
Y = np.arange(24) % 2
DEEP = [
    getattr(module, name)
    for module in (classification, regression)
    for name in module.__all__
    if issubclass(getattr(module, name), BaseDeepEstimator)
]
# (setting, value, exception, message fragment): each is refused at fit.
BAD_DEEP_SETTINGS = [
    ("lr", float("inf"), ValueError, "'lr' parameter"),
    ("lr", 0.0, ValueError, "'lr' parameter"),
    ("lr", -1e-3, ValueError, "'lr' parameter"),
    ("max_epochs", 0, ValueError, "'max_epochs' parameter"),
    ("batch_size", 0, ValueError, "'batch_size' parameter"),
    ("gradient_clip", -1.0, ValueError, "'gradient_clip' parameter"),
    ("gradient_clip", 0.0, ValueError, "'gradient_clip' parameter"),
    ("early_stopping_patience", 0, ValueError, "'early_stopping_patience'"),
    ("early_stopping_patience", -1, ValueError, "'early_stopping_patience'"),
    ("validation", 1.5, ValueError, "'validation' parameter"),
    ("device", "gpu", ValueError, "device must be"),
    ("precision", "half", ValueError, "'precision' parameter"),
    ("augmentation", ["scale"], ValueError, "augmentation takes batch transforms"),
]


@pytest.mark.parametrize(("name", "value", "error", "message"), BAD_DEEP_SETTINGS)
@pytest.mark.parametrize("cls", DEEP, ids=lambda cls: cls.__name__)
def test_every_deep_estimator_refuses_bad_settings(cls, name, value, error, message):
    y = X[:, 0, -1] if issubclass(cls, regression.LSTMRegressor.__mro__[1]) else Y
    with pytest.raises(error, match=message):
        tiny(cls, **{"max_epochs": 1, name: value}).fit(X, y)


def _flat_window(n=8):
    return np.ones((n, 1, 1))


CASES = [
    # -- deep estimators: data, weights, divergence --------------------------
    (
        lambda: tiny(CNNClassifier).fit(np.zeros((24, 1, 0)), Y),
        ValueError,
        "0 time point",
    ),
    (lambda: tiny(CNNClassifier).fit(np.zeros((24, 0, 5)), Y), ValueError, "0 channel"),
    (lambda: tiny(CNNClassifier).fit(np.zeros((24, 1, 3, 3)), Y), ValueError, "shape"),
    (lambda: tiny(CNNClassifier).fit(X, Y[:10]), ValueError, "inconsistent"),
    (
        lambda: tiny(CNNClassifier).fit(X, Y, groups=np.arange(5)),
        ValueError,
        "groups has 5",
    ),
    (
        lambda: tiny(CNNClassifier).fit(X, Y, sample_weight=-np.ones(24)),
        ValueError,
        "Negative",
    ),
    (
        lambda: tiny(CNNClassifier).fit(X, Y, sample_weight=np.zeros(24)),
        ValueError,
        "non-zero",
    ),
    (
        lambda: tiny(CNNClassifier).fit(X, Y, sample_weight=np.ones(3)),
        ValueError,
        "sample_weight",
    ),
    (
        lambda: tiny(CNNClassifier, task_weights=[np.nan]).fit(X, Y),
        ValueError,
        "task_weights must",
    ),
    (
        lambda: tiny(CNNClassifier, task_weights=[-1.0]).fit(X, Y),
        ValueError,
        "task_weights must",
    ),
    (
        lambda: tiny(CNNClassifier, task_weights=[0.0]).fit(X, Y),
        ValueError,
        "not all zero",
    ),
    (
        lambda: tiny(CNNClassifier, task_weights=[1, 1]).fit(X, Y),
        ValueError,
        "2 entries for 1",
    ),
    (
        lambda: tiny(CNNClassifier, task_weights={"x": 1}).fit(X, Y),
        ValueError,
        "unknown tasks",
    ),
    (
        lambda: tiny(CNNClassifier, class_weight={0: -1.0, 1: 1.0}).fit(X, Y),
        ValueError,
        "finite and positive",
    ),
    (
        lambda: tiny(CNNClassifier, class_weight="even").fit(X, Y),
        ValueError,
        "'class_weight'",
    ),
    (
        lambda: tiny(
            CNNClassifier, lr=1e30, gradient_clip=None, validation=None, max_epochs=3
        ).fit(X * 1e3, Y),
        DivergenceError,
        "Training diverged in epoch",
    ),
    (lambda: tiny(CNNClassifier, lrr=0.1).fit(X, Y), ValueError, "Did you mean"),
    (
        lambda: tiny(CNNClassifier, module__filterz=(4,)).fit(X, Y),
        ValueError,
        "filterz",
    ),
    (lambda: tiny(CNNClassifier).predict(X), Exception, "not fitted"),
    (
        lambda: tiny(CNNClassifier).fit(X, Y).predict(X[:, :, :10]),
        ValueError,
        "fitted on",
    ),
    (
        lambda: tiny(CNNClassifier).fit(X, Y).adapt(X[:1]),
        ValueError,
        "at least 2 windows",
    ),
    (lambda: tiny(LSTMClassifier).fit(X, Y).adapt(X), ValueError, "no BatchNorm"),
    (
        lambda: tiny(classification.ResNet2DClassifier, preprocessor=None).fit(
            X[:, :, :2], Y
        ),
        ValueError,
        "cannot run ResNet2d",
    ),
    # -- what a preprocessor hands the network ---------------------------------
    (
        lambda: tiny(CNNClassifier, preprocessor=FunctionTransformer(np.log)).fit(X, Y),
        ValueError,
        "FunctionTransformer returned NaN or infinite values",
    ),
    (
        lambda: (
            tiny(CNNClassifier, preprocessor=FunctionTransformer(np.log))
            .fit(np.abs(X), Y)
            .predict(-np.abs(X))
        ),
        ValueError,
        "FunctionTransformer returned NaN or infinite values",
    ),
    (
        lambda: tiny(
            CNNClassifier, preprocessor=FunctionTransformer(lambda X: X[::2])
        ).fit(X, Y),
        ValueError,
        r"shape \(12, 1, 32\) for 24 windows",
    ),
    (
        lambda: tiny(
            CNNClassifier, preprocessor=FunctionTransformer(lambda X: X.ravel())
        ).fit(X, Y),
        ValueError,
        r"shape \(768,\) for 24 windows",
    ),
    (
        lambda: SeedEnsembleClassifier(tiny(CNNClassifier), n_estimators=0).fit(X, Y),
        ValueError,
        "'n_estimators'",
    ),
    (lambda: SeedEnsembleClassifier("cnn").fit(X, Y), ValueError, "'estimator'"),
    (
        lambda: tiny(CNNClassifier, callbacks=[WeightAveraging(decay=1.5)]).fit(X, Y),
        ValueError,
        "'decay'",
    ),
    (
        lambda: tiny(CNNClassifier, callbacks=[WeightAveraging(start=0)]).fit(X, Y),
        ValueError,
        "'start'",
    ),
    (
        lambda: tiny(CNNClassifier, validation=0.99).fit(X, Y),
        NoValidationWarning,
        "found nothing to hold out",
    ),
    # -- augmentation ---------------------------------------------------------
    (lambda: RandomScale(p=2.0)(X, None), ValueError, "'p' parameter"),
    (lambda: RandomScale(low=-1.0)(X, None), ValueError, "'low' parameter"),
    (
        lambda: TimeStretch(1.2, 0.8)(
            __import__("torch").ones(2, 1, 8), __import__("torch").Generator()
        ),
        ValueError,
        "low <= high",
    ),
    (
        lambda: SameLabelMix()(
            __import__("torch").ones(2, 1, 8), __import__("torch").Generator()
        ),
        ValueError,
        "needs the batch's labels",
    ),
    (
        lambda: SameLabelMix(max_weight=2.0)(
            __import__("torch").ones(2, 1, 8), __import__("torch").Generator(), [0, 1]
        ),
        ValueError,
        "'max_weight'",
    ),
    # -- transformers -----------------------------------------------------------
    (lambda: WindowStandardizer(eps=0).fit(X), ValueError, "'eps' parameter"),
    (lambda: WindowStandardizer(eps=-1).fit(X), ValueError, "'eps' parameter"),
    (
        lambda: WindowStandardizer().fit(_flat_window()),
        ValueError,
        "at least 2 samples",
    ),
    (
        lambda: WindowStandardizer().fit(X).transform(np.ones((4, 3, 32))),
        ValueError,
        "expecting 1 features",
    ),
    (
        lambda: WindowStandardizer().set_output(transform="arrow"),
        ValueError,
        "transform must be",
    ),
    (
        lambda: BandEnergies(n_bands=4).fit(X).transform(X[:, :, :16]),
        ValueError,
        "fitted on 32",
    ),
    (
        lambda: EnvelopeSpectrum(n_bands=4).fit(X).transform(X[:, :, :16]),
        ValueError,
        "fitted on 32",
    ),
    (lambda: BandEnergies(n_bands=0).fit(X), ValueError, "'n_bands'"),
    (lambda: BandEnergies(sampling_rate=-1.0).fit(X), ValueError, "'sampling_rate'"),
    (
        lambda: BandEnergies(n_bands=64).fit(X),
        ValueError,
        "narrower than the FFT resolution",
    ),
    (lambda: BandEnergies().fit(_flat_window()), ValueError, "no spectrum"),
    (
        lambda: STFTImage(nperseg=8).fit(X).transform(X[:, :, :16]),
        ValueError,
        "fitted on 32",
    ),
    (lambda: STFTImage(nperseg=0).fit(X), ValueError, "'nperseg'"),
    (lambda: CesiumFeatures().fit(_flat_window()), ValueError, "at least 2 samples"),
    (lambda: CesiumFeatures(features=["nope"]).fit(X), ValueError, "nope"),
    (lambda: CesiumFeatures(sampling_rate=0.0).fit(X), ValueError, "'sampling_rate'"),
    (
        lambda: CesiumFeatures(features=["skew"]).fit_transform(np.ones((3, 1, 20))),
        RuntimeWarning,
        "non-finite values",
    ),
    (
        lambda: ChannelScaler().fit(np.ones((4, 3, 8))).transform(np.ones((4, 2, 8))),
        ValueError,
        "expecting 3 features",
    ),
    (lambda: ChannelScaler(scaler="standard").fit(X), ValueError, "'scaler' parameter"),
    (
        lambda: Flatten().fit(X).transform(X[:, :, :5]),
        ValueError,
        "expecting|fitted on",
    ),
    (
        lambda: CesiumFeatures().fit(
            pd.DataFrame({"c": [pd.Series(np.ones(5)), pd.Series(np.ones(7))]})
        ),
        ValueError,
        "unequal lengths",
    ),
    # -- metrics and scorers --------------------------------------------------
    (
        lambda: joint_accuracy([["a", "x"]], [["a", "x"], ["a", "x"]]),
        ValueError,
        "must match",
    ),
    (lambda: joint_accuracy(["a", "b"], ["a"]), ValueError, "must match"),
    (lambda: task_score([["a"]], [["a"]], task=-1), ValueError, "not a column"),
    (lambda: task_score([["a"]], [["a"]], task=1), ValueError, "not a column"),
    (
        lambda: task_score([["a"]], [["a"]], task=0.5),
        ValueError,
        "column position or name",
    ),
    (
        lambda: task_score([["a"]], [["a"]], task=0, metric="auc"),
        ValueError,
        "metric must be",
    ),
    (
        lambda: task_score(pd.DataFrame({"t": ["a"]}), [["a"]], task="u"),
        ValueError,
        "not among the tasks",
    ),
    (lambda: multitask_scoring(["a", "a"]), ValueError, "distinct names"),
    (lambda: multitask_scoring([]), ValueError, "distinct names"),
    (lambda: multitask_scoring(["a"], metrics=("auc",)), ValueError, "metric must be"),
    # -- splitters --------------------------------------------------------------
    (
        lambda: list(LeaveOneConditionOut().split(np.zeros(3))),
        ValueError,
        "needs each sample's condition",
    ),
    (
        lambda: list(LeaveOneConditionOut().split(np.zeros(3), groups=[0, np.nan, 1])),
        ValueError,
        "missing values",
    ),
    (
        lambda: list(
            LeaveOneConditionOut().split(
                np.zeros(3), groups=np.array([0, None, 1], dtype=object)
            )
        ),
        ValueError,
        "missing values",
    ),
    (
        lambda: list(LeaveOneConditionOut().split(np.zeros(3), groups=[0, 1])),
        ValueError,
        "one entry per sample",
    ),
    (
        lambda: LeaveOneConditionOut().get_n_splits(groups=[0, 0]),
        ValueError,
        "two conditions",
    ),
    (
        lambda: LeaveOneConditionOut(test_conditions=[5]).get_n_splits(groups=[0, 1]),
        ValueError,
        "must be non-empty and",
    ),
    (
        lambda: LeaveOneConditionOut(train_conditions=[0]).get_n_splits(groups=[0, 1]),
        ValueError,
        "needs test_conditions",
    ),
    (
        lambda: list(
            LeaveOneConditionOut().split(
                np.zeros(2), groups=["r", "r"], conditions=[0, 1]
            )
        ),
        ValueError,
        "span several conditions",
    ),
    (
        lambda: block_groups(np.zeros(4), np.arange(4), 0, y=np.zeros(4)),
        ValueError,
        "'length' parameter",
    ),
    (
        lambda: block_groups(np.zeros(4), np.arange(4), -3, y=np.zeros(4)),
        ValueError,
        "'length' parameter",
    ),
    (
        lambda: block_groups(np.zeros(4), np.arange(4), 1, y=np.zeros(4), n_blocks=1),
        ValueError,
        "'n_blocks' parameter",
    ),
    (
        lambda: block_groups(np.zeros(4), np.arange(4), 1, y=np.zeros(4), gap=-1),
        ValueError,
        "'gap' parameter",
    ),
    (
        lambda: block_groups(np.zeros(4), np.arange(3), 1, y=np.zeros(4)),
        ValueError,
        "aligned",
    ),
    (lambda: block_groups(np.zeros(4), np.arange(4), 1), ValueError, "Pass `y`"),
    # -- data -----------------------------------------------------------------
    (lambda: Recording("a", np.array(["x", "y"]), 1.0), TypeError, "real numbers"),
    (lambda: Recording("a", np.array([1.0, np.nan]), 1.0), ValueError, "NaN"),
    (lambda: Recording("a", np.array([1j, 2j]), 1.0), TypeError, "real numbers"),
    (lambda: Recording("a", np.zeros(0), 1.0), ValueError, "n_samples > 0"),
    (
        lambda: make_windows([Recording("a", np.arange(10.0), 1.0)], length=0),
        ValueError,
        "length must be positive",
    ),
    (
        lambda: make_windows([Recording("a", np.arange(10.0), 1.0)], length=4, step=-1),
        ValueError,
        "step must be positive",
    ),
    (
        lambda: make_windows([Recording("a", np.arange(10.0), 1.0)], length=40),
        ValueError,
        "longer than recording",
    ),
    (
        lambda: make_windows([Recording("a", np.arange(10.0), 1.0)], length="4"),
        TypeError,
        "length must be an int",
    ),
    (
        lambda: make_windows(
            [Recording("a", np.arange(10.0), 1.0)], length=4, dtype=np.int8
        ),
        ValueError,
        "floating type",
    ),
    (
        lambda: make_windows(
            [Recording("a", np.full(10, 1e6), 1.0)], length=4, dtype=np.float16
        ),
        ValueError,
        "beyond the range of float16",
    ),
    (
        lambda: make_windows(
            [
                Recording("a", np.arange(10.0), 1.0, labels={"t": "x"}),
                Recording("b", np.arange(10.0), 1.0, labels={"u": "x"}),
            ],
            length=4,
        ),
        ValueError,
        "different label names",
    ),
    (
        lambda: make_windows(
            [
                Recording("a", np.arange(10.0), 1.0),
                Recording("b", np.arange(10.0), 2.0),
            ],
            length=4,
        ),
        ValueError,
        "different sampling rates",
    ),
    (lambda: make_windows([], length=4), ValueError, "at least one recording"),
    (
        lambda: make_forecasting_windows(np.arange(5.0), lookback=10),
        ValueError,
        "too short",
    ),
    (
        lambda: make_forecasting_windows(np.arange(50.0), lookback=0),
        ValueError,
        "lookback",
    ),
    (
        lambda: load_cwru("/nonexistent/folder"),
        FileNotFoundError,
        "CWRU folder not found",
    ),
    (lambda: load_cwru(load=7), ValueError, "load"),
    (
        lambda: load_cwru(channels=("XX",)),
        ValueError,
        "embedded CWRU copy holds the drive-end",
    ),
    (
        lambda: fetch_cwru([105], "/tmp/tsclf_never", base_url="http://example.org/"),
        ValueError,
        "https URL",
    ),
    (lambda: fetch_cwru([105.9], "/tmp/tsclf_never"), ValueError, "integers"),
    (
        lambda: fetch_cwru([99999], "/tmp/tsclf_never"),
        ValueError,
        "not in the catalogue",
    ),
    (lambda: load_ts_file("/nonexistent.ts"), FileNotFoundError, ".ts file not found"),
    # -- plots ------------------------------------------------------------------
    (lambda: plot_windows(X, Y, n_windows=0), ValueError, "n_windows must be"),
    (lambda: plot_windows(X, Y, ncols=0), ValueError, "ncols must be"),
    (lambda: plot_windows(X[:0], Y[:0]), ValueError, "no windows"),
    (
        lambda: plot_training_curves([{"epoch": 1, "train_loss": 0.5}], keys=["nope"]),
        ValueError,
        r"keys \['nope'\] are not in the history",
    ),
    # -- settings ---------------------------------------------------------------
    (
        lambda: tiny(CNNClassifier, preprocessor=STFTImage()).fit(X, Y),
        ValueError,
        "The preprocessor gives images",
    ),
    (
        lambda: tiny(CNNClassifier, callbacks=["x"]).fit(X, Y),
        TypeError,
        r"takes skorch callbacks .* got 'x'",
    ),
    (
        lambda: tiny(CNNClassifier).fit([np.zeros(5), np.zeros(6)], [0, 1]),
        ValueError,
        "series of different shapes",
    ),
    # -- spectral steps ---------------------------------------------------------
    (lambda: BandEnergies(n_bands=True).fit(X), ValueError, "n_bands must be an int"),
    (
        lambda: BandEnergies(n_bands=2).fit_transform(np.full((3, 1, 64), 1e200)),
        ValueError,
        "overflowed",
    ),
    (
        lambda: EnvelopeSpectrum(band=(1,), sampling_rate=100.0).fit(X),
        ValueError,
        r"band must be \(low, high\): two frequencies",
    ),
    (
        lambda: (
            EnvelopeSpectrum(band=(10, 20), sampling_rate=100.0, n_bands=2)
            .fit(np.ones((3, 1, 8)))
            .transform(np.ones((3, 1, 8)))
        ),
        ValueError,
        "too short to band-pass",
    ),
    # -- windows and splits -----------------------------------------------------
    (
        lambda: Recording("a", np.zeros(10), float("inf")),
        ValueError,
        "positive, finite number",
    ),
    (lambda: Recording(None, np.zeros(10), 1.0), TypeError, "non-empty str"),
    (
        lambda: make_windows(
            [Recording("a", np.zeros(10), 1.0), Recording("a", np.ones(10), 1.0)],
            length=4,
        ),
        ValueError,
        r"share names \['a'\]",
    ),
    (
        lambda: make_windows([Recording("a", np.zeros(10), 1.0)], length=float("nan")),
        ValueError,
        "length must be a finite number",
    ),
    (
        lambda: make_forecasting_windows(np.arange(50.0), lookback=5, target=True),
        TypeError,
        "column positions",
    ),
    (
        lambda: make_forecasting_windows(np.arange(50.0), lookback=5, target=[]),
        ValueError,
        "names no column",
    ),
    (lambda: StratifiedGroupShuffleSplit(n_splits=0), ValueError, "n_splits"),
    (
        lambda: assert_no_leakage([0.5, 1.5], [2.0], groups=["a", "b", "c"]),
        TypeError,
        "integer positions",
    ),
    (
        lambda: assert_no_leakage([0], [1], groups=["a", "b"], starts=[0, 9], length=0),
        ValueError,
        "length must be a positive int",
    ),
    # -- labels and scores ------------------------------------------------------
    (
        lambda: tiny(CNNClassifier).fit(
            X, pd.DataFrame({"a": Y, "b": [None] + [1] * 23})
        ),
        ValueError,
        "task column 'b' holds 1 missing label",
    ),
    (
        lambda: tiny(CNNClassifier).fit(
            X, pd.DataFrame({"a": Y, "b": ["x"] + [1] * 23})
        ),
        ValueError,
        "task column 'b' mixes strings with",
    ),
    (lambda: joint_accuracy([], []), ValueError, "holds no samples"),
    (
        lambda: joint_accuracy([["a", None]], [["a", "b"]]),
        ValueError,
        r"missing labels \(None or NaN\) in task column\(s\) \[1\]",
    ),
    (lambda: joint_accuracy([np.nan, 1.0], [1.0, 1.0]), ValueError, "missing labels"),
    (
        lambda: joint_accuracy(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))),
        ValueError,
        r"shape \(n_samples,\) or \(n_samples, n_tasks\), got shape \(2, 2, 2\)",
    ),
    (
        lambda: joint_accuracy([1, 2, 3], [1, 2, 3], sample_weight=np.ones(2)),
        ValueError,
        r"sample_weight.shape == \(2,\), expected \(3,\)",
    ),
    (
        lambda: (
            tiny(CNNClassifier, max_epochs=1, validation=None)
            .fit(X, Y)
            .score(X, Y, sample_weight=np.ones(3))
        ),
        ValueError,
        "sample_weight.shape",
    ),
    (lambda: multitask_scoring("ab"), TypeError, r"got the string 'ab'.*\['ab'\]"),
    # -- warnings ---------------------------------------------------------------
    (
        lambda: tiny(CNNClassifier, validation="auto").fit(X, Y),
        UngroupedValidationWarning,
        "fit got no groups",
    ),
    (
        lambda: tiny(CNNClassifier, validation="auto").fit(X, Y, groups=np.zeros(24)),
        NoValidationWarning,
        "found nothing to hold out",
    ),
]


@pytest.mark.parametrize(
    ("call", "expected", "message"),
    CASES,
    ids=[
        f"{i:03d}-{expected.__name__}-{message}"
        for i, (_, expected, message) in enumerate(CASES)
    ],
)
def test_bad_input_is_refused_clearly(call, expected, message):
    if issubclass(expected, Warning):
        with pytest.warns(expected, match=message), warnings.catch_warnings():
            warnings.simplefilter("always")
            call()
    else:
        with pytest.raises(expected, match=message):
            call()


def test_the_table_is_large():
    assert len(CASES) + len(DEEP) * len(BAD_DEEP_SETTINGS) >= 150
