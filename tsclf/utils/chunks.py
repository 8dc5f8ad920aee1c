"""Fitting and applying a transformer a chunk of windows at a time.

What lets windows larger than memory (:class:`~tsclf.datasets.WindowArray`)
reach a transformer: it sees at most ``chunk_size`` windows at once. Used by
:class:`~tsclf.compose.ChunkedTransformer` and by a deep estimator's
``preprocessor``.
"""

from __future__ import annotations

from collections.abc import Iterator

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone


def _indexable(X):
    """Return ``X`` as something with rows: lists and the like as arrays."""
    return X if hasattr(X, "shape") else np.asarray(X)


def _rows(X, start: int | None, stop: int | None):
    """Return rows ``start:stop`` of ``X`` in memory (windows on disk read)."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[start:stop]
    rows = X[start:stop]
    return np.asarray(rows) if hasattr(rows, "read") else rows


def chunks_of(X, chunk_size: int) -> Iterator[np.ndarray]:
    """Yield ``X``'s windows in order, ``chunk_size`` at a time, in memory."""
    X = _indexable(X)
    for first in range(0, X.shape[0], chunk_size):
        yield _rows(X, first, first + chunk_size)


def _learned(transformer) -> str:
    """Return a hash of what fitting taught ``transformer`` (its ``*_`` attributes)."""
    return joblib.hash(
        {
            name: value
            for name, value in sorted(vars(transformer).items())
            if name.endswith("_") and not name.startswith("_")
        }
    )


def fit_in_chunks(transformer, X, chunk_size: int):
    """Fit ``transformer`` on ``X`` without holding more than a chunk of it.

    A transformer with ``partial_fit`` is fed every chunk. Any other is
    fitted on the first chunk, which is right only when its fit learns
    nothing from the windows' values (the per-window features and series
    transforms: their fit reads the shape); so it is fitted on the last
    chunk too, and a transformer that learns something else from it is
    refused.

    Parameters
    ----------
    transformer : transformer
        Fitted in place.
    X : array-like or WindowArray of shape (n_windows, ...)
    chunk_size : int

    Returns
    -------
    transformer : transformer

    Raises
    ------
    ValueError
        When fitting on the last chunk teaches it something else than on
        the first: it needs all windows at once.
    """
    X = _indexable(X)
    if X.shape[0] <= chunk_size:  # one chunk: fitted as it is
        return transformer.fit(_rows(X, None, None))
    if hasattr(transformer, "partial_fit"):
        for chunk in chunks_of(X, chunk_size):
            transformer.partial_fit(chunk)
        return transformer
    transformer.fit(_rows(X, None, chunk_size))
    last = clone(transformer).fit(_rows(X, -chunk_size, None))
    if _learned(last) != _learned(transformer):
        raise ValueError(
            f"{type(transformer).__name__} learns from the values of the "
            "windows it is fitted on (fitted on the first and on the last "
            f"{chunk_size} windows, it differs), and has no partial_fit: it "
            "needs all windows in memory. Fit it on windows held in "
            "memory, or put it after a step that makes the data small."
        )
    return transformer


def transform_in_chunks(transformer, X, chunk_size: int):
    """Apply a fitted ``transformer`` to ``X`` a chunk at a time; join the outputs."""
    outputs = [transformer.transform(chunk) for chunk in chunks_of(X, chunk_size)]
    if isinstance(outputs[0], pd.DataFrame):
        return pd.concat(outputs, ignore_index=True)
    return np.concatenate(outputs)
