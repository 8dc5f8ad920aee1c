"""Data-parallel training here: epoch throughput and accuracy, one process vs N.

Trains the full suite's deep models (their defaults) on one fold of CWRU
leave-one-load-out for a fixed number of epochs (early stopping off, so
every run does the same work), once in one process and once in each
process count asked for, each process with one torch thread, launched
by ``torchrun`` with ``distributed=True``. The global batch is the same
in every run. Prints per model and process count:

- training windows per second over a whole epoch (the training pass and
  the validation pass, median over the epochs after the first) and its
  ratio to one process's;
- the held-out joint accuracy after those epochs.

Writes ``results.csv`` and ``summary.md`` to ``--out``.

Usage::

    TSCLF_SHARED=../shared python -m benchmarks.studies.data_parallel_speed
        [--models cnn lite] [--processes 2] [--epochs 6] [--fold load0]
        [--out docs/results/data-parallel]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context
from benchmarks.outputs import provenance, save_side_results
from benchmarks.protocols import load_problem

MODULE = "benchmarks.studies.data_parallel_speed"


def fit_here(model: str, epochs: int, fold_name: str, seed: int, out: Path) -> None:
    """One process's part: fit, score, and (rank 0) write the row to ``out``."""
    import torch

    torch.set_num_threads(1)
    n_processes = int(os.environ.get("WORLD_SIZE", 1))
    problem = load_problem("lolo", "CWRU")
    _, train, test = next(f for f in problem.folds if f[0] == fold_name)
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=seed,
        n_jobs=1,
        device="cpu",
        suite="full",
        protocol=problem.protocol,
        n_train=len(train),
    )
    estimator = MODELS[model].build(context)
    estimator.set_params(distributed=n_processes > 1)
    if epochs:  # a fixed number of epochs; 0 keeps the model's own training
        estimator.set_params(max_epochs=epochs, early_stopping_patience=None)
    row = run_fold(estimator, problem, train, test, deep=True)
    if int(os.environ.get("RANK", 0)) != 0:
        return
    durations = estimator.history_[1:, "dur"]  # the first epoch warms up
    # The history holds each whole batch's size (every process's share).
    batches = estimator.history_[-1, "batches"]
    n_trained = sum(b.get("train_batch_size", 0) for b in batches)
    out.write_text(
        json.dumps(
            {
                "model": model,
                "seed": seed,
                "processes": n_processes,
                "threads_per_process": torch.get_num_threads(),
                "s_per_epoch": float(np.median(durations)),
                "windows_per_epoch": int(n_trained),
                "epochs": len(estimator.history_),
                "joint_accuracy": row["joint_acc"],
            }
        )
    )


def launch(model: str, n_processes: int, seed: int, args) -> dict:
    """Run :func:`fit_here` in ``n_processes`` processes; return rank 0's row."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "row.json"
        worker = [
            "-m",
            MODULE,
            "--worker",
            "--models",
            model,
            "--epochs",
            str(args.epochs),
            "--fold",
            args.fold,
            "--seed",
            str(seed),
            "--out",
            str(out),
        ]
        if n_processes == 1:
            command = [sys.executable, *worker]
        else:
            command = [
                sys.executable,
                "-m",
                "torch.distributed.run",
                "--standalone",
                f"--nproc_per_node={n_processes}",
                *worker,
            ]
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        subprocess.run(command, env=env, check=True)
        return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> pd.DataFrame | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["cnn", "lite"])
    parser.add_argument("--processes", nargs="+", type=int, default=[2])
    parser.add_argument(
        "--epochs",
        type=int,
        default=6,
        help="epochs per fit, early stopping off; 0: the model's own training",
    )
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--fold", default="load0")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        fit_here(args.models[0], args.epochs, args.fold, args.seed, args.out)
        return None
    rows = []
    for model in args.models:
        for seed in range(args.seed, args.seed + args.seeds):
            for n_processes in [1, *args.processes]:
                rows.append(launch(model, n_processes, seed, args))
                print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    table["windows_per_s"] = table["windows_per_epoch"] / table["s_per_epoch"]
    alone = table[table["processes"] == 1].set_index(["model", "seed"])
    table["speedup"] = table["windows_per_s"] / np.array(
        [
            alone.loc[(model, seed), "windows_per_s"]
            for model, seed in zip(table["model"], table["seed"], strict=True)
        ]
    )
    summary = table.groupby(["model", "processes"], sort=False).agg(
        windows_per_s=("windows_per_s", "mean"),
        speedup=("speedup", "mean"),
        epochs=("epochs", "mean"),
        joint_accuracy=("joint_accuracy", "mean"),
        joint_accuracy_sd=("joint_accuracy", "std"),
    )
    training = (
        f"{args.epochs} epochs each, early stopping off"
        if args.epochs
        else "each model's own training (early stopping on)"
    )
    text = (
        f"{provenance(MODULE, argv)}\n\n"
        f"CWRU leave-one-load-out, held-out {args.fold}; {training}; seeds "
        f"{args.seed} to {args.seed + args.seeds - 1}; one torch thread per "
        "process, the same global batch in every run; windows/s over whole "
        "epochs (training and validation passes, median after the first).\n\n"
        f"{summary.reset_index().to_markdown(index=False, floatfmt='.3f')}\n\n"
        f"Every fit:\n\n{table.to_markdown(index=False, floatfmt='.3f')}\n"
    )
    save_side_results(table, text, args.out)
    return table


if __name__ == "__main__":
    main()
