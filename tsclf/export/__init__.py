"""Taking a fitted model out of the notebook: files without pickle, and ONNX.

- :func:`save_model` / :func:`load_model`: one zip file per model, its
  settings and fitted state written by :mod:`skops.io` and its networks'
  weights by :func:`torch.save` (read back with ``weights_only=True``);
- :func:`export_onnx`: a deep classifier, its preprocessing and its label
  decoding as one ONNX graph returning per-task probabilities
  (:class:`DeployedClassifier` is that graph as a torch module, and
  :func:`torch_step` turns a fitted preprocessing step into torch).

They need optional packages: ``pip install "tsclf[deploy]"``.
"""

from tsclf.export._onnx import DeployedClassifier, export_onnx
from tsclf.export._persistence import load_model, save_model
from tsclf.export._torch_steps import torch_step

__all__ = [
    "DeployedClassifier",
    "export_onnx",
    "load_model",
    "save_model",
    "torch_step",
]
