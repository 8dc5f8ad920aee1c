"""Composing tsclf with other libraries' pieces and APIs.

- :class:`SktimeClassifier`: a tsclf classifier where sktime expects one;
- :class:`SktimeTransformer`: an sktime transformer as a scikit-learn step;
- :class:`JointLabelClassifier`: a single-output classifier for several
  tasks at once, through their joint label.
"""

from tsclf.compose._joint import JointLabelClassifier
from tsclf.compose._sktime import SktimeClassifier
from tsclf.compose._sktime_transformer import SktimeTransformer

__all__ = ["JointLabelClassifier", "SktimeClassifier", "SktimeTransformer"]
