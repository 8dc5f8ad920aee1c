"""What every exported model is: a torch module and what its graph reads.

:class:`Deployment` is what :func:`~tsclf.export.export_onnx` writes for any
kind of model (deep, forest, :class:`~tsclf.classification.VibrationClassifier`);
the helpers find the series that the steps before a final estimator take,
and build the deployment of a forest after such steps.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import torch
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from tsclf.export._torch_steps import torch_step
from tsclf.export._trees import torch_classifier


@dataclass
class Deployment:
    """A model ready to export: ``module`` maps the input to probabilities, labels.

    ``module`` returns, for each task, the probabilities over
    ``classes[task]``, then for each task the position of the predicted
    label. ``input_shape`` leaves out the batch axis. ``input`` names what
    the graph reads: "series", or "preprocessed" (what the final estimator
    reads after steps left out of the graph).
    """

    module: torch.nn.Module
    input_shape: list[int]
    classes: list[list]
    input: str = "series"
    not_applicable: object = None
    gates: list = field(default_factory=list)
    steps: list = field(default_factory=list)  # fitted steps in the graph


def split_pipeline(estimator) -> tuple[Pipeline | None, object]:
    """Return a Pipeline's steps before its final estimator, and that one."""
    if not isinstance(estimator, Pipeline):
        return None, estimator
    check_is_fitted(estimator)
    return estimator[:-1], estimator.steps[-1][1]


def fitted_lengths(step) -> list[int]:
    """Window lengths recorded by ``step`` or the steps inside it, in order."""
    own = getattr(step, "length_", None)
    found = [own] if isinstance(own, int) else []
    if isinstance(step, Pipeline):
        parts = [part for _, part in step.steps]
    elif isinstance(step, FeatureUnion):
        parts = [part for _, part in step.transformer_list]
    else:  # a ShiftMonitor's or similar wrapper's fitted transformer
        parts = [getattr(step, "features_", None)]
    for part in parts:
        if part is not None and not isinstance(part, str):
            found += fitted_lengths(part)
    return found


def series_shape(head: Pipeline, final, expected: tuple, lengths=()) -> list[int]:
    """Return the (channels, length) that ``head`` turns into ``expected``.

    ``head``'s first step records its input's channels; the length is the
    first of the lengths its steps recorded (and ``lengths``) that ``head``
    turns into rows of shape ``expected``.

    Raises
    ------
    TypeError
        If none does.
    """
    channels = getattr(head.steps[0][1], "n_features_in_", None)
    candidates = [*fitted_lengths(head), *lengths]
    for length in dict.fromkeys(candidates) if channels is not None else ():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a monitor's verdict on zeros
            out = head.transform(np.zeros((2, channels, length), np.float32))
        if np.shape(out)[1:] == tuple(expected):
            return [int(channels), int(length)]
    raise TypeError(
        f"export_onnx cannot tell which series the steps before "
        f"{type(final).__name__} take: none of the window lengths they "
        f"recorded ({candidates}) gives what it was fitted on."
    )


def task_classes(classes) -> list[list]:
    """Each task's classes as lists (one task for a single array)."""
    if isinstance(classes, list):
        return [np.asarray(c).tolist() for c in classes]
    return [np.asarray(classes).tolist()]


def forest_deployment(head: Pipeline | None, final, preprocessing: bool) -> Deployment:
    """Deploy a forest (:func:`torch_classifier`), after ``head``'s steps if any.

    Without ``head`` (or with ``preprocessing=False``) the graph reads the
    forest's feature rows.
    """
    classifier = torch_classifier(final)
    classes = task_classes(final.classes_)
    if head is None or not preprocessing:
        module = _Outputs(classifier)
        return Deployment(module, [final.n_features_in_], classes, "preprocessed")
    shape = series_shape(head, final, (final.n_features_in_,))
    module = _Outputs(classifier, torch_step(head))
    return Deployment(module, shape, classes, steps=[head])


class _Outputs(torch.nn.Module):
    """Steps, then a classifier twin; probabilities and labels in one tuple."""

    def __init__(self, classifier, steps=None) -> None:
        super().__init__()
        self.steps = torch.nn.Identity() if steps is None else steps
        self.classifier = classifier

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        probas, labels = self.classifier(self.steps(x))
        return tuple(probas) + tuple(labels)
