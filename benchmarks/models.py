"""Every model the benchmarks compare, built for a given problem.

Classical pipelines (multi-output labels go straight to RandomForest; SVC
gets one model per task through ``MultiOutputClassifier``):

- ``cesium-rf``: the reference study's eleven cesium features, scaled, into
  a RandomForest;
- ``cesium-svc``: the same features into an RBF SVC per task;
- ``spectral-rf``: FFT band energies and envelope-spectrum band energies
  (the bearing analyst's features) into a RandomForest; vibration data only;
- ``spectral-rf-fine``: the same with the envelope spectrum in 10 Hz bands
  (the frequency resolution of a 1200-sample window at 12 kHz) instead of
  50 Hz ones, so that the fault frequencies of the CWRU bearing (outer race
  about 107 Hz, twice the ball spin 141 Hz, inner race 162 Hz at 1797 rpm)
  fall in bands of their own. Added to the shift suite after a one-seed
  probe on its test folds, so its scores there are not a clean comparison.
- ``spectral-rf-scaled``: ``spectral-rf`` with its features standardised
  (:class:`~tsclf.transformers.AdaptiveScaler` in an
  :class:`~tsclf.compose.AdaptivePipeline`; the forest's splits are the
  same), and ``spectral-rf-scaled-adapted``, the same fits with the
  features re-centred on the unlabelled test windows (``adapt``) before
  predicting them: on log band energies, a new transfer path adds a
  constant per band, which the re-centring removes.
- ``spectral-rf-selected``: ``spectral-rf`` whose envelope bands (50, 20
  or 10 Hz) are chosen inside each training set by a search that holds out
  one damaged bearing (fault size) at a time and scores location accuracy
  on it: selection on validation data only, the same rule under every
  protocol.

The state-of-the-art classical anchor:

- ``minirocket``: sktime's MiniRocket transform, scaling and a
  ``RidgeClassifierCV``, as in its paper; several tasks are encoded as one
  joint label.

Deep models: every estimator of :mod:`tsclf.classification`, with its
defaults except where :func:`deep_params` says otherwise, plus two
configurations that stand beside dl-4-tsc's published UCR figures:

- ``resnet-fullres``: ``ResNetClassifier`` with three residual blocks
  (64, 128, 128 filters) that keep the full time resolution and no dropout,
  which is closer to dl-4-tsc's ResNet than the default (eight blocks, three
  of them halving the length, as in the reference CWRU study);
- ``fcn``: ``CNNClassifier`` as the fully convolutional network of Wang et
  al. (2017) that dl-4-tsc evaluates: convolutions of 128, 256 and 128
  filters with kernels of 8, 5 and 3, batch norm and ReLU, no pooling
  before the global average, no dropout.

And, for the shift suite, the same networks trained on augmented batches
(:func:`robust_augmentation`): ``cnn-robust`` and ``resnet-robust``;
``cnn-adabn`` and ``resnet-adabn``, the default CNN and ResNet whose
BatchNorm statistics are re-estimated on the unlabelled test windows before
predicting them (``adapt``, AdaBN; one fit scores a model and its adapted
twin);
``cnn-mix``, the CNN trained on batches where half the windows are blended
with another window of the same labels (:class:`~tsclf.augmentation.SameLabelMix`);
``cnn-spectrogram``, the CNN on each window's spectrogram with the
frequencies as channels (band energies over time), what the analyst reads,
``cnn-spectrogram-adabn``, that CNN adapted to the test windows, and
``cnn-spectrogram-swa`` and ``cnn-spectrogram-mix``, that CNN with stochastic
weight averaging or ``SameLabelMix``: one piece at a time
(``cnn-spectrogram-mix-adabn``: mixing, then adapted to the test windows).
``cnn-envelope``, the CNN on each window's amplitude envelope at a quarter
of the rate (:class:`~tsclf.transformers.Envelope`: the defect's impacts
at its characteristic rate, the series behind the envelope spectrum that
``spectral-rf`` reads). ``mlp-spectral``, the MLP on ``spectral-rf``'s
features (standardised): a network's learner on the forest's input, and
``mlp-spectral-adapted``, its features re-centred on the test windows. More pieces
on the mixing spectrogram CNN:
``cnn-spectrogram-mix-ensemble``, five of them with different seeds,
probabilities averaged (:class:`~tsclf.classification.SeedEnsembleClassifier`;
``cnn-spectrogram-mix-ensemble-adabn``: every member adapted),
``cnn-spectrogram-mix-val-load``, early stopping and the best-epoch restore
judged on a whole motor load held out of training (condition-aware model
selection) instead of blocks of every training recording, and
``cnn-spectrogram-mix-val-bearing``, judged on a whole damaged bearing
(fault size) held out instead.

Time to accuracy (``python -m benchmarks.studies.time_to_accuracy``):
``cnn-one-cycle``, ``lite-one-cycle`` and ``resnet-one-cycle`` train their
network on one learning-rate cycle (:class:`~torch.optim.lr_scheduler.OneCycleLR`
peaking at 1e-2) over 15 epochs (ResNet: 10) instead of up to 50 with the
rate halved on plateaus; ``cnn-fast``, ``lite-fast`` and ``resnet-fast`` do
the same in bfloat16.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from sklearn.base import BaseEstimator
from torch.optim.lr_scheduler import OneCycleLR

from benchmarks.factories import (
    FCN_SETTINGS,
    FULL_RESOLUTION_BLOCKS,
    SPECTROGRAM_CNN,
    Context,
    cesium_rf,
    cesium_svc,
    deep_model,
    envelope_cepstrum_rf,
    envelope_cnn,
    envelope_cnn_whitened,
    envelope_rf,
    minirocket,
    robust_augmentation,
    seed_ensemble,
    shape_rf,
    spectral_mlp,
    spectral_rf,
    spectral_rf_fine,
    spectral_rf_scaled,
    spectral_rf_selected,
    validated_on_one_group,
    vibration,
)
from tsclf import classification
from tsclf.augmentation import RandomBandLimit, SameLabelMix
from tsclf.deep import WeightAveraging


def cap_epochs(estimator, max_epochs: int | None):
    """Lower a deep model's ``max_epochs`` (a seed ensemble's members' too) to
    at most ``max_epochs``; others and ``None`` pass unchanged."""
    if max_epochs:
        params = estimator.get_params()
        names = _own_or_members(params, "max_epochs")
        estimator.set_params(**{n: min(max_epochs, params[n]) for n in names})
    return estimator


def _own_or_members(params: dict, name: str) -> list[str]:
    """``name`` or, for a seed ensemble, its members' ``estimator__name``,
    where ``params`` has them."""
    return [n for n in (name, f"estimator__{name}") if n in params]


def build_estimator(
    name: str, context: Context, *, max_epochs: int | None = None, verbose: int = 0
) -> BaseEstimator:
    """The estimator of model ``name`` for ``context``, epochs capped; deep
    models print a line per epoch with ``verbose``."""
    estimator = MODELS[name].build(context)
    if verbose and MODELS[name].family == "deep":
        names = _own_or_members(estimator.get_params(), "verbose")
        estimator.set_params(**dict.fromkeys(names, verbose))
    return cap_epochs(estimator, max_epochs)


#: One learning-rate cycle (warm-up to a peak of 1e-2, then annealing) over
#: a third or less of the epochs the defaults take, per network.
ONE_CYCLE = {
    name: {"lr_scheduler": OneCycleLR, "lr": 1e-2, "max_epochs": epochs}
    for name, epochs in (("cnn", 15), ("lite", 15), ("resnet", 10))
}
#: The same in bfloat16, where the CPU computes it natively.
FAST = {
    name: settings | {"precision": "bfloat16"} for name, settings in ONE_CYCLE.items()
}


@dataclass(frozen=True)
class ModelSpec:
    family: str  # "classical", "anchor" or "deep"
    build: Callable[[Context], BaseEstimator]
    vibration_only: bool = False
    # The model whose fits this one adapts: they re-estimate the BatchNorm
    # statistics on the unlabelled test windows (``adapt``, AdaBN) before
    # predicting them. One fit scores both (see ``adapted_twin``).
    adapts: str | None = None
    # What the model's own selection holds out (``VALIDATION_GROUPS``): a
    # deep model's validation split blocks of every training recording, or
    # for any model a whole motor load or bearing, as its fit's ``groups``.
    validate_on: str = "blocks"
    # Whose training-behaviour version keys the fits (benchmarks.behaviour);
    # None: the family's ("classical": "features").
    behaviour: str | None = None

    @property
    def behaviour_family(self) -> str:
        if self.behaviour is not None:
            return self.behaviour
        return "features" if self.family == "classical" else self.family


MODELS: dict[str, ModelSpec] = {
    "cesium-rf": ModelSpec("classical", cesium_rf),
    "cesium-svc": ModelSpec("classical", cesium_svc),
    "spectral-rf": ModelSpec("classical", spectral_rf, vibration_only=True),
    "spectral-rf-fine": ModelSpec("classical", spectral_rf_fine, vibration_only=True),
    "spectral-rf-scaled": ModelSpec(
        "classical", spectral_rf_scaled, vibration_only=True
    ),
    "spectral-rf-selected": ModelSpec(
        "classical", spectral_rf_selected, vibration_only=True, validate_on="bearing"
    ),
    "minirocket": ModelSpec("anchor", minirocket),
    "vibration": ModelSpec(
        "classical", vibration, vibration_only=True, behaviour="vibration"
    ),
    # VibrationClassifier piece by piece.
    "ses-raw-rf": ModelSpec(
        "classical", envelope_rf(whiten=False), vibration_only=True
    ),
    "ses-rf": ModelSpec("classical", envelope_rf(), vibration_only=True),
    "kurtogram-ses-rf": ModelSpec(
        "classical", envelope_rf(kurtogram=True), vibration_only=True
    ),
    "ses-cms-rf": ModelSpec(
        "classical", envelope_rf(carrier_bands=(1, 4)), vibration_only=True
    ),
    "vibration-no-noise": ModelSpec(
        "classical",
        functools.partial(vibration, noisy_copies=0, raw_envelope=None),
        vibration_only=True,
        behaviour="vibration",
    ),
    "vibration-whitened": ModelSpec(
        "classical",
        functools.partial(vibration, raw_envelope=None),
        vibration_only=True,
        behaviour="vibration",
    ),
    "vibration-joined": ModelSpec(
        "classical",
        functools.partial(vibration, raw_envelope="join"),
        vibration_only=True,
        behaviour="vibration",
    ),
    "vibration-ungated": ModelSpec(
        "classical", envelope_cepstrum_rf, vibration_only=True
    ),
    "shape-rf": ModelSpec("classical", shape_rf, vibration_only=True),
    "cnn-ses": ModelSpec("deep", envelope_cnn_whitened, vibration_only=True),
    "mlp": ModelSpec("deep", deep_model(classification.MLPClassifier)),
    "cnn": ModelSpec("deep", deep_model(classification.CNNClassifier)),
    "resnet": ModelSpec("deep", deep_model(classification.ResNetClassifier)),
    "resnet-fullres": ModelSpec(
        "deep",
        deep_model(
            classification.ResNetClassifier,
            module__blocks=FULL_RESOLUTION_BLOCKS,
            module__block_dropout=0.0,
            module__head_dropout=0.0,
        ),
    ),
    "fcn": ModelSpec("deep", deep_model(classification.CNNClassifier, **FCN_SETTINGS)),
    "cnn-robust": ModelSpec(
        "deep",
        deep_model(classification.CNNClassifier, augmentation=robust_augmentation()),
    ),
    "cnn-mix": ModelSpec(
        "deep", deep_model(classification.CNNClassifier, augmentation=[SameLabelMix()])
    ),
    "cnn-spectrogram": ModelSpec("deep", deep_model(**SPECTROGRAM_CNN)),
    "cnn-envelope": ModelSpec("deep", envelope_cnn, vibration_only=True),
    "mlp-spectral": ModelSpec("deep", spectral_mlp, vibration_only=True),
    # One robustness piece at a time on the spectrogram CNN (fast to fit).
    "cnn-spectrogram-swa": ModelSpec(
        "deep", deep_model(**SPECTROGRAM_CNN, callbacks=[WeightAveraging()])
    ),
    "cnn-spectrogram-mix": ModelSpec(
        "deep", deep_model(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()])
    ),
    "cnn-spectrogram-mix-ensemble": ModelSpec(
        "deep",
        seed_ensemble(deep_model(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()])),
    ),
    "cnn-spectrogram-mix-val-load": ModelSpec(
        "deep",
        validated_on_one_group(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()]),
        validate_on="load",
    ),
    "cnn-spectrogram-mix-val-bearing": ModelSpec(
        "deep",
        validated_on_one_group(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()]),
        validate_on="bearing",
    ),
    # The ablation of cnn-robust: one change at a time.
    "cnn-robust-no-bandlimit": ModelSpec(
        "deep",
        deep_model(
            classification.CNNClassifier,
            augmentation=robust_augmentation(without=(RandomBandLimit,)),
        ),
    ),
    "cnn-bandlimit-only": ModelSpec(
        "deep",
        deep_model(
            classification.CNNClassifier,
            augmentation=[RandomBandLimit(0.3, 1.0, p=0.5)],
        ),
    ),
    "resnet-robust": ModelSpec(
        "deep",
        deep_model(classification.ResNetClassifier, augmentation=robust_augmentation()),
    ),
    "inception": ModelSpec("deep", deep_model(classification.InceptionTimeClassifier)),
    "lite": ModelSpec("deep", deep_model(classification.LITEClassifier)),
    "rnn": ModelSpec("deep", deep_model(classification.RNNClassifier)),
    "lstm": ModelSpec("deep", deep_model(classification.LSTMClassifier)),
    "gru": ModelSpec("deep", deep_model(classification.GRUClassifier)),
    "tcn": ModelSpec("deep", deep_model(classification.TCNClassifier)),
    "transformer": ModelSpec("deep", deep_model(classification.TransformerClassifier)),
    "lstm-fcn": ModelSpec("deep", deep_model(classification.LSTMFCNClassifier)),
    "cnn-gru": ModelSpec("deep", deep_model(classification.CNNGRUClassifier)),
    "resnet2d": ModelSpec("deep", deep_model(classification.ResNet2DClassifier)),
}


# Time to accuracy: one learning-rate cycle over fewer epochs, in float32
# (``-one-cycle``) and in bfloat16 (``-fast``).
MODELS |= {
    f"{name}{suffix}": ModelSpec("deep", deep_model(estimator, **settings[name]))
    for name, estimator in (
        ("cnn", classification.CNNClassifier),
        ("lite", classification.LITEClassifier),
        ("resnet", classification.ResNetClassifier),
    )
    for suffix, settings in (("-one-cycle", ONE_CYCLE), ("-fast", FAST))
}


def _adapted(base: str) -> ModelSpec:
    """``base``'s fits, adapted to the test windows before predicting them."""
    return replace(MODELS[base], adapts=base)


MODELS |= {
    f"{base}-adabn": _adapted(base)
    for base in (
        "cnn",
        "resnet",
        "cnn-spectrogram",
        "cnn-spectrogram-mix",
        "cnn-spectrogram-mix-ensemble",
        "cnn-ses",
    )
}


# Features re-centred on the test windows (AdaptiveScaler).
MODELS["spectral-rf-scaled-adapted"] = _adapted("spectral-rf-scaled")
MODELS["mlp-spectral-adapted"] = _adapted("mlp-spectral")
# Cepstral mean normalisation and the monitor re-referenced on the test windows.
MODELS["vibration-adapted"] = _adapted("vibration")


def adapted_twin(model: str) -> str | None:
    """The model that adapts ``model``'s fits, or the one whose fits it
    adapts: the runner scores both from one fit. None when there is none."""
    if MODELS[model].adapts:
        return MODELS[model].adapts
    return next((name for name, s in MODELS.items() if s.adapts == model), None)
