"""Convolutional front end with residual blocks, followed by a GRU."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import (
    ConvBlock1d,
    MultiTaskHeads,
    ResidualBlock1d,
    init_recurrent,
    kaiming_init,
)


class CNNGRU(nn.Module):
    """Conv blocks, residual blocks and max-pooling, then a GRU and dense.

    Each stage is a Conv-BN-ReLU block (``filters``, kernel 3), residual
    blocks and a max-pool of 2; the pooled sequence goes through a
    multi-layer GRU (128 units, dropout 0.2 between layers) whose last step
    feeds a dense layer of 128 and the heads. More stages shorten the
    sequence the GRU has to walk.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    filters : int, default=128
    kernel_size : int, default=3
    n_stages : int, default=3
        Conv + residual + pool stages; the GRU sees ``n_timepoints / 2**n``
        steps.
    residual_blocks : int, default=1
        Residual blocks per stage.
    gru_size : int, default=128
    gru_layers : int, default=2
    dropout : float, default=0.2
    dense_size : int, default=128
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        filters: int = 128,
        kernel_size: int = 3,
        n_stages: int = 3,
        residual_blocks: int = 1,
        gru_size: int = 128,
        gru_layers: int = 2,
        dropout: float = 0.2,
        dense_size: int = 128,
    ) -> None:
        super().__init__()
        stages: list[nn.Module] = []
        width = n_channels
        for _ in range(n_stages):
            stages.append(ConvBlock1d(width, filters, kernel_size))
            stages.extend(
                ResidualBlock1d(filters, filters, kernel_size, dropout=dropout)
                for _ in range(residual_blocks)
            )
            stages.append(nn.MaxPool1d(2, ceil_mode=True))
            width = filters
        self.features = nn.Sequential(*stages)
        self.features.apply(kaiming_init)
        self.gru = nn.GRU(
            width,
            gru_size,
            num_layers=gru_layers,
            batch_first=True,
            dropout=dropout if gru_layers > 1 else 0.0,
        )
        init_recurrent(self.gru)
        self.dense = nn.Sequential(
            nn.Linear(gru_size, dense_size), nn.ReLU(), nn.Dropout(dropout)
        )
        self.heads = MultiTaskHeads(dense_size, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        steps, _ = self.gru(self.features(x).transpose(1, 2))
        return self.heads(self.dense(steps[:, -1]))
