"""Using tsclf estimators from other libraries' APIs."""

from tsclf.compose._sktime import SktimeClassifier

__all__ = ["SktimeClassifier"]
