"""imbalanced-learn's samplers for windows and multi-task labels."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.neighbors import NearestNeighbors

from tsclf.utils.constraints import HasMethods
from tsclf.utils.labels import joint_labels
from tsclf.utils.validation import as_numpy_panel


class MultiTaskResampler(BaseEstimator):
    """Resample windows or features with several labels through an imblearn sampler.

    imbalanced-learn's samplers take a 2-D ``X`` and a 1-D ``y``. This one
    hands them each sample flattened to a row and its joint label (all
    tasks' labels together, e.g. ``fault|inner|0.014``), then gives the
    rows back in the input's shape (windows of shape (n, channels, length)
    stay windows) with every task's label. ``sample_indices_`` tells which
    input sample each output row comes from, so recordings (``groups``) can
    follow: ``groups[resampler.sample_indices_]``. For a synthetic row
    (SMOTE) it is the nearest input sample of the same joint label.

    Use it in an :class:`imblearn.pipeline.Pipeline`, which resamples the
    training folds only; imbalanced-learn is an optional dependency
    (``pip install tsclf[imbalanced]``).

    Parameters
    ----------
    sampler : imbalanced-learn sampler
        E.g. ``RandomOverSampler(random_state=0)`` or ``SMOTE()``; cloned in
        ``fit_resample``.

    Attributes
    ----------
    sampler_ : sampler
        The fitted clone.
    sample_indices_ : ndarray of shape (n_resampled,)
        Input position of each output row (its nearest input sample of the
        same joint label for a synthetic row).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn.over_sampling import RandomOverSampler
    >>> from tsclf.resampling import MultiTaskResampler
    >>> X = np.arange(24.0).reshape(4, 2, 3)
    >>> y = np.array([["fault", "ball"], ["fault", "ball"], ["fault", "ball"],
    ...               ["normal", "n/a"]])
    >>> resampler = MultiTaskResampler(RandomOverSampler(random_state=0))
    >>> X_new, y_new = resampler.fit_resample(X, y)
    >>> X_new.shape, y_new[:, 0].tolist().count("normal")
    ((6, 2, 3), 3)
    >>> resampler.sample_indices_.tolist()
    [0, 1, 2, 3, 3, 3]
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampler": [HasMethods(["fit_resample"])],
    }

    def __init__(self, sampler: Any) -> None:
        self.sampler = sampler

    def fit_resample(self, X, y, **params):
        """Resample ``X`` and ``y`` together.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Windows (n, channels, length), series (n, length) or features;
            sktime panels are converted first.
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        **params : dict
            Passed to the sampler's ``fit_resample``.

        Returns
        -------
        X_resampled : ndarray of shape (n_resampled, ...)
        y_resampled : ndarray or DataFrame of shape (n_resampled,) or
            (n_resampled, n_tasks), as ``y`` was given.
        """
        self._validate_params()
        if sparse.issparse(X):
            raise TypeError(
                "MultiTaskResampler does not support sparse input: it hands the "
                "sampler dense rows. Convert X with X.toarray() first."
            )
        if not isinstance(y, pd.DataFrame | pd.Series):
            y = np.asarray(y)  # lists and other array-likes
        X = np.asarray(as_numpy_panel(X))
        if X.ndim < 2 or X.shape[0] != len(y):
            raise ValueError(
                f"X has shape {X.shape} for {len(y)} labels; it needs one row per "
                "label."
            )
        rows = X.reshape(X.shape[0], -1)
        joint = joint_labels(y)
        self.sampler_ = clone(self.sampler)
        rows_out, joint_out = self.sampler_.fit_resample(rows, joint, **params)
        rows_out, joint_out = np.asarray(rows_out), np.asarray(joint_out)
        self.sample_indices_ = getattr(self.sampler_, "sample_indices_", None)
        if self.sample_indices_ is None:
            self.sample_indices_ = _nearest_of_same_label(
                rows, joint, rows_out, joint_out
            )
        origin = np.asarray(self.sample_indices_)
        X_out = rows_out.reshape((len(rows_out), *X.shape[1:])).astype(X.dtype)
        if isinstance(y, pd.DataFrame | pd.Series):
            return X_out, y.iloc[origin].reset_index(drop=True)
        return X_out, np.asarray(y)[origin]


def _nearest_of_same_label(rows, joint, rows_out, joint_out) -> np.ndarray:
    """For each output row, the input row of its label nearest to it."""
    origin = np.empty(len(rows_out), dtype=np.intp)
    for label in np.unique(joint_out):
        inputs = np.flatnonzero(joint == label)
        outputs = np.flatnonzero(joint_out == label)
        if inputs.size == 0:
            raise ValueError(f"The sampler made rows of a new label {label!r}.")
        neighbours = NearestNeighbors(n_neighbors=1).fit(rows[inputs])
        nearest = neighbours.kneighbors(rows_out[outputs], return_distance=False)
        origin[outputs] = inputs[nearest[:, 0]]
    return origin
