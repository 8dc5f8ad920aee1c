"""Each family of benchmark models learns what its behaviour version says.

The benchmark records are keyed on a family's training-behaviour version
(:mod:`benchmarks.behaviour`), not on every line of code. Here a tiny model
of each family is fitted on embedded CWRU windows and its probabilities
compared with the fingerprint stored for that version: a change of what a
family learns without a version bump fails, which would otherwise let old
records pass for new behaviour.

After a deliberate change: bump the family's number in
``benchmarks/behaviour.py``, then store the new fingerprints with
``TSCLF_WRITE_FINGERPRINTS=1 python -m pytest tests/test_behaviour.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import lfilter

from benchmarks.behaviour import VERSIONS
from benchmarks.models import MODELS, Context, build_estimator
from benchmarks.protocols import cwru_problem

FINGERPRINTS = Path(__file__).parent / "data" / "behaviour_fingerprints.json"
#: The model that stands for each family: it runs that family's code.
REPRESENTATIVES = {
    "anchor": "minirocket",
    "features": "spectral-rf-scaled",
    "vibration": "vibration",
    "deep": "cnn-robust",
}
#: Far above the float noise between CPUs, far below any change of training.
TOLERANCE = 1e-3


def tiny_fit(model: str) -> dict:
    """``model`` fitted on 4 windows of each of CWRU's 10 states: its labels
    and probabilities (where it has them) for 2 other windows of each, as
    recorded and through another transfer path (then adapted to it, where
    the model adapts), so that what a model does off its training path
    counts too."""
    problem = cwru_problem("lolo")
    states = [" ".join(labels) for labels in problem.y]
    rng = np.random.default_rng(0)
    train, test = [], []
    for state in sorted(set(states)):
        windows = rng.permutation(np.flatnonzero(np.asarray(states) == state))
        train.extend(windows[:4])
        test.extend(windows[4:6])
    context = Context(problem.sampling_rate, 0, 1, "cpu", "quick", "lolo", len(train))
    estimator = build_estimator(model, context, max_epochs=2)
    estimator.fit(problem.X[train], problem.y[train])
    # A first-order high-pass filter and another gain: another sensor's path.
    other_path = 3.0 * lfilter([1.0, -0.9], [1.0], problem.X[test], axis=-1)
    inputs = [problem.X[test], other_path]
    fingerprint = {"labels": [], "probabilities": []}
    for step, X in enumerate([*inputs, other_path]):
        if step == 2:
            if not hasattr(estimator, "adapt"):
                break
            estimator.adapt(other_path)
        fingerprint["labels"].append(estimator.predict(X).tolist())
        if hasattr(estimator, "predict_proba"):
            proba = estimator.predict_proba(X)
            tasks = proba if isinstance(proba, list) else [proba]
            fingerprint["probabilities"].extend(
                np.round(np.asarray(task, dtype=float), 5).tolist() for task in tasks
            )
    return fingerprint


def test_every_family_has_a_version_and_a_representative():
    assert set(REPRESENTATIVES) == set(VERSIONS)
    families = {spec.behaviour_family for spec in MODELS.values()}
    assert families <= set(VERSIONS)
    for family, model in REPRESENTATIVES.items():
        assert MODELS[model].behaviour_family == family


@pytest.mark.parametrize("family", sorted(REPRESENTATIVES))
def test_a_tiny_fit_matches_its_family_s_fingerprint(family):
    stored = json.loads(FINGERPRINTS.read_text()) if FINGERPRINTS.exists() else {}
    current = tiny_fit(REPRESENTATIVES[family])
    if os.environ.get("TSCLF_WRITE_FINGERPRINTS"):
        stored[family] = {"version": VERSIONS[family], **current}
        lines = [f"{json.dumps(name)}: {json.dumps(stored[name])}" for name in stored]
        FINGERPRINTS.write_text("{\n" + ",\n".join(sorted(lines)) + "\n}\n")
        return
    fingerprint = stored.get(family)
    assert fingerprint is not None, (
        f"No fingerprint stored for {family!r}: store one (see this module's "
        "docstring)."
    )
    if fingerprint["version"] != VERSIONS[family]:
        pytest.fail(
            f"{family!r} is at version {VERSIONS[family]} but its fingerprint "
            f"was stored at {fingerprint['version']}: store the new one (see "
            "this module's docstring)."
        )
    changed = (
        f"What a {family!r} model learns changed without a version bump: its "
        "benchmark records would pass for the new behaviour. Bump "
        f"VERSIONS[{family!r}] in benchmarks/behaviour.py and store the new "
        "fingerprint (see this module's docstring)."
    )
    theirs = fingerprint["probabilities"]
    for ours, stored_task in zip(current["probabilities"], theirs, strict=True):
        np.testing.assert_allclose(ours, stored_task, atol=TOLERANCE, err_msg=changed)
    if not current["probabilities"]:  # labels only: they must be the same
        assert current["labels"] == fingerprint["labels"], changed
