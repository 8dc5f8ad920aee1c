"""A fitted :class:`~tsclf.classification.VibrationClassifier` as one torch module.

Every part has a twin: the whitening, envelope spectra and cepstrum
(:mod:`tsclf.export._torch_invariant`), the re-centring scaler, the
monitor's distance and the forests (:mod:`tsclf.export._trees`), so that
the per-window gate between the classifier on the path and the one off
it runs inside the graph, as ``predict`` runs it.
"""

from __future__ import annotations

import torch
from sklearn.utils.validation import check_is_fitted

from tsclf.classification._vibration_features import shared_joint_rows
from tsclf.export._deployment import Deployment, task_classes
from tsclf.export._torch_steps import torch_step
from tsclf.export._trees import torch_classifier


class _MahalanobisRatio(torch.nn.Module):
    """A monitor's distance over its threshold (``ShiftReport.distance``)."""

    def __init__(self, monitor) -> None:
        super().__init__()
        self.features = torch_step(monitor.features_)
        covariance = monitor.covariance_
        location = torch.tensor(covariance.location_, dtype=torch.float64)
        precision = torch.tensor(covariance.get_precision(), dtype=torch.float64)
        self.register_buffer("location", location)
        self.register_buffer("precision", precision)
        self.threshold = float(monitor.threshold_)

    def forward(self, series: torch.Tensor) -> torch.Tensor:
        centred = self.features(series).double() - self.location
        # scikit-learn's mahalanobis: the squared distance.
        squared = ((centred @ self.precision) * centred).sum(dim=1)
        infinite = torch.full_like(squared, float("inf"))
        return torch.where(torch.isfinite(squared), squared, infinite) / self.threshold


class DeployedVibrationClassifier(torch.nn.Module):
    """A fitted VibrationClassifier: its features, gate and forests.

    ``forward`` takes series of shape (batch, channels, length) and returns,
    for each task, the probabilities over its classes and the position of
    the predicted label among them, as the estimator's ``predict_proba``
    and ``predict``.

    Parameters
    ----------
    estimator : VibrationClassifier
        Fitted (adapted or not), with a forest or tree of scikit-learn as
        its ``estimator`` (the default), alone or in a
        :class:`~tsclf.compose.JointLabelClassifier`.
    """

    def __init__(self, estimator) -> None:
        super().__init__()
        check_is_fitted(estimator)
        self.invariant = torch_step(estimator.invariant_features_)
        self.signature = torch_step(estimator.path_features_)
        self.recentre = torch_step(estimator.recentre_)
        self.distance = _MahalanobisRatio(estimator.monitor_)
        self.gate_distance = float(estimator.gate_distance)
        self.raw = (
            None
            if estimator.raw_spectrum_ is None
            else torch_step(estimator.raw_spectrum_)
        )
        self.on_path = torch_classifier(estimator.path_estimator_)
        self.off_path = torch_classifier(estimator.invariant_estimator_)
        self.raw_vote = (
            None
            if estimator.raw_estimator_ is None
            else torch_classifier(estimator.raw_estimator_)
        )
        # The rule soft_vote follows: forests on shared joint labels vote on them.
        voters = (estimator.invariant_estimator_, estimator.raw_estimator_)
        self.joint_vote = self.raw_vote is not None and (
            shared_joint_rows(voters) is not None
        )

    def forward(self, series: torch.Tensor) -> tuple[torch.Tensor, ...]:
        series = series.double()  # the estimator validates to float64
        signature, invariant = self.signature(series), self.invariant(series)
        # The monitor reads the signature as one series per window.
        outside = self.distance(signature.unsqueeze(1)) > self.gate_distance
        raw = None if self.raw is None else self.raw(series)
        if self.raw is None:
            alone, alone_labels = self.off_path(invariant)
        elif self.raw_vote is None:  # raw_envelope="join": one forest on both
            fallback = torch.cat([invariant, raw], dim=1)
            alone, alone_labels = self.off_path(fallback)
        elif self.joint_vote:  # "vote" of joint forests: the rows averaged
            joint = (self.off_path.joint(invariant) + self.raw_vote.joint(raw)) / 2
            alone, alone_labels = self.off_path.decode(joint)
        else:  # "vote": the two forests' probabilities averaged per task
            invariant_probas, _ = self.off_path(invariant)
            raw_probas, _ = self.raw_vote(raw)
            alone = tuple(
                (a + b) / 2 for a, b in zip(invariant_probas, raw_probas, strict=True)
            )
            alone_labels = tuple(proba.argmax(dim=1) for proba in alone)
        both = self.recentre(torch.cat([signature, invariant], dim=1))
        path, path_labels = self.on_path(both)
        probas = tuple(
            torch.where(outside.unsqueeze(1), a, p)
            for a, p in zip(alone, path, strict=True)
        )
        labels = tuple(
            torch.where(outside, a, p)
            for a, p in zip(alone_labels, path_labels, strict=True)
        )
        return probas + labels


def vibration_deployment(head, estimator, preprocessing: bool) -> Deployment:
    """Deploy a fitted VibrationClassifier; it reads series, nothing before it."""
    if head is not None or not preprocessing:
        raise ValueError(
            "export_onnx exports a VibrationClassifier whole: its features, "
            "gate and forests are one model that reads the series, so it "
            "takes no steps before it and no preprocessing=False."
        )
    module = DeployedVibrationClassifier(estimator)
    shape = [estimator.n_features_in_, estimator.invariant_features_[0].length_]
    return Deployment(module, shape, task_classes(estimator.classes_))
