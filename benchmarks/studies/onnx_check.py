"""Export models to ONNX and compare onnxruntime with predict, window by window.

For every deep classifier of :mod:`tsclf.classification` (one epoch) and
the README's recommended recipes (``VibrationClassifier`` as is; the
adapted forest on band energies and envelope spectrum; the CNN on
spectrogram channels, adapted): fit on every 20th embedded CWRU window,
export with :func:`tsclf.export.export_onnx` (preprocessing included) and
run the file in onnxruntime on those windows and on a low-passed copy of
them (another transfer path: ``VibrationClassifier``'s gate sends them to
its forests off the path). Prints the largest probability gap to
``predict_proba``, whether the labels equal ``predict``'s, the export time
and windows per second through onnxruntime and through ``predict_proba``.
A model whose preprocessing had no torch twin would be reported as refused.
About 5 minutes on 2 CPU cores; needs ``tsclf[deploy]``.

Usage::

    python -m benchmarks.studies.onnx_check --out docs/results/onnx
"""

from __future__ import annotations

import argparse
import inspect
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import signal

from benchmarks.outputs import provenance, save_side_results
from benchmarks.studies.gpu_check import DEEP
from tsclf import classification
from tsclf.datasets import load_cwru_windows
from tsclf.export import export_onnx


def _vibration():
    return classification.VibrationClassifier(sampling_rate=12000, random_state=0)


def _adapted_forest():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_union

    from tsclf.compose import AdaptivePipeline
    from tsclf.monitoring import ShiftMonitor
    from tsclf.transformers import AdaptiveScaler, BandEnergies, EnvelopeSpectrum

    features = make_union(
        BandEnergies(n_bands=32, sampling_rate=12000),
        EnvelopeSpectrum(n_bands=20, sampling_rate=12000, max_frequency=1000.0),
    )
    return AdaptivePipeline(
        [
            ("monitor", ShiftMonitor(random_state=0)),
            ("features", features),
            ("scale", AdaptiveScaler()),
            ("forest", RandomForestClassifier(n_estimators=300, random_state=0)),
        ]
    )


def _spectrogram_cnn():
    from sklearn.pipeline import make_pipeline

    from tsclf.augmentation import SameLabelMix
    from tsclf.transformers import SpectrogramChannels, WindowStandardizer

    return classification.CNNClassifier(
        preprocessor=make_pipeline(WindowStandardizer(), SpectrogramChannels()),
        augmentation=[SameLabelMix()],
        max_epochs=1,
        random_state=0,
    )


# The README's recommended recipes; an adapted one adapts to the test windows.
RECIPES = {
    "VibrationClassifier (README)": (_vibration, False),
    "adapted forest on spectral features (README)": (_adapted_forest, True),
    "spectrogram CNN, adapted (README)": (_spectrogram_cnn, True),
}


def _windows_per_second(predict, X) -> float:
    start = time.perf_counter()
    predict(X)
    return X.shape[0] / (time.perf_counter() - start)


def check(name: str, X, y, groups) -> dict:
    """Fit, export and compare one model on ``X`` and a low-passed copy."""
    import onnxruntime

    if name in RECIPES:
        make, adapt = RECIPES[name]
        model = make()
    else:
        model, adapt = (
            getattr(classification, name)(max_epochs=1, random_state=0),
            False,
        )
    b, a = signal.butter(2, 0.3)
    test = np.concatenate([X, signal.lfilter(b, a, X).astype(np.float32)])
    takes_groups = "groups" in inspect.signature(model.fit).parameters
    model.fit(X, y, **({"groups": groups} if takes_groups else {}))
    if adapt:
        model.adapt(test)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.onnx"
        start = time.perf_counter()
        try:
            metadata = export_onnx(model, path)
        except TypeError as error:
            return {"model": name, "refused": str(error).split(";")[0]}
        export_seconds = time.perf_counter() - start
        session = onnxruntime.InferenceSession(path)
        outputs = session.run(None, {"series": test})
        onnx_speed = _windows_per_second(
            lambda x: session.run(None, {"series": x}), test
        )
    n_tasks = len(metadata["classes"])
    expected = model.predict_proba(test)
    expected = expected if isinstance(expected, list) else [expected]
    gap = max(
        float(np.abs(a - b).max())
        for a, b in zip(outputs[:n_tasks], expected, strict=True)
    )
    labels = np.column_stack(
        [
            np.asarray(metadata["classes"][task])[outputs[n_tasks + task]]
            for task in range(n_tasks)
        ]
    )
    predicted = np.asarray(model.predict(test)).reshape(len(test), -1)
    return {
        "model": name,
        "max_proba_gap": gap,
        "same_labels": bool((labels == predicted).all()),
        "export_s": export_seconds,
        "onnx_windows_per_s": onnx_speed,
        "predict_windows_per_s": _windows_per_second(model.predict_proba, test),
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=[*RECIPES, *DEEP])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    windows = load_cwru_windows()
    keep = slice(None, None, 20)
    X, y, groups = windows.X[keep], windows.y.iloc[keep], windows.groups[keep]
    table = pd.DataFrame([check(name, X, y, groups) for name in args.models])
    summary = "\n\n".join(
        [
            provenance("benchmarks.studies.onnx_check", argv),
            f"{X.shape[0]} embedded CWRU windows to fit on; {2 * X.shape[0]} to "
            "compare (those and a low-passed copy). Gap: the largest absolute "
            "difference of a probability between onnxruntime and predict_proba.",
            table.to_markdown(index=False, floatfmt=".3g"),
        ]
    )
    save_side_results(table, summary + "\n", args.out)
    return table


if __name__ == "__main__":
    main()
