"""One train/validation hold-out that always works: the early-stopping split."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sklearn.model_selection import (
    BaseCrossValidator,
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedShuffleSplit,
)
from sklearn.utils import check_random_state

from tsclf.model_selection._split import StratifiedGroupShuffleSplit, _group_labels


class _OneHoldout(BaseCrossValidator):
    """A single hold-out of ``test_size``: the shared parameters."""

    def __init__(
        self,
        test_size: float = 0.2,
        *,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.test_size = test_size
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """Return the number of splits (one)."""
        return 1


class SpreadGroupSplit(_OneHoldout):
    """Hold out whole groups spread over the classes, never a class's last one.

    For data with too few groups per class to stratify (CWRU has two or
    three recordings of most classes): groups are held out round-robin over
    the classes that still have two or more, so every class keeps a group
    for training. Each group gets its most frequent label (the joint label
    for a 2-D ``y``).

    Parameters
    ----------
    test_size : float, default=0.2
        Share of the groups to hold out (at least one).
    random_state : int, RandomState instance or None, default=None
        Controls which groups are held out.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import SpreadGroupSplit
    >>> groups = np.repeat(np.arange(6), 2)
    >>> y = np.repeat(["a", "a", "b", "b", "c", "c"], 2)
    >>> train, test = next(SpreadGroupSplit(0.5, random_state=0).split(y, y, groups))
    >>> sorted(set(y[train].tolist())), len(set(groups[test]))
    (['a', 'b', 'c'], 3)
    """

    def split(self, X, y, groups) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield one (train, test) pair of sample positions.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        groups : array-like of shape (n_samples,)

        Yields
        ------
        train, test : ndarray

        Raises
        ------
        ValueError
            When every class has a single group.
        """
        groups = np.asarray(groups)
        labels = _group_labels(y, groups)
        rng = check_random_state(self.random_state)
        n_test = max(1, round(self.test_size * len(labels)))
        pools = {
            label: list(rng.permutation(members.to_numpy()))
            for label, members in labels.groupby(labels).groups.items()
        }
        picked: list = []
        while len(picked) < n_test:
            spare = [label for label, pool in pools.items() if len(pool) > 1]
            if not spare:
                break
            for label in rng.permutation(spare):
                if len(picked) == n_test:
                    break
                picked.append(pools[label].pop())
        if not picked:
            raise ValueError("every class has a single group")
        test = np.isin(groups, picked)
        yield np.flatnonzero(~test), np.flatnonzero(test)


class ValidationSplit(_OneHoldout):
    """The deep estimators' default early-stopping hold-out.

    One split, chosen by what the data allow, in this order:

    - with ``groups`` and labels: whole groups, stratified by group label
      (:class:`StratifiedGroupShuffleSplit`); if that is impossible,
      :class:`SpreadGroupSplit`;
    - with ``groups`` and no labels:
      :class:`~sklearn.model_selection.GroupShuffleSplit`;
    - without ``groups``: windows, stratified when every class has two
      (:class:`~sklearn.model_selection.StratifiedShuffleSplit`), else
      :class:`~sklearn.model_selection.ShuffleSplit`.

    It yields nothing when the data are too small for a validation set
    (under 4 samples, a single group, or no candidate that leaves two
    training samples and one validation sample).

    Parameters
    ----------
    test_size : float, default=0.2
        Share held out (of groups, when there are groups).
    random_state : int, RandomState instance or None, default=None
        Controls the split; a RandomState is drawn from, not copied.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.model_selection import ValidationSplit
    >>> groups = np.repeat(np.arange(10), 4)
    >>> y = np.repeat(np.arange(10) % 2, 4)
    >>> train, valid = next(ValidationSplit(random_state=0).split(y, y, groups))
    >>> len(set(groups[valid])), sorted(set(y[valid].tolist()))
    (2, [0, 1])
    """

    def _candidates(self, y, groups) -> list:
        size, rng = self.test_size, self.random_state
        if groups is not None:
            if y is None:
                return [GroupShuffleSplit(n_splits=1, test_size=size, random_state=rng)]
            return [
                StratifiedGroupShuffleSplit(test_size=size, random_state=rng),
                SpreadGroupSplit(size, random_state=rng),
            ]
        stratified = StratifiedShuffleSplit(
            n_splits=1, test_size=size, random_state=rng
        )
        shuffled = ShuffleSplit(n_splits=1, test_size=size, random_state=rng)
        return [shuffled] if y is None else [stratified, shuffled]

    def split(self, X, y=None, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield the (train, validation) positions, or nothing.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,) or (n_samples, n_tasks), default=None
            Labels to stratify by; None splits without stratifying.
        groups : array-like of shape (n_samples,), default=None
            Group of each sample; whole groups are held out.

        Yields
        ------
        train, valid : ndarray
        """
        n_samples = len(X)
        if n_samples < 4:
            return
        if groups is not None:
            groups = np.asarray(groups)
            if len(np.unique(groups)) < 2:
                return
        positions = np.zeros(n_samples)
        for splitter in self._candidates(y, groups):
            try:
                train, valid = next(splitter.split(positions, y, groups))
            except ValueError:
                continue
            if len(train) >= 2 and len(valid) >= 1:
                yield train, valid
                return
