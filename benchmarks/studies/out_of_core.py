"""Windows larger than memory: peak memory and throughput at 1x, 2x and 4x a data size.

The CWRU drive-end recordings shipped with tsclf (resampled to 12 kHz) are
written to disk with :func:`tsclf.datasets.save_recordings`, the set
repeated 1, 2 and 4 times (copies under new names: the same values, more
of them), and cut into windows of 1200 samples every ``--step``. Each fit
runs in a fresh process, so its peak resident memory (Linux's ``VmHWM``,
imports included) is its own:

- ``cnn``: :class:`~tsclf.classification.CNNClassifier` (defaults,
  ``--epochs`` epochs, validation on held-out recordings), then predicting
  every window; training windows per second (the last epoch) and
  prediction windows per second;
- ``features``: ``ChunkedTransformer(BandEnergies(12000))`` then a random
  forest of 100 trees of at most 256 leaves (so that the model itself does
  not grow with the data), fitted and predicting every window; windows per
  second over fit and prediction.

``disk`` reads the windows with :func:`tsclf.datasets.open_windows`;
``memory`` cuts them with :func:`tsclf.datasets.make_windows`, for
contrast. Each fit runs ``--repeats`` times and the medians are compared:
glibc keeps memory a process has freed, and how much of it the peak
catches varies from run to run by tens of megabytes. Writes
``results.csv`` (every run) and ``summary.md`` to ``--out``.

Usage::

    python -m benchmarks.studies.out_of_core [--scales 1 2 4] [--step 1200]
        [--epochs 2] [--models cnn features] [--storages disk memory]
        [--repeats 3]
        [--out docs/results/out-of-core]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.outputs import provenance, save_side_results

MODULE = "benchmarks.studies.out_of_core"
LENGTH = 1200


def recordings_times(scale: int) -> list:
    """The shipped 12 kHz recordings, ``scale`` times over (copies renamed)."""
    from dataclasses import replace

    from tsclf.datasets import load_cwru

    recordings = load_cwru(resample_to=12000)
    return [
        replace(recording, name=f"{recording.name}/copy{copy}")
        for copy in range(scale)
        for recording in recordings
    ]


def write_recordings(folder: Path, scale: int) -> Path:
    """:func:`recordings_times` saved to ``folder``."""
    from tsclf.datasets import save_recordings

    return save_recordings(recordings_times(scale), folder)


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    Linux's ``VmHWM`` belongs to the process's own memory map; its
    ``ru_maxrss`` would keep the parent's resident size at the fork (the
    parent held the recordings it wrote), which floored every figure.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # other systems


def fit_here(folder: Path, model: str, storage: str, args) -> dict:
    """One fit and prediction in this process; its row."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline

    from tsclf.classification import CNNClassifier
    from tsclf.compose import ChunkedTransformer
    from tsclf.datasets import make_windows, open_windows
    from tsclf.transformers import BandEnergies

    if storage == "disk":
        windows = open_windows(folder, LENGTH, args.step)
    else:
        windows = make_windows(recordings_times(args.scale), LENGTH, args.step)
    row = {"model": model, "storage": storage, "scale": args.scale}
    row["windows"] = len(windows)
    if model == "cnn":
        estimator = CNNClassifier(max_epochs=args.epochs, random_state=0)
        estimator.fit(windows.X, windows.y, groups=windows.groups)
        trained = sum(
            batch.get("train_batch_size", 0)
            for batch in estimator.history_[-1, "batches"]
        )
        row["train_windows_per_s"] = trained / estimator.history_[-1, "dur"]
        start = time.perf_counter()
        estimator.predict(windows.X)
        row["predict_windows_per_s"] = len(windows) / (time.perf_counter() - start)
    else:
        pipeline = make_pipeline(
            ChunkedTransformer(BandEnergies(sampling_rate=12000.0), chunk_size=1024),
            # Leaves bounded: the forest's own size does not grow with the data.
            RandomForestClassifier(
                n_estimators=100, max_leaf_nodes=256, random_state=0, n_jobs=1
            ),
        )
        start = time.perf_counter()
        pipeline.fit(windows.X, windows.y)
        pipeline.predict(windows.X)
        row["fit_predict_windows_per_s"] = len(windows) / (time.perf_counter() - start)
    row["peak_rss_mb"] = peak_rss_mb()
    row["data_mb"] = len(windows) * LENGTH * 4 / 2**20
    return row


def launch(folder: Path, model: str, storage: str, scale: int, args) -> dict:
    """Run :func:`fit_here` in a fresh process; return its row."""
    with tempfile.TemporaryDirectory() as out:
        row_file = Path(out) / "row.json"
        command = [
            sys.executable,
            "-m",
            MODULE,
            "--worker",
            str(folder),
            "--models",
            model,
            "--storages",
            storage,
            "--scale",
            str(scale),
            "--step",
            str(args.step),
            "--epochs",
            str(args.epochs),
            "--out",
            str(row_file),
        ]
        subprocess.run(command, check=True, env={**os.environ})
        return json.loads(row_file.read_text())


def main(argv: list[str] | None = None) -> pd.DataFrame | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", type=int, default=[1, 2, 4])
    parser.add_argument("--step", type=int, default=1200)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["cnn", "features"])
    parser.add_argument("--storages", nargs="+", default=["disk", "memory"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        row = fit_here(args.worker, args.models[0], args.storages[0], args)
        args.out.write_text(json.dumps(row))
        return None
    rows = []
    with tempfile.TemporaryDirectory() as root:
        for scale in args.scales:
            folder = write_recordings(Path(root) / f"x{scale}", scale)
            for model in args.models:
                for storage in args.storages:
                    for repeat in range(args.repeats):
                        row = launch(folder, model, storage, scale, args)
                        rows.append({**row, "repeat": repeat})
                        print(pd.DataFrame(rows[-1:]).to_string(index=False))
    runs = pd.DataFrame(rows)
    groups = runs.drop(columns="repeat").groupby(
        ["model", "storage", "scale"], sort=False
    )
    table = groups.median().reset_index()
    table["peak_rss_mb_max"] = groups["peak_rss_mb"].max().to_numpy()
    first = table[table["scale"] == min(args.scales)].set_index(["model", "storage"])
    keys = list(zip(table["model"], table["storage"], strict=True))
    table["peak_rss_vs_1x"] = table["peak_rss_mb"] / np.array(
        [first.loc[key, "peak_rss_mb"] for key in keys]
    )
    for speed in ("train_windows_per_s", "fit_predict_windows_per_s"):
        if speed in table:
            table[f"{speed}_vs_1x"] = table[speed] / np.array(
                [first.loc[key, speed] for key in keys]
            )
    import torch

    text = (
        f"{provenance(MODULE, argv)}; {torch.get_num_threads()} torch threads\n\n"
        f"CWRU drive-end recordings shipped with tsclf, 12 kHz, repeated "
        f"{'/'.join(map(str, args.scales))} times; windows of {LENGTH} samples "
        f"every {args.step}; CNN {args.epochs} epochs. Peak resident memory of "
        f"each fit's own process (imports included); medians of {args.repeats} "
        "runs (`peak_rss_mb_max`: the largest).\n\n"
        f"{table.to_markdown(index=False, floatfmt='.3f')}\n"
    )
    save_side_results(runs, text, args.out)
    return table


if __name__ == "__main__":
    main()
