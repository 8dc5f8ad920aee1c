import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

import tsclf

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# Extras for working on tsclf rather than using it.
DEVELOPMENT_EXTRAS = {"test", "docs", "benchmark"}
TEST_TOOLS = {"pytest", "pytest-xdist", "ruff", "hypothesis"}


def _extras() -> dict[str, set[str]]:
    extras = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    return {
        name: {Requirement(spec).name for spec in specs}
        for name, specs in extras.items()
    }


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", tsclf.__version__)


def test_each_optional_feature_installs_only_its_own_packages():
    extras = _extras()
    features = {n: pkgs for n, pkgs in extras.items() if n not in DEVELOPMENT_EXTRAS}
    names = sorted(features)
    for position, name in enumerate(names):
        for other in names[position + 1 :]:
            shared = features[name] & features[other]
            assert not shared, f"[{name}] and [{other}] both install {shared}"
        testing_tools = features[name] & TEST_TOOLS
        assert not testing_tools, f"[{name}] installs test tools {testing_tools}"
    # The test extra installs every optional feature, so none goes untested.
    untested = set().union(*features.values()) - extras["test"]
    assert not untested, f"[test] lacks {untested}"
