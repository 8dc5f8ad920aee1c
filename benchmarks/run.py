"""Main job: classical baselines on the embedded CWRU data, leave-one-load-out.

Loads the 28 embedded CWRU recordings, resamples them to 12 kHz, cuts
non-overlapping 1200-sample windows, and scores each classical pipeline of
:mod:`benchmarks.models` (cesium + RandomForest, cesium + SVC, spectral +
RandomForest) under leave-one-load-out cross-validation (normal baseline
cut into three blocks spread over the folds). Prints per-task accuracy and
macro-F1, joint 10-class accuracy and fit time per fold, then a summary.

Usage::

    python -m benchmarks.run [--models cesium-rf cesium-svc spectral-rf]
        [--n-jobs N] [--seed N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import cross_validate

from benchmarks.models import CLASSICAL
from tsclf.datasets import TASKS, load_cwru_windows
from tsclf.metrics import multitask_scoring
from tsclf.model_selection import LeaveOneConditionOut, assert_no_leakage


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-jobs", type=int, default=-1, help="parallel jobs")
    parser.add_argument(
        "--models", nargs="+", choices=list(CLASSICAL), default=list(CLASSICAL)
    )
    parser.add_argument("--seed", type=int, default=0, help="random_state")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    args = parse_args(argv)
    windows = load_cwru_windows()
    conditions = windows.metadata["condition"].to_numpy()
    print(
        f"CWRU (embedded): {len(windows)} windows of {windows.length} samples at "
        f"{windows.sampling_rate:g} Hz from {windows.metadata['recording'].nunique()} "
        f"recordings ({len(np.unique(windows.groups))} groups)"
    )
    cv = LeaveOneConditionOut(conditions)
    for train, test in cv.split(windows.X, groups=windows.groups):
        assert_no_leakage(
            train,
            test,
            windows.groups,
            recordings=windows.metadata["recording"].to_numpy(),
            starts=windows.starts,
            length=windows.length,
        )
    scoring = multitask_scoring(TASKS, metrics=("accuracy", "f1_macro"))
    tables = {}
    for name in args.models:
        model = CLASSICAL[name](windows.sampling_rate, args.seed, args.n_jobs)
        start = time.perf_counter()
        result = cross_validate(
            model, windows.X, windows.y, groups=windows.groups, cv=cv, scoring=scoring
        )
        elapsed = time.perf_counter() - start
        tables[name] = fold_table(result, cv, windows.X, conditions)
        print(f"\n{name}, leave-one-load-out ({elapsed:.1f} s)\n")
        print(tables[name].to_markdown(index=False, floatfmt=".3f"))
    summary = pd.DataFrame(
        {name: table.iloc[-1].drop("test load (HP)") for name, table in tables.items()}
    ).T
    print("\nMean over the three held-out loads\n")
    print(summary.to_markdown(floatfmt=".3f"))
    return summary


def fold_table(result: dict, cv, X, conditions: np.ndarray) -> pd.DataFrame:
    """One row per held-out load, plus their mean."""
    rows = []
    for fold, (_, test) in enumerate(cv.split(X)):
        row = {"test load (HP)": int(np.unique(conditions[test])[0])}
        for task in TASKS:
            row[f"acc {task}"] = result[f"test_accuracy_{task}"][fold]
            row[f"F1 {task}"] = result[f"test_f1_macro_{task}"][fold]
        row["joint acc"] = result["test_accuracy_joint"][fold]
        row["fit s"] = result["fit_time"][fold]
        rows.append(row)
    table = pd.DataFrame(rows)
    mean = table.mean(numeric_only=True).to_frame().T
    mean["test load (HP)"] = "mean"
    return pd.concat([table, mean], ignore_index=True)


if __name__ == "__main__":
    main()
