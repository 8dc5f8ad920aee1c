"""Benchmark runner: classical and deep models on real data, leakage-free.

The main job. It compares, on the embedded CWRU bearing data and on the UCR/UEA
sets that sktime ships:

- classical feature pipelines (cesium + RandomForest, cesium + SVC, FFT band
  and envelope-spectrum energies + RandomForest);
- the state-of-the-art classical anchor (MiniRocket + ridge);
- the deep estimators of :mod:`tsclf.classification`.

This module is the command line only. Its parts: suites as data
(:mod:`benchmarks.suites`), protocols (:mod:`benchmarks.protocols`), model
factories (:mod:`benchmarks.models`), the record of every fit
(:mod:`benchmarks.store`, keyed with :mod:`benchmarks.behaviour`),
execution backends (:mod:`benchmarks.execute`), one fit measured
(:mod:`benchmarks.measure`) and report writing (:mod:`benchmarks.report`,
:mod:`benchmarks.outputs`).

Suites, defined in :mod:`benchmarks.suites`: ``quick`` (the default, what
``make run`` runs; about 6 minutes on 2 CPU cores) and ``full`` in five
parts: 251 fits, 15.8 hours of fit time in all on 2 CPU cores, measured
(InceptionTime under leave-one-load-out alone: 4.5 h), about half that in
wall-clock time with ``--workers 2``; minutes per part with ``--device
cuda``. Deep models on PLAID, ACSF1 and OSULeaf beyond part 4 take hours
per seed on a CPU; ask for them with ``--models`` and ``--datasets``.

Every (data set, protocol, fold, model, seed) result is recorded in one
compressed JSON-lines file per suite, ``<records>/<suite>.jsonl.gz``
(``--records``, default ``<results>/records``; the committed evidence is
in ``benchmarks/records``), keyed by the model's name,
the settings it changes from their defaults, its family's training-behaviour
version, the fold and the data (:mod:`benchmarks.store`), so a long suite
can run in pieces and re-running it only prints. Several runs may share a
store: each skips the fits another has finished or is doing. Interrupt it
any time with Ctrl-C or ``kill``: worker processes stop with it, and the
fits that finished stay recorded.
Results go to ``<results>/<suite>/``: ``results.csv``, ``summary.md`` and
PNG figures (accuracy against fit time, confusion matrices).

Usage::

    python -m benchmarks.run [--suite quick|full] [--protocols lolo ...]
        [--models resnet ...] [--datasets GunPoint ...] [--seeds N]
        [--folds load1 ...] [--device auto|cpu|cuda] [--max-epochs N]
        [--results DIR] [--records DIR] [--no-cache] [-v] [--plan]
        [--cached-only] [--prune]
        [--workers N | --scheduler ADDRESS]

``--plan`` lists the fits a command would run, how many are cached (or under
way in another run) and the fit time the cached ones took;
``--cached-only`` writes the tables and figures from the cached fits alone;
``--prune`` drops the records that the command's fits supersede (the same
model, fold and seed recorded under other settings or an older behaviour
version), then reports as ``--cached-only`` does.
``--workers N`` runs N fits at once, each in its own process with its share
of the cores; ``--scheduler`` sends the fits to a dask cluster (its workers
must be able to import ``benchmarks`` and ``tsclf``). Fits that share a
machine slow each other down, so their fit times are less comparable.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.config import RunConfig
from benchmarks.execute import Unit, fit_all, make_unit, store_at
from benchmarks.models import MODELS
from benchmarks.outputs import write_outputs
from benchmarks.protocols import CWRU_PROTOCOLS, UCR_DATASETS, load_problem
from benchmarks.suites import SUITES, plan_units


def parse_args(argv: list[str] | None) -> RunConfig:
    """The run's frozen settings from the command line."""
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
        "--seeds", type=int, default=None, help="seeds per model (default: the suite's)"
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
    parser.add_argument(
        "--records",
        type=Path,
        default=None,
        help="folder of the suites' records of every fit (default: <results>/records)",
    )
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
    parser.add_argument(
        "--prune",
        action="store_true",
        help="drop the records this command's fits supersede (same model, "
        "fold and seed, other settings or behaviour); run none",
    )
    args = vars(parser.parse_args(argv))
    for name in ("protocols", "models", "datasets", "folds"):
        if args[name] is not None:
            args[name] = tuple(args[name])
    return RunConfig(**args)


def units_of(config: RunConfig) -> list[Unit]:
    """Every fit the run asks for, fold by fold, with its record's key."""
    units = []
    planned = plan_units(
        config.suite,
        protocols=config.protocols,
        models=config.models,
        datasets=config.datasets,
        seeds=config.seeds,
    )
    for protocol, dataset, model, seed in planned:
        for fold in load_problem(protocol, dataset).folds:
            if config.folds is None or fold[0] in config.folds:
                units.append(make_unit(protocol, dataset, model, seed, fold, config))
    return units


def run(config: RunConfig) -> pd.DataFrame:
    """Fit what is not cached; return every result of the run (or its plan)."""
    from tqdm.auto import tqdm

    units = units_of(config)
    store = store_at(config.store_path)
    if config.prune:
        dropped = store.prune_superseded([unit.key for unit in units])
        print(f"Dropped {dropped} superseded records from {config.store_path}.")
        config = replace(config, prune=False, cached_only=True)
    store.sync()
    cached = [unit.key in store and not config.no_cache for unit in units]
    if config.plan:
        return pd.DataFrame(
            {
                "dataset": [unit.dataset for unit in units],
                "protocol": [unit.protocol for unit in units],
                "model": [unit.model for unit in units],
                "fits": 1,
                "cached": np.array(cached, dtype=int),
                "running": [
                    int(not is_cached and store.is_claimed(unit.key))
                    for unit, is_cached in zip(units, cached, strict=True)
                ],
                "fit_s": [
                    store.get(unit.key)["fit_s"] if is_cached else 0.0
                    for unit, is_cached in zip(units, cached, strict=True)
                ],
            }
        )
    todo = [
        unit
        for unit, is_cached in zip(units, cached, strict=True)
        if not (is_cached or config.cached_only)
    ]
    progress = tqdm(
        total=len(units),
        initial=sum(cached),
        desc="benchmark",
        unit="fit",
        file=sys.stderr,
        disable=config.cached_only,
    )
    fitted = dict(zip(todo, fit_all(todo, config, progress), strict=True))
    progress.close()
    if todo:
        store.compact()
    # A unit skipped while another fit held its claim may have been recorded
    # since: an adapted twin whose base fit, in this run, records both.
    store.sync()
    for unit, row in fitted.items():
        if row is None and unit.key in store:
            fitted[unit] = store.get(unit.key)
    elsewhere = [unit.describe() for unit, row in fitted.items() if row is None]
    if elsewhere:
        print(
            f"{len(elsewhere)} fits were under way in another run and are left "
            f"out (run again once it is done): {', '.join(elsewhere)}. A fit's "
            f"'.running' file in {config.store_path.parent / 'claims'} claims "
            "it; remove the file if no run is doing that fit.",
            file=sys.stderr,
        )
    rows = []
    for unit, is_cached in zip(units, cached, strict=True):
        if is_cached:
            row = store.get(unit.key)
        elif fitted.get(unit) is not None:
            row = fitted[unit]
        else:
            continue
        row["true"] = unit.problem.y[unit.fold[2]].tolist()
        rows.append(row)
    results = pd.DataFrame(rows)
    results.attrs["planned"] = len(units)
    results.attrs["missing"] = len(units) - len(rows)
    return results


def main(argv: list[str] | None = None) -> pd.DataFrame:
    config = parse_args(argv)
    results = run(config)
    if config.plan:
        keys = ["dataset", "protocol", "model"]
        counts = ["fits", "cached", "running", "fit_s"]
        table = results.groupby(keys, sort=False)[counts].sum()
        print(table.reset_index().to_markdown(index=False, floatfmt=".0f"))
        print(
            f"\n{table['cached'].sum()} of {table['fits'].sum()} fits cached; "
            f"they took {table['fit_s'].sum() / 3600:.2f} h of fit time."
            f" {table['running'].sum()} under way in another run."
        )
        return results
    if results.empty:
        if config.cached_only and results.attrs.get("planned"):
            print(f"None of its {results.attrs['planned']} fits is cached yet.")
        else:
            print("Nothing to run: no model applies to the data sets asked for.")
        return results
    command = "python -m benchmarks.run " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    print(write_outputs(results, config.results / config.suite, command.strip()))
    print(f"\nResults and figures: {config.results}/; every fit: {config.store_path}")
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
            "\nInterrupted; the finished fits are recorded and the same command "
            "resumes the run.",
            file=sys.stderr,
        )
        sys.exit(130)
