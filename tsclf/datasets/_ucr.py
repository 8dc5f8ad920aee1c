"""UCR/UEA reference sets and ``.ts`` files as 3-D numpy arrays."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import numpy as np

#: UCR/UEA sets shipped inside sktime, which load without a network.
BUNDLED_UCR_UEA = (
    "ACSF1",
    "ArrowHead",
    "BasicMotions",
    "GunPoint",
    "ItalyPowerDemand",
    "JapaneseVowels",
    "OSULeaf",
    "PLAID",
)

UnequalLength = Literal["error", "pad"]


def _nested_to_3d(
    nested, unequal_length: UnequalLength, pad_value: float, source: str
) -> np.ndarray:
    """Turn sktime's nested DataFrame (one cell per series) into an array."""
    if unequal_length not in ("error", "pad"):
        raise ValueError(
            f"unequal_length must be 'error' or 'pad', got {unequal_length!r}."
        )
    cells = [
        [np.asarray(cell, dtype=np.float64) for cell in row]
        for row in nested.to_numpy()
    ]
    lengths = np.array([[cell.size for cell in row] for row in cells])
    longest = int(lengths.max())
    if (lengths != longest).any() and unequal_length == "error":
        raise ValueError(
            f"{source} holds series of unequal length ({int(lengths.min())} to "
            f"{longest} samples). Pass unequal_length='pad' to pad them at the "
            f"end with {pad_value!r}, or handle the nested data yourself."
        )
    X = np.full((len(cells), lengths.shape[1], longest), pad_value, dtype=np.float64)
    for i, row in enumerate(cells):
        for j, cell in enumerate(row):
            X[i, j, : cell.size] = cell
    return X, np.arange(longest) < lengths[..., np.newaxis]


def load_ts_file(
    path: str | os.PathLike,
    *,
    unequal_length: UnequalLength = "error",
    pad_value: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Load a ``.ts`` file (the UCR/UEA text format) as numpy arrays.

    Parameters
    ----------
    path : path-like
        The ``.ts`` file.
    unequal_length : {"error", "pad"}, default="error"
        What to do with series of unequal length: refuse with a clear
        message, or pad each at its end with ``pad_value``.
    pad_value : float, default=0.0
        Fill value used when ``unequal_length="pad"``.

    Returns
    -------
    X : ndarray of shape (n_series, n_channels, length), dtype float64
        Missing values (``?``, allowed by ``@missing true``) are NaN.
    y : ndarray of shape (n_series,), dtype str, or None
        None for an unlabelled file (``@classLabel false``).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the series have unequal lengths and ``unequal_length="error"``; if
        a value is not a number (the message gives the file and line), is
        infinite, or is missing (``?``, NaN) although the header says
        ``@missing false``.
    """
    nested, y = _read_nested(path)
    X, recorded = _nested_to_3d(nested, unequal_length, pad_value, str(path))
    header = _header(path)
    # Only recorded values are checked: the padding is the caller's choice.
    if np.isinf(X[recorded]).any():
        series = int(np.argwhere(np.isinf(X) & recorded)[0][0])
        raise ValueError(f"{path}: series {series} holds an infinite value.")
    if header.get("missing", "").lower() == "false" and np.isnan(X[recorded]).any():
        series = int(np.argwhere(np.isnan(X) & recorded)[0][0])
        raise ValueError(
            f"{path}: series {series} holds a missing value ('?' or NaN) although "
            "the header says @missing false."
        )
    y = None if y is None else np.asarray(y, dtype=str)
    # sktime's reader may change the labels' case; compare without it.
    declared = header.get("classlabel", "").split()[1:]
    known = {label.lower() for label in declared}
    if y is not None and declared and not {label.lower() for label in y} <= known:
        unknown = sorted({str(label) for label in y if label.lower() not in known})
        raise ValueError(
            f"{path}: labels {unknown[:5]} are not among those the header "
            f"declares (@classLabel true {' '.join(declared)})."
        )
    return X, y


def _header(path: str | os.PathLike) -> dict[str, str]:
    """Read the ``@key value`` lines before ``@data``, keys lower-cased.

    Raises a ValueError for a file that is not UTF-8 text or has no
    ``@data`` line.
    """
    header = {}
    try:
        with Path(path).open(encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if line.lower().startswith("@data"):
                    return header
                if line.startswith("@"):
                    key, _, value = line[1:].partition(" ")
                    header[key.lower()] = value.strip()
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path} is not a .ts text file (not UTF-8 text: {error.reason})."
        ) from error
    raise ValueError(
        f"{path} is not a .ts file: it has no @data line (a .ts file starts with "
        "@problemName, @classLabel ... headers, then @data and one series per "
        "line)."
    )


def _first_bad_value(path: Path, labelled: bool) -> str:
    """``"line N: 'token'"`` of the first value that is not a number, or ""."""
    in_data = False
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not in_data:
                in_data = line.lower().startswith("@data")
                continue
            if not line or line.startswith("#"):
                continue
            dimensions = line.split(":")
            for dimension in dimensions[:-1] if labelled else dimensions:
                for token in dimension.strip("()").replace("(", ",").split(","):
                    token = token.strip().rstrip(")")
                    if not token or token == "?":
                        continue
                    try:
                        float(token)
                    except ValueError:
                        return f"line {number}: {token!r}"
    return ""


def _read_nested(path: str | os.PathLike):
    from sktime.datasets import load_from_tsfile, load_from_tsfile_to_dataframe

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f".ts file not found: {path}")
    labelled = _header(path).get("classlabel", "true").lower().startswith("true")
    try:
        if labelled:
            return load_from_tsfile(str(path), return_data_type="nested_univ")
        # sktime's load_from_tsfile cannot return an unlabelled file's X alone.
        return load_from_tsfile_to_dataframe(str(path)), None
    except (ValueError, TypeError) as error:
        where = _first_bad_value(path, labelled)
        raise ValueError(
            f"Could not read {path}" + (f" ({where})" if where else "") + f": {error}"
        ) from error


def _bundled_file(name: str, split: str) -> Path:
    import sktime.datasets

    folder = Path(sktime.datasets.__file__).parent / "data" / name
    return folder / f"{name}_{split.upper()}.ts"


def load_ucr_uea(
    name: str,
    *,
    split: Literal["train", "test"] | None = None,
    unequal_length: UnequalLength = "error",
    pad_value: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Load a UCR/UEA classification set as a 3-D numpy array.

    The sets in :data:`BUNDLED_UCR_UEA` ship inside sktime and load offline.
    Other names go through :func:`sktime.datasets.load_UCR_UEA_dataset`,
    which downloads them from timeseriesclassification.com.

    Parameters
    ----------
    name : str
        Data set name, e.g. ``"GunPoint"``.
    split : {"train", "test"} or None, default=None
        The official split; ``None`` returns train followed by test.
    unequal_length : {"error", "pad"}, default="error"
        Refuse sets with series of unequal length (JapaneseVowels, PLAID), or
        pad them at the end with ``pad_value``.
    pad_value : float, default=0.0
        Fill value used when ``unequal_length="pad"``.

    Returns
    -------
    X : ndarray of shape (n_series, n_channels, length), dtype float64
    y : ndarray of shape (n_series,), dtype str

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.datasets import load_ucr_uea
    >>> X, y = load_ucr_uea("GunPoint", split="train")
    >>> X.shape, np.unique(y).tolist()
    ((50, 1, 150), ['1', '2'])
    >>> X, y = load_ucr_uea("JapaneseVowels", split="test", unequal_length="pad")
    >>> X.shape
    (370, 12, 29)
    """
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be 'train', 'test' or None, got {split!r}.")
    import pandas as pd

    frames, labels = [], []
    for part in ["train", "test"] if split is None else [split]:
        if name in BUNDLED_UCR_UEA:
            nested, y = _read_nested(_bundled_file(name, part))
        else:
            from sktime.datasets import load_UCR_UEA_dataset

            nested, y = load_UCR_UEA_dataset(
                name, split=part, return_X_y=True, return_type="nested_univ"
            )
        frames.append(nested)
        labels.append(np.asarray(y, dtype=str))
    nested = pd.concat(frames, ignore_index=True)
    X, _ = _nested_to_3d(nested, unequal_length, pad_value, name)
    return X, np.concatenate(labels)
