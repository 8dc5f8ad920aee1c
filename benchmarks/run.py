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
- ``full``, at the models' default settings, in five parts:

  1. CWRU leave-one-load-out with every model (the headline table);
  2. CWRU leaky and recording splits with the classical pipelines,
     MiniRocket and the six quick deep families (the leakage contrast);
  3. all eight UCR/UEA sets with MiniRocket and cesium + RF, 3 seeds;
  4. the UCR/UEA sets but PLAID with MLP, FCN, CNN and both ResNets,
     3 seeds;
  5. the five short UCR/UEA sets (GunPoint, ArrowHead, ItalyPowerDemand,
     BasicMotions, JapaneseVowels) with InceptionTime and LSTM-FCN, 3 seeds.

  251 fits, 15.8 hours of fit time in all on 2 CPU cores, measured
  (InceptionTime under leave-one-load-out alone: 4.5 h), about half that in
  wall-clock time with ``--workers 2``; minutes
  per part with ``--device cuda``. Deep models on PLAID, ACSF1 and OSULeaf
  beyond part 4 take hours per seed on a CPU; ask for them with
  ``--models`` and ``--datasets``.

Every (data set, protocol, fold, model, seed) result is cached as JSON
under ``<results>/cache/``, keyed by the model's settings, so a long suite
can run in pieces and re-running it only prints. Several runs may share a
cache: each skips the fits another has finished. Interrupt it any time
with Ctrl-C or ``kill``: worker processes stop with it, and the fits that
finished stay cached.
Results go to ``<results>/<suite>/``: ``results.csv``, ``summary.md`` and
PNG figures (accuracy against fit time, confusion matrices).

Usage::

    python -m benchmarks.run [--suite quick|full] [--protocols lolo ...]
        [--models resnet ...] [--datasets GunPoint ...] [--seeds N]
        [--folds load1 ...] [--device auto|cpu|cuda] [--max-epochs N]
        [--results DIR] [--no-cache] [-v] [--plan] [--cached-only]
        [--workers N | --scheduler ADDRESS]

``--plan`` lists the fits a command would run, how many are cached and the
fit time those took;
``--cached-only`` writes the tables and figures from the cached fits alone.
``--workers N`` runs N fits at once, each in its own process with its share
of the cores; ``--scheduler`` sends the fits to a dask cluster (its workers
must be able to import ``benchmarks`` and ``tsclf``). Fits that share a
machine slow each other down, so their fit times are less comparable.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import inspect
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import report
from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context
from benchmarks.protocols import (
    CWRU_PROTOCOLS,
    UCR_DATASETS,
    Problem,
    cwru_problem,
    ucr_problem,
)
from tsclf.datasets import TASKS as CWRU_TASKS

# In the full suite, deep models' held-out accuracy is recorded after every
# epoch under these protocols (reporting only; its time is left out of the
# fit time). Three epochs of the quick suite have nothing to settle.
CURVE_PROTOCOLS = ("lolo",)
# The classical pipelines and the MiniRocket anchor.
BASELINES = ("cesium-rf", "cesium-svc", "spectral-rf", "minirocket")
QUICK_DEEP = ("mlp", "cnn", "resnet", "lstm", "gru", "transformer")
# Configurations kept for the comparison with dl-4-tsc's UCR figures.
UCR_TWINS = ("resnet-fullres", "fcn")
ALL_CWRU = tuple(name for name in MODELS if name not in UCR_TWINS)
# Short series: InceptionTime and LSTM-FCN train for hundreds of epochs on
# UCR; on OSULeaf, ACSF1 and PLAID that takes hours per seed on a CPU.
SHORT_UCR = (
    "GunPoint",
    "ArrowHead",
    "ItalyPowerDemand",
    "BasicMotions",
    "JapaneseVowels",
)


@dataclass(frozen=True)
class Part:
    """Some models on some protocols (UCR: on some data sets, several seeds)."""

    protocols: tuple[str, ...]
    models: tuple[str, ...]
    datasets: tuple[str, ...] = ()
    seeds: int = 1


SUITES: dict[str, tuple[Part, ...]] = {
    "quick": (Part(("lolo",), BASELINES + QUICK_DEEP),),
    "full": (
        Part(("lolo",), ALL_CWRU),
        Part(("leaky", "recording"), BASELINES + QUICK_DEEP),
        Part(("ucr",), ("minirocket", "cesium-rf"), UCR_DATASETS, seeds=3),
        Part(
            ("ucr",),
            ("mlp", "fcn", "cnn", "resnet", "resnet-fullres"),
            tuple(name for name in UCR_DATASETS if name != "PLAID"),
            seeds=3,
        ),
        Part(("ucr",), ("inception", "lstm-fcn"), SHORT_UCR, seeds=3),
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
        "--folds", nargs="+", default=None, help="only these folds, e.g. load1"
    )
    parser.add_argument(
        "--seeds", type=int, default=None, help="UCR runs per model (CWRU: 1)"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--max-epochs", type=int, default=None, help="cap, deep only")
    parser.add_argument(
        "--n-jobs", type=int, default=-1, help="parallel jobs inside a classical model"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="fits run at once, each in its own process with cores/workers threads",
    )
    parser.add_argument(
        "--scheduler", default=None, help="dask scheduler address: fit on that cluster"
    )
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--no-cache", action="store_true", help="recompute all")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="deep models print a line per epoch (-vv: a progress bar per epoch)",
    )
    parser.add_argument(
        "--plan", action="store_true", help="list the fits, cached or not; run none"
    )
    parser.add_argument(
        "--cached-only", action="store_true", help="report the cached fits; run none"
    )
    return parser.parse_args(argv)


def fingerprint(estimator, fit_groups: np.ndarray | None = None) -> str:
    """Short hash of what changes a result: the settings (not n_jobs, device
    or verbose), the defaults of the classes among them (a network's
    hyperparameters, an optimizer's) and the validation blocks a deep model
    is given."""
    ignored = ("n_jobs", "device", "verbose")
    params = sorted(
        (name, repr(value), _class_defaults(value))
        for name, value in estimator.get_params(deep=True).items()
        if not name.endswith(ignored) and not hasattr(value, "get_params")
    )
    text = f"{type(estimator).__name__}{params}"
    if fit_groups is not None:
        text += "|groups:" + ",".join(map(str, fit_groups))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _class_defaults(value) -> str:
    """The constructor defaults of ``value`` if it is a class, else ""."""
    if not inspect.isclass(value):
        return ""
    try:
        parameters = inspect.signature(value).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return ""
    return repr(
        [
            (parameter.name, parameter.default)
            for parameter in parameters
            if parameter.default is not inspect.Parameter.empty
        ]
    )


def plan(args: argparse.Namespace) -> list[tuple[str, str, str, int]]:
    """The (protocol, data set, model, seed) units to run, in order.

    The suite's parts, narrowed to ``--protocols`` and ``--datasets`` where
    given; ``--seeds`` replaces the number of UCR seeds. With ``--models``
    the parts are set aside: exactly those models run on the protocols asked
    for (default: the suite's) and, for UCR, on ``--datasets`` (default:
    all).
    """
    parts = SUITES[args.suite]
    if args.models:
        protocols = args.protocols or sorted(
            {p for part in parts for p in part.protocols}
        )
        parts = (Part(tuple(protocols), tuple(args.models), UCR_DATASETS, 3),)
    units: list[tuple[str, str, str, int]] = []
    for part in parts:
        for protocol in part.protocols:
            if args.protocols and protocol not in args.protocols:
                continue
            if protocol in CWRU_PROTOCOLS:
                datasets, seeds = ["CWRU"], 1
            else:
                datasets = [
                    name
                    for name in part.datasets
                    if not args.datasets or name in args.datasets
                ]
                seeds = args.seeds or part.seeds
            for dataset in datasets:
                for model in part.models:
                    if MODELS[model].vibration_only and dataset != "CWRU":
                        continue
                    for seed in range(seeds):
                        unit = (protocol, dataset, model, seed)
                        if unit not in units:
                            units.append(unit)
    return units


def build(
    model: str, problem: Problem, seed: int, n_train: int, args: argparse.Namespace
):
    """The estimator for one fit, with the command line's overrides applied."""
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=seed,
        n_jobs=args.n_jobs,
        device=args.device,
        suite=args.suite,
        protocol=problem.protocol,
        n_train=n_train,
    )
    estimator = MODELS[model].build(context)
    if args.verbose and "verbose" in estimator.get_params():
        estimator.set_params(verbose=args.verbose)
    return cap_epochs(estimator, args.max_epochs)


def cap_epochs(estimator, max_epochs: int | None):
    """Lower a deep model's ``max_epochs`` to at most ``max_epochs``; others
    and ``None`` pass unchanged."""
    if max_epochs and "max_epochs" in estimator.get_params():
        estimator.set_params(
            max_epochs=min(max_epochs, estimator.get_params()["max_epochs"])
        )
    return estimator


@functools.cache
def load_problem(protocol: str, dataset: str) -> Problem:
    """A problem, loaded once per process."""
    return cwru_problem(protocol) if dataset == "CWRU" else ucr_problem(dataset)


@dataclass(frozen=True)
class Unit:
    """One fit: a model and seed on one fold of a problem, and its cache file.

    It names its problem rather than holding it, so that sending it to
    another process is cheap; each process loads a problem once.
    """

    protocol: str
    dataset: str
    model: str
    seed: int
    fold_name: str
    path: Path

    @property
    def problem(self) -> Problem:
        return load_problem(self.protocol, self.dataset)

    @property
    def fold(self) -> tuple[str, np.ndarray, np.ndarray]:
        return next(fold for fold in self.problem.folds if fold[0] == self.fold_name)

    def describe(self) -> str:
        return f"{self.dataset}/{self.protocol}/{self.fold_name} {self.model}"


def fit_unit(unit: Unit, args: argparse.Namespace) -> dict:
    """Fit and score one unit, write its result to the cache and return it.

    A result that another run sharing the cache wrote since this run made
    its plan is read instead of fitted again.
    """
    if unit.path.exists() and not args.no_cache:
        return json.loads(unit.path.read_text())
    problem = unit.problem
    fold, train, test = unit.fold
    estimator = build(unit.model, problem, unit.seed, len(train), args)
    family = MODELS[unit.model].family
    curve = problem.protocol in CURVE_PROTOCOLS and args.suite == "full"
    row = run_fold(estimator, problem, train, test, deep=family == "deep", curve=curve)
    row |= {"model": unit.model, "family": family}
    row |= {"dataset": problem.dataset, "protocol": problem.protocol}
    row |= {"fold": fold, "seed": unit.seed}
    unit.path.parent.mkdir(parents=True, exist_ok=True)
    unit.path.write_text(json.dumps(row))
    return row


def cache_path(
    problem: Problem, model: str, seed: int, fold, args: argparse.Namespace
) -> Path:
    """Where a fit's result is cached: keyed by everything that changes it."""
    name, train, _ = fold
    estimator = build(model, problem, seed, len(train), args)
    deep = MODELS[model].family == "deep"
    fit_groups = problem.deep_fit_groups(train) if deep else None
    key = f"{model}__{name}__seed{seed}__{fingerprint(estimator, fit_groups)}"
    return args.results / "cache" / problem.dataset / problem.protocol / f"{key}.json"


def fit_all(units: list[Unit], args: argparse.Namespace, progress) -> list[dict]:
    """Fit ``units`` one after the other, or on ``--workers`` processes, or on
    the dask cluster at ``--scheduler``; rows come back in the order given."""
    if args.workers == 1 and not args.scheduler:
        rows = []
        for unit in units:
            progress.set_postfix_str(unit.describe())
            rows.append(fit_unit(unit, args))
            progress.update()
        return rows
    from contextlib import nullcontext

    from joblib import Parallel, delayed, parallel_config

    client, config, n_jobs = None, nullcontext(), args.workers
    if args.scheduler:
        from dask.distributed import Client

        client = Client(args.scheduler)
        config, n_jobs = parallel_config(backend="dask"), -1
    tasks = (
        delayed(_indexed_fit)(index, unit, args) for index, unit in enumerate(units)
    )
    rows: list[dict] = [{}] * len(units)
    try:
        with config:
            parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
            for index, row in parallel(tasks):
                rows[index] = row
                progress.set_postfix_str(f"done: {units[index].describe()}")
                progress.update()
    finally:
        if client is not None:
            client.close()
    return rows


def _indexed_fit(index: int, unit: Unit, args: argparse.Namespace):
    return index, fit_unit(unit, args)


def run(args: argparse.Namespace) -> pd.DataFrame:
    from tqdm.auto import tqdm

    units = []
    for protocol, dataset, model, seed in plan(args):
        problem = load_problem(protocol, dataset)
        for fold in problem.folds:
            if args.folds is None or fold[0] in args.folds:
                path = cache_path(problem, model, seed, fold, args)
                units.append(Unit(protocol, dataset, model, seed, fold[0], path))
    cached = [unit.path.exists() and not args.no_cache for unit in units]
    if args.plan:
        return pd.DataFrame(
            {
                "dataset": [unit.dataset for unit in units],
                "protocol": [unit.protocol for unit in units],
                "model": [unit.model for unit in units],
                "fits": 1,
                "cached": np.array(cached, dtype=int),
                "fit s": [
                    json.loads(unit.path.read_text())["fit s"] if is_cached else 0.0
                    for unit, is_cached in zip(units, cached, strict=True)
                ],
            }
        )
    todo = [
        unit
        for unit, is_cached in zip(units, cached, strict=True)
        if not (is_cached or args.cached_only)
    ]
    progress = tqdm(
        total=len(units),
        initial=sum(cached),
        desc="benchmark",
        unit="fit",
        file=sys.stderr,
        disable=args.cached_only,
    )
    fitted = dict(zip(todo, fit_all(todo, args, progress), strict=True))
    progress.close()
    rows = []
    for unit, is_cached in zip(units, cached, strict=True):
        if is_cached:
            row = json.loads(unit.path.read_text())
        elif unit in fitted:
            row = fitted[unit]
        else:
            continue
        row["true"] = unit.problem.y[unit.fold[2]].tolist()
        rows.append(row)
    results = pd.DataFrame(rows)
    results.attrs["planned"] = len(units)
    results.attrs["missing"] = len(units) - len(rows)
    return results


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
    results.drop(columns=["predicted", "true", "curve"], errors="ignore").to_csv(
        folder / "results.csv", index=False
    )
    lines = [f"Command: `{command}`", "", f"Machine: {machine()}", ""]
    if results.attrs.get("missing"):
        done = results.attrs["planned"] - results.attrs["missing"]
        lines += [
            f"Partial: {done} of the {results.attrs['planned']} fits of this "
            "command have run; the tables show those.",
            "",
        ]
    lines += [
        f"Fit time of these {len(results)} fits: "
        f"{results['fit s'].sum() / 3600:.2f} h in all.",
        "",
    ]
    cwru = results[results["dataset"] == "CWRU"]
    for protocol in [p for p in CWRU_PROTOCOLS if p in set(cwru["protocol"])]:
        part = cwru[cwru["protocol"] == protocol]
        title = f"CWRU, {protocol} protocol"
        lines += [
            f"## {title}",
            "",
            "Mean over folds. Joint accuracy: all three tasks right (10 classes). "
            "Fit time per fold; peak MB: growth of the process's resident memory "
            "during fit and predict, from a baseline taken after freed memory is "
            "handed back to the operating system.",
            "",
            report.cwru_table(part).to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
        if part["fold"].nunique() > 1:
            caption = "Joint accuracy per held-out fold."
            if "last-5 min" in part and part["last-5 min"].notna().any():
                caption += (
                    " For deep models, the range of the held-out joint accuracy "
                    "over the last five epochs (recorded for reporting only) "
                    "shows whether training settled."
                )
            lines += [
                caption,
                "",
                report.fold_table(part).to_markdown(index=False, floatfmt=".3f"),
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
    if args.plan:
        keys = ["dataset", "protocol", "model"]
        table = results.groupby(keys, sort=False)[["fits", "cached", "fit s"]].sum()
        print(table.reset_index().to_markdown(index=False, floatfmt=".0f"))
        print(
            f"\n{table['cached'].sum()} of {table['fits'].sum()} fits cached; "
            f"they took {table['fit s'].sum() / 3600:.2f} h of fit time."
        )
        return results
    if results.empty:
        if args.cached_only and results.attrs.get("planned"):
            print(f"None of its {results.attrs['planned']} fits is cached yet.")
        else:
            print("Nothing to run: no model applies to the data sets asked for.")
        return results
    command = "python -m benchmarks.run " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    print(write_outputs(results, args.results / args.suite, command.strip()))
    print(f"\nResults, figures and cache: {args.results}/")
    return results


if __name__ == "__main__":
    import signal

    # Under ``python -m`` this file runs as ``__main__``; worker processes
    # (``--workers``, ``--scheduler``) unpickle functions by module name and
    # cannot import ``__main__``, so run the importable module's ``main``.
    from benchmarks.run import main as importable_main

    # ``kill`` stops a run as Ctrl-C does: joblib then stops the worker
    # processes, which would otherwise finish their fits unattended.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        importable_main()
    except KeyboardInterrupt:
        print(
            "\nInterrupted; the finished fits are cached and the same command "
            "resumes the run.",
            file=sys.stderr,
        )
        sys.exit(130)
