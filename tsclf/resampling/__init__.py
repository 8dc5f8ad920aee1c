"""Resampling of imbalanced windows with several labels, inside CV folds."""

from tsclf.resampling._multitask import MultiTaskResampler

__all__ = ["MultiTaskResampler"]
