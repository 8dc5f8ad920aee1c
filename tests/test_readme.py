"""The README's quickstart runs as written and its numbers make sense."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from tsclf.exceptions import InputShiftWarning

README = Path(__file__).resolve().parents[1] / "README.md"


def _quickstart() -> str:
    text = README.read_text()
    section = text.split("## Quickstart", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_quickstart_is_short():
    code_lines = [line for line in _quickstart().splitlines() if line.strip()]
    assert len(code_lines) <= 15


def test_quickstart_runs(capsys):
    namespace: dict = {}
    exec(compile(_quickstart(), "README quickstart", "exec"), namespace)
    scores = namespace["scores"]
    assert len(scores["test_accuracy_detection"]) == 3
    assert scores["test_accuracy_detection"].mean() > 0.9
    assert 0.0 < scores["test_accuracy_joint"].mean() <= 1.0
    assert "test_accuracy_mean" in capsys.readouterr().out


def _shift_configuration(name: str):
    """The model of the README's configuration for other machines that
    builds ``name``, and some CWRU windows of every class."""
    from tsclf.datasets import load_cwru_windows

    section = README.read_text().split("## On a machine it was not trained on", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    (code,) = [block for block in blocks if f"model = {name}(" in block]
    namespace: dict = {}
    exec(compile(code, "README shift configuration", "exec"), namespace)
    windows = load_cwru_windows()
    rows = np.arange(0, len(windows), 12)  # every class, a few windows each
    X, y, groups = windows.X[rows], windows.y.iloc[rows], windows.groups[rows]
    return namespace["model"], X, y, groups


def test_the_adaptive_feature_pipeline_for_other_machines_adapts():
    model, X, y, _ = _shift_configuration("AdaptivePipeline")
    model.set_params(forest__random_state=0).fit(X, y)
    expected = model.predict(X)
    # The monitor sees a sensor three times as sensitive.
    with pytest.warns(InputShiftWarning, match="outside the range"):
        model.predict(3.0 * X)
    # It adds log(9) to every log band: re-centred on it, the features,
    # hence the predictions, come back, and the monitor is quiet.
    assert model.adapt(3.0 * X)["scale"].adapted_
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputShiftWarning)
        np.testing.assert_array_equal(model.predict(3.0 * X), expected)


def test_the_configuration_for_other_machines_trains_and_adapts():
    model, X, y, groups = _shift_configuration("CNNClassifier")
    model.set_params(max_epochs=1, random_state=0).fit(X, y, groups=groups)
    assert model.preprocessor_[-1].__class__.__name__ == "SpectrogramChannels"
    before = model.predict_proba(X[:5])
    after = model.adapt(2.0 * X).predict_proba(X[:5])
    assert not all(np.allclose(b, a) for b, a in zip(before, after, strict=True))
    assert model.predict(X).shape == y.shape


def test_the_recommended_vibration_classifier_fits_predicts_and_adapts():
    model, X, y, _ = _shift_configuration("VibrationClassifier")
    model.set_params(random_state=0, n_jobs=1).fit(X, y)
    assert model.predict(X).shape == y.shape
    assert (model.predict(X) == y.to_numpy()).all(axis=1).mean() > 0.9
    # Another gain: the cepstrum (without its 0th coefficient) and the
    # normalised envelope spectra do not change, nor do the answers.
    np.testing.assert_array_equal(model.predict(3.0 * X), model.predict(X))
    assert model.adapt(X).adapted_
