"""Saving models without pickle, loading them, and exporting them to ONNX."""

from __future__ import annotations

import io
import json
import operator
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy import signal
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler

from tsclf.classification import (
    CNNClassifier,
    LSTMClassifier,
    ResNet2DClassifier,
    SeedEnsembleClassifier,
)
from tsclf.datasets import load_cwru_windows
from tsclf.export import export_onnx, load_model, save_model, torch_step
from tsclf.regression import GRURegressor
from tsclf.transformers import (
    BandEnergies,
    ChannelScaler,
    EnvelopeSpectrum,
    Flatten,
    WindowStandardizer,
)

from estimator_params import tiny

pytest.importorskip("skops")

CUDA_SAVED = Path(__file__).parent / "data" / "cnn_saved_on_cuda.tsclf"


@pytest.fixture(scope="module")
def cwru():
    windows = load_cwru_windows()
    keep = slice(None, None, 25)
    return windows.X[keep], windows.y.iloc[keep], windows.groups[keep]


def _cnn(**params):
    return CNNClassifier(max_epochs=2, validation=None, random_state=0, **params)


def _same_probabilities(a, b, atol=0.0):
    a = a if isinstance(a, list) else [a]
    b = b if isinstance(b, list) else [b]
    assert len(a) == len(b)
    for left, right in zip(a, b, strict=True):
        np.testing.assert_allclose(left, right, atol=atol, rtol=0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: _cnn(),
        lambda: make_pipeline(ChannelScaler(), _cnn(preprocessor=None)),
        lambda: SeedEnsembleClassifier(_cnn(), n_estimators=2, random_state=0),
        lambda: ResNet2DClassifier(max_epochs=1, validation=None, random_state=0),
        lambda: make_pipeline(
            BandEnergies(sampling_rate=12000),
            RandomForestClassifier(n_estimators=10, random_state=0),
        ),
    ],
    ids=["cnn", "pipeline", "seed-ensemble", "resnet2d", "classical"],
)
def test_a_saved_model_loads_and_predicts_the_same(make, cwru, tmp_path):
    X, y, _ = cwru
    model = make().fit(X, y)
    path = save_model(model, tmp_path / "model.tsclf")
    loaded = load_model(path)
    assert type(loaded) is type(model)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    _same_probabilities(loaded.predict_proba(X), model.predict_proba(X))
    assert loaded.get_params(deep=False).keys() == model.get_params(deep=False).keys()
    # The caller's model still has its networks after saving.
    np.testing.assert_array_equal(model.predict(X[:3]), loaded.predict(X[:3]))


def test_a_regressor_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2, 16)).astype(np.float32)
    y = X.mean(axis=(1, 2))
    model = tiny(GRURegressor, max_epochs=2, validation=None).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "gru.tsclf"))
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=0, atol=0)


def test_the_file_holds_no_pickle_and_weights_load_with_weights_only(cwru, tmp_path):
    X, y, _ = cwru
    model = _cnn().fit(X, y)
    path = save_model(model, tmp_path / "cnn.tsclf")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert names == {
            "tsclf.json",
            "estimator.skops",
            "network_0.pt",
            "network_0.json",
        }
        weights = torch.load(
            io.BytesIO(archive.read("network_0.pt")), weights_only=True
        )
        history = json.loads(archive.read("network_0.json"))
    assert set(weights) == set(model.net_.module_.state_dict())
    assert len(history) == model.n_epochs_


def test_a_loaded_model_keeps_its_history_and_can_adapt(cwru, tmp_path):
    X, y, _ = cwru
    model = _cnn().fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "cnn.tsclf"))
    assert loaded.device_ == "cpu"
    assert list(loaded.history_[:, "train_loss"]) == list(
        model.history_[:, "train_loss"]
    )
    loaded.adapt(X)  # BatchNorm statistics re-estimated on the loaded network
    assert loaded.predict(X).shape == y.shape


def test_a_loaded_network_is_built_as_in_fit_with_its_loss_and_predicts_only(
    cwru, tmp_path
):
    X, y, _ = cwru
    model = _cnn(class_weight="balanced", task_weights=[1.0, 2.0, 0.5]).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "cnn.tsclf"))
    # The same loss as the trained network's: task and class weights.
    assert loaded.net_.criterion_.task_weights == [1.0, 2.0, 0.5]
    for task in range(3):
        name = f"class_weight_{task}"
        torch.testing.assert_close(
            getattr(loaded.net_.criterion_, name), getattr(model.net_.criterion_, name)
        )
    assert type(loaded.net_) is type(model.net_)
    # The optimizer's state is not saved: training on is refused, not faked.
    with pytest.raises(ValueError, match="for prediction only"):
        loaded.partial_fit(X, y, epochs=1)


def test_types_from_elsewhere_must_be_trusted_by_name(cwru, tmp_path):
    X, y, _ = cwru
    model = make_pipeline(
        FunctionTransformer(operator.abs),
        BandEnergies(sampling_rate=12000),
        RandomForestClassifier(n_estimators=5, random_state=0),
    ).fit(X, y)
    path = save_model(model, tmp_path / "model.tsclf")
    with pytest.raises(ValueError, match=r"operator\.abs.*trusted"):
        load_model(path)
    import skops.io as sio

    with zipfile.ZipFile(path) as archive:
        untrusted = sio.get_untrusted_types(data=archive.read("estimator.skops"))
    loaded = load_model(path, trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tsclf.json", json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="not a tsclf model file"):
        load_model(path)


@pytest.mark.skipif(not CUDA_SAVED.exists(), reason="no CUDA-saved model yet")
def test_a_model_saved_on_a_gpu_loads_on_the_cpu():
    # Written by benchmarks/studies/gpu_check.py on a CUDA machine, with the
    # predictions it made there.
    loaded = load_model(CUDA_SAVED)
    expected = np.load(CUDA_SAVED.with_suffix(".npz"), allow_pickle=False)
    assert loaded.device_ == "cpu"
    assert str(next(loaded.net_.module_.parameters()).device) == "cpu"
    np.testing.assert_array_equal(loaded.predict(expected["X"]), expected["labels"])
    _same_probabilities(
        loaded.predict_proba(expected["X"]),
        [expected[f"proba_{task}"] for task in range(3)],
        atol=1e-3,  # CUDA ran the float32 convolutions in TF32: 2.9e-4 apart
    )


# -- ONNX ---------------------------------------------------------------------


def _onnx_outputs(model, X, tmp_path, **kwargs):
    onnxruntime = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    path = tmp_path / "model.onnx"
    metadata = export_onnx(model, path, **kwargs)
    session = onnxruntime.InferenceSession(str(path))
    outputs = session.run(None, {"series": X.astype(np.float32)})
    return metadata, outputs, path


@pytest.mark.parametrize(
    "make",
    [
        lambda: _cnn(not_applicable="n/a"),
        lambda: _cnn(preprocessor=make_pipeline(ChannelScaler(), WindowStandardizer())),
        lambda: tiny(LSTMClassifier, max_epochs=2, preprocessor=WindowStandardizer()),
        # A table: the network reads each row as one channel.
        lambda: _cnn(preprocessor=make_pipeline(WindowStandardizer(), Flatten())),
    ],
    ids=["cnn", "cnn-pipeline-preprocessor", "lstm", "cnn-on-a-table"],
)
def test_onnx_gives_the_probabilities_and_labels_of_the_estimator(make, cwru, tmp_path):
    X, y, _ = cwru
    model = make().fit(X, y)
    metadata, outputs, path = _onnx_outputs(model, X, tmp_path)
    n_tasks = len(metadata["classes"])
    assert n_tasks == 3
    _same_probabilities(outputs[:n_tasks], model.predict_proba(X), atol=1e-5)
    labels = np.column_stack(
        [np.asarray(metadata["classes"][t])[outputs[n_tasks + t]] for t in range(3)]
    )
    np.testing.assert_array_equal(labels, model.predict(X))
    # The label metadata travels in the file and beside it.
    import onnx

    stored = {p.key: p.value for p in onnx.load(path).metadata_props}
    assert json.loads(stored["tsclf"]) == metadata
    assert json.loads(path.with_name("model.onnx.json").read_text()) == metadata
    if model.not_applicable == "n/a":  # location and size "n/a" follow detection
        assert metadata["gates"][0] is None and None not in metadata["gates"][1:]


def test_onnx_export_keeps_the_exporters_chatter_out_of_the_log(cwru, tmp_path, capfd):
    import logging
    import warnings

    pytest.importorskip("onnxscript")
    X, y, _ = cwru
    model = _cnn().fit(X, y)
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export_onnx(model, tmp_path / "model.onnx")
    written = capfd.readouterr()
    assert "torchvision" not in written.err + written.out
    assert not [w for w in caught if issubclass(w.category, FutureWarning)]
    assert logging.getLogger("torch.onnx").level == logging.NOTSET  # restored


def test_onnx_without_preprocessing_takes_preprocessed_input(cwru, tmp_path):
    X, y, _ = cwru
    model = _cnn().fit(X, y)
    ready = model.preprocessor_.transform(X)
    _, outputs, _ = _onnx_outputs(model, ready, tmp_path, preprocessing=False)
    _same_probabilities(outputs[:3], model.predict_proba(X), atol=1e-5)


def test_the_recommended_spectrogram_cnn_exports_whole_and_without_its_steps(
    cwru, tmp_path
):
    from tsclf.transformers import Envelope, SpectrogramChannels

    X, y, _ = cwru
    # The README's recommended spectrogram CNN: its steps have torch twins.
    steps = make_pipeline(WindowStandardizer(), SpectrogramChannels())
    model = _cnn(preprocessor=steps).fit(X, y)
    _, outputs, _ = _onnx_outputs(model, X, tmp_path)
    _same_probabilities(outputs[:3], model.predict_proba(X), atol=1e-5)
    # Without them, the graph reads what the network reads.
    ready = model.preprocessor_.transform(X).astype(np.float32)
    metadata, outputs, _ = _onnx_outputs(model, ready, tmp_path, preprocessing=False)
    assert metadata["input"] == "preprocessed"
    assert metadata["input_shape"] == ["batch", *ready.shape[1:]]
    _same_probabilities(outputs[:3], model.predict_proba(X), atol=1e-5)
    # A step without a twin says how to export without it.
    envelope = _cnn(preprocessor=Envelope(decimation=4)).fit(X, y)
    with pytest.raises(TypeError, match="preprocessing=False"):
        export_onnx(envelope, tmp_path / "whole.onnx")


def test_the_adapted_mlp_on_spectral_features_exports_whole(cwru, tmp_path):
    from sklearn.pipeline import make_union

    from tsclf.classification import MLPClassifier
    from tsclf.compose import AdaptivePipeline
    from tsclf.monitoring import ShiftMonitor
    from tsclf.transformers import AdaptiveScaler, EnvelopeSpectrum

    X, y, _ = cwru
    # The README's MLP on standardised band energies and envelope spectrum,
    # adapted to another sensor: every step has a twin, the new statistics
    # travel in the graph.
    features = make_union(
        BandEnergies(n_bands=32, sampling_rate=12000),
        EnvelopeSpectrum(n_bands=20, sampling_rate=12000, max_frequency=1000.0),
    )
    steps = AdaptivePipeline(
        [
            ("monitor", ShiftMonitor(random_state=0)),
            ("features", features),
            ("scale", AdaptiveScaler()),
        ]
    )
    model = tiny(MLPClassifier, max_epochs=2, validation=None, preprocessor=steps)
    model.fit(X, y)
    # Another transfer path: a fixed filter and another gain.
    other_sensor = 3.0 * signal.lfilter([1.0, -0.6], [1.0], X).astype(np.float32)
    model.adapt(other_sensor)
    _, outputs, _ = _onnx_outputs(model, other_sensor, tmp_path)
    _same_probabilities(outputs[:3], model.predict_proba(other_sensor), atol=1e-5)
    # A band-passed envelope has no twin: the message says what to do.
    banded = EnvelopeSpectrum(sampling_rate=12000, band=(2000, 4000)).fit(X)
    with pytest.raises(TypeError, match="preprocessing=False"):
        torch_step(banded)


def test_a_shift_monitor_exports_as_the_identity_with_its_statistics_beside(
    cwru, tmp_path
):
    from tsclf.monitoring import ShiftMonitor

    X, y, _ = cwru
    monitor = ShiftMonitor(random_state=0)
    model = _cnn(preprocessor=make_pipeline(monitor, WindowStandardizer())).fit(X, y)
    metadata, outputs, _ = _onnx_outputs(model, X, tmp_path)
    _same_probabilities(outputs[:3], model.predict_proba(X), atol=1e-5)
    [stored] = metadata["monitors"]
    fitted = model.preprocessor_.steps[0][1]
    assert stored["threshold"] == fitted.threshold_
    assert len(stored["location"]) == len(stored["feature_names"]) == 16
    features = fitted.features_.transform(X[:4])
    centred = features - np.asarray(stored["location"])
    distances = np.einsum(
        "ij,jk,ik->i", centred, np.asarray(stored["precision"]), centred
    )
    np.testing.assert_allclose(distances, fitted.covariance_.mahalanobis(features))


def test_onnx_of_a_single_task_classifier(cwru, tmp_path):
    X, y, _ = cwru
    model = _cnn().fit(X, y["location"])
    metadata, outputs, _ = _onnx_outputs(model, X, tmp_path)
    assert metadata["outputs"] == ["proba_0", "label_0"]
    np.testing.assert_allclose(outputs[0], model.predict_proba(X), atol=1e-5)
    np.testing.assert_array_equal(
        np.asarray(metadata["classes"][0])[outputs[1]], model.predict(X)
    )


def test_unsupported_preprocessing_and_regressors_are_refused(cwru, tmp_path):
    X, y, _ = cwru
    from tsclf.transformers import Envelope

    envelope = _cnn(preprocessor=Envelope(decimation=4))
    with pytest.raises(TypeError, match="Envelope has no torch equivalent"):
        export_onnx(envelope.fit(X[:20], y.iloc[:20]), tmp_path / "a.onnx")
    with pytest.raises(TypeError, match="MinMaxScaler"):
        torch_step(ChannelScaler(MinMaxScaler()).fit(X))
    regressor = tiny(GRURegressor, max_epochs=1, validation=None)
    regressor.fit(X[:20], np.arange(20.0))
    with pytest.raises(TypeError, match="deep classifier"):
        export_onnx(regressor, tmp_path / "b.onnx")


def test_torch_steps_match_the_transformers(cwru):
    X, _, _ = cwru
    steps = [
        WindowStandardizer(),
        ChannelScaler(),
        make_pipeline(ChannelScaler(), WindowStandardizer()),
        make_pipeline(WindowStandardizer(), Flatten()),
        BandEnergies(n_bands=8, sampling_rate=12000, log=False),
        EnvelopeSpectrum(n_bands=8, sampling_rate=12000, max_frequency=1000.0),
        make_union(
            BandEnergies(n_bands=4, sampling_rate=12000), Flatten(), n_jobs=None
        ),
        make_pipeline(BandEnergies(sampling_rate=12000), StandardScaler()),
    ]
    for step in steps:
        step.fit(X)
        module = torch_step(step)
        np.testing.assert_allclose(
            module(torch.from_numpy(X)).numpy(), step.transform(X), atol=1e-5
        )


def test_a_seed_ensemble_exports_as_one_graph_that_averages_its_members(cwru, tmp_path):
    from tsclf.classification import SeedEnsembleClassifier

    X, y, _ = cwru
    ensemble = SeedEnsembleClassifier(_cnn(), n_estimators=3, random_state=0)
    ensemble.fit(X, y)
    metadata, outputs, _ = _onnx_outputs(ensemble, X, tmp_path)
    _same_probabilities(outputs[:3], ensemble.predict_proba(X), atol=1e-5)
    labels = np.column_stack(
        [np.asarray(metadata["classes"][t])[outputs[3 + t]] for t in range(3)]
    )
    np.testing.assert_array_equal(labels, ensemble.predict(X))
    forest = SeedEnsembleClassifier(RandomForestClassifier(n_estimators=2))
    with pytest.raises(TypeError, match="SeedEnsembleClassifiers of them"):
        export_onnx(forest, tmp_path / "forest.onnx")


def test_a_pipeline_of_steps_with_twins_ending_in_a_deep_classifier_exports(
    cwru, tmp_path
):
    from tsclf.transformers import Envelope, SpectrogramChannels

    X, y, _ = cwru
    from tsclf.monitoring import ShiftMonitor

    pipeline = make_pipeline(
        ShiftMonitor(random_state=0),
        ChannelScaler(),
        WindowStandardizer(),
        _cnn(preprocessor=SpectrogramChannels()),
    ).fit(X, y)
    metadata, outputs, _ = _onnx_outputs(pipeline, X, tmp_path)
    assert metadata["input_shape"] == ["batch", *X.shape[1:]]
    # The monitor before the network: the identity in the graph, its
    # statistics in the sidecar.
    [monitor] = metadata["monitors"]
    assert monitor["threshold"] == pipeline.steps[0][1].threshold_
    _same_probabilities(outputs[:3], pipeline.predict_proba(X), atol=1e-5)
    labels = np.column_stack(
        [np.asarray(metadata["classes"][t])[outputs[3 + t]] for t in range(3)]
    )
    np.testing.assert_array_equal(labels, pipeline.predict(X))
    untwinned = make_pipeline(Envelope(decimation=4), _cnn()).fit(X, y)
    with pytest.raises(TypeError, match="Envelope has no torch equivalent"):
        export_onnx(untwinned, tmp_path / "envelope.onnx")
