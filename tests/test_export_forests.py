"""Forests, feature pipelines and VibrationClassifier as ONNX graphs."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import signal
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.tree import DecisionTreeClassifier

from tsclf.classification import VibrationClassifier
from tsclf.compose import AdaptivePipeline, JointLabelClassifier
from tsclf.datasets import load_cwru_windows
from tsclf.export import export_onnx, torch_step
from tsclf.export._trees import torch_classifier
from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import (
    AdaptiveScaler,
    BandEnergies,
    CepstralCoefficients,
    CepstralPrewhitening,
    EnvelopeSpectrum,
    Flatten,
    SquaredEnvelopeSpectrum,
)

pytest.importorskip("skops")


@pytest.fixture(scope="module")
def cwru():
    windows = load_cwru_windows()
    return windows.X[::25], windows.y.iloc[::25].to_numpy()


def _other_path(X):
    """Another transfer path: a low-pass filter and another gain."""
    b, a = signal.butter(2, 0.3)
    return (3.0 * signal.lfilter(b, a, X)).astype(np.float32)


def _onnx_outputs(model, X, tmp_path, **kwargs):
    onnxruntime = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    path = tmp_path / "model.onnx"
    metadata = export_onnx(model, path, **kwargs)
    outputs = onnxruntime.InferenceSession(str(path)).run(
        None, {"series": X.astype(np.float32)}
    )
    return metadata, outputs


def _assert_same_answers(metadata, outputs, model, X, atol=1e-12):
    """The graph's probabilities and labels are those of the model's methods."""
    n_tasks = len(metadata["classes"])
    expected = model.predict_proba(X)
    expected = expected if isinstance(expected, list) else [expected]
    assert len(expected) == n_tasks
    for got, want in zip(outputs[:n_tasks], expected, strict=True):
        np.testing.assert_allclose(got, want, atol=atol, rtol=0)
    labels = np.column_stack(
        [
            np.asarray(metadata["classes"][t])[outputs[n_tasks + t]]
            for t in range(n_tasks)
        ]
    )
    np.testing.assert_array_equal(
        labels, np.asarray(model.predict(X)).reshape(len(X), -1)
    )


@pytest.mark.parametrize(
    "step",
    [
        CepstralPrewhitening(),
        CepstralPrewhitening(lifter=20),
        CepstralCoefficients(n_coefficients=12),
        SquaredEnvelopeSpectrum(sampling_rate=12000, max_frequency=500.0),
        SquaredEnvelopeSpectrum(
            sampling_rate=12000, max_frequency=500.0, n_carrier_bands=4
        ),
        SquaredEnvelopeSpectrum(
            sampling_rate=12000, max_frequency=500.0, normalize=False
        ),
        make_pipeline(CepstralPrewhitening(), SquaredEnvelopeSpectrum(), Flatten()),
    ],
    ids=["cpw", "cpw-lifter", "cepstrum", "ses", "ses-bands", "ses-raw", "chain"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("length", [1200, 1199])  # even and odd windows
def test_the_invariant_steps_twins_match_in_the_transformers_precision(
    step, dtype, length, cwru
):
    X = cwru[0][:20, :, :length].astype(dtype)
    expected = step.fit(X).transform(X)
    got = torch_step(step)(torch.from_numpy(X)).numpy()
    assert got.dtype == expected.dtype
    scale = np.abs(expected).max()
    # float64 computed on both sides, cast back where the transformer does.
    tolerance = 1e-12 if expected.dtype == np.float64 else 1e-6
    np.testing.assert_allclose(got / scale, expected / scale, atol=tolerance, rtol=0)


def test_liftered_whitening_ignores_the_rounding_noise_at_0_hz():
    from tsclf.transformers import cepstral_prewhitening

    x = np.random.default_rng(0).normal(size=(4, 256)) + 5.0
    # Centring leaves 0 Hz at rounding level; its log must not move the rest.
    shifted = x + 1e3  # another mean: other rounding noise at 0 Hz
    np.testing.assert_allclose(
        cepstral_prewhitening(x, lifter=10),
        cepstral_prewhitening(shifted, lifter=10),
        atol=1e-8,
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: RandomForestClassifier(n_estimators=20, random_state=0),
        lambda: ExtraTreesClassifier(n_estimators=20, random_state=0),
        lambda: DecisionTreeClassifier(random_state=0),
        lambda: JointLabelClassifier(RandomForestClassifier(20, random_state=0)),
    ],
    ids=["forest", "extra-trees", "tree", "joint-forest"],
)
@pytest.mark.parametrize("tasks", ["all", "one"])
def test_a_forests_twin_gives_its_probabilities_and_labels_exactly(make, tasks, cwru):
    X, y = cwru
    features = BandEnergies(sampling_rate=12000).fit_transform(X)
    y = y if tasks == "all" else y[:, 1]
    model = make().fit(features[::2], y[::2])
    probas, labels = torch_classifier(model)(torch.from_numpy(features[1::2]))
    expected = model.predict_proba(features[1::2])
    expected = expected if isinstance(expected, list) else [expected]
    classes = model.classes_ if isinstance(model.classes_, list) else [model.classes_]
    predicted = model.predict(features[1::2]).reshape(len(labels[0]), -1)
    for task, (got, want) in enumerate(zip(probas, expected, strict=True)):
        np.testing.assert_array_equal(got.numpy(), want)
        names = np.asarray(classes[task])[labels[task].numpy()]
        np.testing.assert_array_equal(names, predicted[:, task])


@pytest.mark.filterwarnings("ignore::tsclf.exceptions.InputShiftWarning")
def test_the_readme_adapted_forest_exports_whole_and_without_its_steps(cwru, tmp_path):
    X, y = cwru
    features = make_union(
        BandEnergies(n_bands=32, sampling_rate=12000),
        EnvelopeSpectrum(n_bands=20, sampling_rate=12000, max_frequency=1000.0),
    )
    model = AdaptivePipeline(
        [
            ("monitor", ShiftMonitor(random_state=0)),
            ("features", features),
            ("scale", AdaptiveScaler()),
            ("forest", RandomForestClassifier(n_estimators=30, random_state=0)),
        ]
    ).fit(X, y)
    other = _other_path(X)
    model.adapt(other)  # the new statistics travel in the graph
    both = np.concatenate([X, other])
    metadata, outputs = _onnx_outputs(model, both, tmp_path)
    assert metadata["input"] == "series"
    assert metadata["input_shape"] == ["batch", *X.shape[1:]]
    assert len(metadata["monitors"]) == 1
    _assert_same_answers(metadata, outputs, model, both)
    # Without its steps, the graph reads the forest's features.
    rows = model[:-1].transform(both)
    metadata, outputs = _onnx_outputs(model, rows, tmp_path, preprocessing=False)
    assert metadata["input"] == "preprocessed"
    assert metadata["input_shape"] == ["batch", rows.shape[1]]
    _assert_same_answers(metadata, outputs, model[-1], rows)


def test_vibration_classifier_exports_whole_with_its_gate(cwru, tmp_path):
    X, y = cwru
    forest = JointLabelClassifier(RandomForestClassifier(10, random_state=0))
    model = VibrationClassifier(
        sampling_rate=12000, estimator=forest, noisy_copies=1, random_state=0
    ).fit(X, y)
    both = np.concatenate([X, _other_path(X)])
    outside = model.outside_training_path(both)
    assert outside[: len(X)].mean() < 0.5 < outside[len(X) :].mean()  # both ways
    metadata, outputs = _onnx_outputs(model, both, tmp_path)
    assert metadata["input_shape"] == ["batch", *X.shape[1:]]
    assert metadata["outputs"] == [
        f"{kind}_{t}" for kind in ("proba", "label") for t in range(3)
    ]
    _assert_same_answers(metadata, outputs, model, both)


def test_exports_that_cannot_be_made_are_refused_with_what_to_do(cwru, tmp_path):
    from sklearn.svm import SVC

    X, y = cwru
    svc = make_pipeline(BandEnergies(sampling_rate=12000), SVC()).fit(X, y[:, 0])
    with pytest.raises(TypeError, match=r"SVC has no torch equivalent.*save_model"):
        export_onnx(svc, tmp_path / "svc.onnx")
    vibration = VibrationClassifier(
        sampling_rate=12000,
        estimator=DecisionTreeClassifier(random_state=0),
        raw_envelope=None,
        noisy_copies=0,
    ).fit(X, y)
    with pytest.raises(ValueError, match="exports a VibrationClassifier whole"):
        export_onnx(vibration, tmp_path / "v.onnx", preprocessing=False)
    with pytest.raises(ValueError, match="exports a VibrationClassifier whole"):
        export_onnx(make_pipeline(Flatten(), vibration), tmp_path / "v.onnx")
