"""Calibrating the probabilities of multi-task classifiers."""

from tsclf.calibration._multitask import MultiTaskCalibratedClassifier

__all__ = ["MultiTaskCalibratedClassifier"]
