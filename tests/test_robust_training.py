"""Training for another machine: batch transforms and weight averaging."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tsclf.augmentation import (
    AdditiveNoise,
    AugmentBatch,
    RandomBandLimit,
    RandomScale,
    RandomShift,
    SameLabelMix,
    TimeStretch,
    augmented_copies,
    same_label_partners,
)

TRANSFORMS = [
    RandomScale(),
    AdditiveNoise(0.3),
    RandomShift(),
    TimeStretch(),
    RandomBandLimit(p=1.0),
]
PHASE = 2 * torch.pi * torch.arange(200.0) / 200


def _batch(n=8):
    rng = np.random.default_rng(0)
    return torch.as_tensor(rng.normal(size=(n, 2, 200)), dtype=torch.float32)


@pytest.mark.parametrize("transform", TRANSFORMS, ids=lambda t: type(t).__name__)
def test_each_transform_is_seeded_keeps_the_shape_and_can_be_switched_off(transform):
    X = _batch()
    first = transform(X, torch.Generator().manual_seed(1))
    again = transform(X, torch.Generator().manual_seed(1))
    other = transform(X, torch.Generator().manual_seed(2))
    assert first.shape == X.shape and first.dtype == X.dtype
    torch.testing.assert_close(first, again)
    assert not torch.allclose(first, other)
    assert not torch.allclose(first, X)
    off = transform.set_params(p=0.0)(X, torch.Generator().manual_seed(1))
    torch.testing.assert_close(off, X)


def test_scale_and_noise_stay_in_their_ranges():
    X = torch.ones(500, 1, 10)
    factors = RandomScale(0.5, 2.0)(X, torch.Generator().manual_seed(0))[:, 0, 0]
    assert factors.min() >= 0.5 and factors.max() <= 2.0
    assert factors.std() > 0.2  # drawn per sample
    signal = torch.sin(10 * PHASE).repeat(500, 1, 1)
    noisy = AdditiveNoise(0.2)(signal, torch.Generator().manual_seed(0))
    ratio = (noisy - signal).std(dim=-1) / signal.std(dim=-1)
    assert ratio.max() < 0.25 and ratio.min() < 0.02


def test_shift_rolls_and_stretch_changes_the_speed():
    X = torch.sin(10 * PHASE).reshape(1, 1, -1)
    shifted = RandomShift()(X, torch.Generator().manual_seed(0))
    assert sorted(shifted.flatten().tolist()) == pytest.approx(
        sorted(X.flatten().tolist())
    )
    faster = TimeStretch(2.0, 2.0)(X, torch.Generator().manual_seed(0))
    peak = torch.fft.rfft(faster.flatten()).abs().argmax().item()
    assert peak == 20  # ten cycles per window became twenty


def test_band_limit_removes_what_lies_above_the_cut_off():
    X = (torch.sin(5 * PHASE) + torch.sin(80 * PHASE)).repeat(16, 1, 1)
    limited = RandomBandLimit(0.3, 0.6, p=1.0)(X, torch.Generator().manual_seed(0))
    spectrum = torch.fft.rfft(limited, dim=-1).abs()
    assert (spectrum[..., 80] < 1e-3).all()  # 80 % of Nyquist: always above
    assert (spectrum[..., 5] > 50).all()  # 5 %: always kept


def test_bad_settings_fail_with_the_name():
    X = _batch()
    with pytest.raises(ValueError, match="'p' parameter of RandomScale"):
        RandomScale(p=2.0)(X, torch.Generator())
    with pytest.raises(ValueError, match="low <= high"):
        TimeStretch(1.2, 0.8)(X, torch.Generator())
    with pytest.raises(ValueError, match="batch, channels, length"):
        RandomShift()(X[0], torch.Generator())


def test_augment_batch_touches_the_series_only():
    collate = AugmentBatch([RandomScale(2.0, 2.0), AdditiveNoise(0.0)], seed=0)
    X, y = collate((np.ones((3, 1, 5), dtype=np.float32), np.array([[0, 1]] * 3)))
    torch.testing.assert_close(X, torch.full((3, 1, 5), 2.0))
    assert y.tolist() == [[0, 1]] * 3


def test_augmented_copies_come_a_chunk_at_a_time_with_their_labels():
    X = np.arange(5.0 * 40).reshape(5, 1, 40)
    y = np.array([0, 0, 1, 1, 0])
    chunks = list(augmented_copies(X, [AdditiveNoise(0.5)], 2, seed=0, chunk_size=2))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1, 2, 2, 1]
    copies = np.concatenate(chunks).reshape(2, *X.shape)
    assert not np.allclose(copies[0], copies[1])  # each copy draws afresh
    assert np.abs(copies - X).max() < 0.5 * 6 * X.std(axis=-1).max()
    again = augmented_copies(X, [AdditiveNoise(0.5)], 2, seed=0, chunk_size=2)
    np.testing.assert_array_equal(np.concatenate(list(again)), np.concatenate(chunks))
    # Label-aware transforms read y: the same-label partner of a lone label
    # is itself, so the mixed copy of window 2 blends only windows 2 and 3.
    mixed = np.concatenate(
        list(augmented_copies(X, [SameLabelMix(0.5, p=1.0)], 1, seed=0, y=y))
    )
    low, high = X[2:4].min(), X[2:4].max()
    assert low <= mixed[2].min() and mixed[2].max() <= high
    with pytest.raises(ValueError, match="n_copies"):
        next(augmented_copies(X, [AdditiveNoise()], -1, seed=0))
    with pytest.raises(ValueError, match="chunk_size"):
        next(augmented_copies(X, [AdditiveNoise()], 1, seed=0, chunk_size=0))


def test_an_estimator_augments_its_training_batches_only():
    from sklearn.base import clone

    from tsclf.classification import CNNClassifier
    from tsclf.datasets import make_spike_anomaly

    from estimator_params import tiny

    X, y = make_spike_anomaly(n_samples=120, random_state=0)
    plain = tiny(CNNClassifier, max_epochs=2).fit(X, y)
    transforms = [RandomScale(), AdditiveNoise(0.2), RandomShift()]
    augmented = tiny(CNNClassifier, max_epochs=2, augmentation=transforms)
    augmented.fit(X, y)
    params = augmented.net_.get_params()
    assert isinstance(params["iterator_train__collate_fn"], AugmentBatch)
    assert "iterator_valid__collate_fn" not in params  # validation as it is
    assert not np.allclose(plain.predict_proba(X), augmented.predict_proba(X))
    # Predictions are not augmented, and the seed reproduces the training.
    np.testing.assert_array_equal(
        augmented.predict_proba(X), augmented.predict_proba(X)
    )
    again = clone(augmented).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), augmented.predict_proba(X))
    assert again.augmentation[0] is not transforms[0]  # clone copies the list
    with pytest.raises(ValueError, match="augmentation takes batch transforms"):
        tiny(CNNClassifier, augmentation=["scale"]).fit(X, y)


class _EpochWeights:
    """Keeps a copy of the weights at the end of every epoch."""

    def __init__(self):
        from skorch.callbacks import Callback

        outer = self

        class Recorder(Callback):
            def on_epoch_end(self, net, **kwargs):
                outer.weights.append(
                    {k: v.detach().clone() for k, v in net.module_.named_parameters()}
                )

        self.weights = []
        self.callback = Recorder()


def test_swa_loads_the_mean_of_the_epoch_weights_and_recomputes_batch_norm():
    from tsclf.classification import CNNClassifier
    from tsclf.datasets import make_spike_anomaly
    from tsclf.deep import WeightAveraging

    from estimator_params import tiny

    X, y = make_spike_anomaly(n_samples=120, random_state=0)
    recorder = _EpochWeights()
    clf = tiny(
        CNNClassifier,
        max_epochs=4,
        early_stopping_patience=None,
        callbacks=[("epochs", recorder.callback), ("swa", WeightAveraging(start=2))],
    ).fit(X, y)
    for name, value in clf.net_.module_.named_parameters():
        expected = torch.stack([w[name] for w in recorder.weights[1:]]).mean(dim=0)
        torch.testing.assert_close(value.detach(), expected)
    # The BatchNorm statistics are those of the averaged weights.
    plain = tiny(CNNClassifier, max_epochs=4, early_stopping_patience=None).fit(X, y)
    norms = [
        m for m in clf.net_.module_.modules() if isinstance(m, torch.nn.BatchNorm1d)
    ]
    plain_norms = [
        m for m in plain.net_.module_.modules() if isinstance(m, torch.nn.BatchNorm1d)
    ]
    assert norms and not torch.allclose(
        norms[0].running_mean, plain_norms[0].running_mean
    )
    assert int(norms[0].num_batches_tracked) > 0


def test_ema_averages_every_batch_and_bad_settings_fail():
    from tsclf.classification import CNNClassifier
    from tsclf.datasets import make_spike_anomaly
    from tsclf.deep import WeightAveraging

    from estimator_params import tiny

    X, y = make_spike_anomaly(n_samples=120, random_state=0)
    ema = tiny(CNNClassifier, max_epochs=2, callbacks=[WeightAveraging(decay=0.9)])
    plain = tiny(CNNClassifier, max_epochs=2)
    assert not np.allclose(
        ema.fit(X, y).predict_proba(X), plain.fit(X, y).predict_proba(X)
    )
    with pytest.raises(ValueError, match="'decay' parameter of WeightAveraging"):
        tiny(CNNClassifier, callbacks=[WeightAveraging(decay=1.5)]).fit(X, y)


def test_same_label_partners_share_every_label():
    generator = torch.Generator().manual_seed(0)
    y = torch.as_tensor(np.random.default_rng(0).integers(0, 2, size=(64, 3)))
    partners = same_label_partners(y, generator)
    assert (y[partners] == y).all()
    assert sorted(partners.tolist()) == list(range(64))  # a permutation
    alone = torch.tensor([[0, 0], [1, 0], [2, 0]])
    assert same_label_partners(alone, generator).tolist() == [0, 1, 2]


def test_same_label_mix_blends_within_a_label_only():
    # Each sample is its label times a sample-specific offset: a blend
    # within the label stays in the label's range, across labels it would not.
    y = torch.tensor([[0, 0], [0, 0], [0, 0], [5, 1], [5, 1], [9, 2]])
    X = (100.0 * y[:, :1].float() + torch.arange(6.0)[:, None])[:, :, None]
    X = X.repeat(1, 2, 10)
    mixed = SameLabelMix(max_weight=1.0, p=1.0)(X, torch.Generator().manual_seed(3), y)
    assert mixed.shape == X.shape
    assert (mixed[:3] >= 0).all() and (mixed[:3] <= 2).all()
    assert (mixed[3:5] >= 503).all() and (mixed[3:5] <= 504).all()
    torch.testing.assert_close(mixed[5], X[5])  # no partner: unchanged
    assert not torch.allclose(mixed[:5], X[:5])
    with pytest.raises(ValueError, match="needs the batch's labels"):
        SameLabelMix()(X, torch.Generator())
    with pytest.raises(ValueError, match="'max_weight' parameter"):
        SameLabelMix(max_weight=1.5)(X, torch.Generator(), y)


def test_an_estimator_mixes_its_multi_task_training_batches():
    from tsclf.classification import CNNClassifier
    from tsclf.datasets import make_spike_anomaly

    from estimator_params import tiny

    X, anomaly = make_spike_anomaly(n_samples=120, random_state=0)
    y = np.column_stack([anomaly, np.arange(120) % 3])  # two tasks
    plain = tiny(CNNClassifier, max_epochs=2).fit(X, y)
    mixed = tiny(CNNClassifier, max_epochs=2, augmentation=[SameLabelMix(p=1.0)])
    mixed.fit(X, y)
    assert not np.allclose(plain.predict_proba(X)[0], mixed.predict_proba(X)[0])


def _bearing_cnn(**params):
    from tsclf.classification import CNNClassifier
    from tsclf.datasets import make_spike_anomaly

    from estimator_params import tiny

    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    return tiny(CNNClassifier, max_epochs=2, batch_size=20, **params).fit(X, y), X


def test_adapt_sets_batch_norm_statistics_to_the_new_data():
    clf, X = _bearing_cnn()
    assert clf.preprocessor_ is None  # the network sees the windows as they are
    rng = np.random.default_rng(0)
    shifted = X + np.sin(np.arange(X.shape[-1]) * 2.5) + rng.normal(size=X.shape)
    norm = next(
        m for m in clf.net_.module_.modules() if isinstance(m, torch.nn.BatchNorm1d)
    )
    before = norm.running_mean.clone()
    seen = []
    hook = norm.register_forward_hook(lambda m, inputs, out: seen.append(inputs[0]))
    with torch.no_grad():
        clf.net_.module_.eval()
        clf.net_.module_(torch.as_tensor(shifted, dtype=torch.float32))
    hook.remove()
    expected = seen[0].mean(dim=(0, 2))  # first BatchNorm: input is stat-free
    probabilities = clf.predict_proba(shifted)
    assert clf.adapt(shifted) is clf
    torch.testing.assert_close(norm.running_mean, expected, rtol=1e-4, atol=1e-5)
    assert not torch.allclose(before, norm.running_mean)
    assert not clf.net_.module_.training
    adapted = clf.predict_proba(shifted)
    assert not np.allclose(adapted, probabilities)
    # predict stays batch-independent after adapting.
    np.testing.assert_allclose(clf.predict_proba(shifted[:7]), adapted[:7], atol=1e-6)


def test_adapt_refuses_what_it_cannot_do():
    from sklearn.exceptions import NotFittedError

    from tsclf.classification import CNNClassifier, LSTMClassifier

    from estimator_params import tiny

    clf, X = _bearing_cnn()
    with pytest.raises(ValueError, match="at least 2 windows"):
        clf.adapt(X[:1])
    with pytest.raises(ValueError, match="fitted on"):
        clf.adapt(X[:, :, :10])
    with pytest.raises(NotFittedError):
        CNNClassifier().adapt(X)
    lstm = tiny(LSTMClassifier, max_epochs=1).fit(X, np.arange(len(X)) % 2)
    with pytest.raises(ValueError, match="no BatchNorm layer"):
        lstm.adapt(X)


def test_a_seed_ensemble_adapts_every_member():
    from sklearn.linear_model import LogisticRegression

    from tsclf.classification import CNNClassifier, SeedEnsembleClassifier

    from estimator_params import tiny

    _, X = _bearing_cnn()
    y = np.arange(len(X)) % 2
    member = tiny(CNNClassifier, max_epochs=2, batch_size=20)
    ensemble = SeedEnsembleClassifier(member, n_estimators=2, random_state=0)
    ensemble.fit(X, y)
    shifted = 2.0 * X + 1.0
    twins = [member.adapt(shifted) for member in _copies(ensemble)]
    assert ensemble.adapt(shifted) is ensemble
    expected = np.mean([twin.predict_proba(X) for twin in twins], axis=0)
    np.testing.assert_allclose(ensemble.predict_proba(X), expected, atol=1e-6)
    # Members without adapt: the ensemble has none either.
    plain = SeedEnsembleClassifier(LogisticRegression(), n_estimators=2).fit(X[:, 0], y)
    assert not hasattr(plain, "adapt")


def _copies(ensemble):
    import copy

    return [copy.deepcopy(member) for member in ensemble.estimators_]


@pytest.mark.parametrize("precision", ["float32", "bfloat16", "float16"])
def test_precision_runs_the_forward_passes_under_autocast(precision):
    clf, X = _bearing_cnn(precision=precision)
    dtypes = set()
    conv = next(m for m in clf.net_.module_.modules() if isinstance(m, torch.nn.Conv1d))
    hook = conv.register_forward_hook(lambda m, i, out: dtypes.add(out.dtype))
    probabilities = clf.predict_proba(X)
    hook.remove()
    assert dtypes == {getattr(torch, precision)}
    assert probabilities.dtype == np.float64 or probabilities.dtype == np.float32
    assert np.isfinite(probabilities).all()
    assert np.isfinite(clf.history_[:, "train_loss"]).all()
    assert next(clf.net_.module_.parameters()).dtype == torch.float32
    assert (clf.net_.grad_scaler_ is not None) == (precision == "float16")


@pytest.mark.parametrize(
    ("native", "warns"), [(False, True), (True, False), (None, False)]
)
def test_bfloat16_on_a_cpu_without_native_kernels_says_so(monkeypatch, native, warns):
    import warnings

    from tsclf.deep import _precision
    from tsclf.exceptions import EmulatedPrecisionWarning

    monkeypatch.setattr(_precision, "cpu_has_native_bf16", lambda: native)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _precision.check_precision("bfloat16", "cpu")
        _precision.check_precision("float32", "cpu")
    emulated = [w for w in caught if w.category is EmulatedPrecisionWarning]
    assert len(emulated) == int(warns)
    if warns:
        assert "precision='float32'" in str(emulated[0].message)


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    from tsclf.utils.hardware import cpu_model_and_flags

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(
        "processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx2 amx_bf16\n"
        "processor\t: 1\nmodel name\t: Some CPU\nflags\t\t: fpu avx2 amx_bf16\n"
    )
    assert cpu_model_and_flags(cpuinfo) == ("Some CPU", {"fpu", "avx2", "amx_bf16"})
    model, flags = cpu_model_and_flags(tmp_path / "missing")
    assert flags is None and isinstance(model, str)


def test_float32_precision_is_the_plain_training_and_bad_values_fail():
    reference, X = _bearing_cnn()
    explicit, _ = _bearing_cnn(precision="float32")
    np.testing.assert_array_equal(reference.predict_proba(X), explicit.predict_proba(X))
    with pytest.raises(ValueError, match="'precision' parameter"):
        _bearing_cnn(precision="half")
