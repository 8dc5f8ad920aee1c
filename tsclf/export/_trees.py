"""Fitted tree ensembles as torch modules, so that a forest exports to ONNX.

:func:`torch_classifier` turns a fitted classifier of tables into a module
returning, for each task, the probabilities of ``predict_proba`` and the
position of ``predict``'s label in that task's classes. Trees are walked
level by level with gathers: every node holds its feature, threshold and
two children, a leaf pointing to itself, so that ``max_depth`` steps leave
every window at its leaf in every tree.
"""

from __future__ import annotations

from functools import singledispatch

import numpy as np
import torch
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

from tsclf.compose import JointLabelClassifier


class TreeEnsemble(torch.nn.Module):
    """The mean of the trees' class fractions, as ``predict_proba``.

    Features are rounded to float32 and compared in float64 with each
    node's threshold, as scikit-learn does.

    Parameters
    ----------
    forest : fitted classifier
        A DecisionTreeClassifier, RandomForestClassifier or ExtraTreesClassifier.
    """

    def __init__(self, forest) -> None:
        super().__init__()
        trees = (
            [forest.tree_]
            if hasattr(forest, "tree_")
            else [estimator.tree_ for estimator in forest.estimators_]
        )
        self.n_classes = [int(n) for n in np.atleast_1d(forest.n_classes_)]
        starts = np.cumsum([0] + [tree.node_count for tree in trees])
        features, thresholds, lefts, rights, values = [], [], [], [], []
        for tree, start in zip(trees, starts, strict=False):
            nodes = np.arange(tree.node_count) + start
            leaf = tree.children_left < 0
            features.append(np.where(leaf, 0, tree.feature))
            thresholds.append(tree.threshold)
            lefts.append(np.where(leaf, nodes, tree.children_left + start))
            rights.append(np.where(leaf, nodes, tree.children_right + start))
            values.append(_class_fractions(tree.value, self.n_classes))
        self.register_buffer("roots", torch.from_numpy(starts[:-1].copy()))
        self.register_buffer("feature", torch.from_numpy(np.concatenate(features)))
        self.register_buffer("threshold", torch.from_numpy(np.concatenate(thresholds)))
        self.register_buffer("left", torch.from_numpy(np.concatenate(lefts)))
        self.register_buffer("right", torch.from_numpy(np.concatenate(rights)))
        self.register_buffer("value", torch.from_numpy(np.concatenate(values)))
        self.depth = max(tree.max_depth for tree in trees)

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, ...]:
        rounded = features.float().double()
        node = self.roots.expand(features.shape[0], -1)
        for _ in range(self.depth):
            column = torch.gather(rounded, 1, self.feature[node])
            node = torch.where(
                column <= self.threshold[node], self.left[node], self.right[node]
            )
        mean = self.value[node].mean(dim=1)  # (windows, outputs, classes)
        return tuple(mean[:, o, :n] for o, n in enumerate(self.n_classes))


def _class_fractions(value: np.ndarray, n_classes: list[int]) -> np.ndarray:
    """Each node's class fractions per output, as a tree's ``predict_proba``."""
    value = np.array(value, dtype=np.float64)
    for output, n in enumerate(n_classes):
        totals = value[:, output, :n].sum(axis=1, keepdims=True)
        value[:, output, :n] /= np.where(totals == 0, 1.0, totals)
    return value


class _ForestClassifier(torch.nn.Module):
    """A forest's probabilities and most probable class, per output."""

    def __init__(self, forest) -> None:
        super().__init__()
        self.trees = TreeEnsemble(forest)

    def forward(self, features: torch.Tensor):
        probas = self.trees(features)
        return probas, tuple(proba.argmax(dim=1) for proba in probas)


class _JointClassifier(torch.nn.Module):
    """:class:`~tsclf.compose.JointLabelClassifier`: joint probabilities summed.

    The label of every task is that of the most probable joint class, so
    the tasks never contradict each other, as ``predict`` does.
    """

    def __init__(self, model: JointLabelClassifier) -> None:
        super().__init__()
        self.inner = torch_classifier(model.estimator_)
        rows = model.joint_rows_
        # Which joint class carries each label, every task's side by side.
        membership = np.hstack(
            [
                rows[:, task][:, np.newaxis] == classes[np.newaxis]
                for task, classes in enumerate(model.classes_)
            ]
        )
        positions = [
            np.searchsorted(classes, rows[:, task])
            for task, classes in enumerate(model.classes_)
        ]
        self.register_buffer(
            "membership", torch.tensor(membership, dtype=torch.float64)
        )
        self.register_buffer("position", torch.tensor(np.array(positions)))
        self.n_classes = [len(classes) for classes in model.classes_]

    def joint(self, features: torch.Tensor) -> torch.Tensor:
        """Return the joint labels' probabilities (``predict_joint_proba``)."""
        (joint,), _ = self.inner(features)
        return joint

    def decode(self, joint: torch.Tensor):
        """Per-task probabilities and the labels of the most probable row."""
        probas = torch.split(joint @ self.membership, self.n_classes, dim=1)
        most_probable = joint.argmax(dim=1)
        return probas, tuple(position[most_probable] for position in self.position)

    def forward(self, features: torch.Tensor):
        return self.decode(self.joint(features))


@singledispatch
def torch_classifier(estimator) -> torch.nn.Module:
    """Return a torch module computing a fitted classifier of tables.

    The module maps a batch of feature rows to two tuples with one entry
    per task: the probabilities (float64, as ``predict_proba``) and the
    position of the predicted label among the task's classes.

    Parameters
    ----------
    estimator : fitted classifier
        Supported: :class:`~sklearn.ensemble.RandomForestClassifier`,
        :class:`~sklearn.ensemble.ExtraTreesClassifier` and
        :class:`~sklearn.tree.DecisionTreeClassifier` (single- or
        multi-output), and a :class:`~tsclf.compose.JointLabelClassifier`
        of one.

    Returns
    -------
    module : torch.nn.Module

    Raises
    ------
    TypeError
        For any other classifier.
    """
    raise TypeError(
        f"{type(estimator).__name__} has no torch equivalent to export. "
        "export_onnx takes tsclf's deep classifiers (CNNClassifier, "
        "LITEClassifier, ...) and SeedEnsembleClassifiers of them, "
        "VibrationClassifier, and scikit-learn's RandomForestClassifier, "
        "ExtraTreesClassifier and DecisionTreeClassifier (alone, in a "
        "JointLabelClassifier, or after steps with torch twins in a "
        "Pipeline). Deploy other models with tsclf.export.save_model."
    )


@torch_classifier.register(RandomForestClassifier)
@torch_classifier.register(ExtraTreesClassifier)
@torch_classifier.register(DecisionTreeClassifier)
def _(estimator) -> torch.nn.Module:
    check_is_fitted(estimator)
    return _ForestClassifier(estimator)


@torch_classifier.register
def _(estimator: JointLabelClassifier) -> torch.nn.Module:
    check_is_fitted(estimator, "estimator_")
    if not estimator.multi_output_:
        return torch_classifier(estimator.estimator_)
    return _JointClassifier(estimator)
