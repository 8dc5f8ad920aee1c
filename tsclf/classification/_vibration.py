"""The recommended classifier for vibration windows from a machine not seen."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, check_random_state

from tsclf.classification._vibration_features import (
    envelope_spectrum,
    fallback_input,
    gated,
    invariant_features,
    noisy_fallback_input,
    soft_vote,
)
from tsclf.compose import JointLabelClassifier
from tsclf.metrics import MultiTaskClassifierMixin
from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import AdaptiveScaler, CepstralCoefficients, Flatten
from tsclf.utils.adaptation import surest_predictions
from tsclf.utils.constraints import HasMethods, Interval, StrOptions
from tsclf.utils.defaults import estimator_has
from tsclf.utils.validation import SAMPLING_RATE, validate_series


class VibrationClassifier(MultiOutputMixin, MultiTaskClassifierMixin, BaseEstimator):
    """Classify vibration windows, trusted on a machine it was not trained on.

    A sensor elsewhere, another mounting or acquisition chain multiplies
    the spectrum by its own frequency response: a model that learnt the
    training machine's spectrum answers wrongly on the next one. This
    classifier reads each window in two ways and decides, window by
    window, which to trust:

    - **invariant features**, what the bearing analyst reads: the windows
      are whitened (:class:`~tsclf.transformers.CepstralPrewhitening`,
      which divides out the transfer path and the gain), then their
      squared envelope spectrum up to ``max_frequency`` is taken over the
      whole band and over ``k`` equal carrier bands for each ``k`` in
      ``carrier_bands``, each normalised by its mean
      (:class:`~tsclf.transformers.SquaredEnvelopeSpectrum`). A fault's
      impact rate shows whatever the path.
    - **the path signature**: the low real-cepstrum coefficients
      (:class:`~tsclf.transformers.CepstralCoefficients`), the smooth
      spectral shape. On the training path it tells loads, sizes and
      bearings apart; on another path it misleads.

    A :class:`~tsclf.monitoring.ShiftMonitor` on the path signature,
    calibrated on held-out training windows, measures each window's
    distance from the training path. Windows farther than
    ``gate_distance`` are predicted from the invariant features (and the
    raw windows' envelope spectrum, ``raw_envelope``), by copies of
    ``estimator`` that also learnt noisy copies of the training windows
    (``noisy_copies``); the rest by a copy fitted on both kinds.
    ``adapt(X_new)`` re-centres on unlabelled windows of the new machine
    and learns from those it is surest of (see :meth:`adapt`).

    It knows nothing of a particular machine: any sampling rate, any
    number of channels, no bearing geometry or shaft speed. The defaults
    were chosen on validation data only (``python -m
    benchmarks.studies.vibration_selection``; ``docs/bearings.md``).

    Parameters
    ----------
    sampling_rate : float, default=1.0
        Samples per second of the windows.
    max_frequency : float, default=1000.0
        Highest envelope frequency read, in Hz (below the Nyquist
        frequency): bearing fault frequencies and their first harmonics
        lie below about 1 kHz for shafts up to 3,600 rpm.
    carrier_bands : tuple of int, default=(1, 4)
        For each ``k``, the envelope spectra of ``k`` equal carrier bands.
    raw_envelope : {"vote", "join"} or None, default="vote"
        How windows outside the training path also read the normalised
        squared envelope spectrum of the windows as recorded (not
        whitened), over the whole band up to ``max_frequency``: the gain
        still cancels, and the carriers where the fault rings loudest weigh
        more. "vote": a classifier of its own, whose probabilities are
        averaged with the invariant classifier's (needs ``predict_proba``;
        classifiers on the joint labels, as the default, average those and
        predict the most probable combination, so the tasks agree);
        "join": its features join the invariant ones in one classifier
        (across sensors it then weighs more, and less on a bearing never
        seen); None: not read.
    n_coefficients : int, default=24
        Cepstrum coefficients of the path signature.
    quantile : float, default=0.999
        The share of new windows from the training path that the monitor
        keeps inside its range.
    gate_distance : float, default=1.0
        How far from the training path a window is sent to the invariant
        features alone: its Mahalanobis distance (squared) in units of the
        monitor's range, where 1 is the edge that holds ``quantile`` of the
        training path's windows. Above 1, windows a little off the path
        (a new load, a new bearing of the same machine) keep the path
        signature, which still helps them. Read only at prediction.
    adapt_scale : bool, default=False
        Whether ``adapt`` also re-scales each feature to the new machine's
        standard deviation, not only re-centres it.
    pseudo_label_share : float, default=0.25
        Share of the new machine's windows that ``adapt`` labels with its
        most confident predictions (the product over tasks of the largest
        class probability) and trains on; 0 only re-centres. Needs an
        ``estimator`` with ``predict_proba``.
    noisy_copies : int, default=2
        Copies of each training window, white noise added, that the
        classifier of windows off the path also learns: another sensor
        hears the faults against more noise. 0: none.
    max_noise_ratio : float, default=2.0
        Largest noise standard deviation of a copy, relative to the
        window's own; each copy draws its ratio uniformly between 0 and
        this (:class:`~tsclf.augmentation.AdditiveNoise`).
    estimator : classifier, default=None
        Fitted on the features (a clone per classifier); None: a
        :class:`~sklearn.ensemble.RandomForestClassifier` of 300 trees on
        the joint label of the tasks
        (:class:`~tsclf.compose.JointLabelClassifier`: one class per
        combination of labels seen in training, so the tasks never
        contradict each other). Several tasks need a multi-output
        classifier.
    n_jobs : int, default=None
        Parallel jobs of the default forest.
    random_state : int, RandomState instance or None, default=None
        Seeds the default forest and the monitor's calibration folds.

    Attributes
    ----------
    invariant_features_ : Pipeline
        Whitening, then the normalised envelope spectra, flattened.
    raw_spectrum_ : Pipeline or None
        With ``raw_envelope``, the raw windows' spectrum, flattened.
    raw_estimator_ : classifier or None
        With ``raw_envelope="vote"``, the classifier of the raw windows'
        spectrum (and their noisy copies).
    path_features_ : CepstralCoefficients
    recentre_ : AdaptiveScaler
        Centres (and scales) both kinds on the training, or adapted, path.
    monitor_ : ShiftMonitor
        Marks windows outside the training path from their signature.
    invariant_estimator_, path_estimator_ : classifier
        The classifier on the invariant features (with ``"join"``, and the
        raw spectrum) of the training windows and their noisy copies, and
        the one on both kinds (after ``adapt``, refitted with its labels).
    source_path_estimator_ : classifier
        ``path_estimator_`` as fitted on the training windows.
    training_features_, training_targets_ : ndarray or None
        The training windows' features (both kinds, re-centred) and labels,
        which ``adapt`` trains on again (None if ``pseudo_label_share=0``).
    classes_ : ndarray or list of ndarray
        Labels per task.
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    adapted_ : bool
        Whether ``adapt`` has been called.

    See Also
    --------
    tsclf.transformers.bearing_frequencies : Where a fault's lines lie.
    tsclf.compose.AdaptivePipeline : Adapting any pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.classification import VibrationClassifier
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(1200) / 12000.0
    >>> rates = rng.choice([90.0, 150.0], size=60)  # two kinds of fault
    >>> X = np.stack([
    ...     (1 + np.cos(2 * np.pi * r * t)) * rng.normal(size=t.size) for r in rates
    ... ])
    >>> model = VibrationClassifier(sampling_rate=12000.0, random_state=0)
    >>> model.fit(X[:40], rates[:40]).score(X[40:], rates[40:])
    1.0
    >>> model.score(3.0 * X[40:], rates[40:])  # another gain: the same answers
    1.0
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_rate": SAMPLING_RATE,
        "max_frequency": [Interval(Real, 0, None, closed="neither")],
        "carrier_bands": ["array-like"],
        "raw_envelope": [StrOptions({"vote", "join"}), None],
        "n_coefficients": [Interval(Integral, 1, None, closed="left")],
        "quantile": [Interval(Real, 0.5, 1, closed="neither")],
        "gate_distance": [Interval(Real, 0, None, closed="neither")],
        "adapt_scale": ["boolean"],
        "pseudo_label_share": [Interval(Real, 0, 1, closed="both")],
        "noisy_copies": [Interval(Integral, 0, None, closed="left")],
        "max_noise_ratio": [Interval(Real, 0, None, closed="neither")],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        sampling_rate: float = 1.0,
        max_frequency: float = 1000.0,
        carrier_bands: tuple[int, ...] = (1, 4),
        raw_envelope: str | None = "vote",
        n_coefficients: int = 24,
        quantile: float = 0.999,
        gate_distance: float = 1.0,
        adapt_scale: bool = False,
        pseudo_label_share: float = 0.25,
        noisy_copies: int = 2,
        max_noise_ratio: float = 2.0,
        estimator: Any = None,
        n_jobs: int | None = None,
        random_state: Any = None,
    ) -> None:
        self.sampling_rate = sampling_rate
        self.max_frequency = max_frequency
        self.carrier_bands = carrier_bands
        self.raw_envelope = raw_envelope
        self.n_coefficients = n_coefficients
        self.quantile = quantile
        self.gate_distance = gate_distance
        self.adapt_scale = adapt_scale
        self.pseudo_label_share = pseudo_label_share
        self.noisy_copies = noisy_copies
        self.max_noise_ratio = max_noise_ratio
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y) -> VibrationClassifier:
        """Fit both classifiers and calibrate the path monitor.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : array-like of shape (n_windows,) or (n_windows, n_tasks)

        Returns
        -------
        self : VibrationClassifier
        """
        self._validate_params()
        X, y = validate_series(self, X, reset=True, y=y, multi_output=True)
        self.invariant_features_ = invariant_features(
            self.sampling_rate, self.max_frequency, self.carrier_bands
        )
        self.raw_spectrum_ = (
            envelope_spectrum(self.sampling_rate, self.max_frequency, 1).fit(X)
            if self.raw_envelope is not None
            else None
        )
        invariant = self.invariant_features_.fit_transform(X)
        self.path_features_ = CepstralCoefficients(self.n_coefficients).fit(X)
        signature = self.path_features_.transform(X)
        both = np.hstack([signature, invariant])
        self.recentre_ = AdaptiveScaler(with_std=self.adapt_scale).fit(both)
        # The monitor reads the signature computed here, as one series each.
        self.monitor_ = ShiftMonitor(
            features=Flatten(),
            quantile=self.quantile,
            random_state=self.random_state,
        ).fit(signature[:, np.newaxis])
        y_fit = y.ravel() if y.ndim == 2 and y.shape[1] == 1 else y
        both = self.recentre_.transform(both)
        self._fit_off_path(X, invariant, y_fit)
        self.path_estimator_ = self._new_estimator().fit(both, y_fit)
        self.source_path_estimator_ = self.path_estimator_
        keep = self.pseudo_label_share > 0
        self.training_features_ = both if keep else None
        self.training_targets_ = y_fit if keep else None
        self.classes_ = self.path_estimator_.classes_
        self.adapted_ = False
        return self

    def _fit_off_path(self, X: np.ndarray, invariant: np.ndarray, y) -> None:
        """Fit the classifiers of windows off the path, on noisy copies too."""
        # predict_proba is there only when the estimator has it (available_if).
        if self.raw_envelope == "vote" and not hasattr(self, "predict_proba"):
            raise ValueError(
                "raw_envelope='vote' averages probabilities; the estimator "
                f"{type(self.estimator).__name__} has no predict_proba. Pass "
                "raw_envelope='join' or None, or a classifier with predict_proba."
            )
        fallback = fallback_input(X, invariant, self.raw_spectrum_)
        if self.noisy_copies:
            seed = check_random_state(self.random_state).randint(2**31 - 1)
            copies = (self.noisy_copies, self.max_noise_ratio, seed)
            noisy = noisy_fallback_input(
                X, self.invariant_features_, self.raw_spectrum_, *copies
            )
            fallback = np.vstack([fallback, noisy])
        y = np.concatenate([y] * (self.noisy_copies + 1))
        # Voting: the invariant columns and the raw spectrum's, apart.
        voting, n_invariant = self.raw_envelope == "vote", invariant.shape[1]
        self.invariant_estimator_ = self._new_estimator().fit(
            fallback[:, :n_invariant] if voting else fallback, y
        )
        self.raw_estimator_ = None
        if voting:
            raw = fallback[:, n_invariant:]
            self.raw_estimator_ = self._new_estimator().fit(raw, y)

    def _new_estimator(self):
        """Return a fresh clone of ``estimator`` (None: the default forest)."""
        if self.estimator is not None:
            return clone(self.estimator)
        return JointLabelClassifier(
            RandomForestClassifier(
                n_estimators=300, n_jobs=self.n_jobs, random_state=self.random_state
            )
        )

    def _self_train(self, both: np.ndarray) -> None:
        """Refit the path classifier with the surest of ``both`` labelled."""
        try:
            kept, labels = surest_predictions(
                self.source_path_estimator_, both, self.pseudo_label_share
            )
        except ValueError as error:
            raise ValueError(
                f"pseudo_label_share={self.pseudo_label_share} ranks the new "
                f"windows by predict_proba: {error} Set pseudo_label_share=0, "
                "or use a classifier with predict_proba."
            ) from error
        self.path_estimator_ = self._new_estimator().fit(
            np.vstack([self.training_features_, both[kept]]),
            np.concatenate([self.training_targets_, labels]),
        )

    def adapt(self, X) -> VibrationClassifier:
        """Re-centre on unlabelled windows of a new machine; learn from them.

        Both kinds of features are re-centred on the new windows (cepstral
        mean normalisation: the new path's mean cepstrum is taken out),
        which become the monitor's reference, so that every window then
        uses both. The ``pseudo_label_share`` of them it is surest of are
        labelled with its own predictions and the classifier of both kinds
        is refitted with them added to the training windows
        (self-training): the new path's own version of each class is
        learnt. The windows should cover the new machine's states in proportions
        like the training data's (the mean of windows of one fault carries
        its label, and re-centring removes it). Each ``adapt`` starts again
        from the training windows.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
            At least 2 windows.

        Returns
        -------
        self : VibrationClassifier
        """
        check_is_fitted(self)
        X = validate_series(self, X, reset=False)
        if X.shape[0] < 2:
            raise ValueError(
                f"adapt needs at least 2 windows of the new machine, got {X.shape[0]}."
            )
        signature, invariant = self._features(X)
        both = np.hstack([signature, invariant])
        self.recentre_.adapt(both)
        self.monitor_.adapt(signature[:, np.newaxis])
        if self.pseudo_label_share > 0:
            self._self_train(self.recentre_.transform(both))
        self.adapted_ = True
        return self

    def _features(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the path signature and the invariant features of ``X``."""
        return self.path_features_.transform(X), self.invariant_features_.transform(X)

    def outside_training_path(self, X) -> np.ndarray:
        """Whether each window lies outside the training (or adapted) path.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        outside : ndarray of bool, shape (n_windows,)
            True where the invariant features alone decide.
        """
        check_is_fitted(self)
        signature = self.path_features_.transform(validate_series(self, X, reset=False))
        return self._outside(signature)

    def _outside(self, signature: np.ndarray) -> np.ndarray:
        distance = self.monitor_.check(signature[:, np.newaxis]).distance
        return distance > self.gate_distance

    def _pick(self, method: str, X):
        X = validate_series(self, X, reset=False)
        signature, invariant = self._features(X)
        outside = self._outside(signature)
        both = self.recentre_.transform(np.hstack([signature, invariant]))
        if self.raw_estimator_ is None:
            alone = getattr(self.invariant_estimator_, method)(
                fallback_input(X, invariant, self.raw_spectrum_)
            )
        else:
            raw = self.raw_spectrum_.transform(X)
            estimators = (self.invariant_estimator_, self.raw_estimator_)
            alone = soft_vote(method, estimators, (invariant, raw))
        path = getattr(self.path_estimator_, method)(both)
        return gated(outside, alone, path)

    def predict(self, X) -> np.ndarray:
        """Predict each window's labels.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        y : ndarray of shape (n_windows,) or (n_windows, n_tasks)
        """
        check_is_fitted(self)
        return self._pick("predict", X)

    @available_if(estimator_has("predict_proba", default=RandomForestClassifier))
    def predict_proba(self, X):
        """Predict each window's class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        proba : ndarray of shape (n_windows, n_classes), or one per task
        """
        check_is_fitted(self)
        return self._pick("predict_proba", X)
