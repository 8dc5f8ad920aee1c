"""Composing tsclf with scikit-learn: groups, nesting and scorers never leak."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier

from tsclf.classification import CNNClassifier
from tsclf.datasets import load_cwru_windows, make_spike_anomaly
from tsclf.exceptions import UngroupedValidationWarning
from tsclf.metrics import joint_accuracy, multitask_scoring, task_score
from tsclf.model_selection import (
    LeaveOneConditionOut,
    StratifiedGroupKFold,
    ValidationSplit,
    block_lone_recordings,
)
from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import WindowStandardizer

from estimator_params import tiny


@pytest.fixture(scope="module")
def windows():
    return block_lone_recordings(load_cwru_windows(), condition="load_hp")


@pytest.fixture
def validation_spy(monkeypatch):
    """Every early-stopping split: (train groups, validation groups) or None."""
    seen = []
    original = ValidationSplit.split

    def split(self, X, y=None, groups=None):
        for train, valid in original(self, X, y, groups):
            seen.append(
                None
                if groups is None
                else (set(groups[train].tolist()), set(groups[valid].tolist()))
            )
            yield train, valid

    monkeypatch.setattr(ValidationSplit, "split", split)
    return seen


def _search():
    X, y = make_spike_anomaly(n_samples=96, random_state=0)
    groups = np.arange(96) // 6  # 16 "recordings" of 6 windows
    search = GridSearchCV(
        tiny(CNNClassifier, max_epochs=1, validation="auto"),
        {"lr": [1e-3, 1e-2]},
        cv=GroupKFold(n_splits=2),
    )
    return search, X, y, groups


def test_routing_off_warns_that_validation_ignores_the_recordings(validation_spy):
    search, X, y, groups = _search()
    with pytest.warns(UngroupedValidationWarning, match="fit got no groups"):
        search.fit(X, y, groups=groups)
    assert validation_spy and all(split is None for split in validation_spy)


def test_routing_on_hands_the_groups_to_early_stopping(validation_spy):
    search, X, y, groups = _search()
    with config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("error", UngroupedValidationWarning)
        search.fit(X, y, groups=groups)  # no set_fit_request needed
    assert len(validation_spy) == 2 * 2 + 1  # 2 settings x 2 folds, and the refit
    for train_groups, valid_groups in validation_spy:
        assert valid_groups and not train_groups & valid_groups


def _monitored_cnn(monitor):
    return tiny(
        CNNClassifier,
        max_epochs=1,
        validation=None,
        preprocessor=make_pipeline(monitor, WindowStandardizer()),
    )


def test_routing_hands_the_groups_to_a_deep_preprocessor():
    # A ShiftMonitor in a deep estimator's preprocessor calibrates on
    # held-out recordings when it asks for them, as in a Pipeline.
    X, y = make_spike_anomaly(n_samples=96, random_state=0)
    X = X.astype(np.float32)  # as the deep estimator passes it on
    groups = np.arange(96) // 6
    direct = ShiftMonitor(cv=GroupKFold(4)).fit(X, groups=groups)
    shuffled = ShiftMonitor(random_state=0).fit(X)
    assert direct.threshold_ != shuffled.threshold_  # the groups matter here
    with config_context(enable_metadata_routing=True):
        asks = ShiftMonitor(cv=GroupKFold(4)).set_fit_request(groups=True)
        model = _monitored_cnn(asks).fit(X, y, groups=groups)
        assert model.preprocessor_[0].threshold_ == direct.threshold_
        # Routed by a search to the refit as well.
        search = GridSearchCV(_monitored_cnn(asks), {"lr": [1e-3]}, cv=GroupKFold(2))
        search.fit(X, y, groups=groups)
        refit_monitor = search.best_estimator_.preprocessor_[0]
        assert refit_monitor.threshold_ == direct.threshold_
        # A monitor that has not said whether it wants them is an error.
        with pytest.raises(UnsetMetadataPassedError, match="set_fit_request"):
            _monitored_cnn(ShiftMonitor()).fit(X, y, groups=groups)
        # One that declined them calibrates on shuffled folds.
        declines = ShiftMonitor(random_state=0).set_fit_request(groups=False)
        model = _monitored_cnn(declines).fit(X, y, groups=groups)
        assert model.preprocessor_[0].threshold_ == shuffled.threshold_
    # Without routing nothing is routed, and a group splitter says how.
    with pytest.raises(ValueError, match="enable metadata routing"):
        _monitored_cnn(ShiftMonitor(cv=GroupKFold(4))).fit(X, y, groups=groups)


def test_no_warning_with_groups_or_a_chosen_splitter():
    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UngroupedValidationWarning)
        tiny(CNNClassifier, max_epochs=1, validation=0.2).fit(
            X, y, groups=np.arange(60) // 6
        )
        tiny(CNNClassifier, max_epochs=1, validation=None).fit(X, y)


def test_leave_one_condition_out_nests_in_a_search_inside_cross_validate(windows):
    flat = FunctionTransformer(lambda X: X.reshape(len(X), -1)[:, ::40])
    search = GridSearchCV(
        make_pipeline(flat, DecisionTreeClassifier(random_state=0)),
        {"decisiontreeclassifier__max_depth": [2, 4]},
        cv=LeaveOneConditionOut(),
    )
    loads = windows.metadata["condition"].to_numpy()
    with config_context(enable_metadata_routing=True):
        scores = cross_validate(
            search,
            windows.X,
            windows.y["location"],
            cv=LeaveOneConditionOut(),
            params={"groups": windows.groups, "conditions": loads},
            return_estimator=True,
        )
    assert len(scores["test_score"]) == 3
    assert np.isfinite(scores["test_score"]).all()
    for inner in scores["estimator"]:
        # The inner search saw two loads: one split per load.
        assert len(inner.cv_results_["split1_test_score"]) == 2
        assert "split2_test_score" not in inner.cv_results_


def test_stratified_group_kfold_takes_the_three_cwru_tasks(windows):
    cv = StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=0)
    splits = list(cv.split(windows.X, windows.y, windows.groups))
    assert len(splits) == 3
    for train, test in splits:
        assert not set(windows.groups[train]) & set(windows.groups[test])
    assert sorted(np.concatenate([test for _, test in splits])) == list(
        range(len(windows))
    )


def _three_tasks():
    y = pd.DataFrame(
        {
            "detection": ["fault", "fault", "normal", "fault"],
            "location": ["ball", "inner", "n/a", "outer"],
            "size": ["0.007", "0.014", "n/a", "0.021"],
        }
    )
    return y


def _echo(y):
    """A fitted classifier that predicts ``y`` back on ``arange(4)``."""
    return DecisionTreeClassifier().fit(np.arange(4)[:, None], y)


SCORING = multitask_scoring(
    ["detection", "location", "size"], metrics=("accuracy", "f1_macro", "recall_macro")
)


@pytest.mark.parametrize("name", sorted(SCORING))
def test_every_scorer_refuses_a_y_of_other_tasks(name):
    y = _three_tasks()
    scorer, X = SCORING[name], np.arange(4)[:, None]
    assert scorer(_echo(y), X, y) == 1.0
    with pytest.raises(ValueError, match=r"must match|built for the tasks"):
        scorer(_echo(y), X, y["location"])  # one task of three
    with pytest.raises(ValueError, match="built for the tasks"):
        scorer(_echo(y["location"]), X, y["location"])  # a 1-task model and y
    swapped = y[["size", "location", "detection"]]
    with pytest.raises(ValueError, match="built for the tasks"):
        scorer(_echo(swapped), X, swapped)


def test_scorer_names_must_be_distinct():
    with pytest.raises(ValueError, match="distinct names"):
        multitask_scoring(["a", "a"])


def test_metrics_refuse_mismatched_shapes_and_positions():
    with pytest.raises(ValueError, match="must match"):
        joint_accuracy([["a", "x"]], [["a", "x"], ["a", "x"]])
    y = _three_tasks()
    with pytest.raises(ValueError, match="not a column"):
        task_score(y, y, task=-1)
    with pytest.raises(ValueError, match="not a column"):
        task_score(y, y, task=3)
    assert task_score(y, y, task="size") == 1.0
    with pytest.raises(ValueError, match="not among the tasks"):
        task_score(y, y, task="speed")


def test_macro_recall_is_the_mean_recall_over_classes():
    y_true = np.array([["a"], ["a"], ["a"], ["b"]])
    y_pred = np.array([["a"], ["a"], ["b"], ["b"]])
    assert task_score(y_true, y_pred, task=0, metric="recall_macro") == pytest.approx(
        (2 / 3 + 1) / 2
    )


@pytest.mark.parametrize(
    "page", ["leakage.md", "deploy.md", "tune-and-scale.md", "bearings.md"]
)
def test_the_docs_examples_run_as_written(page):
    import doctest
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs" / page
    result = doctest.testfile(
        str(path), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted > 0 and result.failed == 0


def test_the_seed_ensemble_hands_routed_groups_to_every_member(validation_spy):
    from tsclf.classification import SeedEnsembleClassifier

    search, X, y, groups = _search()
    search.set_params(
        estimator=SeedEnsembleClassifier(search.estimator, n_estimators=2),
        param_grid={"n_estimators": [2]},
    )
    with config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("error", UngroupedValidationWarning)
        search.fit(X, y, groups=groups)
    assert len(validation_spy) == 2 * (2 + 1)  # 2 members x (2 folds + refit)
    assert all(not train & valid for train, valid in validation_spy)


def test_the_seed_ensemble_routes_only_what_its_members_ask_for():
    from sklearn.linear_model import LogisticRegression

    from tsclf.classification import SeedEnsembleClassifier

    X, y = make_spike_anomaly(n_samples=96, random_state=0)
    groups = np.arange(96) // 6
    plain = SeedEnsembleClassifier(LogisticRegression(), n_estimators=2)
    with config_context(enable_metadata_routing=True):
        # The recordings are for the splitter: a member that takes no
        # groups is not handed them.
        scores = cross_validate(
            plain,
            X.reshape(len(X), -1),
            y,
            cv=GroupKFold(2),
            params={"groups": groups},
            error_score="raise",
        )
        assert np.isfinite(scores["test_score"]).all()
        # A member's preprocessor that could take them but has not said
        # whether it wants them stops the fit before any training.
        monitored = _monitored_cnn(ShiftMonitor(cv=GroupKFold(4)))
        ensemble = SeedEnsembleClassifier(monitored, n_estimators=2)
        with pytest.raises(UnsetMetadataPassedError, match="ShiftMonitor"):
            cross_validate(
                ensemble,
                X,
                y,
                cv=GroupKFold(2),
                params={"groups": groups},
                error_score="raise",
            )


def test_the_joint_label_classifier_routes_groups_to_a_deep_estimator(
    validation_spy,
):
    from tsclf.compose import JointLabelClassifier

    _, X, y, groups = _search()
    model = JointLabelClassifier(tiny(CNNClassifier, max_epochs=1))
    with config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("error", UngroupedValidationWarning)
        cross_validate(model, X, y, cv=GroupKFold(2), params={"groups": groups})
    assert len(validation_spy) == 2
    assert all(not train & valid for train, valid in validation_spy)


def test_sample_weight_scales_each_sample_loss():
    import torch

    from tsclf.deep import MultiOutputMSE, MultiTaskCrossEntropy

    logits = (torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),)
    codes = torch.tensor([[0], [0], [1]])
    weights = torch.tensor([1.0, 3.0, 0.0])
    loss = MultiTaskCrossEntropy([1.0])(
        logits, {"target": codes, "sample_weight": weights}
    )
    each = torch.nn.functional.cross_entropy(logits[0], codes[:, 0], reduction="none")
    torch.testing.assert_close(loss, (each * weights).sum() / weights.sum())
    # Sample weights and class weights multiply, normalised as PyTorch does.
    class_weights = [torch.tensor([1.0, 4.0])]
    weighted = MultiTaskCrossEntropy([1.0], class_weights)
    both = weighted(logits, {"target": codes, "sample_weight": torch.ones(3)})
    torch.testing.assert_close(both, weighted(logits, codes))
    prediction = (torch.tensor([[1.0], [2.0], [4.0]]),)
    target = torch.zeros(3, 1)
    mse = MultiOutputMSE()(prediction, {"target": target, "sample_weight": weights})
    torch.testing.assert_close(mse, torch.tensor((1.0 + 3 * 4.0) / 4.0))


def test_sample_weight_reaches_training_and_uniform_weights_change_nothing():
    X, y = make_spike_anomaly(n_samples=80, random_state=0)
    groups = np.arange(80) // 8
    plain = tiny(CNNClassifier, max_epochs=2).fit(X, y, groups=groups)
    ones = tiny(CNNClassifier, max_epochs=2).fit(
        X, y, groups=groups, sample_weight=np.full(80, 3.0)
    )
    np.testing.assert_array_equal(plain.predict_proba(X), ones.predict_proba(X))
    weighted = tiny(CNNClassifier, max_epochs=2).fit(
        X, y, groups=groups, sample_weight=np.where(y == 1, 10.0, 1.0)
    )
    assert not np.allclose(plain.predict_proba(X), weighted.predict_proba(X))
    with pytest.raises(ValueError, match="Negative values"):
        tiny(CNNClassifier).fit(X, y, sample_weight=-np.ones(80))
    with pytest.raises(ValueError, match="at least one non-zero"):
        tiny(CNNClassifier).fit(X, y, sample_weight=np.zeros(80))
