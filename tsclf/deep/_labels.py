"""Multi-task labels to head codes and back, with "not applicable" gating."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from tsclf.deep._losses import IGNORE_INDEX


class GatedSoftmax(torch.nn.Module):
    """Head logits to per-task probabilities over ``classes_``, gates applied.

    The one implementation of the decoding, used by
    :meth:`MultiTaskLabelEncoder.predict_proba` (in float64) and by the ONNX
    export (in the network's float32): each head's softmax; a gated task's
    head probabilities are scaled by ``1 - P(gate)`` and ``P(gate)`` is put
    in the "not applicable" column.

    Parameters
    ----------
    encoder : MultiTaskLabelEncoder
        Fitted.
    """

    def __init__(self, encoder: MultiTaskLabelEncoder) -> None:
        super().__init__()
        check_is_fitted(encoder, "head_classes_")
        self.gates = list(encoder.gates_)
        for task, gate in enumerate(self.gates):
            if gate is None:
                continue
            is_na = encoder.classes_[task] == encoder.not_applicable
            # Columns of [head * (1 - p), p] in the order of classes_.
            order = np.empty(is_na.size, dtype=np.int64)
            order[~is_na] = np.arange((~is_na).sum())
            order[is_na] = (~is_na).sum()
            self.register_buffer(f"order{task}", torch.from_numpy(order))

    def forward(self, logits: Sequence[torch.Tensor]) -> tuple[torch.Tensor, ...]:
        """Return one probability tensor per task, in the logits' dtype."""
        heads = [torch.softmax(task, dim=1) for task in logits]
        probas = []
        for task, head in enumerate(heads):
            gate = self.gates[task]
            if gate is None:
                probas.append(head)
                continue
            p_na = heads[gate[0]][:, gate[1] : gate[1] + 1]
            full = torch.cat([head * (1.0 - p_na), p_na], dim=1)
            probas.append(full.index_select(1, getattr(self, f"order{task}")))
        return tuple(probas)


class MultiTaskLabelEncoder(BaseEstimator):
    """Encode multi-task labels for a network with one head per task.

    ``fit`` learns each task's classes; ``transform`` turns labels into one
    integer code per task (a position in that task's head); ``predict_proba``
    and ``predict`` turn the heads' logits back into probabilities over
    ``classes_`` and labels. No network or training is involved.

    With ``not_applicable`` set, a task holding that label beside real ones
    is *gated*: its head learns the real labels only (the others are coded
    :data:`~tsclf.deep.IGNORE_INDEX`, left out of the loss), and the label
    is predicted from another task whose value marks exactly the same
    samples in the training labels (on CWRU, ``detection == "normal"`` for
    location ``"n/a"``), with probability ``P(gate)``; the head's
    probabilities are scaled by ``1 - P(gate)``.

    Parameters
    ----------
    not_applicable : label, default=None
        The "does not apply" label; None treats every label as a class.

    Attributes
    ----------
    classes_ : list of ndarray
        Labels of each task, sorted.
    head_classes_ : list of ndarray
        Labels each head predicts (``classes_`` without a gated label).
    gates_ : list of (int, int) or None
        For a gated task, the gating task and the position of its gating
        label; None otherwise.
    n_tasks_ : int
    single_task_ : bool
        Whether ``y`` was 1-D; ``predict`` then returns a 1-D array.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.deep import MultiTaskLabelEncoder
    >>> y = np.array([["normal", "n/a"], ["fault", "IR"], ["fault", "B"]])
    >>> encoder = MultiTaskLabelEncoder(not_applicable="n/a").fit(y)
    >>> encoder.transform(y).tolist()
    [[1, -100], [0, 1], [0, 0]]
    >>> [head.tolist() for head in encoder.head_classes_]
    [['fault', 'normal'], ['B', 'IR']]
    >>> logits = [np.array([[0.0, 5.0]]), np.array([[2.0, 0.0]])]
    >>> encoder.predict(logits).tolist()
    [['normal', 'n/a']]
    """

    def __init__(self, not_applicable=None) -> None:
        self.not_applicable = not_applicable

    def fit(self, y) -> MultiTaskLabelEncoder:
        """Learn the classes of each task and the gates.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)

        Returns
        -------
        self : MultiTaskLabelEncoder

        Raises
        ------
        ValueError
            When a task holds ``not_applicable`` but no label of another
            task marks exactly those samples.
        """
        y = np.asarray(y)
        self.single_task_ = y.ndim == 1
        y2d = y.reshape(len(y), -1)
        self.n_tasks_ = y2d.shape[1]
        for task in range(self.n_tasks_):
            check_classification_targets(y2d[:, task])
        classes = [np.unique(y2d[:, task]) for task in range(self.n_tasks_)]
        self.classes_ = classes
        self.head_classes_ = list(classes)
        self.gates_: list[tuple[int, int] | None] = [None] * self.n_tasks_
        na = self.not_applicable
        gated = [
            na is not None and len(c) > 1 and bool((c == na).any()) for c in classes
        ]
        for task in np.flatnonzero(gated):
            is_na = y2d[:, task] == na
            gate = next(
                (
                    (other, int(np.flatnonzero(classes[other] == value)[0]))
                    for other in range(self.n_tasks_)
                    if not gated[other]
                    for value in classes[other]
                    if np.array_equal(is_na, y2d[:, other] == value)
                ),
                None,
            )
            if gate is None:
                raise ValueError(
                    f"Task {task}: no label of another task marks exactly the "
                    f"samples labelled {na!r}; gating needs one (e.g. detection "
                    "'normal' for location 'n/a'). Use not_applicable=None to "
                    "treat it as an ordinary class."
                )
            self.gates_[task] = gate
            self.head_classes_[task] = classes[task][classes[task] != na]
        return self

    @property
    def n_outputs_(self) -> tuple[int, ...]:
        """Size of each head."""
        check_is_fitted(self, "head_classes_")
        return tuple(len(head) for head in self.head_classes_)

    def transform(self, y) -> np.ndarray:
        """Head codes of ``y``; gated and unseen labels get ``IGNORE_INDEX``.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)

        Returns
        -------
        codes : ndarray of int64, shape (n_samples, n_tasks)
        """
        check_is_fitted(self, "head_classes_")
        y = np.asarray(y)
        y2d = y.reshape(len(y), -1)
        if y2d.shape[1] != self.n_tasks_:
            raise ValueError(
                f"y has {y2d.shape[1]} tasks; the encoder was fitted on "
                f"{self.n_tasks_}."
            )
        codes = np.empty(y2d.shape, dtype=np.int64)
        for task, head in enumerate(self.head_classes_):
            position = np.searchsorted(head, y2d[:, task])
            position = np.minimum(position, len(head) - 1)
            known = head[position] == y2d[:, task]
            codes[:, task] = np.where(known, position, IGNORE_INDEX)
        return codes

    def fit_transform(self, y) -> np.ndarray:
        """Fit, then return the codes of ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)

        Returns
        -------
        codes : ndarray of int64, shape (n_samples, n_tasks)
        """
        return self.fit(y).transform(y)

    def predict_proba(self, logits: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-task probabilities over ``classes_``, gates applied.

        Parameters
        ----------
        logits : sequence of ndarray of shape (n_samples, n_head_classes)
            One array per head.

        Returns
        -------
        probas : list of ndarray of shape (n_samples, n_classes)
        """
        heads = [torch.from_numpy(np.asarray(task)).double() for task in logits]
        return [proba.numpy() for proba in GatedSoftmax(self)(heads)]

    def predict(self, logits: Sequence[np.ndarray]) -> np.ndarray:
        """Most probable labels, in the shape of the fitted ``y``.

        Parameters
        ----------
        logits : sequence of ndarray of shape (n_samples, n_head_classes)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_tasks)
        """
        columns = [
            self.classes_[task][proba.argmax(axis=1)]
            for task, proba in enumerate(self.predict_proba(logits))
        ]
        return columns[0] if self.single_task_ else np.column_stack(columns)
