"""Download CWRU files from the Case Western Reserve Bearing Data Center."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tsclf.datasets._cwru import EMBEDDED_IDS, read_cwru_mat

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
    verbose: bool = True,
) -> Path:
    """Download CWRU ``.mat`` files, one per id, and return their folder.

    Each file is fetched to a temporary name, checked to be a readable CWRU
    file, then moved in place, so an interrupted download never leaves a
    truncated file behind. Files already present are kept unless
    ``overwrite=True``. Pass the returned folder to
    :func:`~tsclf.datasets.load_cwru`.

    Parameters
    ----------
    ids : sequence of int, default=EMBEDDED_IDS
        CWRU ids to fetch.
    data_home : path-like, default=None
        Destination folder, see :func:`cwru_data_home`.
    base_url : str, default=CWRU_BASE_URL
        URL prefix; ``<base_url><id>.mat`` is requested.
    overwrite : bool, default=False
        Download again even when the file exists.
    timeout : float, default=60.0
        Seconds to wait for the server.
    verbose : bool, default=True
        Print one line per downloaded file.

    Returns
    -------
    folder : pathlib.Path

    Raises
    ------
    OSError
        If a download fails; the message names the URL.
    ValueError
        If a downloaded file is not a readable CWRU file.
    """
    folder = cwru_data_home(data_home)
    folder.mkdir(parents=True, exist_ok=True)
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    for cwru_id in ids:
        target = folder / f"{int(cwru_id)}.mat"
        if target.exists() and not overwrite:
            continue
        url = f"{base_url}{int(cwru_id)}.mat"
        handle, partial = tempfile.mkstemp(suffix=".part", dir=folder)
        os.close(handle)
        partial = Path(partial)
        try:
            try:
                with (
                    urllib.request.urlopen(url, timeout=timeout) as response,
                    partial.open("wb") as out,
                ):
                    shutil.copyfileobj(response, out)
            except OSError as exc:
                raise OSError(f"Could not download {url}: {exc}") from exc
            read_cwru_mat(partial, int(cwru_id), ("DE",))
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        if verbose:
            print(f"downloaded {url} -> {target}")
    return folder
