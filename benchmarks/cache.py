"""Where each fit's result is cached, keyed by everything that changes it.

A result is one JSON file. Its key hashes the estimator's full
``get_params()`` (so any visible default that changes misses the cache),
the constructor defaults of class-valued settings (a network's or an
optimizer's own defaults), the validation groups a deep model gets, the
fold's train and test positions, the data and the tsclf version. The
objects in a list setting (augmentation transforms) count with all their
parameters, defaults included.
``n_jobs``, ``device`` and ``verbose`` are left out: they change how fast a
fit runs, not its result.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from pathlib import Path

import joblib
import numpy as np

import tsclf
from benchmarks.protocols import load_problem

IGNORED = ("n_jobs", "device", "verbose")


def fingerprint(estimator, fit_groups: np.ndarray | None = None) -> str:
    """Short hash of an estimator's settings (and a deep model's ``groups``)."""
    params = sorted(
        (name, _stable_repr(value), _class_defaults(value) + _element_params(value))
        for name, value in estimator.get_params(deep=True).items()
        if not name.endswith(IGNORED) and not hasattr(value, "get_params")
    )
    text = f"{type(estimator).__name__}{params}"
    if fit_groups is not None:
        text += "|groups:" + ",".join(map(str, fit_groups))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _stable_repr(value) -> str:
    """``repr(value)``, without the memory addresses some objects print.

    A skorch callback's default repr names its address, which differs from
    one process to the next; such objects are named by their class instead
    (their parameters count through :func:`_element_params`). Other values
    keep their repr, so existing keys do not move.
    """
    text = repr(value)
    if " at 0x" not in text:
        return text
    if isinstance(value, list | tuple):
        return repr([_stable_repr(item) for item in value])
    return type(value).__name__


def _element_params(value) -> str:
    """Every parameter of the estimators in a list setting, else "".

    ``repr`` hides parameters left at their defaults, so a list of objects
    (e.g. augmentation transforms) must spell them out for a changed
    default to change the key.
    """
    if not isinstance(value, list | tuple):
        return ""
    described = [
        (type(item).__name__, sorted(item.get_params(deep=False).items()))
        for item in value
        if hasattr(item, "get_params")
    ]
    return repr(described) if described else ""


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


@functools.cache
def data_fingerprint(protocol: str, dataset: str) -> str:
    """Short hash of a problem's series and labels."""
    problem = load_problem(protocol, dataset)
    return joblib.hash((problem.X, problem.y))[:10]


def cache_path(
    folder: Path,
    *,
    protocol: str,
    dataset: str,
    model: str,
    seed: int,
    fold: tuple[str, np.ndarray, np.ndarray],
    estimator,
    fit_groups: np.ndarray | None,
) -> Path:
    """The JSON file of one fit's result."""
    name, train, test = fold
    key = hashlib.sha256(
        "|".join(
            (
                fingerprint(estimator, fit_groups),
                joblib.hash((train, test)),
                data_fingerprint(protocol, dataset),
                tsclf.__version__,
            )
        ).encode()
    ).hexdigest()[:10]
    return folder / dataset / protocol / f"{model}__{name}__seed{seed}__{key}.json"


def read(path: Path) -> dict:
    """A cached result."""
    return json.loads(path.read_text())


def write(path: Path, row: dict) -> None:
    """Cache a result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(row))
