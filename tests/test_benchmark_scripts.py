"""The side benchmark scripts run end to end at tiny settings.

Their figures are measured at their default settings (minutes each); these
checks only keep the scripts working as the library changes.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch

from benchmarks.studies import (
    adapt_holdout,
    cesium_speed,
    compile_speed,
    dask_scaling,
    dl4tsc_gap,
    gpu_check,
    imbalance,
    near_chance,
    network_step_time,
    precision_speed,
    recurrent_spike,
    resnet_epoch_speed,
    shaft_speed,
    shift_monitor,
    vibration_selection,
)
from tsclf.classification import CNNClassifier


def test_near_chance_reports_each_variant(capsys):
    table = near_chance.main(["--families", "mlp", "--max-epochs", "2"])
    assert len(table) == len(near_chance.VARIANTS["mlp"])
    assert table["settings"].iloc[0] == "defaults"
    assert (table["epochs"] <= 2).all()
    assert table["joint_acc"].between(0, 1).all()
    assert np.isfinite(table["last train loss"]).all()
    assert "held-out load0" in capsys.readouterr().out


def test_near_chance_rejects_an_unknown_fold():
    with pytest.raises(SystemExit):
        near_chance.main(["--fold", "load7"])


def test_recurrent_spike_fits_the_three_recurrent_nets():
    table = recurrent_spike.main(["--n-samples", "40"])
    assert list(table["model"]) == ["RNNClassifier", "LSTMClassifier", "GRUClassifier"]
    assert table["test accuracy"].between(0, 1).all()


def test_cesium_speed_checks_the_fast_engine_against_cesium(capsys):
    table = cesium_speed.main(["--n-windows", "4", "--n-jobs", "1", "--repeats", "1"])
    assert (table["windows/s"] > 0).all()
    assert "all within rtol 1e-6: True" in capsys.readouterr().out


def test_resnet_epoch_speed_times_both_loops(capsys):
    table = resnet_epoch_speed.main(["--epochs", "2", "--n-windows", "64"])
    assert (table["s/epoch"] > 0).all()
    assert "ratio ResNetClassifier / reference" in capsys.readouterr().out


def test_imbalance_compares_the_four_ways(capsys):
    pytest.importorskip("imblearn", reason="imbalanced-learn is optional")
    table = imbalance.main(["--n-estimators", "5"])
    assert list(table.index) == ["none", "class weights", "over-sampling", "SMOTE"]
    assert table.to_numpy().min() >= 0 and table.to_numpy().max() <= 1
    assert "B faults are" in capsys.readouterr().out


def test_precision_speed_times_each_precision(capsys, tmp_path):
    argv = ["--models", "cnn", "--epochs", "2", "--n-windows", "96"]
    table = precision_speed.main([*argv, "--out", str(tmp_path)])
    assert list(table["precision"]) == ["float32", "bfloat16"]
    assert (table["epochs"] == 2).all()
    assert table["time_ratio_to_float32"].iloc[0] == 1.0
    assert table["joint_acc"].between(0, 1).all()
    assert "held-out load0" in (tmp_path / "summary.md").read_text()


@pytest.mark.skipif(
    shutil.which("c++") is None and shutil.which("g++") is None,
    reason="torch.compile needs a C++ compiler",
)
def test_compile_speed_times_eager_and_compiled_steps(tmp_path):
    argv = ["--networks", "CNN", "--length", "64", "--batch-size", "8"]
    table = compile_speed.main([*argv, "--steps", "1", "--out", str(tmp_path)])
    assert list(table["network"]) == ["CNN"]
    row = table.iloc[0]
    assert row["eager_s_per_step"] > 0 and row["compiled_s_per_step"] > 0
    assert row["speed_up"] == pytest.approx(
        row["eager_s_per_step"] / row["compiled_s_per_step"]
    )
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("Command: `python -m benchmarks.studies.compile_speed")
    assert "Machine:" in summary


def test_dl4tsc_gap_sets_each_variant_beside_its_published_network(capsys):
    variants = ["resnet-fullres", "fcn, 2000 epochs"]
    argv = ["--dataset", "ItalyPowerDemand", "--seeds", "2", "--workers", "1"]
    table = dl4tsc_gap.main([*argv, "--max-epochs", "1", "--variants", *variants])
    assert list(table["variant"]) == variants
    assert list(table["published"]) == ["ResNet 0.963", "FCN 0.961"]
    assert (table["epochs"] == "1, 1").all()
    assert np.allclose(table["gap (points)"], 100 * (table["mean"] - [0.963, 0.961]))
    assert "ItalyPowerDemand, official split, 2 seeds" in capsys.readouterr().out


def test_gpu_check_says_so_without_cuda(capsys, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert gpu_check.main(["--epochs", "1"]).empty
    assert "No CUDA device here" in capsys.readouterr().out
    assert "SeedEnsembleClassifier" not in gpu_check.DEEP
    assert "VibrationClassifier" not in gpu_check.DEEP
    assert "LITEClassifier" in gpu_check.DEEP


def test_onnx_check_compares_onnxruntime_with_predict():
    pytest.importorskip("onnxruntime")
    from benchmarks.studies import onnx_check
    from tsclf.datasets import load_cwru_windows

    windows = load_cwru_windows()
    X, y, groups = windows.X[::40], windows.y.iloc[::40], windows.groups[::40]
    row = onnx_check.check("MLPClassifier", X, y, groups)
    assert row["same_labels"] and row["max_proba_gap"] < 1e-5
    images = onnx_check.check("ResNet2DClassifier", X, y, groups)  # STFTImage
    assert images["same_labels"] and images["max_proba_gap"] < 1e-5


def test_network_step_time_times_each_network(tmp_path):
    argv = ["--classifiers", "CNNClassifier", "InceptionTimeClassifier"]
    argv += ["--length", "64", "--batch-size", "8", "--repeats", "1"]
    table = network_step_time.main([*argv, "--out", str(tmp_path)])
    assert list(table["classifier"]) == ["CNNClassifier", "InceptionTimeClassifier"]
    assert (table[["train_step_s", "predict_s"]] > 0).all().all()
    assert table["train_step_vs_inception"].iloc[1] == 1.0
    # The timed network is the one CNNClassifier trains on three such tasks.
    rng = np.random.default_rng(0)
    y = np.stack([rng.permutation(np.arange(40) % n) for n in (2, 4, 4)], axis=1)
    fitted = CNNClassifier(max_epochs=1, validation=None).fit(
        rng.normal(size=(40, 1, 64)), y
    )
    trained = sum(p.numel() for p in fitted.net_.module_.parameters())
    assert table["parameters"].iloc[0] == trained
    assert "--length 64" in (tmp_path / "summary.md").read_text()
    assert (table["forward_gflop"] > 0).all()
    assert all(hasattr(torch.ops.aten, op) for op in table["costliest_op"])
    assert table["costliest_op_share"].between(0, 1, inclusive="right").all()


def test_time_to_accuracy_sets_the_new_settings_beside_todays(tmp_path):
    from benchmarks.studies import time_to_accuracy

    argv = ["--models", "cnn", "--epochs", "1", "--out", str(tmp_path)]
    table = time_to_accuracy.main(argv)
    # Today's CNN, timed here, then its one-cycle twins from the suite's records.
    assert list(table["model"]) == ["cnn", "cnn-one-cycle", "cnn-fast"]
    assert list(table["schedule"]) == ["ReduceLROnPlateau", "OneCycleLR", "OneCycleLR"]
    assert list(table["precision"]) == ["float32", "float32", "bfloat16"]
    assert (table["fits"] == 9).all() and table["fraction_of_today"].iloc[0] == 1.0
    assert (table["fit_s"] > 0).all()
    assert "Machine:" in (tmp_path / "summary.md").read_text()


def test_dask_scaling_starts_workers_with_or_without_the_trim_threshold(monkeypatch):
    pytest.importorskip("dask.distributed")
    import os

    # As an earlier cluster in this process may have left it.
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    before = dict(os.environ)
    for malloc_trim, expected in ((True, "65536"), (False, None)):
        with dask_scaling.local_cluster(processes=True, malloc_trim=malloc_trim) as c:
            seen = c.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_")
            threads = c.run(lambda: __import__("torch").get_num_threads())
        assert set(seen.values()) == {expected}
        assert set(threads.values()) == {1}
        assert dict(os.environ) == before  # nothing leaks into this process


def test_adapt_holdout_adapts_on_other_recordings_than_it_scores(shared_cwru, capsys):
    from benchmarks.protocols import cwru_problem

    problem = cwru_problem("cross-sensor")
    _, _, test = problem.folds[0]
    groups = problem.groups[test]
    first, second = adapt_holdout.halves(problem.y[test], groups, seed=0)
    assert not set(groups[first]) & set(groups[second])
    assert len(first) + len(second) == len(test)
    table = adapt_holdout.main(["--seeds", "1"])
    assert list(table.index) == ["de-to-fe", "fe-to-de", "mean"]
    assert table.columns.tolist() == [
        "unadapted",
        "adapted on the other half",
        "adapted on the scored half",
    ]
    assert table.to_numpy().min() >= 0 and table.to_numpy().max() <= 1
    assert "adapted on the other half" in capsys.readouterr().out


def test_shift_monitor_warns_across_sensors_not_across_loads(shared_cwru, tmp_path):
    table = shift_monitor.main(
        ["--seeds", "1", "--records", str(tmp_path / "none"), "--out", str(tmp_path)]
    )
    warns = table.groupby("protocol")["warns"].all()
    assert (
        warns["cross-sensor"] and not table.query("protocol == 'lolo'")["warns"].any()
    )
    control = (tmp_path / "control.csv").read_text()
    assert "True" not in control  # held-out recordings never warn
    assert table["minirocket"].isna().all()  # no records: no score invented
    assert "## No shift" in (tmp_path / "summary.md").read_text()


def test_shaft_speed_compares_estimates_with_the_recorded_rpm(
    shared_cwru, monkeypatch, tmp_path
):
    monkeypatch.setattr(shaft_speed, "LENGTHS", (12000,))
    results = shaft_speed.main(["--results", str(tmp_path)])
    assert results["window_s"].tolist() == [1.0]
    assert results.loc[0, "within_1_percent"] > 0.9
    assert "the rpm each file records" in (tmp_path / "summary.md").read_text()


def test_vibration_selection_shares_fits_and_reads_old_records_at_defaults():
    from tsclf.classification import VibrationClassifier

    groups = vibration_selection.fit_groups(
        ["defaults", "gate_distance=2", "noisy_copies=0", "gate_distance=3"]
    )
    # Candidates that differ only where prediction reads share one fit.
    assert groups == [
        ["defaults", "gate_distance=2", "gate_distance=3"],
        ["noisy_copies=0"],
    ]
    settings = vibration_selection.settings_of(VibrationClassifier())
    key = vibration_selection.record_key(settings, False, "lolo", "load0", "load 1")
    # A record written before a setting existed reads it at its default...
    older = {k: v for k, v in settings.items() if k != "gate_distance"}
    assert (
        vibration_selection.record_key(older, False, "lolo", "load0", "load 1") == key
    )
    # ... and one of a setting the classifier no longer has matches nothing.
    gone = {**settings, "retired": 1}
    assert (
        vibration_selection.record_key(gone, False, "lolo", "load0", "load 1") is None
    )
    # A score made under an older behaviour of the same settings is not
    # read as today's.
    from benchmarks.behaviour import VERSIONS

    stale = VERSIONS["vibration"] - 1
    args = (settings, False, "lolo", "load0", "load 1")
    assert vibration_selection.record_key(*args, stale) != key


def test_the_out_of_core_study_measures_each_scale_in_a_process_of_its_own():
    from benchmarks.studies import out_of_core

    argv = ["--scales", "1", "2", "--models", "features", "--step", "6000"]
    table = out_of_core.main([*argv, "--repeats", "1"])
    assert list(table["scale"]) == [1, 1, 2, 2]
    assert list(table["storage"]) == ["disk", "memory"] * 2
    # Twice the recordings, twice the windows; every figure measured.
    assert (table["windows"].iloc[2:].to_numpy() == 2 * table["windows"].iloc[:2]).all()
    assert (table["peak_rss_mb"] > 0).all()
    assert (table["fit_predict_windows_per_s"] > 0).all()
