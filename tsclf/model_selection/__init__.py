"""Group-aware cross-validation: no recording on both sides of a split.

scikit-learn's group splitters (``GroupKFold``, ``LeaveOneGroupOut``) work
as they are with ``groups`` set to the recording of each window. This
module adds what they lack: ``StratifiedGroupKFold`` for multi-task ``y``
(stratified on the joint label), a stratified group shuffle split,
leave-one-condition-out (conditions passed to ``split``, so it nests), the
hold-out the deep estimators validate on, blocks for a class recorded only
once, and a leakage check.
"""

from tsclf.model_selection._blocks import (
    BlockGroups,
    block_groups,
    block_lone_recordings,
)
from tsclf.model_selection._holdout import SpreadGroupSplit, ValidationSplit
from tsclf.model_selection._leakage import LeakageError, assert_no_leakage
from tsclf.model_selection._split import (
    LeaveOneConditionOut,
    StratifiedGroupKFold,
    StratifiedGroupShuffleSplit,
    train_test_split_by_group,
)

__all__ = [
    "BlockGroups",
    "LeakageError",
    "LeaveOneConditionOut",
    "SpreadGroupSplit",
    "StratifiedGroupKFold",
    "StratifiedGroupShuffleSplit",
    "ValidationSplit",
    "assert_no_leakage",
    "block_groups",
    "block_lone_recordings",
    "train_test_split_by_group",
]
