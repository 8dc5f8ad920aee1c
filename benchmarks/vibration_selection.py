"""Choosing VibrationClassifier's settings on validation data only.

For every fold of the three shift protocols (leave one load out,
cross-sensor, leave one fault size out), only that fold's *training*
windows are used: each candidate setting is fitted with one motor load
held out (scored by joint accuracy on it: a new operating point on the same
path) and with one damaged bearing held out (each fault size is another
bearing; scored by location accuracy on it: a bearing never seen, which
rings the structure differently). A setting's validation score is the mean
of those inner scores over every fold of every protocol; test folds are
never read. Candidates change one setting of the defaults at a time; two
more rows adapt to the held-out windows (unlabelled) before predicting
them, re-centring the features or re-centring and re-scaling them.

Run: ``TSCLF_SHARED=... python -m benchmarks.vibration_selection``
(resumable: every inner fit is cached in ``--cache``; about 25 minutes
on 2 cores). Writes ``selection.csv`` and ``selection.md`` under
``--results``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.outputs import machine
from benchmarks.protocols import load_problem
from tsclf.classification import VibrationClassifier

PROTOCOLS = ("lolo", "cross-sensor", "loso")
#: Settings scored after adapting to the held-out windows (unlabelled):
#: which statistics ``adapt`` re-estimates.
ADAPTED: dict[str, dict] = {
    "defaults, adapted": {},
    "adapt_scale=True, adapted": {"adapt_scale": True},
}
#: One change of the defaults at a time (the first row: the defaults).
CANDIDATES: dict[str, dict] = {
    "defaults": {},
    "quantile=0.95": {"quantile": 0.95},
    "quantile=0.999": {"quantile": 0.999},
    "carrier_bands=(1,)": {"carrier_bands": (1,)},
    "carrier_bands=(1, 4, 8)": {"carrier_bands": (1, 4, 8)},
    "n_coefficients=12": {"n_coefficients": 12},
    "n_coefficients=48": {"n_coefficients": 48},
    "max_frequency=500": {"max_frequency": 500.0},
}


def inner_splits(problem, train: np.ndarray):
    """(kind, held-out name, inner train, inner validation) inside ``train``."""
    for kind, values in (("load", problem.loads), ("bearing", problem.bearings)):
        held = np.asarray(values)[train].astype(str)
        for name in np.unique(held):
            yield kind, name, train[held != name], train[held == name]


def score(kind: str, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Joint accuracy on a held-out load; location accuracy on a bearing."""
    if kind == "load":
        return float(np.mean((y_true == y_pred).all(axis=1)))
    return float(np.mean(y_true[:, 1] == y_pred[:, 1]))


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("results/vibration"))
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("benchmarks/records/vibration_selection.jsonl"),
    )
    parser.add_argument("--candidates", nargs="+", default=[*CANDIDATES, *ADAPTED])
    args = parser.parse_args(argv)
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    done = {}
    if args.cache.exists():
        for line in args.cache.read_text().splitlines():
            row = json.loads(line)
            done[(row["candidate"], row["protocol"], row["fold"], row["held_out"])] = (
                row
            )
    for protocol in PROTOCOLS:
        problem = load_problem(protocol, "CWRU")
        for fold, train, _ in problem.folds:  # the test side is never used
            for kind, name, inner, validation in inner_splits(problem, train):
                held_out = f"{kind} {name}"
                for candidate in args.candidates:
                    key = (candidate, protocol, fold, held_out)
                    if key in done:
                        continue
                    settings = {**CANDIDATES, **ADAPTED}[candidate]
                    model = VibrationClassifier(
                        sampling_rate=problem.sampling_rate,
                        random_state=0,
                        n_jobs=2,
                        **settings,
                    ).fit(problem.X[inner], problem.y[inner])
                    if candidate in ADAPTED:
                        model.adapt(problem.X[validation])
                    predicted = model.predict(problem.X[validation])
                    row = {
                        "candidate": candidate,
                        "protocol": protocol,
                        "fold": fold,
                        "held_out": held_out,
                        "kind": kind,
                        "score": score(kind, problem.y[validation], predicted),
                    }
                    done[key] = row
                    with args.cache.open("a") as cache:
                        cache.write(json.dumps(row) + "\n")
                    print(
                        f"{protocol} {fold} {held_out} {candidate}: {row['score']:.3f}"
                    )
    rows = pd.DataFrame([done[key] for key in done if key[0] in args.candidates])
    table = rows.pivot_table(
        index="candidate", columns=["protocol", "kind"], values="score", aggfunc="mean"
    )
    table["validation score"] = rows.groupby("candidate")["score"].mean()
    table = table.sort_values("validation score", ascending=False)
    table.columns = [" ".join(c).strip() if isinstance(c, tuple) else c for c in table]
    summary = "\n".join(
        [
            "Command: `python -m benchmarks.vibration_selection`",
            "",
            f"Machine: {machine()}",
            "",
            "Validation score of each candidate setting of VibrationClassifier: "
            "inside each shift-protocol fold's training windows only, one load "
            "held out (joint accuracy) and one damaged bearing held out "
            "(location accuracy); means over the held-out groups and folds, "
            "and the validation score, the mean over every inner fit. Seed 0.",
            "",
            table.round(3).to_markdown(),
            "",
        ]
    )
    print(summary)
    args.results.mkdir(parents=True, exist_ok=True)
    rows.to_csv(args.results / "selection.csv", index=False)
    (args.results / "selection.md").write_text(summary)
    return table


if __name__ == "__main__":
    main()
