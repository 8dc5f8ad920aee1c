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
    TimeStretch,
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
