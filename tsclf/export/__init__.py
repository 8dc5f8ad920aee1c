"""Taking a fitted model out of the notebook: files without pickle, and ONNX.

- :func:`save_model` / :func:`load_model`: one zip file per model, its
  settings and fitted state written by :mod:`skops.io` and its networks'
  weights by :func:`torch.save` (read back with ``weights_only=True``);
- :func:`export_onnx`: a deep classifier, a forest after feature steps or
  a :class:`~tsclf.classification.VibrationClassifier`, preprocessing and
  label decoding included, as one ONNX graph returning per-task
  probabilities and labels (:class:`DeployedClassifier` is a deep
  classifier's graph as a torch module, and :func:`torch_step` turns a
  fitted preprocessing step into torch).

They need optional packages: ``pip install "tsclf[deploy]"``.
"""

from tsclf.export import _torch_invariant  # noqa: F401  (registers twins)
from tsclf.export._deep import DeployedClassifier
from tsclf.export._onnx import export_onnx
from tsclf.export._persistence import load_model, save_model
from tsclf.export._torch_steps import torch_step

__all__ = [
    "DeployedClassifier",
    "export_onnx",
    "load_model",
    "save_model",
    "torch_step",
]
