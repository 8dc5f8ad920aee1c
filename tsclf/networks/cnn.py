"""Plain 1-D convolutional network."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import ConvBlock1d, MultiTaskHeads, kaiming_init


class CNN(nn.Module):
    """Stacked Conv-BN-ReLU-MaxPool stages, global average pooling, heads.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    filters : sequence of int, default=(32, 64, 128)
    kernel_sizes : sequence of int, default=(7, 5, 3)
    pool_size : int, default=2
    dropout : float, default=0.2
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        filters: Sequence[int] = (32, 64, 128),
        kernel_sizes: Sequence[int] = (7, 5, 3),
        pool_size: int = 2,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if len(filters) != len(kernel_sizes):
            raise ValueError("filters and kernel_sizes must have the same length.")
        stages: list[nn.Module] = []
        width = n_channels
        for size, kernel in zip(filters, kernel_sizes, strict=True):
            stages += [
                ConvBlock1d(width, size, kernel),
                nn.MaxPool1d(pool_size, ceil_mode=True),
            ]
            width = size
        self.features = nn.Sequential(
            *stages, nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(dropout)
        )
        self.heads = MultiTaskHeads(width, n_outputs)
        self.apply(kaiming_init)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        return self.heads(self.features(x))
