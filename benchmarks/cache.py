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

A fit under way is claimed by a ``.running`` file beside its result, so two
runs sharing the cache never fit the same thing at once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import os
import socket
from collections.abc import Iterator
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


@contextlib.contextmanager
def claim(path: Path) -> Iterator[bool]:
    """Claim the fit whose result goes to ``path``; yield whether this process has it.

    The claim is a ``.running`` file naming the host and process, created
    atomically and removed on leaving, however the fit ends. A claim left by
    a process of this host that no longer runs (killed with ``kill -9``) is
    taken over; one from another host (a shared file system) is respected
    until its file is removed.
    """
    lock = path.with_suffix(".running")
    lock.parent.mkdir(parents=True, exist_ok=True)
    if _held_by_a_dead_process(lock):
        lock.unlink(missing_ok=True)
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        yield False
        return
    with os.fdopen(descriptor, "w") as file:
        file.write(f"{socket.gethostname()} {os.getpid()}")
    try:
        yield True
    finally:
        lock.unlink(missing_ok=True)


def is_claimed(path: Path) -> bool:
    """Whether a live process claims the fit whose result goes to ``path``."""
    lock = path.with_suffix(".running")
    return lock.exists() and not _held_by_a_dead_process(lock)


def _held_by_a_dead_process(lock: Path) -> bool:
    try:
        host, pid = lock.read_text().split()
    except (FileNotFoundError, ValueError):  # none, or being written
        return False
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
