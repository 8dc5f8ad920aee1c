"""Recurrent classifiers on the synthetic sine + spike anomaly set.

Trains RNNClassifier, LSTMClassifier and GRUClassifier with their default
settings on 2,000 series (75 % train, 25 % test, stratified) and prints test
accuracy and fit time. Target: at least 0.95 each.

Usage::

    python -m benchmarks.studies.recurrent_spike [--seed N] [--n-samples N]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from sklearn.model_selection import train_test_split

from benchmarks.outputs import provenance, save_side_results
from tsclf.classification import GRUClassifier, LSTMClassifier, RNNClassifier
from tsclf.datasets import make_spike_anomaly


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-samples", type=int, default=2000)
    args = parser.parse_args(argv)
    X, y = make_spike_anomaly(n_samples=args.n_samples, random_state=args.seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=args.seed
    )
    rows = []
    for cls in (RNNClassifier, LSTMClassifier, GRUClassifier):
        model = cls(random_state=args.seed)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
        rows.append(
            {
                "model": cls.__name__,
                "test accuracy": model.score(X_test, y_test),
                "epochs": model.n_epochs_,
                "fit_s": fit_s,
            }
        )
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    summary = "\n\n".join(
        [
            provenance("benchmarks.studies.recurrent_spike", argv),
            f"sine + spike anomaly, {len(X_train)} train / {len(X_test)} test series",
            table.to_markdown(index=False, floatfmt=".3f"),
        ]
    )
    save_side_results(table, summary + "\n", None)
    return table


if __name__ == "__main__":
    main()
