"""Shared fixtures: synthetic CWRU-like files and the optional real data."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import scipy.io

SHARED_ENV = "TSCLF_SHARED"


@pytest.fixture(scope="session")
def shared_cwru() -> Path:
    """Folder of the real CWRU .mat files, or skip when it is absent."""
    shared = os.environ.get(SHARED_ENV)
    if not shared:
        pytest.skip(f"{SHARED_ENV} is not set: the real CWRU files are not here")
    folder = Path(shared) / "data" / "cwru"
    if not (folder / "MANIFEST.csv").is_file():
        pytest.skip(f"{folder} holds no CWRU MANIFEST.csv")
    return folder


@pytest.fixture
def synthetic_cwru(monkeypatch):
    """Read synthetic files under catalogued ids: no published checksum applies.

    ``write_cwru_mat`` writes random content under real ids (105, 97...);
    their SHA-256 cannot match the published files', so checksum
    verification is switched off for the test (the checksum tests use the
    real files or a checksum table of their own).
    """
    import pandas as pd

    from tsclf.datasets import _cwru_checksums

    empty = pd.DataFrame({"sha256": [], "n_samples": []}).rename_axis("cwru_id")
    monkeypatch.setattr(_cwru_checksums, "cwru_checksums", lambda: empty)


def write_cwru_mat(
    folder: Path,
    cwru_id: int,
    n_samples: int = 5000,
    *,
    key_id: int | None = None,
    channels=("DE", "FE", "BA"),
    seed: int = 0,
    rpm: float = 1797.0,
) -> Path:
    """Write a small CWRU-style .mat file with quantised values."""
    rng = np.random.default_rng(seed)
    key_id = cwru_id if key_id is None else key_id
    content = {
        f"X{key_id:03d}_{channel}_time": (
            rng.integers(-2000, 2000, size=(n_samples, 1)) * 0.000205454545
        )
        for channel in channels
    }
    content[f"X{key_id:03d}RPM"] = np.array([[rpm]])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{cwru_id}.mat"
    scipy.io.savemat(path, content)
    return path


def pytest_configure(config):
    """One torch thread per xdist worker, so workers do not oversubscribe."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
