"""Running the fits: one after the other, on worker processes or on dask."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from benchmarks.config import RunConfig
from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context, adapted_twin, build_estimator
from benchmarks.outputs import cpu
from benchmarks.protocols import Problem, load_problem
from benchmarks.store import Store, fit_key
from benchmarks.suites import CURVE_PROTOCOLS


def build(model: str, problem: Problem, seed: int, n_train: int, config: RunConfig):
    """The estimator for one fit, with the run's overrides applied."""
    context = Context(
        sampling_rate=problem.sampling_rate,
        seed=seed,
        n_jobs=config.n_jobs,
        device=config.device,
        suite=config.suite,
        protocol=problem.protocol,
        n_train=n_train,
    )
    return build_estimator(
        model, context, max_epochs=config.max_epochs, verbose=config.verbose
    )


@dataclass(frozen=True)
class Unit:
    """One fit: a model and seed on one fold of a problem, and its record's key.

    It names its problem rather than holding it, so that sending it to
    another process is cheap; each process loads a problem once.
    """

    protocol: str
    dataset: str
    model: str
    seed: int
    fold_name: str
    key: str

    @property
    def problem(self) -> Problem:
        return load_problem(self.protocol, self.dataset)

    @property
    def fold(self) -> tuple[str, np.ndarray, np.ndarray]:
        return next(fold for fold in self.problem.folds if fold[0] == self.fold_name)

    def describe(self) -> str:
        return f"{self.dataset}/{self.protocol}/{self.fold_name} {self.model}"


@functools.cache
def store_at(path: Path) -> Store:
    """The store at ``path``, one per process."""
    return Store(path)


def make_unit(
    protocol: str, dataset: str, model: str, seed: int, fold, config: RunConfig
) -> Unit:
    """The unit of one fold, with its record's key."""
    problem = load_problem(protocol, dataset)
    _, train, _ = fold
    spec = MODELS[model]
    key = fit_key(
        model=model,
        behaviour=spec.behaviour_family,
        estimator=build(model, problem, seed, len(train), config),
        protocol=protocol,
        dataset=dataset,
        seed=seed,
        fold=fold,
        fit_groups=problem.model_fit_groups(
            train, spec.validate_on, deep=spec.family == "deep"
        ),
    )
    return Unit(protocol, dataset, model, seed, fold[0], key)


def fit_unit(unit: Unit, config: RunConfig) -> dict | None:
    """Fit and score one unit, record its result in the store and return it.

    A result that another run sharing the store recorded since this run
    made its plan is read instead of fitted again; a fit another run is
    doing (see :meth:`benchmarks.store.Store.claim`) is skipped, and None
    returned. A model with an adapted twin (``cnn`` and ``cnn-adabn``)
    scores both from this one fit, and claims both results while it runs.
    """
    store = store_at(config.store_path)
    keys = {unit.model: unit.key}
    twin = adapted_twin(unit.model)
    if twin is not None:
        keys[twin] = make_unit(
            unit.protocol, unit.dataset, twin, unit.seed, unit.fold, config
        ).key
    with contextlib.ExitStack() as claims:
        if not all(claims.enter_context(store.claim(k)) for k in keys.values()):
            return None
        store.sync()
        if unit.key in store and not config.no_cache:
            return store.get(unit.key)
        return _fit_and_record(unit, keys, store, config)


def _fit_and_record(
    unit: Unit, keys: dict[str, str], store: Store, config: RunConfig
) -> dict:
    """Fit ``unit`` and record its result (and its twin's) under ``keys``."""
    problem = unit.problem
    fold, train, test = unit.fold
    estimator = build(unit.model, problem, unit.seed, len(train), config)
    spec = MODELS[unit.model]
    curve = problem.protocol in CURVE_PROTOCOLS and config.suite == "full"
    # The twin's result is recorded too, unless it already is.
    twin = adapted_twin(unit.model)
    row = run_fold(
        estimator,
        problem,
        train,
        test,
        deep=spec.family == "deep",
        validate_on=spec.validate_on,
        curve=curve,
        adapt=twin is not None,
    )
    rows = {unit.model: row}
    if twin is not None:
        plain, adapted = (twin, unit.model) if spec.adapts else (unit.model, twin)
        rows = {plain: row, adapted: row.pop("adapted")}
    for model, result in rows.items():
        result |= {"model": model, "family": spec.family}
        result |= {"dataset": problem.dataset, "protocol": problem.protocol}
        result |= {"fold": fold, "seed": unit.seed}
        # Which CPU (model and speed flags) and how many threads timed it.
        result |= {"host": cpu(), "threads": torch.get_num_threads()}
        if model == unit.model or config.no_cache or keys[model] not in store:
            store.put(keys[model], result)
    return rows[unit.model]


def fit_all(units: list[Unit], config: RunConfig, progress) -> list[dict | None]:
    """Fit ``units`` one after the other, or on ``config.workers`` processes,
    or on the dask cluster at ``config.scheduler``; rows come back in the
    order given (None for a fit another run was doing)."""
    if config.workers == 1 and not config.scheduler:
        rows = []
        for unit in units:
            progress.set_postfix_str(unit.describe())
            rows.append(fit_unit(unit, config))
            progress.update()
        return rows
    from contextlib import nullcontext

    from joblib import Parallel, delayed, parallel_config

    client, backend, n_jobs = None, nullcontext(), config.workers
    if config.scheduler:
        from dask.distributed import Client

        client = Client(config.scheduler)
        backend, n_jobs = parallel_config(backend="dask"), -1
    tasks = (
        delayed(_indexed_fit)(index, unit, config) for index, unit in enumerate(units)
    )
    rows: list[dict | None] = [None] * len(units)
    try:
        with backend:
            parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
            for index, row in parallel(tasks):
                rows[index] = row
                progress.set_postfix_str(f"done: {units[index].describe()}")
                progress.update()
    finally:
        if client is not None:
            client.close()
    return rows


def _indexed_fit(index: int, unit: Unit, config: RunConfig):
    return index, fit_unit(unit, config)
