"""The SHA-256 and sample count of the CWRU files tsclf knows, and the check."""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import resources
from pathlib import Path

import pandas as pd

from tsclf.datasets._cwru_mat import read_cwru_mat

CHECKSUM_FILE = "cwru_checksums.csv"


@functools.cache
def cwru_checksums() -> pd.DataFrame:
    """SHA-256 and drive-end sample count of each CWRU file tsclf has read.

    These are the 28 recordings of the reference workload (the embedded
    copy's sources), as served by the CWRU Bearing Data Center. Other ids are
    read without a checksum.

    Returns
    -------
    checksums : pandas.DataFrame
        Indexed by ``cwru_id``, with columns ``sha256`` and ``n_samples``.

    Examples
    --------
    >>> from tsclf.datasets import cwru_checksums
    >>> table = cwru_checksums()
    >>> len(table), int(table.loc[105, "n_samples"])
    (28, 121265)
    """
    path = resources.files("tsclf.datasets") / "data" / CHECKSUM_FILE
    with resources.as_file(path) as file:
        return pd.read_csv(file, index_col="cwru_id", dtype={"sha256": str})


def file_sha256(file: str | os.PathLike) -> str:
    """Hex SHA-256 of a file, read in chunks.

    Parameters
    ----------
    file : path-like

    Returns
    -------
    digest : str
    """
    digest = hashlib.sha256()
    with Path(file).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_cwru_file(file: str | os.PathLike, cwru_id: int) -> None:
    """Check a file against the catalogue's SHA-256 for ``cwru_id``.

    Ids without a catalogued checksum pass unchecked.

    Parameters
    ----------
    file : path-like
    cwru_id : int

    Raises
    ------
    ValueError
        Naming the file, its id and both digests when they differ (a
        truncated or damaged file, or another id's recording under this
        name).
    """
    checksums = cwru_checksums()
    if cwru_id not in checksums.index:
        return
    expected = checksums.loc[cwru_id, "sha256"]
    found = file_sha256(file)
    if found != expected:
        size = Path(file).stat().st_size
        raise ValueError(
            f"{file} is not CWRU file {cwru_id}.mat as published: its SHA-256 is "
            f"{found} ({size} bytes), the catalogue's is {expected}"
            f"{_sample_counts(file, cwru_id)}. The file is "
            "damaged, truncated or holds another recording; download it again "
            "(fetch_cwru(..., overwrite=True)) or pass verify=False to read it "
            "anyway."
        )


def _sample_counts(file, cwru_id: int) -> str:
    """``"; it holds N drive-end samples where M are expected"``, if readable."""
    expected = int(cwru_checksums().loc[cwru_id, "n_samples"])
    try:
        found = read_cwru_mat(file, cwru_id, ("DE",))[0].shape[1]
    except (OSError, ValueError):
        return "; it cannot be read as a CWRU file"
    if found == expected:
        return f"; it holds the expected {expected} drive-end samples"
    return f"; it holds {found} drive-end samples where {expected} are expected"
