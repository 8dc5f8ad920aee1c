"""A fitted deep classifier, or a seed ensemble of them, as one torch module."""

from __future__ import annotations

import copy

import torch
from sklearn.utils.validation import check_is_fitted

from tsclf.deep._classifier import BaseDeepClassifier
from tsclf.deep._labels import GatedSoftmax
from tsclf.export._deployment import Deployment, series_shape, task_classes
from tsclf.export._torch_steps import torch_step


class DeployedClassifier(torch.nn.Module):
    """Preprocessing, network and label decoding of a fitted classifier.

    ``forward`` takes raw float32 series of shape (batch, channels, length)
    and returns, for each task, the probabilities over its ``classes_`` and
    the position of the most probable class.

    Parameters
    ----------
    estimator : BaseDeepClassifier
        Fitted.
    preprocessing : bool, default=True
        Include the fitted ``preprocessor_`` (see :func:`torch_step`).
    """

    def __init__(self, estimator: BaseDeepClassifier, preprocessing: bool = True):
        super().__init__()
        check_is_fitted(estimator, "net_")
        step = estimator.preprocessor_ if preprocessing else None
        self.preprocess = torch_step(step)
        # A copy: moving it to the CPU must not move the estimator's network.
        self.network = copy.deepcopy(estimator.net_.module_)
        self.decode = GatedSoftmax(estimator.label_encoder_)

    def probabilities(self, series: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Return each task's class probabilities."""
        # The network reads float32, whatever precision the steps keep.
        features = self.preprocess(series).float()
        if features.ndim == 2:  # a table: one channel of features, as in fit
            features = features.unsqueeze(1)
        return self.decode(self.network(features))

    def forward(self, series: torch.Tensor) -> tuple[torch.Tensor, ...]:
        probas = self.probabilities(series)
        labels = tuple(proba.argmax(dim=1) for proba in probas)
        return probas + labels


class DeployedEnsemble(torch.nn.Module):
    """Members' :class:`DeployedClassifier` graphs, their probabilities averaged.

    Parameters
    ----------
    members : list of BaseDeepClassifier
        Fitted on the same labels (a :class:`SeedEnsembleClassifier`'s).
    preprocessing : bool, default=True
    """

    def __init__(self, members: list, preprocessing: bool = True):
        super().__init__()
        self.members = torch.nn.ModuleList(
            DeployedClassifier(member, preprocessing) for member in members
        )

    def forward(self, series: torch.Tensor) -> tuple[torch.Tensor, ...]:
        each = [member.probabilities(series) for member in self.members]
        probas = tuple(
            torch.stack(task).mean(dim=0) for task in zip(*each, strict=True)
        )
        labels = tuple(proba.argmax(dim=1) for proba in probas)
        return probas + labels


def deep_members(estimator) -> list | None:
    """Return the fitted deep classifier, or a seed ensemble's deep members.

    None for an estimator of another kind: the type is asked first, so an
    estimator that export does not take is never called "not fitted".
    """
    from tsclf.classification import SeedEnsembleClassifier

    if isinstance(estimator, SeedEnsembleClassifier) and isinstance(
        estimator.estimator, BaseDeepClassifier
    ):
        check_is_fitted(estimator, "estimators_")
        return list(estimator.estimators_)
    if not isinstance(estimator, BaseDeepClassifier):
        return None
    check_is_fitted(estimator, "net_")
    return [estimator]


def deep_deployment(head, members: list, preprocessing: bool) -> Deployment:
    """Deploy deep ``members`` (one, or a seed ensemble's), after ``head``."""
    estimator = members[0]  # the labels and input shape are every member's
    if preprocessing and head is not None:
        expected = (estimator.n_channels_, estimator.n_timepoints_)
        lengths = [estimator.n_timepoints_]
        input_shape = series_shape(head, estimator, expected, lengths)
    elif preprocessing:
        input_shape = [estimator.n_channels_, estimator.n_timepoints_]
    else:  # what the network reads: the preprocessor's output
        timepoints = estimator.net_.module__n_timepoints
        input_shape = [estimator.net_.module__n_channels]
        input_shape += (
            list(timepoints) if isinstance(timepoints, tuple) else [timepoints]
        )
    module = (
        DeployedEnsemble(members, preprocessing)
        if len(members) > 1
        else DeployedClassifier(estimator, preprocessing)
    )
    if preprocessing and head is not None:
        module = torch.nn.Sequential(torch_step(head), module)
    encoder = estimator.label_encoder_
    return Deployment(
        module,
        input_shape,
        task_classes(list(encoder.classes_)),
        "series" if preprocessing else "preprocessed",
        encoder.not_applicable,
        [None if gate is None else list(gate) for gate in encoder.gates_],
        [head, getattr(estimator, "preprocessor_", None)],
    )
