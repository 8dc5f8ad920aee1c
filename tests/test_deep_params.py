"""The deep estimators' parameters: signatures, typos, nesting and validation."""

from __future__ import annotations

import functools
import inspect
import itertools
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from torch.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau, StepLR

from tsclf.classification import (
    CNNClassifier,
    InceptionTimeClassifier,
    MLPClassifier,
    ResNet2DClassifier,
    ResNetClassifier,
)
from tsclf.datasets import make_spike_anomaly
from tsclf.deep import MultiTaskLabelEncoder
from tsclf.deep._losses import IGNORE_INDEX
from tsclf.model_selection import LeaveOneConditionOut
from tsclf.networks import ResNet1d
from tsclf.regression import GRURegressor
from tsclf.transformers import STFTImage, WindowStandardizer

from estimator_params import tiny


def test_signature_shows_the_real_defaults():
    parameters = inspect.signature(ResNetClassifier).parameters
    assert parameters["module"].default is ResNet1d
    assert parameters["max_epochs"].default == 50
    assert parameters["validation"].default == "auto"
    assert parameters["early_stopping_patience"].default == 10
    assert parameters["preprocessor"].default == "auto"
    scheduler = parameters["lr_scheduler"].default
    assert scheduler.func is ReduceLROnPlateau
    assert scheduler.keywords == {"factor": 0.5, "patience": 3}
    assert parameters["not_applicable"].default is None
    assert inspect.signature(GRURegressor).parameters["preprocessor"].default is None
    # get_params shows what the signature shows, the scheduler's policy included.
    assert ResNetClassifier().get_params()["lr_scheduler"] is scheduler
    assert "patience=3" in repr(scheduler)


@pytest.mark.parametrize(
    ("params", "hint"),
    [
        ({"lrr": 0.1}, "Did you mean 'lr'"),
        ({"modul__depth": 3}, "Did you mean 'module__depth'"),
        ({"optimiser__weight_decay": 0.1}, "Did you mean 'optimizer__weight_decay'"),
        ({"module__dept": 3}, "Did you mean 'module__depth'"),
    ],
)
def test_a_typo_fails_at_fit_with_a_suggestion(params, hint):
    X, y = make_spike_anomaly(n_samples=20, random_state=0)
    clf = InceptionTimeClassifier(max_epochs=1, **params)  # __init__ only stores
    assert clf.get_params()[next(iter(params))] == next(iter(params.values()))
    with pytest.raises(ValueError, match=hint):
        clf.fit(X, y)
    with pytest.raises(ValueError, match=hint.replace("module__depth", ".*")):
        clone(clf).fit(X, y)


def test_a_nested_setting_given_to_the_constructor_says_where_it_goes():
    from tsclf.classification import MLPClassifier

    X, y = make_spike_anomaly(n_samples=20, random_state=0)
    clf = MLPClassifier(max_epochs=1, preprocessor__eps=1e-3)
    with pytest.raises(ValueError, match="WindowStandardizer built with eps") as error:
        clf.fit(X, y)
    message = str(error.value)
    assert "takes no 'preprocessor__eps' here" in message
    assert "Did you mean" not in message and "set_params" not in message
    # The default "auto" has no settings to nest: set_params says the same.
    with pytest.raises(ValueError, match="WindowStandardizer built with eps"):
        MLPClassifier().set_params(preprocessor__eps=1e-3)
    clf = MLPClassifier(max_epochs=1, preprocessor=WindowStandardizer(eps=1e-3))
    assert clf.fit(X, y).preprocessor_.eps == 1e-3
    assert MLPClassifier(max_epochs=1).fit(X, y).preprocessor_.eps == 1e-8


def test_set_params_with_a_typo_fails_at_once():
    with pytest.raises(ValueError, match="Did you mean 'max_epochs'"):
        MLPClassifier().set_params(max_epoch=3)


def test_clone_round_trips_a_preprocessor_and_its_nested_settings():
    clf = CNNClassifier(
        preprocessor=make_pipeline(WindowStandardizer(), STFTImage()),
        module__filters=(8,),
    )
    clf.set_params(
        preprocessor__stftimage__nperseg=16, preprocessor__windowstandardizer__eps=1e-3
    )
    copy = clone(clf)
    assert copy.get_params()["preprocessor__stftimage__nperseg"] == 16
    assert copy.get_params()["preprocessor__windowstandardizer__eps"] == 1e-3
    assert copy.get_params()["module__filters"] == (8,)
    assert copy.preprocessor is not clf.preprocessor
    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    image = ResNet2DClassifier(max_epochs=1, random_state=0, module__n_stages=1)
    assert image.preprocessor == "auto"
    image.fit(X, y)
    assert [type(step).__name__ for step in image.preprocessor_] == [
        "WindowStandardizer",
        "STFTImage",
    ]
    assert image.preprocessor_[-1].nperseg == 64


def test_defaults_are_simple_values_and_a_given_instance_is_nested():
    for name, parameter in inspect.signature(MLPClassifier).parameters.items():
        assert not hasattr(parameter.default, "get_params"), name
    mine = WindowStandardizer()
    MLPClassifier(preprocessor=mine).set_params(preprocessor__eps=0.25)
    assert mine.eps == 0.25  # a user's own instance is nested as in a Pipeline


def test_scheduler_settings_override_and_switch():
    X, y = make_spike_anomaly(n_samples=80, random_state=0)
    clf = MLPClassifier(max_epochs=1, random_state=0, lr_scheduler__patience=7)
    clf.fit(X, y)
    scheduler = dict(clf.net_.callbacks_)["lr_scheduler"].lr_scheduler_
    assert (scheduler.patience, scheduler.factor) == (7, 0.5)
    clf.set_params(lr_scheduler=functools.partial(StepLR, step_size=2))
    with pytest.raises(TypeError, match="patience"):
        clf.fit(X, y)  # StepLR has no patience: nothing is injected behind it
    clf = MLPClassifier(
        max_epochs=1, lr_scheduler=functools.partial(StepLR, step_size=2)
    )
    clf.fit(X, y)
    assert isinstance(dict(clf.net_.callbacks_)["lr_scheduler"].lr_scheduler_, StepLR)


def test_one_cycle_spans_the_fit_and_peaks_at_lr():
    X, y = make_spike_anomaly(n_samples=150, random_state=0)
    clf = MLPClassifier(
        max_epochs=3,
        batch_size=32,
        lr=1e-2,
        lr_scheduler=OneCycleLR,
        validation=None,
        early_stopping_patience=None,
        random_state=0,
    )

    def rates():
        history = clf.fit(X, y).net_.history
        return [batch["event_lr"] for epoch in history for batch in epoch["batches"]]

    steps = rates()
    # 150 windows in batches of 32: 5 an epoch (the last of 22), 15 in all.
    assert len(steps) == 15
    assert max(steps) == pytest.approx(1e-2, rel=0.01)  # the step nearest the peak
    assert steps[0] < 1e-3 and steps[-1] < 1e-6  # warm-up, then annealed to ~0
    peak = steps.index(max(steps))
    assert all(a < b for a, b in itertools.pairwise(steps[: peak + 1]))
    assert all(a > b for a, b in itertools.pairwise(steps[peak:]))
    # A setting given is kept: here a shorter warm-up.
    clf.set_params(lr_scheduler__pct_start=0.1)
    steps = rates()
    assert steps.index(max(steps)) == 1
    # Training further runs a cycle of its own over its own batches.
    clf.set_params(lr_scheduler__pct_start=0.3).partial_fit(X, y, epochs=2)
    more = [b["event_lr"] for epoch in clf.net_.history[3:] for b in epoch["batches"]]
    assert len(more) == 10 and more[0] < 1e-3 and more[-1] < 1e-6
    assert max(more) == pytest.approx(1e-2, rel=0.01)


class RecordingSplit(GroupShuffleSplit):
    """GroupShuffleSplit that keeps what it was given."""

    def split(self, X, y=None, groups=None):
        RecordingSplit.seen = (np.asarray(y), np.asarray(groups))
        return super().split(X, y, groups)


@pytest.mark.parametrize("validation", ["auto", 0.3, "splitter", None])
def test_validation_accepts_auto_a_float_a_splitter_and_none(validation):
    X, y = make_spike_anomaly(n_samples=120, random_state=0)
    groups = np.arange(120) // 6
    if validation == "splitter":
        validation = RecordingSplit(n_splits=1, test_size=0.25, random_state=0)
    clf = tiny(MLPClassifier, max_epochs=2, validation=validation)
    clf.fit(X, y, groups=groups)
    history = clf.history_
    if validation is None:
        assert "valid_loss" not in history[-1]
        return
    assert "valid_loss" in history[-1]
    n_valid = history[-1]["valid_batch_count"]
    assert n_valid >= 1
    if isinstance(validation, RecordingSplit):
        seen_y, seen_groups = RecordingSplit.seen
        np.testing.assert_array_equal(seen_groups, groups)  # groups reach it
        np.testing.assert_array_equal(seen_y, y.astype(str))  # joint labels


def test_validation_holds_out_whole_groups_of_the_given_share():
    X, y = make_spike_anomaly(n_samples=200, random_state=0)
    groups = np.arange(200) // 10  # 20 groups of 10 windows
    for validation, n_valid in (("auto", 40), (0.5, 100)):
        clf = tiny(MLPClassifier, max_epochs=1, validation=validation)
        clf.fit(X, y, groups=groups)
        assert len(clf.net_.train_split.keywords["valid_ds"]) == n_valid


def test_label_encoder_round_trips_labels_without_a_network():
    y = np.array(
        [["normal", "n/a", "n/a"], ["fault", "IR", "007"], ["fault", "B", "021"]]
    )
    encoder = MultiTaskLabelEncoder(not_applicable="n/a").fit(y)
    assert encoder.n_outputs_ == (2, 2, 2)
    assert [list(c) for c in encoder.classes_][1] == ["B", "IR", "n/a"]
    assert encoder.gates_ == [None, (0, 1), (0, 1)]
    codes = encoder.transform(y)
    assert codes.tolist() == [[1, -100, -100], [0, 1, 0], [0, 0, 1]]
    # Logits that put each head's mass on the coded class give y back.
    logits = [np.where(np.eye(2)[np.maximum(c, 0)] > 0, 10.0, -10.0) for c in codes.T]
    np.testing.assert_array_equal(encoder.predict(logits), y)
    probas = encoder.predict_proba(logits)
    for proba in probas:
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(probas[1][:, 2], probas[0][:, 1])  # P(n/a) = P(normal)
    with pytest.raises(ValueError, match="fitted on 3"):
        encoder.transform(y[:, :2])


def test_label_encoder_single_task_and_plain_classes():
    encoder = MultiTaskLabelEncoder().fit(["b", "a", "b"])
    assert encoder.single_task_ and encoder.transform(["a", "b"]).tolist() == [[0], [1]]
    assert encoder.predict([np.array([[0.0, 1.0]])]).tolist() == ["b"]


def test_validation_can_hold_out_a_whole_condition():
    # Condition-aware model selection: groups are the loads, and the
    # splitter holds out one of them; each recording has one load, so whole
    # recordings are held out too.
    from sklearn.model_selection import GroupShuffleSplit

    from tsclf.datasets import load_cwru_windows

    windows = load_cwru_windows()
    keep = np.arange(0, len(windows), 6)
    X, y = windows.X[keep], windows.y.iloc[keep]
    loads = windows.metadata["load_hp"].to_numpy()[keep]
    split = GroupShuffleSplit(n_splits=1, test_size=1, random_state=0)
    clf = tiny(MLPClassifier, max_epochs=1, validation=split).fit(X, y, groups=loads)
    valid = clf.net_.train_split.keywords["valid_ds"]
    held_out = next(split.split(X, y, loads))[1]
    assert len(valid) == len(held_out)
    assert len(set(loads[held_out])) == 1


def _cwru_sample(step=6):
    from tsclf.datasets import load_cwru_windows
    from tsclf.model_selection import block_lone_recordings

    windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
    keep = np.arange(0, len(windows), step)
    loads = windows.metadata["condition"].to_numpy()[keep]
    return windows.X[keep], windows.y.iloc[keep], windows.groups[keep], loads


def test_conditions_reach_a_validation_splitter_that_takes_them():

    X, y, recordings, loads = _cwru_sample()
    clf = tiny(MLPClassifier, max_epochs=1, validation=LeaveOneConditionOut())
    clf.fit(X, y, groups=recordings, conditions=loads)
    # The first load is held out whole: every window of it, and no other.
    assert len(clf.net_.train_split.keywords["valid_ds"]) == (loads == 0).sum()
    # Recordings spanning two loads are refused, as by the splitter itself.
    with pytest.raises(ValueError, match="span"):
        clf.fit(X, y, groups=np.zeros(len(X)), conditions=loads)


@pytest.mark.parametrize("validation", ["auto", 0.3, None, "group-splitter"])
def test_conditions_are_refused_where_validation_would_ignore_them(validation):
    if validation == "group-splitter":
        validation = GroupShuffleSplit(n_splits=1, test_size=1, random_state=0)
    X, y, recordings, loads = _cwru_sample(step=30)
    clf = tiny(MLPClassifier, max_epochs=1, validation=validation)
    with pytest.raises(ValueError, match="does not use them"):
        clf.fit(X, y, groups=recordings, conditions=loads)


def test_a_search_routes_conditions_to_the_network_only_on_request():
    from sklearn import config_context
    from sklearn.model_selection import cross_validate

    X, y, recordings, loads = _cwru_sample(step=10)
    y = y["location"]
    params = {"groups": recordings, "conditions": loads}
    with config_context(enable_metadata_routing=True):
        # Not requested (the default): the network validates on recordings.
        plain = tiny(MLPClassifier, max_epochs=1)
        cross_validate(plain, X, y, cv=LeaveOneConditionOut(), params=params)
        # Requested: in each outer fold the network validates on the first
        # of the loads it trains on, never on the outer test load.
        clf = tiny(MLPClassifier, max_epochs=1, validation=LeaveOneConditionOut())
        clf.set_fit_request(conditions=True)
        result = cross_validate(
            clf,
            X,
            y,
            cv=LeaveOneConditionOut(),
            params=params,
            return_estimator=True,
            return_indices=True,
        )
    for fitted, train in zip(
        result["estimator"], result["indices"]["train"], strict=True
    ):
        first = np.unique(loads[train])[0]
        n_valid = len(fitted.net_.train_split.keywords["valid_ds"])
        assert n_valid == (loads[train] == first).sum()


def test_validation_leaves_out_labels_no_training_window_has():
    # Two tasks; the second's class "z" lives only under condition "b", which
    # the validation split holds out whole (like a fault size and its bearing).
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 1, 16)).astype(np.float32)
    conditions = np.repeat(["a", "b", "c"], 20)
    first = np.tile(["p", "q"], 30)
    second = np.where(conditions == "b", "z", np.tile(["x", "y"], 30))
    y = np.column_stack([first, second])
    clf = MLPClassifier(
        max_epochs=2,
        batch_size=64,
        early_stopping_patience=None,
        validation=LeaveOneConditionOut(),
        random_state=0,
    )
    clf.fit(X, y, conditions=conditions)
    # The held-out condition validates; its "z" labels, never trained on,
    # are out of the second task's validation loss, its "p"/"q" labels in.
    valid = np.flatnonzero(conditions == "a")
    codes = clf.label_encoder_.transform(y)
    masked = clf._validation_targets(codes, np.flatnonzero(conditions != "a"), valid)
    np.testing.assert_array_equal(masked, codes)  # every class trains elsewhere
    train, valid = np.flatnonzero(conditions != "b"), np.flatnonzero(conditions == "b")
    masked = clf._validation_targets(codes, train, valid)
    assert (masked[valid, 1] == IGNORE_INDEX).all()
    np.testing.assert_array_equal(masked[valid, 0], codes[valid, 0])
    np.testing.assert_array_equal(masked[train], codes[train])
    # The recorded validation loss is the first task's alone on condition "a"
    # (LeaveOneConditionOut validates on the first condition): recompute it.
    net = clf.net_
    inputs = torch.as_tensor(clf._transform_input(X[conditions == "a"]))
    net.module_.eval()
    with torch.no_grad():
        outputs = net.module_(inputs)
    expected = net.criterion_(outputs, torch.as_tensor(codes[conditions == "a"]))
    assert net.history[-1, "valid_loss"] == pytest.approx(float(expected), rel=1e-5)


def test_a_held_out_class_does_not_stop_training_at_the_first_epoch():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(90, 1, 16)).astype(np.float32)
    conditions = np.repeat(["a", "b", "c"], 30)
    first = np.tile(["p", "q"], 45)
    X[first == "q", 0, :8] += 3.0  # the first task is learnable
    second = conditions.copy()  # the second task names the condition itself
    y = np.column_stack([first, second])
    clf = MLPClassifier(
        max_epochs=10,
        early_stopping_patience=2,
        validation=LeaveOneConditionOut(),
        random_state=0,
    )
    clf.fit(X, y, conditions=conditions)
    # The validation windows' "a" labels are unlearnable and left out, so
    # the loss watched is the first task's, which keeps improving (with them
    # in, it rises from the first epoch and training stops after the third).
    losses = clf.net_.history[:, "valid_loss"]
    assert clf.n_epochs_ == 10 and losses[-1] < losses[0] / 2
    assert clf.net_.history[-1, "valid_acc"] > 0.9


def _files_named_in_the_engine_diagram() -> set[str]:
    """The files and folders of ``docs/engine.md``'s diagram, under tsclf/."""
    text = (Path(__file__).parents[1] / "docs" / "engine.md").read_text()
    diagram = text.split("```text\n", 1)[1].split("```", 1)[0]
    named = set()
    for token in re.findall(r"[\w/]+\.py|\w+/", diagram):
        named.add(token if "/" in token else f"deep/{token}")
    return named


def test_the_engine_diagram_names_every_file_a_deep_fit_runs():
    X, y = make_spike_anomaly(n_samples=40, length=32, random_state=0)
    y = np.column_stack([y, np.arange(len(y)) % 2])  # two tasks
    groups = np.arange(len(X)) % 8
    ran = set()

    def note(frame, event, arg):
        path = frame.f_code.co_filename.replace("\\", "/")
        if event == "call" and "/tsclf/" in path:
            ran.add(path.rsplit("/tsclf/", 1)[1])

    estimator = CNNClassifier(max_epochs=1, random_state=0)
    sys.setprofile(note)
    try:
        estimator.fit(X, y, groups=groups)
    finally:
        sys.setprofile(None)
    named = _files_named_in_the_engine_diagram()

    def is_named(path: str) -> bool:
        return path in named or any(
            entry.endswith("/") and path.startswith(entry) for entry in named
        )

    assert sorted(path for path in ran if not is_named(path)) == []
    # Augmentation and data-parallel training run only when asked for;
    # every other entry runs.
    missed = {
        entry
        for entry in named - {"augmentation/", "deep/_distributed.py"}
        if not any(path == entry or path.startswith(entry) for path in ran)
    }
    assert missed == set()
