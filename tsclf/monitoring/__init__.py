"""Watching a deployed model's input: still like the training data."""

from tsclf.monitoring._shift import ShiftMonitor, ShiftReport

__all__ = ["ShiftMonitor", "ShiftReport"]
