"""A fitted deep classifier as one ONNX graph: preprocessing, network, labels."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from tsclf.deep._classifier import BaseDeepClassifier
from tsclf.deep._labels import GatedSoftmax
from tsclf.export._torch_steps import torch_step
from tsclf.monitoring import ShiftMonitor


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
        features = self.preprocess(series)
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


def export_onnx(
    estimator,
    path: str | Path,
    *,
    preprocessing: bool = True,
    opset_version: int = 18,
) -> dict:
    """Export a fitted deep classifier to ONNX, preprocessing and labels included.

    The graph takes raw series (float32, shape ``(batch, channels,
    length)``, any batch size) named ``series`` and returns ``proba_<t>``
    (probabilities over task ``t``'s classes, as :meth:`predict_proba`) and
    ``label_<t>`` (the position of the predicted class in ``classes[t]``)
    for every task ``t``. The label metadata (classes per task, the "not
    applicable" label and which task gates which) is stored in the model's
    metadata under ``tsclf`` and written beside it as ``<path>.json``.

    Parameters
    ----------
    estimator : BaseDeepClassifier, SeedEnsembleClassifier or Pipeline
        A fitted tsclf deep classifier; a seed ensemble of them (one graph
        runs every member and averages their probabilities, as its
        ``predict_proba`` does); or a Pipeline of steps with torch twins
        ending in either (the steps run first in the graph).
    path : str or path-like
        The ``.onnx`` file to write.
    preprocessing : bool, default=True
        Put the fitted ``preprocessor_`` in the graph (supported steps:
        :func:`torch_step`); False exports the network and labels alone,
        for input preprocessed by ``estimator.preprocessor_``.
    opset_version : int, default=18

    Returns
    -------
    metadata : dict
        What the sidecar file holds; with ``preprocessing=False``, the
        ``input_shape`` the network reads (the preprocessor's output). A
        :class:`~tsclf.monitoring.ShiftMonitor` among the preprocessing
        steps passes series through unchanged in the graph; its statistics
        (feature transformer, covariance location and precision, threshold)
        are under ``monitors``, for a deployment that checks its input.

    Notes
    -----
    Uses :func:`torch.onnx.export` (the ``torch.export`` path, which needs
    ``onnxscript``); run the file with ``onnxruntime``. The networks are
    not ``torch.jit.script``-able, and need not be: ``torch.export`` is the
    supported way out of Python.

    Examples
    --------
    >>> import tempfile
    >>> import onnxruntime
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import load_cwru_windows
    >>> from tsclf.export import export_onnx
    >>> windows = load_cwru_windows()
    >>> X, y = windows.X[::20], windows.y.iloc[::20]
    >>> model = CNNClassifier(max_epochs=1, validation=None, random_state=0)
    >>> model = model.fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     metadata = export_onnx(model, f"{folder}/cnn.onnx")
    ...     session = onnxruntime.InferenceSession(f"{folder}/cnn.onnx")
    ...     outputs = session.run(None, {"series": X[:5]})
    >>> metadata["outputs"]
    ['proba_0', 'proba_1', 'proba_2', 'label_0', 'label_1', 'label_2']
    >>> metadata["classes"][1]
    ['B', 'IR', 'OR', 'n/a']
    """
    head, estimator = _split_pipeline(estimator)
    members = _deep_members(estimator)
    ensemble = members[0] is not estimator
    estimator = members[0]  # the labels and input shape are every member's
    path = Path(path)
    encoder = estimator.label_encoder_
    n_tasks = encoder.n_tasks_
    outputs = [f"proba_{t}" for t in range(n_tasks)] + [
        f"label_{t}" for t in range(n_tasks)
    ]
    if preprocessing and head is not None:
        input_shape = _pipeline_input_shape(head, estimator)
    elif preprocessing:
        input_shape = [estimator.n_channels_, estimator.n_timepoints_]
    else:  # what the network reads: the preprocessor's output
        timepoints = estimator.net_.module__n_timepoints
        input_shape = [estimator.net_.module__n_channels]
        input_shape += (
            list(timepoints) if isinstance(timepoints, tuple) else [timepoints]
        )
    metadata = {
        "input": "series" if preprocessing else "preprocessed",
        "input_shape": ["batch", *input_shape],
        "outputs": outputs,
        "classes": [classes.tolist() for classes in encoder.classes_],
        "not_applicable": encoder.not_applicable,
        "gates": [None if gate is None else list(gate) for gate in encoder.gates_],
        "preprocessing": bool(preprocessing),
        "monitors": [
            _monitor_statistics(m)
            for m in _monitors([head, getattr(estimator, "preprocessor_", None)])
        ],
    }
    module = (
        DeployedEnsemble(members, preprocessing)
        if ensemble
        else DeployedClassifier(estimator, preprocessing)
    )
    if preprocessing and head is not None:
        module = torch.nn.Sequential(torch_step(head), module)
    module = module.cpu().eval()
    example = torch.zeros((2, *input_shape), dtype=torch.float32)
    with _quiet_exporter():
        program = torch.onnx.export(
            module,
            (example,),
            input_names=["series"],
            output_names=outputs,
            opset_version=opset_version,
            dynamo=True,
            dynamic_shapes=({0: torch.export.Dim("batch")},),
            external_data=False,
            verbose=False,
        )
    import onnx

    model = program.model_proto
    entry = model.metadata_props.add()
    entry.key, entry.value = "tsclf", json.dumps(metadata, default=str)
    onnx.save(model, path)
    path.with_name(path.name + ".json").write_text(
        json.dumps(metadata, indent=2, default=str)
    )
    return metadata


def _split_pipeline(estimator) -> tuple[Pipeline | None, object]:
    """Return a Pipeline's steps before its final estimator, and that one."""
    if not isinstance(estimator, Pipeline):
        return None, estimator
    check_is_fitted(estimator)
    return estimator[:-1], estimator.steps[-1][1]


def _pipeline_input_shape(head: Pipeline, final) -> list[int]:
    """Return the (channels, length) the steps before ``final`` take.

    The steps record their input's channels; the length is the first that
    the steps turn into what ``final`` was fitted on.
    """
    first = head.steps[0][1]
    channels = getattr(first, "n_features_in_", None)
    lengths = [getattr(step, "length_", None) for _, step in head.steps]
    lengths = [n for n in [*lengths, final.n_timepoints_] if isinstance(n, int)]
    expected = (final.n_channels_, final.n_timepoints_)
    for length in dict.fromkeys(lengths) if channels is not None else ():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a monitor's verdict on zeros
            out = head.transform(np.zeros((2, channels, length), np.float32))
        if np.shape(out)[1:] == expected:
            return [channels, length]
    raise TypeError(
        f"export_onnx cannot tell which series the steps before "
        f"{type(final).__name__} take; give them to it as its preprocessor "
        "(preprocessor=make_pipeline(...)), where they export in the same graph."
    )


def _deep_members(estimator) -> list:
    """Return the fitted deep classifier, or a seed ensemble's deep members."""
    from tsclf.classification import SeedEnsembleClassifier

    # The type first: an estimator of another kind is never "not fitted".
    if isinstance(estimator, SeedEnsembleClassifier) and isinstance(
        estimator.estimator, BaseDeepClassifier
    ):
        check_is_fitted(estimator, "estimators_")
        return list(estimator.estimators_)
    if not isinstance(estimator, BaseDeepClassifier):
        raise TypeError(
            "export_onnx takes a fitted tsclf deep classifier (CNNClassifier, "
            "LITEClassifier, ...) or a SeedEnsembleClassifier of them, got "
            f"{type(estimator).__name__}. Forests and feature pipelines "
            "(VibrationClassifier among them) deploy with "
            "tsclf.export.save_model and load_model."
        )
    check_is_fitted(estimator, "net_")
    return [estimator]


def _monitors(parts: list) -> list:
    """Return the ShiftMonitor steps among ``parts`` (steps or Pipelines).

    The graph passes series through them; the sidecar keeps their
    statistics, whether they sit before the estimator in a Pipeline or in
    its preprocessor.
    """
    steps = []
    for part in parts:
        steps += [t for _, t in part.steps] if isinstance(part, Pipeline) else [part]
    return [t for t in steps if isinstance(t, ShiftMonitor)]


def _monitor_statistics(monitor: ShiftMonitor) -> dict:
    """Return what a deployment needs to check its input as the monitor does."""
    return {
        "features": repr(monitor.features_),
        "location": monitor.covariance_.location_.tolist(),
        "precision": monitor.covariance_.get_precision().tolist(),
        "threshold": monitor.threshold_,
        "quantile": monitor.quantile,
        "feature_names": [str(name) for name in monitor.feature_names_],
    }


@contextlib.contextmanager
def _quiet_exporter():
    """Keep torch's exporter chatter out of the user's log.

    The exporter logs a line for every torchvision operator it cannot
    register (torchvision is not a tsclf dependency) and emits its own
    deprecation warnings; none concerns the model exported. A failure
    still raises, with its message.
    """
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        logger.setLevel(level)
