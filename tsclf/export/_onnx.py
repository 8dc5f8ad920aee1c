"""A fitted classifier as one ONNX graph: preprocessing, model, labels."""

from __future__ import annotations

import contextlib
import json
import logging
import warnings
from pathlib import Path

import torch
from sklearn.pipeline import Pipeline

from tsclf.export._deep import deep_deployment, deep_members
from tsclf.export._deployment import Deployment, forest_deployment, split_pipeline
from tsclf.export._vibration import vibration_deployment
from tsclf.monitoring import ShiftMonitor


def export_onnx(
    estimator,
    path: str | Path,
    *,
    preprocessing: bool = True,
    opset_version: int = 18,
) -> dict:
    """Export a fitted classifier to ONNX, preprocessing and labels included.

    The graph takes raw series (float32, shape ``(batch, channels,
    length)``, any batch size) named ``series`` and returns ``proba_<t>``
    (probabilities over task ``t``'s classes, as :meth:`predict_proba`) and
    ``label_<t>`` (the position of the predicted class in ``classes[t]``,
    as :meth:`predict`) for every task ``t``. The label metadata (classes
    per task, the "not applicable" label and which task gates which) is
    stored in the model's metadata under ``tsclf`` and written beside it
    as ``<path>.json``.

    Parameters
    ----------
    estimator : classifier or Pipeline
        Fitted; one of: a tsclf deep classifier; a
        :class:`~tsclf.classification.SeedEnsembleClassifier` of them (one
        graph runs every member and averages their probabilities, as its
        ``predict_proba`` does); a
        :class:`~tsclf.classification.VibrationClassifier` with a forest or
        tree as its ``estimator`` (the default; features, gate and forests
        in the graph); a scikit-learn forest or tree (alone or in a
        :class:`~tsclf.compose.JointLabelClassifier`, see
        :mod:`tsclf.export`), whose graph reads its feature rows; or a
        Pipeline of steps with torch twins (:func:`torch_step`) ending in a
        deep classifier, seed ensemble, forest or tree (the steps run first
        in the graph).
    path : str or path-like
        The ``.onnx`` file to write.
    preprocessing : bool, default=True
        Put the fitted preprocessing in the graph (a deep classifier's
        ``preprocessor_``, a Pipeline's steps); False exports the final
        estimator and labels alone, for input preprocessed outside the
        graph. A VibrationClassifier is always exported whole.
    opset_version : int, default=18

    Returns
    -------
    metadata : dict
        What the sidecar file holds; with ``preprocessing=False``, the
        ``input_shape`` the final estimator reads (the preprocessing's
        output). A
        :class:`~tsclf.monitoring.ShiftMonitor` among the preprocessing
        steps passes series through unchanged in the graph; its statistics
        (feature transformer, covariance location and precision, threshold)
        are under ``monitors``, for a deployment that checks its input.

    Raises
    ------
    TypeError
        For a classifier or a step without a torch twin; the message says
        what exports.
    ValueError
        For a VibrationClassifier after other steps or with
        ``preprocessing=False``.

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
    head, final = split_pipeline(estimator)
    deployment = _deployment(head, final, preprocessing)
    path = Path(path)
    n_tasks = len(deployment.classes)
    outputs = [f"proba_{t}" for t in range(n_tasks)] + [
        f"label_{t}" for t in range(n_tasks)
    ]
    metadata = {
        "input": deployment.input,
        "input_shape": ["batch", *deployment.input_shape],
        "outputs": outputs,
        "classes": deployment.classes,
        "not_applicable": deployment.not_applicable,
        "gates": deployment.gates or [None] * n_tasks,
        "preprocessing": deployment.input == "series",
        "monitors": [_monitor_statistics(m) for m in _monitors(deployment.steps)],
    }
    module = deployment.module
    module = module.cpu().eval()
    example = torch.zeros((2, *deployment.input_shape), dtype=torch.float32)
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


def _deployment(head, final, preprocessing: bool) -> Deployment:
    """Deploy ``final`` (after ``head``'s steps) by its kind."""
    from tsclf.classification import VibrationClassifier

    members = deep_members(final)
    if members is not None:
        return deep_deployment(head, members, preprocessing)
    if isinstance(final, VibrationClassifier):
        return vibration_deployment(head, final, preprocessing)
    return forest_deployment(head, final, preprocessing)


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
