"""Fitted preprocessing steps as torch modules, so they export with the network.

:func:`torch_step` turns a fitted transformer into a :class:`torch.nn.Module`
computing the same transform on a float32 batch. It is a
:func:`functools.singledispatch` function: a transformer of your own
exports once you register its module::

    @torch_step.register
    def _(step: MyTransformer) -> torch.nn.Module:
        return MyModule(step.scale_)
"""

from __future__ import annotations

from functools import singledispatch

import numpy as np
import torch
from scipy import signal
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import (
    ChannelScaler,
    Flatten,
    SpectrogramChannels,
    STFTImage,
    WindowStandardizer,
)


@singledispatch
def torch_step(step) -> torch.nn.Module:
    """Return a torch module computing the fitted transformer ``step``.

    Parameters
    ----------
    step : fitted transformer or None
        Supported: None, :class:`~tsclf.transformers.WindowStandardizer`,
        :class:`~tsclf.transformers.ChannelScaler` around a
        :class:`~sklearn.preprocessing.StandardScaler`,
        :class:`~tsclf.transformers.Flatten` (windows as rows: the network
        reads them as one channel), :class:`~tsclf.transformers.STFTImage`
        and :class:`~tsclf.transformers.SpectrogramChannels` (the STFT as a
        strided convolution), :class:`~tsclf.monitoring.ShiftMonitor`
        (the identity: it passes series through) and a
        :class:`~sklearn.pipeline.Pipeline`
        of supported steps.

    Returns
    -------
    module : torch.nn.Module

    Raises
    ------
    TypeError
        For any other transformer; register a module for it (see the module
        docstring) or export without preprocessing and apply it yourself.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from tsclf.export import torch_step
    >>> from tsclf.transformers import WindowStandardizer
    >>> X = np.random.default_rng(0).normal(size=(2, 1, 16)).astype(np.float32)
    >>> step = WindowStandardizer().fit(X)
    >>> module = torch_step(step)
    >>> bool(np.allclose(module(torch.from_numpy(X)).numpy(), step.transform(X)))
    True
    """
    raise TypeError(
        f"{type(step).__name__} has no torch equivalent to export; register one "
        "with tsclf.export.torch_step.register, or export with "
        "preprocessing=False and apply the step before the model."
    )


@torch_step.register
def _(step: None) -> torch.nn.Module:
    return torch.nn.Identity()


class _WindowStandardize(torch.nn.Module):
    """``(x - mean) / (std + eps)`` over each window's last axis.

    WindowStandardizer's float64 path for ill-conditioned windows (spread
    under ``1000 * eps``) has no counterpart here: such windows differ.
    """

    def __init__(self, eps: float) -> None:
        super().__init__()
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        std = (x - mean).square().mean(dim=-1, keepdim=True).sqrt()
        return (x - mean) / (std + self.eps)


@torch_step.register
def _(step: WindowStandardizer) -> torch.nn.Module:
    return _WindowStandardize(step.eps)


class _Affine(torch.nn.Module):
    """``(x - offset) / scale`` with one offset and scale per channel."""

    def __init__(self, offset: np.ndarray, scale: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("offset", torch.tensor(offset, dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.offset[:, None]) / self.scale[:, None]


@torch_step.register
def _(step: ChannelScaler) -> torch.nn.Module:
    scaler = step.scaler_
    if not isinstance(scaler, StandardScaler):
        raise TypeError(
            f"ChannelScaler({type(scaler).__name__}) has no torch equivalent to "
            "export; only StandardScaler is supported."
        )
    n_channels = scaler.n_features_in_
    mean = scaler.mean_ if scaler.with_mean else np.zeros(n_channels)
    scale = scaler.scale_ if scaler.with_std else np.ones(n_channels)
    return _Affine(mean, scale)


class _STFTMagnitude(torch.nn.Module):
    """scipy's one-sided STFT magnitude, as a convolution that exports.

    Hann window and spectrum scaling, as :func:`scipy.signal.stft`; the
    transform is a strided convolution with cosine and sine kernels.
    """

    def __init__(self, nperseg: int, step: int, log: bool, as_channels: bool):
        super().__init__()
        window = signal.get_window("hann", nperseg)
        n_freqs = nperseg // 2 + 1
        angle = 2 * np.pi * np.outer(np.arange(n_freqs), np.arange(nperseg)) / nperseg
        scale = window / window.sum()
        kernels = np.concatenate([np.cos(angle) * scale, -np.sin(angle) * scale])
        self.register_buffer(
            "kernels", torch.tensor(kernels[:, np.newaxis], dtype=torch.float32)
        )
        self.n_freqs, self.step = n_freqs, step
        self.log, self.as_channels = log, as_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n_channels, length = x.shape[1], x.shape[2]
        parts = torch.nn.functional.conv1d(
            x.reshape(-1, 1, length), self.kernels, stride=self.step
        )
        real, imag = parts[:, : self.n_freqs], parts[:, self.n_freqs :]
        magnitude = torch.sqrt(real * real + imag * imag)
        if self.log:
            magnitude = torch.log1p(magnitude)
        n_frames = magnitude.shape[-1]
        if self.as_channels:
            return magnitude.reshape(-1, n_channels * self.n_freqs, n_frames)
        return magnitude.reshape(-1, n_channels, self.n_freqs, n_frames)


@torch_step.register
def _(step: STFTImage) -> torch.nn.Module:
    nperseg = min(step.nperseg, step.length_)
    noverlap = nperseg // 2 if step.noverlap is None else step.noverlap
    return _STFTMagnitude(
        nperseg,
        nperseg - noverlap,
        step.log,
        as_channels=isinstance(step, SpectrogramChannels),
    )


@torch_step.register
def _(step: ShiftMonitor) -> torch.nn.Module:
    # It passes series through unchanged; its check is not part of the model.
    return torch.nn.Identity()


@torch_step.register
def _(step: Flatten) -> torch.nn.Module:
    return torch.nn.Flatten(start_dim=1)


@torch_step.register
def _(step: Pipeline) -> torch.nn.Module:
    return torch.nn.Sequential(
        *(torch_step(transformer) for _, transformer in step.steps)
    )
