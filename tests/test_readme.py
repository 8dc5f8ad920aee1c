"""The README's quickstart runs as written and its numbers make sense."""

from __future__ import annotations

import re
from pathlib import Path

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
