"""Benchmark runner: classical and deep models on real data, leakage-free.

The main job. It compares, on the embedded CWRU bearing data and on the UCR/UEA
sets that sktime ships:

- classical feature pipelines (cesium + RandomForest, cesium + SVC, FFT band
  and envelope-spectrum energies + RandomForest);
- the state-of-the-art classical anchor (MiniRocket + ridge);
- the deep estimators of :mod:`tsclf.classification`.

Protocols are described in :mod:`benchmarks.protocols`, models in
:mod:`benchmarks.models`. Suites:

- ``quick`` (the default, what ``make run`` runs): CWRU leave-one-load-out
  with the classical pipelines, MiniRocket and six deep families (MLP, CNN,
  ResNet, LSTM, GRU, Transformer) trained for 3 epochs each. About 6
  minutes on 2 CPU cores.
- ``full``: CWRU under the leaky, recording and leave-one-load-out
  protocols with every model at its default settings, plus the UCR/UEA sets
  (3 seeds) with MiniRocket, cesium + RF, MLP, CNN, ResNet (default and
  full-resolution), InceptionTime and LSTM-FCN, set beside published
  accuracies. Estimated from measured epoch times at about 20 hours on 2
  CPU cores (CWRU deep models about 14 h, InceptionTime alone about 6 h);
  run it on a GPU with ``--device cuda``.

Every (data set, protocol, fold, model, seed) result is cached as JSON
under ``<results>/cache/``, keyed by the model's settings, so a long suite
can run in pieces (interrupt it any time) and re-running it only prints.
Results go to ``<results>/<suite>/``: ``results.csv``, ``summary.md`` and
PNG figures (accuracy against fit time, confusion matrices).

Usage::

    python -m benchmarks.run [--suite quick|full] [--protocols lolo ...]
        [--models resnet ...] [--datasets GunPoint ...] [--seeds N]
        [--device auto|cpu|cuda] [--max-epochs N] [--results DIR] [--no-cache]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarks import report
from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context
from benchmarks.protocols import CWRU_PROTOCOLS, UCR_DATASETS, Problem, problems
from tsclf.datasets import TASKS as CWRU_TASKS

UCR_MODELS = (
    "minirocket",
    "cesium-rf",
    "mlp",
    "cnn",
    "resnet",
    "resnet-fullres",
    "inception",
    "lstm-fcn",
)


@dataclass(frozen=True)
class Suite:
    protocols: tuple[str, ...]
    models: tuple[str, ...]
    datasets: tuple[str, ...]
    seeds: int
    ucr_models: tuple[str, ...] = UCR_MODELS


SUITES = {
    "quick": Suite(
        protocols=("lolo",),
        models=(
            "cesium-rf",
            "cesium-svc",
            "spectral-rf",
            "minirocket",
            "mlp",
            "cnn",
            "resnet",
            "lstm",
            "gru",
            "transformer",
        ),
        datasets=(),
        seeds=1,
    ),
    "full": Suite(
        protocols=(*CWRU_PROTOCOLS, "ucr"),
        models=tuple(name for name in MODELS if name != "resnet-fullres"),
        datasets=UCR_DATASETS,
        seeds=3,
    ),
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--suite", choices=list(SUITES), default="quick")
    parser.add_argument(
        "--protocols", nargs="+", choices=[*CWRU_PROTOCOLS, "ucr"], default=None
    )
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=None)
    parser.add_argument("--datasets", nargs="+", choices=UCR_DATASETS, default=None)
    parser.add_argument(
        "--seeds", type=int, default=None, help="UCR runs per model (CWRU: 1)"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--max-epochs", type=int, default=None, help="cap, deep only")
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--no-cache", action="store_true", help="recompute all")
    return parser.parse_args(argv)


def fingerprint(estimator) -> str:
    """Short hash of the settings that change results (not n_jobs or device)."""
    ignored = ("n_jobs", "device", "verbose")
    params = sorted(
        (name, repr(value))
        for name, value in estimator.get_params(deep=True).items()
        if not name.endswith(ignored) and not hasattr(value, "get_params")
    )
    text = f"{type(estimator).__name__}{params}"
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def units(problem: Problem, suite: Suite, args: argparse.Namespace):
    """(model, seed, fold) triples to run on ``problem``."""
    if problem.protocol == "ucr":
        models = args.models or suite.ucr_models
        seeds = args.seeds or suite.seeds
    else:
        models = args.models or suite.models
        seeds = 1
    for model in models:
        if MODELS[model].vibration_only and problem.dataset != "CWRU":
            continue
        for seed in range(seeds):
            for fold in problem.folds:
                yield model, seed, fold


def build(model: str, problem: Problem, seed: int, n_train: int, args, suite_name):
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=seed,
        n_jobs=args.n_jobs,
        device=args.device,
        suite=suite_name,
        protocol=problem.protocol,
        n_train=n_train,
    )
    estimator = MODELS[model].build(context)
    if args.max_epochs and "max_epochs" in estimator.get_params():
        estimator.set_params(
            max_epochs=min(args.max_epochs, estimator.get_params()["max_epochs"])
        )
    return estimator


def run(args: argparse.Namespace) -> pd.DataFrame:
    from tqdm.auto import tqdm

    suite = SUITES[args.suite]
    protocols = args.protocols or suite.protocols
    datasets = args.datasets or suite.datasets
    loaded = problems(protocols, datasets)
    work = [(p, *unit) for p in loaded for unit in units(p, suite, args)]
    cache = args.results / "cache"
    rows = []
    progress = tqdm(work, desc="benchmark", unit="fit", file=sys.stderr)
    for problem, model, seed, (fold, train, test) in progress:
        progress.set_postfix_str(f"{problem.dataset}/{problem.protocol}/{fold} {model}")
        estimator = build(model, problem, seed, len(train), args, args.suite)
        key = f"{model}__{fold}__seed{seed}__{fingerprint(estimator)}.json"
        path = cache / problem.dataset / problem.protocol / key
        if path.exists() and not args.no_cache:
            row = json.loads(path.read_text())
        else:
            family = MODELS[model].family
            row = run_fold(
                estimator, problem, train, test, pass_groups=family == "deep"
            )
            row |= {"model": model, "family": family}
            row |= {"dataset": problem.dataset, "protocol": problem.protocol}
            row |= {"fold": fold, "seed": seed}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(row))
        row["true"] = problem.y[test].tolist()
        rows.append(row)
    return pd.DataFrame(rows)


def machine() -> str:
    import torch

    cuda = torch.cuda.get_device_name() if torch.cuda.is_available() else "no CUDA"
    return (
        f"{platform.platform()}, {os.cpu_count()} CPU cores, torch "
        f"{torch.__version__}, {cuda}"
    )


def write_outputs(results: pd.DataFrame, folder: Path, command: str) -> str:
    """Print and save tables and figures; return the Markdown summary."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    results.drop(columns=["predicted", "true"]).to_csv(
        folder / "results.csv", index=False
    )
    lines = [f"Command: `{command}`", f"Machine: {machine()}", ""]
    cwru = results[results["dataset"] == "CWRU"]
    for protocol in [p for p in CWRU_PROTOCOLS if p in set(cwru["protocol"])]:
        part = cwru[cwru["protocol"] == protocol]
        title = f"CWRU, {protocol} protocol"
        lines += [
            f"## {title}",
            "",
            "Mean over folds. Joint accuracy: all three tasks right (10 classes). "
            "Fit time per fold; peak MB: growth of the process's resident memory "
            "during fit and predict (memory freed by an earlier model and reused "
            "is not counted).",
            "",
            report.cwru_table(part).to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
        report.plot_accuracy_vs_fit_time(part, "joint acc", title).savefig(
            folder / f"cwru_{protocol}_accuracy_vs_time.png", dpi=120
        )
        confusion = report.plot_best_confusion(part, CWRU_TASKS, title)
        confusion.savefig(folder / f"cwru_{protocol}_confusion.png", dpi=120)
        plt.close(confusion)
    ucr = results[results["protocol"] == "ucr"]
    if len(ucr):
        lines += [
            "## UCR/UEA, official splits",
            "",
            "Test accuracy, mean ± std over seeds (runs). Published figures: "
            "see benchmarks/reference/SOURCES.md.",
            "",
            report.ucr_table(ucr).to_markdown(index=False),
            "",
            "Gap to the published mean of the same model (points):",
            "",
            report.published_gaps(ucr).to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
        report.plot_accuracy_vs_fit_time(ucr, "acc class", "UCR/UEA").savefig(
            folder / "ucr_accuracy_vs_time.png", dpi=120
        )
    summary = "\n".join(lines)
    (folder / "summary.md").write_text(summary + "\n")
    return summary


def main(argv: list[str] | None = None) -> pd.DataFrame:
    args = parse_args(argv)
    results = run(args)
    if results.empty:
        print("Nothing to run: no model applies to the data sets asked for.")
        return results
    command = "python -m benchmarks.run " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    print(write_outputs(results, args.results / args.suite, command.strip()))
    print(f"\nResults, figures and cache: {args.results}/")
    return results


if __name__ == "__main__":
    main()
