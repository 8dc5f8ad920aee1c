from __future__ import annotations

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    LeaveOneGroupOut,
    StratifiedGroupKFold,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier

from tsclf.datasets import load_cwru_windows
from tsclf.model_selection import (
    LeakageError,
    LeaveOneConditionOut,
    StratifiedGroupShuffleSplit,
    assert_no_leakage,
    block_groups,
    block_lone_recordings,
    train_test_split_by_group,
)


@pytest.fixture(scope="module")
def windows():
    return block_lone_recordings(load_cwru_windows(), condition="load_hp")


def test_leave_one_load_out_has_no_recording_on_both_sides(windows):
    cv = LeaveOneConditionOut()
    conditions = windows.metadata["condition"]
    recordings = windows.metadata["recording"].to_numpy()
    splits = list(cv.split(windows.X, groups=windows.groups, conditions=conditions))
    assert len(splits) == cv.get_n_splits(conditions=conditions) == 3
    as_groups = list(cv.split(windows.X, groups=conditions))
    for (train, test), (train_g, test_g) in zip(splits, as_groups, strict=True):
        np.testing.assert_array_equal(train, train_g)
        np.testing.assert_array_equal(test, test_g)
    for train, test in splits:
        assert not set(windows.groups[train]) & set(windows.groups[test])
        fault_train = set(recordings[train]) - {"97"}
        assert not fault_train & set(recordings[test])
        assert_no_leakage(
            train,
            test,
            windows.groups,
            recordings=recordings,
            starts=windows.starts,
            length=windows.length,
        )
        for side in (train, test):
            assert set(windows.y["detection"].iloc[side]) == {"normal", "fault"}
    assert sorted(np.concatenate([test for _, test in splits])) == list(
        range(len(windows))
    )


def test_train_on_two_loads_test_on_third(windows):
    cv = LeaveOneConditionOut(test_conditions=[2], train_conditions=[0, 1])
    assert cv.get_n_splits() == 1
    conditions = windows.metadata["condition"]
    ((train, test),) = cv.split(windows.X, groups=windows.groups, conditions=conditions)
    assert set(windows.metadata["condition"].iloc[test]) == {2}
    assert set(windows.metadata["condition"].iloc[train]) == {0, 1}


def test_condition_split_errors():
    cv = LeaveOneConditionOut()
    with pytest.raises(ValueError, match="span several conditions"):
        list(cv.split(np.zeros(2), groups=["r", "r"], conditions=[0, 1]))
    with pytest.raises(
        ValueError, match=r"one entry per sample, got shape \(2,\) for 3"
    ):
        list(cv.split(np.zeros(3), groups=[0, 1]))
    with pytest.raises(ValueError, match="needs each sample's condition"):
        list(cv.split(np.zeros(3)))
    with pytest.raises(ValueError, match="missing values"):
        list(cv.split(np.zeros(3), groups=[0, np.nan, 1]))
    with pytest.raises(ValueError, match="missing values"):
        list(cv.split(np.zeros(3), groups=np.array([0, None, 1], dtype=object)))
    with pytest.raises(ValueError, match=r"test_conditions \[5\] must be"):
        LeaveOneConditionOut(test_conditions=[5]).get_n_splits(groups=[0, 1])
    with pytest.raises(ValueError, match="needs two conditions"):
        cv.get_n_splits(groups=[0, 0])
    with pytest.raises(ValueError, match="both in train and test"):
        LeaveOneConditionOut(test_conditions=[1], train_conditions=[0, 1]).get_n_splits(
            groups=[0, 1]
        )


@pytest.mark.parametrize(
    "cv",
    [GroupKFold(n_splits=3), StratifiedGroupKFold(n_splits=3), LeaveOneGroupOut()],
    ids=["GroupKFold", "StratifiedGroupKFold", "LeaveOneGroupOut"],
)
def test_sklearn_group_splitters_just_work(windows, cv):
    y = windows.y["location"]
    for train, test in cv.split(windows.X, y, windows.groups):
        assert_no_leakage(train, test, windows.groups)
    flat = FunctionTransformer(lambda X: X.reshape(len(X), -1)[:, :50])
    result = cross_validate(
        make_pipeline(flat, DummyClassifier()),
        windows.X,
        y,
        groups=windows.groups,
        cv=cv,
    )
    assert len(result["test_score"]) == cv.get_n_splits(windows.X, y, windows.groups)


def test_grid_search_with_groups_and_conditions(windows):
    flat = FunctionTransformer(lambda X: X.reshape(len(X), -1)[:, ::20])
    search = GridSearchCV(
        make_pipeline(flat, DecisionTreeClassifier(random_state=0)),
        {"decisiontreeclassifier__max_depth": [1, 3]},
        cv=LeaveOneConditionOut(),
    )
    search.fit(windows.X, windows.y["detection"], groups=windows.metadata["condition"])
    assert search.best_params_["decisiontreeclassifier__max_depth"] in (1, 3)
    assert len(search.cv_results_["split2_test_score"]) == 2


def test_stratified_group_shuffle_split_by_recording(windows):
    cv = StratifiedGroupShuffleSplit(n_splits=3, test_size=10, random_state=0)
    joint = windows.y.to_numpy()
    for train, test in cv.split(windows.X, joint, windows.groups):
        assert_no_leakage(train, test, windows.groups)
        train_classes = {tuple(row) for row in joint[train]}
        test_classes = {tuple(row) for row in joint[test]}
        assert train_classes == test_classes
        assert len(test_classes) == 10
        # 30 groups, each of the 10 classes has 3: one goes to test.
        assert len(set(windows.groups[test])) == 10


def test_stratified_group_split_refuses_a_lone_class():
    groups = np.array(["a", "a", "b", "c"])
    y = np.array(["n", "n", "f", "f"])
    with pytest.raises(ValueError, match=r"Classes \['n'\] have a single group"):
        next(StratifiedGroupShuffleSplit().split(np.zeros(4), y, groups))


def test_a_stratified_group_split_too_small_says_sizes_count_recordings():
    y = np.repeat(np.arange(15), 20)
    groups = np.repeat(np.arange(30), 10)
    with pytest.raises(
        ValueError, match=r"30 groups .* Sizes count groups, not samples"
    ):
        train_test_split_by_group(y, groups=groups, stratify=y, test_size=0.3)


def test_train_test_split_by_group_returns_aligned_parts(windows):
    X_tr, X_te, y_tr, y_te, g_tr, g_te = train_test_split_by_group(
        windows.X,
        windows.y,
        groups=windows.groups,
        stratify=windows.y,
        test_size=0.34,
        random_state=1,
    )
    assert len(X_tr) == len(y_tr) == len(g_tr)
    assert len(X_te) + len(X_tr) == len(windows)
    assert not set(g_tr) & set(g_te)
    assert set(y_te["size"]) == {"n/a", "007", "014", "021"}
    _, _, g_tr, g_te = train_test_split_by_group(
        windows.X, groups=windows.groups, test_size=0.2, random_state=0
    )
    assert not set(g_tr) & set(g_te)


@pytest.mark.parametrize("step", [10, 4, 1])
def test_blocks_never_share_samples_and_keep_a_gap(step):
    length, n = 10, 300
    starts = np.arange(0, n - length + 1, step)
    groups = np.array(["solo"] * len(starts) + ["x", "y"], dtype=object)
    starts = np.r_[starts, 0, 0]
    y = np.array(["normal"] * (len(starts) - 2) + ["fault", "fault"])
    result = block_groups(groups, starts, length, y=y, n_blocks=3, gap=1)
    kept = result.keep & (groups == "solo")
    blocks = result.block[kept]
    assert set(blocks) == {0, 1, 2}
    assert set(result.groups[kept]) == {"solo#0", "solo#1", "solo#2"}
    assert result.groups[-1] == "y" and result.keep[-2:].all()
    kept_starts = starts[kept]
    for a in range(3):
        for b in range(a + 1, 3):
            last_a = kept_starts[blocks == a].max() + length
            first_b = kept_starts[blocks == b].min()
            assert first_b - last_a >= length  # a gap of at least one window
    positions = np.flatnonzero(kept)
    train = positions[result.block[positions] != 1]
    test = positions[result.block[positions] == 1]
    assert_no_leakage(
        train,
        test,
        result.groups,
        recordings=groups,
        starts=starts,
        length=length,
    )


def test_blocks_refuse_a_too_short_recording():
    with pytest.raises(ValueError, match="too short for 3 blocks"):
        block_groups(
            np.array(["a"] * 4), np.arange(4) * 10, 10, recordings=["a"], n_blocks=3
        )
    with pytest.raises(ValueError, match="Pass `y`"):
        block_groups(np.array(["a"]), np.array([0]), 10)


def test_leakage_helper_detects_overlapping_ranges():
    recordings = np.array(["r"] * 4, dtype=object)
    groups = np.array(["r#0", "r#0", "r#1", "r#1"], dtype=object)
    starts = np.array([0, 5, 9, 20])
    assert_no_leakage([0], [3], groups, recordings=recordings, starts=starts, length=10)
    with pytest.raises(LeakageError, match=r"share samples of recordings \['r'\]"):
        assert_no_leakage(
            [0, 1], [2, 3], groups, recordings=recordings, starts=starts, length=10
        )
    with pytest.raises(LeakageError, match=r"1 groups on both sides: \['r#0'\]"):
        assert_no_leakage([0], [1], groups)
    with pytest.raises(LeakageError, match="in both train and test"):
        assert_no_leakage([0, 1], [1], groups)
    with pytest.raises(ValueError, match="both `starts` and `length`"):
        assert_no_leakage([0], [3], groups, starts=starts)
