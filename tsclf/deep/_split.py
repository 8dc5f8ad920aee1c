"""Choosing the validation windows used for early stopping."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import (
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedShuffleSplit,
)

from tsclf.model_selection import StratifiedGroupShuffleSplit
from tsclf.model_selection._split import _group_labels


class _SpreadGroupSplit:
    """Hold out whole groups, one class at a time, never a class's last group.

    The fallback when stratifying groups is impossible (fewer validation
    groups than classes, e.g. CWRU with 2-3 recordings per class): groups
    are taken round-robin over the classes that have at least two, so every
    class keeps a group for training.
    """

    def __init__(self, fraction: float, random_state: np.random.RandomState) -> None:
        self.fraction = fraction
        self.random_state = random_state

    def split(self, X, y, groups):
        labels = _group_labels(y, np.asarray(groups))
        rng = self.random_state
        n_valid = max(1, round(self.fraction * len(labels)))
        pools = {
            label: list(rng.permutation(members.to_numpy()))
            for label, members in labels.groupby(labels).groups.items()
        }
        picked: list = []
        while len(picked) < n_valid:
            spare = [label for label, pool in pools.items() if len(pool) > 1]
            if not spare:
                break
            for label in rng.permutation(spare):
                if len(picked) == n_valid:
                    break
                picked.append(pools[label].pop())
        if not picked:
            raise ValueError("every class has a single group")
        valid = np.isin(groups, picked)
        yield np.flatnonzero(~valid), np.flatnonzero(valid)


def validation_split(
    n_samples: int,
    y_joint: np.ndarray | None,
    groups: np.ndarray | None,
    fraction: float,
    random_state: np.random.RandomState,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Split sample positions into train and validation for early stopping.

    With ``groups``, whole groups go to validation, so no window of a
    validation recording is trained on: stratified by group label when
    possible, else spread over the classes so that none loses its last
    training group. Without, windows are split, stratified when
    every class has two members. Returns None when there is too little data
    for a validation set.
    """
    if not fraction or n_samples < 4:
        return None
    X = np.zeros(n_samples)
    if groups is not None:
        if len(np.unique(groups)) < 2:
            return None
        candidates = []
        if y_joint is not None:
            candidates.append(
                StratifiedGroupShuffleSplit(
                    test_size=fraction, random_state=random_state
                )
            )
            candidates.append(_SpreadGroupSplit(fraction, random_state))
        else:
            candidates.append(
                GroupShuffleSplit(
                    n_splits=1, test_size=fraction, random_state=random_state
                )
            )
    else:
        candidates = []
        if y_joint is not None:
            candidates.append(
                StratifiedShuffleSplit(
                    n_splits=1, test_size=fraction, random_state=random_state
                )
            )
        candidates.append(
            ShuffleSplit(n_splits=1, test_size=fraction, random_state=random_state)
        )
    for splitter in candidates:
        try:
            train, valid = next(splitter.split(X, y_joint, groups))
        except ValueError:
            continue
        if len(train) >= 2 and len(valid) >= 1:
            return train, valid
    return None
