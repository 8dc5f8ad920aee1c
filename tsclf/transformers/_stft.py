"""Short-time Fourier transform magnitude images."""

from __future__ import annotations

from numbers import Integral
from typing import ClassVar

import numpy as np
from scipy.signal import stft

from tsclf.transformers._series import SeriesTransformer
from tsclf.utils.constraints import Interval


def stft_magnitude(
    X: np.ndarray,
    *,
    nperseg: int = 64,
    noverlap: int | None = None,
    log: bool = True,
) -> np.ndarray:
    """Return the STFT magnitude of every channel of every window.

    Parameters
    ----------
    X : ndarray of shape (n_windows, n_channels, length)
    nperseg : int, default=64
        Samples per segment (Hann window); at most the window length.
    noverlap : int, default=None
        Overlap between segments; ``nperseg // 2`` when None.
    log : bool, default=True
        Return ``log1p(magnitude)``, which tames the dynamic range.

    Returns
    -------
    images : ndarray of shape (n_windows, n_channels, nperseg // 2 + 1, n_frames)
        Same floating dtype as ``X``.
    """
    nperseg = min(nperseg, X.shape[-1])
    _, _, spectrum = stft(
        X, nperseg=nperseg, noverlap=noverlap, boundary=None, padded=False, axis=-1
    )
    magnitude = np.abs(spectrum)
    return (np.log1p(magnitude) if log else magnitude).astype(X.dtype, copy=False)


class STFTImage(SeriesTransformer):
    """Turn windows into time-frequency images (STFT magnitude).

    The input of :class:`~tsclf.classification.ResNet2DClassifier`, usable
    on its own in any pipeline (flatten it for a classical model).

    Parameters
    ----------
    nperseg : int, default=64
        Samples per segment (Hann window).
    noverlap : int, default=None
        Overlap between segments; ``nperseg // 2`` when None.
    log : bool, default=True
        Return ``log1p(magnitude)``.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    n_channels_ : int
    length_ : int
        Window length seen in ``fit``; ``transform`` requires the same.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import STFTImage
    >>> X = np.random.default_rng(0).normal(size=(2, 1, 1200))
    >>> STFTImage(nperseg=64).fit_transform(X).shape
    (2, 1, 33, 36)
    """

    _parameter_constraints: ClassVar[dict] = {
        "nperseg": [Interval(Integral, 1, None, closed="left")],
        "noverlap": [Interval(Integral, 0, None, closed="left"), None],
        "log": ["boolean"],
    }

    def __init__(
        self, nperseg: int = 64, noverlap: int | None = None, log: bool = True
    ) -> None:
        self.nperseg = nperseg
        self.noverlap = noverlap
        self.log = log

    def transform(self, X) -> np.ndarray:
        """Compute the images.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        images : ndarray of shape (n_windows, n_channels, n_frequencies, n_frames)
        """
        X = self._checked(X)
        return stft_magnitude(
            X, nperseg=self.nperseg, noverlap=self.noverlap, log=self.log
        )
