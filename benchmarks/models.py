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
``spectral-rf`` reads). Two more pieces on the mixing spectrogram CNN:
``cnn-spectrogram-mix-ensemble``, five of them with different seeds,
probabilities averaged (:class:`~tsclf.classification.SeedEnsembleClassifier`;
``cnn-spectrogram-mix-ensemble-adabn``: every member adapted), and
``cnn-spectrogram-mix-val-load``, early stopping and the best-epoch restore
judged on a whole motor load held out of training (condition-aware model
selection) instead of blocks of every training recording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupShuffleSplit
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from tsclf import classification
from tsclf.augmentation import (
    AdditiveNoise,
    RandomBandLimit,
    RandomShift,
    SameLabelMix,
    TimeStretch,
)
from tsclf.compose import JointLabelClassifier, SktimeTransformer
from tsclf.deep import WeightAveraging
from tsclf.transformers import (
    BandEnergies,
    CesiumFeatures,
    Envelope,
    EnvelopeSpectrum,
    SpectrogramChannels,
    WindowStandardizer,
)


@dataclass(frozen=True)
class Context:
    """What a model factory may depend on."""

    sampling_rate: float
    seed: int
    n_jobs: int
    device: str
    suite: str
    protocol: str
    n_train: int


def cesium_rf(context: Context) -> BaseEstimator:
    return make_pipeline(
        CesiumFeatures(sampling_rate=context.sampling_rate, n_jobs=context.n_jobs),
        StandardScaler(),
        RandomForestClassifier(
            n_estimators=300, random_state=context.seed, n_jobs=context.n_jobs
        ),
    )


def cesium_svc(context: Context) -> BaseEstimator:
    return make_pipeline(
        CesiumFeatures(sampling_rate=context.sampling_rate, n_jobs=context.n_jobs),
        StandardScaler(),
        MultiOutputClassifier(SVC(C=10.0, random_state=context.seed)),
    )


def spectral_rf(context: Context, envelope_bands: int = 20) -> BaseEstimator:
    rate = context.sampling_rate
    return make_pipeline(
        make_union(
            BandEnergies(n_bands=32, sampling_rate=rate),
            EnvelopeSpectrum(
                n_bands=envelope_bands, sampling_rate=rate, max_frequency=1000.0
            ),
        ),
        RandomForestClassifier(
            n_estimators=300, random_state=context.seed, n_jobs=context.n_jobs
        ),
    )


def spectral_rf_fine(context: Context) -> BaseEstimator:
    return spectral_rf(context, envelope_bands=100)


def minirocket(context: Context) -> BaseEstimator:
    """MiniRocket features, scaling and RidgeClassifierCV (Dempster et al. 2021).

    sktime's transformer sits in the Pipeline through
    :class:`~tsclf.compose.SktimeTransformer`; a 2-D ``y`` is one joint
    label (:class:`~tsclf.compose.JointLabelClassifier`).
    """
    from sklearn.linear_model import RidgeClassifierCV
    from sktime.transformations.panel.rocket import MiniRocketMultivariate

    return JointLabelClassifier(
        make_pipeline(
            SktimeTransformer(MiniRocketMultivariate(random_state=context.seed)),
            StandardScaler(with_mean=False),
            RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
        )
    )


def deep_params(context: Context) -> dict:
    """Training settings per suite and protocol.

    - quick suite: 3 epochs, to show every family trains;
    - full suite on CWRU: the estimators' defaults (up to 50 epochs, early
      stopping on a validation split by recording);
    - full suite on UCR: close to dl-4-tsc's protocol for tiny training sets:
      no validation split (the best epoch by training loss is kept, as
      dl-4-tsc's checkpointing does), batches of ``min(n_train // 10, 16)``,
      the learning rate halved after 20 flat epochs down to 1e-4, and up to
      500 epochs stopping after 50 without improvement (dl-4-tsc, without
      early stopping: 1,500 epochs for ResNet, 2,000 for FCN and 5,000 for
      MLP). ``python -m benchmarks.dl4tsc_gap`` measures what the shorter
      budget costs on ArrowHead: no more than seed noise for ResNet, 5.7
      points for FCN.
    """
    if context.suite == "quick":
        return {"max_epochs": 3}
    if context.protocol == "ucr":
        return {
            "validation": None,
            "batch_size": max(1, min(context.n_train // 10, 16)),
            "max_epochs": 500,
            "early_stopping_patience": 50,
            "lr_scheduler__patience": 20,
            "lr_scheduler__min_lr": 1e-4,
        }
    return {}


def _deep(cls: type, **settings) -> Callable[[Context], BaseEstimator]:
    def factory(context: Context) -> BaseEstimator:
        return cls(
            random_state=context.seed,
            device=context.device,
            **settings,
            **deep_params(context),
        )

    return factory


def seed_ensemble(
    factory: Callable[[Context], BaseEstimator], n_estimators: int = 5
) -> Callable[[Context], BaseEstimator]:
    """``n_estimators`` fits of ``factory``'s model, probabilities averaged;
    the context's seed draws the members' seeds."""

    def build(context: Context) -> BaseEstimator:
        return classification.SeedEnsembleClassifier(
            factory(context), n_estimators=n_estimators, random_state=context.seed
        )

    return build


def validated_on_a_load(**settings) -> Callable[[Context], BaseEstimator]:
    """A deep model that validates on one motor load of its training windows,
    drawn by the seed (its ``fit`` gets the loads as ``groups``: the model's
    ``validate_on="load"``)."""

    def build(context: Context) -> BaseEstimator:
        held_out = GroupShuffleSplit(n_splits=1, test_size=1, random_state=context.seed)
        return _deep(**settings, validation=held_out)(context)

    return build


def robust_augmentation(without: tuple[type, ...] = ()) -> list:
    """Batch transforms for models meant to run on another machine.

    Chosen from what differs between machines, before any shift score was
    seen: another acquisition chain's noise (up to 10 % of the signal's
    standard deviation) and pass band (a cut-off between 30 % and 100 % of
    Nyquist, on half the windows), another shaft speed (within 5 %; loads
    0 to 2 HP span 3 %), and an arbitrary window start. No gain change: the
    per-window z-score before the network already removes it. ``without``
    leaves transforms of those classes out, for the ablation.
    """
    transforms = [
        AdditiveNoise(0.1),
        RandomShift(),
        TimeStretch(0.95, 1.05),
        RandomBandLimit(0.3, 1.0, p=0.5),
    ]
    return [t for t in transforms if not isinstance(t, without)]


# The CNN on each window's spectrogram, frequencies as channels.
SPECTROGRAM_CNN = {
    "cls": classification.CNNClassifier,
    "preprocessor": make_pipeline(WindowStandardizer(), SpectrogramChannels()),
}


def envelope_cnn(context: Context) -> BaseEstimator:
    """The CNN on each window's amplitude envelope at a quarter of the rate
    (3 kHz on CWRU: the fault frequencies and their harmonics lie far
    below), z-scored before and after demodulation."""
    envelope = Envelope(sampling_rate=context.sampling_rate, decimation=4)
    preprocessor = make_pipeline(WindowStandardizer(), envelope, WindowStandardizer())
    return _deep(classification.CNNClassifier, preprocessor=preprocessor)(context)


FULL_RESOLUTION_BLOCKS = ((32, 64, 7, 1), (64, 128, 5, 1), (128, 128, 3, 1))
FCN_SETTINGS = {
    "module__filters": (128, 256, 128),
    "module__kernel_sizes": (8, 5, 3),
    "module__pool_size": 1,
    "module__dropout": 0.0,
}


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


@dataclass(frozen=True)
class ModelSpec:
    family: str  # "classical", "anchor" or "deep"
    build: Callable[[Context], BaseEstimator]
    vibration_only: bool = False
    # The model whose fits this one adapts: they re-estimate the BatchNorm
    # statistics on the unlabelled test windows (``adapt``, AdaBN) before
    # predicting them. One fit scores both (see ``adapted_twin``).
    adapts: str | None = None
    # What a deep model's validation split holds out (``VALIDATION_GROUPS``):
    # blocks of every training recording, or a whole motor load.
    validate_on: str = "blocks"


MODELS: dict[str, ModelSpec] = {
    "cesium-rf": ModelSpec("classical", cesium_rf),
    "cesium-svc": ModelSpec("classical", cesium_svc),
    "spectral-rf": ModelSpec("classical", spectral_rf, vibration_only=True),
    "spectral-rf-fine": ModelSpec("classical", spectral_rf_fine, vibration_only=True),
    "minirocket": ModelSpec("anchor", minirocket),
    "mlp": ModelSpec("deep", _deep(classification.MLPClassifier)),
    "cnn": ModelSpec("deep", _deep(classification.CNNClassifier)),
    "resnet": ModelSpec("deep", _deep(classification.ResNetClassifier)),
    "resnet-fullres": ModelSpec(
        "deep",
        _deep(
            classification.ResNetClassifier,
            module__blocks=FULL_RESOLUTION_BLOCKS,
            module__block_dropout=0.0,
            module__head_dropout=0.0,
        ),
    ),
    "fcn": ModelSpec("deep", _deep(classification.CNNClassifier, **FCN_SETTINGS)),
    "cnn-robust": ModelSpec(
        "deep",
        _deep(classification.CNNClassifier, augmentation=robust_augmentation()),
    ),
    "cnn-mix": ModelSpec(
        "deep", _deep(classification.CNNClassifier, augmentation=[SameLabelMix()])
    ),
    "cnn-spectrogram": ModelSpec("deep", _deep(**SPECTROGRAM_CNN)),
    "cnn-envelope": ModelSpec("deep", envelope_cnn, vibration_only=True),
    # One robustness piece at a time on the spectrogram CNN (fast to fit).
    "cnn-spectrogram-swa": ModelSpec(
        "deep", _deep(**SPECTROGRAM_CNN, callbacks=[WeightAveraging()])
    ),
    "cnn-spectrogram-mix": ModelSpec(
        "deep", _deep(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()])
    ),
    "cnn-spectrogram-mix-ensemble": ModelSpec(
        "deep", seed_ensemble(_deep(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()]))
    ),
    "cnn-spectrogram-mix-val-load": ModelSpec(
        "deep",
        validated_on_a_load(**SPECTROGRAM_CNN, augmentation=[SameLabelMix()]),
        validate_on="load",
    ),
    # The ablation of cnn-robust: one change at a time.
    "cnn-robust-no-bandlimit": ModelSpec(
        "deep",
        _deep(
            classification.CNNClassifier,
            augmentation=robust_augmentation(without=(RandomBandLimit,)),
        ),
    ),
    "cnn-bandlimit-only": ModelSpec(
        "deep",
        _deep(
            classification.CNNClassifier,
            augmentation=[RandomBandLimit(0.3, 1.0, p=0.5)],
        ),
    ),
    "resnet-robust": ModelSpec(
        "deep",
        _deep(classification.ResNetClassifier, augmentation=robust_augmentation()),
    ),
    "inception": ModelSpec("deep", _deep(classification.InceptionTimeClassifier)),
    "lite": ModelSpec("deep", _deep(classification.LITEClassifier)),
    "rnn": ModelSpec("deep", _deep(classification.RNNClassifier)),
    "lstm": ModelSpec("deep", _deep(classification.LSTMClassifier)),
    "gru": ModelSpec("deep", _deep(classification.GRUClassifier)),
    "tcn": ModelSpec("deep", _deep(classification.TCNClassifier)),
    "transformer": ModelSpec("deep", _deep(classification.TransformerClassifier)),
    "lstm-fcn": ModelSpec("deep", _deep(classification.LSTMFCNClassifier)),
    "cnn-gru": ModelSpec("deep", _deep(classification.CNNGRUClassifier)),
    "resnet2d": ModelSpec("deep", _deep(classification.ResNet2DClassifier)),
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
    )
}


def adapted_twin(model: str) -> str | None:
    """The model that adapts ``model``'s fits, or the one whose fits it
    adapts: the runner scores both from one fit. None when there is none."""
    if MODELS[model].adapts:
        return MODELS[model].adapts
    return next((name for name, s in MODELS.items() if s.adapts == model), None)
