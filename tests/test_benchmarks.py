"""The benchmark runner: protocols, caching, outputs."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("psutil")

import dataclasses

from benchmarks import cache, execute, report, run, suites
from benchmarks.measure import PeakMemory, run_fold
from benchmarks.models import MODELS, Context
from benchmarks.protocols import Problem, cwru_problem, ucr_problem
from tsclf.classification import MLPClassifier
from tsclf.metrics import joint_accuracy
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
    assert leaky.fit_groups is None
    # The leaky split shares recordings between train and test, by design.
    assert set(leaky.groups[train]) & set(leaky.groups[test])
    gunpoint = ucr_problem("GunPoint")
    ((_, train, test),) = gunpoint.folds
    assert (len(train), len(test)) == (50, 150)
    assert gunpoint.tasks == ["class"]


def test_deep_models_validate_on_blocks_of_their_training_recordings():
    lolo = cwru_problem("lolo")
    blocks = pd.Series(lolo.fit_groups)
    # Each block lies inside one group (a recording, or a third of the lone
    # normal recording), and each of the 30 groups has five blocks.
    parent = blocks.str.rsplit("#", n=1).str[0]
    assert (parent == lolo.groups).all()
    blocks_per_group = blocks.drop_duplicates().str.rsplit("#", n=1).str[0]
    assert (blocks_per_group.value_counts() == 5).all()
    assert blocks_per_group.nunique() == 30
    for _, train, test in lolo.folds:
        assert not set(blocks[train]) & set(blocks[test])


def test_suites_are_parts_narrowed_by_the_command_line():
    full = suites.plan_units("full")
    lolo = [unit for unit in full if unit[0] == "lolo"]
    assert {model for _, _, model, _ in lolo} == set(suites.ALL_CWRU)
    leaky_models = {model for protocol, _, model, _ in full if protocol == "leaky"}
    assert leaky_models == set(suites.BASELINES + suites.QUICK_DEEP)
    plaid = {model for _, dataset, model, _ in full if dataset == "PLAID"}
    assert plaid == {"minirocket", "cesium-rf"}
    assert len({unit for unit in full if unit[2] == "inception"}) == 1 + 5 * 3
    narrowed = suites.plan_units("full", protocols=("ucr",), seeds=1)
    assert {unit[0] for unit in narrowed} == {"ucr"}
    assert {unit[3] for unit in narrowed} == {0}
    config = run.parse_args(
        ["--protocols", "ucr", "--models", "inception", "--datasets", "PLAID"]
    )
    chosen = suites.plan_units(
        config.suite,
        protocols=config.protocols,
        models=config.models,
        datasets=config.datasets,
    )
    assert chosen == [("ucr", "PLAID", "inception", seed) for seed in range(3)]


def test_held_out_curve_is_recorded_without_touching_training():
    lolo = cwru_problem("lolo")
    rng = np.random.default_rng(0)
    _, train, test = lolo.folds[2]
    train = np.sort(rng.choice(train, 300, replace=False))
    test = np.sort(rng.choice(test, 200, replace=False))
    problem = Problem("CWRU", "lolo", lolo.X, lolo.y, lolo.tasks)
    problem.fit_groups = lolo.fit_groups

    def mlp():
        # No early stopping: the weights kept are the last epoch's.
        return MLPClassifier(max_epochs=3, early_stopping_patience=None, random_state=0)

    with_curve = run_fold(mlp(), problem, train, test, deep=True, curve=True)
    without = run_fold(mlp(), problem, train, test, deep=True)
    assert len(with_curve["curve"]) == with_curve["epochs"] == 3
    assert with_curve["curve"][-1] == pytest.approx(with_curve["joint_acc"])
    assert with_curve["last5_min"] == min(with_curve["curve"])
    assert "curve" not in without
    assert with_curve["predicted"] == without["predicted"]
    assert with_curve["joint_acc"] == joint_accuracy(
        problem.y[test], np.array(without["predicted"])
    )


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="frees memory with glibc")
def test_peak_memory_counts_memory_that_earlier_work_freed():
    # Once glibc has raised its mmap threshold (after the first round),
    # freed 4 MB blocks below small live objects stay with the process, and
    # a later allocation of the same size reuses them without the resident
    # size growing.
    small = []
    for _ in range(2):
        blocks = []
        for _ in range(50):
            blocks.append(np.ones((500, 1000)))
            small.append(np.ones(2000))
        del blocks
    with PeakMemory() as memory:
        later = [np.ones((500, 1000)) for _ in range(25)]  # 100 MB
        time.sleep(0.1)  # let the sampling thread see it
        del later
    assert memory.peak_mb > 75


def test_cwru_table_names_the_devices_the_fits_ran_on():
    rows = pd.DataFrame(
        {
            "model": ["a", "a", "b", "b"],
            "family": ["deep"] * 4,
            "seed": [0, 0, 0, 0],
            "joint_acc": [0.9, 0.8, 0.7, 0.6],
            "fit_s": [1.0, 3.0, 2.0, 2.0],
            "device": ["cuda:0", "cpu", None, "cpu"],
        }
    )
    table = report.cwru_table(rows).set_index("model")
    assert table.loc["a", "device"] == "cpu+cuda"
    assert table.loc["b", "device"] == "cpu"  # rows from before devices were kept
    assert table.loc["a", "fit_s"] == 2.0


def test_fold_table_gives_each_fold_and_the_settling_range():
    results = pd.DataFrame(
        {
            "model": ["a", "a", "b", "b"],
            "fold": ["load0", "load1", "load0", "load1"],
            "joint_acc": [0.9, 0.7, 0.95, 0.85],
            "last5_min": [np.nan, np.nan, 0.9, 0.8],
            "last5_max": [np.nan, np.nan, 0.96, 0.86],
        }
    )
    table = report.fold_table(results)
    assert list(table["model"]) == ["b", "a"]
    assert table.loc[0, "mean"] == pytest.approx(0.9)
    assert table.loc[0, "load1, last 5 epochs"] == "0.800 to 0.860"
    assert table.loc[1, "load0, last 5 epochs"] == ""
    # A model with a fold still to run has no mean.
    partial = report.fold_table(results.drop(index=2))
    assert partial.set_index("model").loc["b", "mean"] == ""
    assert list(partial["model"]) == ["a", "b"]


def test_runner_writes_tables_figures_and_reuses_its_cache(
    tmp_path, monkeypatch, capsys
):
    args = ["--models", "cesium-rf", "--results", str(tmp_path), "--n-jobs", "1"]
    results = run.main(args)
    assert list(results["fold"]) == ["load0", "load1", "load2"]
    assert results["joint_acc"].mean() > 0.85  # 0.920 measured
    assert (results["peak_mb"] >= 0).all() and (results["fit_s"] > 0).all()
    out = tmp_path / "quick"
    summary = (out / "summary.md").read_text()
    assert "## CWRU, lolo protocol" in summary and "cesium-rf" in summary
    assert (out / "cwru_lolo_accuracy_vs_time.png").stat().st_size > 0
    assert (out / "cwru_lolo_confusion.png").stat().st_size > 0
    assert len(pd.read_csv(out / "results.csv")) == 3
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 3

    def refuse(*args, **kwargs):
        raise AssertionError("a cached result was recomputed")

    monkeypatch.setattr(execute, "run_fold", refuse)
    again = run.main(args)
    np.testing.assert_allclose(again["joint_acc"], results["joint_acc"])
    # With a model not run yet: --plan counts, --cached-only reports the rest.
    wider = ["--models", "cesium-rf", "spectral-rf", *args[2:]]
    planned = run.main([*wider, "--plan"])
    assert planned.groupby("model")["cached"].sum().to_dict() == {
        "cesium-rf": 3,
        "spectral-rf": 0,
    }
    # It adds up the fit time the cached fits took, from their cache files.
    np.testing.assert_allclose(planned["fit_s"].sum(), results["fit_s"].sum())
    nothing = run.main([*wider, "--cached-only", "--results", str(tmp_path / "new")])
    assert nothing.empty
    assert "None of its 6 fits is cached yet." in capsys.readouterr().out
    partial = run.main([*wider, "--cached-only"])
    assert list(partial["model"]) == ["cesium-rf"] * 3
    summary = (out / "summary.md").read_text()
    assert "Partial: 3 of the 6 fits" in summary
    hours = results["fit_s"].sum() / 3600
    assert f"Fit time of these 3 fits: {hours:.2f} h in all." in summary


def test_a_fit_another_run_finished_meanwhile_is_read_not_redone(tmp_path, monkeypatch):
    args = run.parse_args(["--models", "cesium-rf", "--results", str(tmp_path)])
    path = tmp_path / "cache" / "unit.json"
    unit = execute.Unit("lolo", "CWRU", "cesium-rf", 0, "load0", path)
    path.parent.mkdir(parents=True)
    path.write_text('{"joint_acc": 0.5}')  # written by a concurrent run

    def refuse(*args, **kwargs):
        raise AssertionError("a finished fit was redone")

    monkeypatch.setattr(execute, "run_fold", refuse)
    assert execute.fit_unit(unit, args) == {"joint_acc": 0.5}
    args = dataclasses.replace(args, no_cache=True)
    with pytest.raises(AssertionError, match="redone"):
        execute.fit_unit(unit, args)


def test_a_fit_another_run_is_doing_is_left_to_it(tmp_path, monkeypatch, capsys):
    import os
    import socket

    args = run.parse_args(["--models", "cesium-rf", "--results", str(tmp_path)])
    unit = run.units_of(args)[0]
    claim = unit.path.with_suffix(".running")
    claim.parent.mkdir(parents=True)
    fitted = []

    def fake_fit(*args, **kwargs):
        fitted.append(claim.read_text())  # the claim is held during the fit
        return {"joint_acc": 0.5, "fit_s": 1.0}

    monkeypatch.setattr(execute, "run_fold", fake_fit)
    # Another run of this host, alive, is fitting it: left out, and said so.
    claim.write_text(f"{socket.gethostname()} {os.getppid()}")
    assert execute.fit_unit(unit, args) is None
    plan = run.run(dataclasses.replace(args, plan=True))
    assert plan["running"].tolist() == [1, 0, 0]
    results = run.run(args)
    assert len(results) == 2 and results.attrs["missing"] == 1
    assert "1 fits were under way in another run" in capsys.readouterr().err
    assert claim.exists() and len(fitted) == 2  # the other two folds
    # A model and its adapted twin share one fit: a claim on either holds it.
    pair = ["spectral-rf-scaled", "spectral-rf-scaled-adapted"]
    twins = run.parse_args(["--models", *pair, "--results", str(tmp_path / "twins")])
    units = {
        unit.model: unit for unit in run.units_of(twins) if unit.fold_name == "load0"
    }
    twin_claim = units[pair[1]].path.with_suffix(".running")
    twin_claim.parent.mkdir(parents=True)
    twin_claim.write_text(f"{socket.gethostname()} {os.getppid()}")
    assert execute.fit_unit(units[pair[0]], twins) is None
    assert not units[pair[0]].path.with_suffix(".running").exists()
    twin_claim.unlink()
    # Its process died without removing the claim (kill -9): taken over.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    )
    claim.write_text(f"{socket.gethostname()} {dead.stdout.strip()}")
    assert execute.fit_unit(unit, args)["joint_acc"] == 0.5
    assert fitted[-1] == f"{socket.gethostname()} {os.getpid()}"
    # Claims go with the fit, whether it ends well or not.
    assert not list(tmp_path.rglob("*.running"))
    monkeypatch.setattr(execute, "run_fold", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        execute.fit_unit(unit, dataclasses.replace(args, no_cache=True))
    assert not list(tmp_path.rglob("*.running"))


def test_one_fit_scores_a_model_and_its_adapted_twin(tmp_path, monkeypatch):
    common = ["--folds", "load0", "--max-epochs", "1", "--seeds", "1"]
    plain = run.main(
        ["--models", "cnn-spectrogram", *common, "--results", str(tmp_path / "a")]
    )
    twin = run.main(
        ["--models", "cnn-spectrogram-adabn", *common, "--results", str(tmp_path / "b")]
    )
    # Each run cached both results, from one fit.
    for folder in ("a", "b"):
        names = sorted(
            p.name.split("__")[0] for p in (tmp_path / folder).rglob("*.json")
        )
        assert names == ["cnn-spectrogram", "cnn-spectrogram-adabn"]

    def refuse(*args, **kwargs):
        raise AssertionError("a twin's cached result was fitted again")

    monkeypatch.setattr(execute, "run_fold", refuse)
    twin_from_plain = run.main(
        ["--models", "cnn-spectrogram-adabn", *common, "--results", str(tmp_path / "a")]
    )
    plain_from_twin = run.main(
        ["--models", "cnn-spectrogram", *common, "--results", str(tmp_path / "b")]
    )
    # Training is seeded and predicting leaves the fit alone, so the result
    # a twin's fit cached is the one a fit of its own gives.
    for ours, theirs in ((twin_from_plain, twin), (plain_from_twin, plain)):
        assert ours["predicted"].tolist() == theirs["predicted"].tolist()
        assert ours["epochs"].tolist() == theirs["epochs"].tolist()
    assert twin["predicted"].tolist() != plain["predicted"].tolist()


def test_workers_and_a_dask_cluster_give_the_same_rows_in_order(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    args = ["--models", "spectral-rf", "--n-jobs", "1"]
    one = run.main([*args, "--results", str(tmp_path / "one")])
    two = run.main([*args, "--results", str(tmp_path / "two"), "--workers", "2"])
    with distributed.LocalCluster(n_workers=2, processes=False) as cluster:
        address = cluster.scheduler_address
        on_dask = run.main(
            [*args, "--results", str(tmp_path / "d"), "--scheduler", address]
        )
    for other in (two, on_dask):
        assert list(other["model"]) == list(one["model"])
        assert list(other["fold"]) == list(one["fold"])
        np.testing.assert_array_equal(other["joint_acc"], one["joint_acc"])
        assert other["predicted"].tolist() == one["predicted"].tolist()


def test_the_command_line_runs_fits_on_worker_processes(tmp_path):
    # Under ``python -m`` the runner is ``__main__``, which worker processes
    # cannot import; calling ``run.main`` in-process would not catch that.
    command = ["-m", "benchmarks.run", "--models", "spectral-rf", "--n-jobs", "1"]
    completed = subprocess.run(
        [sys.executable, *command, "--workers", "2", "--results", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results = pd.read_csv(tmp_path / "quick" / "results.csv")
    assert list(results["fold"]) == ["load0", "load1", "load2"]
    assert "| spectral-rf" in completed.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_kill_stops_the_worker_processes_too(tmp_path):
    import signal

    import psutil

    # Two ResNet fits of many epochs on GunPoint: both workers are busy for
    # minutes when the runner is killed.
    command = [sys.executable, "-m", "benchmarks.run", "--protocols", "ucr"]
    command += ["--datasets", "GunPoint", "--models", "resnet", "--seeds", "2"]
    log = tmp_path / "stderr.txt"
    workers: list[psutil.Process] = []
    with log.open("w") as stderr:
        runner = subprocess.Popen(
            [*command, "--workers", "2", "--results", str(tmp_path / "results")],
            cwd=Path(__file__).resolve().parents[1],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
            workers = [
                child
                for child in psutil.Process(runner.pid).children(recursive=True)
                if "popen_loky" in " ".join(child.cmdline())
            ]
        assert len(workers) >= 2, "the runner never started its workers"
        time.sleep(3)  # let the fits start
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=60)
        _, alive = psutil.wait_procs(workers, timeout=30)
    finally:  # a failed run leaves nothing behind
        if runner.poll() is None:
            runner.kill()
        for worker in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                worker.kill()
    assert not alive, f"workers left running: {[p.pid for p in alive]}"
    assert runner.returncode == 130, log.read_text()
    assert "Interrupted" in log.read_text()
    assert not list(tmp_path.rglob("*.json")), "no fit can have finished"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_kill_during_a_fit_in_the_runner_process_caches_nothing(tmp_path):
    import signal

    # skorch ends a fit quietly on KeyboardInterrupt; the runner turned kill
    # into one, and so cached half-trained fits as finished ones.
    command = [sys.executable, "-m", "benchmarks.run", "--protocols", "ucr", "-v"]
    command += ["--datasets", "GunPoint", "--models", "resnet", "--seeds", "1"]
    command += ["--max-epochs", "500", "--results", str(tmp_path / "results")]
    runner = subprocess.Popen(
        command,
        cwd=Path(__file__).resolve().parents[1],
        # Unbuffered, the epoch rows arrive as they are printed: block-buffered,
        # they came at exit, after early stopping had ended a short fit.
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        epochs = 0
        for line in runner.stdout:  # skorch's table: a row per epoch
            epochs += line.split()[:1] != [] and line.split()[0].isdigit()
            if epochs == 2:
                break
        assert epochs == 2, "the fit never started training"
        runner.send_signal(signal.SIGTERM)
        _, stderr = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode == 130, stderr
    assert not list(tmp_path.rglob("*.json")), "an interrupted fit was cached"


def test_cache_key_follows_the_settings_that_change_results():
    problem = cwru_problem("lolo")
    args = run.parse_args(["--suite", "full", "--max-epochs", "1"])
    short = execute.build("mlp", problem, 0, 100, args)
    args = run.parse_args(["--suite", "full", "--max-epochs", "2"])
    longer = execute.build("mlp", problem, 0, 100, args)
    assert short.max_epochs == 1 and longer.max_epochs == 2
    assert cache.fingerprint(short) != cache.fingerprint(longer)
    # Parallelism and device do not change results: same key.
    assert cache.fingerprint(short) == cache.fingerprint(short.set_params(device="cpu"))
    # So do the validation blocks a deep model is given.
    blocks = problem.fit_groups[:100]
    assert cache.fingerprint(short, blocks) != cache.fingerprint(short, blocks[::-1])


def test_cache_key_follows_the_network_defaults(monkeypatch):
    # A network hyperparameter left at its default is not among the
    # estimator's settings; changing that default must still miss the cache.
    from tsclf.networks import MLP

    problem = cwru_problem("lolo")
    args = run.parse_args(["--suite", "full"])
    before = cache.fingerprint(execute.build("mlp", problem, 0, 100, args))
    assert before == cache.fingerprint(execute.build("mlp", problem, 0, 100, args))
    hidden_sizes, dropout = MLP.__init__.__defaults__
    monkeypatch.setattr(MLP.__init__, "__defaults__", (hidden_sizes, dropout + 0.1))
    assert cache.fingerprint(execute.build("mlp", problem, 0, 100, args)) != before


def test_ucr_settings_follow_dl4tsc_for_tiny_training_sets():
    context = Context(1.0, 0, 1, "cpu", "full", "ucr", n_train=50)
    resnet = MODELS["resnet"].build(context)
    assert resnet.batch_size == 5 and resnet.validation is None
    quick = MODELS["resnet"].build(
        Context(1.0, 0, 1, "cpu", "quick", "lolo", n_train=2000)
    )
    assert quick.max_epochs == 3


def test_fcn_is_dl4tsc_fcn_at_full_resolution():
    import torch

    context = Context(1.0, 0, 1, "cpu", "full", "ucr", n_train=12)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 1, 40)), np.repeat(["a", "b"], 6)
    network = MODELS["fcn"].build(context).set_params(max_epochs=1).fit(X, y)
    network = network.net_.module_
    convolutions = [m for m in network.modules() if isinstance(m, torch.nn.Conv1d)]
    shapes = [(conv.out_channels, conv.kernel_size[0]) for conv in convolutions]
    assert shapes == [(128, 8), (256, 5), (128, 3)]
    dropouts = [m.p for m in network.modules() if isinstance(m, torch.nn.Dropout)]
    assert not any(dropouts)
    before_average = network.features[:-3]  # average, flatten, dropout
    assert before_average(torch.zeros(2, 1, 40)).shape == (2, 128, 40)


def test_published_gaps():
    results = pd.DataFrame(
        {
            "dataset": ["GunPoint", "GunPoint", "ArrowHead"],
            "model": ["resnet", "resnet", "cnn"],
            "acc_class": [0.98, 0.99, 0.8],
        }
    )
    gaps = report.published_gaps(results)
    assert len(gaps) == 1  # cnn has no published twin
    row = gaps.iloc[0]
    assert row["published"] == pytest.approx(0.991)
    assert row["gap (points)"] == pytest.approx(100 * (0.985 - 0.991))


def test_verbose_runs_print_deep_epochs_and_leave_pipelines_alone(tmp_path, capsys):
    # -v used to call Pipeline.set_params(verbose=1) on the classical models.
    args = ["--models", "spectral-rf", "mlp", "--folds", "load0", "--n-jobs", "1"]
    results = run.main([*args, "--max-epochs", "1", "-v", "--results", str(tmp_path)])
    assert sorted(results["model"]) == ["mlp", "spectral-rf"]
    assert "train_loss" in capsys.readouterr().out


def test_result_columns_are_identifiers(tmp_path):
    results = run.main(
        ["--models", "spectral-rf", "--n-jobs", "1", "--results", str(tmp_path)]
    )
    written = pd.read_csv(tmp_path / "quick" / "results.csv")
    assert all(column.isidentifier() for column in written.columns), written.columns
    assert len(results) == 3


def test_cache_key_follows_the_visible_defaults(monkeypatch):
    # Every default shown by get_params is part of the key: the scheduler's
    # policy included, which the engine used to inject out of sight.
    import functools

    from torch.optim.lr_scheduler import ReduceLROnPlateau

    problem = cwru_problem("lolo")
    config = run.parse_args(["--suite", "full"])
    estimator = execute.build("cnn", problem, 0, 100, config)
    before = cache.fingerprint(estimator)
    other = functools.partial(ReduceLROnPlateau, factor=0.5, patience=4)
    assert cache.fingerprint(estimator.set_params(lr_scheduler=other)) != before


def test_cache_key_follows_the_defaults_inside_a_list_setting(monkeypatch):
    # repr() hides a transform's default parameters; the key must not.
    from tsclf.augmentation import AdditiveNoise

    problem = cwru_problem("lolo")
    config = run.parse_args(["--suite", "shift"])
    before = cache.fingerprint(execute.build("cnn-robust", problem, 0, 100, config))
    (ratio, p) = AdditiveNoise.__init__.__defaults__
    monkeypatch.setattr(AdditiveNoise.__init__, "__defaults__", (ratio, p / 2))
    after = cache.fingerprint(execute.build("cnn-robust", problem, 0, 100, config))
    assert after != before


def test_point_labels_of_the_time_figure_do_not_overlap():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from benchmarks.report import plot_accuracy_vs_fit_time

    # Five models within a hair of each other: their labels would pile up.
    results = pd.DataFrame(
        {
            "model": [f"model-{i}" for i in range(5)],
            "family": ["deep"] * 5,
            "joint_acc": [0.900, 0.901, 0.902, 0.9005, 0.9015],
            "fit_s": [100.0, 101.0, 102.0, 100.5, 101.5],
        }
    )
    figure = plot_accuracy_vs_fit_time(results, "joint_acc", "crowded")
    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [text.get_window_extent(renderer) for text in figure.axes[0].texts]
    assert len(boxes) == 5
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])
