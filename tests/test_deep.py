"""Behaviour of the deep estimators beyond sklearn's common checks."""

from __future__ import annotations

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn import config_context
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from tsclf import classification, regression
from tsclf.classification import (
    CNNClassifier,
    GRUClassifier,
    MLPClassifier,
    ResNetClassifier,
)
from tsclf.datasets import (
    load_cwru_windows,
    load_ucr_uea,
    make_forecasting_windows,
    make_spike_anomaly,
)
from tsclf.deep import (
    IGNORE_INDEX,
    BaseDeepEstimator,
    MultiTaskCrossEntropy,
    resolve_device,
)
from tsclf.model_selection import (
    LeaveOneConditionOut,
    block_lone_recordings,
)
from tsclf.regression import GRURegressor, LSTMRegressor, RNNRegressor
from tsclf.transformers import WindowStandardizer

from estimator_params import tiny

# The deep classifiers; the seed ensemble and VibrationClassifier (a
# forest on vibration features) have test files of their own.
CLASSIFIERS = [
    getattr(classification, name)
    for name in classification.__all__
    if issubclass(getattr(classification, name), BaseDeepEstimator)
]
REGRESSORS = [getattr(regression, name) for name in regression.__all__]


class _CountingStandardizer(WindowStandardizer):
    """Counts the passes over the data; the count travels with the clone."""

    def fit_transform(self, X, y=None):
        Xt = super().fit(X).transform(X)
        self.passes_ = {"fit_transform": 1, "transform": 0}
        return Xt

    def transform(self, X):
        if hasattr(self, "passes_"):
            self.passes_["transform"] += 1
        return super().transform(X)


def test_the_preprocessor_fits_on_the_training_windows_in_one_pass():
    # A step such as ShiftMonitor treats the data it is fitted on (its
    # reference) differently from data it transforms later: fitting must go
    # through fit_transform, and only prediction through transform.
    X, y = make_spike_anomaly(n_samples=40, random_state=0)
    clf = MLPClassifier(
        preprocessor=_CountingStandardizer(), max_epochs=1, validation=None
    ).fit(X, y)
    assert clf.preprocessor_.passes_ == {"fit_transform": 1, "transform": 0}
    clf.predict(X)
    assert clf.preprocessor_.passes_ == {"fit_transform": 1, "transform": 1}


def test_a_preprocessor_that_returns_a_table_feeds_one_channel_of_features():
    # Band energies or any other per-window features train a network as a
    # 2-D X trains it: one channel, the features along it.
    from tsclf.transformers import BandEnergies

    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    features = BandEnergies(n_bands=16)
    as_rows = MLPClassifier(preprocessor=features, max_epochs=2, validation=None)
    rows = features.fit_transform(X)
    direct = MLPClassifier(preprocessor=None, max_epochs=2, validation=None)
    as_rows.set_params(random_state=0).fit(X, y)
    direct.set_params(random_state=0).fit(rows, y)
    first = next(m for m in as_rows.net_.module_.modules() if hasattr(m, "in_features"))
    assert first.in_features == 16  # one channel of 16 band energies
    np.testing.assert_allclose(
        as_rows.predict_proba(X), direct.predict_proba(rows), rtol=1e-6
    )


def _tiny(cls, **params):
    """Tiny settings, with the estimator's default preprocessor."""
    default = cls().preprocessor
    return tiny(cls, preprocessor=default, **params)


@pytest.fixture(scope="module")
def cwru_small():
    """12 windows of each of the 10 joint CWRU classes, 3-task labels."""
    windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
    joint = windows.y.astype(str).agg("|".join, axis=1).to_numpy()
    rng = np.random.default_rng(0)
    index = np.concatenate(
        [rng.choice(np.flatnonzero(joint == c), 12, replace=False) for c in set(joint)]
    )
    return windows.subset(np.sort(index))


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_every_classifier_fits_cwru_with_three_tasks(cls, cwru_small):
    clf = _tiny(cls, max_epochs=1).fit(
        cwru_small.X, cwru_small.y, groups=cwru_small.groups
    )
    predicted = clf.predict(cwru_small.X[:7])
    assert predicted.shape == (7, 3)
    assert [list(c) for c in clf.classes_] == [
        ["fault", "normal"],
        ["B", "IR", "OR", "n/a"],
        ["007", "014", "021", "n/a"],
    ]
    for task, proba in enumerate(clf.predict_proba(cwru_small.X[:7])):
        assert proba.shape == (7, len(clf.classes_[task]))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
        assert set(predicted[:, task]) <= set(clf.classes_[task])
    assert 0.0 <= clf.score(cwru_small.X, cwru_small.y) <= 1.0
    assert clf.n_tasks_ == 3 and clf.device_ == "cpu"


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=lambda c: c.__name__)
def test_every_classifier_fits_a_single_task_ucr_set(cls):
    X, y = load_ucr_uea("GunPoint", split="train")
    clf = _tiny(cls, max_epochs=2).fit(X, y)
    assert clf.predict(X).shape == (50,)
    assert list(clf.classes_) == ["1", "2"]
    assert clf.predict_proba(X).shape == (50, 2)


@pytest.mark.parametrize("cls", REGRESSORS, ids=lambda c: c.__name__)
def test_regressors_forecast_a_multivariate_stream(cls):
    t = np.arange(3000) / 20.0
    stream = np.column_stack([np.sin(t), np.cos(t), np.sin(2 * t)])
    X, y = make_forecasting_windows(stream, lookback=24, horizon=3, target=[0, 2])
    split = 2000
    reg = cls(max_epochs=15, random_state=0, module__hidden_size=32)
    if cls is LSTMRegressor:
        reg.set_params(module__chunk_size=4)
    reg.fit(X[:split], y[:split])
    predicted = reg.predict(X[split:])
    assert predicted.shape == (len(X) - split, 2)
    baseline = ((y[split:] - y[:split].mean(axis=0)) ** 2).mean()
    assert ((predicted - y[split:]) ** 2).mean() < 0.2 * baseline


def test_dataframe_input_and_task_names():
    X, y = make_spike_anomaly(n_samples=120, random_state=0)
    frame = pd.DataFrame(X[:, 0, :], columns=[f"t{i}" for i in range(50)])
    labels = pd.DataFrame({"anomaly": y, "parity": np.arange(120) % 2})
    clf = MLPClassifier(max_epochs=2, random_state=0, task_weights={"parity": 0.0})
    clf.fit(frame, labels)
    assert clf.predict(frame).shape == (120, 2)
    assert clf.n_features_in_ == 50
    assert list(clf.feature_names_in_) == list(frame.columns)
    with pytest.raises(ValueError, match="task_weights names unknown tasks"):
        MLPClassifier(max_epochs=1, task_weights={"nope": 1}).fit(frame, labels)


def test_random_state_reproduces_and_differs():
    X, y = make_spike_anomaly(n_samples=200, random_state=1)
    first = CNNClassifier(max_epochs=3, random_state=7).fit(X, y)
    second = CNNClassifier(max_epochs=3, random_state=7).fit(X, y)
    other = CNNClassifier(max_epochs=3, random_state=8).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert not np.array_equal(first.predict_proba(X), other.predict_proba(X))
    # The global torch generator is left alone.
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    CNNClassifier(max_epochs=1, random_state=0).fit(X, y)
    assert torch.equal(torch.rand(1), expected)


def test_pickle_and_joblib_round_trip(tmp_path):
    X, y = make_spike_anomaly(n_samples=150, random_state=2)
    clf = GRUClassifier(max_epochs=2, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    joblib.dump(clf, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    assert len(loaded.history_) == 2


@pytest.mark.parametrize("precision", ["float32", "float16"])
def test_no_tensor_is_pickled_outside_the_device_mapped_state(precision):
    # skorch maps the tensors of its cuda_dependent_attributes_ to the CPU
    # when a GPU-trained net is loaded without CUDA; a tensor pickled
    # anywhere else keeps its device, and loading fails on a CPU machine
    # (found on an H200: the LR scheduler callback holds the optimizer).
    import io

    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    clf = CNNClassifier(max_epochs=2, precision=precision, random_state=0).fit(X, y)
    found = []

    class TensorSpy(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, torch.Tensor | torch.UntypedStorage):
                found.append(obj)
            return None

    state = clf.net_.__getstate__()
    for key, value in state.items():
        if key not in ("__cuda_dependent_attributes__", "iterator_train__generator"):
            TensorSpy(io.BytesIO()).dump(value)
    assert found == []
    TensorSpy(io.BytesIO()).dump({k: v for k, v in vars(clf).items() if k != "net_"})
    assert found == []
    restored = pickle.loads(pickle.dumps(clf))  # and the blob still loads
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_predicting_leaves_the_global_torch_generator_alone():
    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    clf = CNNClassifier(max_epochs=1, random_state=0).fit(X, y)
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    clf.predict(X)
    clf.predict_proba(X)
    assert torch.equal(torch.rand(1), expected)


def test_clone_and_set_params_reach_the_network():
    clf = ResNetClassifier(module__shared_size=16, optimizer__weight_decay=0.05)
    assert clf.get_params()["module__shared_size"] == 16
    copy = clone(clf).set_params(module__shared_size=8, lr=0.01)
    assert copy.get_params()["module__shared_size"] == 8
    assert clf.get_params()["module__shared_size"] == 16
    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    copy.set_params(max_epochs=1, module__blocks=((32, 32, 3, 1),)).fit(X, y)
    assert copy.net_.module_.shared[3].out_features == 8
    assert copy.net_.optimizer_.param_groups[0]["weight_decay"] == 0.05
    assert copy.net_.optimizer_.param_groups[0]["lr"] == 0.01
    assert "module__shared_size=8" in repr(copy)


def test_thin_classes_show_their_own_defaults():
    assert ResNetClassifier().module.__name__ == "ResNet1d"
    # "auto" stands for each class's own preprocessing, resolved in fit.
    image = classification.ResNet2DClassifier()._resolved_preprocessor()
    assert [type(step).__name__ for step in image] == [
        "WindowStandardizer",
        "STFTImage",
    ]
    assert RNNRegressor().preprocessor is None
    assert MLPClassifier().get_params()["preprocessor"] == "auto"
    assert isinstance(MLPClassifier()._resolved_preprocessor(), WindowStandardizer)


def test_grid_search_tunes_the_network_with_groups(cwru_small):
    pipe = make_pipeline(
        WindowStandardizer(), tiny(ResNetClassifier, max_epochs=2, preprocessor=None)
    )
    grid = {"resnetclassifier__module__shared_size": [4, 8]}
    conditions = cwru_small.metadata["condition"]
    with config_context(enable_metadata_routing=True):
        # No set_fit_request: tsclf's estimators request groups by default.
        search = GridSearchCV(pipe, grid, cv=LeaveOneConditionOut(), scoring="accuracy")
        y = cwru_small.y["location"]
        search.fit(cwru_small.X, y, groups=cwru_small.groups, conditions=conditions)
    assert search.best_params_["resnetclassifier__module__shared_size"] in (4, 8)
    assert len(search.cv_results_["mean_test_score"]) == 2
    assert search.best_estimator_[-1].net_.module_.shared[3].out_features in (4, 8)


def test_class_weight_and_task_weight_validation():
    X, y = make_spike_anomaly(n_samples=80, random_state=0)
    y2 = np.column_stack([y, y])
    MLPClassifier(max_epochs=1, class_weight="balanced").fit(X, y)
    MLPClassifier(max_epochs=1, class_weight=[None, {0: 1.0, 1: 3.0}]).fit(X, y2)
    with pytest.raises(ValueError, match="class_weight has 3 entries for 2 tasks"):
        MLPClassifier(max_epochs=1, class_weight=[None] * 3).fit(X, y2)
    with pytest.raises(ValueError, match="task_weights has 1 entries for 2 tasks"):
        MLPClassifier(max_epochs=1, task_weights=[0.5]).fit(X, y2)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"device": "tpu"}, "device must be 'auto', 'cpu', 'cuda' or 'cuda:N'"),
        ({"module": int}, "module must be a torch.nn.Module class"),
        ({"max_epochs": 0}, r"The 'max_epochs' parameter of MLPClassifier"),
        ({"lr": -1.0}, r"The 'lr' parameter of MLPClassifier"),
        ({"validation": 1.5}, r"The 'validation' parameter of MLPClassifier"),
        ({"early_stopping_patience": 0}, "early_stopping_patience"),
        ({"gradient_clip": -1.0}, "gradient_clip"),
        ({"modul__x": 1}, r"Unknown parameter 'modul__x'.*'module__x'"),
    ],
)
def test_bad_parameters_fail_in_fit(params, message):
    X, y = make_spike_anomaly(n_samples=20, random_state=0)
    clf = MLPClassifier(**params)  # __init__ only stores
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)


def test_bad_input():
    X, y = make_spike_anomaly(n_samples=20, random_state=0)
    with pytest.raises(ValueError, match="needs at least 2 samples"):
        MLPClassifier(max_epochs=1).fit(X[:1], y[:1])
    clf = MLPClassifier(max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"X has 40 features|series of shape"):
        clf.predict(np.zeros((2, 40)))
    with pytest.raises(ValueError, match="groups has 3 entries for 20 samples"):
        MLPClassifier(max_epochs=1).fit(X, y, groups=[1, 2, 3])
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier(max_epochs=1).fit(X, np.linspace(0, 1, 20))


def test_device_resolution():
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    assert resolve_device("cpu") == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            resolve_device("cuda:0")


def test_multitask_loss_is_weighted_and_masks_labels():
    torch.manual_seed(0)
    logits = (torch.randn(6, 2), torch.randn(6, 3))
    target = torch.tensor([[0, 1], [1, 2], [0, IGNORE_INDEX], [1, 0], [0, 2], [1, 1]])
    loss = MultiTaskCrossEntropy([0.5, 2.0])(logits, target)
    kept = target[:, 1] != IGNORE_INDEX
    expected = 0.5 * torch.nn.functional.cross_entropy(
        logits[0], target[:, 0]
    ) + 2.0 * torch.nn.functional.cross_entropy(logits[1][kept], target[kept, 1])
    assert torch.allclose(loss, expected)
    weights = [None, torch.tensor([1.0, 2.0, 3.0])]
    weighted = MultiTaskCrossEntropy([1.0, 1.0], weights)(logits, target)
    assert not torch.allclose(
        weighted, MultiTaskCrossEntropy([1.0, 1.0])(logits, target)
    )
    all_ignored = torch.full((6, 2), IGNORE_INDEX)
    assert MultiTaskCrossEntropy([1.0, 1.0])(logits, all_ignored).item() == 0.0


def test_regressor_predictions_are_in_target_units():
    X, y = make_forecasting_windows(np.arange(400.0) * 3 + 100, lookback=5)
    reg = GRURegressor(max_epochs=1, random_state=0).fit(X, y)
    assert abs(reg.predict(X).mean() - y.mean()) < 5 * y.std()
    assert reg.n_targets_ == 1


def test_model_trained_on_cuda_loads_on_cpu(monkeypatch):
    """A pickle whose net was on CUDA is mapped to the CPU when CUDA is absent."""
    X, y = make_spike_anomaly(n_samples=100, random_state=0)
    clf = CNNClassifier(max_epochs=1, random_state=0, device="cpu").fit(X, y)
    expected = clf.predict_proba(X)
    # What a GPU fit leaves behind, minus the GPU: skorch records the device
    # and maps every tensor with map_location on load.
    clf.net_.device = "cuda"
    clf.device_ = "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="no CUDA devices are available"):
        restored = pickle.loads(pickle.dumps(clf))
    assert restored.device_ == "cpu"
    np.testing.assert_allclose(restored.predict_proba(X), expected)


def test_not_applicable_labels_are_gated(cwru_small):
    clf = _tiny(CNNClassifier, max_epochs=8, not_applicable="n/a")
    clf.fit(cwru_small.X, cwru_small.y)
    assert [list(c) for c in clf.label_encoder_.head_classes_] == [
        ["fault", "normal"],
        ["B", "IR", "OR"],
        ["007", "014", "021"],
    ]
    assert list(clf.classes_[1]) == ["B", "IR", "OR", "n/a"]
    assert clf.net_.module_.heads.heads[1].out_features == 3
    detection, location, size = clf.predict_proba(cwru_small.X)
    normal = list(clf.classes_[0]).index("normal")
    np.testing.assert_allclose(location[:, 3], detection[:, normal])
    np.testing.assert_allclose(size[:, 3], detection[:, normal])
    np.testing.assert_allclose(location.sum(axis=1), 1.0)
    predicted = clf.predict(cwru_small.X)
    is_normal = predicted[:, 0] == "normal"
    assert (predicted[is_normal, 1] == "n/a").all()
    assert (predicted[~is_normal, 1] != "n/a").all()


def test_not_applicable_needs_a_gating_label():
    X, _ = make_spike_anomaly(n_samples=40, random_state=0)
    y = np.column_stack([np.repeat(["a", "b"], 20), np.tile(["n/a", "x"], 20)])
    with pytest.raises(ValueError, match="no label of another task marks exactly"):
        MLPClassifier(max_epochs=1, not_applicable="n/a").fit(X, y)


def test_seed_ensemble_averages_every_task_and_passes_groups(cwru_small):
    from tsclf.classification import SeedEnsembleClassifier

    member = _tiny(CNNClassifier, max_epochs=1)
    ensemble = SeedEnsembleClassifier(member, n_estimators=3, random_state=0)
    ensemble.fit(cwru_small.X, cwru_small.y, groups=cwru_small.groups)
    seeds = [m.random_state for m in ensemble.estimators_]
    assert len(set(seeds)) == 3
    probas = ensemble.predict_proba(cwru_small.X[:5])
    for task, proba in enumerate(probas):
        members = [
            m.predict_proba(cwru_small.X[:5])[task] for m in ensemble.estimators_
        ]
        np.testing.assert_allclose(proba, np.mean(members, axis=0))
    assert ensemble.predict(cwru_small.X[:5]).shape == (5, 3)
    # Every member validated on whole groups: groups reached its fit.
    valid = ensemble.estimators_[0].net_.train_split.keywords["valid_ds"]
    assert len(valid) < len(cwru_small.X)
    again = clone(ensemble).fit(cwru_small.X, cwru_small.y)
    assert [m.random_state for m in again.estimators_] == seeds


def test_lites_fixed_filters_run_as_one_convolution_and_old_weights_load():
    from torch.nn import functional as F

    from tsclf.networks.lite import (
        LITE,
        HandCraftedFilters,
        _detection_filters,
        _peak_filter,
        _same_padding,
    )

    sizes = (2, 4, 8, 16, 32, 64)
    filters = [f for k in sizes for f in _detection_filters(k)]
    filters += [_peak_filter(k) for k in sizes[1:]]
    x = torch.randn(4, 3, 300, generator=torch.Generator().manual_seed(0))
    # One convolution per filter and channel, filter by filter: the definition.
    one_by_one = [
        F.conv1d(F.pad(x, _same_padding(len(w))), w.repeat(3, 1, 1), groups=3)
        for w in filters
    ]
    expected = torch.relu(torch.cat(one_by_one, dim=1))
    torch.testing.assert_close(HandCraftedFilters(3)(x), expected, rtol=0, atol=1e-6)
    # The bank is rebuilt, not saved; weights saved with one buffer per
    # filter (before the bank) still load.
    network = LITE(3, 300, [2, 3])
    assert not any("custom." in key for key in network.state_dict())
    legacy = dict(network.state_dict())
    legacy.update(
        {f"custom.filter_{i}": w.repeat(3, 1, 1) for i, w in enumerate(filters)}
    )
    LITE(3, 300, [2, 3]).load_state_dict(legacy)
