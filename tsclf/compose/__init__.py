"""Composing tsclf with other libraries' pieces and APIs.

- :class:`SktimeClassifier`: a tsclf classifier where sktime expects one;
- :class:`SktimeTransformer`: an sktime transformer as a scikit-learn step;
- :class:`JointLabelClassifier`: a single-output classifier for several
  tasks at once, through their joint label;
- :class:`AdaptivePipeline`: a Pipeline whose steps adapt to a new
  domain's unlabelled data (``adapt``);
- :class:`ChunkedTransformer`: a transformer fed a chunk of windows at a
  time, for windows read from disk;
- :class:`ResampledClassifier`: resampling before a classifier, the rows'
  groups and weights following the resampled rows.
"""

from tsclf.compose._adaptive import AdaptivePipeline
from tsclf.compose._chunked import ChunkedTransformer
from tsclf.compose._joint import JointLabelClassifier
from tsclf.compose._resampled import ResampledClassifier
from tsclf.compose._sktime import SktimeClassifier
from tsclf.compose._sktime_transformer import SktimeTransformer

__all__ = [
    "AdaptivePipeline",
    "ChunkedTransformer",
    "JointLabelClassifier",
    "ResampledClassifier",
    "SktimeClassifier",
    "SktimeTransformer",
]
