"""Imbalance inside the folds: none, class weights, over-sampling or SMOTE.

An imbalanced CWRU variant: every ball-fault recording (location ``B``)
keeps only its first 10 % of windows (``--keep``), so ball faults become
the rare location (about 5 % of the windows instead of about 30 %). Under
leave one load out (a group-aware CV: a load's recordings are never
split), the reference study's cesium features and random forest are
trained four ways:

- ``none``: as they are;
- ``class weights``: ``RandomForestClassifier(class_weight="balanced")``,
  per task;
- ``over-sampling``: ``MultiTaskResampler(RandomOverSampler())`` on the
  features, inside an imbalanced-learn pipeline (training folds only);
- ``SMOTE``: ``MultiTaskResampler(SMOTE())`` the same way.

Prints the macro recall per task (the reference study's figure), the
joint accuracy and the ball-location recall, mean over the three folds.
The features are computed once (each window's alone); about 30 s on 2 CPU
cores. Needs imbalanced-learn.

Usage::

    python -m benchmarks.studies.imbalance [--keep 0.1] [--location B]
        [--out docs/results/imbalance]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score
from sklearn.preprocessing import OrdinalEncoder, StandardScaler

from benchmarks.outputs import provenance, save_side_results
from benchmarks.protocols import load_problem
from tsclf.metrics import joint_accuracy, task_score
from tsclf.transformers import CesiumFeatures


def thin_out(problem, location: str, keep: float) -> np.ndarray:
    """Positions kept: all windows but the last ``1 - keep`` of each ``location``
    recording's windows."""
    column = problem.tasks.index("location")
    kept = []
    for recording in np.unique(problem.groups):
        members = np.flatnonzero(problem.groups == recording)
        if problem.y[members[0], column] == location:
            members = members[: max(1, round(keep * len(members)))]
        kept.append(members)
    return np.sort(np.concatenate(kept))


def variants(seed: int, n_estimators: int) -> dict:
    """The four ways to train on the features, as estimators."""
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.pipeline import make_pipeline

    from tsclf.resampling import MultiTaskResampler

    def pipeline(*middle, **settings):
        forest = RandomForestClassifier(
            n_estimators=n_estimators, random_state=seed, **settings
        )
        return make_pipeline(StandardScaler(), *middle, forest)

    return {
        "none": pipeline(),
        "class weights": pipeline(class_weight="balanced"),
        "over-sampling": pipeline(
            MultiTaskResampler(RandomOverSampler(random_state=seed))
        ),
        "SMOTE": pipeline(MultiTaskResampler(SMOTE(random_state=seed))),
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=float, default=0.1)
    parser.add_argument("--location", default="B", help="B, IR or OR")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-estimators", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    problem = load_problem("lolo", "CWRU")
    labels = problem.y.astype(str)
    # scikit-learn's forests read labels such as "007" as numbers when they
    # balance classes ("classes [7, 14, 21] are not in class_weight"):
    # train on integer codes per task and decode the predictions.
    encoder = OrdinalEncoder(dtype=np.int64).fit(labels)
    codes = encoder.transform(labels)
    location = problem.tasks.index("location")
    if args.location not in set(labels[:, location]):
        parser.error(f"--location must be one of {sorted(set(labels[:, location]))}")
    kept = thin_out(problem, args.location, args.keep)
    share = np.mean(labels[kept, location] == args.location)
    # Cesium features depend on each window alone (the transformer learns
    # nothing), so computing them once for every kept window leaks nothing.
    cesium = CesiumFeatures(sampling_rate=problem.sampling_rate, n_jobs=-1)
    kept_features = cesium.fit_transform(problem.X[kept])
    table = np.full((len(problem.X), kept_features.shape[1]), np.nan)
    table[kept] = kept_features  # rows of dropped windows are never used
    rows = []
    for name, model in variants(args.seed, args.n_estimators).items():
        for fold, train, test in problem.folds:
            train, test = np.intersect1d(train, kept), np.intersect1d(test, kept)
            fitted = clone(model).fit(table[train], codes[train])
            predicted = encoder.inverse_transform(fitted.predict(table[test]))
            truth = labels[test]
            row = {"variant": name, "fold": fold}
            for column, task in enumerate(problem.tasks):
                row[f"recall_macro_{task}"] = task_score(
                    truth, predicted, task=column, metric="recall_macro"
                )
            row["joint_acc"] = joint_accuracy(truth, predicted)
            row[f"recall_{args.location}"] = recall_score(
                truth[:, location] == args.location,
                predicted[:, location] == args.location,
            )
            rows.append(row)
    results = pd.DataFrame(rows)
    summary = results.drop(columns="fold").groupby("variant", sort=False).mean()
    text = (
        f"{provenance('benchmarks.studies.imbalance', argv)}\n\n"
        f"CWRU leave one load out; every {args.location} "
        f"recording keeps its first {args.keep:.0%} of windows, so "
        f"{args.location} faults are {share:.1%} of the {len(kept)} windows. "
        "Cesium features and a random forest; mean over the three folds.\n\n"
        f"{summary.to_markdown(floatfmt='.3f')}\n"
    )
    save_side_results(results, text, args.out)
    return summary


if __name__ == "__main__":
    main()
