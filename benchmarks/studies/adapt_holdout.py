"""Adapting on some of the new sensor's recordings, predicting the others.

The shift suite's adapted models re-estimate their statistics on the very
test windows they then predict. Deployed, a model adapts on the windows a
new machine has recorded so far and predicts later ones. This script
checks that the cross-sensor gain of ``spectral-rf-scaled-adapted`` does
not depend on adapting to the windows it scores: per fold and seed, the
test side's recordings are split in two halves (whole recordings, each
joint class shared between them as evenly as ``StratifiedGroupKFold``
can; the lone normal recording counts as its blocks), the model adapts on
one half and is scored on the other, then the halves swap.

Run: ``TSCLF_SHARED=... python -m benchmarks.studies.adapt_holdout`` (about a
minute). Prints the joint accuracy on the scored half: unadapted, adapted
on the other half, adapted on the scored half itself.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

from benchmarks.factories import Context
from benchmarks.models import MODELS
from benchmarks.protocols import cwru_problem
from tsclf.utils.labels import joint_labels


def halves(y: np.ndarray, groups: np.ndarray, seed: int) -> list[np.ndarray]:
    """Two halves of the positions, whole groups each, classes spread."""
    splitter = StratifiedGroupKFold(n_splits=2, shuffle=True, random_state=seed)
    return [part for _, part in splitter.split(y, joint_labels(y), groups)]


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    problem = cwru_problem("cross-sensor")
    # Groups with the lone normal recording cut into blocks, so that both
    # halves hold normal windows.
    bearings = np.asarray(problem.bearings).astype(str)
    groups = np.char.add(problem.groups.astype(str), np.char.add("#", bearings))
    rows = []
    for seed in range(args.seeds):
        for name, train, test in problem.folds:
            context = Context(problem.sampling_rate, seed, 1, "cpu", "shift", "", 0)
            model = MODELS["spectral-rf-scaled"].build(context)
            model.fit(problem.X[train], problem.y[train])
            unadapted = dict(zip(test, model.predict(problem.X[test]), strict=True))
            parts = [test[h] for h in halves(problem.y[test], groups[test], seed)]
            for scored, other in (parts, parts[::-1]):

                def joint(labels, scored=scored):
                    return float(np.mean((labels == problem.y[scored]).all(axis=1)))

                X_scored = problem.X[scored]
                rows.append(
                    {
                        "fold": name,
                        "unadapted": joint(np.array([unadapted[i] for i in scored])),
                        "adapted on the other half": joint(
                            model.adapt(problem.X[other]).predict(X_scored)
                        ),
                        "adapted on the scored half": joint(
                            model.adapt(X_scored).predict(X_scored)
                        ),
                    }
                )
    table = pd.DataFrame(rows).groupby("fold").mean()
    table.loc["mean"] = table.mean()
    print(table.round(3).to_markdown())
    return table


if __name__ == "__main__":
    main()
