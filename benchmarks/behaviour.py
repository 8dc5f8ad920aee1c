"""The training-behaviour version of each family of benchmark models.

A fit's record (:mod:`benchmarks.store`) is keyed on its model's name, the
settings it changes from their defaults and its family's version here, not
on every setting: a new parameter whose default keeps what a fit learns
keeps every key. A change to the code that alters what a family's fits
learn (a default, a feature, the training loop) bumps that family's number,
which re-keys its fits and only them. ``tests/test_behaviour.py`` fits a
tiny model of each family and compares it with the fingerprint stored for
this number: a change of behaviour without a bump fails CI, and the test
says how to store the new fingerprint.

Families:

- ``anchor``: models built from other libraries only (MiniRocket);
- ``features``: tsclf's feature transformers into scikit-learn learners;
- ``vibration``: :class:`~tsclf.classification.VibrationClassifier`;
- ``deep``: tsclf's deep estimators (the engine, networks, augmentation).
"""

from __future__ import annotations

VERSIONS: dict[str, int] = {"anchor": 1, "features": 1, "vibration": 4, "deep": 1}
