"""How well the shaft speed is read from the signal, against the recorded rpm.

Every CWRU recording holds the shaft speed its tachometer measured. This
study cuts the 28 shared recordings (drive end, 12 kHz) into windows of
0.1 s, 0.5 s and 1 s, estimates each window's speed between 20 and 40 Hz
with :func:`~tsclf.transformers.estimate_shaft_speed` and compares it with
the recorded one: the share of windows within 1 % and the median and 90th
percentile of the relative error.

Usage::

    TSCLF_SHARED=... python -m benchmarks.studies.shaft_speed \
        [--results results/shaft-speed]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.outputs import provenance, save_side_results
from benchmarks.protocols import shared_cwru_folder
from tsclf.datasets import load_cwru_windows
from tsclf.transformers import estimate_shaft_speed

LENGTHS = (1200, 6000, 12000)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = []
    for length in LENGTHS:
        windows = load_cwru_windows(shared_cwru_folder(), length=length)
        speeds = estimate_shaft_speed(
            windows.X, windows.sampling_rate, speed_range=(20.0, 40.0)
        )
        error = np.abs(speeds / (windows.metadata["rpm"].to_numpy() / 60.0) - 1)
        rows.append(
            {
                "window_s": length / windows.sampling_rate,
                "n_windows": len(windows),
                "within_1_percent": np.mean(error < 0.01),
                "median_error": np.median(error),
                "p90_error": np.percentile(error, 90),
            }
        )
    results = pd.DataFrame(rows)
    summary = "\n".join(
        [
            provenance("benchmarks.studies.shaft_speed", argv),
            "",
            "Shaft speed estimated from each drive-end window of the 28 shared "
            "CWRU recordings (search range 20 to 40 Hz) against the rpm each "
            "file records: share of windows within 1 %, and the median and "
            "90th percentile of the relative error.",
            "",
            results.round(4).to_markdown(index=False),
            "",
        ]
    )
    save_side_results(results, summary, args.results)
    return results


if __name__ == "__main__":
    main()
