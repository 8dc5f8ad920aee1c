"""Temporal convolutional network: dilated causal residual convolutions."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from tsclf.networks._layers import MultiTaskHeads


class CausalConv1d(nn.Conv1d):
    """Conv1d padded on the left only, so step t sees steps <= t."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, dilation: int
    ) -> None:
        super().__init__(in_channels, out_channels, kernel_size, dilation=dilation)
        self.left_padding = dilation * (kernel_size - 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Convolve without looking ahead."""
        return super().forward(F.pad(x, (self.left_padding, 0)))


class TemporalBlock(nn.Module):
    """Two dilated causal convolutions, each with BatchNorm, ReLU and dropout.

    Bai et al. normalise with weight norm; BatchNorm trains as well here and
    keeps the network picklable (parametrised modules are not).

    Parameters
    ----------
    in_channels, out_channels, kernel_size, dilation : int
    dropout : float
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        dilation: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.body = nn.Sequential(
            CausalConv1d(in_channels, out_channels, kernel_size, dilation),
            nn.BatchNorm1d(out_channels),
            nn.ReLU(),
            nn.Dropout(dropout),
            CausalConv1d(out_channels, out_channels, kernel_size, dilation),
            nn.BatchNorm1d(out_channels),
            nn.ReLU(),
            nn.Dropout(dropout),
        )
        self.shortcut = (
            nn.Conv1d(in_channels, out_channels, 1)
            if in_channels != out_channels
            else nn.Identity()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block."""
        return torch.relu(self.body(x) + self.shortcut(x))


class TCN(nn.Module):
    """Temporal convolutional network of Bai et al. (2018).

    Residual blocks with dilations 1, 2, 4, ... so the receptive field grows
    exponentially with depth; the last step (which has seen the whole
    receptive field) or the average over steps feeds the heads.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    filters : sequence of int, default=(64,) * 6
        Channels of each block; block ``i`` uses dilation ``2**i``.
    kernel_size : int, default=5
    dropout : float, default=0.1
    pooling : {"last", "mean"}, default="mean"
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        filters: Sequence[int] = (64,) * 6,
        kernel_size: int = 5,
        dropout: float = 0.1,
        pooling: str = "mean",
    ) -> None:
        super().__init__()
        if pooling not in ("last", "mean"):
            raise ValueError(f"pooling must be 'last' or 'mean', got {pooling!r}.")
        blocks = []
        width = n_channels
        for level, size in enumerate(filters):
            blocks.append(TemporalBlock(width, size, kernel_size, 2**level, dropout))
            width = size
        self.blocks = nn.Sequential(*blocks)
        self.pooling = pooling
        self.heads = MultiTaskHeads(width, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        steps = self.blocks(x)
        summary = steps[:, :, -1] if self.pooling == "last" else steps.mean(dim=2)
        return self.heads(summary)
