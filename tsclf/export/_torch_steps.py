"""Fitted preprocessing steps as torch modules, so they export with the network.

:func:`torch_step` turns a fitted transformer into a :class:`torch.nn.Module`
computing the same transform in the transformer's precision (a float32
batch in; float64 out where the transformer returns float64). It is a
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
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from tsclf.monitoring import ShiftMonitor
from tsclf.transformers import (
    BandEnergies,
    ChannelScaler,
    EnvelopeSpectrum,
    Flatten,
    SpectrogramChannels,
    STFTImage,
    WindowStandardizer,
)
from tsclf.transformers._bands import band_weights


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
        (the identity: it passes series through),
        :class:`~tsclf.transformers.BandEnergies` and
        :class:`~tsclf.transformers.EnvelopeSpectrum` without a ``band``
        (FFTs computed in float64 inside the graph),
        :class:`~sklearn.preprocessing.StandardScaler` (and so
        :class:`~tsclf.transformers.AdaptiveScaler`), and a
        :class:`~sklearn.pipeline.Pipeline` (or
        :class:`~tsclf.compose.AdaptivePipeline`) or
        :class:`~sklearn.pipeline.FeatureUnion` of supported steps.

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
    """``(x - offset) / scale``, the two broadcast against the input's end.

    In the input's precision, as scikit-learn's scalers compute.
    """

    def __init__(self, offset: np.ndarray, scale: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("offset", torch.tensor(offset, dtype=torch.float64))
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.offset.to(x.dtype)) / self.scale.to(x.dtype)


def _scaler_statistics(scaler: StandardScaler) -> tuple[np.ndarray, np.ndarray]:
    """Return a fitted StandardScaler's offset and scale (0 and 1 unused)."""
    n_features = scaler.n_features_in_
    mean = scaler.mean_ if scaler.with_mean else np.zeros(n_features)
    scale = scaler.scale_ if scaler.with_std else np.ones(n_features)
    return mean, scale


@torch_step.register
def _(step: ChannelScaler) -> torch.nn.Module:
    scaler = step.scaler_
    if not isinstance(scaler, StandardScaler):
        raise TypeError(
            f"ChannelScaler({type(scaler).__name__}) has no torch equivalent to "
            "export; only StandardScaler is supported."
        )
    mean, scale = _scaler_statistics(scaler)
    return _Affine(mean[:, np.newaxis], scale[:, np.newaxis])  # per channel


@torch_step.register
def _(step: StandardScaler) -> torch.nn.Module:
    return _Affine(*_scaler_statistics(step))  # per column of a table


class _BandPowers(torch.nn.Module):
    """:func:`~tsclf.transformers.band_energies` of the series or their envelope.

    Computed in float64: ONNX Runtime's float32 DFT of a long window is off
    by about 1e-4 of the largest value.
    """

    def __init__(self, step, envelope: bool) -> None:
        super().__init__()
        length = step.length_
        weights = band_weights(length, step.sampling_rate, step.band_edges_)
        self.register_buffer("weights", torch.tensor(weights, dtype=torch.float64))
        window = signal.get_window("hann", length)
        self.register_buffer("window", torch.tensor(window, dtype=torch.float64))
        # The Hilbert transform keeps every bin but 0 Hz (and Nyquist).
        keep = np.ones(length // 2 + 1)
        keep[0] = 0.0
        if length % 2 == 0:
            keep[-1] = 0.0
        self.register_buffer("keep", torch.tensor(keep, dtype=torch.float64))
        self.length, self.envelope, self.log = length, envelope, step.log

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.double()
        if self.envelope:  # |hilbert(x)|, its imaginary part without complex ops
            spectrum = torch.fft.rfft(x, dim=-1)
            rotated = torch.complex(
                spectrum.imag * self.keep, -spectrum.real * self.keep
            )
            hilbert = torch.fft.irfft(rotated, n=self.length, dim=-1)
            x = torch.sqrt(x * x + hilbert * hilbert)
        spectrum = torch.fft.rfft((x - x.mean(dim=-1, keepdim=True)) * self.window)
        energies = (spectrum.real**2 + spectrum.imag**2) @ self.weights
        if self.log:
            energies = torch.log(energies + torch.finfo(torch.float64).tiny)
        # Band-major, as the transformer: (batch, bands, channels), flat;
        # float64, as the transformer returns.
        return energies.transpose(1, 2).reshape(x.shape[0], -1)


@torch_step.register
def _(step: BandEnergies) -> torch.nn.Module:
    return _BandPowers(step, envelope=False)


@torch_step.register
def _(step: EnvelopeSpectrum) -> torch.nn.Module:
    if step.band is not None:
        raise TypeError(
            f"EnvelopeSpectrum(band={step.band!r}) band-passes with a Butterworth "
            "filter run forwards and backwards, which has no torch equivalent to "
            "export; export with preprocessing=False and apply the features "
            "before the model, or use band=None."
        )
    return _BandPowers(step, envelope=True)


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


class _Union(torch.nn.Module):
    """Each part's output, weighted, side by side (as ``np.hstack``)."""

    def __init__(self, parts: list, weights: list[float]) -> None:
        super().__init__()
        self.parts = torch.nn.ModuleList(parts)
        self.weights = weights

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs = [
            part(x) * w for part, w in zip(self.parts, self.weights, strict=True)
        ]
        # As np.hstack: float64 if any part is.
        dtype = max((out.dtype for out in outputs), key=lambda t: t.itemsize)
        return torch.cat([out.to(dtype) for out in outputs], dim=1)


@torch_step.register
def _(step: FeatureUnion) -> torch.nn.Module:
    weights = step.transformer_weights or {}
    kept = [
        (name, part)
        for name, part in step.transformer_list
        if part not in ("drop", None)
    ]
    if any(part == "passthrough" for _, part in kept):
        raise TypeError(
            "A FeatureUnion with a 'passthrough' part has no torch equivalent to "
            "export; export with preprocessing=False."
        )
    return _Union(
        [torch_step(part) for _, part in kept],
        [float(weights.get(name, 1.0)) for name, _ in kept],
    )
