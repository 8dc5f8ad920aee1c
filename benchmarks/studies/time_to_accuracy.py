"""Time to accuracy on this CPU: today's training against one learning-rate cycle.

For the CNN, LITE and ResNet, sets today's training (the estimators'
defaults: float32, up to 50 epochs, the rate halved on plateaus, early
stopping) beside one learning-rate cycle over a third or less of the
epochs (``<model>-one-cycle``) and the same in bfloat16 (``<model>-fast``),
under CWRU leave-one-load-out (three folds, three seeds). The fits and
their scores come from the shift suite's records, so run them first::

    python -m benchmarks.run --suite shift --protocols lolo --seeds 3 \\
        --models cnn-fast lite-fast resnet-fast cnn-one-cycle --workers 2 \\
        --results docs/results --records benchmarks/records

Today's fits on this suite ran partly on a GPU, so their fit seconds do not
say what they cost here. This study times today's training here instead:
``--epochs`` epochs of each default network on the fold ``load0`` (early
stopping off; two such fits at once, one thread each, as the suite's fits
ran), whose median seconds per epoch times the
epochs today's recorded fits ran gives today's CPU seconds per fit. The new
settings' fit seconds are their records' own (one thread each, two fits at
once). Per model and settings it prints the joint accuracy (mean over
folds, ± the standard deviation of the seeds' means), whether it is within
today's seed spread (no lower than today's mean less today's spread), the
fit seconds and their fraction of today's. Writes ``results.csv`` and
``summary.md`` to ``--out``.

Usage::

    python -m benchmarks.studies.time_to_accuracy [--models cnn lite resnet]
        [--epochs 2] [--out docs/results/time-to-accuracy]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context
from benchmarks.outputs import provenance, save_side_results
from benchmarks.protocols import load_problem
from benchmarks.run import parse_args, run

#: Today's model and the settings set beside it.
VARIANTS = ("", "-one-cycle", "-fast")
_ROOT = Path(__file__).resolve().parents[2]
STORE = [
    "--results",
    str(_ROOT / "docs/results"),
    "--records",
    str(_ROOT / "benchmarks/records"),
]


def recorded(models: list[str], seeds: int) -> pd.DataFrame:
    """The leave-one-load-out records of ``models`` at their current settings."""
    config = parse_args(
        [
            *("--suite", "shift", "--protocols", "lolo", "--seeds", str(seeds)),
            *("--models", *models, "--cached-only", *STORE),
        ]
    )
    return run(config)


def built(model: str, n_train: int):
    """``model`` as the shift suite builds it for leave-one-load-out."""
    problem = load_problem("lolo", "CWRU")
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=0,
        n_jobs=1,
        device="cpu",
        suite="shift",
        protocol="lolo",
        n_train=n_train,
    )
    return MODELS[model].build(context)


def training(model: str) -> dict:
    """The settings that decide how long ``model`` trains."""
    params = built(model, 0).get_params()
    schedule = getattr(params["lr_scheduler"], "func", params["lr_scheduler"])
    return {
        "precision": params["precision"],
        "schedule": schedule.__name__,
        "lr": params["lr"],
        "max_epochs": params["max_epochs"],
    }


def seconds_per_epoch(model: str, epochs: int) -> float:
    """Median seconds per epoch of ``model`` at its settings, on fold load0,
    two fits at once on one thread each (as the new settings' fits ran)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        durations = pool.map(_epoch_durations, [model] * 2, [epochs] * 2)
        return float(np.median(np.concatenate(list(durations))))


def _epoch_durations(model: str, epochs: int) -> np.ndarray:
    import torch

    torch.set_num_threads(1)
    problem = load_problem("lolo", "CWRU")
    _, train, test = next(fold for fold in problem.folds if fold[0] == "load0")
    estimator = built(model, len(train))
    estimator.set_params(max_epochs=epochs, early_stopping_patience=None)
    run_fold(estimator, problem, train, test, deep=True)
    return np.asarray(estimator.history_[:, "dur"])


def summarise(model: str, fits: pd.DataFrame) -> dict:
    """Joint accuracy (mean, spread over seeds) and fit seconds of one model."""
    by_seed = fits.groupby("seed")["joint_acc"].mean()
    return {
        "joint_acc": by_seed.mean(),
        "seed_sd": by_seed.std(ddof=1) if len(by_seed) > 1 else np.nan,
        "fits": len(fits),
        "epochs": fits["epochs"].mean(),
        "fit_s": fits["fit_s"].mean(),
        "hosts": "; ".join(sorted(set(fits.get("host", pd.Series()).dropna()))),
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["cnn", "lite", "resnet"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    names = [m + v for m in args.models for v in VARIANTS if m + v in MODELS]
    results = recorded(names, args.seeds)
    rows = []
    for base in args.models:
        today = summarise(base, results[results["model"] == base])
        today["fit_s"] = today["epochs"] * seconds_per_epoch(base, args.epochs)
        today["hosts"] = "timed here"
        for variant in VARIANTS:
            name = base + variant
            fits = results[results["model"] == name]
            if name not in MODELS or fits.empty:
                continue
            row = today if not variant else summarise(name, fits)
            rows.append(
                {
                    "network": base,
                    "model": name,
                    **training(name),
                    **row,
                    "holds": row["joint_acc"] >= today["joint_acc"] - today["seed_sd"],
                    "fraction_of_today": row["fit_s"] / today["fit_s"],
                }
            )
            print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    hosts = sorted(set(table["hosts"]) - {"timed here"})
    text = (
        f"{provenance('benchmarks.studies.time_to_accuracy', argv)}\n\n"
        "CWRU leave-one-load-out (3 folds) x "
        f"{args.seeds} seeds. Today's fit_s: the epochs its recorded fits ran "
        f"x its median seconds per epoch timed here ({args.epochs} epochs on "
        "load0, two such fits at once, one thread each); the others' fit_s: "
        "their records' (one thread, two fits at once), timed on "
        f"{'; '.join(hosts) or 'hosts their records do not name'}. holds: "
        "joint accuracy no lower than today's mean less today's seed spread."
        f"\n\n{table.drop(columns='hosts').to_markdown(index=False, floatfmt='.3f')}\n"
    )
    save_side_results(table, text, args.out)
    return table


if __name__ == "__main__":
    main()
