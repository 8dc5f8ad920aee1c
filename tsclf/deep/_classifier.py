"""Multi-task classification on top of the training engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from tsclf.deep._continue import continue_training, continues
from tsclf.deep._engine import BaseDeepEstimator
from tsclf.deep._forward import network_logits
from tsclf.deep._labels import MultiTaskLabelEncoder
from tsclf.deep._losses import (
    IGNORE_INDEX,
    MultiTaskCrossEntropy,
    class_weight_tensors,
    split_sample_weight,
    task_weight_list,
)
from tsclf.metrics import MultiTaskClassifierMixin, joint_accuracy
from tsclf.utils.constraints import StrOptions
from tsclf.utils.labels import joint_labels


class BaseDeepClassifier(
    MultiTaskClassifierMixin,
    BaseDeepEstimator,
    task_weights=None,
    class_weight=None,
    not_applicable=None,
):
    """Multi-task classifier: one shared trunk, one head per task.

    ``y`` of shape (n_samples,) is a single task; (n_samples, n_tasks) or a
    DataFrame gives one head per column. Labels may be strings or ints.

    Parameters
    ----------
    task_weights : sequence of float or dict, default=None
        Weight of each task's cross-entropy in the summed loss, by position
        or by column name of a DataFrame ``y``; None weighs all tasks 1.
        The reference study used 0.5 on detection.
    class_weight : None, "balanced", dict or list, default=None
        Class weights of the cross-entropy: one setting for all tasks, or a
        list with one per task. A dict maps labels to weights.
    not_applicable : label, default=None
        A label that means "this task does not apply", such as ``"n/a"`` for
        the fault location of a normal CWRU window; see
        :class:`~tsclf.deep.MultiTaskLabelEncoder` for the gating. None
        treats it as an ordinary class.
    **params
        The engine's parameters, see :class:`BaseDeepEstimator`.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray
        Labels of the single task, or one array per task.
    n_tasks_ : int
    label_encoder_ : MultiTaskLabelEncoder
        Labels to head codes and logits back to labels.
    preprocessor_ : transformer or None
        The fitted clone of ``preprocessor``.
    net_ : skorch.NeuralNet
        The trained network and its history.
    device_ : str
        Device used for training.
    n_epochs_ : int
        Epochs run.
    """

    #: The loss the network trains on (its weights: ``criterion__*``).
    _criterion = MultiTaskCrossEntropy

    _parameter_constraints: ClassVar[dict] = {
        **BaseDeepEstimator._parameter_constraints,
        "task_weights": [dict, "array-like", None],
        "class_weight": [StrOptions({"balanced"}), dict, list, None],
        "not_applicable": "no_validation",
    }

    def _scoring_callbacks(self, has_validation: bool) -> list:
        from skorch.callbacks import EpochScoring

        if not has_validation:
            return []
        scoring = EpochScoring(
            _valid_joint_accuracy,
            lower_is_better=False,
            on_train=False,
            name="valid_acc",
            target_extractor=_target_codes,
        )
        return [("valid_acc", scoring)]

    def _validation_targets(
        self, y: np.ndarray, train: np.ndarray, valid: np.ndarray
    ) -> np.ndarray:
        """Leave out the validation labels no training row has.

        They become :data:`IGNORE_INDEX`: out of each task's validation
        loss, and judged right in ``valid_acc``.
        """
        y = np.array(y, copy=True)
        codes = y.reshape(len(y), -1)  # a view: one column per task
        for task in range(codes.shape[1]):
            learnt = np.unique(codes[train, task])
            unlearnable = valid[~np.isin(codes[valid, task], learnt)]
            codes[unlearnable, task] = IGNORE_INDEX
        return y

    def fit(
        self, X, y, groups=None, sample_weight=None, conditions=None
    ) -> BaseDeepClassifier:
        """Train the network on all tasks at once.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
            Series; a wide DataFrame is read as univariate.
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
            Labels; a 2-D array or a DataFrame means several tasks.
        groups : array-like of shape (n_samples,), default=None
            Recording of each sample. The validation set then holds whole
            recordings, so no window of a validation recording is trained on.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the training and
            validation losses (each task's loss is a weighted mean, combined
            with ``class_weight``); uniform weights train exactly as None.
        conditions : array-like of shape (n_samples,), default=None
            Operating condition of each sample (e.g. motor load), for a
            ``validation`` splitter that takes them, such as
            :class:`~tsclf.model_selection.LeaveOneConditionOut`; any other
            ``validation`` raises. Under metadata routing, request them with
            ``set_fit_request(conditions=True)``.

        Returns
        -------
        self : estimator
        """
        self._check_params()
        if continues(self, groups, conditions):
            return self.partial_fit(X, y, sample_weight=sample_weight)
        names = list(y.columns) if hasattr(y, "columns") else None
        X, y = self._validate_X(X, y, reset=True)
        self.label_encoder_ = MultiTaskLabelEncoder(self.not_applicable)
        codes = self.label_encoder_.fit_transform(y)
        encoder = self.label_encoder_
        self.n_tasks_ = encoder.n_tasks_
        self.classes_ = (
            encoder.classes_[0] if encoder.single_task_ else encoder.classes_
        )
        names = names or list(range(self.n_tasks_))
        self._fit_network(
            self._transform_input(
                X, fit=True, groups=groups, sample_weight=sample_weight
            ),
            codes,
            groups=groups,
            conditions=conditions,
            y_split=joint_labels(np.asarray(y)),
            n_outputs=encoder.n_outputs_,
            criterion_params={
                "task_weights": task_weight_list(self.task_weights, names),
                "class_weights": class_weight_tensors(
                    self.class_weight, codes, encoder.head_classes_
                ),
            },
            sample_weight=sample_weight,
        )
        return self

    def partial_fit(
        self, X, y, classes=None, sample_weight=None, epochs=None
    ) -> BaseDeepClassifier:
        """Train further: the first call fits, later ones continue training.

        Later calls train the fitted network ``epochs`` more epochs (all
        ``max_epochs`` by default) on ``X`` and ``y``, from its current
        weights and optimizer state, validating on the recordings the first
        fit held out. The preprocessor and the label encoding stay as
        fitted: labels the first fit did not see are refused.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        classes : array-like, default=None
            Accepted for scikit-learn's API; the classes are learnt from the
            first call's ``y``, and a later call may not add any.
        sample_weight : array-like of shape (n_samples,), default=None
        epochs : int, default=None
            Epochs to train in a later call; None means ``max_epochs``.

        Returns
        -------
        self : estimator

        Examples
        --------
        >>> from tsclf.classification import CNNClassifier
        >>> from tsclf.datasets import make_spike_anomaly
        >>> X, y = make_spike_anomaly(n_samples=60, random_state=0)
        >>> clf = CNNClassifier(max_epochs=2, validation=None, random_state=0)
        >>> clf = clf.fit(X, y).partial_fit(X, y, epochs=3)
        >>> clf.n_epochs_
        5
        """
        if not hasattr(self, "net_"):
            return self.fit(X, y, sample_weight=sample_weight)
        X, y = self._validate_X(X, y, reset=False), np.asarray(y)
        known = self.classes_ if self.label_encoder_.single_task_ else None
        if classes is not None and known is not None:
            unseen = np.setdiff1d(np.asarray(classes), known)
            if unseen.size:
                raise ValueError(
                    f"partial_fit got classes {unseen.tolist()} the first fit did "
                    f"not see (classes_ = {known.tolist()})."
                )
        codes = self.label_encoder_.transform(y)  # checks the number of tasks
        columns = y.reshape(len(y), -1).T
        for task, (column, known) in enumerate(
            zip(columns, self.label_encoder_.classes_, strict=True)
        ):
            unseen = np.setdiff1d(column, known)
            if unseen.size:
                raise ValueError(
                    f"partial_fit got labels {unseen.tolist()} for task {task} that "
                    f"the first fit did not see ({known.tolist()})."
                )
        continue_training(self, X, codes, sample_weight, epochs)
        return self

    def predict_proba(self, X) -> np.ndarray | list[np.ndarray]:
        """Class probabilities, per task.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or list of them
            One array per task when fitted on several tasks, as
            :class:`~sklearn.ensemble.RandomForestClassifier` returns.
        """
        logits = self._forward(X)
        probas = self.label_encoder_.predict_proba(logits)
        return probas[0] if self.label_encoder_.single_task_ else probas

    def predict(self, X) -> np.ndarray:
        """Predict labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_tasks)
            In the shape of the ``y`` given to ``fit``.
        """
        logits = self._forward(X)
        return self.label_encoder_.predict(logits)


def _target_codes(y) -> np.ndarray:
    """Return the head codes of a batch's targets, without their weights."""
    from skorch.utils import to_numpy

    return to_numpy(split_sample_weight(y)[0])


def _valid_joint_accuracy(net, X, y) -> float:
    """Joint accuracy of the validation codes, for the history.

    A masked (not applicable) target is judged through its gating task, so
    it counts as right here.
    """
    predicted = np.column_stack([out.argmax(axis=1) for out in network_logits(net, X)])
    y, _ = split_sample_weight(X.y if y is None else y)
    y = np.asarray(y).reshape(predicted.shape)
    return joint_accuracy(np.where(y == IGNORE_INDEX, predicted, y), predicted)
