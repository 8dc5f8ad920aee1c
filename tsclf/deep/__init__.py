"""The deep estimators' machinery: skorch composed inside ``fit``.

How it fits together (see ``docs/engine.md``):

- ``_params``: the one signature mechanism and the prefixed parameters;
- ``_engine``: :class:`BaseDeepEstimator`, which validates and
  preprocesses input, holds out validation windows, builds and fits the
  skorch net;
- ``_forward``: the device and the network run in evaluation mode;
- ``_adapt``: ``adapt``, re-estimating BatchNorm statistics on new-domain
  windows (AdaBN);
- ``_callbacks``: the training policy as skorch callbacks;
- ``_labels``: :class:`MultiTaskLabelEncoder`, labels to head codes and
  logits back to probabilities and labels;
- ``_losses`` and ``_weights``: the multi-task losses and their weights;
- ``_classifier`` and ``_regressor``: the two thin task layers;
- ``_loader``: a batch-at-once data loader;
- ``_averaging``: :class:`WeightAveraging`, SWA or EMA as a callback;
- ``_seeding``: one fit's seeded torch generator, and overlapping fits;
- ``_continue``: training a fitted network further (``partial_fit``);
- ``_precision``: the skorch net under autocast, which lets Ctrl-C through;
- ``_validation``: the validation hold-out and its warnings.
"""

from tsclf.deep._averaging import WeightAveraging
from tsclf.deep._callbacks import one_cycle_settings, scheduler_policy
from tsclf.deep._classifier import BaseDeepClassifier
from tsclf.deep._engine import BaseDeepEstimator
from tsclf.deep._forward import network_logits, resolve_device
from tsclf.deep._labels import MultiTaskLabelEncoder
from tsclf.deep._losses import (
    IGNORE_INDEX,
    MultiOutputMSE,
    MultiTaskCrossEntropy,
    class_weight_tensors,
    task_weight_list,
)
from tsclf.deep._params import PREFIXES
from tsclf.deep._regressor import BaseDeepRegressor

__all__ = [
    "IGNORE_INDEX",
    "PREFIXES",
    "BaseDeepClassifier",
    "BaseDeepEstimator",
    "BaseDeepRegressor",
    "MultiOutputMSE",
    "MultiTaskCrossEntropy",
    "MultiTaskLabelEncoder",
    "WeightAveraging",
    "class_weight_tensors",
    "network_logits",
    "one_cycle_settings",
    "resolve_device",
    "scheduler_policy",
    "task_weight_list",
]
