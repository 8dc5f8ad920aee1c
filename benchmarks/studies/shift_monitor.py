"""Does ShiftMonitor warn where models fail, and stay quiet where they hold?

Per fold of the shift suite's CWRU protocols, a default
:class:`tsclf.monitoring.ShiftMonitor` learns the training windows' range
and checks the whole test side: the share of test windows outside the
range of 99 % of the training windows, and whether it warns. Beside it,
the headline score of the anchors and default networks on that fold,
read from the suite's record of fits (mean over the seeds recorded), so that the
warning can be judged against what it is for: the models' accuracy
falling. A control with no shift: each leave-one-load-out training side
split into recordings to learn from and recordings held out (same loads,
same sensor; whole recordings, the lone normal one as its blocks), and
the official train/test splits of six UCR/UEA sets.

Run: ``TSCLF_SHARED=... python -m benchmarks.studies.shift_monitor --out
docs/results/shift-monitor`` (under a minute; reads
``benchmarks/records/shift.jsonl.gz``, never fits a model).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit

from benchmarks.config import RunConfig
from benchmarks.execute import store_at
from benchmarks.outputs import provenance
from benchmarks.protocols import HEADLINE, SHIFT_SUITE, load_problem
from benchmarks.run import units_of
from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import BandEnergies

MODELS = ("minirocket", "spectral-rf", "cnn", "resnet")
UCR_SETS = (
    "GunPoint",
    "ArrowHead",
    "BasicMotions",
    "ItalyPowerDemand",
    "OSULeaf",
    "ACSF1",
)


def recorded_score(records: Path, protocol: str, model: str, fold: str) -> float:
    """Mean headline score of the shift suite's recorded fits of ``model`` on
    ``fold`` (at the model's current settings)."""
    headline = HEADLINE[protocol]
    config = RunConfig(
        suite="shift",
        protocols=(protocol,),
        models=(model,),
        folds=(fold,),
        records=records,
    )
    store = store_at(config.store_path)
    units = [unit for unit in units_of(config) if unit.key in store]
    scores = [store.get(unit.key)[headline] for unit in units]
    return float(np.mean(scores)) if scores else float("nan")


def monitored(X_train, X_test, features: BandEnergies) -> dict:
    """The verdict on ``X_test`` of a monitor of ``features`` fitted on ``X_train``."""
    report = ShiftMonitor(features=features, random_state=0).fit(X_train).check(X_test)
    return {
        "test windows": report.n_samples,
        "share outside": report.share_outside,
        "warns": report.shifted,
        "moved most": ", ".join(f"{name} {move:+.1f}" for name, move in report.moved),
    }


def cwru_features(problem) -> BandEnergies:
    """The monitor's default features, with the sampling rate only to name the
    bands in Hz (the bands and the verdict are the same without it)."""
    return BandEnergies(n_bands=16, sampling_rate=problem.sampling_rate)


def control_rows(seeds: int) -> list[dict]:
    """No shift: recordings held out of each leave-one-load-out training side."""
    problem = load_problem("lolo", "CWRU")
    rows = []
    for fold, train, _ in problem.folds:
        groups = problem.fit_groups[train]  # the normal recording as blocks
        for seed in range(seeds):
            split = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=seed)
            learn, held_out = next(split.split(train, groups=groups))
            row = monitored(
                problem.X[train[learn]],
                problem.X[train[held_out]],
                cwru_features(problem),
            )
            rows.append({"training loads of": fold, "split": seed, **row})
    return rows


def ucr_rows() -> list[dict]:
    """No shift either: the official train/test split of each equal-length set
    sktime ships. Series shorter than 32 samples get fewer bands (16 need
    32 samples)."""
    from tsclf.datasets import load_ucr_uea

    rows = []
    for name in UCR_SETS:
        X_train = load_ucr_uea(name, split="train")[0]
        X_test = load_ucr_uea(name, split="test")[0]
        n_bands = min(16, X_train.shape[-1] // 2 - 1)
        row = monitored(X_train, X_test, BandEnergies(n_bands=n_bands))
        rows.append(
            {
                "data set": name,
                "train series": X_train.shape[0],
                "features": n_bands * X_train.shape[1],
                **row,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=Path, default=Path("benchmarks/records"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seeds", type=int, default=3, help="control splits per fold")
    args = parser.parse_args(argv)
    control = pd.DataFrame(control_rows(args.seeds))
    ucr = pd.DataFrame(ucr_rows())
    rows = []
    for protocol in SHIFT_SUITE:
        problem = load_problem(protocol, "CWRU")
        for fold, train, test in problem.folds:
            row = monitored(problem.X[train], problem.X[test], cwru_features(problem))
            scores = {
                model: recorded_score(args.records, protocol, model, fold)
                for model in MODELS
            }
            rows.append({"protocol": protocol, "fold": fold, **row, **scores})
    table = pd.DataFrame(rows)
    text = "\n\n".join(
        [
            provenance("benchmarks.studies.shift_monitor", argv),
            "Scores: the headline score of each "
            "fold (joint accuracy; location accuracy leaving a size out), mean "
            "over the recorded seeds of the shift suite.",
            "## Under shift",
            table.to_markdown(index=False, floatfmt=".3f"),
            "## No shift: recordings held out of the training side",
            control.to_markdown(index=False, floatfmt=".3f"),
            "## No shift: UCR/UEA official splits",
            ucr.to_markdown(index=False, floatfmt=".3f"),
        ]
    )
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "summary.md").write_text(text + "\n")
        table.to_csv(args.out / "results.csv", index=False)
        control.to_csv(args.out / "control.csv", index=False)
        ucr.to_csv(args.out / "ucr.csv", index=False)
    return table


if __name__ == "__main__":
    main()
