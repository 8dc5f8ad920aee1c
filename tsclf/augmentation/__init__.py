"""Training-time augmentation: random transforms of each training batch.

Each transform mimics a shift between machines: another sensor gain
(:class:`RandomScale`), more noise (:class:`AdditiveNoise`), an arbitrary
window start (:class:`RandomShift`), another shaft speed
(:class:`TimeStretch`) or acquisition chain (:class:`RandomBandLimit`), or
a blend of conditions (:class:`SameLabelMix`, which mixes samples of the
same labels).
:class:`AugmentBatch` applies a list of them to the training batches of a
deep estimator.
"""

from tsclf.augmentation._batch import AugmentBatch
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
    "same_label_partners",
]
