"""Fit and score one model on one fold, with its time and memory."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from tsclf.metrics import joint_accuracy, task_score


class PeakMemory:
    """Peak growth of this process's resident memory while in the block.

    A background thread samples the RSS every 10 ms; ``peak_mb`` is the
    largest increase over the RSS at entry. On CUDA, ``gpu_peak_mb`` is
    torch's peak allocation during the block.
    """

    def __init__(self, device: str | None = None) -> None:
        self.device = device
        self.peak_mb = 0.0
        self.gpu_peak_mb: float | None = None

    def __enter__(self) -> PeakMemory:
        import psutil

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


def scores(y_true: np.ndarray, y_pred: np.ndarray, tasks: list[str]) -> dict:
    """Accuracy and macro-F1 per task, plus joint accuracy for several tasks."""
    result: dict[str, float] = {}
    for column, task in enumerate(tasks):
        result[f"acc {task}"] = task_score(y_true, y_pred, task=column)
        result[f"F1 {task}"] = task_score(
            y_true, y_pred, task=column, metric="f1_macro"
        )
    if len(tasks) > 1:
        result["joint acc"] = joint_accuracy(y_true, y_pred)
    return result


def run_fold(estimator, problem, train, test, *, pass_groups: bool) -> dict[str, Any]:
    """Fit on ``train``, predict ``test``; return metrics, times and predictions."""
    device = getattr(estimator, "device", None)
    fit_params = {}
    if pass_groups and problem.groups is not None:
        fit_params["groups"] = problem.groups[train]
    with PeakMemory(device) as memory:
        start = time.perf_counter()
        estimator.fit(problem.X[train], problem.y[train], **fit_params)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        predicted = np.asarray(estimator.predict(problem.X[test])).astype(str)
        predict_s = time.perf_counter() - start
    row: dict[str, Any] = {
        **scores(problem.y[test], predicted, problem.tasks),
        "fit s": fit_s,
        "predict windows/s": len(test) / predict_s,
        "peak MB": memory.peak_mb,
        "n train": len(train),
        "n test": len(test),
    }
    if memory.gpu_peak_mb is not None:
        row["GPU peak MB"] = memory.gpu_peak_mb
    if hasattr(estimator, "n_epochs_"):
        row["epochs"] = estimator.n_epochs_
    row["predicted"] = predicted.tolist()
    return row
