"""Lossless storage of quantised float64 signals as int16 codes plus a scale.

The CWRU recordings were digitised by a 16-bit converter, so every value is an
integer code times a fixed step per channel. ``code * scale`` recovers each
value to within a few units in the last place (ulp); the exact bits are kept
by storing that ulp offset as int8, and any value that still does not fit
(never seen on CWRU, but possible in general) verbatim.
"""

from __future__ import annotations

import numpy as np

_MAX_ULP = np.iinfo(np.int8).max


def _estimate_step(values: np.ndarray) -> float:
    levels = np.unique(values)
    gaps = np.diff(levels)
    gaps = gaps[gaps > 0]
    if gaps.size == 0:
        return 1.0
    step = gaps.min()
    codes = np.round(values / step)
    # Least squares over all samples refines the step far beyond one gap.
    return float(values @ codes / (codes @ codes))


def encode(values: np.ndarray) -> dict[str, np.ndarray]:
    """Encode a 1-D float64 signal losslessly.

    Parameters
    ----------
    values : ndarray of shape (n_samples,)
        A quantised signal: every value a multiple of one step.

    Returns
    -------
    parts : dict of str to ndarray
        ``codes`` (int16), ``scale`` (float64 scalar), ``ulp`` (int8 offset
        from ``codes * scale`` in units in the last place), and the positions
        and values of exceptions stored verbatim.

    Raises
    ------
    ValueError
        If the values do not sit on one quantisation grid of int16 codes.
    """
    values = np.ascontiguousarray(values, dtype=np.float64).ravel()
    scale = _estimate_step(values)
    codes = np.round(values / scale)
    if np.abs(values - codes * scale).max(initial=0.0) > 1e-6 * abs(scale):
        raise ValueError("values do not sit on a single quantisation step")
    if codes.min(initial=0) < -32768 or codes.max(initial=0) > 32767:
        raise ValueError("quantisation codes do not fit in int16")
    codes = codes.astype(np.int16)
    approx = codes * scale
    offset = values.view(np.int64) - approx.view(np.int64)
    exact = np.abs(offset) <= _MAX_ULP
    parts = {
        "codes": codes,
        "scale": np.float64(scale),
        "ulp": np.where(exact, offset, 0).astype(np.int8),
        "exception_index": np.flatnonzero(~exact).astype(np.int64),
        "exception_value": values[~exact],
    }
    assert np.array_equal(decode(parts).view(np.int64), values.view(np.int64))
    return parts


def decode(parts: dict[str, np.ndarray]) -> np.ndarray:
    """Recover the exact float64 signal from :func:`encode`'s parts.

    Parameters
    ----------
    parts : dict of str to ndarray
        The output of :func:`encode`.

    Returns
    -------
    values : ndarray of shape (n_samples,), dtype float64

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.datasets._quantized import decode, encode
    >>> x = np.array([-3, 0, 1, 7]) * 0.000205454545
    >>> np.array_equal(decode(encode(x)), x)
    True
    """
    approx = parts["codes"].astype(np.float64) * np.float64(parts["scale"])
    bits = approx.view(np.int64) + parts["ulp"].astype(np.int64)
    values = bits.view(np.float64)
    values[parts["exception_index"]] = parts["exception_value"]
    return values
