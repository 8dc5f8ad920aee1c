"""Windows read from disk: the same results as windows in memory, never read whole."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.decomposition import PCA, IncrementalPCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline

import tsclf.deep._lazy
from tsclf.classification import MLPClassifier
from tsclf.compose import ChunkedTransformer
from tsclf.datasets import (
    Recording,
    WindowArray,
    make_windows,
    open_windows,
    save_recordings,
)
from tsclf.transformers import BandEnergies
from tsclf.utils.chunks import fit_in_chunks


def recordings(n: int = 10, n_channels: int = 2) -> list[Recording]:
    rng = np.random.default_rng(0)
    return [
        Recording(
            f"rec{i}",
            rng.normal(size=(n_channels, 3000)) * (1 + i % 2),
            1000.0,
            labels={"state": "loud" if i % 2 else "quiet", "unit": f"u{i % 3}"},
            metadata={"load": i % 3},
        )
        for i in range(n)
    ]


@pytest.fixture
def both(tmp_path):
    """The same windows in memory and on disk (overlapping, two channels)."""
    recs = recordings()
    on_disk = open_windows(save_recordings(recs, tmp_path), length=200, step=150)
    return make_windows(recs, length=200, step=150), on_disk


def test_windows_on_disk_are_the_windows_in_memory(both):
    in_memory, on_disk = both
    assert isinstance(on_disk.X, WindowArray)
    assert on_disk.X.shape == in_memory.X.shape
    np.testing.assert_array_equal(np.asarray(on_disk.X), in_memory.X)
    np.testing.assert_array_equal(on_disk.X.read([5, 0, 17]), in_memory.X[[5, 0, 17]])
    assert on_disk.y.equals(in_memory.y)
    np.testing.assert_array_equal(on_disk.groups, in_memory.groups)
    np.testing.assert_array_equal(on_disk.starts, in_memory.starts)
    assert on_disk.metadata.equals(in_memory.metadata)


def test_indexing_windows_on_disk_reads_nothing_until_asked(both, monkeypatch):
    in_memory, on_disk = both
    reads = []
    original = WindowArray.read
    monkeypatch.setattr(
        WindowArray, "read", lambda self, p: reads.append(len(p)) or original(self, p)
    )
    mask = in_memory.groups == "rec1"
    views = [on_disk.X[3:9], on_disk.X[[4, 1]], on_disk.X[mask], on_disk.subset(mask).X]
    assert reads == [] and all(isinstance(view, WindowArray) for view in views)
    np.testing.assert_array_equal(np.asarray(views[1]), in_memory.X[[4, 1]])
    np.testing.assert_array_equal(np.asarray(views[2]), in_memory.X[mask])
    np.testing.assert_array_equal(on_disk.X[7], in_memory.X[7])
    chunks = list(on_disk.X.chunks(16))
    assert [len(chunk) for chunk in chunks[:-1]] == [16] * (len(chunks) - 1)
    np.testing.assert_array_equal(np.concatenate(chunks), in_memory.X)
    again = pickle.loads(pickle.dumps(views[1]))
    np.testing.assert_array_equal(np.asarray(again), in_memory.X[[4, 1]])


def test_a_deep_estimator_trains_on_windows_on_disk_a_batch_at_a_time(
    both, monkeypatch
):
    in_memory, on_disk = both
    settings = dict(max_epochs=2, batch_size=16, random_state=0)
    expected = MLPClassifier(**settings).fit(
        in_memory.X, in_memory.y, groups=in_memory.groups
    )
    reads = []
    original = WindowArray.read
    monkeypatch.setattr(
        WindowArray, "read", lambda self, p: reads.append(len(p)) or original(self, p)
    )
    monkeypatch.setattr(tsclf.deep._lazy, "PREPROCESSOR_CHUNK", 32)
    model = MLPClassifier(**settings).fit(on_disk.X, on_disk.y, groups=on_disk.groups)
    predicted = model.predict_proba(on_disk.X)
    for task, probabilities in enumerate(expected.predict_proba(in_memory.X)):
        np.testing.assert_allclose(predicted[task], probabilities, atol=1e-6)
    assert model.history_[:, "valid_loss"] == expected.history_[:, "valid_loss"]
    # Batches, the preprocessor's chunks and single windows for the shape:
    # never all windows at once.
    assert max(reads) <= 32 < len(on_disk)
    # Fitted on disk, it predicts windows in memory too, and pickles.
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(in_memory.X), model.predict(on_disk.X))


def test_a_feature_pipeline_reads_windows_on_disk_in_chunks(both):
    in_memory, on_disk = both

    def pipeline(chunk_size=None):
        features = BandEnergies(sampling_rate=1000.0, n_bands=8)
        if chunk_size:
            features = ChunkedTransformer(features, chunk_size=chunk_size)
        return make_pipeline(
            features, RandomForestClassifier(n_estimators=20, random_state=0)
        )

    y, cv = in_memory.y["state"], GroupKFold(n_splits=3)
    expected = cross_val_score(
        pipeline(), in_memory.X, y, groups=in_memory.groups, cv=cv
    )
    scores = cross_val_score(pipeline(7), on_disk.X, y, groups=on_disk.groups, cv=cv)
    np.testing.assert_array_equal(scores, expected)
    features = ChunkedTransformer(BandEnergies(sampling_rate=1000.0), chunk_size=7)
    np.testing.assert_array_equal(
        features.fit_transform(on_disk.X),
        BandEnergies(sampling_rate=1000.0).fit_transform(in_memory.X),
    )


def test_a_transformer_that_learns_from_the_windows_is_refused_unless_incremental():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(50, 6)), 10 * rng.normal(size=(50, 6))])
    with pytest.raises(ValueError, match="needs all windows in memory"):
        fit_in_chunks(PCA(n_components=2), X, chunk_size=20)
    # With partial_fit it sees every chunk.
    fitted = fit_in_chunks(IncrementalPCA(n_components=2), X, chunk_size=20)
    assert fitted.n_samples_seen_ == len(X)
    # A single chunk is an ordinary fit.
    assert fit_in_chunks(PCA(n_components=2), X, chunk_size=100).n_samples_ == 100


def test_recordings_on_disk_are_checked(tmp_path):
    recs = recordings(2)
    with pytest.raises(ValueError, match="share names"):
        save_recordings([recs[0], recs[0]], tmp_path / "twice")
    folder = save_recordings(recs, tmp_path / "ok")
    with pytest.raises(ValueError, match="longer than recording"):
        open_windows(folder, length=5000)
