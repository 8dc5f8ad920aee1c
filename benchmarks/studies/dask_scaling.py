"""Wall time of one search run serially and on a 2-worker dask cluster.

The same ``GridSearchCV`` over a ``CNNClassifier`` (4 candidates x 3
group folds = 12 fits, no refit; every 4th embedded CWRU window, 5
epochs, validation by recordings) runs

- serially (``n_jobs=1``) with torch's default threads (what a user gets),
- serially with one torch thread (the work each worker does),
- on a ``dask.distributed.LocalCluster`` of 2 worker processes with one
  thread each, once as dask starts them and once without the
  ``MALLOC_TRIM_THRESHOLD_=65536`` dask's nanny sets in their environment
  (glibc then maps and unmaps every large tensor afresh, which makes a
  torch training step on a CPU much slower), and of 1 worker process with
  2 threads (torch at one thread), through
  ``joblib.parallel_config(backend="dask")``.

Prints the wall times and the ratio of each serial run to each run (the
goal on 2 cores: at least 1.6). The searches' scores are compared: one
thread serially and on a cluster give identical scores. The
cluster's start-up (workers importing torch and tsclf) is not counted,
and the windows are scattered to the workers once; a run takes about 4
minutes on 2 cores.

Usage::

    python -m benchmarks.studies.dask_scaling [--out docs/results/dask]
"""

from __future__ import annotations

import argparse
import importlib
import os
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn import config_context
from sklearn.model_selection import GridSearchCV, GroupKFold

from benchmarks.outputs import provenance, save_side_results
from tsclf.classification import CNNClassifier
from tsclf.datasets import load_cwru_windows

#: The dask setting that, set to None, leaves glibc's trim threshold alone.
TRIM_SETTING = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"


def search(n_jobs: int, epochs: int) -> GridSearchCV:
    return GridSearchCV(
        CNNClassifier(max_epochs=epochs, random_state=0),
        {"lr": [1e-3, 3e-3], "module__dropout": [0.0, 0.2]},
        cv=GroupKFold(3),
        n_jobs=n_jobs,
        refit=False,
    )


def timed(make, X, y, groups) -> tuple[float, np.ndarray]:
    # Routing hands the recordings to each fit's early stopping as well.
    with config_context(enable_metadata_routing=True):
        start = time.perf_counter()
        fitted = make().fit(X, y, groups=groups)
        return time.perf_counter() - start, fitted.cv_results_["mean_test_score"]


@contextmanager
def local_cluster(processes: bool, malloc_trim: bool = True):
    """A client of a 2-core LocalCluster: 2 processes or 2 threads.

    Each fit runs with one torch thread either way: through the workers'
    environment, or through torch's process-wide setting when the workers
    are threads of this process (torch releases the GIL in its kernels).
    ``malloc_trim=False`` starts worker processes without dask's
    ``MALLOC_TRIM_THRESHOLD_``.
    """
    import dask
    from dask.distributed import Client, LocalCluster

    # The nanny writes its workers' environment into this process's too;
    # put it back so that one cluster does not leak into the next.
    environ = dict(os.environ)
    settings = {"distributed.worker.profile.enabled": False}  # it samples Python
    if not malloc_trim:  # neither from dask's settings nor from this process
        settings[TRIM_SETTING] = None
        os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    layout = (
        {"n_workers": 2, "threads_per_worker": 1, "env": {"OMP_NUM_THREADS": "1"}}
        if processes
        else {"n_workers": 1, "threads_per_worker": 2}
    )
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with (
            dask.config.set(settings),
            LocalCluster(
                **layout, processes=processes, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            # Start-up is not timed: each worker imports torch and tsclf first.
            client.run(importlib.import_module, "tsclf.classification")
            yield client
    finally:
        torch.set_num_threads(threads)
        os.environ.clear()
        os.environ.update(environ)


def on_cluster(processes: bool, X, y, groups, epochs: int, malloc_trim: bool = True):
    """Time the search on a :func:`local_cluster`."""
    from joblib import parallel_config

    with (
        local_cluster(processes, malloc_trim),
        parallel_config(backend="dask", scatter=[X]),
    ):
        return timed(lambda: search(-1, epochs), X, y, groups)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=4, help="keep every n-th window")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    windows = load_cwru_windows()
    keep = slice(None, None, args.step)
    X, y, groups = windows.X[keep], windows.y.iloc[keep], windows.groups[keep]
    rows, same = [], []
    threads = torch.get_num_threads()
    seconds, default_scores = timed(lambda: search(1, args.epochs), X, y, groups)
    rows.append({"run": f"serial, {threads} torch threads", "seconds": seconds})
    torch.set_num_threads(1)
    seconds, serial_scores = timed(lambda: search(1, args.epochs), X, y, groups)
    torch.set_num_threads(threads)
    rows.append({"run": "serial, 1 torch thread", "seconds": seconds})
    layouts = {
        "2 worker processes x 1 thread": (True, True),
        "2 worker processes x 1 thread, MALLOC_TRIM_THRESHOLD_ unset": (True, False),
        "1 process x 2 threads": (False, True),
    }
    for layout, (processes, malloc_trim) in layouts.items():
        seconds, scores = on_cluster(
            processes, X, y, groups, args.epochs, malloc_trim=malloc_trim
        )
        rows.append({"run": f"dask LocalCluster, {layout}", "seconds": seconds})
        same.append(np.array_equal(serial_scores, scores))
    table = pd.DataFrame(rows)
    table["serial / this"] = table["seconds"].iloc[0] / table["seconds"]
    table["1-thread serial / this"] = table["seconds"].iloc[1] / table["seconds"]
    summary = "\n".join(
        [
            "# Scale-out: one grid search, serial and on dask",
            "",
            provenance("benchmarks.studies.dask_scaling", argv),
            "",
            f"{len(X)} CWRU windows, 12 fits of CNNClassifier "
            f"({args.epochs} epochs), GroupKFold(3).",
            "",
            table.to_markdown(index=False, floatfmt=".2f"),
            "",
            "Scores of the one-thread serial search and of each cluster's "
            f"identical: {same}; with default threads: "
            f"{np.round(default_scores, 3).tolist()}.",
            "",
        ]
    )
    save_side_results(table, summary, args.out)
    return table


if __name__ == "__main__":
    main()
