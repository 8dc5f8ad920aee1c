"""Download CWRU files from the Case Western Reserve Bearing Data Center."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tsclf.datasets._cwru import EMBEDDED_IDS
from tsclf.datasets._cwru_catalog import checked_cwru_ids
from tsclf.datasets._cwru_checksums import verify_cwru_file
from tsclf.datasets._cwru_mat import read_cwru_mat

#: Where the CWRU Bearing Data Center serves ``<id>.mat``.
CWRU_BASE_URL = "https://engineering.case.edu/sites/default/files/"


def cwru_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the folder for downloaded CWRU files.

    Parameters
    ----------
    data_home : path-like, default=None
        Explicit folder. ``None`` uses ``$TSCLF_DATA/cwru`` when the
        ``TSCLF_DATA`` environment variable is set, else
        ``~/tsclf_data/cwru``.

    Returns
    -------
    folder : pathlib.Path
        The folder; it is not created here.
    """
    if data_home is not None:
        return Path(data_home)
    root = os.environ.get("TSCLF_DATA", str(Path.home() / "tsclf_data"))
    return Path(root) / "cwru"


def fetch_cwru(
    ids: Sequence[int] = EMBEDDED_IDS,
    data_home: str | os.PathLike | None = None,
    *,
    base_url: str = CWRU_BASE_URL,
    overwrite: bool = False,
    timeout: float = 60.0,
    retries: int = 3,
    insecure_mirror: bool = False,
    verbose: bool = True,
) -> Path:
    """Download CWRU ``.mat`` files, one per id, and return their folder.

    Each file is fetched to a temporary name, checked to be a readable CWRU
    file whose SHA-256 matches :func:`cwru_checksums` (for the ids it
    lists), then moved in place, so an interrupted or corrupted download
    never leaves a bad file behind. A file already present is kept unless
    ``overwrite=True``, but only if it passes the same check; otherwise it
    is downloaded again. Pass the returned folder to
    :func:`~tsclf.datasets.load_cwru`.

    Parameters
    ----------
    ids : sequence of int, default=EMBEDDED_IDS
        CWRU ids to fetch.
    data_home : path-like, default=None
        Destination folder, see :func:`cwru_data_home`.
    base_url : str, default=CWRU_BASE_URL
        URL prefix; ``<base_url><id>.mat`` is requested. Must be https.
    overwrite : bool, default=False
        Download again even when a valid file exists.
    timeout : float, default=60.0
        Seconds to wait for the server.
    retries : int, default=3
        Attempts per file before giving up on a network error.
    insecure_mirror : bool, default=False
        Allow an ``http://`` or ``file://`` ``base_url``, e.g. a local mirror;
        the files are still verified.
    verbose : bool, default=True
        Print one line per downloaded file.

    Returns
    -------
    folder : pathlib.Path

    Raises
    ------
    OSError
        If a download fails after ``retries`` attempts; the message names
        the URL.
    ValueError
        If an id is not in the CWRU catalogue, ``base_url`` is not https
        (without ``insecure_mirror``), or a downloaded file is not the
        catalogued one (the message names the URL and both digests).
    """
    scheme = urllib.parse.urlparse(base_url).scheme
    if scheme != "https" and not (insecure_mirror and scheme in ("http", "file")):
        raise ValueError(
            f"base_url must be an https URL, got {base_url!r}; for a local mirror "
            "over http:// or file:// pass insecure_mirror=True."
        )
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 1:
        raise ValueError(f"retries must be a positive int, got {retries!r}.")
    ids = checked_cwru_ids(ids)
    folder = cwru_data_home(data_home)
    folder.mkdir(parents=True, exist_ok=True)
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    for cwru_id in ids:
        target = folder / f"{cwru_id}.mat"
        if target.exists() and not overwrite and _is_valid(target, cwru_id):
            continue
        url = f"{base_url}{cwru_id}.mat"
        handle, partial = tempfile.mkstemp(suffix=".part", dir=folder)
        os.close(handle)
        partial = Path(partial)
        try:
            _download(url, partial, timeout=timeout, retries=retries)
            try:
                _check_file(partial, cwru_id)
            except ValueError as exc:
                raise ValueError(f"Downloaded {url}: {exc}") from exc
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        if verbose:
            print(f"downloaded {url} -> {target}")
    return folder


def _check_file(file: Path, cwru_id: int) -> None:
    """Raise a ValueError unless ``file`` is a readable, catalogued CWRU file."""
    read_cwru_mat(file, cwru_id, ("DE",))
    verify_cwru_file(file, cwru_id)


def _is_valid(file: Path, cwru_id: int) -> bool:
    """Whether a file already there passes :func:`_check_file`."""
    try:
        _check_file(file, cwru_id)
    except ValueError:
        return False
    return True


def _download(url: str, destination: Path, *, timeout: float, retries: int) -> None:
    """Copy ``url`` to ``destination``, trying up to ``retries`` times."""
    for attempt in range(1, retries + 1):
        try:
            with (
                urllib.request.urlopen(url, timeout=timeout) as response,
                destination.open("wb") as out,
            ):
                shutil.copyfileobj(response, out)
            return
        except OSError as exc:
            if attempt == retries:
                raise OSError(
                    f"Could not download {url} ({retries} attempts): {exc}"
                ) from exc
