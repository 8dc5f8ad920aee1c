"""CWRU files are checked against their published checksums, downloads too."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import scipy.io
from conftest import write_cwru_mat

from tsclf.datasets import (
    _cwru_checksums,
    cwru_checksums,
    fetch_cwru,
    load_cwru,
    read_cwru_mat,
)


def test_the_checksum_table_covers_the_28_shared_recordings():
    table = cwru_checksums()
    assert len(table) == 28 and table["sha256"].str.len().eq(64).all()
    assert int(table.loc[97, "n_samples"]) == 243938


def test_real_files_pass_and_a_swapped_or_truncated_copy_is_named(
    shared_cwru, tmp_path
):
    assert load_cwru(shared_cwru, ids=[105])[0].signal.shape == (1, 121265)
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    shutil.copy(shared_cwru / "106.mat", swapped / "105.mat")  # 106's data as 105
    with pytest.raises(
        ValueError, match=r"105\.mat is not CWRU file 105\.mat"
    ) as error:
        load_cwru(swapped, ids=[105])
    assert "121991 drive-end samples where 121265 are expected" in str(error.value)
    assert load_cwru(swapped, ids=[105], verify=False)[0].name == "105"
    truncated = tmp_path / "truncated"
    truncated.mkdir()
    data = (shared_cwru / "105.mat").read_bytes()
    (truncated / "105.mat").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"105\.mat is not CWRU file 105\.mat"):
        load_cwru(truncated, ids=[105])


def test_a_matrix_or_complex_channel_is_refused(tmp_path):
    scipy.io.savemat(tmp_path / "105.mat", {"X105_DE_time": np.zeros((50, 2))})
    with pytest.raises(ValueError, match=r"has shape \(50, 2\); a CWRU channel"):
        read_cwru_mat(tmp_path / "105.mat", 105)
    scipy.io.savemat(tmp_path / "106.mat", {"X106_DE_time": np.ones((50, 1)) * 1j})
    with pytest.raises(ValueError, match="not real numbers"):
        read_cwru_mat(tmp_path / "106.mat", 106)


@pytest.fixture
def checksum_of(monkeypatch):
    """Publish the checksum of a given file as the one of an id."""

    def publish(cwru_id, file):
        table = pd.DataFrame(
            {"sha256": [_cwru_checksums.file_sha256(file)], "n_samples": [5000]},
            index=pd.Index([cwru_id], name="cwru_id"),
        )
        monkeypatch.setattr(_cwru_checksums, "cwru_checksums", lambda: table)

    return publish


def test_fetch_verifies_downloads_and_replaces_a_bad_existing_file(
    tmp_path, checksum_of
):
    mirror, data = tmp_path / "mirror", tmp_path / "data"
    good = write_cwru_mat(mirror, 105, seed=1)
    checksum_of(105, good)
    fetch_cwru(
        [105], data, base_url=mirror.as_uri(), insecure_mirror=True, verbose=False
    )
    (data / "105.mat").write_bytes(b"damaged")
    fetch_cwru(
        [105], data, base_url=mirror.as_uri(), insecure_mirror=True, verbose=False
    )
    assert (data / "105.mat").read_bytes() == good.read_bytes()  # fetched again
    write_cwru_mat(mirror, 105, seed=2)  # the mirror now serves other content
    with pytest.raises(ValueError, match=r"Downloaded file://.*105\.mat: .*SHA-256"):
        fetch_cwru(
            [105],
            data,
            base_url=mirror.as_uri(),
            insecure_mirror=True,
            overwrite=True,
            verbose=False,
        )
    assert sorted(p.name for p in data.iterdir()) == ["105.mat"]  # no .part left


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"base_url": "http://example.org/"}, ValueError, "must be an https URL"),
        ({"base_url": "file:///tmp/"}, ValueError, "must be an https URL"),
        ({"ids": [105.9]}, ValueError, "integers, got 105.9"),
        ({"ids": [99999]}, ValueError, "99999 is not in the catalogue"),
        ({"ids": [True]}, ValueError, "integers"),
        ({"retries": 0}, ValueError, "retries must be a positive int"),
    ],
)
def test_fetch_refuses_bad_settings(tmp_path, kwargs, error, message):
    settings = {"ids": [105], "data_home": tmp_path, "verbose": False, **kwargs}
    with pytest.raises(error, match=message):
        fetch_cwru(**settings)
    assert list(tmp_path.iterdir()) == []


_TS_HEADER = (
    "@problemName t\n@timeStamps false\n@missing false\n@univariate true\n"
    "@equalLength true\n@seriesLength 3\n"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("1,2,3:a\n1,x,3:b\n", r"line 10: 'x'"),
        ("1,2,inf:a\n1,2,3:b\n", "series 0 holds an infinite value"),
        ("1,2,3:a\n1,?,3:b\n", "series 1 holds a missing value"),
    ],
)
def test_a_bad_ts_file_is_named_with_what_is_wrong(tmp_path, data, message):
    from tsclf.datasets import load_ts_file

    path = tmp_path / "bad.ts"
    path.write_text(_TS_HEADER + "@classLabel true a b\n@data\n" + data)
    with pytest.raises(ValueError, match=message):
        load_ts_file(path)


def test_an_unlabelled_ts_file_loads_without_labels(tmp_path):
    from tsclf.datasets import load_ts_file

    path = tmp_path / "unlabelled.ts"
    path.write_text(_TS_HEADER + "@classLabel false\n@data\n1,2,3\n1,2,4\n")
    X, y = load_ts_file(path)
    assert X.shape == (2, 1, 3) and y is None
