"""Metrics, scorers, reports and figures for multi-task classification."""

from tsclf.metrics._plots import (
    plot_confusion_matrices,
    plot_envelope_spectrum,
    plot_training_curves,
    plot_windows,
)
from tsclf.metrics._report import MultiTaskReport, multitask_classification_report
from tsclf.metrics._scorers import (
    MultiTaskClassifierMixin,
    joint_accuracy,
    mean_task_score,
    multitask_scoring,
    task_score,
)

__all__ = [
    "MultiTaskClassifierMixin",
    "MultiTaskReport",
    "joint_accuracy",
    "mean_task_score",
    "multitask_classification_report",
    "multitask_scoring",
    "plot_confusion_matrices",
    "plot_envelope_spectrum",
    "plot_training_curves",
    "plot_windows",
    "task_score",
]
