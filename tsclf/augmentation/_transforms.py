"""Random transforms of a training batch, each seeded through a generator.

Every transform takes a batch ``X`` of shape (batch, channels, length) as a
float tensor, a :class:`torch.Generator` and, for those that need them, the
batch's labels ``y``, and returns a new batch of the same shape. Each
sample is transformed with probability ``p``, with its own random draw.
They are scikit-learn style objects (``get_params``, ``clone``, ``repr``),
so a list of them is an estimator parameter that ``GridSearchCV`` can try.
"""

from __future__ import annotations

from numbers import Real
from typing import ClassVar

import torch
from sklearn.base import BaseEstimator

from tsclf.utils.constraints import Interval, validate_parameter_constraints

_PROBABILITY = [Interval(Real, 0, 1, closed="both")]
_POSITIVE = [Interval(Real, 0, None, closed="neither")]


def _take(X: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """``X[b, c, index[b, t]]``: the same time positions for every channel."""
    return torch.gather(X, -1, index[:, None, :].expand_as(X).to(X.device))


class BatchTransform(BaseEstimator):
    """Base class: draw who is transformed, then transform those samples."""

    _parameter_constraints: ClassVar[dict] = {"p": _PROBABILITY}

    def __call__(
        self, X: torch.Tensor, generator: torch.Generator, y=None
    ) -> torch.Tensor:
        """Transform each sample of ``X`` with probability ``p``.

        Parameters
        ----------
        X : Tensor of shape (batch, channels, length)
        generator : torch.Generator
            The only source of randomness.
        y : Tensor of shape (batch,) or (batch, n_tasks), default=None
            The batch's labels, for transforms that depend on them; never
            changed.

        Returns
        -------
        X : Tensor of the same shape
        """
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        if X.ndim != 3:
            raise ValueError(
                f"A batch has shape (batch, channels, length); got {X.shape}."
            )
        chosen = torch.rand(X.shape[0], generator=generator) < self.p
        transformed = self._transform(X, generator, y)
        return torch.where(chosen[:, None, None], transformed, X)

    def _uniform(self, low: float, high: float, n: int, generator) -> torch.Tensor:
        if not low <= high:
            raise ValueError(
                f"{type(self).__name__}: need low <= high, got {low}, {high}."
            )
        return low + (high - low) * torch.rand(n, generator=generator)

    def _transform(self, X: torch.Tensor, generator, y) -> torch.Tensor:
        raise NotImplementedError


class RandomScale(BatchTransform):
    """Multiply each sample by a factor drawn in ``[low, high]``.

    A sensor of another sensitivity, or a mounting that couples more or less
    of the vibration.

    Parameters
    ----------
    low, high : float, default=0.8, 1.25
    p : float, default=1.0
        Share of the samples transformed.

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import RandomScale
    >>> X = torch.ones(2, 1, 4)
    >>> RandomScale(2.0, 2.0)(X, torch.Generator().manual_seed(0))[:, 0, 0]
    tensor([2., 2.])
    """

    _parameter_constraints: ClassVar[dict] = {
        "p": _PROBABILITY,
        "low": _POSITIVE,
        "high": _POSITIVE,
    }

    def __init__(self, low: float = 0.8, high: float = 1.25, p: float = 1.0) -> None:
        self.low = low
        self.high = high
        self.p = p

    def _transform(self, X, generator, y):
        factor = self._uniform(self.low, self.high, X.shape[0], generator)
        return X * factor.to(X)[:, None, None]


class AdditiveNoise(BatchTransform):
    """Add white noise of up to ``max_ratio`` times each sample's own std.

    A noisier acquisition chain, or another machine's background vibration.

    Parameters
    ----------
    max_ratio : float, default=0.1
        Largest noise standard deviation, relative to the sample's; each
        sample draws its ratio uniformly in ``[0, max_ratio]``.
    p : float, default=1.0

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import AdditiveNoise
    >>> X = torch.sin(torch.linspace(0, 20, 1000)).reshape(1, 1, -1)
    >>> noisy = AdditiveNoise(0.5)(X, torch.Generator().manual_seed(0))
    >>> bool(0 < (noisy - X).std() < 0.5 * X.std())
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "p": _PROBABILITY,
        "max_ratio": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, max_ratio: float = 0.1, p: float = 1.0) -> None:
        self.max_ratio = max_ratio
        self.p = p

    def _transform(self, X, generator, y):
        ratio = self._uniform(0.0, self.max_ratio, X.shape[0], generator).to(X)
        scale = ratio[:, None, None] * X.std(dim=-1, keepdim=True)
        noise = torch.randn(X.shape, generator=generator).to(X)
        return X + scale * noise


class RandomShift(BatchTransform):
    """Roll each sample in time by a random offset (circularly).

    Where a window starts in a stationary vibration is arbitrary.

    Parameters
    ----------
    p : float, default=1.0

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import RandomShift
    >>> X = torch.arange(6.0).reshape(1, 1, 6)
    >>> sorted(RandomShift()(X, torch.Generator().manual_seed(0)).flatten().tolist())
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """

    def __init__(self, p: float = 1.0) -> None:
        self.p = p

    def _transform(self, X, generator, y):
        length = X.shape[-1]
        offset = torch.randint(length, (X.shape[0], 1), generator=generator)
        return _take(X, (torch.arange(length)[None, :] + offset) % length)


class TimeStretch(BatchTransform):
    """Resample each sample by a factor in ``[low, high]``: a speed change.

    A shaft turning a little faster or slower moves every fault frequency
    by the same factor; so does a sampling clock that drifts. The stretched
    series is read circularly from a random start, so its length is kept.

    Parameters
    ----------
    low, high : float, default=0.9, 1.1
        Speed factors: above 1 compresses (faster), below 1 stretches.
    p : float, default=1.0

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import TimeStretch
    >>> X = torch.sin(torch.arange(100.0)).reshape(1, 1, -1)
    >>> TimeStretch(2.0, 2.0)(X, torch.Generator().manual_seed(0)).shape
    torch.Size([1, 1, 100])
    """

    _parameter_constraints: ClassVar[dict] = {
        "p": _PROBABILITY,
        "low": _POSITIVE,
        "high": _POSITIVE,
    }

    def __init__(self, low: float = 0.9, high: float = 1.1, p: float = 1.0) -> None:
        self.low = low
        self.high = high
        self.p = p

    def _transform(self, X, generator, y):
        batch, _, length = X.shape
        factor = self._uniform(self.low, self.high, batch, generator)
        start = torch.rand(batch, generator=generator) * length
        position = start[:, None] + factor[:, None] * torch.arange(length)[None, :]
        left = torch.floor(position)
        weight = (position - left).to(X)[:, None, :]
        left = left.long() % length
        right = (left + 1) % length
        return (1 - weight) * _take(X, left) + weight * _take(X, right)


class RandomBandLimit(BatchTransform):
    """Keep each sample's spectrum below a random cut-off only.

    Another acquisition chain (anti-aliasing filter, sensor resonance,
    cable) passes another band. The cut-off is drawn in ``[low, high]`` as a
    share of the Nyquist frequency; bins above it are removed.

    Parameters
    ----------
    low, high : float, default=0.3, 1.0
        Cut-off range, as shares of the Nyquist frequency.
    p : float, default=0.5

    Examples
    --------
    >>> import torch
    >>> from tsclf.augmentation import RandomBandLimit
    >>> phase = 2 * torch.pi * torch.arange(200.0) / 200
    >>> slow, fast = torch.sin(5 * phase), torch.sin(80 * phase)  # 5 % and 80 %
    >>> X = (slow + fast).reshape(1, 1, -1)
    >>> low_passed = RandomBandLimit(0.5, 0.5, p=1.0)(X, torch.Generator())
    >>> bool((low_passed.flatten() - slow).abs().max() < 1e-4)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "p": _PROBABILITY,
        "low": [Interval(Real, 0, 1, closed="right")],
        "high": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, low: float = 0.3, high: float = 1.0, p: float = 0.5) -> None:
        self.low = low
        self.high = high
        self.p = p

    def _transform(self, X, generator, y):
        length = X.shape[-1]
        spectrum = torch.fft.rfft(X.float(), dim=-1)
        cutoff = self._uniform(self.low, self.high, X.shape[0], generator)
        share = torch.linspace(0, 1, spectrum.shape[-1])
        keep = (share[None, :] <= cutoff[:, None]).to(spectrum.device)
        filtered = torch.fft.irfft(spectrum * keep[:, None, :], n=length, dim=-1)
        return filtered.to(X)
