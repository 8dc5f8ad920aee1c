"""Speed of CesiumFeatures' fast engine against a per-window cesium loop.

On the same real CWRU windows (default: 2,000 drawn at random from the
embedded drive-end data, 1200 samples at 12 kHz), computes the reference
study's eleven features two ways and prints windows per second for each,
their ratio, and the largest relative difference between the two tables:

- a loop calling :func:`cesium.featurize.featurize_time_series` once per
  window, as the reference study did;
- ``CesiumFeatures(engine="fast")``, with ``--n-jobs`` workers; it takes
  under a second, so after one warm-up run it is timed ``--repeats`` times
  and the median is reported (the loop takes a minute and is timed once).

Usage::

    python -m benchmarks.studies.cesium_speed [--n-windows 2000] [--n-jobs 2] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from tsclf.datasets import load_cwru_windows
from tsclf.transformers import DEFAULT_FEATURES, CesiumFeatures


def cesium_loop(X: np.ndarray, sampling_rate: float) -> np.ndarray:
    """The reference: one ``featurize_time_series`` call per window."""
    from cesium.featurize import featurize_time_series

    times = np.arange(X.shape[1]) / sampling_rate
    rows = [
        featurize_time_series(
            times=times, values=window, features_to_use=list(DEFAULT_FEATURES)
        )
        .to_numpy()
        .ravel()
        for window in X
    ]
    return np.array(rows)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-windows", type=int, default=2000)
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    windows = load_cwru_windows()
    rng = np.random.default_rng(args.seed)
    chosen = np.sort(rng.choice(len(windows.X), args.n_windows, replace=False))
    X = windows.X[chosen, 0].astype(np.float64)
    rate = windows.sampling_rate
    print(f"{len(X)} CWRU windows of {X.shape[1]} samples at {rate:g} Hz")

    fast = CesiumFeatures(sampling_rate=rate, n_jobs=args.n_jobs).fit(X)
    fast_table = fast.transform(X)  # warm-up: starts the workers
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        fast.transform(X)
        times.append(time.perf_counter() - start)
    fast_s = float(np.median(times))

    start = time.perf_counter()
    loop_table = cesium_loop(X, rate)
    loop_s = time.perf_counter() - start

    relative = np.abs(fast_table - loop_table) / np.maximum(np.abs(loop_table), 1e-300)
    rows = [
        {"method": "featurize_time_series per window", "seconds": loop_s},
        {
            "method": f"CesiumFeatures fast, n_jobs={args.n_jobs} (median)",
            "seconds": fast_s,
        },
    ]
    table = pd.DataFrame(rows)
    table["windows/s"] = len(X) / table["seconds"]
    print(table.to_markdown(index=False, floatfmt=".1f"))
    print(f"fast engine runs: {', '.join(f'{t:.2f}' for t in times)} s")
    print(f"\nspeed-up: {loop_s / fast_s:.1f}x")
    print(
        f"largest relative difference: {relative.max():.2e} "
        f"(all within rtol 1e-6: {bool(np.all(relative <= 1e-6))})"
    )
    worst = pd.Series(relative.max(axis=0), index=list(DEFAULT_FEATURES))
    print("\nlargest relative difference per feature:")
    print(worst.to_string(float_format="{:.1e}".format))
    return table


if __name__ == "__main__":
    main()
