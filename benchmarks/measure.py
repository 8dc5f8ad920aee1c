"""Fit and score one model on one fold, with its time and memory."""

from __future__ import annotations

import ctypes
import gc
import threading
import time
from typing import Any

import numpy as np
from skorch.callbacks import Callback

from tsclf.classification import SeedEnsembleClassifier
from tsclf.deep import network_logits
from tsclf.metrics import joint_accuracy, task_score

CURVE_TAIL = 5  # epochs over which the held-out curve's spread is reported


class PeakMemory:
    """Peak growth of this process's resident memory while in the block.

    A background thread samples the RSS every 10 ms; ``peak_mb`` is the
    largest increase over the RSS at entry. On entry, memory that earlier
    work freed is handed back to the operating system (garbage collection,
    then glibc's ``malloc_trim`` where it exists); otherwise a model could
    reuse it unseen and look lighter than it is. On CUDA, ``gpu_peak_mb`` is
    torch's peak allocation during the block.
    """

    def __init__(self, device: str | None = None) -> None:
        self.device = device
        self.peak_mb = 0.0
        self.gpu_peak_mb: float | None = None

    def __enter__(self) -> PeakMemory:
        import psutil

        _release_freed_memory()
        self._process = psutil.Process()
        self._start = self._process.memory_info().rss
        self._peak = self._start
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        if self._cuda():
            import torch

            torch.cuda.reset_peak_memory_stats()
        return self

    def _cuda(self) -> bool:
        import torch

        return bool(self.device and self.device.startswith("cuda")) and (
            torch.cuda.is_available()
        )

    def _sample(self) -> None:
        while self._running:
            self._peak = max(self._peak, self._process.memory_info().rss)
            time.sleep(0.01)

    def __exit__(self, *exc_info) -> None:
        self._running = False
        self._thread.join()
        self._peak = max(self._peak, self._process.memory_info().rss)
        self.peak_mb = (self._peak - self._start) / 2**20
        if self._cuda():
            import torch

            self.gpu_peak_mb = torch.cuda.max_memory_allocated() / 2**20


class HeldOutCurve(Callback):
    """Score a held-out set after every epoch, for reporting only.

    The fold's test windows are predicted with the current weights after
    each epoch. The scores play no part in training, early stopping or the
    weights kept, and the random state is restored afterwards, so a fit with
    the curve is identical to one without. They show whether training has
    settled: a run whose accuracy still swings from one epoch to the next is
    not done. When early stopping ends training it stops the epoch's
    callbacks, so the last epoch (whose weights are then replaced by the
    best epoch's) is not scored. The time spent here is kept in
    ``seconds_`` so that fit time can leave it out.
    """

    def __init__(self, estimator, X: np.ndarray, y: np.ndarray) -> None:
        self.estimator = estimator
        self.X = X
        self.y = y

    def initialize(self) -> HeldOutCurve:
        self.scores_: list[float] = []
        self.seconds_ = 0.0
        return self

    def on_epoch_end(self, net, **kwargs) -> None:
        import torch

        start = time.perf_counter()
        # Predicting draws a seed from torch's global generator (the data
        # loader's); restoring it leaves dropout and shuffling untouched.
        cuda = str(net.device).startswith("cuda")
        with torch.random.fork_rng(devices=[net.device] if cuda else []):
            logits = network_logits(net, self.estimator.network_input(self.X))
        predicted = self.estimator.label_encoder_.predict(logits)
        self.scores_.append(joint_accuracy(self.y, predicted))
        self.seconds_ += time.perf_counter() - start


def _release_freed_memory() -> None:
    gc.collect()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return
    libc.malloc_trim(0)


def scores(y_true: np.ndarray, y_pred: np.ndarray, tasks: list[str]) -> dict:
    """Accuracy and macro-F1 per task, plus joint accuracy for several tasks."""
    result: dict[str, float] = {}
    for column, task in enumerate(tasks):
        result[f"acc_{task}"] = task_score(y_true, y_pred, task=column)
        result[f"f1_{task}"] = task_score(
            y_true, y_pred, task=column, metric="f1_macro"
        )
    if len(tasks) > 1:
        result["joint_acc"] = joint_accuracy(y_true, y_pred)
    return result


def run_fold(
    estimator,
    problem,
    train,
    test,
    *,
    deep: bool,
    validate_on: str = "blocks",
    curve: bool = False,
    adapt: bool = False,
) -> dict[str, Any]:
    """Fit on ``train``, predict ``test``; return metrics, times and predictions.

    Deep models get the problem's validation blocks as ``groups``; with
    ``validate_on="load"`` or ``"bearing"`` any model gets its motor loads
    or fault sizes instead (:meth:`Problem.model_fit_groups`); with
    ``curve`` they also score ``test`` after every epoch (:class:`HeldOutCurve`,
    whose time is not counted in the fit time). With ``adapt``, after those
    predictions the fitted model adapts to the unlabelled test windows
    (``estimator.adapt``) and predicts them again: the row's ``"adapted"``
    entry holds that second row (same fit; adapting counts as prediction
    time; the peak memory covers both).
    """
    # A seed ensemble reports its members' device setting, epochs (mean)
    # and the device they trained on.
    is_ensemble = isinstance(estimator, SeedEnsembleClassifier)
    device = getattr(estimator.estimator if is_ensemble else estimator, "device", None)
    groups = problem.model_fit_groups(train, validate_on, deep=deep)
    fit_params = {} if groups is None else {"groups": groups}
    heldout = None
    if deep and curve:
        heldout = HeldOutCurve(estimator, problem.X[test], problem.y[test])
        callbacks = [*(estimator.callbacks or []), ("heldout_curve", heldout)]
        estimator.set_params(callbacks=callbacks)
    with PeakMemory(device) as memory:
        start = time.perf_counter()
        estimator.fit(problem.X[train], problem.y[train], **fit_params)
        fit_s = time.perf_counter() - start - (heldout.seconds_ if heldout else 0.0)
        predictions = [_timed_predict(estimator, problem.X[test], adapt=False)]
        if adapt:
            predictions.append(_timed_predict(estimator, problem.X[test], adapt=True))
    rows = [
        {
            **scores(problem.y[test], predicted, problem.tasks),
            "fit_s": fit_s,
            "predict_windows_per_s": len(test) / predict_s,
            "peak_mb": memory.peak_mb,
            "n_train": len(train),
            "n_test": len(test),
            "predicted": predicted.tolist(),
        }
        for predicted, predict_s in predictions
    ]
    row = rows[0]
    if memory.gpu_peak_mb is not None:
        row["gpu_peak_mb"] = memory.gpu_peak_mb
    members = estimator.estimators_ if is_ensemble else [estimator]
    epochs = [member.n_epochs_ for member in members if hasattr(member, "n_epochs_")]
    if epochs:
        row["epochs"] = epochs[0] if len(epochs) == 1 else float(np.mean(epochs))
    if hasattr(members[0], "device_"):  # fit times compare only on one device
        row["device"] = str(members[0].device_)
    if hasattr(estimator, "best_params_"):  # a search: what it chose
        row["selected"] = estimator.best_params_
    if heldout is not None:
        tail = heldout.scores_[-CURVE_TAIL:]
        row |= {"last5_min": min(tail), "last5_max": max(tail)}
        row["curve"] = heldout.scores_
    if adapt:  # the same fit: its epochs, device and GPU memory
        shared = ("gpu_peak_mb", "epochs", "device")
        row["adapted"] = rows[1] | {k: row[k] for k in shared if k in row}
    return row


def _timed_predict(estimator, X, *, adapt: bool) -> tuple[np.ndarray, float]:
    """Labels for ``X`` (after adapting to it) and the seconds that took."""
    start = time.perf_counter()
    if adapt:
        estimator.adapt(X)
    predicted = np.asarray(estimator.predict(X)).astype(str)
    return predicted, time.perf_counter() - start
