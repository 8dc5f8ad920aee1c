"""What :class:`VibrationClassifier` reads; how its classifiers' answers combine."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from tsclf.augmentation import AdditiveNoise, augmented_copies
from tsclf.compose import JointLabelClassifier
from tsclf.transformers import CepstralPrewhitening, Flatten, SquaredEnvelopeSpectrum
from tsclf.utils.labels import mean_probabilities, most_probable


def envelope_spectrum(
    sampling_rate: float, max_frequency: float, n_carrier_bands: int
) -> Pipeline:
    """Normalised squared envelope spectra up to ``max_frequency``, flat."""
    return make_pipeline(
        SquaredEnvelopeSpectrum(
            sampling_rate=sampling_rate,
            max_frequency=max_frequency,
            n_carrier_bands=n_carrier_bands,
        ),
        Flatten(),
    )


def invariant_features(
    sampling_rate: float, max_frequency: float, carrier_bands
) -> Pipeline:
    """Whitening, then the envelope spectra of each carrier band count.

    Raises
    ------
    ValueError
        If ``carrier_bands`` is not one or more positive integers, or
        ``max_frequency`` is above the Nyquist frequency.
    """
    if max_frequency > sampling_rate / 2:
        raise ValueError(
            f"max_frequency={max_frequency:g} Hz is above the Nyquist "
            f"frequency ({sampling_rate / 2:g} Hz at sampling_rate="
            f"{sampling_rate:g}); pass the windows' sampling_rate, or a "
            "lower max_frequency."
        )
    bands = np.asarray(carrier_bands).reshape(-1)
    if bands.size == 0 or not all(
        isinstance(k, Integral) and k >= 1 for k in bands.tolist()
    ):
        raise ValueError(
            "carrier_bands must be one or more positive integers, got "
            f"{carrier_bands!r}."
        )
    spectra = [
        envelope_spectrum(sampling_rate, max_frequency, int(k)) for k in bands.tolist()
    ]
    return make_pipeline(CepstralPrewhitening(), make_union(*spectra))


def fallback_input(
    X: np.ndarray, invariant: np.ndarray, raw_spectrum: Pipeline | None
) -> np.ndarray:
    """Return what the classifier of windows off the training path reads."""
    if raw_spectrum is None:
        return invariant
    return np.hstack([invariant, raw_spectrum.transform(X)])


def noisy_fallback_input(
    X: np.ndarray,
    features: Pipeline,
    raw_spectrum: Pipeline | None,
    n_copies: int,
    max_noise_ratio: float,
    seed: int,
) -> np.ndarray:
    """:func:`fallback_input` of ``n_copies`` copies of ``X``, noise added.

    The copies are made and read a chunk of windows at a time, so that they
    never all sit in memory.
    """
    noise = [AdditiveNoise(max_ratio=max_noise_ratio)]
    return np.vstack(
        [
            fallback_input(noisy, features.transform(noisy), raw_spectrum)
            for noisy in augmented_copies(X, noise, n_copies, seed)
        ]
    )


def soft_vote(method: str, estimators, inputs):
    """Average the probabilities of ``estimators``, each on its own input.

    ``method`` is "predict_proba" (the mean, per task) or "predict": the
    most probable joint label of the mean joint probabilities where the
    estimators share joint labels (:class:`JointLabelClassifier`), so that
    the tasks never contradict each other; otherwise each task's most
    probable label.
    """
    pairs = list(zip(estimators, inputs, strict=True))
    rows = shared_joint_rows(estimators)
    if method == "predict" and rows is not None:
        joint = np.mean([e.predict_joint_proba(X) for e, X in pairs], axis=0)
        return rows[joint.argmax(axis=1)]
    proba = mean_probabilities([estimator.predict_proba(X) for estimator, X in pairs])
    if method == "predict_proba":
        return proba
    return most_probable(estimators[0].classes_, proba)


def shared_joint_rows(estimators) -> np.ndarray | None:
    """Return the joint labels every estimator predicts over, if shared.

    Where they are, :func:`soft_vote` (and the ONNX graph) votes on them.
    """
    if not all(
        isinstance(e, JointLabelClassifier) and e.multi_output_ for e in estimators
    ):
        return None
    rows = estimators[0].joint_rows_
    same = all(np.array_equal(e.joint_rows_, rows) for e in estimators[1:])
    return rows if same else None


def gated(outside: np.ndarray, alone, path):
    """Take ``alone``'s answer where ``outside``, ``path``'s elsewhere.

    Both are labels or probabilities, arrays or lists of them (one per
    task), with the windows on their first axis.
    """
    if isinstance(alone, list):
        return [
            np.where(outside[:, np.newaxis], a, p)
            for a, p in zip(alone, path, strict=True)
        ]
    mask = outside.reshape(-1, *([1] * (np.ndim(alone) - 1)))
    return np.where(mask, alone, path)
