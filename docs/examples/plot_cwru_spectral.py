"""
Bearing faults from spectral features
=====================================

Band energies of the spectrum and of the Hilbert envelope, fed to a random
forest, classify the three CWRU tasks on a motor load the model has never
seen. The report and the confusion matrices show where the errors fall.
"""

# %%
# Train on loads 0 and 1, test on load 2
# --------------------------------------
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline, make_union

from tsclf.datasets import load_cwru_windows
from tsclf.metrics import (
    multitask_classification_report,
    plot_confusion_matrices,
    plot_windows,
)
from tsclf.model_selection import LeaveOneConditionOut, block_lone_recordings
from tsclf.transformers import BandEnergies, EnvelopeSpectrum

windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
cv = LeaveOneConditionOut(test_conditions=[2], train_conditions=[0, 1])
train, test = next(
    cv.split(windows.X, groups=windows.groups, conditions=windows.metadata["condition"])
)
rate = windows.sampling_rate
model = make_pipeline(
    make_union(
        BandEnergies(n_bands=32, sampling_rate=rate),
        EnvelopeSpectrum(n_bands=20, sampling_rate=rate, max_frequency=1000.0),
    ),
    RandomForestClassifier(n_estimators=200, random_state=0),
)
model.fit(windows.X[train], windows.y.iloc[train])
predicted = model.predict(windows.X[test])

# %%
# Per-task report
# ---------------
report = multitask_classification_report(windows.y.iloc[test], predicted)
print(report.summary[["accuracy", "f1_macro", "support"]].round(3))
print(f"joint accuracy: {report.joint_accuracy:.3f}")

# %%
# Confusion matrices, rows normalised
# -----------------------------------
plot_confusion_matrices(windows.y.iloc[test], predicted, normalize=True)

# %%
# A few test windows with their labels
# ------------------------------------
plot_windows(
    windows.X[test],
    windows.y.iloc[test],
    predicted,
    n_windows=8,
    sampling_rate=rate,
    random_state=np.random.default_rng(0).integers(1000),
)
