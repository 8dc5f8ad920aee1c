"""Why the MLP, and the GRU and RNN on single samples, stay near chance on CWRU.

Fits variants of ``MLPClassifier``, ``GRUClassifier`` and ``RNNClassifier``
on one leave-one-load-out fold of the embedded CWRU windows, exactly as
the benchmark runner does (same windows, validation blocks and seed), and
prints for each:

- joint accuracy on the held-out load;
- the epochs run and the fit time;
- the last training loss, and the best joint accuracy on the validation
  blocks over all epochs.

A training loss near zero with a validation accuracy far below it is
overfitting; a training loss that stays high is a failure to learn.

Variants:

- ``mlp``: the default, balanced class weights, a learning rate of 1e-4,
  raw (not z-scored) windows, dropout 0.5 with weight decay 0.1, and no
  early stopping;
- ``gru`` and ``rnn``: one sample per step against the default chunks of
  10 samples.

About 10 minutes on 2 CPU cores, most of them for the single-sample GRU
(5 min) and RNN (3 min).

Usage::

    python -m benchmarks.studies.near_chance [--fold load0] [--families mlp gru rnn]
        [--seed 0] [--max-epochs N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from benchmarks.models import cap_epochs
from benchmarks.outputs import provenance, save_side_results
from benchmarks.protocols import cwru_problem
from tsclf.classification import GRUClassifier, MLPClassifier, RNNClassifier
from tsclf.metrics import joint_accuracy

VARIANTS: dict[str, list[tuple[type, dict]]] = {
    "mlp": [
        (MLPClassifier, {}),
        (MLPClassifier, {"class_weight": "balanced"}),
        (MLPClassifier, {"lr": 1e-4}),
        (MLPClassifier, {"preprocessor": None}),
        (MLPClassifier, {"module__dropout": 0.5, "optimizer__weight_decay": 0.1}),
        (MLPClassifier, {"early_stopping_patience": None}),
    ],
    "gru": [
        (GRUClassifier, {"module__chunk_size": 1}),
        (GRUClassifier, {}),
    ],
    "rnn": [
        (RNNClassifier, {"module__chunk_size": 1}),
        (RNNClassifier, {}),
    ],
}


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", default="load0", help="held-out load")
    parser.add_argument(
        "--families", nargs="+", choices=sorted(VARIANTS), default=list(VARIANTS)
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-epochs", type=int, default=None, help="cap (a quick check only)"
    )
    args = parser.parse_args(argv)
    problem = cwru_problem("lolo")
    folds = {name: (train, test) for name, train, test in problem.folds}
    if args.fold not in folds:
        parser.error(f"--fold must be one of {sorted(folds)}")
    train, test = folds[args.fold]
    rows = []
    for family in args.families:
        for cls, settings in VARIANTS[family]:
            model = cap_epochs(cls(random_state=args.seed, **settings), args.max_epochs)
            start = time.perf_counter()
            model.fit(
                problem.X[train],
                problem.y[train],
                groups=problem.model_fit_groups(train),
            )
            fit_s = time.perf_counter() - start
            history = model.history_
            rows.append(
                {
                    "model": cls.__name__,
                    "settings": ", ".join(f"{k}={v}" for k, v in settings.items())
                    or "defaults",
                    "joint_acc": joint_accuracy(
                        problem.y[test], model.predict(problem.X[test])
                    ),
                    "epochs": model.n_epochs_,
                    "fit_s": fit_s,
                    "last train loss": history[-1, "train_loss"],
                    "best valid joint acc": np.nanmax(
                        [epoch.get("valid_acc", np.nan) for epoch in history]
                    ),
                }
            )
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    summary = "\n\n".join(
        [
            provenance("benchmarks.studies.near_chance", argv),
            f"CWRU leave-one-load-out, held-out {args.fold}",
            table.to_markdown(index=False, floatfmt=".3f"),
        ]
    )
    save_side_results(table, summary + "\n", None)
    return table


if __name__ == "__main__":
    main()
