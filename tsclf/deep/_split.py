"""Choosing the validation windows used for early stopping."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import (
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedShuffleSplit,
)

from tsclf.model_selection import StratifiedGroupShuffleSplit


def validation_split(
    n_samples: int,
    y_joint: np.ndarray | None,
    groups: np.ndarray | None,
    fraction: float,
    random_state: np.random.RandomState,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Split sample positions into train and validation for early stopping.

    With ``groups``, whole groups go to validation (stratified by group
    label when every class has two groups), so no window of a validation
    recording is trained on. Without, windows are split, stratified when
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
        candidates.append(
            GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=random_state)
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
