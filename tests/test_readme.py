"""The README's quickstart runs as written and its numbers make sense."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

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


def test_the_configuration_for_other_machines_trains_and_adapts():
    section = README.read_text().split("## On a machine it was not trained on", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README shift configuration", "exec"), namespace)
    model = namespace["model"]

    from tsclf.datasets import load_cwru_windows

    windows = load_cwru_windows()
    rows = np.arange(0, len(windows), 12)  # every class, a few windows each
    X, y, groups = windows.X[rows], windows.y.iloc[rows], windows.groups[rows]
    model.set_params(max_epochs=1, random_state=0).fit(X, y, groups=groups)
    assert model.preprocessor_[-1].__class__.__name__ == "SpectrogramChannels"
    before = model.predict_proba(X[:5])
    after = model.adapt(2.0 * X).predict_proba(X[:5])
    assert not all(np.allclose(b, a) for b, a in zip(before, after, strict=True))
    assert model.predict(X).shape == y.shape
