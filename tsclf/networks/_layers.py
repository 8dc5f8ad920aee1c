"""Layers shared by several networks: heads, residual blocks, embeddings."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F


class MultiTaskHeads(nn.Module):
    """One linear head per task on a shared feature vector.

    Parameters
    ----------
    in_features : int
        Size of the shared features.
    n_outputs : sequence of int
        Outputs per task: classes for classification, targets for regression.
    """

    def __init__(self, in_features: int, n_outputs: Sequence[int]) -> None:
        super().__init__()
        if not n_outputs or min(n_outputs) < 1:
            raise ValueError(f"n_outputs must be positive sizes, got {n_outputs}.")
        self.heads = nn.ModuleList(nn.Linear(in_features, n) for n in n_outputs)

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Return one output tensor per task."""
        return tuple(head(features) for head in self.heads)


class ConvBlock1d(nn.Sequential):
    """Conv1d, BatchNorm, ReLU; stride 1 keeps the length, even kernels too."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1
    ) -> None:
        left = (kernel_size - 1) // 2 if stride == 1 else kernel_size // 2
        right = kernel_size - 1 - left if stride == 1 else kernel_size // 2
        super().__init__(
            nn.ConstantPad1d((left, right), 0.0),
            nn.Conv1d(
                in_channels, out_channels, kernel_size, stride=stride, bias=False
            ),
            nn.BatchNorm1d(out_channels),
            nn.ReLU(inplace=True),
        )


class _ResidualBlock(nn.Module):
    """conv-BN-ReLU-dropout-conv-BN plus shortcut, then ReLU (1-D or 2-D)."""

    conv: type[nn.Module]
    norm: type[nn.Module]

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        padding = kernel_size // 2
        self.body = nn.Sequential(
            self.conv(
                in_channels, out_channels, kernel_size, stride, padding, bias=False
            ),
            self.norm(out_channels),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            self.conv(out_channels, out_channels, kernel_size, 1, padding, bias=False),
            self.norm(out_channels),
        )
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                self.conv(in_channels, out_channels, 1, stride, bias=False),
                self.norm(out_channels),
            )
        else:
            self.shortcut = nn.Identity()
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block."""
        return self.activation(self.body(x) + self.shortcut(x))


class ResidualBlock1d(_ResidualBlock):
    """Residual block of two 1-D convolutions.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int, default=3
        Odd kernel size.
    stride : int, default=1
        Stride of the first convolution and of the shortcut.
    dropout : float, default=0.1
        Dropout between the two convolutions.
    """

    conv = nn.Conv1d
    norm = nn.BatchNorm1d


class ResidualBlock2d(_ResidualBlock):
    """Residual block of two 2-D convolutions; see :class:`ResidualBlock1d`."""

    conv = nn.Conv2d
    norm = nn.BatchNorm2d


class ChunkEmbedding(nn.Module):
    """Cut a series into chunks of ``chunk_size`` steps, one token per chunk.

    ``(batch, channels, length)`` becomes ``(batch, ceil(length /
    chunk_size), channels * chunk_size)``; the series is zero-padded at its
    end to a whole number of chunks. With ``embed_dim``, each token is
    projected by Linear, ReLU and LayerNorm.

    Parameters
    ----------
    n_channels : int
    chunk_size : int, default=1
    embed_dim : int, default=None
        Projection size; None keeps the raw chunk.
    """

    def __init__(
        self, n_channels: int, chunk_size: int = 1, embed_dim: int | None = None
    ) -> None:
        super().__init__()
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size}.")
        self.chunk_size = chunk_size
        raw = n_channels * chunk_size
        self.out_features = raw if embed_dim is None else embed_dim
        self.project = (
            nn.Identity()
            if embed_dim is None
            else nn.Sequential(
                nn.Linear(raw, embed_dim), nn.ReLU(), nn.LayerNorm(embed_dim)
            )
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return tokens of shape (batch, n_chunks, features)."""
        batch, channels, length = x.shape
        n_chunks = -(-length // self.chunk_size)
        x = F.pad(x, (0, n_chunks * self.chunk_size - length))
        x = x.reshape(batch, channels, n_chunks, self.chunk_size)
        x = x.permute(0, 2, 1, 3).reshape(batch, n_chunks, channels * self.chunk_size)
        return self.project(x)


class AttentionPooling(nn.Module):
    """Weighted mean over steps, with weights from a small scoring MLP.

    Parameters
    ----------
    in_features : int
    hidden : int, default=64
    """

    def __init__(self, in_features: int, hidden: int = 64) -> None:
        super().__init__()
        self.score = nn.Sequential(
            nn.Linear(in_features, hidden), nn.Tanh(), nn.Linear(hidden, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pool (batch, steps, features) to (batch, features)."""
        weights = torch.softmax(self.score(x), dim=1)
        return (weights * x).sum(dim=1)


class SinusoidalPositionalEncoding(nn.Module):
    """Add the fixed sine/cosine position code of Vaswani et al. (2017).

    Parameters
    ----------
    d_model : int
    max_len : int, default=10000
    """

    def __init__(self, d_model: int, max_len: int = 10000) -> None:
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        frequency = torch.exp(
            torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model)
        )
        table = torch.zeros(max_len, d_model)
        table[:, 0::2] = torch.sin(position * frequency)
        table[:, 1::2] = torch.cos(position * frequency)[:, : d_model // 2]
        self.register_buffer("table", table, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Add positions to (batch, steps, d_model)."""
        return x + self.table[: x.shape[1]]


def kaiming_init(module: nn.Module) -> None:
    """Kaiming-normal init for convolutions and linear layers, zero biases.

    Parameters
    ----------
    module : torch.nn.Module
        Applied recursively with ``module.apply(kaiming_init)``.
    """
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def init_recurrent(module: nn.Module, forget_bias: float = 1.0) -> None:
    """Orthogonal recurrent weights, Xavier input weights, forget-gate bias.

    Parameters
    ----------
    module : torch.nn.LSTM, torch.nn.GRU or torch.nn.RNN
    forget_bias : float, default=1.0
        Bias of the LSTM forget gate (ignored for GRU and RNN).
    """
    for name, parameter in module.named_parameters():
        if name.startswith("weight_hh"):
            nn.init.orthogonal_(parameter)
        elif name.startswith("weight_ih"):
            nn.init.xavier_uniform_(parameter)
        elif name.startswith("bias"):
            nn.init.zeros_(parameter)
            if isinstance(module, nn.LSTM):
                hidden = parameter.shape[0] // 4
                parameter.data[hidden : 2 * hidden] = forget_bias / 2
