"""The benchmark runner as a process: its record of fits, the claims of runs
that share it, worker processes and a Dask cluster, and being killed."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("psutil")

from benchmarks import execute, run
from benchmarks.store import Store


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
    assert len(Store(tmp_path / "records" / "quick.jsonl.gz")) == 3

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
    # It adds up the fit time the recorded fits took, from their records.
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
    unit = execute.Unit("lolo", "CWRU", "cesium-rf", 0, "load0", "unit")
    execute.store_at(args.store_path).sync()  # this run's view of the store
    # Written by a concurrent run, through a store of its own.
    Store(args.store_path).put("unit", {"joint_acc": 0.5})

    def refuse(*args, **kwargs):
        raise AssertionError("a finished fit was redone")

    monkeypatch.setattr(execute, "run_fold", refuse)
    assert execute.fit_unit(unit, args) == {"joint_acc": 0.5}
    args = dataclasses.replace(args, no_cache=True)
    with pytest.raises(AssertionError, match="redone"):
        execute.fit_unit(unit, args)


def test_a_fit_another_run_is_doing_is_left_to_it(tmp_path, monkeypatch, capsys):
    import socket

    args = run.parse_args(["--models", "cesium-rf", "--results", str(tmp_path)])
    unit = run.units_of(args)[0]
    store = execute.store_at(args.store_path)
    claim = store._claim_file(unit.key)
    claim.parent.mkdir(parents=True)
    fitted = []

    def fake_fit(*args, **kwargs):
        fitted.append(claim.read_text())  # the claim is held during the fit
        return {"joint_acc": 0.5, "fit_s": 1.0}

    monkeypatch.setattr(execute, "run_fold", fake_fit)
    # Another run of this host, alive, is fitting it: left out, and said so.
    claim.write_text(f"{socket.gethostname()} {os.getppid()} {unit.key}")
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
    twin_store = execute.store_at(twins.store_path)
    twin_claim = twin_store._claim_file(units[pair[1]].key)
    twin_claim.parent.mkdir(parents=True)
    twin_claim.write_text(f"{socket.gethostname()} {os.getppid()} twin")
    assert execute.fit_unit(units[pair[0]], twins) is None
    assert not twin_store._claim_file(units[pair[0]].key).exists()
    twin_claim.unlink()
    # Its process died without removing the claim (kill -9): taken over.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    )
    claim.write_text(f"{socket.gethostname()} {dead.stdout.strip()} {unit.key}")
    assert execute.fit_unit(unit, args)["joint_acc"] == 0.5
    assert fitted[-1] == f"{socket.gethostname()} {os.getpid()} {unit.key}"
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
    # Each run recorded both results, from one fit.
    for folder in ("a", "b"):
        store = Store(tmp_path / folder / "records" / "quick.jsonl.gz")
        names = sorted(store.get(key)["model"] for key in store)
        assert names == ["cnn-spectrogram", "cnn-spectrogram-adabn"]

    def refuse(*args, **kwargs):
        raise AssertionError("a twin's recorded result was fitted again")

    monkeypatch.setattr(execute, "run_fold", refuse)
    twin_from_plain = run.main(
        ["--models", "cnn-spectrogram-adabn", *common, "--results", str(tmp_path / "a")]
    )
    plain_from_twin = run.main(
        ["--models", "cnn-spectrogram", *common, "--results", str(tmp_path / "b")]
    )
    # Training is seeded and predicting leaves the fit alone, so the result
    # a twin's fit recorded is the one a fit of its own gives.
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
    import psutil

    # Two ResNet fits on GunPoint at the full suite's UCR settings (up to 500
    # epochs; the quick suite's are 3): about half a minute each here, so
    # both workers are still busy when the runner is killed.
    command = [sys.executable, "-m", "benchmarks.run", "--suite", "full"]
    command += ["--protocols", "ucr", "--datasets", "GunPoint"]
    command += ["--models", "resnet", "--seeds", "2"]
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
    assert not list(tmp_path.rglob("*.jsonl.gz")), "no fit can have finished"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_kill_during_a_fit_in_the_runner_process_records_nothing(tmp_path):
    # skorch ends a fit quietly on KeyboardInterrupt; the runner turned kill
    # into one, and so recorded half-trained fits as finished ones.
    # The full suite's UCR settings: up to 500 epochs, stopping after 50
    # without improvement (the quick suite's 3 epochs left one after the
    # signal, and the fit could end first).
    command = [sys.executable, "-m", "benchmarks.run", "--suite", "full", "-v"]
    command += ["--protocols", "ucr", "--datasets", "GunPoint"]
    command += ["--models", "resnet", "--seeds", "1"]
    command += ["--results", str(tmp_path / "results")]
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
    assert not list(tmp_path.rglob("*.jsonl.gz")), "an interrupted fit was recorded"
