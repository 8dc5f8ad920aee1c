"""Training-time augmentation: random transforms of each training batch.

Each transform mimics a shift between machines: another sensor gain
(:class:`RandomScale`), more noise (:class:`AdditiveNoise`), an arbitrary
window start (:class:`RandomShift`), another shaft speed
(:class:`TimeStretch`) or acquisition chain (:class:`RandomBandLimit`), or
a blend of conditions (:class:`SameLabelMix`, which mixes samples of the
same labels).
:class:`AugmentBatch` applies a list of them to the training batches of a
deep estimator; :func:`augmented_copies` makes transformed copies of a
whole data set, for models trained outside a torch loop.
"""

from tsclf.augmentation._batch import AugmentBatch, augmented_copies
from tsclf.augmentation._mixing import SameLabelMix, same_label_partners
from tsclf.augmentation._transforms import (
    AdditiveNoise,
    BatchTransform,
    RandomBandLimit,
    RandomScale,
    RandomShift,
    TimeStretch,
)

__all__ = [
    "AdditiveNoise",
    "AugmentBatch",
    "BatchTransform",
    "RandomBandLimit",
    "RandomScale",
    "RandomShift",
    "SameLabelMix",
    "TimeStretch",
    "augmented_copies",
    "same_label_partners",
]
