"""Where our ResNet and FCN fall short of dl-4-tsc on a UCR set, and why.

Fits the full suite's ``resnet``, ``resnet-fullres`` and ``fcn`` models on
one UCR/UEA set with its official split, each as the suite fits it and
with one change at a time, and prints the test accuracy per seed beside
the published dl-4-tsc mean (Ismail Fawaz et al. 2019). The changes:

- ``epochs``: dl-4-tsc's epoch budget (1,500 for ResNet, 2,000 for FCN)
  with no early stopping, keeping the epoch of lowest training loss as
  dl-4-tsc's checkpointing does; the suite trains up to 500 epochs and
  stops after 50 without a lower training loss;
- ``no dropout``: the default ResNet without its dropout;
- ``resnet-fullres``: three residual blocks that keep the full time
  resolution, as dl-4-tsc's ResNet does, instead of the default's eight
  blocks, three of which halve the length.

Each variant is compared with the unchanged model on the same seeds, in
the same run: on ArrowHead's 36 training series one seed differs from the
next by several points, more than most of the changes do. The fits run as
the suite's do with ``--workers 2``, one core each. Float sums differ with
the thread count, and the suite's first UCR fits ran one at a time on two
threads, so the unchanged models need not repeat its cached figures.

About 40 minutes on 2 CPU cores for ArrowHead and 3 seeds, most of it for
the long-trained variants.

Usage::

    python -m benchmarks.studies.dl4tsc_gap [--dataset ArrowHead] [--seeds 3]
        [--variants resnet ...] [--workers 2] [--device auto|cpu|cuda]
        [--max-epochs N]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context, cap_epochs
from benchmarks.protocols import UCR_DATASETS, load_problem
from benchmarks.report import PUBLISHED_TWIN, REFERENCE

# Variant name: (the suite's model, settings changed from the suite's).
VARIANTS: dict[str, tuple[str, dict]] = {
    "resnet": ("resnet", {}),
    "resnet, 1500 epochs": (
        "resnet",
        {"max_epochs": 1500, "early_stopping_patience": 1500},
    ),
    "resnet, no dropout": (
        "resnet",
        {"module__block_dropout": 0.0, "module__head_dropout": 0.0},
    ),
    "resnet-fullres": ("resnet-fullres", {}),
    "resnet-fullres, 1500 epochs": (
        "resnet-fullres",
        {"max_epochs": 1500, "early_stopping_patience": 1500},
    ),
    "fcn": ("fcn", {}),
    "fcn, 2000 epochs": ("fcn", {"max_epochs": 2000, "early_stopping_patience": 2000}),
}


def fit_variant(
    variant: str, dataset: str, seed: int, device: str, max_epochs: int | None
) -> dict:
    """Fit one variant with one seed on the official split; its scores."""
    model, changes = VARIANTS[variant]
    problem = load_problem("ucr", dataset)
    _, train, test = problem.folds[0]
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=seed,
        n_jobs=1,
        device=device,
        suite="full",
        protocol=problem.protocol,
        n_train=len(train),
    )
    estimator = MODELS[model].build(context).set_params(**changes)
    estimator = cap_epochs(estimator, max_epochs)
    row = run_fold(estimator, problem, train, test, deep=True)
    print(
        f"{variant}, seed {seed}: accuracy {row['acc_class']:.3f}, "
        f"{row['epochs']} epochs, fit in {row['fit_s']:.0f} s",
        flush=True,
    )
    return {
        "variant": variant,
        "model": model,
        "seed": seed,
        "accuracy": row["acc_class"],
        "epochs": row["epochs"],
        "fit_s": row["fit_s"],
    }


def summarize(rows: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """One line per variant: accuracy per seed, mean ± std, and the gap to
    the published dl-4-tsc mean of its network."""
    published = pd.read_csv(REFERENCE).set_index(["dataset", "method"])["accuracy"]
    lines = []
    for variant, group in rows.groupby("variant", sort=False):
        twin = PUBLISHED_TWIN[group["model"].iloc[0]]
        reference = published.get((dataset, twin), np.nan)
        accuracy = group["accuracy"]
        lines.append(
            {
                "variant": variant,
                "accuracy per seed": ", ".join(f"{a:.3f}" for a in accuracy),
                "mean": accuracy.mean(),
                "std": accuracy.std(ddof=1) if len(accuracy) > 1 else 0.0,
                "published": f"{twin} {reference:.3f}",
                "gap (points)": 100 * (accuracy.mean() - reference),
                "epochs": ", ".join(str(e) for e in group["epochs"]),
                "mean fit s": group["fit_s"].mean(),
            }
        )
    return pd.DataFrame(lines)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    from joblib import Parallel, delayed

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=UCR_DATASETS, default="ArrowHead")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS)
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument(
        "--max-epochs", type=int, default=None, help="cap (a quick check only)"
    )
    args = parser.parse_args(argv)
    jobs = (
        delayed(fit_variant)(variant, args.dataset, seed, args.device, args.max_epochs)
        for variant in args.variants
        for seed in range(args.seeds)
    )
    rows = pd.DataFrame(Parallel(n_jobs=args.workers)(jobs))
    table = summarize(rows, args.dataset)
    print(f"\n{args.dataset}, official split, {args.seeds} seeds\n")
    print(table.to_markdown(index=False, floatfmt=".3f"))
    return table


if __name__ == "__main__":
    main()
