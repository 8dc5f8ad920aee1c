"""Evaluation protocols: which windows train and which test, fold by fold.

CWRU (embedded data, 1200-sample windows at 12 kHz, three tasks):

- ``leaky``: a random stratified window split (25 % test). Windows of one
  recording sit on both sides, neighbours overlap in content, and early
  stopping validates on random windows too. Shown only for contrast: it is
  what inflates published CWRU accuracies.
- ``recording``: one stratified split by recording: a third of the
  recordings (10 of 30, one per joint class) are held out whole; the lone
  normal recording counts as three blocks.
- ``lolo``: leave one motor load out (0, 1, 2 HP): train on two loads, test
  on the third.

Deep models stop early on a validation split of their training windows.
Under ``recording`` and ``lolo`` that split is drawn by block: every
training recording is cut into five contiguous blocks (windows do not
overlap, so no two blocks share a sample) and whole blocks are held out.
Holding out whole recordings instead would take one of the two recordings of
some classes out of training under leave-one-load-out.

Shift protocols, for models trusted on a machine they have not seen:

- ``cross-sensor``: the same recordings through another transfer path.
  Train on the drive-end accelerometer, test on the fan-end one
  (``de-to-fe``), and the reverse (``fe-to-de``). It reads the original
  ``.mat`` files (the embedded copy holds the drive end only) from
  ``$TSCLF_SHARED/data/cwru``.
- ``loso``: leave one fault size out. On CWRU each fault size is a
  different physical bearing (Vieira et al. 2025), so holding out a size is
  the only split with no damaged bearing on both sides: train on two sizes
  and two blocks of the normal recording, test on the third size and the
  third block. The size task cannot transfer (its test label is never
  trained on), so the protocol is scored on location and detection.

UCR/UEA (``ucr``): the official train/test split of each set, one task.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

#: What a model's own selection holds out of its training windows (the
#: ``groups`` its ``fit`` gets): ``"blocks"`` of every training recording (a
#: deep model's validation split; classical models get no groups), a whole
#: motor ``"load"``, or a whole ``"bearing"`` (fault size), conditions the
#: model does not train on.
VALIDATION_GROUPS = ("blocks", "load", "bearing")
SHARED_ENV = "TSCLF_SHARED"
UCR_DATASETS = (
    "GunPoint",
    "ArrowHead",
    "ItalyPowerDemand",
    "OSULeaf",
    "ACSF1",
    "BasicMotions",
    "JapaneseVowels",
    "PLAID",
)


@dataclass
class Problem:
    """A data set with its folds under one protocol."""

    dataset: str
    protocol: str
    X: np.ndarray
    y: np.ndarray  # (n,) for one task, (n, n_tasks) for several
    tasks: list[str]
    folds: list[tuple[str, np.ndarray, np.ndarray]] = field(default_factory=list)
    groups: np.ndarray | None = None  # recording of each window (CWRU)
    fit_groups: np.ndarray | None = None  # deep models' validation blocks
    sampling_rate: float = 1.0
    loads: np.ndarray | None = None  # motor load of each window (CWRU)
    bearings: np.ndarray | None = None  # fault size of each window (CWRU)

    def model_fit_groups(
        self, train: np.ndarray, validate_on: str = "blocks", *, deep: bool = True
    ) -> np.ndarray | None:
        """The ``groups`` a model's ``fit`` gets on ``train``, if any: a deep
        model's validation blocks, or with ``validate_on="load"`` or
        ``"bearing"`` the motor loads or fault sizes, for any model (see
        :data:`VALIDATION_GROUPS`)."""
        if validate_on not in VALIDATION_GROUPS:
            raise ValueError(f"validate_on={validate_on!r}; use {VALIDATION_GROUPS}.")
        if validate_on == "blocks":
            blocks = self.fit_groups if deep else None
            return None if blocks is None else blocks[train]
        groups = self.loads if validate_on == "load" else self.bearings
        if groups is None:
            raise ValueError(
                f"{self.dataset}/{self.protocol} has no {validate_on} per window."
            )
        return groups[train]


def cwru_problem(protocol: str, seed: int = 0) -> Problem:
    """The CWRU windows split under ``protocol``."""
    return PROTOCOLS[protocol].load("CWRU", seed)


def _window_problem(protocol: Protocol, dataset: str, seed: int = 0) -> Problem:
    """The embedded CWRU windows, split into ``protocol``'s folds."""
    from tsclf.datasets import TASKS, load_cwru_windows
    from tsclf.model_selection import block_lone_recordings
    from tsclf.utils.labels import joint_labels

    if dataset != "CWRU":
        raise ValueError(f"The {protocol.name} protocol splits CWRU, not {dataset}.")
    windows = load_cwru_windows()
    sizes = windows.y["size"].to_numpy()
    windows = replace(windows, metadata=windows.metadata.assign(fault_size=sizes))
    # The lone normal recording becomes three blocks spread over the loads
    # (or, leaving a size out, over the sizes): each spread is computed on
    # the same blocks, so both give the same windows.
    spread = {
        column: block_lone_recordings(windows, condition=column)
        for column in ("load_hp", "fault_size")
    }
    column = protocol.condition[0] if protocol.condition else "load_hp"
    windows = spread[column]
    y = windows.y.to_numpy().astype(str)
    return Problem(
        dataset="CWRU",
        protocol=protocol.name,
        X=windows.X,
        y=y,
        tasks=list(TASKS),
        folds=protocol.folds(windows, joint_labels(y), protocol, seed),
        groups=windows.groups,
        fit_groups=validation_blocks(windows) if protocol.blocks else None,
        sampling_rate=windows.sampling_rate,
        loads=spread["load_hp"].metadata["condition"].to_numpy(),
        bearings=spread["fault_size"].metadata["condition"].to_numpy().astype(str),
    )


def random_windows(windows, joint, protocol, seed) -> list:
    """One stratified split of single windows, 25 % held out."""
    from sklearn.model_selection import StratifiedShuffleSplit

    cv = StratifiedShuffleSplit(n_splits=1, test_size=0.25, random_state=seed)
    return [("random", tr, te) for tr, te in cv.split(windows.X, joint)]


def held_out_recordings(windows, joint, protocol, seed) -> list:
    """One stratified split of whole recordings: 10 held out, one per class."""
    from tsclf.model_selection import StratifiedGroupShuffleSplit

    cv = StratifiedGroupShuffleSplit(n_splits=1, test_size=10, random_state=seed)
    return [
        (f"split{i}", tr, te)
        for i, (tr, te) in enumerate(cv.split(windows.X, joint, windows.groups))
    ]


def leave_one_condition_out(windows, joint, protocol, seed) -> list:
    """One fold per value of the protocol's condition column."""
    from tsclf.model_selection import LeaveOneConditionOut

    conditions = windows.metadata["condition"].to_numpy()
    prefix = protocol.condition[1]
    return [
        (f"{prefix}{conditions[te][0]}", tr, te)
        for tr, te in LeaveOneConditionOut().split(
            windows.X, groups=windows.groups, conditions=conditions
        )
    ]


def validation_blocks(windows) -> np.ndarray:
    """Five contiguous blocks per recording: the deep models' ``groups``."""
    from tsclf.model_selection import block_groups

    recordings = list(np.unique(windows.groups))
    return block_groups(
        windows.groups,
        windows.starts,
        windows.length,
        recordings=recordings,
        n_blocks=5,
        gap=0,
    ).groups


def shared_cwru_folder() -> Path:
    """The folder of the original CWRU files, from ``$TSCLF_SHARED``."""
    shared = os.environ.get(SHARED_ENV)
    folder = Path(shared or ".") / "data" / "cwru"
    if not shared or not (folder / "MANIFEST.csv").is_file():
        raise FileNotFoundError(
            "The cross-sensor protocol reads the original CWRU .mat files (with "
            f"their fan-end channel) from ${SHARED_ENV}/data/cwru; set "
            f"{SHARED_ENV} to the folder above data/ (got {shared!r})."
        )
    return folder


def cross_sensor_problem(
    protocol: Protocol | None = None, dataset: str = "CWRU", seed: int = 0
) -> Problem:
    """Drive-end windows then fan-end windows of the same recordings."""
    from tsclf.datasets import TASKS, load_cwru_windows
    from tsclf.model_selection import block_groups
    from tsclf.utils.labels import joint_labels

    # One read of both channels: each window is cut at once from both ends.
    windows = load_cwru_windows(shared_cwru_folder(), channels=("DE", "FE"))
    sizes = windows.y["size"].to_numpy()
    windows = replace(windows, metadata=windows.metadata.assign(fault_size=sizes))
    n = len(windows)
    first, second = np.arange(n), np.arange(n, 2 * n)
    # Every window is kept: the lone normal recording's blocks only spread
    # its windows over the loads and sizes.
    blocks = block_groups(
        windows.groups, windows.starts, windows.length, y=joint_labels(windows.y), gap=0
    )
    spread = {
        column: blocks.spread(windows.metadata[column].to_numpy())
        for column in ("load_hp", "fault_size")
    }
    return Problem(
        dataset="CWRU",
        protocol="cross-sensor",
        X=np.concatenate([windows.X[:, :1], windows.X[:, 1:]]),
        y=np.concatenate([windows.y.to_numpy().astype(str)] * 2),
        tasks=list(TASKS),
        folds=[("de-to-fe", first, second), ("fe-to-de", second, first)],
        groups=np.concatenate([windows.groups] * 2),
        fit_groups=np.concatenate([validation_blocks(windows)] * 2),
        sampling_rate=windows.sampling_rate,
        loads=np.concatenate([spread["load_hp"]] * 2),
        bearings=np.concatenate([spread["fault_size"].astype(str)] * 2),
    )


def ucr_problem(name: str) -> Problem:
    """A UCR/UEA set with its official split as the one fold."""
    from tsclf.datasets import load_ucr_uea

    X_train, y_train = load_ucr_uea(name, split="train", unequal_length="pad")
    X_test, y_test = load_ucr_uea(name, split="test", unequal_length="pad")
    length = max(X_train.shape[2], X_test.shape[2])
    X = np.concatenate([_pad(X_train, length), _pad(X_test, length)])
    n_train = len(X_train)
    return Problem(
        dataset=name,
        protocol="ucr",
        X=X.astype(np.float32),
        y=np.concatenate([y_train, y_test]).astype(str),
        tasks=["class"],
        folds=[("official", np.arange(n_train), np.arange(n_train, len(X)))],
    )


def _pad(X: np.ndarray, length: int) -> np.ndarray:
    if X.shape[2] == length:
        return X
    return np.pad(X, ((0, 0), (0, 0), (0, length - X.shape[2])))


@dataclass(frozen=True)
class Protocol:
    """One way of cutting a data set into training and test folds.

    ``load(dataset, seed)`` returns the :class:`Problem` (the data and its
    folds); ``folds`` cuts the embedded CWRU windows, for protocols that
    read them. ``headline`` is the score the protocol is ranked by;
    ``shift``, whether it tests a model off its training distribution;
    ``condition``, the metadata column a leave-one-condition-out protocol
    holds out and its folds' name prefix; ``blocks``, whether deep models
    validate on blocks of their training recordings (else on random
    windows).
    """

    name: str
    description: str
    folds: Callable | None = None
    loader: Callable | None = None
    headline: str = "joint_acc"
    shift: bool = False
    condition: tuple[str, str] | None = None
    blocks: bool = True

    def load(self, dataset: str = "CWRU", seed: int = 0) -> Problem:
        return (self.loader or _window_problem)(self, dataset, seed)


def _ucr(protocol: Protocol, dataset: str, seed: int = 0) -> Problem:
    return ucr_problem(dataset)


#: Every protocol, by name; adding one is one entry here.
PROTOCOLS: dict[str, Protocol] = {
    protocol.name: protocol
    for protocol in (
        Protocol(
            "leaky",
            "single windows split at random (leaks; for contrast)",
            folds=random_windows,
            blocks=False,
        ),
        Protocol("recording", "whole recordings held out", folds=held_out_recordings),
        Protocol(
            "lolo",
            "leave one motor load out",
            folds=leave_one_condition_out,
            condition=("load_hp", "load"),
        ),
        Protocol(
            "cross-sensor",
            "drive-end accelerometer to fan-end, and back",
            loader=cross_sensor_problem,
            shift=True,
        ),
        Protocol(
            "loso",
            "leave one fault size (bearing) out",
            folds=leave_one_condition_out,
            headline="acc_location",
            shift=True,
            condition=("fault_size", "size"),
        ),
        Protocol("ucr", "the official train/test split", loader=_ucr),
    )
}
CWRU_PROTOCOLS = tuple(name for name in PROTOCOLS if name != "ucr")
SHIFT_PROTOCOLS = tuple(name for name, p in PROTOCOLS.items() if p.shift)
#: What a model trusted on a machine it has not seen is judged on: a new
#: operating point and the shift protocols.
SHIFT_SUITE = ("lolo", *SHIFT_PROTOCOLS)
#: The score each protocol is ranked by.
HEADLINE = {name: protocol.headline for name, protocol in PROTOCOLS.items()}


@functools.cache
def load_problem(protocol: str, dataset: str) -> Problem:
    """A problem, loaded once per process."""
    return PROTOCOLS[protocol].load(dataset)
