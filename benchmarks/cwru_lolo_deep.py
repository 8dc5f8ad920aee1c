"""Deep models vs MiniRocket under leave-one-load-out on the embedded CWRU data.

For each held-out motor load (0, 1, 2 HP), trains on the other two loads and
reports joint 10-class accuracy (all three tasks right) and per-task
accuracy on the held-out load:

- ``ResNetClassifier`` and ``InceptionTimeClassifier`` with their default
  settings and ``random_state``; early stopping holds out whole contiguous
  blocks of the training recordings (each recording cut into 5 blocks), so
  no validation window is trained on;
- sktime's MiniRocket + RidgeClassifierCV on the joint label, the classical
  anchor, on the same folds.

To show that training has settled, a callback records the held-out load's
joint accuracy after every epoch (for reporting only; it plays no part in
training or model selection), and the table gives its range over the last
five epochs. Each (model, seed, held-out load) result is cached as one JSON
file under ``results/cwru_lolo_deep/``; a run skips the folds it finds there,
so a long run (InceptionTime takes about 3.5 h on 2 CPU cores) can be done
in pieces, and ``--loads`` picks which folds to run now.

Usage::

    python -m benchmarks.cwru_lolo_deep [--models resnet inception minirocket]
        [--seed N] [--device DEVICE] [--max-epochs N] [--loads 0 1 2]
        [--no-cache]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from skorch.callbacks import Callback

from benchmarks.models import MiniRocketRidge
from tsclf.classification import InceptionTimeClassifier, ResNetClassifier
from tsclf.datasets import TASKS, load_cwru_windows
from tsclf.metrics import joint_accuracy, task_score
from tsclf.model_selection import LeaveOneConditionOut, block_groups

DEEP = {"resnet": ResNetClassifier, "inception": InceptionTimeClassifier}


class HeldOutAccuracy(Callback):
    """Record joint accuracy on a held-out set after each epoch (reporting only)."""

    def __init__(self, estimator, X, y) -> None:
        self.estimator = estimator
        self.X = X
        self.y = y

    def on_epoch_end(self, net, **kwargs) -> None:
        outputs = net.forward(self.estimator._transform_input(self.X))
        logits = [output.numpy() for output in outputs]
        predicted = self.estimator._labels_from_logits(logits)
        net.history.record("heldout_acc", joint_accuracy(self.y, predicted))


def run_fold(name, windows, train, test, args) -> dict:
    X_train, X_test = windows.X[train], windows.X[test]
    y_train = windows.y.iloc[train].to_numpy()
    y_test = windows.y.iloc[test].to_numpy()
    start = time.perf_counter()
    curve = []
    if name == "minirocket":
        model = MiniRocketRidge(random_state=args.seed).fit(X_train, y_train)
        predicted = model.predict(X_test)
        epochs = None
    else:
        blocks = block_groups(
            windows.groups[train],
            windows.starts[train],
            windows.length,
            recordings=list(np.unique(windows.groups[train])),
            n_blocks=5,
            gap=0,
        )
        model = DEEP[name](random_state=args.seed, device=args.device)
        if args.max_epochs:
            model.set_params(max_epochs=args.max_epochs)
        model.set_params(
            callbacks=[("heldout", HeldOutAccuracy(model, X_test, y_test))]
        )
        model.fit(X_train, y_train, groups=blocks.groups)
        predicted = model.predict(X_test)
        epochs = model.n_epochs_
        curve = list(model.history_[:, "heldout_acc"])
    fit_s = time.perf_counter() - start
    row = {
        "model": name,
        "joint acc": joint_accuracy(y_test, predicted),
        **{
            f"acc {task}": task_score(y_test, predicted, task=i)
            for i, task in enumerate(TASKS)
        },
        "epochs": epochs,
        "fit+predict s": fit_s,
    }
    if curve:
        row["last-5 held-out min"] = min(curve[-5:])
        row["last-5 held-out max"] = max(curve[-5:])
    row["curve"] = curve
    return row


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models", nargs="+", default=["minirocket", "resnet", "inception"]
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--max-epochs", type=int, default=None)
    parser.add_argument("--loads", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--cache", default="results/cwru_lolo_deep")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args(argv)
    windows = load_cwru_windows()
    conditions = windows.metadata["condition"].to_numpy()
    cv = LeaveOneConditionOut(conditions)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.models:
        for train, test in cv.split(windows.X, groups=windows.groups):
            load = int(conditions[test][0])
            if load not in args.loads:
                continue
            suffix = f"_{args.max_epochs}ep" if args.max_epochs else ""
            path = cache / f"{name}{suffix}_seed{args.seed}_load{load}.json"
            if path.exists() and not args.no_cache:
                row = json.loads(path.read_text())
            else:
                row = run_fold(name, windows, train, test, args)
                row["test load"] = load
                path.write_text(json.dumps(row, indent=1))
            rows.append(row)
            print({k: v for k, v in row.items() if k != "curve"}, flush=True)
    table = pd.DataFrame(rows).drop(columns="curve")
    means = table.groupby("model", sort=False).mean(numeric_only=True).reset_index()
    means["test load"] = "mean"
    table = pd.concat([table, means], ignore_index=True)
    print("\nCWRU leave-one-load-out (embedded data)\n")
    print(table.to_markdown(index=False, floatfmt=".3f"))
    return table


if __name__ == "__main__":
    main()
