"""The benchmark runner: protocols, caching, outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("psutil")

from benchmarks import report, run
from benchmarks.models import MODELS, Context
from benchmarks.protocols import cwru_problem, ucr_problem
from tsclf.model_selection import assert_no_leakage


def test_protocols_split_as_documented():
    lolo = cwru_problem("lolo")
    assert [name for name, _, _ in lolo.folds] == ["load0", "load1", "load2"]
    recording = cwru_problem("recording")
    assert len(recording.folds) == 1
    for problem in (lolo, recording):
        for _, train, test in problem.folds:
            assert_no_leakage(train, test, problem.groups)
            # Every one of the ten joint classes is tested.
            assert len({"|".join(row) for row in problem.y[test]}) == 10
    leaky = cwru_problem("leaky")
    ((_, train, test),) = leaky.folds
    assert leaky.groups is None
    # The leaky split shares recordings between train and test, by design.
    groups = cwru_problem("lolo").groups
    assert set(groups[train]) & set(groups[test])
    gunpoint = ucr_problem("GunPoint")
    ((_, train, test),) = gunpoint.folds
    assert (len(train), len(test)) == (50, 150)
    assert gunpoint.tasks == ["class"]


def test_runner_writes_tables_figures_and_reuses_its_cache(tmp_path, monkeypatch):
    args = ["--models", "cesium-rf", "--results", str(tmp_path), "--n-jobs", "1"]
    results = run.main(args)
    assert list(results["fold"]) == ["load0", "load1", "load2"]
    assert results["joint acc"].mean() > 0.85  # 0.920 measured
    assert (results["peak MB"] >= 0).all() and (results["fit s"] > 0).all()
    out = tmp_path / "quick"
    summary = (out / "summary.md").read_text()
    assert "## CWRU, lolo protocol" in summary and "cesium-rf" in summary
    assert (out / "cwru_lolo_accuracy_vs_time.png").stat().st_size > 0
    assert (out / "cwru_lolo_confusion.png").stat().st_size > 0
    assert len(pd.read_csv(out / "results.csv")) == 3
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 3

    def refuse(*args, **kwargs):
        raise AssertionError("a cached result was recomputed")

    monkeypatch.setattr(run, "run_fold", refuse)
    again = run.main(args)
    np.testing.assert_allclose(again["joint acc"], results["joint acc"])


def test_cache_key_follows_the_settings_that_change_results():
    problem = cwru_problem("lolo")
    args = run.parse_args(["--max-epochs", "1"])
    short = run.build("mlp", problem, 0, 100, args, "full")
    args = run.parse_args(["--max-epochs", "2"])
    longer = run.build("mlp", problem, 0, 100, args, "full")
    assert short.max_epochs == 1 and longer.max_epochs == 2
    assert run.fingerprint(short) != run.fingerprint(longer)
    # Parallelism and device do not change results: same key.
    assert run.fingerprint(short) == run.fingerprint(short.set_params(device="cpu"))


def test_ucr_settings_follow_dl4tsc_for_tiny_training_sets():
    context = Context(1.0, 0, 1, "cpu", "full", "ucr", n_train=50)
    resnet = MODELS["resnet"].build(context)
    assert resnet.batch_size == 5 and resnet.validation_fraction == 0.0
    quick = MODELS["resnet"].build(
        Context(1.0, 0, 1, "cpu", "quick", "lolo", n_train=2000)
    )
    assert quick.max_epochs == 3


def test_published_gaps():
    results = pd.DataFrame(
        {
            "dataset": ["GunPoint", "GunPoint", "ArrowHead"],
            "model": ["resnet", "resnet", "cnn"],
            "acc class": [0.98, 0.99, 0.8],
        }
    )
    gaps = report.published_gaps(results)
    assert len(gaps) == 1  # cnn has no published twin
    row = gaps.iloc[0]
    assert row["published"] == pytest.approx(0.991)
    assert row["gap (points)"] == pytest.approx(100 * (0.985 - 0.991))
