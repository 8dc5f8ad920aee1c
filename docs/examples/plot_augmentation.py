"""
Augmented training windows
==========================

What each batch transform of :mod:`tsclf.augmentation` does to a CWRU
window (inner-race fault, 0.007 in, drive end), as the network sees it
after the per-window z-score. Each transform mimics something that differs
on another machine: noise, the window's start, the shaft speed and the
acquisition chain's pass band.
"""

# %%
import matplotlib.pyplot as plt
import torch

from tsclf.augmentation import AdditiveNoise, RandomBandLimit, RandomShift, TimeStretch
from tsclf.datasets import load_cwru_windows
from tsclf.transformers import WindowStandardizer

windows = load_cwru_windows(ids=[105])
window = WindowStandardizer().fit_transform(windows.X[:1])
X = torch.as_tensor(window)
transforms = {
    "original": None,
    "AdditiveNoise(1.0)": AdditiveNoise(1.0),
    "RandomShift()": RandomShift(),
    "TimeStretch(0.9, 0.9)": TimeStretch(0.9, 0.9),
    "RandomBandLimit(0.2, 0.2, p=1)": RandomBandLimit(0.2, 0.2, p=1.0),
}
time_ms = torch.arange(X.shape[-1]) / windows.sampling_rate * 1000
figure, axes = plt.subplots(len(transforms), 1, figsize=(7, 8), sharex=True)
for ax, (name, transform) in zip(axes, transforms.items(), strict=True):
    generator = torch.Generator().manual_seed(0)
    shown = X if transform is None else transform(X, generator)
    ax.plot(time_ms[:400], shown[0, 0, :400], linewidth=0.8)
    ax.set_title(name, fontsize=9, loc="left")
    ax.set_ylabel("z-score")
axes[-1].set_xlabel("time (ms), first 400 samples")
figure.tight_layout()

# %%
# Passed to an estimator as a list, the transforms run on every training
# batch and never on validation or prediction:
#
# .. code-block:: python
#
#     from tsclf.classification import CNNClassifier
#
#     robust = CNNClassifier(
#         augmentation=[AdditiveNoise(0.1), RandomShift(), TimeStretch(0.95, 1.05)]
#     )
