"""How each benchmark model is built: one factory per model, from a
:class:`Context` (the problem's sampling rate, the seed, the device...).

:data:`benchmarks.models.MODELS` names them; the models themselves are
described there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, GroupShuffleSplit
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC

from tsclf import classification
from tsclf.augmentation import (
    AdditiveNoise,
    RandomBandLimit,
    RandomShift,
    TimeStretch,
)
from tsclf.compose import AdaptivePipeline, JointLabelClassifier, SktimeTransformer
from tsclf.datasets import TASKS
from tsclf.metrics import multitask_scoring
from tsclf.model_selection import LeaveOneConditionOut
from tsclf.transformers import (
    AdaptiveScaler,
    BandEnergies,
    CepstralCoefficients,
    CepstralPrewhitening,
    CesiumFeatures,
    Envelope,
    EnvelopeSpectrum,
    Flatten,
    KurtogramBandpass,
    SpectralShape,
    SpectrogramChannels,
    SquaredEnvelopeSpectrum,
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


def _forest(context: Context) -> RandomForestClassifier:
    return RandomForestClassifier(
        n_estimators=300, random_state=context.seed, n_jobs=context.n_jobs
    )


def cesium_rf(context: Context) -> BaseEstimator:
    return make_pipeline(
        CesiumFeatures(sampling_rate=context.sampling_rate, n_jobs=context.n_jobs),
        StandardScaler(),
        _forest(context),
    )


def cesium_svc(context: Context) -> BaseEstimator:
    return make_pipeline(
        CesiumFeatures(sampling_rate=context.sampling_rate, n_jobs=context.n_jobs),
        StandardScaler(),
        MultiOutputClassifier(SVC(C=10.0, random_state=context.seed)),
    )


def spectral_features(context: Context, envelope_bands: int = 20) -> BaseEstimator:
    """Log energies in 32 FFT bands and ``envelope_bands`` envelope-spectrum
    bands up to 1 kHz: what the bearing analyst reads."""
    rate = context.sampling_rate
    return make_union(
        BandEnergies(n_bands=32, sampling_rate=rate),
        EnvelopeSpectrum(
            n_bands=envelope_bands, sampling_rate=rate, max_frequency=1000.0
        ),
    )


def spectral_rf(context: Context, envelope_bands: int = 20) -> BaseEstimator:
    return make_pipeline(spectral_features(context, envelope_bands), _forest(context))


def spectral_rf_scaled(context: Context) -> BaseEstimator:
    """``spectral_rf`` with every feature standardised (the forest's splits
    do not change), in a pipeline whose ``adapt`` re-centres the features
    on a new domain's unlabelled windows."""
    return AdaptivePipeline(
        [
            ("features", spectral_features(context)),
            ("scale", AdaptiveScaler()),
            ("forest", _forest(context)),
        ]
    )


def spectral_mlp(context: Context) -> BaseEstimator:
    """The MLP on ``spectral-rf``'s features, standardised, as one series of
    feature values: the network's learner on the forest's input. Its
    ``adapt`` re-centres the features on new windows (``AdaptiveScaler``)."""
    as_series = FunctionTransformer(np.expand_dims, kw_args={"axis": 1})
    features = AdaptivePipeline(
        [
            ("features", spectral_features(context)),
            ("scale", AdaptiveScaler()),
            ("series", as_series),
        ]
    )
    return deep_model(classification.MLPClassifier, preprocessor=features)(context)


def vibration(context: Context, **settings) -> BaseEstimator:
    """The recommended :class:`~tsclf.classification.VibrationClassifier`
    at its defaults but ``settings`` (its forest's jobs from the context)."""
    return classification.VibrationClassifier(
        sampling_rate=context.sampling_rate,
        n_jobs=context.n_jobs,
        random_state=context.seed,
        **settings,
    )


def envelope_spectra(
    context: Context, carrier_bands=(1,), *, whiten: bool = True, kurtogram=False
) -> BaseEstimator:
    """Normalised squared envelope spectra up to 1 kHz for each carrier band
    count, flattened: ``VibrationClassifier``'s invariant features, piece by
    piece (whitened first, or band-passed by the kurtogram)."""
    rate = context.sampling_rate
    spectra = make_union(
        *[
            make_pipeline(
                SquaredEnvelopeSpectrum(
                    sampling_rate=rate, max_frequency=1000.0, n_carrier_bands=k
                ),
                Flatten(),
            )
            for k in carrier_bands
        ]
    )
    before = [CepstralPrewhitening()] if whiten else []
    if kurtogram:
        before.append(KurtogramBandpass(sampling_rate=rate))
    return make_pipeline(*before, spectra)


def envelope_rf(**settings) -> Callable[[Context], BaseEstimator]:
    def build(context: Context) -> BaseEstimator:
        return make_pipeline(envelope_spectra(context, **settings), _forest(context))

    return build


def envelope_cepstrum_rf(context: Context) -> BaseEstimator:
    """``VibrationClassifier``'s features, both kinds for every window, into
    one forest: the classifier without its gate."""
    features = make_union(
        CepstralCoefficients(24), envelope_spectra(context, carrier_bands=(1, 4))
    )
    return make_pipeline(features, _forest(context))


def shape_rf(context: Context) -> BaseEstimator:
    """The gain-invariant spectral shape: 32 log band energies relative to
    their mean, into a forest."""
    shape = SpectralShape(n_bands=32, sampling_rate=context.sampling_rate)
    return make_pipeline(shape, _forest(context))


def envelope_cnn_whitened(context: Context) -> BaseEstimator:
    """The CNN on whitened windows' normalised squared envelope spectra of
    4 equal carrier bands: 4 channels of 100 bins up to 1 kHz."""
    spectra = SquaredEnvelopeSpectrum(
        sampling_rate=context.sampling_rate, max_frequency=1000.0, n_carrier_bands=4
    )
    preprocessor = make_pipeline(CepstralPrewhitening(), spectra)
    return deep_model(classification.CNNClassifier, preprocessor=preprocessor)(context)


def spectral_rf_fine(context: Context) -> BaseEstimator:
    return spectral_rf(context, envelope_bands=100)


#: The envelope-spectrum resolutions ``spectral-rf-selected`` chooses from:
#: 50, 20 and 10 Hz bands up to 1 kHz (10 Hz: a 1200-sample window's
#: resolution at 12 kHz).
ENVELOPE_BAND_GRID = (20, 50, 100)


def spectral_rf_selected(context: Context) -> BaseEstimator:
    """``spectral_rf`` whose envelope band count is chosen by a search that
    holds out one damaged bearing at a time (its ``fit`` gets the fault
    sizes as ``groups``: the model's ``validate_on="bearing"``), by location
    accuracy on the held-out bearing: the task that can transfer to a bearing
    never seen, whatever the protocol."""
    return GridSearchCV(
        spectral_rf(context),
        {"featureunion__envelopespectrum__n_bands": list(ENVELOPE_BAND_GRID)},
        scoring=multitask_scoring(TASKS),
        refit="accuracy_location",
        cv=LeaveOneConditionOut(),
        error_score="raise",
    )


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
      MLP). ``python -m benchmarks.studies.dl4tsc_gap`` measures what the shorter
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


def deep_model(cls: type, **settings) -> Callable[[Context], BaseEstimator]:
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


def validated_on_one_group(**settings) -> Callable[[Context], BaseEstimator]:
    """A deep model that validates on one of the groups its ``fit`` gets,
    drawn by the seed: a whole motor load or bearing of its training
    windows (the model's ``validate_on``, ``"load"`` or ``"bearing"``)."""

    def build(context: Context) -> BaseEstimator:
        held_out = GroupShuffleSplit(n_splits=1, test_size=1, random_state=context.seed)
        return deep_model(**settings, validation=held_out)(context)

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
    return deep_model(classification.CNNClassifier, preprocessor=preprocessor)(context)


FULL_RESOLUTION_BLOCKS = ((32, 64, 7, 1), (64, 128, 5, 1), (128, 128, 3, 1))
FCN_SETTINGS = {
    "module__filters": (128, 256, 128),
    "module__kernel_sizes": (8, 5, 3),
    "module__pool_size": 1,
    "module__dropout": 0.0,
}
