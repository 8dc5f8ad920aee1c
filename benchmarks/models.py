"""The classical baselines the benchmarks compare, as scikit-learn pipelines.

Each factory returns an unfitted estimator for multi-output labels
(detection, location, size) on windows of shape (n, channels, length):

- ``cesium-rf``: the reference study's eleven cesium features, scaled, into
  a RandomForest (multi-output natively);
- ``cesium-svc``: the same features into an RBF SVC per task, through
  ``MultiOutputClassifier``;
- ``spectral-rf``: FFT band energies and envelope-spectrum band energies
  (the bearing analyst's features) into a RandomForest.
"""

from __future__ import annotations

from collections.abc import Callable

from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from tsclf.transformers import BandEnergies, CesiumFeatures, EnvelopeSpectrum


def cesium_rf(sampling_rate: float, seed: int, n_jobs: int) -> BaseEstimator:
    return make_pipeline(
        CesiumFeatures(sampling_rate=sampling_rate, n_jobs=n_jobs),
        StandardScaler(),
        RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=n_jobs),
    )


def cesium_svc(sampling_rate: float, seed: int, n_jobs: int) -> BaseEstimator:
    return make_pipeline(
        CesiumFeatures(sampling_rate=sampling_rate, n_jobs=n_jobs),
        StandardScaler(),
        MultiOutputClassifier(SVC(C=10.0, random_state=seed), n_jobs=n_jobs),
    )


def spectral_rf(sampling_rate: float, seed: int, n_jobs: int) -> BaseEstimator:
    return make_pipeline(
        make_union(
            BandEnergies(n_bands=32, sampling_rate=sampling_rate),
            EnvelopeSpectrum(
                n_bands=20, sampling_rate=sampling_rate, max_frequency=1000.0
            ),
        ),
        RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=n_jobs),
    )


CLASSICAL: dict[str, Callable[[float, int, int], BaseEstimator]] = {
    "cesium-rf": cesium_rf,
    "cesium-svc": cesium_svc,
    "spectral-rf": spectral_rf,
}
