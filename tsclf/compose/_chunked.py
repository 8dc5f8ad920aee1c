"""A transformer fed a chunk of windows at a time, for data larger than memory."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

from scipy.sparse import issparse
from sklearn.base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from tsclf.utils.chunks import fit_in_chunks, transform_in_chunks
from tsclf.utils.constraints import HasMethods, Interval


class ChunkedTransformer(MetaEstimatorMixin, TransformerMixin, BaseEstimator):
    """Fit and apply a transformer on at most ``chunk_size`` windows at a time.

    Put it around the first step of a pipeline whose windows do not fit in
    memory (:func:`~tsclf.datasets.open_windows` reads them from disk): the
    windows are read a chunk at a time, each chunk transformed, and the
    outputs (one row of features per window, far smaller than the windows)
    joined. Splitters, searches and the classifier after it work as with
    windows in memory; a :class:`~tsclf.datasets.WindowArray` stays on disk
    through cross-validation.

    A transformer with ``partial_fit`` is fitted on every chunk. Any other
    is fitted on the first chunk, as every per-window feature in tsclf can
    be (their fit reads only the windows' shape); one that learns from the
    windows' values (fitted on the last chunk, it differs) is refused.

    Parameters
    ----------
    transformer : transformer, default=None
        Required: the step to feed in chunks, cloned in ``fit``.
    chunk_size : int, default=1024
        Windows per chunk; memory holds one chunk of windows and its
        output at a time.

    Attributes
    ----------
    transformer_ : transformer
        The fitted clone.
    n_features_in_ : int
        As the fitted transformer has it, when it has it.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> from tsclf.compose import ChunkedTransformer
    >>> from tsclf.datasets import Recording, open_windows, save_recordings
    >>> from tsclf.transformers import BandEnergies
    >>> rng = np.random.default_rng(0)
    >>> recordings = [
    ...     Recording(f"r{i}", rng.normal(size=4000) * (1 + i % 2), 1000.0,
    ...               labels={"state": "loud" if i % 2 else "quiet"})
    ...     for i in range(4)
    ... ]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     windows = open_windows(save_recordings(recordings, folder), length=200)
    ...     model = make_pipeline(
    ...         ChunkedTransformer(BandEnergies(sampling_rate=1000.0), chunk_size=16),
    ...         RandomForestClassifier(n_estimators=10, random_state=0),
    ...     ).fit(windows.X, windows.y["state"])
    ...     accuracy = model.score(windows.X, windows.y["state"])
    >>> accuracy
    1.0
    """

    _parameter_constraints: ClassVar[dict] = {
        "transformer": [HasMethods(["fit", "transform"]), None],
        "chunk_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, transformer: Any = None, *, chunk_size: int = 1024) -> None:
        self.transformer = transformer
        self.chunk_size = chunk_size

    def fit(self, X, y=None) -> ChunkedTransformer:
        """Fit a clone of ``transformer`` chunk by chunk.

        Parameters
        ----------
        X : array-like or WindowArray of shape (n_windows, ...)
        y : ignored

        Returns
        -------
        self : ChunkedTransformer
        """
        self._validate_params()
        _refuse_sparse(X)
        if self.transformer is None:
            raise ValueError("ChunkedTransformer needs a transformer.")
        self.transformer_ = fit_in_chunks(clone(self.transformer), X, self.chunk_size)
        if hasattr(self.transformer_, "n_features_in_"):
            self.n_features_in_ = self.transformer_.n_features_in_
        return self

    def transform(self, X):
        """Transform ``X`` chunk by chunk and join the outputs.

        Parameters
        ----------
        X : array-like or WindowArray of shape (n_windows, ...)

        Returns
        -------
        Xt : ndarray or DataFrame
            The transformer's output for every window, in order.
        """
        check_is_fitted(self, "transformer_")
        _refuse_sparse(X)
        return transform_in_chunks(self.transformer_, X, self.chunk_size)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.transformer is not None:
            inner = clone(self.transformer).__sklearn_tags__()
            tags.input_tags = inner.input_tags
        tags.input_tags.sparse = False  # windows are dense
        return tags

    def get_feature_names_out(self, input_features=None):
        """Return the fitted transformer's output feature names."""
        check_is_fitted(self, "transformer_")
        return self.transformer_.get_feature_names_out(input_features)


def _refuse_sparse(X) -> None:
    if issparse(X):
        raise TypeError(
            "ChunkedTransformer reads windows a chunk at a time and takes dense "
            "data; got a sparse matrix."
        )
