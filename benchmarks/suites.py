"""Suite definitions as data: which models run on which protocols and sets.

- ``quick`` (the default, what ``make run`` runs): CWRU leave-one-load-out
  with the classical pipelines, MiniRocket and six deep families (MLP, CNN,
  ResNet, LSTM, GRU, Transformer) trained for 3 epochs each.
- ``full``, at the models' default settings, in five parts:

  1. CWRU leave-one-load-out with every model (the headline table);
  2. CWRU leaky and recording splits with the classical pipelines,
     MiniRocket and the six quick deep families (the leakage contrast);
  3. all eight UCR/UEA sets with MiniRocket and cesium + RF, 3 seeds;
  4. the UCR/UEA sets but PLAID with MLP, FCN, CNN and both ResNets,
     3 seeds;
  5. the five short UCR/UEA sets with InceptionTime and LSTM-FCN, 3 seeds.
- ``shift``: models trusted on a machine they have not seen. Leave one
  load out, cross-sensor (drive end to fan end and back) and leave one
  fault size out, with the MiniRocket and spectral anchors, cesium + RF,
  CNN and ResNet (each also trained on augmented batches), LITE and a CNN
  on spectrograms, 3 seeds each.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.models import MODELS
from benchmarks.protocols import CWRU_PROTOCOLS, SHIFT_SUITE, UCR_DATASETS

# In the full suite, deep models' held-out accuracy is recorded after every
# epoch under these protocols (reporting only; its time is left out of the
# fit time). Three epochs of the quick suite have nothing to settle.
CURVE_PROTOCOLS = ("lolo",)
# The classical pipelines and the MiniRocket anchor.
BASELINES = ("cesium-rf", "cesium-svc", "spectral-rf", "minirocket")
QUICK_DEEP = ("mlp", "cnn", "resnet", "lstm", "gru", "transformer")
# Configurations kept for the comparison with dl-4-tsc's UCR figures.
UCR_TWINS = ("resnet-fullres", "fcn")
# Configurations trained for shift, compared in the shift suite.
ROBUST = ("cnn-robust", "resnet-robust", "cnn-adabn", "resnet-adabn", "cnn-mix")
# The ablation's variants beyond the configurations above: the pieces of
# cnn-robust's augmentation, and one piece at a time on the spectrogram CNN.
ABLATION = (
    "cnn-robust-no-bandlimit",
    "cnn-bandlimit-only",
    "cnn-spectrogram-swa",
    "cnn-spectrogram-mix",
    "cnn-spectrogram-mix-adabn",
    "cnn-spectrogram-mix-ensemble",
    "cnn-spectrogram-mix-ensemble-adabn",
    "cnn-spectrogram-mix-val-load",
    "cnn-spectrogram-mix-val-bearing",
    "spectral-rf-fine",
    "spectral-rf-selected",
    "spectral-rf-scaled",
    "spectral-rf-scaled-adapted",
    "cnn-envelope",
    "mlp-spectral",
    "mlp-spectral-adapted",
)
# VibrationClassifier, plain and adapted, its pieces one at a time, and a
# CNN on the same invariant representation.
INVARIANT = (
    "vibration",
    "vibration-adapted",
    "ses-raw-rf",
    "ses-rf",
    "kurtogram-ses-rf",
    "ses-cms-rf",
    "vibration-ungated",
    "vibration-no-noise",
    "vibration-whitened",
    "vibration-joined",
    "shape-rf",
    "cnn-ses",
    "cnn-ses-adabn",
)
#: The shift suite's ablation, one change at a time: (from, to, the change).
#: The summary gives each step's paired gain on every protocol.
ABLATION_STEPS = (
    ("spectral-rf", "spectral-rf-fine", "spectral-rf: envelope in 10 Hz bands"),
    (
        "spectral-rf",
        "spectral-rf-selected",
        "spectral-rf: envelope bands chosen on a held-out bearing",
    ),
    ("cnn", "cnn-spectrogram", "spectrogram input"),
    (
        "spectral-rf-scaled",
        "spectral-rf-scaled-adapted",
        "spectral-rf: re-centre the features on the test windows",
    ),
    ("cnn", "cnn-envelope", "envelope input"),
    ("spectral-rf", "mlp-spectral", "spectral features: an MLP instead of the forest"),
    ("mlp-spectral", "mlp-spectral-adapted", "MLP on spectral features: re-centre"),
    ("cnn", "cnn-adabn", "adapt to the test windows (AdaBN)"),
    ("cnn", "cnn-mix", "SameLabelMix"),
    ("cnn", "cnn-robust", "noise, shift, stretch and band limit"),
    ("cnn-robust", "cnn-robust-no-bandlimit", "the same without the band limit"),
    ("cnn", "cnn-bandlimit-only", "band limit only"),
    ("cnn-spectrogram", "cnn-spectrogram-adabn", "spectrogram: adapt"),
    ("cnn-spectrogram", "cnn-spectrogram-swa", "spectrogram: weight averaging"),
    ("cnn-spectrogram", "cnn-spectrogram-mix", "spectrogram: SameLabelMix"),
    ("cnn-spectrogram-mix", "cnn-spectrogram-mix-adabn", "spectrogram, mixing: adapt"),
    (
        "cnn-spectrogram-mix",
        "cnn-spectrogram-mix-ensemble",
        "spectrogram, mixing: ensemble of 5 seeds",
    ),
    (
        "cnn-spectrogram-mix-ensemble",
        "cnn-spectrogram-mix-ensemble-adabn",
        "spectrogram, mixing, ensemble: adapt",
    ),
    (
        "cnn-spectrogram-mix",
        "cnn-spectrogram-mix-val-load",
        "spectrogram, mixing: validate on a held-out load",
    ),
    (
        "cnn-spectrogram-mix",
        "cnn-spectrogram-mix-val-bearing",
        "spectrogram, mixing: validate on a held-out bearing",
    ),
    ("resnet", "resnet-adabn", "ResNet: adapt"),
    ("ses-raw-rf", "ses-rf", "envelope spectrum: cepstral pre-whitening first"),
    ("ses-rf", "kurtogram-ses-rf", "whitened: demodulate the kurtogram's band"),
    ("ses-rf", "ses-cms-rf", "whitened: envelope spectra of 4 carrier bands too"),
    ("ses-cms-rf", "vibration-ungated", "invariant features: the path signature too"),
    (
        "vibration-ungated",
        "vibration-no-noise",
        "gate: invariant alone off the training path (forests on joint labels)",
    ),
    ("vibration-no-noise", "vibration-whitened", "off the path: noisy copies too"),
    (
        "vibration-whitened",
        "vibration-joined",
        "off the path: the raw envelope spectrum too, joined",
    ),
    ("vibration-joined", "vibration", "off the path: the raw spectrum votes apart"),
    ("vibration", "vibration-adapted", "VibrationClassifier: adapt"),
    ("cnn", "cnn-ses", "CNN on whitened envelope spectra"),
    ("cnn-ses", "cnn-ses-adabn", "CNN on whitened envelope spectra: adapt"),
    ("resnet", "resnet-robust", "ResNet: noise, shift, stretch and band limit"),
)
# Models added after the full suite ran: in the shift suite only, so that
# the full suite's plan and published figures stay as they ran.
SHIFT_ONLY = (
    "lite",
    "cnn-spectrogram",
    "cnn-spectrogram-adabn",
    *ROBUST,
    *ABLATION,
    *INVARIANT,
)
ALL_CWRU = tuple(name for name in MODELS if name not in UCR_TWINS + SHIFT_ONLY)
# Short series: InceptionTime and LSTM-FCN train for hundreds of epochs on
# UCR; on OSULeaf, ACSF1 and PLAID that takes hours per seed on a CPU.
SHORT_UCR = (
    "GunPoint",
    "ArrowHead",
    "ItalyPowerDemand",
    "BasicMotions",
    "JapaneseVowels",
)


@dataclass(frozen=True)
class Part:
    """Some models on some protocols (UCR: on some data sets, several seeds)."""

    protocols: tuple[str, ...]
    models: tuple[str, ...]
    datasets: tuple[str, ...] = ()
    seeds: int = 1


SUITES: dict[str, tuple[Part, ...]] = {
    "quick": (Part(("lolo",), BASELINES + QUICK_DEEP),),
    "full": (
        Part(("lolo",), ALL_CWRU),
        Part(("leaky", "recording"), BASELINES + QUICK_DEEP),
        Part(("ucr",), ("minirocket", "cesium-rf"), UCR_DATASETS, seeds=3),
        Part(
            ("ucr",),
            ("mlp", "fcn", "cnn", "resnet", "resnet-fullres"),
            tuple(name for name in UCR_DATASETS if name != "PLAID"),
            seeds=3,
        ),
        Part(("ucr",), ("inception", "lstm-fcn"), SHORT_UCR, seeds=3),
    ),
    "shift": (
        Part(
            SHIFT_SUITE,
            ("minirocket", "spectral-rf", "cesium-rf"),
            seeds=3,
        ),
        Part(
            SHIFT_SUITE,
            (
                "cnn",
                "resnet",
                "lite",
                "cnn-spectrogram",
                "cnn-spectrogram-adabn",
                *ROBUST,
            ),
            seeds=3,
        ),
        Part(SHIFT_SUITE, ABLATION, seeds=3),
        Part(SHIFT_SUITE, INVARIANT, seeds=3),
    ),
}


def plan_units(
    suite: str,
    *,
    protocols: tuple[str, ...] | None = None,
    models: tuple[str, ...] | None = None,
    datasets: tuple[str, ...] | None = None,
    seeds: int | None = None,
) -> list[tuple[str, str, str, int]]:
    """The (protocol, data set, model, seed) units to run, in order.

    The suite's parts, narrowed to ``protocols`` and ``datasets`` where
    given; ``seeds`` replaces each part's number of seeds. With ``models`` the
    parts are set aside: exactly those models run on the protocols asked for
    (default: the suite's), with the most seeds the suite gives each protocol
    (1 on CWRU, 3 on UCR outside the suite) and, for UCR, on ``datasets``
    (default: all).
    """
    parts = SUITES[suite]
    if models:
        chosen = protocols or sorted({p for part in parts for p in part.protocols})
        parts = tuple(
            Part(
                (protocol,),
                tuple(models),
                UCR_DATASETS,
                max(
                    (part.seeds for part in parts if protocol in part.protocols),
                    default=3 if protocol == "ucr" else 1,
                ),
            )
            for protocol in chosen
        )
    units: list[tuple[str, str, str, int]] = []
    for part in parts:
        for protocol in part.protocols:
            if protocols and protocol not in protocols:
                continue
            if protocol in CWRU_PROTOCOLS:
                names = ["CWRU"]
            else:
                names = [n for n in part.datasets if not datasets or n in datasets]
            n_seeds = seeds or part.seeds
            for dataset in names:
                for model in part.models:
                    if MODELS[model].vibration_only and dataset != "CWRU":
                        continue
                    for seed in range(n_seeds):
                        unit = (protocol, dataset, model, seed)
                        if unit not in units:
                            units.append(unit)
    return units
