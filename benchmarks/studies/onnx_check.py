"""Export every deep classifier to ONNX and compare onnxruntime with predict.

For each deep classifier of :mod:`tsclf.classification`: fit one epoch on
every 20th embedded CWRU window, export with
:func:`tsclf.export.export_onnx` (preprocessing included), run the file in
onnxruntime and print the largest probability gap to ``predict_proba``
and whether the labels equal ``predict``'s. A classifier whose
preprocessing had no torch twin would be reported as refused (ResNet-2D's
STFTImage has one since the STFT became a strided convolution). About 3
minutes on 2 CPU cores; needs ``tsclf[deploy]``.

Usage::

    python -m benchmarks.studies.onnx_check
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.studies.gpu_check import DEEP
from tsclf import classification
from tsclf.datasets import load_cwru_windows
from tsclf.export import export_onnx


def check(name: str, X, y, groups) -> dict:
    import onnxruntime

    start = time.perf_counter()
    model = getattr(classification, name)(max_epochs=1, random_state=0)
    model.fit(X, y, groups=groups)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.onnx"
        try:
            metadata = export_onnx(model, path)
        except TypeError as error:
            return {"model": name, "refused": str(error).split(";")[0]}
        outputs = onnxruntime.InferenceSession(path).run(None, {"series": X})
    n_tasks = len(metadata["classes"])
    gap = max(
        float(np.abs(a - b).max())
        for a, b in zip(outputs[:n_tasks], model.predict_proba(X), strict=True)
    )
    labels = np.column_stack(
        [
            np.asarray(metadata["classes"][task])[outputs[n_tasks + task]]
            for task in range(n_tasks)
        ]
    )
    return {
        "model": name,
        "max_proba_gap": gap,
        "same_labels": bool((labels == model.predict(X)).all()),
        "seconds": time.perf_counter() - start,
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    windows = load_cwru_windows()
    keep = slice(None, None, 20)
    X, y, groups = windows.X[keep], windows.y.iloc[keep], windows.groups[keep]
    table = pd.DataFrame([check(name, X, y, groups) for name in DEEP])
    print(table.to_markdown(index=False, floatfmt=".3g"))
    return table


if __name__ == "__main__":
    main()
