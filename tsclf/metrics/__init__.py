"""Metrics and scorers for multi-task time-series classification."""

from tsclf.metrics._scorers import (
    joint_accuracy,
    mean_task_score,
    multitask_scoring,
    task_score,
)

__all__ = ["joint_accuracy", "mean_task_score", "multitask_scoring", "task_score"]
