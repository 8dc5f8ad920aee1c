"""The record of every benchmark fit: one compressed JSON-lines file per suite.

A fit's record is found by a key made of what decides its result, and
nothing else:

- the model's name (what :mod:`benchmarks.models` builds under it);
- the settings that differ from their classes' defaults
  (:func:`changed_settings`), so that a new parameter whose default keeps
  the old behaviour keeps every key, with classes named as they are
  imported (:func:`public_name`), so that moving one between private
  modules keeps them too;
- the training-behaviour version of the model's family
  (:mod:`benchmarks.behaviour`), which a change of what a fit learns bumps
  (a test holds a tiny fit's fingerprint per family and fails until it is);
- the data, the fold's train and test positions and the groups a model's
  own validation split reads.

``n_jobs``, ``device`` and ``verbose`` are left out: they change how fast a
fit runs, not its result.

A fit under way is claimed by a ``.running`` file in ``claims/`` beside the
store, so that runs sharing a store never fit the same thing at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import hashlib
import importlib
import inspect
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import joblib
import numpy as np

from benchmarks.behaviour import VERSIONS
from benchmarks.protocols import load_problem

IGNORED = ("n_jobs", "device", "verbose")


def describe(value):
    """``value`` as JSON-able data: classes and functions by their names,
    estimators by their class and the settings they change from its
    defaults, containers item by item."""
    if inspect.isclass(value) or inspect.isroutine(value):
        return public_name(value)
    if isinstance(value, functools.partial):
        return {
            "partial": describe(value.func),
            "args": describe(list(value.args)),
            "keywords": describe(value.keywords),
        }
    if hasattr(value, "get_params"):
        return {"class": describe(type(value)), **changed_settings(value)}
    if isinstance(value, list | tuple):
        return [describe(item) for item in value]
    if isinstance(value, dict):
        return {str(name): describe(item) for name, item in sorted(value.items())}
    if isinstance(value, np.ndarray):
        return describe(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    # Other objects (a skorch callback) by their class and public state.
    state = {k: v for k, v in sorted(vars(value).items()) if not k.startswith("_")}
    return {"class": describe(type(value)), **describe(state)}


def public_name(value) -> str:
    """The dotted name under which a class or function is imported.

    The shallowest public module that hands out ``value`` itself names it
    (``sklearn.ensemble.RandomForestClassifier``, not
    ``sklearn.ensemble._forest.RandomForestClassifier``), so that moving a
    class between private modules keeps every key that names it. A value
    no public module hands out keeps its defining module's name.
    """
    module, qualname = value.__module__, value.__qualname__
    parts = module.split(".")
    if "<locals>" not in qualname:
        for depth in range(1, len(parts) + 1):
            if parts[depth - 1].startswith("_"):
                break
            prefix = ".".join(parts[:depth])
            try:
                found = functools.reduce(
                    getattr, qualname.split("."), importlib.import_module(prefix)
                )
            except (ImportError, AttributeError):
                continue
            if found is value:
                return f"{prefix}.{qualname}"
    return f"{module}.{qualname}"


_ABSENT = "<absent>"


def changed_settings(estimator) -> dict:
    """The settings of ``estimator`` that differ from its class's defaults.

    Parameters are read with ``get_params(deep=False)``; one whose value
    describes differently from its constructor default is kept, described
    in full (a nested estimator with its own changed settings). Prefixed
    settings that the constructor does not name (``module__n_filters``)
    always count.
    """
    signature = inspect.signature(type(estimator)).parameters
    changed = {}
    for name, value in sorted(estimator.get_params(deep=False).items()):
        if name.endswith(IGNORED):
            continue
        parameter = signature.get(name)
        default = _ABSENT if parameter is None else parameter.default
        described = describe(value)
        if default is inspect.Parameter.empty or described != describe(default):
            changed[name] = described
    return changed


@functools.cache
def data_fingerprint(protocol: str, dataset: str) -> str:
    """Short hash of a problem's series and labels."""
    problem = load_problem(protocol, dataset)
    return joblib.hash((problem.X, problem.y))[:10]


def fit_key(
    *,
    model: str,
    behaviour: str,
    estimator,
    protocol: str,
    dataset: str,
    seed: int,
    fold: tuple[str, np.ndarray, np.ndarray],
    fit_groups: np.ndarray | None,
) -> str:
    """The key of one fit's record (see the module's description)."""
    name, train, test = fold
    text = json.dumps(
        {
            "model": model,
            "settings": describe(estimator),
            "behaviour": [behaviour, VERSIONS[behaviour]],
            "data": data_fingerprint(protocol, dataset),
            "fold": [name, joblib.hash((train, test))],
            "groups": None if fit_groups is None else joblib.hash(fit_groups),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{dataset}/{protocol}/{model}/{name}/seed{seed}/{digest}"


class Store:
    """One suite's records: a gzip file of JSON lines, each ``{"key": ..., **row}``.

    Records are appended (a gzip member each, under a file lock, so that
    several runs can share the store) and a later record of a key replaces
    an earlier one; :meth:`compact` rewrites the file as one stream.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._rows: dict[str, dict] = {}
        self._read_up_to: tuple[int, int] | None = None  # (inode, size) read

    def sync(self) -> None:
        """Read what other runs sharing the store have added since the last read."""
        if not self.path.exists():
            self._rows, self._read_up_to = {}, None
            return
        with self._locked(shared=True):
            self._load()

    def _load(self) -> None:
        """Read the records appended since the last read (all, if rewritten)."""
        stat = self.path.stat()
        offset = 0
        if self._read_up_to is not None and self._read_up_to[0] == stat.st_ino:
            offset = self._read_up_to[1]  # appended members follow it
        else:
            self._rows = {}  # new, or rewritten by compact
        if offset == stat.st_size:
            return
        with self.path.open("rb") as raw:
            raw.seek(offset)
            with gzip.open(raw, "rt") as lines:
                for line in lines:
                    row = json.loads(line)
                    self._rows[row.pop("key")] = row
            self._read_up_to = (stat.st_ino, raw.tell())

    def __contains__(self, key: str) -> bool:
        if self._read_up_to is None:
            self.sync()
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        """Iterate over the keys recorded, after reading what runs added."""
        self.sync()
        return iter(list(self._rows))

    def __len__(self) -> int:
        self.sync()
        return len(self._rows)

    def get(self, key: str) -> dict:
        """A copy of the record of ``key``."""
        if key not in self:
            self.sync()
        return json.loads(json.dumps(self._rows[key]))

    def put(self, key: str, row: dict) -> None:
        """Append the record of ``key``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(), gzip.open(self.path, "at") as lines:
            lines.write(json.dumps({"key": key, **row}) + "\n")
        self._rows[key] = json.loads(json.dumps(row))

    def compact(self, keep=None) -> None:
        """Rewrite the file as one gzip stream, the latest record of each key.

        ``keep``, a function of a key, leaves out the records it refuses.
        """
        if not self.path.exists():
            return
        with self._locked():
            self._load()
            if keep is not None:
                self._rows = {key: row for key, row in self._rows.items() if keep(key)}
            partial = self.path.with_suffix(".partial")
            with gzip.GzipFile(partial, "wb", mtime=0) as raw:
                for key in sorted(self._rows):
                    line = json.dumps({"key": key, **self._rows[key]}) + "\n"
                    raw.write(line.encode())
            os.replace(partial, self.path)
            self._read_up_to = (self.path.stat().st_ino, self.path.stat().st_size)

    @contextlib.contextmanager
    def _locked(self, shared: bool = False) -> Iterator[None]:
        lock = self.path.with_suffix(".lock")
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def prune_superseded(self, current: list[str]) -> int:
        """Drop the records that ``current`` keys supersede; return how many.

        A record is superseded when a current key names the same data set,
        protocol, model, fold and seed with another digest: the model's
        settings or its family's behaviour changed since it ran. Records
        of units no current key names are kept.
        """
        self.sync()
        latest = {key.rsplit("/", 1)[0]: key for key in current}
        before = len(self._rows)

        def keep(key: str) -> bool:
            unit = key.rsplit("/", 1)[0]
            return unit not in latest or latest[unit] == key

        self.compact(keep)
        return before - len(self._rows)

    def _claim_file(self, key: str) -> Path:
        name = hashlib.sha256(key.encode()).hexdigest()[:16]
        return self.path.parent / "claims" / f"{name}.running"

    @contextlib.contextmanager
    def claim(self, key: str) -> Iterator[bool]:
        """Claim the fit of ``key``; yield whether this process has it.

        The claim is a ``.running`` file naming the host and process,
        created atomically and removed on leaving, however the fit ends. A
        claim left by a process of this host that no longer runs (killed
        with ``kill -9``) is taken over; one from another host (a shared
        file system) is respected until its file is removed.
        """
        lock = self._claim_file(key)
        lock.parent.mkdir(parents=True, exist_ok=True)
        if _held_by_a_dead_process(lock):
            lock.unlink(missing_ok=True)
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            yield False
            return
        with os.fdopen(descriptor, "w") as file:
            file.write(f"{socket.gethostname()} {os.getpid()} {key}")
        try:
            yield True
        finally:
            lock.unlink(missing_ok=True)

    def is_claimed(self, key: str) -> bool:
        """Whether a live process claims the fit of ``key``."""
        lock = self._claim_file(key)
        return lock.exists() and not _held_by_a_dead_process(lock)


def _held_by_a_dead_process(lock: Path) -> bool:
    try:
        host, pid, *_ = lock.read_text().split()
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
