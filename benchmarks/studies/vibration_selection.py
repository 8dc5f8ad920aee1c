"""Choosing VibrationClassifier's settings on validation data only.

For every fold of the three shift protocols, only that fold's *training*
recordings are read, in three ways:

- one motor load held out of the training windows (joint accuracy on it:
  a new operating point on the same path);
- one damaged bearing held out (each fault size is another bearing;
  location accuracy on it: a bearing never seen, which rings the
  structure differently);
- another sensor: fitted on all the training windows, scored (joint
  accuracy) on the base accelerometer of the same faulty recordings, a
  transfer path that no protocol tests on (the lone normal recording has
  no base channel).

A setting's validation score gives the three kinds of shift the same
weight, as the three protocols have: the mean over the kinds of each
kind's mean inner score over every fold of every protocol (the mean over
every inner fit is reported beside it; it weighs a held-out bearing three
times as much as the other sensor, only because there are three bearings).
Test folds are never read. Candidates change one
setting of the defaults at a time; each fit is scored as fitted and again
after ``adapt`` to the held-out windows (unlabelled).

Every score is stored with the classifier's full settings, so a record
keeps its meaning when a default changes; a setting absent from a record
(added later) is read at its default.

Run: ``TSCLF_SHARED=... python -m benchmarks.studies.vibration_selection``
(resumable: every inner fit is stored in ``--records``). Writes
``selection.csv`` and ``selection.md`` under ``--results``.
"""

from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

from benchmarks.behaviour import VERSIONS
from benchmarks.outputs import provenance
from benchmarks.protocols import SHIFT_SUITE, load_problem, shared_cwru_folder
from benchmarks.store import describe
from tsclf.classification import VibrationClassifier
from tsclf.compose import JointLabelClassifier

#: One change of the defaults at a time (the first row: the defaults).
CANDIDATES: dict[str, dict] = {
    "defaults": {},
    "quantile=0.95": {"quantile": 0.95},
    "quantile=0.99": {"quantile": 0.99},
    "carrier_bands=(1,)": {"carrier_bands": (1,)},
    "carrier_bands=(1, 4, 8)": {"carrier_bands": (1, 4, 8)},
    "raw_envelope=join": {"raw_envelope": "join"},
    "raw_envelope=None": {"raw_envelope": None},
    "n_coefficients=12": {"n_coefficients": 12},
    "n_coefficients=48": {"n_coefficients": 48},
    "max_frequency=500": {"max_frequency": 500.0},
    "adapt_scale=True": {"adapt_scale": True},
    "pseudo_label_share=0": {"pseudo_label_share": 0.0},
    "pseudo_label_share=0.5": {"pseudo_label_share": 0.5},
    "noisy_copies=0": {"noisy_copies": 0},
    "max_noise_ratio=1": {"max_noise_ratio": 1.0},
    "gate_distance=1.5": {"gate_distance": 1.5},
    "gate_distance=2": {"gate_distance": 2.0},
    "gate_distance=3": {"gate_distance": 3.0},
    # The default forest on joint labels: one class per combination of the
    # tasks' labels, so that a window gets a combination seen in training.
    "estimator=joint forest": {
        "estimator": JointLabelClassifier(
            RandomForestClassifier(n_estimators=300, n_jobs=2, random_state=0)
        )
    },
}
#: Settings read only at prediction: candidates that differ only in them
#: share one fit per inner split.
PREDICTION_ONLY = ("gate_distance",)
#: Settings that do not enter the stored key: the study fixes them.
UNKEYED = ("sampling_rate", "n_jobs", "random_state")


def settings_of(model: VibrationClassifier) -> dict:
    """The classifier's settings as stored beside its scores."""
    params = model.get_params(deep=False)
    return {
        name: describe(value)  # estimators by class and changed settings
        for name, value in sorted(params.items())
        if name not in UNKEYED
    }


def prediction_settings(model: VibrationClassifier) -> dict:
    """The settings of ``model`` that only prediction reads."""
    return {name: model.get_params()[name] for name in PREDICTION_ONLY}


def fit_groups(candidates: list[str]) -> list[list[str]]:
    """The candidates, grouped where their fitted models are the same."""
    groups: dict[str, list[str]] = {}
    for candidate in candidates:
        fit_settings = {
            name: value
            for name, value in CANDIDATES[candidate].items()
            if name not in PREDICTION_ONLY
        }
        groups.setdefault(
            json.dumps(describe(fit_settings), sort_keys=True), []
        ).append(candidate)
    return list(groups.values())


def record_key(
    settings: dict,
    adapted: bool,
    protocol,
    fold,
    held_out,
    behaviour: int = VERSIONS["vibration"],
) -> str | None:
    """A stored score's key; settings a record lacks are read at default.

    None for a record of a setting the classifier no longer has (or whose
    meaning changed and was renamed in the records): it matches nothing.
    ``behaviour`` is the ``vibration`` family's behaviour version
    (:mod:`benchmarks.behaviour`) the score was made under: a change of
    what the same settings do (a default estimator) keys anew.
    """
    defaults = settings_of(VibrationClassifier())
    if set(settings) - set(defaults):
        return None
    full = {**defaults, **settings}
    return json.dumps(
        [full, adapted, protocol, fold, held_out, behaviour], sort_keys=True
    )


@functools.cache
def base_accelerometer():
    """The base-accelerometer windows of every faulty recording."""
    from tsclf.datasets import load_cwru_windows

    return load_cwru_windows(
        shared_cwru_folder(), channels=("BA",), fault=["IR", "B", "OR"]
    )


def other_sensor(problem, train: np.ndarray):
    """The base-accelerometer windows of ``train``'s faulty recordings."""
    windows = base_accelerometer()
    recordings = {str(g).split("#")[0] for g in problem.groups[train]}
    kept = np.isin(windows.groups.astype(str), sorted(recordings))
    return windows.X[kept], windows.y.to_numpy().astype(str)[kept]


def inner_splits(problem, train: np.ndarray):
    """(kind, held-out name, fit windows, validation X, validation y)."""
    for kind, values in (("load", problem.loads), ("bearing", problem.bearings)):
        held = np.asarray(values)[train].astype(str)
        for name in np.unique(held):
            validation = train[held == name]
            yield (
                kind,
                f"{kind} {name}",
                train[held != name],
                problem.X[validation],
                problem.y[validation],
            )
    yield ("sensor", "sensor BA", train, *other_sensor(problem, train))


def score(kind: str, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Location accuracy on a held-out bearing; joint accuracy otherwise."""
    if kind == "bearing":
        return float(np.mean(y_true[:, 1] == y_pred[:, 1]))
    return float(np.mean((y_true == y_pred).all(axis=1)))


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("results/vibration"))
    parser.add_argument(
        "--records",
        type=Path,
        default=Path("benchmarks/records/vibration_selection.jsonl"),
    )
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES))
    args = parser.parse_args(argv)
    args.records.parent.mkdir(parents=True, exist_ok=True)
    stored = {}
    if args.records.exists():
        for line in args.records.read_text().splitlines():
            row = json.loads(line)
            key = record_key(
                *(row[k] for k in ("settings", "adapted", "protocol")),
                row["fold"],
                row["held_out"],
                # Version 2 until the version entered the records.
                row.get("behaviour", 2),
            )
            if key is not None:
                stored[key] = row
    rows = []
    for protocol in SHIFT_SUITE:
        problem = load_problem(protocol, "CWRU")
        for fold, train, _ in problem.folds:  # the test side is never used
            for kind, held_out, fit_on, X_val, y_val in inner_splits(problem, train):
                for group in fit_groups(args.candidates):
                    models = {
                        candidate: VibrationClassifier(
                            sampling_rate=problem.sampling_rate,
                            random_state=0,
                            n_jobs=2,
                            **CANDIDATES[candidate],
                        )
                        for candidate in group
                    }
                    keys = {
                        (candidate, adapted): record_key(
                            settings_of(model), adapted, protocol, fold, held_out
                        )
                        for candidate, model in models.items()
                        for adapted in (False, True)
                    }
                    if not all(key in stored for key in keys.values()):
                        # One fit serves the group: they differ at prediction.
                        fitted = models[group[0]].fit(
                            problem.X[fit_on], problem.y[fit_on]
                        )
                        for adapted in (False, True):
                            if adapted:
                                fitted.adapt(X_val)
                            for candidate, model in models.items():
                                key = keys[candidate, adapted]
                                if key in stored:
                                    continue
                                fitted.set_params(**prediction_settings(model))
                                stored[key] = {
                                    "settings": settings_of(model),
                                    "adapted": adapted,
                                    "protocol": protocol,
                                    "fold": fold,
                                    "held_out": held_out,
                                    "kind": kind,
                                    "behaviour": VERSIONS["vibration"],
                                    "score": score(kind, y_val, fitted.predict(X_val)),
                                }
                                with args.records.open("a") as records:
                                    records.write(json.dumps(stored[key]) + "\n")
                    for (candidate, adapted), key in keys.items():
                        label = candidate + (", adapted" if adapted else "")
                        rows.append({"candidate": label, **stored[key]})
                        print(
                            f"{protocol} {fold} {held_out} {label}: "
                            f"{stored[key]['score']:.3f}",
                            flush=True,
                        )
    rows = pd.DataFrame(rows).drop(columns="settings")
    table = rows.pivot_table(
        index="candidate", columns=["protocol", "kind"], values="score", aggfunc="mean"
    )
    per_kind = rows.pivot_table(
        index="candidate", columns="kind", values="score", aggfunc="mean"
    )
    table["mean per fit"] = rows.groupby("candidate")["score"].mean()
    table["validation score"] = per_kind.mean(axis=1)
    table = table.sort_values("validation score", ascending=False)
    table.columns = [" ".join(c).strip() if isinstance(c, tuple) else c for c in table]
    summary = "\n".join(
        [
            provenance(
                "benchmarks.studies.vibration_selection",
                ["--candidates", *args.candidates],
            ),
            "",
            "Validation score of each candidate setting of VibrationClassifier, "
            "as fitted and adapted to the held-out windows: inside each "
            "shift-protocol fold's training recordings only, one load held out "
            "(joint accuracy), one damaged bearing held out (location accuracy) "
            "and the base accelerometer of the faulty training recordings "
            "(sensor; joint accuracy); means over the held-out groups and folds, "
            "the mean over every inner fit, and the validation score: the mean "
            "of the three kinds of shift, each the mean over its inner fits "
            "(the three weigh the same, as the three protocols do). Seed 0.",
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
