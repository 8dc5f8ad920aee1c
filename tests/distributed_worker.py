"""One process of a data-parallel fit, for tests/test_distributed.py.

Run by ``torchrun --nproc_per_node N tests/distributed_worker.py OUT CASE``
(or with ``N = 1`` and ``--alone``): fits a small network on the same data
in every process and writes what each rank saw to ``OUT``.
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import numpy as np
import torch.distributed as dist

from tsclf.classification import CNNClassifier, MLPClassifier
from tsclf.datasets import make_spike_anomaly
from tsclf.export import load_model, save_model


def data():
    X, y = make_spike_anomaly(n_samples=256, length=32, random_state=0)
    return X, np.column_stack([y, np.arange(len(y)) % 3])


def model(case: str, distributed: bool):
    settings = dict(batch_size=32, random_state=0, distributed=distributed)
    if case == "cnn":
        return CNNClassifier(max_epochs=4, verbose=1, **settings)
    if case == "uneven":  # 27 windows a batch: shares of 14 and 13
        settings["batch_size"] = 27
        return MLPClassifier(max_epochs=6, validation=None, verbose=1, **settings)
    # No dropout and no BatchNorm: one process and two take the same steps.
    return MLPClassifier(
        max_epochs=30 if case == "early" else 3,
        early_stopping_patience=2 if case == "early" else 10,
        lr=3e-2 if case == "early" else 1e-3,
        module__dropout=0.0,
        verbose=1,
        **settings,
    )


def main() -> None:
    out, case = Path(sys.argv[1]), sys.argv[2]
    alone = "--alone" in sys.argv
    X, y = data()
    groups = np.arange(len(X)) % 16
    rank = 0 if alone else int(__import__("os").environ["RANK"])
    if case == "other-data" and rank == 1:
        X = X + 1.0
    estimator = model(case, distributed=not alone)
    try:
        estimator.fit(X, y, groups=groups)
    except ValueError as error:
        (out / f"error_{rank}.txt").write_text(str(error))
        return
    name = "alone" if alone else f"rank{rank}"
    np.save(out / f"{name}.npy", np.concatenate(estimator.predict_proba(X), axis=1))
    keys = ("epoch", "train_loss", "valid_loss")
    history = [
        {key: row[key] for key in keys if key in row} for row in estimator.history_
    ]
    (out / f"{name}.json").write_text(json.dumps(history))
    if not alone:
        (out / f"{name}.pkl").write_bytes(pickle.dumps(estimator))
        save_model(estimator, out / "model.tsclf")  # rank 0 writes
        dist.barrier()
        loaded = load_model(out / "model.tsclf")
        np.save(
            out / f"{name}_loaded.npy",
            np.concatenate(loaded.predict_proba(X), axis=1),
        )


if __name__ == "__main__":
    main()
