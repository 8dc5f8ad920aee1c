"""Group-aware splitters that scikit-learn lacks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn import model_selection
from sklearn.model_selection import BaseCrossValidator, StratifiedShuffleSplit

# scikit-learn keeps _safe_indexing private; train_test_split uses it to take
# rows of arrays, lists and DataFrames alike, which no public function does.
from sklearn.utils import _safe_indexing, check_random_state, indexable

from tsclf.utils.labels import joint_labels
from tsclf.utils.validation import check_positive_int


def _group_labels(y, groups: np.ndarray) -> pd.Series:
    """Return the (most frequent) label of each group, indexed by group."""
    frame = pd.DataFrame({"group": groups, "label": joint_labels(y)})
    return frame.groupby("group", sort=True)["label"].agg(
        lambda labels: labels.value_counts().index[0]
    )


class StratifiedGroupShuffleSplit(BaseCrossValidator):
    """Random train/test splits of whole groups, stratified by group label.

    Each group (a recording) is given its label (for a 2-D ``y``, the joint
    label of all tasks; for a group with mixed labels, the most frequent
    one). The groups, not the windows, are then split as
    :class:`~sklearn.model_selection.StratifiedShuffleSplit` would, so every
    class keeps about the same share of recordings on both sides and no
    recording is on both sides.

    Parameters
    ----------
    n_splits : int, default=1
        Number of re-shuffling and splitting iterations.
    test_size : float or int, default=0.25
        Share (float) or number (int) of groups in the test set.
    train_size : float or int, default=None
        Share or number of groups in the train set; the complement of
        ``test_size`` when None.
    random_state : int, RandomState instance or None, default=None
        Controls the shuffling.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import StratifiedGroupShuffleSplit
    >>> groups = np.repeat(np.arange(8), 3)
    >>> y = np.repeat(["a", "a", "a", "a", "b", "b", "b", "b"], 3)
    >>> cv = StratifiedGroupShuffleSplit(test_size=0.5, random_state=0)
    >>> train, test = next(cv.split(np.zeros(24), y, groups))
    >>> np.unique(y[test]).tolist(), np.intersect1d(groups[train], groups[test]).size
    (['a', 'b'], 0)
    """

    def __init__(
        self,
        n_splits: int = 1,
        *,
        test_size: float | int = 0.25,
        train_size: float | int | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        check_positive_int(n_splits, "n_splits")
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """Return the number of splitting iterations."""
        return self.n_splits

    def split(self, X, y, groups) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        groups : array-like of shape (n_samples,)

        Yields
        ------
        train, test : ndarray
            Sample positions of each side.
        """
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        X, y, groups = indexable(X, y, groups)
        groups = np.asarray(groups)
        labels = _group_labels(y, groups)
        lone = labels.value_counts()
        lone = lone[lone < 2]
        if len(lone):
            raise ValueError(
                f"Classes {list(lone.index)} have a single group; stratifying "
                "needs two. Split such a recording into blocks first with "
                "tsclf.model_selection.block_groups."
            )
        splitter = StratifiedShuffleSplit(
            n_splits=self.n_splits,
            test_size=self.test_size,
            train_size=self.train_size,
            random_state=check_random_state(self.random_state),
        )
        names = labels.index.to_numpy()
        try:
            splits = list(splitter.split(names, labels.to_numpy()))
        except ValueError as error:
            # scikit-learn counts what it splits: here groups, not samples.
            raise ValueError(
                f"Splitting {names.size} groups (recordings) of "
                f"{labels.nunique()} classes by class ({error}). Sizes count "
                "groups, not samples: each side needs at least one group per "
                "class; raise test_size (or train_size), or use fewer classes."
            ) from error
        for train_groups, test_groups in splits:
            yield (
                np.flatnonzero(np.isin(groups, names[train_groups])),
                np.flatnonzero(np.isin(groups, names[test_groups])),
            )


def train_test_split_by_group(
    *arrays,
    groups,
    stratify=None,
    test_size: float | int = 0.25,
    train_size: float | int | None = None,
    random_state: int | np.random.RandomState | None = None,
) -> list:
    """Split arrays into train and test subsets by whole groups.

    Like :func:`sklearn.model_selection.train_test_split`, but no group (a
    recording) is cut in two. With ``stratify``, the groups are split so
    each class keeps its share of groups on both sides.

    Parameters
    ----------
    *arrays : sequence of indexables with the same length
        Arrays, lists, DataFrames to split.
    groups : array-like of shape (n_samples,)
        Group of each sample.
    stratify : array-like of shape (n_samples,) or (n_samples, n_tasks)
        Labels to stratify by, e.g. ``y``; None splits groups at random.
    test_size, train_size : float or int
        Share or number of groups on each side.
    random_state : int, RandomState instance or None, default=None
        Controls the shuffling.

    Returns
    -------
    splitting : list
        ``[a_train, a_test, b_train, b_test, ...]`` for the inputs, followed
        by ``groups_train, groups_test``.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import train_test_split_by_group
    >>> X = np.arange(12).reshape(6, 2)
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> groups = np.array(["r1", "r1", "r2", "r3", "r4", "r4"])
    >>> X_tr, X_te, y_tr, y_te, g_tr, g_te = train_test_split_by_group(
    ...     X, y, groups=groups, stratify=y, test_size=0.5, random_state=0
    ... )
    >>> sorted(set(g_tr) & set(g_te))
    []
    """
    if not arrays:
        raise ValueError("At least one array required as input.")
    groups = np.asarray(groups)
    if stratify is None:
        from sklearn.model_selection import GroupShuffleSplit

        splitter = GroupShuffleSplit(
            n_splits=1,
            test_size=test_size,
            train_size=train_size,
            random_state=random_state,
        )
        train, test = next(splitter.split(arrays[0], groups=groups))
    else:
        splitter = StratifiedGroupShuffleSplit(
            test_size=test_size, train_size=train_size, random_state=random_state
        )
        train, test = next(splitter.split(arrays[0], stratify, groups))
    return [
        _safe_indexing(array, side)
        for array in (*arrays, groups)
        for side in (train, test)
    ]


class LeaveOneConditionOut(BaseCrossValidator):
    """Hold out one operating condition at a time, e.g. one motor load.

    Each split tests on every sample of one condition and trains on the
    samples of the others; with ``test_conditions``, a single split tests
    on those conditions and trains on ``train_conditions`` (the rest by
    default), e.g. train on loads 0-1 and test on load 2.

    The per-sample conditions come with the data, to ``split``, never to
    the constructor, so the splitter nests (a search inside
    ``cross_validate``) and is cloned like any scikit-learn splitter:

    - ``split(X, groups=conditions)``: the conditions as ``groups``, which
      scikit-learn passes to a splitter without metadata routing, as for
      ``LeaveOneGroupOut``;
    - ``split(X, groups=recordings, conditions=conditions)``: with
      metadata routing on (``params={"conditions": ..., "groups": ...}``),
      the recordings are checked not to span two conditions, so no
      recording sits on both sides.

    Parameters
    ----------
    test_conditions : sequence, default=None
        Conditions of the single test set; None gives one split per
        condition.
    train_conditions : sequence, default=None
        Conditions of the single train set with ``test_conditions``; None
        means all other conditions.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import LeaveOneConditionOut
    >>> load = np.array([0, 0, 1, 1, 2, 2])
    >>> for train, test in LeaveOneConditionOut().split(load, groups=load):
    ...     print(train, test)
    [2 3 4 5] [0 1]
    [0 1 4 5] [2 3]
    [0 1 2 3] [4 5]
    >>> cv = LeaveOneConditionOut(test_conditions=[2], train_conditions=[0, 1])
    >>> recording = np.array(["a", "a", "b", "b", "c", "c"])
    >>> splits = cv.split(load, groups=recording, conditions=load)
    >>> [(train.tolist(), test.tolist()) for train, test in splits]
    [([0, 1, 2, 3], [4, 5])]
    """

    # Under metadata routing, a search or cross_validate hands split both.
    __metadata_request__split: ClassVar[dict] = {"groups": True, "conditions": True}

    def __init__(
        self,
        *,
        test_conditions: Sequence | None = None,
        train_conditions: Sequence | None = None,
    ) -> None:
        self.test_conditions = test_conditions
        self.train_conditions = train_conditions

    def _pairs(self, conditions: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        present = np.unique(conditions)
        if self.test_conditions is None:
            if self.train_conditions is not None:
                raise ValueError("train_conditions needs test_conditions.")
            if present.size < 2:
                raise ValueError(
                    f"Leave-one-condition-out needs two conditions, got {present}."
                )
            return [(present[present != c], np.array([c])) for c in present]
        test = np.asarray(self.test_conditions)
        train = (
            present[~np.isin(present, test)]
            if self.train_conditions is None
            else np.asarray(self.train_conditions)
        )
        for name, chosen in (("test", test), ("train", train)):
            unknown = chosen[~np.isin(chosen, present)]
            if unknown.size or chosen.size == 0:
                raise ValueError(
                    f"{name}_conditions {chosen.tolist()} must be non-empty and "
                    f"among the conditions {present.tolist()}."
                )
        if np.isin(train, test).any():
            raise ValueError("A condition cannot be both in train and test.")
        return [(train, test)]

    @staticmethod
    def _conditions(X, groups, conditions) -> tuple[np.ndarray, np.ndarray | None]:
        """Return the per-sample conditions, and the recordings if both came."""
        if conditions is None and groups is None:
            raise ValueError(
                "LeaveOneConditionOut needs each sample's condition: "
                "split(X, groups=conditions), or split(X, groups=recordings, "
                "conditions=conditions) under metadata routing."
            )
        recordings = None if conditions is None else groups
        values = np.asarray(groups if conditions is None else conditions)
        if values.ndim != 1 or (X is not None and values.shape[0] != len(X)):
            n = "" if X is None else f" for {len(X)} samples"
            raise ValueError(
                f"conditions must hold one entry per sample, got shape "
                f"{values.shape}{n}."
            )
        if pd.isna(values).any():
            raise ValueError("conditions hold missing values (NaN or None).")
        return values, recordings

    def get_n_splits(self, X=None, y=None, groups=None, conditions=None) -> int:
        """Return the number of splits.

        Parameters
        ----------
        X, y : ignored
        groups, conditions : array-like of shape (n_samples,), default=None
            As for :meth:`split`; one of them is needed unless
            ``test_conditions`` is set.
        """
        if self.test_conditions is not None and groups is None and conditions is None:
            return 1
        values, _ = self._conditions(None, groups, conditions)
        return len(self._pairs(values))

    def split(
        self, X, y=None, groups=None, conditions=None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : ignored
        groups : array-like of shape (n_samples,), default=None
            The condition of each sample when ``conditions`` is None;
            otherwise the recording of each sample, checked not to span two
            conditions.
        conditions : array-like of shape (n_samples,), default=None
            The condition of each sample.

        Yields
        ------
        train, test : ndarray
            Sample positions of each side.
        """
        conditions, recordings = self._conditions(X, groups, conditions)
        if recordings is not None:
            recordings = np.asarray(recordings)
            if recordings.shape[0] != conditions.shape[0]:
                raise ValueError(
                    f"groups has {recordings.shape[0]} entries for "
                    f"{conditions.shape[0]} samples."
                )
            frame = pd.DataFrame({"group": recordings, "cond": conditions})
            spread = frame.groupby("group")["cond"].nunique()
            spread = spread[spread > 1]
            if len(spread):
                raise ValueError(
                    f"Groups {list(spread.index[:5])} span several conditions; "
                    "a recording would sit on both sides of a split."
                )
        for train, test in self._pairs(conditions):
            yield (
                np.flatnonzero(np.isin(conditions, train)),
                np.flatnonzero(np.isin(conditions, test)),
            )


class StratifiedGroupKFold(model_selection.StratifiedGroupKFold):
    """scikit-learn's ``StratifiedGroupKFold`` that also takes multi-task ``y``.

    With a 2-D ``y`` (one column per task) the folds are stratified on each
    sample's joint label (all tasks' labels together), which scikit-learn's
    splitter refuses; a 1-D ``y`` is split exactly as scikit-learn does.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int, RandomState instance or None, default=None

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import StratifiedGroupKFold
    >>> y = np.array([["fault", "ball"], ["fault", "inner"], ["normal", "n/a"]] * 4)
    >>> groups = np.repeat(np.arange(6), 2)
    >>> [len(test) for _, test in StratifiedGroupKFold(2).split(y, y, groups)]
    [6, 6]
    """

    def split(self, X, y, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (train, test) positions; a 2-D ``y`` stratifies on joint labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        groups : array-like of shape (n_samples,)

        Yields
        ------
        train, test : ndarray
        """
        if y is not None and np.ndim(y) == 2:
            y = joint_labels(y)
        return super().split(X, y, groups)
