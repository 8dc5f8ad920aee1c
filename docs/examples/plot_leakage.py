"""
How a random window split inflates accuracy
===========================================

The same cesium-features + random-forest pipeline, scored three ways on the
embedded CWRU windows: a random window split (leaky), whole recordings held
out, and a motor load held out. Only the split changes.
"""

# %%
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, cross_validate
from sklearn.pipeline import make_pipeline

from tsclf.datasets import load_cwru_windows
from tsclf.metrics import multitask_scoring
from tsclf.model_selection import (
    LeaveOneConditionOut,
    StratifiedGroupShuffleSplit,
    block_lone_recordings,
)
from tsclf.transformers import CesiumFeatures

# The lone normal recording becomes three blocks, one per load.
windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
model = make_pipeline(
    CesiumFeatures(sampling_rate=windows.sampling_rate, n_jobs=-1),
    RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=-1),
)
splits = {
    "random windows (leaky)": KFold(n_splits=3, shuffle=True, random_state=0),
    "whole recordings": StratifiedGroupShuffleSplit(
        n_splits=3, test_size=10, random_state=0
    ),
    "one load held out": LeaveOneConditionOut(),
}
# Each splitter gets the groups it splits by: recordings, or the loads.
groups = {
    "random windows (leaky)": None,
    "whole recordings": windows.groups,
    "one load held out": windows.metadata["condition"],
}
rows = {}
for name, cv in splits.items():
    scores = cross_validate(
        model,
        windows.X,
        windows.y,
        groups=groups[name],
        cv=cv,
        scoring=multitask_scoring(windows.y.columns),
    )
    rows[name] = {
        "joint accuracy": scores["test_accuracy_joint"].mean(),
        "size accuracy": scores["test_accuracy_size"].mean(),
    }
print(pd.DataFrame(rows).T.round(3))

# %%
# The random split scores highest: its test windows have neighbours from the
# same recording in training. See :doc:`/leakage` for what even the
# recording and load splits still share.
