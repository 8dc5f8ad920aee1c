"""Mixed precision on this machine: seconds per epoch and accuracy, float32 vs bfloat16.

Trains the full suite's ``resnet`` and ``inception`` (their defaults) on
one fold of CWRU leave-one-load-out, once per precision, with the same
seed and a fixed number of epochs (early stopping off, so every precision
does the same work), and prints per model and precision:

- the median seconds per epoch (training and validation passes) and its
  ratio to float32's;
- the held-out accuracy per task and the joint accuracy after those
  epochs.

bfloat16 pays off on CPUs with AVX512-BF16 or AMX and on recent GPUs;
elsewhere autocast emulates it and runs slower. ``lscpu | grep bf16``
tells. Writes ``results.csv`` and ``summary.md`` to ``--out``.

Usage::

    python -m benchmarks.studies.precision_speed [--models resnet inception]
        [--epochs 8] [--fold load0] [--precisions float32 bfloat16]
        [--device auto] [--n-windows N] [--out docs/results/precision]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context
from benchmarks.outputs import provenance, save_side_results
from benchmarks.protocols import load_problem


def fit_once(model: str, precision: str, fold, problem, args) -> dict:
    """Fit one model at one precision for ``args.epochs`` epochs and score it."""
    _, train, test = fold
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=args.seed,
        n_jobs=1,
        device=args.device,
        suite="full",
        protocol=problem.protocol,
        n_train=len(train),
    )
    estimator = MODELS[model].build(context)
    estimator.set_params(
        precision=precision, max_epochs=args.epochs, early_stopping_patience=None
    )
    row = run_fold(estimator, problem, train, test, deep=True)
    durations = estimator.history_[:, "dur"]
    return {
        "model": model,
        "precision": precision,
        "s_per_epoch": float(np.median(durations)),
        "epochs": len(durations),
        **{k: v for k, v in row.items() if k.startswith(("acc_", "joint"))},
        "fit_s": row["fit_s"],
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["resnet", "inception"])
    parser.add_argument("--precisions", nargs="+", default=["float32", "bfloat16"])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--fold", default="load0")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--n-windows",
        type=int,
        default=None,
        help="N training and test windows at random",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    import torch

    problem = load_problem("lolo", "CWRU")
    fold = next(f for f in problem.folds if f[0] == args.fold)
    if args.n_windows:
        rng = np.random.default_rng(args.seed)
        name, train, test = fold
        fold = (
            name,
            *(
                np.sort(rng.choice(part, args.n_windows, replace=False))
                for part in (train, test)
            ),
        )
    rows = []
    for model in args.models:
        for precision in args.precisions:
            rows.append(fit_once(model, precision, fold, problem, args))
            print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    base = table[table["precision"] == "float32"].set_index("model")["s_per_epoch"]
    table["time_ratio_to_float32"] = table["s_per_epoch"] / table["model"].map(base)
    text = (
        f"{provenance('benchmarks.studies.precision_speed', argv)}; "
        f"{torch.get_num_threads()} torch threads, device {args.device}\n\n"
        f"CWRU leave-one-load-out, held-out {args.fold}; {args.epochs} epochs each, "
        "early stopping off, seed "
        f"{args.seed}.\n\n{table.to_markdown(index=False, floatfmt='.3f')}\n"
    )
    save_side_results(table, text, args.out)
    return table


if __name__ == "__main__":
    main()
