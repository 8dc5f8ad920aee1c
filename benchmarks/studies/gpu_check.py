"""Check every deep classifier on a CUDA device against the CPU.

For each deep classifier of :mod:`tsclf.classification`, on a few hundred
embedded CWRU windows: fit a few epochs on the CPU and on CUDA with the
same seed, and print

- seconds per epoch on each device;
- how far the probabilities of the CUDA-trained network lie from those of
  the same weights run on the CPU (float rounding, cuDNN's algorithms and
  TF32 convolutions; held to the tolerance);
- how far the CPU-trained and CUDA-trained models' probabilities lie
  apart (training amplifies rounding over the epochs, so this gap is
  reported, not held to the tolerance);
- whether a model fitted on CUDA, pickled and loaded with CUDA hidden,
  predicts on the CPU the same labels;
- with automatic mixed precision (``precision="bfloat16"`` and
  ``"float16"``, the latter with a gradient scaler) on CUDA: seconds per
  epoch, and how far its probabilities lie from the float32 CUDA fit's
  (training in another precision takes another path, so this gap is
  reported, not held to the tolerance; its predictions must be finite).

Without CUDA it says so and exits 0.

Usage::

    python -m benchmarks.studies.gpu_check [--epochs 3] [--n-windows 300] \
        [--models CNN ...]
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from tsclf import classification
from tsclf.datasets import load_cwru_windows
from tsclf.deep import BaseDeepClassifier
from tsclf.export import load_model, save_model

TOLERANCE = 1e-2  # largest probability gap accepted between CPU and CUDA
# The deep classifiers; not the seed ensemble (a meta-estimator over them)
# nor VibrationClassifier (forests).
DEEP = [
    name
    for name in classification.__all__
    if issubclass(getattr(classification, name), BaseDeepClassifier)
]
_LOAD_ON_CPU = """
import pickle, sys
with open(sys.argv[1], "rb") as file:
    model, X = pickle.load(file)
print(" ".join(map(str, model.predict(X).ravel())))
"""

_LOAD_SAVED_ON_CPU = """
import sys
import numpy as np
from tsclf.export import load_model
model = load_model(sys.argv[1])
expected = np.load(sys.argv[2])
same = (model.predict(expected["X"]) == expected["labels"]).all()
gap = max(
    float(np.abs(p - expected[f"proba_{t}"]).max())
    for t, p in enumerate(model.predict_proba(expected["X"]))
)
print(f"device_={model.device_}, same labels: {same}, largest gap: {gap:.2e}")
"""


def run_without_gpu(script: str, *args) -> subprocess.CompletedProcess:
    """Run a Python script in a process that sees no GPU, as on a CPU machine."""
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--n-windows", type=int, default=300)
    parser.add_argument("--models", nargs="+", choices=DEEP, default=DEEP)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="also write a CSV")
    parser.add_argument(
        "--save-to", type=Path, default=None, help="save a CUDA-fitted CNN there"
    )
    return parser.parse_args(argv)


def check(name: str, X, y, groups, args) -> dict:
    """Fit one classifier on both devices and compare."""
    cls = getattr(classification, name)
    settings = {"max_epochs": args.epochs, "random_state": args.seed}
    on_cpu = cls(device="cpu", **settings).fit(X, y, groups=groups)
    on_gpu = cls(device="cuda", **settings).fit(X, y, groups=groups)
    gap = max(
        float(np.abs(a - b).max())
        for a, b in zip(on_cpu.predict_proba(X), on_gpu.predict_proba(X), strict=True)
    )
    with tempfile.NamedTemporaryFile(suffix=".pkl") as file:
        pickle.dump((on_gpu, X), file)
        file.flush()
        process = run_without_gpu(_LOAD_ON_CPU, file.name)
    loaded = process.stdout.split()
    with tempfile.TemporaryDirectory() as folder:
        same_weights = load_model(save_model(on_gpu, Path(folder) / "m.tsclf"))
    inference_gap = max(
        float(np.abs(a - b).max())
        for a, b in zip(
            same_weights.predict_proba(X), on_gpu.predict_proba(X), strict=True
        )
    )
    row = {
        "model": name,
        "cpu_s_per_epoch": float(np.mean(on_cpu.history_[:, "dur"])),
        "cuda_s_per_epoch": float(np.mean(on_gpu.history_[:, "dur"])),
        "same_weights_gap": inference_gap,
        "agree": inference_gap <= TOLERANCE,
        "trained_gap": gap,
        "pickle_predicts_on_cpu": loaded == list(map(str, on_gpu.predict(X).ravel())),
    }
    if process.returncode:  # keep the reason; the other checks still count
        row["pickle_error"] = (process.stderr.strip().splitlines() or ["?"])[-1]
    for precision in ("bfloat16", "float16"):
        mixed = cls(device="cuda", precision=precision, **settings).fit(
            X, y, groups=groups
        )
        probabilities = mixed.predict_proba(X)
        row[f"{precision}_s_per_epoch"] = float(np.mean(mixed.history_[:, "dur"]))
        row[f"{precision}_proba_gap"] = max(
            float(np.abs(a - b).max())
            for a, b in zip(probabilities, on_gpu.predict_proba(X), strict=True)
        )
        row[f"{precision}_finite"] = all(np.isfinite(p).all() for p in probabilities)
    return row


def save_cuda_model(X, y, groups, args) -> None:
    """Fit a CNN on CUDA, save it with tsclf.export and load it in a CPU process.

    Writes ``<save_to>.tsclf`` and ``<save_to>.npz`` (50 windows, the labels
    and probabilities predicted on CUDA), which the test suite loads on a
    machine without a GPU.
    """
    from tsclf.classification import CNNClassifier
    from tsclf.export import save_model

    model = CNNClassifier(
        device="cuda", max_epochs=args.epochs, not_applicable="n/a", random_state=0
    ).fit(X, y, groups=groups)
    path = save_model(model, args.save_to.with_suffix(".tsclf"))
    sample = X[:50]
    probabilities = model.predict_proba(sample)
    np.savez(
        args.save_to.with_suffix(".npz"),
        X=sample,
        labels=model.predict(sample).astype(str),
        **{f"proba_{task}": proba for task, proba in enumerate(probabilities)},
    )
    process = run_without_gpu(_LOAD_SAVED_ON_CPU, path, path.with_suffix(".npz"))
    print(
        "CUDA-saved model loaded without a GPU:",
        process.stdout.strip() or process.stderr.strip()[-500:],
        flush=True,
    )


def main(argv: list[str] | None = None) -> pd.DataFrame:
    args = parse_args(argv)
    import torch

    if not torch.cuda.is_available():
        print("No CUDA device here: nothing to check (run this on a GPU machine).")
        return pd.DataFrame()
    windows = load_cwru_windows()
    rng = np.random.default_rng(args.seed)
    keep = np.sort(rng.choice(len(windows), args.n_windows, replace=False))
    X, y, groups = windows.X[keep], windows.y.iloc[keep], windows.groups[keep]
    print(f"{torch.cuda.get_device_name()}; {len(X)} windows, {args.epochs} epochs")
    if args.save_to is not None:
        save_cuda_model(X, y, groups, args)
    rows = []
    for name in args.models:
        try:
            rows.append(check(name, X, y, groups, args))
        except Exception as error:  # one model's failure is a finding, not the end
            rows.append({"model": name, "error": f"{type(error).__name__}: {error}"})
        print(pd.Series(rows[-1]).to_string(), flush=True)
    table = pd.DataFrame(rows)
    print(table.to_markdown(index=False, floatfmt=".4g"))
    if args.out is not None:
        table.to_csv(args.out, index=False)
    return table


if __name__ == "__main__":
    main()
