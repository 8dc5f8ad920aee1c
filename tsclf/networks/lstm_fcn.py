"""LSTM-FCN of Karim et al. (2018)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import ConvBlock1d, MultiTaskHeads, kaiming_init


class LSTMFCN(nn.Module):
    """An LSTM branch and a fully convolutional branch, concatenated.

    The LSTM reads the *dimension-shuffled* input: the channels are the
    steps and the time points the features of each step, so a univariate
    series is one step of ``n_timepoints`` features. The FCN branch has three
    Conv-BN-ReLU blocks (128, 256, 128 filters; kernels 8, 5, 3) and global
    average pooling.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    lstm_size : int, default=8
    lstm_dropout : float, default=0.8
    filters : sequence of int, default=(128, 256, 128)
    kernel_sizes : sequence of int, default=(8, 5, 3)
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        lstm_size: int = 8,
        lstm_dropout: float = 0.8,
        filters: Sequence[int] = (128, 256, 128),
        kernel_sizes: Sequence[int] = (8, 5, 3),
    ) -> None:
        super().__init__()
        self.lstm = nn.LSTM(n_timepoints, lstm_size, batch_first=True)
        self.lstm_dropout = nn.Dropout(lstm_dropout)
        blocks = []
        width = n_channels
        for size, kernel in zip(filters, kernel_sizes, strict=True):
            blocks.append(ConvBlock1d(width, size, kernel))
            width = size
        self.fcn = nn.Sequential(*blocks, nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fcn.apply(kaiming_init)
        self.heads = MultiTaskHeads(lstm_size + width, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        steps, _ = self.lstm(x)  # (batch, channels as steps, time as features)
        recurrent = self.lstm_dropout(steps[:, -1])
        return self.heads(torch.cat([recurrent, self.fcn(x)], dim=1))
